using System;
using System.Collections.Generic;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Core.State;

/// <summary>One teacher's pending or finished group sync.</summary>
public sealed class GroupSyncJob
{
    /// <summary>Normalized teacher email (the job key: one job per user).</summary>
    public string Email { get; init; } = "";
    /// <summary>Queued, Running, Completed or Failed.</summary>
    public GroupSyncStatus Status { get; init; }
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    /// <summary>Why the job was queued (e.g. "import", "roster-change", "manual").</summary>
    public string Reason { get; init; } = "";
    public DateTimeOffset QueuedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Earliest time a queued job may run; later after each failure.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
}

/// <summary>How a group-sync queue retries: a growing delay between attempts and a limit after which a job fails.</summary>
public sealed class GroupSyncRetryPolicy
{
    public int MaxAttempts { get; init; } = 5;
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Delay after the <paramref name="attempts"/>-th failed attempt: FirstDelay * 2^(attempts-1), capped.</summary>
    public TimeSpan DelayAfter(int attempts)
    {
        double ticks = FirstDelay.Ticks * Math.Pow(2, Math.Max(0, attempts - 1));
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}

public enum SyncRunStatus
{
    Running,
    Completed,
    CompletedWithErrors,
    Held,
    Failed,
}

/// <summary>One run of import, group sync or data sync, with its figures. Saved at start and again at the end.</summary>
public sealed class SyncRunRecord
{
    public string RunId { get; init; } = Guid.NewGuid().ToString("D");
    /// <summary>What ran: "import", "group-sync", "data-sync" or another name the caller chooses.</summary>
    public string Kind { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public SyncRunStatus Status { get; init; } = SyncRunStatus.Running;
    public int RosterUsers { get; init; }
    public int RosterClasses { get; init; }
    public int RosterEnrollments { get; init; }
    public int EligibleTeachers { get; init; }
    public int UsersCreated { get; init; }
    public int UsersExisting { get; init; }
    public int GroupSyncsCompleted { get; init; }
    public int GroupSyncsFailed { get; init; }
    /// <summary>Error messages of the run (no roster payloads, no secrets).</summary>
    public IReadOnlyList<string> Errors { get; init; } = Array.Empty<string>();
    public string? Message { get; init; }

    // Added for the data sync (schema version 2, kept in the run's details document); 0/empty in older records.

    /// <summary>Schools in the roster.</summary>
    public int RosterSchools { get; init; }
    /// <summary>Teachers in the roster (records merged by email).</summary>
    public int RosterTeachers { get; init; }
    /// <summary>Teachers by eligibility reason name (Eligible, NoStudents, ...).</summary>
    public IReadOnlyDictionary<string, int> TeachersByReason { get; init; } = new Dictionary<string, int>();
    /// <summary>Active students in the roster.</summary>
    public int RosterStudents { get; init; }
    /// <summary>Unreadable rows and rule warnings (duplicates, dangling references) seen while reading the roster.</summary>
    public int DataQualityWarnings { get; init; }
    /// <summary>Users the run planned to create (what it would have created when it was held).</summary>
    public int UsersToCreate { get; init; }
    /// <summary>Users whose create failed.</summary>
    public int UsersFailed { get; init; }
    /// <summary>Group syncs queued by this run (new users and roster changes).</summary>
    public int GroupSyncsQueued { get; init; }
    /// <summary>Group syncs still queued when the run ended (waiting for their retry time).</summary>
    public int GroupSyncsPending { get; init; }
    /// <summary>True when -Force overrode the shrink guard or the mass-change brake.</summary>
    public bool Forced { get; init; }
}

/// <summary>One import decision about one teacher.</summary>
public sealed class ImportJournalEntry
{
    public DateTimeOffset Time { get; init; }
    public string RunId { get; init; } = "";
    public string Email { get; init; } = "";
    /// <summary>Created, Exists, Skipped, Conflict, Failed, WouldCreate ...</summary>
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
    public string? UserId { get; init; }
}

/// <summary>Who holds the run lock, for the "another run is in progress" message.</summary>
public sealed class RunLockInfo
{
    public string Owner { get; init; } = "";
    public int ProcessId { get; init; }
    public string MachineName { get; init; } = "";
    public DateTimeOffset AcquiredAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>Another run holds the state store's lock.</summary>
public sealed class RunInProgressException : Exception
{
    public RunInProgressException(string path, RunLockInfo holder)
        : base($"Another run is in progress since {holder.AcquiredAt.ToLocalTime():yyyy-MM-dd HH:mm:ss zzz} by {holder.Owner} " +
               $"(process {holder.ProcessId} on {holder.MachineName}); the state store '{path}' is locked until it finishes or its lock expires at {holder.ExpiresAt.ToLocalTime():yyyy-MM-dd HH:mm:ss zzz}.")
    {
        Holder = holder;
    }

    public RunLockInfo Holder { get; }
}
