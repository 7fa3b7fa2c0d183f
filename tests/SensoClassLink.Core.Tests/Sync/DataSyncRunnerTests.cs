using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;
using SensoClassLink.Core.Tests.OneRoster;
using Xunit;
using static SensoClassLink.Core.Tests.Sync.TestPipelines;
using static SensoClassLink.Core.Tests.OneRoster.RosterFixture;

namespace SensoClassLink.Core.Tests.Sync;

/// <summary>The data sync's rules on the real local tenant and state store, on temp files.</summary>
public sealed class DataSyncRunnerTests : IDisposable
{
    private static readonly DateTime AsOf = new(2025, 3, 10);
    private readonly TempDirectory _temp = new();
    private readonly RosterFixture _roster = new();
    private readonly LocalTenantProvider _senso;

    public DataSyncRunnerTests()
    {
        _senso = new LocalTenantProvider(_temp.File("tenant.db"), new[] { "Teacher", "Administrator" }, new[] { "Main", "North" });
        _senso.SaveSettingsAsync(new IntegrationSettings { AutomaticallyCreateUsers = true, DefaultRole = "Teacher", DefaultSite = "Main" }, default).Wait();
    }

    private string StatePath => _temp.File("state.db");

    /// <summary>n teachers t0..t(n-1), each teaching class c{i} with one student; plus one teacher without students.</summary>
    private void District(int teachers)
    {
        for (int i = 0; i < teachers; i++)
        {
            _roster.WithTeacherAndStudent("t" + i, $"t{i}@district.org", "c" + i);
        }
        _roster.Users.Add(User("lonely", "teacher", "lonely@district.org"));
        _roster.Classes.Add(Class("c-empty", "Empty"));
        _roster.Enrollments.Add(Enrollment("e-lonely", "c-empty", "lonely", "teacher"));
        _roster.Write();
    }

    private DataSyncResult Run(bool whatIf = false, bool force = false, int maxCreates = 500, StateStore? state = null)
    {
        var options = new SyncOptions { AsOf = AsOf, WhatIf = whatIf, Force = force, MaxCreatesPerRun = maxCreates };
        if (state is not null)
        {
            return Nightly(o => new CsvRosterSource(_roster.Folder, o), _senso, state, options).GetAwaiter().GetResult();
        }
        using var store = whatIf && !File.Exists(StatePath) ? null : new StateStore(StatePath);
        return Nightly(o => new CsvRosterSource(_roster.Folder, o), _senso, store, options).GetAwaiter().GetResult();
    }

    private List<string> SensoEmails() => _senso.SearchUsersAsync(null, 1000, 0, default).Result.Users.Select(u => u.Email).ToList();

    private IReadOnlyList<SensoGroup> Groups(string? owner = null) => _senso.GetGroupsAsync(owner, default).Result;

    [Fact]
    public void First_run_creates_exactly_the_eligible_teachers_and_their_groups_and_a_second_run_changes_nothing()
    {
        District(3);

        var first = Run();

        Assert.Equal(SyncRunStatus.Completed, first.Run.Status);
        Assert.Equal(new[] { "t0@district.org", "t1@district.org", "t2@district.org" }, SensoEmails());
        Assert.Equal(3, first.Run.Figures.UsersCreated);
        Assert.Equal(3, first.Run.Figures.GroupSyncsCompleted);
        Assert.Equal(new[] { "c0", "c1", "c2" }, Groups().Select(g => g.Key));
        Assert.Equal(new[] { "stu-c1@district.org" }, Groups("t1@district.org").Single().Members);
        Assert.Equal(4, first.Run.Figures.RosterTeachers);
        Assert.Equal(1, first.Run.Figures.TeachersByReason["NoStudents"]);
        var lonely = first.Decisions.Single(d => d.Email == "lonely@district.org");
        Assert.Equal((DataSyncAction.Ineligible, SyncEligibility.NoStudents), (lonely.Action, lonely.Eligibility));
        Assert.Equal(new[] { "c0" }, first.Decisions.Single(d => d.Email == "t0@district.org").GroupsAdded);

        var second = Run();

        Assert.Equal(SyncRunStatus.Completed, second.Run.Status);
        Assert.Equal((0, 3, 0, 0), (second.Run.Figures.UsersCreated, second.Run.Figures.UsersExisting, second.Run.Figures.GroupSyncsQueued, second.Run.Figures.GroupSyncsCompleted));
        Assert.All(second.Decisions.Where(d => d.Action == DataSyncAction.Exists), d => Assert.Equal(GroupSyncStatus.Unchanged, d.GroupSync));
        using var state = new StateStore(StatePath);
        Assert.Equal(2, state.RunHistory.GetRecent(10, SyncOptions.NightlyRunKind).Count);
    }

    [Fact]
    public void After_roster_edits_a_run_creates_the_new_teacher_and_resyncs_exactly_the_affected_users()
    {
        District(4);
        Run();

        _roster.Users.Add(User("extra", "student", "extra@district.org"));
        _roster.Enrollments.Add(Enrollment("e-extra", "c1", "extra", "student"));          // t1's class gains a student
        _roster.Enrollments.RemoveAll(e => e.StartsWith("e-s-c2,", StringComparison.Ordinal)); // t2 loses all students
        _roster.WithTeacherAndStudent("t9", "t9@district.org", "c9");                      // a new teacher
        _roster.Write();

        var third = Run();

        Assert.Equal(SyncRunStatus.Completed, third.Run.Status);
        Assert.Equal(1, third.Run.Figures.UsersCreated);
        Assert.Contains("t9@district.org", SensoEmails());
        var synced = third.Decisions.Where(d => d.GroupSync == GroupSyncStatus.Synced).Select(d => d.Email).OrderBy(e => e).ToList();
        Assert.Equal(new[] { "t1@district.org", "t2@district.org", "t9@district.org" }, synced);
        Assert.Contains("extra@district.org", Groups("t1@district.org").Single().Members);
        Assert.Empty(Groups("t2@district.org"));
        Assert.Equal(new[] { "c2" }, third.Decisions.Single(d => d.Email == "t2@district.org").GroupsRemoved);
        var t2 = third.Decisions.Single(d => d.Email == "t2@district.org");
        Assert.Equal(DataSyncAction.Ineligible, t2.Action);
    }

    [Fact]
    public void A_roster_cut_in_half_holds_the_run_and_writes_nothing_unless_forced()
    {
        District(24);
        Run();
        int groupsBefore = Groups().Count;

        _roster.Users.Clear();
        _roster.Classes.Clear();
        _roster.Enrollments.Clear();
        District(11);

        var held = Run();

        Assert.Equal(SyncRunStatus.Held, held.Run.Status);
        Assert.Contains("eligible teachers fell from 24 to 11", held.Run.Message);
        Assert.Contains("classes fell from 25 to 12", held.Run.Message);
        Assert.Equal(24, SensoEmails().Count);
        Assert.Equal(groupsBefore, Groups().Count);
        using (var state = new StateStore(StatePath))
        {
            Assert.Equal(SyncRunStatus.Held, state.RunHistory.GetLast(SyncOptions.NightlyRunKind)!.Status);
            Assert.Equal(24, state.RunHistory.GetLast(SyncOptions.NightlyRunKind, SyncRunStatus.Completed)!.Figures.EligibleTeachers);
            Assert.Empty(state.GroupSyncQueue.GetJobs(GroupSyncStatus.Queued));
        }

        var forced = Run(force: true);

        Assert.Equal(SyncRunStatus.Completed, forced.Run.Status);
        Assert.True(forced.Run.Forced);
        Assert.Equal(11, Groups().Count);
    }

    [Fact]
    public void An_empty_pull_is_held_even_on_the_first_run()
    {
        _roster.Write();

        var held = Run();

        Assert.Equal(SyncRunStatus.Held, held.Run.Status);
        Assert.Contains("the roster pull is empty", held.Run.Message);
    }

    [Theory]
    [InlineData(20, 10, false)] // exactly half is not "more than half"
    [InlineData(20, 9, true)]
    [InlineData(19, 1, false)]  // too small a baseline to judge
    [InlineData(100, 49, true)]
    [InlineData(100, 300, false)]
    public void Shrink_guard_thresholds(int before, int now, bool held)
    {
        var last = new SyncRunRecord { Figures = new SyncRunFigures { EligibleTeachers = before, RosterClasses = 1000, RosterEnrollments = 1000 } };
        Assert.Equal(held, ShrinkGuard.Check(last, now, 1000, 1000).Count > 0);
        last = new SyncRunRecord { Figures = new SyncRunFigures { EligibleTeachers = 1000, RosterClasses = 1000, RosterEnrollments = before } };
        Assert.Equal(held, ShrinkGuard.Check(last, 1000, 1000, now).Count > 0);
    }

    [Fact]
    public void More_creates_than_the_brake_holds_the_run_and_creates_none()
    {
        District(3);

        var held = Run(maxCreates: 2);

        Assert.Equal(SyncRunStatus.Held, held.Run.Status);
        Assert.Contains("3 users would be created, more than import.maxCreatesPerRun (2)", held.Run.Message);
        Assert.Equal(3, held.Run.Figures.UsersToCreate);
        Assert.Empty(SensoEmails());
        Assert.Empty(Groups());
        Assert.All(held.Decisions.Where(d => d.Eligibility == SyncEligibility.Eligible), d => Assert.Equal((DataSyncAction.NotCreated, "Held"), (d.Action, d.Reason)));

        Assert.Equal(SyncRunStatus.Completed, Run(maxCreates: 2, force: true).Run.Status);
        Assert.Equal(3, SensoEmails().Count);
    }

    [Fact]
    public void WhatIf_computes_the_plan_and_writes_nothing_not_even_the_state_file()
    {
        District(2);

        var plan = Run(whatIf: true);

        Assert.True(plan.WhatIf);
        Assert.Equal(SyncRunStatus.Completed, plan.Run.Status);
        Assert.Equal(new[] { DataSyncAction.WouldCreate, DataSyncAction.WouldCreate }, plan.Decisions.Where(d => d.Eligibility == SyncEligibility.Eligible).Select(d => d.Action));
        Assert.Equal(new[] { "c0" }, plan.Decisions.Single(d => d.Email == "t0@district.org").GroupsAdded);
        Assert.Equal(GroupSyncStatus.WouldSync, plan.Decisions.Single(d => d.Email == "t0@district.org").GroupSync);
        Assert.False(File.Exists(StatePath));
        Assert.Empty(SensoEmails());
        Assert.Empty(Groups());

        Run();
        _roster.Users.Add(User("extra", "student", "extra@district.org"));
        _roster.Enrollments.Add(Enrollment("e-extra", "c1", "extra", "student"));
        _roster.Write();
        using (var state = new StateStore(StatePath))
        {
            var again = Run(whatIf: true, state: state);
            Assert.Equal(new[] { "c1" }, again.Decisions.Single(d => d.Email == "t1@district.org").GroupsUpdated);
            Assert.Single(state.RunHistory.GetRecent(10));
        }
        Assert.DoesNotContain("extra@district.org", Groups("t1@district.org").Single().Members);
    }

    [Fact]
    public void A_killed_run_is_finished_by_the_next_run_without_duplicates()
    {
        District(3);
        // What a run killed during group sync leaves: users created, one job Running, one Queued, a Running run record
        // and a lock whose lease has run out.
        foreach (string email in new[] { "t0@district.org", "t1@district.org", "t2@district.org" })
        {
            _senso.CreateUser(new NewSensoUser { Email = email, DisplayName = email, Role = "Teacher", Site = "Main" });
        }
        _senso.ReplaceUserGroups("t0@district.org", new[] { new SensoGroup { Key = "c0", Name = "Class c0", Members = new[] { "stu-c0@district.org" } } });
        var past = DateTimeOffset.UtcNow - TimeSpan.FromHours(1);
        using (var killed = new StateStore(StatePath, () => past))
        {
            _ = killed.RunLock.Acquire("killed run", TimeSpan.Zero, TimeSpan.FromMinutes(10));
            killed.RunHistory.Save(new SyncRunRecord { Kind = SyncOptions.NightlyRunKind, StartedAt = past, Status = SyncRunStatus.Running });
            killed.GroupSyncQueue.Enqueue(new[] { "t0@district.org", "t1@district.org", "t2@district.org" }, "new-user");
            killed.GroupSyncQueue.Complete("t0@district.org");
            killed.GroupSyncQueue.Claim("t1@district.org");
        }

        var next = Run();

        Assert.Equal(SyncRunStatus.Completed, next.Run.Status);
        Assert.Equal(3, SensoEmails().Count);
        Assert.Equal(new[] { "c0", "c1", "c2" }, Groups().Select(g => g.Key));
        using var state = new StateStore(StatePath);
        Assert.All(state.GroupSyncQueue.GetJobs(), j => Assert.Equal(GroupSyncStatus.Completed, j.Status));
        var runs = state.RunHistory.GetRecent(10);
        Assert.Equal(SyncRunStatus.Failed, runs.Single(r => r.RunId != next.Run.RunId).Status);
        Assert.StartsWith("Interrupted", runs.Single(r => r.RunId != next.Run.RunId).Message);
        Assert.Null(state.RunLock.GetHolder());
    }

    [Fact]
    public void A_second_concurrent_run_is_refused_at_once_and_records_nothing()
    {
        District(1);
        using var holder = new StateStore(StatePath);
        using var held = holder.RunLock.Acquire("Invoke-ClassLinkSync (scheduled)", TimeSpan.Zero, TimeSpan.FromMinutes(10));

        var error = Assert.Throws<RunInProgressException>(() => Run());

        Assert.Contains("Invoke-ClassLinkSync (scheduled)", error.Message);
        Assert.Empty(holder.RunHistory.GetRecent(10));
        Assert.Empty(SensoEmails());
    }

    [Fact]
    public void A_failed_group_sync_waits_for_its_retry_time_and_gives_up_after_the_attempt_limit()
    {
        District(1);
        Run();
        using (var state = new StateStore(StatePath))
        {
            state.GroupSyncQueue.Enqueue(new[] { "ghost@district.org" }, "manual"); // not a Senso user: the sync fails
        }

        var failing = Run();

        Assert.Equal(SyncRunStatus.CompletedWithErrors, failing.Run.Status);
        Assert.Contains(failing.Run.Errors, e => e.StartsWith("ghost@district.org: the group sync failed (NotInSenso)", StringComparison.Ordinal));

        var waiting = Run();

        Assert.Equal(SyncRunStatus.Completed, waiting.Run.Status);
        Assert.Equal((0, 1), (waiting.Run.Figures.GroupSyncsFailed, waiting.Run.Figures.GroupSyncsPending));

        // Once due, it is retried until the policy gives up; then it stays Failed and is not retried again.
        var policy = new GroupSyncRetryPolicy { MaxAttempts = 2, FirstDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero };
        var later = DateTimeOffset.UtcNow + TimeSpan.FromHours(1);
        var options = new SyncOptions { AsOf = AsOf, Retry = policy, Clock = () => later };
        using (var state = new StateStore(StatePath, () => later))
        {
            var last = Nightly(o => new CsvRosterSource(_roster.Folder, o), _senso, state, options).Result;
            Assert.Equal(1, last.Run.Figures.GroupSyncsFailed);
            Assert.Contains("Gave up after 2 attempts", last.Run.Errors.Single());
            Assert.Equal(GroupSyncStatus.Failed, state.GroupSyncQueue.GetJobs().Single(j => j.Email == "ghost@district.org").Status);
            var after = Nightly(o => new CsvRosterSource(_roster.Folder, o), _senso, state, options).Result;
            Assert.Equal((SyncRunStatus.Completed, 0), (after.Run.Status, after.Run.Figures.GroupSyncsFailed));
        }
    }

    [Fact]
    public void An_incomplete_pull_fails_the_run_before_any_write()
    {
        District(2);
        File.Delete(Path.Combine(_roster.Folder, "enrollments.csv"));

        var failed = Run();

        Assert.Equal(SyncRunStatus.Failed, failed.Run.Status);
        Assert.StartsWith("The roster pull was incomplete", failed.Run.Message);
        Assert.Empty(SensoEmails());
        using var state = new StateStore(StatePath);
        Assert.Equal(SyncRunStatus.Failed, state.RunHistory.Get(failed.Run.RunId)!.Status);
        Assert.Empty(state.GroupSyncQueue.GetJobs());
    }

    [Fact]
    public void A_file_that_cannot_be_read_to_its_end_fails_the_run_before_any_write()
    {
        District(3);
        Run();
        // A malformed quote in the middle of enrollments.csv hides every row after it.
        string path = Path.Combine(_roster.Folder, "enrollments.csv");
        var lines = File.ReadAllLines(path).ToList();
        lines.Insert(2, "e-bad,,,c0,sch-1,\"t0\"x,teacher,,,");
        File.WriteAllLines(path, lines);
        var groupsBefore = Groups().Select(g => g.Key).ToList();

        var failed = Run();

        Assert.Equal(SyncRunStatus.Failed, failed.Run.Status);
        Assert.Contains("rest of the file could not be read", failed.Run.Message);
        Assert.Contains("enrollments.csv line 3", failed.Run.Message);
        Assert.Equal(groupsBefore, Groups().Select(g => g.Key));
    }

    [Fact]
    public void Automatic_creation_off_creates_nobody_and_says_why()
    {
        District(2);
        _senso.SaveSettingsAsync(new IntegrationSettings { AutomaticallyCreateUsers = false }, default).Wait();

        var result = Run();

        Assert.Equal(SyncRunStatus.Completed, result.Run.Status);
        Assert.Empty(SensoEmails());
        Assert.All(result.Decisions.Where(d => d.Eligibility == SyncEligibility.Eligible), d => Assert.Equal((DataSyncAction.NotCreated, "AutomaticCreationOff"), (d.Action, d.Reason)));
    }

    [Fact]
    public void The_run_record_round_trips_the_new_figures()
    {
        District(2);
        var result = Run();
        using var state = new StateStore(StatePath);
        var saved = state.RunHistory.Get(result.Run.RunId)!;
        Assert.Equal((2, 3, 2, 2, 2), (saved.Figures.RosterSchools, saved.Figures.RosterTeachers, saved.Figures.UsersToCreate, saved.Figures.UsersCreated, saved.Figures.GroupSyncsQueued));
        Assert.Equal(result.Run.Figures.RosterStudents, saved.Figures.RosterStudents);
        Assert.Equal(2, saved.Figures.TeachersByReason["Eligible"]);
        Assert.NotNull(saved.EndedAt);
    }

    public void Dispose()
    {
        _senso.Dispose();
        _roster.Dispose();
        _temp.Dispose();
    }
}
