using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;
using SensoClassLink.Core.Tests.OneRoster;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RosterFixture;
using static SensoClassLink.Core.Tests.Sync.TestPipelines;

namespace SensoClassLink.Core.Tests.Sync;

/// <summary>
/// The one sync pipeline as each command runs it: the roster read once per run, one rule for an incomplete roster,
/// and the stages on their own.
/// </summary>
public sealed class SyncPipelineTests : IDisposable
{
    private static readonly DateTime AsOf = new(2025, 3, 10);
    private static readonly string[] RosterFiles = { "orgs.csv", "users.csv", "classes.csv", "enrollments.csv" };
    private readonly TempDirectory _temp = new();
    private readonly RosterFixture _roster = new();
    private readonly LocalTenantProvider _senso;

    public SyncPipelineTests()
    {
        _senso = new LocalTenantProvider(_temp.File("tenant.db"), new[] { "Teacher" }, new[] { "Main" });
        _senso.SaveSettingsAsync(new IntegrationSettings { AutomaticallyCreateUsers = true, DefaultRole = "Teacher", DefaultSite = "Main" }, default).Wait();
        for (int i = 0; i < 3; i++)
        {
            _roster.WithTeacherAndStudent("t" + i, $"t{i}@district.org", "c" + i);
        }
        _roster.Write();
    }

    public void Dispose()
    {
        _senso.Dispose();
        _roster.Dispose();
        _temp.Dispose();
    }

    private Dictionary<string, int> Opens() => RosterFiles.ToDictionary(f => f, f => CsvFileOpens.Count(Path.Combine(Path.GetFullPath(_roster.Folder), f)));

    /// <summary>How many times each file was opened while <paramref name="work"/> ran.</summary>
    private Dictionary<string, int> OpensDuring(Action work)
    {
        var before = Opens();
        work();
        return Opens().ToDictionary(p => p.Key, p => p.Value - before[p.Key]);
    }

    private static Dictionary<string, int> Once() => RosterFiles.ToDictionary(f => f, _ => 1);

    private SyncPipeline Pipeline(StateStore? state, SyncOptions? options = null, Func<RosterReadObserver, IRosterSource>? open = null) =>
        new(open ?? (o => new CsvRosterSource(_roster.Folder, o)), _senso, state, options ?? new SyncOptions { AsOf = AsOf });

    [Fact]
    public void A_first_nightly_run_with_creates_and_group_syncs_and_a_run_with_nothing_to_do_each_open_every_csv_file_once()
    {
        using var state = new StateStore(_temp.File("state.db"));
        DataSyncResult? first = null, second = null;

        // Before the single pass a first run opened users.csv and classes.csv 3 times and enrollments.csv 4 times; a run
        // with nothing to do opened each twice (eligibility, fingerprints, group plans each read the roster).
        Assert.Equal(Once(), OpensDuring(() => first = Nightly(o => new CsvRosterSource(_roster.Folder, o), _senso, state, new SyncOptions { AsOf = AsOf }).Result));
        Assert.Equal(Once(), OpensDuring(() => second = Nightly(o => new CsvRosterSource(_roster.Folder, o), _senso, state, new SyncOptions { AsOf = AsOf }).Result));

        Assert.Equal((SyncRunStatus.Completed, 3, 3), (first!.Run.Status, first.Run.Figures.UsersCreated, first.Run.Figures.GroupSyncsCompleted));
        Assert.Equal((SyncRunStatus.Completed, 0, 0), (second!.Run.Status, second.Run.Figures.UsersCreated, second.Run.Figures.GroupSyncsCompleted));
    }

    [Fact]
    public void Through_any_source_a_nightly_run_reads_each_collection_once()
    {
        using var state = new StateStore(_temp.File("state.db"));
        var counting = new List<CountingSource>();
        var result = Nightly(o =>
        {
            var source = new CountingSource(new CsvRosterSource(_roster.Folder, o));
            counting.Add(source);
            return source;
        }, _senso, state, new SyncOptions { AsOf = AsOf }).Result;

        Assert.Equal(3, result.Run.Figures.GroupSyncsCompleted);
        var source = Assert.Single(counting);
        Assert.Equal((1, 1, 1, 1), (source.Orgs, source.Users, source.Classes, source.Enrollments));
    }

    [Fact]
    public void Import_and_group_sync_scopes_open_every_csv_file_once()
    {
        using var state = new StateStore(_temp.File("state.db"));
        SyncResult? import = null, users = null;

        Assert.Equal(Once(), OpensDuring(() => import = Pipeline(state).RunAsync(SyncScope.Import(new[] { new ImportRequest { Email = "t1@district.org" } }), default).Result));
        Assert.Equal(Once(), OpensDuring(() => users = Pipeline(state).RunAsync(SyncScope.Users(new[] { "t1@district.org" }, namedTeachersOnly: true), default).Result));

        var decision = Assert.Single(import!.Imports);
        Assert.Equal((ImportStatus.Created, GroupSyncStatus.Completed), (decision.Status, decision.GroupSync));
        Assert.Equal(GroupSyncStatus.Completed, Assert.Single(users!.GroupSyncs).Status);
        Assert.Equal(new[] { "c1" }, _senso.GetGroupsAsync("t1@district.org", default).Result.Select(g => g.Key));
    }

    [Fact]
    public void A_reading_handed_over_by_the_upstream_command_is_used_without_reading_again()
    {
        using var state = new StateStore(_temp.File("state.db"));
        var reading = new RosterReader(o => new CsvRosterSource(_roster.Folder, o)).Read(AsOf, withGroups: true, null, default);
        var pipeline = Pipeline(state);
        pipeline.UseReading(reading);
        SyncResult? result = null;

        Assert.All(OpensDuring(() => result = pipeline.RunAsync(SyncScope.Import(new[] { new ImportRequest { Email = "t2@district.org" } }), default).Result),
            p => Assert.Equal(0, p.Value));
        Assert.Equal(GroupSyncStatus.Completed, Assert.Single(result!.Imports).GroupSync);
        Assert.Throws<ArgumentException>(() => Pipeline(state, new SyncOptions { AsOf = AsOf.AddDays(1) }).UseReading(reading));
    }

    /// <summary>An unclosed quote half-way through enrollments.csv: the rest of the file is unread.</summary>
    private void Truncate()
    {
        _roster.Enrollments.Insert(2, "e-broken,,,\"c1,s1,stu-c1,student,,");
        _roster.Write();
    }

    [Fact]
    public void An_incomplete_roster_writes_nothing_in_every_command_and_queued_jobs_stay_queued()
    {
        using var state = new StateStore(_temp.File("state.db"));
        state.GroupSyncQueue.Enqueue(new[] { "t0@district.org" }, "import");
        Truncate();

        var import = Assert.Throws<AggregateException>(() =>
            Pipeline(state).RunAsync(SyncScope.Import(new[] { new ImportRequest { Email = "t0@district.org" } }), default).Result).InnerException;
        var users = Assert.Throws<AggregateException>(() =>
            Pipeline(state).RunAsync(SyncScope.Users(new[] { "t0@district.org" }), default).Result).InnerException;
        var nightly = Nightly(o => new CsvRosterSource(_roster.Folder, o), _senso, state, new SyncOptions { AsOf = AsOf }).Result;

        // One rule, one error: the same exception (and so the same error id and message) from every scope.
        var first = Assert.IsType<RosterIncompleteException>(import);
        Assert.Equal(first.Message, Assert.IsType<RosterIncompleteException>(users).Message);
        Assert.Equal(SyncRunStatus.Failed, nightly.Run.Status);
        Assert.Equal(first.Message, nightly.RosterIncomplete!.Message);
        Assert.Equal(first.Message, nightly.Run.Message);
        Assert.Contains("enrollments.csv line 4", first.Message);
        // Nothing written: no account, the job still queued as it was, no fingerprints, no journal.
        Assert.Empty(_senso.SearchUsersAsync(null, 100, 0, default).Result.Users);
        var job = Assert.Single(state.GroupSyncQueue.GetJobs());
        Assert.Equal((GroupSyncStatus.Queued, 0, "import"), (job.Status, job.Attempts, job.Reason));
        Assert.Empty(state.Fingerprints.GetAll());
        Assert.Empty(state.ImportJournal.Read());
    }

    [Fact]
    public void Queueing_alone_needs_no_roster_so_it_works_on_an_incomplete_one()
    {
        using var state = new StateStore(_temp.File("state.db"));
        Truncate();

        var result = Pipeline(state, new SyncOptions { AsOf = AsOf, QueueOnly = true }).RunAsync(SyncScope.Users(new[] { "T0@district.org" }), default).Result;

        Assert.Equal(GroupSyncStatus.Queued, Assert.Single(result.GroupSyncs).Status);
        Assert.Equal("manual", Assert.Single(state.GroupSyncQueue.GetJobs()).Reason);
    }

    // ---------------------------------------------------------------- stages on their own

    [Fact]
    public void The_read_stage_reports_a_truncation_and_counts_each_warning_once()
    {
        Truncate();
        var warnings = new List<DataQualityWarning>();

        var reading = new RosterReader(o => new CsvRosterSource(_roster.Folder, o), new DataSyncObserver { Warning = warnings.Add })
            .Read(AsOf, withGroups: true, null, default);

        Assert.False(reading.Complete);
        Assert.Equal(warnings.Count, reading.DataQualityWarnings);
        Assert.Single(warnings, w => w.RestOfFileUnread);
        Assert.Throws<RosterIncompleteException>(() => SyncGuards.RequireComplete(reading));
    }

    [Fact]
    public void The_plan_stage_picks_changed_users_due_jobs_and_waiting_users_without_any_io()
    {
        var reading = new RosterReader(o => new CsvRosterSource(_roster.Folder, o)).Read(AsOf, withGroups: true, null, default);
        var fingerprints = reading.GroupFingerprints();
        var now = new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);
        SensoUser Senso(string email, string source = "classlink") => new() { Id = email, Email = email, Source = source };
        var senso = new[] { Senso("t0@district.org"), Senso("t1@district.org"), Senso("gone@district.org"), Senso("hand@district.org", "manual") }
            .ToDictionary(u => u.Email);
        var stored = new Dictionary<string, string>
        {
            ["t0@district.org"] = fingerprints["t0@district.org"],   // unchanged
            ["t1@district.org"] = "stale",                            // changed, but its job waits for a retry
            ["gone@district.org"] = "old",                            // vanished from the roster: changed
        };
        var jobs = new[]
        {
            new GroupSyncJob { Email = "t1@district.org", Status = GroupSyncStatus.Queued, NextAttemptAt = now.AddHours(1) },
            new GroupSyncJob { Email = "due@district.org", Status = GroupSyncStatus.Queued, NextAttemptAt = now.AddHours(-1) },
        };

        var plan = SyncPlanner.PlanNightly(reading, senso, stored, jobs, now);

        Assert.Equal(new[] { "t1@district.org:roster-change", "gone@district.org:roster-change", "due@district.org:" },
            plan.GroupSyncs.Select(g => g.Email + ":" + g.Reason));
        Assert.Equal(new[] { "t1@district.org" }, plan.Waiting);
        Assert.Equal(new[] { "t2@district.org" }, plan.Missing.Select(t => t.Email));
        Assert.Equal(DataSyncAction.NotInRoster, plan.Decisions.Single(d => d.Email == "gone@district.org").Action);
        Assert.DoesNotContain(plan.Decisions, d => d.Email == "hand@district.org");
    }

    [Fact]
    public void The_guards_hold_a_shrunken_roster_and_too_many_creates()
    {
        var last = new SyncRunRecord { Figures = new SyncRunFigures { EligibleTeachers = 1000, RosterClasses = 3000, RosterEnrollments = 90000 }, Status = SyncRunStatus.Completed };
        var shrunk = new RosterStatistics { EligibleTeachers = 100, Classes = 3000, Enrollments = 90000 };

        Assert.NotEmpty(SyncGuards.Shrink(last, shrunk));
        Assert.Empty(SyncGuards.Shrink(last, new RosterStatistics { EligibleTeachers = 990, Classes = 3000, Enrollments = 90000 }));
        Assert.True(SyncGuards.BrakeHolds(501, new SyncOptions()));
        Assert.False(SyncGuards.BrakeHolds(500, new SyncOptions()));
    }

    [Fact]
    public void The_record_stage_journals_in_order_and_writes_nothing_under_what_if()
    {
        using var state = new StateStore(_temp.File("state.db"));
        var recorder = new SyncRecorder(state, "run-1");
        var silent = new SyncRecorder(null, "run-2");
        foreach (string email in new[] { "b@d.org", "a@d.org" })
        {
            var decision = new ImportDecision { Email = email, Status = ImportStatus.Created, Reason = "Eligible" };
            recorder.Journal(decision);
            silent.Journal(decision);
        }
        Assert.Empty(state.ImportJournal.Read());

        recorder.Flush();
        silent.Flush();

        Assert.Equal(new[] { "b@d.org", "a@d.org" }, state.ImportJournal.Read().Select(e => e.Email));
        Assert.All(state.ImportJournal.Read(), e => Assert.Equal("run-1", e.RunId));
    }

    [Fact]
    public void The_handoff_serves_only_the_same_roster_and_date_while_offered()
    {
        var reading = new RosterReader(o => new CsvRosterSource(_roster.Folder, o)).Read(AsOf, withGroups: false, null, default);
        var handoff = new RosterHandoff();
        string key = RosterHandoff.KeyOf("csv", _roster.Folder, AsOf);
        handoff.Offer(key, reading);

        Assert.Same(reading, handoff.Take(key, needGroups: false));
        Assert.Null(handoff.Take(key, needGroups: true));
        Assert.Null(handoff.Take(RosterHandoff.KeyOf("csv", _roster.Folder, AsOf.AddDays(1)), needGroups: false));
        _roster.Users.Add(User("late", "teacher", "late@district.org"));
        _roster.Write();
        Assert.Null(handoff.Take(RosterHandoff.KeyOf("csv", _roster.Folder, AsOf), needGroups: false));

        handoff.Withdraw(reading);
        Assert.Null(handoff.Take(key, needGroups: false));
    }

    /// <summary>A decorator that counts the passes over each collection (and, wrapping a CSV source, loses its fast path).</summary>
    private sealed class CountingSource : IRosterSource
    {
        private readonly IRosterSource _inner;

        public CountingSource(IRosterSource inner) => _inner = inner;

        public int Orgs, Users, Classes, Enrollments;

        public string Description => _inner.Description;

        public IEnumerable<RosterOrg> ReadOrgs(CancellationToken cancellationToken)
        {
            Orgs++;
            return _inner.ReadOrgs(cancellationToken);
        }

        public IEnumerable<RosterUser> ReadUsers(CancellationToken cancellationToken)
        {
            Users++;
            return _inner.ReadUsers(cancellationToken);
        }

        public IEnumerable<RosterClass> ReadClasses(CancellationToken cancellationToken)
        {
            Classes++;
            return _inner.ReadClasses(cancellationToken);
        }

        public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken cancellationToken)
        {
            Enrollments++;
            return _inner.ReadEnrollments(cancellationToken);
        }

        public void Dispose() => _inner.Dispose();
    }
}
