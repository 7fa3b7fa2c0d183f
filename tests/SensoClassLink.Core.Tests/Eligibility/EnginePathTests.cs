using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Tests.OneRoster;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RosterFixture;

namespace SensoClassLink.Core.Tests.Eligibility;

/// <summary>The engine reads CSV sources through a fast path; any other source goes through IRosterSource records. Both must agree.</summary>
public sealed class EnginePathTests : IDisposable
{
    private readonly RosterFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    /// <summary>Hides the CSV source behind the interface, as a REST source would be seen.</summary>
    private sealed class InterfaceOnly(IRosterSource inner) : IRosterSource
    {
        public string Description => inner.Description;
        public IEnumerable<RosterOrg> ReadOrgs(CancellationToken ct) => inner.ReadOrgs(ct);
        public IEnumerable<RosterUser> ReadUsers(CancellationToken ct) => inner.ReadUsers(ct);
        public IEnumerable<RosterClass> ReadClasses(CancellationToken ct) => inner.ReadClasses(ct);
        public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken ct) => inner.ReadEnrollments(ct);
        public void Dispose() => inner.Dispose();
    }

    private static (string Teachers, List<string> Warnings) Run(string folder, bool interfaceOnly)
    {
        var warnings = new List<string>();
        var observer = new RosterReadObserver { Warning = w => warnings.Add(w.ToString()) };
        using IRosterSource source = interfaceOnly ? new InterfaceOnly(new CsvRosterSource(folder, observer)) : new CsvRosterSource(folder, observer);
        var evaluation = EligibilityEngine.Evaluate(source, new DateTime(2025, 10, 1), observer, CancellationToken.None);
        string teachers = string.Join("\n", evaluation.Teachers.Select(t =>
            $"{t.Email}|{string.Join(",", t.SourcedIds)}|{t.Reason}|{t.StudentCount}|{string.Join(",", t.Classes.Select(c => c.SourcedId + ":" + c.StudentCount))}|{string.Join(",", t.SchoolSourcedIds)}"));
        return (teachers + $"\n{evaluation.Statistics.Enrollments}/{evaluation.Statistics.CountingEnrollments}/{evaluation.Statistics.DataQualityWarnings}", warnings);
    }

    [Fact]
    public void BothPathsAgreeOnTheExampleDistrict()
    {
        string district = Path.Combine(AppContext.BaseDirectory, "../../../../../examples/district");
        Assert.True(Directory.Exists(district), district);

        var fast = Run(district, interfaceOnly: false);
        var generic = Run(district, interfaceOnly: true);

        Assert.Equal(generic.Teachers, fast.Teachers);
        Assert.Equal(generic.Warnings, fast.Warnings);
        Assert.Contains("maria.garcia@riverside.example|t-03a,t-03b|Eligible|16", fast.Teachers);
    }

    [Fact]
    public void BothPathsAgreeOnPaddedIdsQuotedIdsAndDanglingRows()
    {
        _fixture.Users.Add(User(" t1 ", "teacher", "t1@d.org"));
        _fixture.Users.Add(User("s-1", "student", "s1@d.org").Replace("s-1,", "\"s,1\",", StringComparison.Ordinal));
        _fixture.Users.Add(User("s2", "student", "s2@d.org"));
        _fixture.Classes.Add(Class("c1"));
        _fixture.Classes.Add(Class(" c2", school: "s2"));
        _fixture.Enrollments.Add("e1,,,c1,s1,t1,TEACHER,,,");
        _fixture.Enrollments.Add("e2,,,c1,s1,\"s,1\",student,,,");
        _fixture.Enrollments.Add("e3,,,\" c2 \",s1, s2 ,Student,, 2025-01-01 ,");
        _fixture.Enrollments.Add("e4,,,c2,s1,t1,teacher,,,");
        _fixture.Enrollments.Add("e5,,,c9,s1,s2,student,,,");
        _fixture.Enrollments.Add("e6,,,c1,s1,ghost,student,,,");
        _fixture.Enrollments.Add("e7,,,c1,s1,s2,student,,bad-date,");
        _fixture.Write();

        var fast = Run(_fixture.Folder, interfaceOnly: false);
        var generic = Run(_fixture.Folder, interfaceOnly: true);

        Assert.Equal(generic.Teachers, fast.Teachers);
        Assert.Equal(generic.Warnings, fast.Warnings);
        Assert.Contains("t1@d.org|t1|Eligible|2|c1:1,c2:1", fast.Teachers);
        Assert.Equal(3, fast.Warnings.Count);
    }
}
