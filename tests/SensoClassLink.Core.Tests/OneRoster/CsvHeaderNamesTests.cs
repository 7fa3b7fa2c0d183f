using SensoClassLink.Core.OneRoster;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>How header names are matched to the columns a reader asks for (<see cref="CsvHeaderNames"/>).</summary>
public sealed class CsvHeaderNamesTests
{
    [Theory]
    [InlineData("userId", "userIds")]
    [InlineData("agents", "agentSourcedIds")]
    [InlineData("grade", "grades")]
    [InlineData("termSourcedId", "termSourcedIds")]
    [InlineData("schoolYearId", "schoolYearSourcedId")]
    [InlineData("USERID", "userIds")]
    public void OneRoster10NamesAreAliases(string header, string column) =>
        Assert.Equal(1, new CsvHeaderNames(new[] { "sourcedId", header }).Find(column));

    [Fact]
    public void NamesMatchAfterTrimmingInAnyCaseAndABomNeverHidesTheFirst()
    {
        var names = new CsvHeaderNames(new[] { "\uFEFFSourcedID", " Email ", "ROLE" });

        Assert.Equal((0, 1, 2), (names.Find("sourcedId"), names.Find("email"), names.Find("role")));
    }

    [Fact]
    public void AnExactNameWinsOverOneInAnotherCaseAndTheRealNameOverAnAlias()
    {
        var names = new CsvHeaderNames(new[] { "Email", "userId", "email", "userIds" });

        Assert.Equal(2, names.Find("email"));
        Assert.Equal(3, names.Find("userIds"));
    }

    [Fact]
    public void EmptyExtensionAndMetadataColumnsAreNeverMatched()
    {
        var names = new CsvHeaderNames(new[] { "", "  ", "metadata.role", "x-role", "ext:role" });

        Assert.Equal(-1, names.Find("role"));
        Assert.Equal(-1, names.Find(""));
    }
}
