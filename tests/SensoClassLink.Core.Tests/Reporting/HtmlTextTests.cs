using SensoClassLink.Core.Reporting;
using Xunit;

namespace SensoClassLink.Core.Tests.Reporting;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("a & b", "a &amp; b")]
    [InlineData("\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;")]
    [InlineData("&lt;", "&amp;lt;")]
    [InlineData("plain zoë@d.org", "plain zoë@d.org")]
    [InlineData("bell\u0007", "bell\uFFFD")]
    [InlineData("tab\tline\n", "tab\tline\n")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Escapes_markup_quotes_and_control_characters(string? value, string expected) => Assert.Equal(expected, HtmlText.Escape(value));
}
