using SensoClassLink.Core.Sync;
using System.Diagnostics;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Tests.State;

public sealed class StateStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private DateTimeOffset _now = new(2025, 1, 6, 2, 0, 0, TimeSpan.Zero);

    private StateStore Open() => new(_temp.File("state.db"), () => _now);

    [Fact]
    public void Run_lock_makes_a_second_run_wait_then_fail_naming_the_holder()
    {
        using var store = Open();
        using var held = store.AcquireRunLock("Import-SensoUser (scheduled)", TimeSpan.Zero, TimeSpan.FromMinutes(30));

        using var other = Open();
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<RunInProgressException>(() => other.AcquireRunLock("Import-SensoUser (console)", TimeSpan.FromMilliseconds(400), TimeSpan.FromMinutes(30)));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(350), "the second run waits briefly before giving up");
        Assert.StartsWith("Another run is in progress since", error.Message);
        Assert.Contains("Import-SensoUser (scheduled)", error.Message);
        Assert.Equal(Environment.ProcessId, error.Holder.ProcessId);
    }

    [Fact]
    public void Run_lock_is_free_again_after_release_and_a_waiter_gets_it()
    {
        using var store = Open();
        var first = store.AcquireRunLock("first", TimeSpan.Zero, TimeSpan.FromMinutes(30));
        var waiter = Task.Run(() => Open().AcquireRunLock("second", TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(30)));
        Thread.Sleep(300);
        Assert.False(waiter.IsCompleted);
        first.Dispose();
        using var second = waiter.Result;
        Assert.Equal("second", store.GetRunLockHolder()!.Owner);
    }

    [Fact]
    public void A_lock_left_by_a_killed_run_expires()
    {
        using var store = Open();
        _ = store.AcquireRunLock("killed run", TimeSpan.Zero, TimeSpan.FromMinutes(10)); // never released
        _now += TimeSpan.FromMinutes(11);
        Assert.Null(store.GetRunLockHolder());
        using var next = store.AcquireRunLock("next run", TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Assert.Equal("next run", store.GetRunLockHolder()!.Owner);
    }

    [Fact]
    public void Renewing_a_lock_taken_over_after_expiry_fails()
    {
        using var store = Open();
        var stale = store.AcquireRunLock("slow run", TimeSpan.Zero, TimeSpan.FromMinutes(1));
        _now += TimeSpan.FromMinutes(2);
        using var taker = store.AcquireRunLock("next run", TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Assert.Throws<InvalidOperationException>(() => stale.Renew());
        stale.Dispose(); // must not release the new holder's lock
        Assert.Equal("next run", store.GetRunLockHolder()!.Owner);
    }

    [Fact]
    public void Group_sync_queue_has_one_job_per_user_and_requeues_finished_jobs()
    {
        using var store = Open();
        Assert.Equal(2, store.EnqueueGroupSyncs(new[] { "A@d.org", "b@d.org" }, "import"));
        Assert.Equal(0, store.EnqueueGroupSyncs(new[] { "a@D.org" }, "manual"));

        var job = store.ClaimNextGroupSync()!;
        Assert.Equal("a@d.org", job.Email);
        Assert.Equal(GroupSyncStatus.Running, job.Status);
        Assert.Equal(1, job.Attempts);
        store.CompleteGroupSync("a@d.org");
        Assert.Equal(GroupSyncStatus.Completed, store.GetGroupSyncJobs().Single(j => j.Email == "a@d.org").Status);

        Assert.Equal(1, store.EnqueueGroupSyncs(new[] { "a@d.org" }, "roster-change"));
        var requeued = store.GetGroupSyncJobs(GroupSyncStatus.Queued).Single(j => j.Email == "a@d.org");
        Assert.Equal(0, requeued.Attempts);
        Assert.Equal("roster-change", requeued.Reason);
    }

    [Fact]
    public void Failed_attempts_back_off_with_a_growing_delay_then_fail_at_the_limit()
    {
        using var store = Open();
        var policy = new GroupSyncRetryPolicy { MaxAttempts = 3, FirstDelay = TimeSpan.FromMinutes(5), MaxDelay = TimeSpan.FromHours(1) };
        store.EnqueueGroupSyncs(new[] { "t@d.org" }, "import");

        store.ClaimNextGroupSync();
        var afterFirst = store.FailGroupSync("t@d.org", "HTTP 503", policy);
        Assert.Equal(GroupSyncStatus.Queued, afterFirst.Status);
        Assert.Equal(_now + TimeSpan.FromMinutes(5), afterFirst.NextAttemptAt);
        Assert.Null(store.ClaimNextGroupSync()); // not due yet

        _now += TimeSpan.FromMinutes(5);
        store.ClaimNextGroupSync();
        Assert.Equal(_now + TimeSpan.FromMinutes(10), store.FailGroupSync("t@d.org", "HTTP 503", policy).NextAttemptAt);

        _now += TimeSpan.FromMinutes(10);
        Assert.Equal(3, store.ClaimNextGroupSync()!.Attempts);
        var failed = store.FailGroupSync("t@d.org", "HTTP 500: boom", policy);
        Assert.Equal(GroupSyncStatus.Failed, failed.Status);
        Assert.Equal("HTTP 500: boom", failed.LastError);
        Assert.Null(store.ClaimNextGroupSync());
    }

    [Fact]
    public void Jobs_left_running_by_a_killed_run_are_requeued()
    {
        using var store = Open();
        store.EnqueueGroupSyncs(new[] { "a@d.org", "b@d.org" }, "import");
        store.ClaimNextGroupSync();
        Assert.Equal(1, store.RequeueInterruptedGroupSyncs());
        Assert.All(store.GetGroupSyncJobs(), j => Assert.Equal(GroupSyncStatus.Queued, j.Status));
    }

    [Fact]
    public void Runs_are_saved_at_start_and_end_and_listed_newest_first()
    {
        using var store = Open();
        var older = new SyncRunRecord { Kind = "import", StartedAt = _now.AddDays(-1), EndedAt = _now.AddDays(-1).AddMinutes(3), Status = SyncRunStatus.Completed, UsersCreated = 4 };
        store.SaveRun(older);
        var run = new SyncRunRecord { Kind = "import", StartedAt = _now };
        store.SaveRun(run);
        Assert.Equal(SyncRunStatus.Running, store.GetRun(run.RunId)!.Status);

        store.SaveRun(new SyncRunRecord
        {
            RunId = run.RunId, Kind = "import", StartedAt = _now, EndedAt = _now.AddMinutes(2), Status = SyncRunStatus.CompletedWithErrors,
            RosterUsers = 100, RosterClasses = 10, RosterEnrollments = 900, EligibleTeachers = 7, UsersCreated = 5, UsersExisting = 2,
            GroupSyncsCompleted = 6, GroupSyncsFailed = 1, Errors = new[] { "b@d.org: HTTP 500" }, Message = "1 error",
        });
        var saved = store.GetRun(run.RunId)!;
        Assert.Equal(SyncRunStatus.CompletedWithErrors, saved.Status);
        Assert.Equal(900, saved.RosterEnrollments);
        Assert.Equal(new[] { "b@d.org: HTTP 500" }, saved.Errors);
        Assert.Equal(_now.AddMinutes(2), saved.EndedAt);

        Assert.Equal(new[] { run.RunId, older.RunId }, store.GetRecentRuns(10).Select(r => r.RunId));
        Assert.Equal(older.RunId, store.GetLastRun("import", SyncRunStatus.Completed)!.RunId);
        Assert.Null(store.GetLastRun("group-sync"));
    }

    [Fact]
    public void Fingerprints_are_set_per_teacher_or_replaced_whole()
    {
        using var store = Open();
        store.SetGroupFingerprints(new Dictionary<string, string> { ["A@d.org"] = "f1", ["b@d.org"] = "f2" });
        store.SetGroupFingerprints(new Dictionary<string, string> { ["a@d.org"] = "f3" });
        Assert.Equal(new Dictionary<string, string> { ["a@d.org"] = "f3", ["b@d.org"] = "f2" }, store.GetGroupFingerprints());
        store.ReplaceAllGroupFingerprints(new Dictionary<string, string> { ["c@d.org"] = "f9" });
        Assert.Equal(new Dictionary<string, string> { ["c@d.org"] = "f9" }, store.GetGroupFingerprints());
    }

    [Fact]
    public void Journal_batches_are_appended_whole_and_read_back_in_order()
    {
        using var store = Open();
        store.AppendImportJournal(new[]
        {
            new ImportJournalEntry { RunId = "r1", Email = "A@d.org", Status = "Created", UserId = "u1" },
            new ImportJournalEntry { RunId = "r1", Email = "b@d.org", Status = "Skipped", Reason = "NoStudents" },
        });
        store.AppendImportJournal(new[] { new ImportJournalEntry { RunId = "r2", Email = "a@d.org", Status = "Exists", UserId = "u1" } });

        Assert.Equal(new[] { "Created", "Skipped" }, store.ReadImportJournal("r1").Select(e => e.Status));
        Assert.Equal(new[] { "r1", "r2" }, store.ReadImportJournal(email: "A@D.org").Select(e => e.RunId));
        Assert.Equal(_now, store.ReadImportJournal("r2").Single().Time);

        // A batch that fails half-way leaves nothing of itself behind.
        Assert.ThrowsAny<Exception>(() => store.AppendImportJournal(Failing()));
        Assert.Empty(store.ReadImportJournal("r3"));

        static IEnumerable<ImportJournalEntry> Failing()
        {
            yield return new ImportJournalEntry { RunId = "r3", Email = "x@d.org", Status = "Created" };
            throw new IOException("disk gone");
        }
    }

    [Fact]
    public void State_file_is_owner_only_on_unix()
    {
        using var store = Open();
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
        }
    }

    public void Dispose() => _temp.Dispose();
}
