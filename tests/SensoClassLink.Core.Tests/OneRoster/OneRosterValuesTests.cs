using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>The value rules every reader shares (<see cref="OneRosterValues"/>, <see cref="RosterStatus"/>), without I/O.</summary>
public sealed class OneRosterValuesTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData(" True ", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("YES", true)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("No", false)]
    public void BooleansAreReadInEverySpelling(string value, bool expected)
    {
        Assert.True(OneRosterValues.TryParseBoolean(value, out bool parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("maybe")]
    [InlineData("2")]
    public void OtherBooleansAreNotRead(string? value) => Assert.False(OneRosterValues.TryParseBoolean(value, out _));

    [Theory]
    [InlineData("", true)]
    [InlineData("true", true)]
    [InlineData("Yes", true)]
    [InlineData("unknown", true)] // as before: only a false value disables
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("NO", false)]
    public void EnabledUserIsFalseOnlyForAFalseBoolean(string value, bool enabled) => Assert.Equal(enabled, RosterStatus.IsEnabled(value));

    [Theory]
    [InlineData("", true)]
    [InlineData("active", true)]
    [InlineData("Active", true)]
    [InlineData("ACTIVE", true)]
    [InlineData("tobedeleted", false)]
    [InlineData("toBeDeleted", false)]
    [InlineData("TOBEDELETED", false)]
    [InlineData("inactive", false)]
    public void StatusIsReadInAnyCase(string status, bool active) => Assert.Equal(active, RosterStatus.IsActive(status));

    [Theory]
    [InlineData("2025-08-01", "2025-08-01")]
    [InlineData(" 2025-08-01 ", "2025-08-01")]
    [InlineData("2025-08-01T08:00:00Z", "2025-08-01")]
    [InlineData("2025-08-01T08:00:00.511Z", "2025-08-01")]
    [InlineData("2025-08-01T23:30:00-05:00", "2025-08-01")] // the day as written: a zone never moves it
    [InlineData("2025-08-01T08:00:00", "2025-08-01")]
    [InlineData("2025-08-01t08:00:00z", "2025-08-01")]
    [InlineData("2025-08-01 08:00:00", "2025-08-01")]
    public void DatesAndDateTimesGiveTheirDay(string value, string day)
    {
        Assert.True(OneRosterValues.TryParseDate(value, out string date));
        Assert.Equal(day, date);
    }

    [Theory]
    [InlineData("08/01/2025")]
    [InlineData("1/8/2025")]
    [InlineData("2025/08/01")]
    [InlineData("20250801")]
    [InlineData("2025-13-01")]
    [InlineData("2025-08-00")]
    [InlineData("2025-8-1")]
    [InlineData("August 1, 2025")]
    public void OtherDatesAreNotRead(string value) => Assert.False(OneRosterValues.TryParseDate(value, out _));

    [Theory]
    [InlineData("", "", true, null)]
    [InlineData("2025-10-01", "", true, null)] // begin inclusive
    [InlineData("2025-10-02", "", false, null)]
    [InlineData("", "2025-10-01", false, null)] // end exclusive
    [InlineData("", "2025-10-02T00:00:00Z", true, null)]
    [InlineData("10/01/2025", "", false, "beginDate")]
    [InlineData("", "soon", false, "endDate")]
    public void CurrentIsBeginOnOrBeforeAndEndAfter(string begin, string end, bool current, string? unreadable)
    {
        Assert.Equal(current, OneRosterValues.IsCurrent(begin, end, "2025-10-01", out string? bad));
        Assert.Equal(unreadable, bad);
    }

    [Theory]
    [InlineData("TRUE", "true")]
    [InlineData(" yes ", "true")]
    [InlineData("0", "false")]
    [InlineData("No", "false")]
    [InlineData("", "")]
    [InlineData("maybe", "maybe")] // unreadable: left for the rules to judge
    public void BooleansAreNormalizedForTheRulesAndOtherValuesLeftAsTheyAre(string value, string normalized) =>
        Assert.Equal(normalized, OneRosterValues.NormalizeBoolean(value));

    [Theory]
    [InlineData("2025-08-01", "2025-08-01")]
    [InlineData("2025-08-01T13:02:11.000Z", "2025-08-01")]
    [InlineData("2025-08-01T23:30:00+0530", "2025-08-01")]
    [InlineData("2025-08-01T23:30:00.1234567+02", "2025-08-01")]
    [InlineData("2025-08-01 13:02:11", "2025-08-01")]
    [InlineData("2024-02-29", "2024-02-29")]
    [InlineData("01/08/2025", "01/08/2025")] // unreadable: left for the rules to warn about
    [InlineData("", "")]
    public void DatesAreNormalizedToTheirDayAndOtherValuesLeftAsTheyAre(string value, string normalized) =>
        Assert.Equal(normalized, OneRosterValues.NormalizeDate(value));

    [Fact]
    public void AnEmailHoldingAnUndecodableCharacterIsInvalid() => Assert.False(EmailAddress.IsValid("jos\uFFFD@district.example"));
}
