using Newtonsoft.Json.Linq;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Sync;
using Xunit;

namespace SensoClassLink.Core.Tests.Sync;

public sealed class DataSyncReportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static DataSyncDecision Row(string email, string message = "Created.") => new()
    {
        Email = email, SourcedId = "t-1", Eligibility = SyncEligibility.Eligible, Action = DataSyncAction.Created, GroupSync = GroupSyncStatus.Synced,
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
    public void Every_eligibility_reason_is_the_sync_eligibility_of_the_same_name_and_NotInRoster_is_the_one_more()
    {
        // The planner casts a teacher's reason; the reports print the name: both rely on the two enums agreeing.
        foreach (EligibilityReason reason in Enum.GetValues(typeof(EligibilityReason)))
        {
            Assert.Equal(reason.ToString(), ((SyncEligibility)reason).ToString());
        }
        Assert.Equal(Enum.GetNames(typeof(EligibilityReason)).Append(OutcomeReason.NotInRoster), Enum.GetNames(typeof(SyncEligibility)));
    }

    [Fact]
    public void Report_files_print_the_eligibility_by_name()
    {
        var lonely = new DataSyncDecision { Email = "lonely@d.org", Eligibility = SyncEligibility.NoStudents, Action = DataSyncAction.Ineligible };
        var gone = new DataSyncDecision { Email = "gone@d.org", Eligibility = SyncEligibility.NotInRoster, Action = DataSyncAction.NotInRoster };
        string csv = _temp.File("names.csv"), json = _temp.File("names.json");
        DataSyncReport.Write(csv, new[] { Row("a@d.org"), lonely, gone });
        DataSyncReport.Write(json, new[] { Row("a@d.org"), lonely, gone });

        Assert.Equal(new[] { "Eligible", "NoStudents", "NotInRoster" }, File.ReadAllLines(csv).Skip(1).Select(line => line.Split(',')[2]));
        var rows = JArray.Parse(File.ReadAllText(json));
        Assert.Equal(new[] { "Eligible", "NoStudents", "NotInRoster" }, rows.Select(r => (string?)r["Eligibility"]));
        Assert.All(rows, r => Assert.Equal(JTokenType.String, r["Eligibility"]!.Type));
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
