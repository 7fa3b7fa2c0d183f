using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RestTestContext;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>Test-ClassLinkConnection over a CSV export: the counts a sysadmin checks a new export by, and a failed check (never an error) when it cannot be read.</summary>
public sealed class CsvConnectionCheckTests
{
    [Fact]
    public void AnExportIsCountedWithProgressAndNoHints()
    {
        var steps = new List<(string, int)>();
        var report = CsvConnectionCheck.Run(() => new CsvRosterSource(DataFolder), DataFolder, ClassTermRule.Current, (s, p) => steps.Add((s, p)), default);
        Assert.True(report.Succeeded, string.Join(" ", report.Hints));
        Assert.Equal((3L, 7L, 40L, 5L, 88L, 1L), (report.Schools, report.Teachers, report.Students, report.Classes, report.Enrollments, report.AcademicSessions));
        Assert.Equal("none (local files)", report.AuthenticationMethod);
        Assert.Empty(report.Hints);
        Assert.Equal(new[] { 0, 25, 40, 60, 80 }, steps.Select(s => s.Item2));
    }

    [Fact]
    public void ClassesThatNameTermsWithoutSessionsHintOnlyWhenTermsAreJudged()
    {
        using var folder = new TempDirectory();
        foreach (string file in Directory.GetFiles(DataFolder, "*.csv").Where(f => !f.EndsWith("academicSessions.csv", StringComparison.Ordinal)))
        {
            File.Copy(file, folder.File(Path.GetFileName(file)));
        }
        var current = CsvConnectionCheck.Run(() => new CsvRosterSource(folder.Path), folder.Path, ClassTermRule.Current, null, default);
        Assert.True(current.Succeeded, "the sync still runs: every class counts, with a warning");
        Assert.Equal(0L, current.AcademicSessions);
        Assert.Equal(RosterConnectionCheck.NoSessionsUnderCurrentTerms, Assert.Single(current.Hints));

        var any = CsvConnectionCheck.Run(() => new CsvRosterSource(folder.Path), folder.Path, ClassTermRule.Any, null, default);
        Assert.Empty(any.Hints);
    }

    [Fact]
    public void AnExportThatCannotBeOpenedIsAFailedCheckThatSaysWhy()
    {
        using var folder = new TempDirectory();
        string missing = folder.File("nope");
        var report = CsvConnectionCheck.Run(() => new CsvRosterSource(missing), missing, ClassTermRule.Current, null, default);
        Assert.False(report.Succeeded);
        Assert.False(report.Reachable);
        Assert.Equal($"OneRoster CSV '{missing}'", report.Server);
        Assert.Null(report.Teachers);
        Assert.Contains("nope", Assert.Single(report.Hints), StringComparison.Ordinal);
    }
}
