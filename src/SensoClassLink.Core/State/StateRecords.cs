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

/// <summary>
/// One run of import, group sync or data sync. Saved at start and again at the end. A record, so a changed copy
/// is a <c>with</c> expression and keeps every figure it does not name.
/// </summary>
public sealed record SyncRunRecord
{
    public string RunId { get; init; } = Guid.NewGuid().ToString("D");
    /// <summary>What ran: "import", "group-sync", "data-sync" or another name the caller chooses.</summary>
    public string Kind { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public SyncRunStatus Status { get; init; } = SyncRunStatus.Running;
    /// <summary>What the run counted and did.</summary>
    public SyncRunFigures Figures { get; init; } = SyncRunFigures.None;
    /// <summary>True when -Force overrode the shrink guard or the mass-change brake.</summary>
    public bool Forced { get; init; }
    /// <summary>Error messages of the run (no roster payloads, no secrets).</summary>
    public IReadOnlyList<string> Errors { get; init; } = Array.Empty<string>();
    public string? Message { get; init; }
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
