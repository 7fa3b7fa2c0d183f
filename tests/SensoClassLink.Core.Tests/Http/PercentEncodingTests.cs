using SensoClassLink.Core.Http;
using Xunit;

namespace SensoClassLink.Core.Tests.Http;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("abcABC123-._~", "abcABC123-._~")]
    [InlineData("a b", "a%20b")]
    [InlineData("!*'()", "%21%2A%27%28%29")]
    [InlineData("+/=&%", "%2B%2F%3D%26%25")]
    [InlineData("é", "%C3%A9")]
    [InlineData("\u2603", "%E2%98%83")]
    [InlineData("", "")]
    public void EncodesPerRfc3986WithUpperCaseHex(string input, string expected) =>
        Assert.Equal(expected, PercentEncoding.Encode(input));

    [Fact]
    public void QueryRoundTripsThroughDecodeWithPlusAsSpaceAndDuplicatesKept()
    {
        var decoded = PercentEncoding.DecodeQuery("?a=1&a=2&b=x+y&c&d=%7E%27");
        Assert.Equal(new[] { "a=1", "a=2", "b=x y", "c=", "d=~'" }, decoded.Select(p => p.Key + "=" + p.Value));
        Assert.Equal("a=1&a=2&b=x%20y&c=&d=~%27", PercentEncoding.EncodeQuery(decoded));
    }
}
