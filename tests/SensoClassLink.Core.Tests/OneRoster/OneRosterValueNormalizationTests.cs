using SensoClassLink.Core.OneRoster;
using Xunit;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>Issue 12 item 5/9: the value rules every reader applies (REST now; the CSV reader is to share them).</summary>
public sealed class OneRosterValueNormalizationTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData(" True ", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("YES", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("No", false)]
    public void BooleansInEveryCommonSpelling(string value, bool expected)
    {
        Assert.True(OneRosterValues.TryParseBoolean(value, out bool result));
        Assert.Equal(expected, result);
        Assert.Equal(expected ? "true" : "false", OneRosterValues.NormalizeBoolean(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("maybe")]
    [InlineData("2")]
    [InlineData("y")]
    public void OtherValuesAreNotBooleansAndStayAsTheyAre(string value)
    {
        Assert.False(OneRosterValues.TryParseBoolean(value, out _));
        Assert.Equal(value, OneRosterValues.NormalizeBoolean(value));
    }

    [Theory]
    [InlineData("2025-08-01", "2025-08-01")]
    [InlineData(" 2025-08-01 ", "2025-08-01")]
    [InlineData("2025-08-01T00:00:00Z", "2025-08-01")]
    [InlineData("2025-08-01T13:02:11.000Z", "2025-08-01")]
    [InlineData("2025-08-01T13:02:11", "2025-08-01")]
    [InlineData("2025-08-01T13:02", "2025-08-01")]
    [InlineData("2025-08-01T23:30:00-05:00", "2025-08-01")]
    [InlineData("2025-08-01T23:30:00+0530", "2025-08-01")]
    [InlineData("2025-08-01T23:30:00.1234567+02", "2025-08-01")]
    [InlineData("2025-08-01 13:02:11", "2025-08-01")]
    [InlineData("2024-02-29", "2024-02-29")]
    public void DatesAndDateTimesGiveTheCalendarDateWritten(string value, string expected)
    {
        Assert.True(OneRosterValues.TryParseDate(value, out string date));
        Assert.Equal(expected, date);
        Assert.Equal(expected, OneRosterValues.NormalizeDate(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2025-8-1")]
    [InlineData("20250801")]
    [InlineData("2025-13-01")]
    [InlineData("01/08/2025")]
    public void AnythingElseIsNotADateAndStaysAsItIs(string value)
    {
        Assert.False(OneRosterValues.TryParseDate(value, out _));
        Assert.Equal(value, OneRosterValues.NormalizeDate(value));
    }
}
