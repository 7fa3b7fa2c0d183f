using SensoClassLink.Core.Eligibility;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Sqlite;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Core.State;

/// <summary>
/// The module's own state in one SQLite file (<c>state.path</c>), with the same durability rules as the local tenant
/// (WAL, one IMMEDIATE transaction per change, owner-only file, schema versioned):
/// <list type="bullet">
/// <item>the run lock: <see cref="AcquireRunLock"/> serializes runs across processes; a killed run's lock expires;</item>
/// <item>the group-sync queue, one job per teacher: <see cref="EnqueueGroupSyncs"/>, <see cref="ClaimNextGroupSync"/>,
/// <see cref="CompleteGroupSync"/>, <see cref="FailGroupSync"/>, <see cref="RequeueInterruptedGroupSyncs"/>, <see cref="GetGroupSyncJobs"/>;</item>
/// <item>run history: <see cref="SaveRun"/>, <see cref="GetRun"/>, <see cref="GetRecentRuns"/>, <see cref="GetLastRun"/>;</item>
/// <item>per-teacher group fingerprints: <see cref="GetGroupFingerprints"/>, <see cref="SetGroupFingerprints"/>, <see cref="ReplaceAllGroupFingerprints"/>;</item>
/// <item>the import journal: <see cref="AppendImportJournal"/>, <see cref="ReadImportJournal"/> (streamed).</item>
/// </list>
/// Thread-safe: every call opens its own connection.
/// </summary>
public sealed class StateStore : IDisposable
{
    private const int ApplicationId = 0x53434C53; // "SCLS"

    private static readonly string[] Migrations =
    {
        """
        CREATE TABLE run_lock (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            token TEXT NOT NULL,
            owner TEXT NOT NULL,
            pid INTEGER NOT NULL,
            machine TEXT NOT NULL,
            acquired_at TEXT NOT NULL,
            expires_at TEXT NOT NULL);
        CREATE TABLE group_sync_jobs (
            email TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT,
            reason TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL,
            completed_at TEXT);
        CREATE INDEX group_sync_jobs_due ON group_sync_jobs(status, next_attempt_at);
        CREATE TABLE sync_runs (
            run_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL,
            roster_users INTEGER NOT NULL,
            roster_classes INTEGER NOT NULL,
            roster_enrollments INTEGER NOT NULL,
            eligible_teachers INTEGER NOT NULL,
            users_created INTEGER NOT NULL,
            users_existing INTEGER NOT NULL,
            group_syncs_completed INTEGER NOT NULL,
            group_syncs_failed INTEGER NOT NULL,
            errors TEXT NOT NULL,
            message TEXT);
        CREATE INDEX sync_runs_by_start ON sync_runs(started_at);
        CREATE TABLE group_fingerprints (email TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE import_journal (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            run_id TEXT NOT NULL,
            email TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            user_id TEXT);
        CREATE INDEX import_journal_by_run ON import_journal(run_id);
        CREATE INDEX import_journal_by_email ON import_journal(email);
        """,
        // Version 2: the data sync's further run figures, as one JSON document so later figures need no migration.
        """
        ALTER TABLE sync_runs ADD COLUMN details TEXT;
        """,
    };

    private readonly SqliteFile _file;
    private readonly Func<DateTimeOffset> _clock;

    /// <summary>Opens (creating and migrating when needed) the state file.</summary>
    public StateStore(string path, Func<DateTimeOffset>? clock = null)
    {
        _file = new SqliteFile(path, "state store", ApplicationId, Migrations);
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    public string Path => _file.Path;

    // ---------------------------------------------------------------- run lock

    /// <summary>
    /// Takes the run lock for <paramref name="lease"/>, waiting up to <paramref name="wait"/> for a holder to finish.
    /// An expired lock (its process was killed or hung) is taken over. Throws <see cref="RunInProgressException"/>
    /// naming the holder when the wait runs out. Dispose the returned lock to release it; renew long runs.
    /// </summary>
    public RunLock AcquireRunLock(string owner, TimeSpan wait, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        string token = Guid.NewGuid().ToString("N");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var holder = _file.Write((c, t) =>
            {
                var now = _clock();
                var current = ReadLock(c, t);
                if (current is not null && current.Value.Info.ExpiresAt > now)
                {
                    return current.Value.Info;
                }
                SqliteFile.Execute(c, t,
                    "INSERT OR REPLACE INTO run_lock (id, token, owner, pid, machine, acquired_at, expires_at) VALUES (1, $t, $o, $p, $m, $a, $e);",
                    ("$t", token), ("$o", owner), ("$p", Process.GetCurrentProcess().Id), ("$m", Environment.MachineName),
                    ("$a", Format(now)), ("$e", Format(now + lease)));
                return null;
            });
            if (holder is null)
            {
                return new RunLock(this, token, lease);
            }
            if (deadline.Elapsed >= wait)
            {
                throw new RunInProgressException(Path, holder);
            }
            var pause = TimeSpan.FromMilliseconds(Math.Min(250, Math.Max(1, (wait - deadline.Elapsed).TotalMilliseconds)));
            cancellationToken.WaitHandle.WaitOne(pause);
        }
    }

    /// <summary>The current holder of the run lock, or null when it is free or expired.</summary>
    public RunLockInfo? GetRunLockHolder() => _file.Read(c =>
    {
        var current = ReadLock(c, null);
        return current is { } l && l.Info.ExpiresAt > _clock() ? l.Info : null;
    });

    internal void RenewRunLock(string token, TimeSpan lease)
    {
        bool renewed = _file.Write((c, t) => SqliteFile.Execute(c, t, "UPDATE run_lock SET expires_at = $e WHERE id = 1 AND token = $t;",
            ("$e", Format(_clock() + lease)), ("$t", token)) == 1);
        if (!renewed)
        {
            throw new InvalidOperationException($"The run lock on '{Path}' was lost (it expired and another run took it over).");
        }
    }

    internal void ReleaseRunLock(string token) =>
        _file.Write((c, t) => SqliteFile.Execute(c, t, "DELETE FROM run_lock WHERE id = 1 AND token = $t;", ("$t", token)));

    private static (string Token, RunLockInfo Info)? ReadLock(SqliteConnection c, SqliteTransaction? t)
    {
        using var command = SqliteFile.Command(c, t, "SELECT token, owner, pid, machine, acquired_at, expires_at FROM run_lock WHERE id = 1;");
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        return (reader.GetString(0), new RunLockInfo
        {
            Owner = reader.GetString(1),
            ProcessId = reader.GetInt32(2),
            MachineName = reader.GetString(3),
            AcquiredAt = Parse(reader.GetString(4)),
            ExpiresAt = Parse(reader.GetString(5)),
        });
    }

    // ---------------------------------------------------------------- group-sync queue

    /// <summary>
    /// Queues a group sync for each email in one transaction. A queued or running job stays as it is; a completed
    /// or failed one is queued again with its attempts reset. Returns how many jobs were newly queued.
    /// </summary>
    public int EnqueueGroupSyncs(IEnumerable<string> emails, string reason) => _file.Write((c, t) =>
    {
        string now = Format(_clock());
        int queued = 0;
        using var command = SqliteFile.Command(c, t,
            "INSERT INTO group_sync_jobs (email, status, attempts, last_error, reason, queued_at, updated_at, next_attempt_at, completed_at) " +
            "VALUES ($e, 'Queued', 0, NULL, $r, $now, $now, $now, NULL) " +
            "ON CONFLICT(email) DO UPDATE SET status = 'Queued', attempts = 0, last_error = NULL, reason = $r, queued_at = $now, updated_at = $now, " +
            "next_attempt_at = $now, completed_at = NULL WHERE group_sync_jobs.status IN ('Completed', 'Failed');",
            ("$e", ""), ("$r", reason), ("$now", now));
        foreach (string email in emails)
        {
            string key = EmailAddress.Normalize(email);
            if (key.Length == 0)
            {
                throw new ArgumentException("A group-sync job needs a teacher email.", nameof(emails));
            }
            command.Parameters["$e"].Value = key;
            queued += command.ExecuteNonQuery();
        }
        return queued;
    });

    /// <summary>Marks the next due queued job Running (attempts + 1) and returns it; null when none is due.</summary>
    public GroupSyncJob? ClaimNextGroupSync() => _file.Write((c, t) =>
    {
        string now = Format(_clock());
        string? email = (string?)SqliteFile.Scalar(c, t,
            "SELECT email FROM group_sync_jobs WHERE status = 'Queued' AND next_attempt_at <= $now ORDER BY next_attempt_at, email LIMIT 1;", ("$now", now));
        if (email is null)
        {
            return null;
        }
        SqliteFile.Execute(c, t, "UPDATE group_sync_jobs SET status = 'Running', attempts = attempts + 1, updated_at = $now WHERE email = $e;",
            ("$now", now), ("$e", email));
        return ReadJobs(c, t, "WHERE email = $e", ("$e", email)).Single();
    });

    /// <summary>
    /// Marks one user's job Running (attempts + 1) whatever its due time, because someone asked for this user
    /// now; queues it first when it is not queued. Returns the job as saved.
    /// </summary>
    public GroupSyncJob ClaimGroupSync(string email) => _file.Write((c, t) =>
    {
        string key = EmailAddress.Normalize(email);
        string now = Format(_clock());
        SqliteFile.Execute(c, t,
            "INSERT INTO group_sync_jobs (email, status, attempts, last_error, reason, queued_at, updated_at, next_attempt_at, completed_at) " +
            "VALUES ($e, 'Running', 1, NULL, 'manual', $now, $now, $now, NULL) " +
            "ON CONFLICT(email) DO UPDATE SET status = 'Running', updated_at = $now, " +
            "attempts = CASE WHEN group_sync_jobs.status IN ('Completed', 'Failed') THEN 1 ELSE group_sync_jobs.attempts + 1 END;",
            ("$e", key), ("$now", now));
        return ReadJobs(c, t, "WHERE email = $e", ("$e", key)).Single();
    });

    /// <summary>Marks a job Completed.</summary>
    public void CompleteGroupSync(string email) => _file.Write((c, t) =>
    {
        string now = Format(_clock());
        RequireJob(SqliteFile.Execute(c, t,
            "UPDATE group_sync_jobs SET status = 'Completed', last_error = NULL, updated_at = $now, completed_at = $now WHERE email = $e;",
            ("$now", now), ("$e", EmailAddress.Normalize(email))), email);
    });

    /// <summary>
    /// Records a failed attempt: the job is queued again after a growing delay, or marked Failed once
    /// <see cref="GroupSyncRetryPolicy.MaxAttempts"/> attempts were made. Returns the job as saved.
    /// </summary>
    public GroupSyncJob FailGroupSync(string email, string error, GroupSyncRetryPolicy policy) => _file.Write((c, t) =>
    {
        string key = EmailAddress.Normalize(email);
        var job = ReadJobs(c, t, "WHERE email = $e", ("$e", key)).SingleOrDefault();
        RequireJob(job is null ? 0 : 1, email);
        var now = _clock();
        bool exhausted = job!.Attempts >= policy.MaxAttempts;
        SqliteFile.Execute(c, t,
            "UPDATE group_sync_jobs SET status = $s, last_error = $err, updated_at = $now, next_attempt_at = $next WHERE email = $e;",
            ("$s", exhausted ? "Failed" : "Queued"), ("$err", error), ("$now", Format(now)),
            ("$next", Format(exhausted ? now : now + policy.DelayAfter(job.Attempts))), ("$e", key));
        return ReadJobs(c, t, "WHERE email = $e", ("$e", key)).Single();
    });

    /// <summary>Puts jobs left Running by a killed run back in the queue (call while holding the run lock). Returns how many.</summary>
    public int RequeueInterruptedGroupSyncs() => _file.Write((c, t) =>
        SqliteFile.Execute(c, t, "UPDATE group_sync_jobs SET status = 'Queued', updated_at = $now WHERE status = 'Running';", ("$now", Format(_clock()))));

    /// <summary>Jobs, all or those with <paramref name="status"/>, ordered by email.</summary>
    public IReadOnlyList<GroupSyncJob> GetGroupSyncJobs(GroupSyncStatus? status = null) => _file.Read(c =>
        status is null
            ? ReadJobs(c, null, "")
            : ReadJobs(c, null, "WHERE status = $s", ("$s", status.Value.ToString())));

    private static void RequireJob(int rows, string email)
    {
        if (rows == 0)
        {
            throw new InvalidOperationException($"There is no group-sync job for '{email}'.");
        }
    }

    private static List<GroupSyncJob> ReadJobs(SqliteConnection c, SqliteTransaction? t, string where, params (string, object?)[] parameters)
    {
        var jobs = new List<GroupSyncJob>();
        using var command = SqliteFile.Command(c, t,
            "SELECT email, status, attempts, last_error, reason, queued_at, updated_at, next_attempt_at, completed_at FROM group_sync_jobs " + where + " ORDER BY email;",
            parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            jobs.Add(new GroupSyncJob
            {
                Email = reader.GetString(0),
                Status = (GroupSyncStatus)Enum.Parse(typeof(GroupSyncStatus), reader.GetString(1)),
                Attempts = reader.GetInt32(2),
                LastError = reader.IsDBNull(3) ? null : reader.GetString(3),
                Reason = reader.GetString(4),
                QueuedAt = Parse(reader.GetString(5)),
                UpdatedAt = Parse(reader.GetString(6)),
                NextAttemptAt = Parse(reader.GetString(7)),
                CompletedAt = reader.IsDBNull(8) ? null : Parse(reader.GetString(8)),
            });
        }
        return jobs;
    }

    // ---------------------------------------------------------------- run history

    /// <summary>Inserts or replaces a run record (save it at start with Status Running, and again at the end).</summary>
    public void SaveRun(SyncRunRecord run) => _file.Write((c, t) =>
    {
        SqliteFile.Execute(c, t,
            "INSERT OR REPLACE INTO sync_runs (run_id, kind, started_at, ended_at, status, roster_users, roster_classes, roster_enrollments, " +
            "eligible_teachers, users_created, users_existing, group_syncs_completed, group_syncs_failed, errors, message, details) " +
            "VALUES ($id, $kind, $start, $end, $status, $ru, $rc, $re, $et, $uc, $ue, $gc, $gf, $errors, $message, $details);",
            ("$id", run.RunId), ("$kind", run.Kind), ("$start", Format(run.StartedAt)), ("$end", run.EndedAt is { } e ? Format(e) : null),
            ("$status", run.Status.ToString()), ("$ru", run.RosterUsers), ("$rc", run.RosterClasses), ("$re", run.RosterEnrollments),
            ("$et", run.EligibleTeachers), ("$uc", run.UsersCreated), ("$ue", run.UsersExisting), ("$gc", run.GroupSyncsCompleted),
            ("$gf", run.GroupSyncsFailed), ("$errors", JsonConvert.SerializeObject(run.Errors)), ("$message", run.Message),
            ("$details", JsonConvert.SerializeObject(RunDetails.From(run))));
    });

    public SyncRunRecord? GetRun(string runId) => _file.Read(c => ReadRuns(c, "WHERE run_id = $id", 1, ("$id", runId)).SingleOrDefault());

    /// <summary>The newest <paramref name="count"/> runs, newest first, optionally of one kind.</summary>
    public IReadOnlyList<SyncRunRecord> GetRecentRuns(int count, string? kind = null) => _file.Read(c =>
        kind is null ? ReadRuns(c, "", count) : ReadRuns(c, "WHERE kind = $kind", count, ("$kind", kind)));

    /// <summary>The newest run of <paramref name="kind"/> with one of <paramref name="statuses"/> (any status when empty).</summary>
    public SyncRunRecord? GetLastRun(string kind, params SyncRunStatus[] statuses) => _file.Read(c =>
    {
        string where = "WHERE kind = $kind" + (statuses.Length == 0 ? "" : " AND status IN (" + string.Join(", ", statuses.Select(s => "'" + s + "'")) + ")");
        return ReadRuns(c, where, 1, ("$kind", kind)).SingleOrDefault();
    });

    private static List<SyncRunRecord> ReadRuns(SqliteConnection c, string where, int limit, params (string, object?)[] parameters)
    {
        var runs = new List<SyncRunRecord>();
        using var command = SqliteFile.Command(c, null,
            "SELECT run_id, kind, started_at, ended_at, status, roster_users, roster_classes, roster_enrollments, eligible_teachers, users_created, " +
            "users_existing, group_syncs_completed, group_syncs_failed, errors, message, details FROM sync_runs " + where + " ORDER BY started_at DESC, rowid DESC LIMIT $limit;",
            parameters.Append(("$limit", (object?)limit)).ToArray());
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var details = reader.IsDBNull(15) ? new RunDetails() : JsonConvert.DeserializeObject<RunDetails>(reader.GetString(15)) ?? new RunDetails();
            runs.Add(new SyncRunRecord
            {
                RunId = reader.GetString(0),
                Kind = reader.GetString(1),
                StartedAt = Parse(reader.GetString(2)),
                EndedAt = reader.IsDBNull(3) ? null : Parse(reader.GetString(3)),
                Status = (SyncRunStatus)Enum.Parse(typeof(SyncRunStatus), reader.GetString(4)),
                RosterUsers = reader.GetInt32(5),
                RosterClasses = reader.GetInt32(6),
                RosterEnrollments = reader.GetInt32(7),
                EligibleTeachers = reader.GetInt32(8),
                UsersCreated = reader.GetInt32(9),
                UsersExisting = reader.GetInt32(10),
                GroupSyncsCompleted = reader.GetInt32(11),
                GroupSyncsFailed = reader.GetInt32(12),
                Errors = JsonConvert.DeserializeObject<string[]>(reader.GetString(13)) ?? Array.Empty<string>(),
                Message = reader.IsDBNull(14) ? null : reader.GetString(14),
                RosterSchools = details.Schools,
                RosterTeachers = details.Teachers,
                TeachersByReason = details.TeachersByReason ?? new Dictionary<string, int>(),
                RosterStudents = details.Students,
                DataQualityWarnings = details.DataQualityWarnings,
                UsersToCreate = details.UsersToCreate,
                UsersFailed = details.UsersFailed,
                GroupSyncsQueued = details.GroupSyncsQueued,
                GroupSyncsPending = details.GroupSyncsPending,
                Forced = details.Forced,
            });
        }
        return runs;
    }

    /// <summary>The details document of a run row (schema version 2): figures added after version 1.</summary>
    private sealed class RunDetails
    {
        public int Version { get; set; } = 1;
        public int Schools { get; set; }
        public int Teachers { get; set; }
        public Dictionary<string, int>? TeachersByReason { get; set; }
        public int Students { get; set; }
        public int DataQualityWarnings { get; set; }
        public int UsersToCreate { get; set; }
        public int UsersFailed { get; set; }
        public int GroupSyncsQueued { get; set; }
        public int GroupSyncsPending { get; set; }
        public bool Forced { get; set; }

        public static RunDetails From(SyncRunRecord run) => new()
        {
            Schools = run.RosterSchools,
            Teachers = run.RosterTeachers,
            TeachersByReason = run.TeachersByReason.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            Students = run.RosterStudents,
            DataQualityWarnings = run.DataQualityWarnings,
            UsersToCreate = run.UsersToCreate,
            UsersFailed = run.UsersFailed,
            GroupSyncsQueued = run.GroupSyncsQueued,
            GroupSyncsPending = run.GroupSyncsPending,
            Forced = run.Forced,
        };
    }

    // ---------------------------------------------------------------- group fingerprints

    /// <summary>Every teacher's last synced group fingerprint, by normalized email.</summary>
    public IReadOnlyDictionary<string, string> GetGroupFingerprints() => _file.Read(c =>
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = SqliteFile.Command(c, null, "SELECT email, fingerprint FROM group_fingerprints;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }
        return (IReadOnlyDictionary<string, string>)result;
    });

    /// <summary>Sets the fingerprints of the given teachers (others untouched), in one transaction.</summary>
    public void SetGroupFingerprints(IEnumerable<KeyValuePair<string, string>> fingerprints) =>
        _file.Write((c, t) => WriteFingerprints(c, t, fingerprints));

    /// <summary>Replaces the whole fingerprint table with <paramref name="fingerprints"/>, in one transaction.</summary>
    public void ReplaceAllGroupFingerprints(IEnumerable<KeyValuePair<string, string>> fingerprints) => _file.Write((c, t) =>
    {
        SqliteFile.Execute(c, t, "DELETE FROM group_fingerprints;");
        WriteFingerprints(c, t, fingerprints);
    });

    private void WriteFingerprints(SqliteConnection c, SqliteTransaction t, IEnumerable<KeyValuePair<string, string>> fingerprints)
    {
        using var command = SqliteFile.Command(c, t, "INSERT OR REPLACE INTO group_fingerprints (email, fingerprint, updated_at) VALUES ($e, $f, $now);",
            ("$e", ""), ("$f", ""), ("$now", Format(_clock())));
        foreach (var pair in fingerprints)
        {
            command.Parameters["$e"].Value = EmailAddress.Normalize(pair.Key);
            command.Parameters["$f"].Value = pair.Value;
            command.ExecuteNonQuery();
        }
    }

    // ---------------------------------------------------------------- import journal

    /// <summary>Appends decisions in one transaction (append a batch at a time, not one row per transaction).</summary>
    public void AppendImportJournal(IEnumerable<ImportJournalEntry> entries) => _file.Write((c, t) =>
    {
        using var command = SqliteFile.Command(c, t,
            "INSERT INTO import_journal (time, run_id, email, status, reason, user_id) VALUES ($time, $run, $email, $status, $reason, $user);",
            ("$time", ""), ("$run", ""), ("$email", ""), ("$status", ""), ("$reason", null), ("$user", null));
        foreach (var entry in entries)
        {
            command.Parameters["$time"].Value = Format(entry.Time == default ? _clock() : entry.Time);
            command.Parameters["$run"].Value = entry.RunId;
            command.Parameters["$email"].Value = EmailAddress.Normalize(entry.Email);
            command.Parameters["$status"].Value = entry.Status;
            command.Parameters["$reason"].Value = (object?)entry.Reason ?? DBNull.Value;
            command.Parameters["$user"].Value = (object?)entry.UserId ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    });

    /// <summary>Streams journal entries in the order written, optionally of one run and/or one email.</summary>
    public IEnumerable<ImportJournalEntry> ReadImportJournal(string? runId = null, string? email = null)
    {
        using var connection = _file.Open();
        using var command = SqliteFile.Command(connection, null,
            "SELECT time, run_id, email, status, reason, user_id FROM import_journal WHERE ($run IS NULL OR run_id = $run) AND ($email IS NULL OR email = $email) ORDER BY seq;",
            ("$run", runId), ("$email", email is null ? null : EmailAddress.Normalize(email)));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new ImportJournalEntry
            {
                Time = Parse(reader.GetString(0)),
                RunId = reader.GetString(1),
                Email = reader.GetString(2),
                Status = reader.GetString(3),
                Reason = reader.IsDBNull(4) ? null : reader.GetString(4),
                UserId = reader.IsDBNull(5) ? null : reader.GetString(5),
            };
        }
    }

    public void Dispose() => _file.Dispose();

    // Sortable UTC text keeps ORDER BY and comparisons in SQL correct.
    private static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

/// <summary>The held run lock. Renew it during long runs; dispose it to release.</summary>
public sealed class RunLock : IDisposable
{
    private readonly StateStore _store;
    private readonly string _token;
    private readonly TimeSpan _lease;
    private bool _released;

    internal RunLock(StateStore store, string token, TimeSpan lease)
    {
        _store = store;
        _token = token;
        _lease = lease;
    }

    /// <summary>Extends the lease from now; throws when the lock was lost to another run.</summary>
    public void Renew() => _store.RenewRunLock(_token, _lease);

    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            _store.ReleaseRunLock(_token);
        }
    }
}
