using System;
using System.Collections.Generic;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>How one Roster Server data sync runs.</summary>
public sealed class DataSyncOptions
{
    /// <summary>The run kind in the state store's history.</summary>
    public const string RunKind = "data-sync";

    /// <summary>The date enrollments are judged current on.</summary>
    public DateTime AsOf { get; init; } = DateTime.Today;

    /// <summary>Run although the shrink guard or the mass-change brake would hold the run.</summary>
    public bool Force { get; init; }

    /// <summary>Compute the whole plan and write nothing anywhere (no state file either).</summary>
    public bool WhatIf { get; init; }

    /// <summary>More creates than this hold the run (import.maxCreatesPerRun).</summary>
    public int MaxCreatesPerRun { get; init; } = 500;

    /// <summary>ClassLink school name or sourcedId to Senso site name (import.siteBySchool).</summary>
    public IReadOnlyDictionary<string, string> SiteBySchool { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public GroupSyncRetryPolicy Retry { get; init; } = new();

    /// <summary>How many Senso requests run at once.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Who holds the run lock, as the "another run is in progress" message names it.</summary>
    public string LockOwner { get; init; } = "Invoke-ClassLinkSync";

    /// <summary>Where a remote roster's one-run snapshot is kept (a private folder is made in it); the system temp directory when null.</summary>
    public string? SnapshotDirectory { get; init; }

    /// <summary>The clock that decides which queued jobs are due (the state store's clock in tests).</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>The run lock's lease, renewed while the run works; a killed run's lock frees itself after it.</summary>
    public TimeSpan LockLease { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// What a data sync reports while it runs. Called from the engine's threads (not necessarily the caller's):
/// a PowerShell host must marshal to its pipeline thread. Nothing personal or secret is ever passed.
/// </summary>
public sealed class DataSyncObserver
{
    public static readonly DataSyncObserver None = new();

    /// <summary>Stage lines with counts and timings.</summary>
    public Action<string>? Verbose { get; init; }

    /// <summary>Progress: status text and 0..100, or -1 when the total is unknown.</summary>
    public Action<string, int>? Progress { get; init; }

    /// <summary>Roster data-quality warnings (file, line, reason; never values).</summary>
    public Action<DataQualityWarning>? Warning { get; init; }
}

/// <summary>What the data sync decided about the account of one teacher (or ClassLink user).</summary>
public static class DataSyncAction
{
    public const string Created = "Created";
    public const string WouldCreate = "WouldCreate";
    public const string Exists = "Exists";
    /// <summary>Eligible but without an account: automatic creation is off, or the run was held.</summary>
    public const string NotCreated = "NotCreated";
    public const string CreateFailed = "CreateFailed";
    public const string Ineligible = "Ineligible";
    /// <summary>A Senso user from ClassLink who is no longer a teacher in the roster.</summary>
    public const string NotInRoster = "NotInRoster";
}

/// <summary>What the data sync did about one user's class groups.</summary>
public static class DataSyncGroupAction
{
    public const string None = "None";
    public const string Unchanged = "Unchanged";
    public const string Synced = "Synced";
    public const string WouldSync = "WouldSync";
    public const string Failed = "Failed";
    /// <summary>Queued and waiting for its retry time, or not run because the run stopped first.</summary>
    public const string Pending = "Pending";
}

/// <summary>One row of the run report: one teacher decision. Holds emails and group keys, never roster payloads.</summary>
public sealed class DataSyncDecision
{
    public string Email { get; init; } = "";
    /// <summary>The teacher's first roster sourcedId (identifies teachers without an email).</summary>
    public string SourcedId { get; init; } = "";
    /// <summary>The eligibility reason (Eligible, NoStudents, ...), or NotInRoster.</summary>
    public string Eligibility { get; init; } = "";
    /// <summary>A <see cref="DataSyncAction"/> value.</summary>
    public string Action { get; set; } = "";
    /// <summary>Why: an outcome reason code (SensoError, NoSite, ...), AutomaticCreationOff or Held.</summary>
    public string Reason { get; set; } = "";
    /// <summary>A <see cref="DataSyncGroupAction"/> value.</summary>
    public string GroupSync { get; set; } = DataSyncGroupAction.None;
    public IReadOnlyList<string> GroupsAdded { get; set; } = Array.Empty<string>();
    public IReadOnlyList<string> GroupsUpdated { get; set; } = Array.Empty<string>();
    public IReadOnlyList<string> GroupsRemoved { get; set; } = Array.Empty<string>();
    public string Message { get; set; } = "";
}

/// <summary>The outcome of one data sync: the run record (as saved, or as it would be saved under what-if) and its decisions.</summary>
public sealed class DataSyncResult
{
    public DataSyncResult(SyncRunRecord run, bool whatIf, IReadOnlyList<DataSyncDecision> decisions)
    {
        Run = run;
        WhatIf = whatIf;
        Decisions = decisions;
    }

    public SyncRunRecord Run { get; }
    public bool WhatIf { get; }
    public IReadOnlyList<DataSyncDecision> Decisions { get; }
}
