using System.Text;
using SensoClassLink.Core.OneRoster.Rest;
using Xunit;

namespace SensoClassLink.Core.Tests.OneRoster;

public sealed class RecentFieldValuesTests
{
    [Fact]
    public void AValueIsReusedOnlyForTheSameBytesOfAPlainOrBlankToken()
    {
        byte[] body = Encoding.UTF8.GetBytes("2025-08-01|2025-08-02|2025-08-01|a\\u0062|a-very-long-value-over-sixteen");
        var first = new JsonToken(0, 10, JsonTokenKind.String);
        var other = new JsonToken(11, 10, JsonTokenKind.String);
        var again = new JsonToken(22, 10, JsonTokenKind.String);
        var escaped = new JsonToken(33, 7, JsonTokenKind.EscapedString);
        var longer = new JsonToken(41, 30, JsonTokenKind.String);
        var recent = new RecentFieldValues();

        Assert.False(recent.TryGet(2, body, first, out _));
        recent.Keep(2, body, first, "2025-08-01");
        Assert.True(recent.TryGet(2, body, again, out string value)); // the same bytes elsewhere in the body
        Assert.Equal("2025-08-01", value);
        Assert.False(recent.TryGet(2, body, other, out _)); // the same length, other bytes
        Assert.False(recent.TryGet(3, body, again, out _)); // slots are apart

        recent.Keep(1, body, escaped, "ab"); // an escaped spelling is never kept
        Assert.False(recent.TryGet(1, body, escaped, out _));
        recent.Keep(1, body, longer, "long"); // nor one longer than 16 bytes
        Assert.False(recent.TryGet(1, body, longer, out _));

        recent.Keep(0, body, default, ""); // an absent value is
        Assert.True(recent.TryGet(0, body, default, out string blank));
        Assert.Equal("", blank);
        Assert.False(recent.TryGet(0, body, new JsonToken(0, 0, JsonTokenKind.String), out _)); // "" is not absent
    }
}
