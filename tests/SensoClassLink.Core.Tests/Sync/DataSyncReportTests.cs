using Newtonsoft.Json.Linq;
using SensoClassLink.Core.Sync;
using Xunit;

namespace SensoClassLink.Core.Tests.Sync;

public sealed class DataSyncReportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static DataSyncDecision Row(string email, string message = "Created.") => new()
    {
        Email = email, SourcedId = "t-1", Eligibility = "Eligible", Action = DataSyncAction.Created, GroupSync = GroupSyncStatus.Synced,
        GroupsAdded = new[] { "c-1", "c-2" }, Message = message,
    };

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("plain@district.org", "plain@district.org")]
    [InlineData("", "")]
    public void Csv_cells_that_start_a_formula_are_neutralized(string value, string expected) =>
        Assert.Equal(expected, DataSyncReport.CsvCell(value));

    [Fact]
    public void Csv_report_has_a_header_and_one_row_per_decision()
    {
        string path = _temp.File("report.csv");
        var departed = Row("gone@d.org", "Departed.");
        departed.Action = DataSyncAction.Suspended;
        departed.DaysDeparted = 3;
        DataSyncReport.Write(path, new[] { Row("a@d.org"), Row("=cmd|' /C calc'!A0@d.org", "-evil"), departed });

        var lines = File.ReadAllLines(path);
        Assert.Equal(string.Join(",", DataSyncReport.Columns), lines[0]);
        Assert.Equal("DaysDeparted", DataSyncReport.Columns[^1]);
        Assert.Equal("a@d.org,t-1,Eligible,Created,,Synced,c-1;c-2,,,Created.,", lines[1]);
        Assert.StartsWith("'=cmd", lines[2]);
        Assert.EndsWith(",'-evil,", lines[2]);
        Assert.Equal("gone@d.org,t-1,Eligible,Suspended,,Synced,c-1;c-2,,,Departed.,3", lines[3]);
        Assert.Equal(4, lines.Length);
        Assert.Single(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void Json_report_is_an_array_of_rows_with_group_lists()
    {
        string path = _temp.File("report.JSON");
        DataSyncReport.Write(path, new[] { Row("a@d.org") });

        var rows = JArray.Parse(File.ReadAllText(path));
        Assert.Equal("a@d.org", (string?)rows[0]["Email"]);
        Assert.Equal(new[] { "c-1", "c-2" }, rows[0]["GroupsAdded"]!.Select(t => (string)t!));
        Assert.Equal(JTokenType.Null, rows[0]["DaysDeparted"]!.Type);
    }

    [Fact]
    public void A_report_replaces_an_older_file_whole_and_leaves_no_temporary_file()
    {
        string path = _temp.File("report.csv");
        File.WriteAllText(path, "old");
        DataSyncReport.Write(path, new[] { Row("a@d.org") });
        Assert.StartsWith("Email,", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void A_failing_row_source_leaves_the_old_report_untouched()
    {
        string path = _temp.File("report.csv");
        File.WriteAllText(path, "old");
        IEnumerable<DataSyncDecision> Broken()
        {
            yield return Row("a@d.org");
            throw new InvalidOperationException("boom");
        }
        Assert.Throws<InvalidOperationException>(() => DataSyncReport.Write(path, Broken()));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void Other_extensions_and_missing_folders_are_refused_naming_the_path()
    {
        Assert.Contains("report.txt", Assert.Throws<ArgumentException>(() => DataSyncReport.Write(_temp.File("report.txt"), Array.Empty<DataSyncDecision>())).Message);
        Assert.Throws<DirectoryNotFoundException>(() => DataSyncReport.Write(_temp.File("no/such/report.csv"), Array.Empty<DataSyncDecision>()));
    }

    public void Dispose() => _temp.Dispose();
}
