using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Tests.OneRoster;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RosterFixture;

namespace SensoClassLink.Core.Tests.Eligibility;

/// <summary>
/// The structures that keep a 10M-enrollment read small (the string pool freed once the enrollments are resolved,
/// id maps that start at their kind's first pool id, the compressed teacher/class pairs) must answer exactly as before.
/// </summary>
public sealed class ReadMemoryTests : IDisposable
{
    private static readonly DateTime AsOf = new(2025, 10, 1);
    private readonly RosterFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    /// <summary>Hides the CSV source behind the interface: the record path, an independent check of the pooled one.</summary>
    private sealed class InterfaceOnly(IRosterSource inner) : IRosterSource
    {
        public string Description => inner.Description;
        public IEnumerable<RosterOrg> ReadOrgs(CancellationToken ct) => inner.ReadOrgs(ct);
        public IEnumerable<RosterUser> ReadUsers(CancellationToken ct) => inner.ReadUsers(ct);
        public IEnumerable<RosterClass> ReadClasses(CancellationToken ct) => inner.ReadClasses(ct);
        public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken ct) => inner.ReadEnrollments(ct);
        public void Dispose() => inner.Dispose();
    }

    private static string Render(RosterEvaluation evaluation) =>
        string.Join("\n", evaluation.Teachers.Select(t =>
            $"{t.Email}|{string.Join(",", t.SourcedIds)}|{t.Reason}|{t.StudentCount}|{string.Join(",", t.Classes.Select(c => c.SourcedId + ":" + c.StudentCount))}"))
        + $"\n{evaluation.Statistics.Enrollments}/{evaluation.Statistics.CountingEnrollments}/{evaluation.Statistics.DataQualityWarnings}";

    private void CoTaughtDistrict()
    {
        _fixture.WithTeacherAndStudent("t1", "t1@district.org", "c1").WithTeacherAndStudent("t2", "t2@district.org", "c2");
        _fixture.Users.Add(User("stu-x", "student", "stu-x@district.org"));
        _fixture.Enrollments.Add(Enrollment("e-t2-c1", "c1", "t2", "teacher"));
        _fixture.Enrollments.Add(Enrollment("e-x-c1", "c1", "stu-x", "student"));
        _fixture.Enrollments.Add(Enrollment("e-x-c2", "c2", "stu-x", "student"));
        _fixture.Write();
    }

    [Fact]
    public void APassFreesTheSourcesPoolAndTheSameSourceReadAgainAnswersTheSame()
    {
        CoTaughtDistrict();
        using var source = new CsvRosterSource(_fixture.Folder);
        IPooledRosterSource pooled = source;

        var first = RosterPass.Read(source, AsOf, null, withGroups: true, CancellationToken.None);
        Assert.Equal(0, pooled.PoolSize);
        var second = RosterPass.Read(source, AsOf, null, withGroups: true, CancellationToken.None);
        Assert.Equal(0, pooled.PoolSize);

        Assert.Equal(Render(first.Evaluation), Render(second.Evaluation));
        Assert.Equal(first.GroupFingerprints(), second.GroupFingerprints());
        var groups = second.PlanGroups(new[] { "t2@district.org" })["t2@district.org"];
        Assert.Equal(new[] { "c1", "c2" }, groups.Select(g => g.Key));
        Assert.Equal(new[] { "t1@district.org", "t2@district.org" }, groups[0].Owners);
        Assert.Equal(new[] { "stu-c1@district.org", "stu-x@district.org" }, groups[0].Members);
        Assert.Equal(new[] { "t2@district.org" }, groups[1].Owners);
    }

    [Fact]
    public void APassWithoutGroupsKeepsOnlyTheEvaluation()
    {
        CoTaughtDistrict();
        using var source = new CsvRosterSource(_fixture.Folder);
        var pass = RosterPass.Read(source, AsOf, null, withGroups: false, CancellationToken.None);
        Assert.False(pass.HasGroups);
        Assert.Equal(2, pass.Evaluation.Statistics.EligibleTeachers);
        Assert.Throws<InvalidOperationException>(() => pass.PlanGroups(new[] { "t1@district.org" }));
    }

    [Fact]
    public void ClassesWhoseSourcedIdsWerePooledBeforeTheFirstClassAreStillFound()
    {
        // c-late comes after c1 in classes.csv, but its sourcedId is a user's (pooled earlier), and c-org is an org's:
        // both get pool ids below the first class's, so the class map must reach below where it started.
        _fixture.WithTeacherAndStudent("t1", "t1@district.org", "c1");
        _fixture.Users.Add(User("c-late", "student", "c-late@district.org"));
        _fixture.Classes.Add(Class("c-late", "Shares a user's id"));
        _fixture.Classes.Add(Class("s2", "Shares an org's id"));
        _fixture.Enrollments.Add(Enrollment("e-t1-late", "c-late", "t1", "teacher"));
        _fixture.Enrollments.Add(Enrollment("e-s-late", "c-late", "stu-c1", "student"));
        _fixture.Enrollments.Add(Enrollment("e-t1-org", "s2", "t1", "teacher"));
        _fixture.Enrollments.Add(Enrollment("e-self", "c-late", "c-late", "student"));
        _fixture.Write();

        string pooled, records;
        using (var source = new CsvRosterSource(_fixture.Folder))
        {
            pooled = Render(EligibilityEngine.Evaluate(source, AsOf, RosterReadObserver.None, CancellationToken.None));
        }
        using (var source = new InterfaceOnly(new CsvRosterSource(_fixture.Folder)))
        {
            records = Render(EligibilityEngine.Evaluate(source, AsOf, RosterReadObserver.None, CancellationToken.None));
        }
        Assert.Equal(records, pooled);
        Assert.Contains("t1@district.org|t1|Eligible|2|c-late:2,c1:1,s2:0", pooled);
    }

    [Fact]
    public void TeacherClassPairsListEachOwnerAndClassOnceInAscendingOrder()
    {
        static long Pair(int cls, int record) => ((long)cls << 32) | (uint)record;
        var pairs = new TeacherClassPairs(new List<long> { Pair(5, 2), Pair(0, 7), Pair(5, 0), Pair(5, 2), Pair(3, 2), Pair(0, 7) });

        Assert.Equal(new[] { 7 }, pairs.OwnersOf(0));
        Assert.Empty(pairs.OwnersOf(1));
        Assert.Equal(new[] { 2 }, pairs.OwnersOf(3));
        Assert.Equal(new[] { 0, 2 }, pairs.OwnersOf(5));
        Assert.Empty(pairs.OwnersOf(6));
        Assert.Empty(pairs.OwnersOf(-1));
        Assert.Equal(new[] { 5 }, pairs.ClassesOf(0));
        Assert.Empty(pairs.ClassesOf(1));
        Assert.Equal(new[] { 3, 5 }, pairs.ClassesOf(2));
        Assert.Equal(new[] { 0 }, pairs.ClassesOf(7));
        Assert.Empty(pairs.ClassesOf(8));
        Assert.Empty(new TeacherClassPairs(new List<long>()).ClassesOf(0));
    }
}
