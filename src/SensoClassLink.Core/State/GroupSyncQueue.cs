using SensoClassLink.Core.Sync;
using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Data.Sqlite;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Sqlite;
using static SensoClassLink.Core.State.StateTime;

namespace SensoClassLink.Core.State;

/// <summary>
/// The group-sync queue in the state file, one job per teacher (keyed by normalized email). A job moves
/// Queued → Running → Completed, or back to Queued after a failed attempt until the retry policy gives up (Failed).
/// Job states reach SQL only as parameters from <see cref="GroupSyncStatus"/>, never as literals.
/// </summary>
public sealed class GroupSyncQueue
{
    private const string Columns = "email, status, attempts, last_error, reason, queued_at, updated_at, next_attempt_at, completed_at";

    // The states as the status column holds them (the enum member names).
    private static readonly string Queued = GroupSyncStatus.Queued.ToString();
    private static readonly string Running = GroupSyncStatus.Running.ToString();
    private static readonly string Completed = GroupSyncStatus.Completed.ToString();
    private static readonly string Failed = GroupSyncStatus.Failed.ToString();

    private readonly SqliteFile _file;
    private readonly Func<DateTimeOffset> _clock;

    internal GroupSyncQueue(SqliteFile file, Func<DateTimeOffset> clock)
    {
        _file = file;
        _clock = clock;
    }

    /// <summary>
    /// Queues a group sync for each email in one transaction. A queued or running job stays as it is; a completed
    /// or failed one is queued again with its attempts reset. Returns how many jobs were newly queued.
    /// </summary>
    public int Enqueue(IEnumerable<string> emails, string reason) => _file.Write((c, t) =>
    {
        int queued = 0;
        using var command = SqliteFile.Command(c, t,
            $"INSERT INTO group_sync_jobs ({Columns}) VALUES ($e, $queued, 0, NULL, $r, $now, $now, $now, NULL) " +
            "ON CONFLICT(email) DO UPDATE SET status = $queued, attempts = 0, last_error = NULL, reason = $r, queued_at = $now, updated_at = $now, " +
            "next_attempt_at = $now, completed_at = NULL WHERE group_sync_jobs.status IN ($completed, $failed);",
            ("$e", ""), ("$r", reason), ("$now", Format(_clock())), ("$queued", Queued), ("$completed", Completed), ("$failed", Failed));
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
    public GroupSyncJob? ClaimNext() => _file.Write((c, t) =>
    {
        string now = Format(_clock());
        string? email = (string?)SqliteFile.Scalar(c, t,
            "SELECT email FROM group_sync_jobs WHERE status = $queued AND next_attempt_at <= $now ORDER BY next_attempt_at, email LIMIT 1;",
            ("$queued", Queued), ("$now", now));
        if (email is null)
        {
            return null;
        }
        SqliteFile.Execute(c, t, "UPDATE group_sync_jobs SET status = $running, attempts = attempts + 1, updated_at = $now WHERE email = $e;",
            ("$running", Running), ("$now", now), ("$e", email));
        return ReadJobs(c, t, "WHERE email = $e", ("$e", email)).Single();
    });

    /// <summary>
    /// Marks one user's job Running (attempts + 1) whatever its due time, because someone asked for this user
    /// now; queues it first (reason "manual") when it is not queued. Returns the job as saved.
    /// </summary>
    public GroupSyncJob Claim(string email) => _file.Write((c, t) =>
    {
        string key = EmailAddress.Normalize(email);
        SqliteFile.Execute(c, t,
            $"INSERT INTO group_sync_jobs ({Columns}) VALUES ($e, $running, 1, NULL, $reason, $now, $now, $now, NULL) " +
            "ON CONFLICT(email) DO UPDATE SET status = $running, updated_at = $now, " +
            "attempts = CASE WHEN group_sync_jobs.status IN ($completed, $failed) THEN 1 ELSE group_sync_jobs.attempts + 1 END;",
            ("$e", key), ("$now", Format(_clock())), ("$reason", "manual"), ("$running", Running), ("$completed", Completed), ("$failed", Failed));
        return ReadJobs(c, t, "WHERE email = $e", ("$e", key)).Single();
    });

    /// <summary>Marks a job Completed.</summary>
    public void Complete(string email) => _file.Write((c, t) =>
    {
        string now = Format(_clock());
        RequireJob(SqliteFile.Execute(c, t,
            "UPDATE group_sync_jobs SET status = $completed, last_error = NULL, updated_at = $now, completed_at = $now WHERE email = $e;",
            ("$completed", Completed), ("$now", now), ("$e", EmailAddress.Normalize(email))), email);
    });

    /// <summary>
    /// Records a failed attempt: the job is queued again after a growing delay, or marked Failed once
    /// <see cref="GroupSyncRetryPolicy.MaxAttempts"/> attempts were made. Returns the job as saved.
    /// </summary>
    public GroupSyncJob Fail(string email, string error, GroupSyncRetryPolicy policy) => _file.Write((c, t) =>
    {
        string key = EmailAddress.Normalize(email);
        var job = ReadJobs(c, t, "WHERE email = $e", ("$e", key)).SingleOrDefault();
        RequireJob(job is null ? 0 : 1, email);
        var now = _clock();
        bool exhausted = job!.Attempts >= policy.MaxAttempts;
        SqliteFile.Execute(c, t,
            "UPDATE group_sync_jobs SET status = $s, last_error = $err, updated_at = $now, next_attempt_at = $next WHERE email = $e;",
            ("$s", exhausted ? Failed : Queued), ("$err", error), ("$now", Format(now)),
            ("$next", Format(exhausted ? now : now + policy.DelayAfter(job.Attempts))), ("$e", key));
        return ReadJobs(c, t, "WHERE email = $e", ("$e", key)).Single();
    });

    /// <summary>Puts jobs left Running by a killed run back in the queue (call while holding the run lock). Returns how many.</summary>
    public int RequeueInterrupted() => _file.Write((c, t) =>
        SqliteFile.Execute(c, t, "UPDATE group_sync_jobs SET status = $queued, updated_at = $now WHERE status = $running;",
            ("$queued", Queued), ("$running", Running), ("$now", Format(_clock()))));

    /// <summary>Jobs, all or those with <paramref name="status"/>, ordered by email.</summary>
    public IReadOnlyList<GroupSyncJob> GetJobs(GroupSyncStatus? status = null) => _file.Read(c =>
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
        using var command = SqliteFile.Command(c, t, $"SELECT {Columns} FROM group_sync_jobs {where} ORDER BY email;", parameters);
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
}
