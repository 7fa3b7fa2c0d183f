using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using static SensoClassLink.Core.Tests.OneRoster.RosterFixture;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>
/// The engine asks sources for capabilities, never for their type: a decorator that forwards the pooled fast path
/// keeps it (and sees it used), and a wrapper still lets teacher-scoped reads reach the source it wraps.
/// </summary>
public sealed class SourceCapabilityTests : IDisposable
{
    private static readonly DateTime AsOf = new(2025, 10, 1);
    private readonly RosterFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    /// <summary>Wraps a CSV source, forwarding every capability and counting which reads the engine made.</summary>
    private sealed class ForwardingSource(CsvRosterSource inner) : IPooledRosterSource
    {
        private IPooledRosterSource Pooled => inner;

        public int UserRecordReads, EnrollmentRecordReads, PooledUserReads, PooledEnrollmentReads;

        public string Description => "forwarding " + inner.Description;
        public IEnumerable<RosterOrg> ReadOrgs(CancellationToken ct) => inner.ReadOrgs(ct);
        public IEnumerable<RosterUser> ReadUsers(CancellationToken ct) { UserRecordReads++; return inner.ReadUsers(ct); }
        public IEnumerable<RosterClass> ReadClasses(CancellationToken ct) => inner.ReadClasses(ct);
        public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken ct) { EnrollmentRecordReads++; return inner.ReadEnrollments(ct); }
        public bool HasPooledUserRows => Pooled.HasPooledUserRows;
        public IEnumerable<PooledUserRow> ReadUserRows(CancellationToken ct) { PooledUserReads++; return Pooled.ReadUserRows(ct); }
        public IEnumerable<PooledEnrollmentRow> ReadEnrollmentRows(CancellationToken ct) { PooledEnrollmentReads++; return Pooled.ReadEnrollmentRows(ct); }
        public int PoolSize => Pooled.PoolSize;
        public int PoolIdOf(string sourcedId) => Pooled.PoolIdOf(sourcedId);
        public int PoolIdIfAny(string sourcedId) => Pooled.PoolIdIfAny(sourcedId);
        public void ReleasePool() => Pooled.ReleasePool();
        public void Dispose() => inner.Dispose();
    }

    /// <summary>A stand-in for a REST source: it can scope to one teacher.</summary>
    private sealed class ScopableSource(IRosterSource inner) : IRosterSource, ISupportsTeacherScope
    {
        public string Description => inner.Description;
        public IEnumerable<RosterOrg> ReadOrgs(CancellationToken ct) => inner.ReadOrgs(ct);
        public IEnumerable<RosterUser> ReadUsers(CancellationToken ct) => inner.ReadUsers(ct);
        public IEnumerable<RosterClass> ReadClasses(CancellationToken ct) => inner.ReadClasses(ct);
        public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken ct) => inner.ReadEnrollments(ct);
        public IRosterSource ScopeToTeacher(string email) => inner;
        public void Dispose() => inner.Dispose();
    }

    private string District()
    {
        _fixture.WithTeacherAndStudent("t1", "t1@d.org", "c1").WithTeacherAndStudent("t2", "t2@d.org", "c2");
        _fixture.Users.Add(User("t3", "teacher", "t3@d.org", status: "tobedeleted"));
        _fixture.Users.Add(User("t4", "teacher", "t4@d.org", enabled: "FALSE"));
        _fixture.Enrollments.Add(Enrollment("e-gone", "c2", "stu-c1", "student", status: "inactive"));
        _fixture.Enrollments.Add(Enrollment("e-dangling", "c9", "stu-c1", "student"));
        return _fixture.Write();
    }

    private static string Describe(RosterEvaluation evaluation) =>
        string.Join("\n", evaluation.Teachers.Select(t => $"{t.Email}|{t.Reason}|{t.StudentCount}|{string.Join(",", t.Classes.Select(c => c.SourcedId + ":" + c.StudentCount))}")) +
        $"\n{evaluation.Statistics.Enrollments}/{evaluation.Statistics.CountingEnrollments}/{evaluation.Statistics.DataQualityWarnings}/{evaluation.Statistics.Students}";

    [Fact]
    public void A_decorator_that_forwards_the_pooled_capability_keeps_the_fast_path_and_the_answer()
    {
        string folder = District();
        using var plain = new CsvRosterSource(folder);
        string expected = Describe(EligibilityEngine.Evaluate(plain, AsOf, RosterReadObserver.None, CancellationToken.None));

        using var wrapped = new ForwardingSource(new CsvRosterSource(folder));
        string actual = Describe(EligibilityEngine.Evaluate(wrapped, AsOf, RosterReadObserver.None, CancellationToken.None));

        Assert.Equal(expected, actual);
        Assert.Contains("t1@d.org|Eligible|1|c1:1", actual);
        Assert.Contains("t3@d.org|Inactive", actual);
        Assert.Equal((1, 1), (wrapped.PooledUserReads, wrapped.PooledEnrollmentReads));
        Assert.Equal((0, 0), (wrapped.UserRecordReads, wrapped.EnrollmentRecordReads));
    }

    [Fact]
    public void Group_plans_through_the_decorator_match_the_plain_source()
    {
        string folder = District();
        using var plain = new CsvRosterSource(folder);
        using var wrapped = new ForwardingSource(new CsvRosterSource(folder));

        Assert.Equal(RosterPass.Read(plain, AsOf, null, withGroups: true, CancellationToken.None).GroupFingerprints(), RosterPass.Read(wrapped, AsOf, null, withGroups: true, CancellationToken.None).GroupFingerprints());
        Assert.Equal((1, 0), (wrapped.PooledUserReads, wrapped.UserRecordReads)); // the planner's index read users through the pooled path
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(" Active ", true)]
    [InlineData("tobedeleted", false)]
    [InlineData("inactive", false)]
    public void The_status_rule_lives_on_every_record(string status, bool active)
    {
        Assert.Equal(active, new RosterOrg { Status = status }.IsActive);
        Assert.Equal(active, new RosterUser { Status = status }.IsActive);
        Assert.Equal(active, new RosterClass { Status = status }.IsActive);
        Assert.Equal(active, new RosterEnrollment { Status = status }.IsActive);
        Assert.Equal(active, new PooledEnrollmentRow { Status = status }.IsActive);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("true", true)]
    [InlineData(" FALSE", false)]
    public void EnabledUser_blank_means_enabled(string enabledUser, bool enabled) =>
        Assert.Equal(enabled, new RosterUser { EnabledUser = enabledUser }.IsEnabled);
}
