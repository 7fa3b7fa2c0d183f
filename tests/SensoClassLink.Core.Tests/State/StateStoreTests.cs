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
        using var held = store.RunLock.Acquire("Import-SensoUser (scheduled)", TimeSpan.Zero, TimeSpan.FromMinutes(30));

        using var other = Open();
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<RunInProgressException>(() => other.RunLock.Acquire("Import-SensoUser (console)", TimeSpan.FromMilliseconds(400), TimeSpan.FromMinutes(30)));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(350), "the second run waits briefly before giving up");
        Assert.StartsWith("Another run is in progress since", error.Message);
        Assert.Contains("Import-SensoUser (scheduled)", error.Message);
        Assert.Equal(Environment.ProcessId, error.Holder.ProcessId);
    }

    [Fact]
    public void Run_lock_is_free_again_after_release_and_a_waiter_gets_it()
    {
        using var store = Open();
        var first = store.RunLock.Acquire("first", TimeSpan.Zero, TimeSpan.FromMinutes(30));
        var waiter = Task.Run(() => Open().RunLock.Acquire("second", TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(30)));
        Thread.Sleep(300);
        Assert.False(waiter.IsCompleted);
        first.Dispose();
        using var second = waiter.Result;
        Assert.Equal("second", store.RunLock.GetHolder()!.Owner);
    }

    [Fact]
    public void A_lock_left_by_a_killed_run_expires()
    {
        using var store = Open();
        _ = store.RunLock.Acquire("killed run", TimeSpan.Zero, TimeSpan.FromMinutes(10)); // never released
        _now += TimeSpan.FromMinutes(11);
        Assert.Null(store.RunLock.GetHolder());
        using var next = store.RunLock.Acquire("next run", TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Assert.Equal("next run", store.RunLock.GetHolder()!.Owner);
    }

    [Fact]
    public void Renewing_a_lock_taken_over_after_expiry_fails()
    {
        using var store = Open();
        var stale = store.RunLock.Acquire("slow run", TimeSpan.Zero, TimeSpan.FromMinutes(1));
        _now += TimeSpan.FromMinutes(2);
        using var taker = store.RunLock.Acquire("next run", TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Assert.Throws<InvalidOperationException>(() => stale.Renew());
        stale.Dispose(); // must not release the new holder's lock
        Assert.Equal("next run", store.RunLock.GetHolder()!.Owner);
    }

    [Fact]
    public void Group_sync_queue_has_one_job_per_user_and_requeues_finished_jobs()
    {
        using var store = Open();
        Assert.Equal(2, store.GroupSyncQueue.Enqueue(new[] { "A@d.org", "b@d.org" }, "import"));
        Assert.Equal(0, store.GroupSyncQueue.Enqueue(new[] { "a@D.org" }, "manual"));

        var job = store.GroupSyncQueue.ClaimNext()!;
        Assert.Equal("a@d.org", job.Email);
        Assert.Equal(GroupSyncStatus.Running, job.Status);
        Assert.Equal(1, job.Attempts);
        store.GroupSyncQueue.Complete("a@d.org");
        Assert.Equal(GroupSyncStatus.Completed, store.GroupSyncQueue.GetJobs().Single(j => j.Email == "a@d.org").Status);

        Assert.Equal(1, store.GroupSyncQueue.Enqueue(new[] { "a@d.org" }, "roster-change"));
        var requeued = store.GroupSyncQueue.GetJobs(GroupSyncStatus.Queued).Single(j => j.Email == "a@d.org");
        Assert.Equal(0, requeued.Attempts);
        Assert.Equal("roster-change", requeued.Reason);
    }

    [Fact]
    public void Failed_attempts_back_off_with_a_growing_delay_then_fail_at_the_limit()
    {
        using var store = Open();
        var policy = new GroupSyncRetryPolicy { MaxAttempts = 3, FirstDelay = TimeSpan.FromMinutes(5), MaxDelay = TimeSpan.FromHours(1) };
        store.GroupSyncQueue.Enqueue(new[] { "t@d.org" }, "import");

        store.GroupSyncQueue.ClaimNext();
        var afterFirst = store.GroupSyncQueue.Fail("t@d.org", "HTTP 503", policy);
        Assert.Equal(GroupSyncStatus.Queued, afterFirst.Status);
        Assert.Equal(_now + TimeSpan.FromMinutes(5), afterFirst.NextAttemptAt);
        Assert.Null(store.GroupSyncQueue.ClaimNext()); // not due yet

        _now += TimeSpan.FromMinutes(5);
        store.GroupSyncQueue.ClaimNext();
        Assert.Equal(_now + TimeSpan.FromMinutes(10), store.GroupSyncQueue.Fail("t@d.org", "HTTP 503", policy).NextAttemptAt);

        _now += TimeSpan.FromMinutes(10);
        Assert.Equal(3, store.GroupSyncQueue.ClaimNext()!.Attempts);
        var failed = store.GroupSyncQueue.Fail("t@d.org", "HTTP 500: boom", policy);
        Assert.Equal(GroupSyncStatus.Failed, failed.Status);
        Assert.Equal("HTTP 500: boom", failed.LastError);
        Assert.Null(store.GroupSyncQueue.ClaimNext());
    }

    [Fact]
    public void Jobs_left_running_by_a_killed_run_are_requeued()
    {
        using var store = Open();
        store.GroupSyncQueue.Enqueue(new[] { "a@d.org", "b@d.org" }, "import");
        store.GroupSyncQueue.ClaimNext();
        Assert.Equal(1, store.GroupSyncQueue.RequeueInterrupted());
        Assert.All(store.GroupSyncQueue.GetJobs(), j => Assert.Equal(GroupSyncStatus.Queued, j.Status));
    }

    [Fact]
    public void Runs_are_saved_at_start_and_end_and_listed_newest_first()
    {
        using var store = Open();
        var older = new SyncRunRecord { Kind = "import", StartedAt = _now.AddDays(-1), EndedAt = _now.AddDays(-1).AddMinutes(3), Status = SyncRunStatus.Completed, Figures = new SyncRunFigures { UsersCreated = 4 } };
        store.RunHistory.Save(older);
        var run = new SyncRunRecord { Kind = "import", StartedAt = _now };
        store.RunHistory.Save(run);
        Assert.Equal(SyncRunStatus.Running, store.RunHistory.Get(run.RunId)!.Status);

        store.RunHistory.Save(new SyncRunRecord
        {
            RunId = run.RunId, Kind = "import", StartedAt = _now, EndedAt = _now.AddMinutes(2), Status = SyncRunStatus.CompletedWithErrors,
            Figures = new SyncRunFigures
            {
                RosterUsers = 100, RosterClasses = 10, RosterEnrollments = 900, EligibleTeachers = 7, UsersCreated = 5, UsersExisting = 2,
                GroupSyncsCompleted = 6, GroupSyncsFailed = 1,
            },
            Errors = new[] { "b@d.org: HTTP 500" }, Message = "1 error",
        });
        var saved = store.RunHistory.Get(run.RunId)!;
        Assert.Equal(SyncRunStatus.CompletedWithErrors, saved.Status);
        Assert.Equal(900, saved.Figures.RosterEnrollments);
        Assert.Equal(new[] { "b@d.org: HTTP 500" }, saved.Errors);
        Assert.Equal(_now.AddMinutes(2), saved.EndedAt);

        Assert.Equal(new[] { run.RunId, older.RunId }, store.RunHistory.GetRecent(10).Select(r => r.RunId));
        Assert.Equal(older.RunId, store.RunHistory.GetLast("import", SyncRunStatus.Completed)!.RunId);
        Assert.Null(store.RunHistory.GetLast("group-sync"));
    }

    [Fact]
    public void Fingerprints_are_set_per_teacher_or_replaced_whole()
    {
        using var store = Open();
        store.Fingerprints.Set(new Dictionary<string, string> { ["A@d.org"] = "f1", ["b@d.org"] = "f2" });
        store.Fingerprints.Set(new Dictionary<string, string> { ["a@d.org"] = "f3" });
        Assert.Equal(new Dictionary<string, string> { ["a@d.org"] = "f3", ["b@d.org"] = "f2" }, store.Fingerprints.GetAll());
        store.Fingerprints.ReplaceAll(new Dictionary<string, string> { ["c@d.org"] = "f9" });
        Assert.Equal(new Dictionary<string, string> { ["c@d.org"] = "f9" }, store.Fingerprints.GetAll());
    }

    [Fact]
    public void Journal_batches_are_appended_whole_and_read_back_in_order()
    {
        using var store = Open();
        store.ImportJournal.Append(new[]
        {
            new ImportJournalEntry { RunId = "r1", Email = "A@d.org", Status = "Created", UserId = "u1" },
            new ImportJournalEntry { RunId = "r1", Email = "b@d.org", Status = "Skipped", Reason = "NoStudents" },
        });
        store.ImportJournal.Append(new[] { new ImportJournalEntry { RunId = "r2", Email = "a@d.org", Status = "Exists", UserId = "u1" } });

        Assert.Equal(new[] { "Created", "Skipped" }, store.ImportJournal.Read("r1").Select(e => e.Status));
        Assert.Equal(new[] { "r1", "r2" }, store.ImportJournal.Read(email: "A@D.org").Select(e => e.RunId));
        Assert.Equal(_now, store.ImportJournal.Read("r2").Single().Time);

        // A batch that fails half-way leaves nothing of itself behind.
        Assert.ThrowsAny<Exception>(() => store.ImportJournal.Append(Failing()));
        Assert.Empty(store.ImportJournal.Read("r3"));

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

/// <summary>Job states and run statuses reach SQL only as parameters from their enums, never as literals in the SQL text.</summary>
public sealed class StateSqlTests
{
    [Fact]
    public void No_state_store_sql_spells_a_job_state_or_run_status()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "../../../../../src/SensoClassLink.Core/State");
        var files = Directory.GetFiles(folder, "*.cs");
        Assert.Contains(files, f => Path.GetFileName(f) == "GroupSyncQueue.cs");
        var names = Enum.GetNames<GroupSyncStatus>().Concat(Enum.GetNames<SyncRunStatus>()).Distinct();
        var literals = from file in files
                       let text = File.ReadAllText(file)
                       from name in names
                       where text.Contains("'" + name + "'", StringComparison.OrdinalIgnoreCase)
                       select $"{Path.GetFileName(file)}: '{name}'";
        Assert.Empty(literals);
    }
}
