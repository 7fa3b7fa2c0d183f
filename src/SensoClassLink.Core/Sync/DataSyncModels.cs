using System;
using System.Collections.Generic;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// What the sync pipeline reports while it runs (every command's, not only the data sync's). Called from the engine's threads (not necessarily the caller's):
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
public enum DataSyncAction
{
    Created,
    WouldCreate,
    Exists,
    /// <summary>Eligible but without an account: automatic creation is off, or the run was held.</summary>
    NotCreated,
    CreateFailed,
    Ineligible,
    /// <summary>A Senso user from ClassLink who is no longer a teacher in the roster.</summary>
    NotInRoster,
    /// <summary>The teacher's account (matched by sourcedId) was given the roster's new email.</summary>
    Renamed,
    /// <summary>-WhatIf: the account would be renamed.</summary>
    WouldRename,
    /// <summary>Not renamed, nothing changed: EmailInUse, AmbiguousIdentity or SensoError (see Reason).</summary>
    RenameFailed,
    /// <summary>A ClassLink user with no active teacher record, not changed in this run (Reason: SuspensionOff, NotYetDue, AlreadySuspended or Held).</summary>
    Departed,
    /// <summary>A departed user suspended in this run (Status Suspended; nothing deleted).</summary>
    Suspended,
    /// <summary>-WhatIf: the departed user would be suspended.</summary>
    WouldSuspend,
    /// <summary>The suspension was refused or failed (see Reason); the next run tries again.</summary>
    SuspendFailed,
    /// <summary>A suspended user with an active teacher record again, reactivated in this run (Status Active); their groups are synced.</summary>
    Reactivated,
    /// <summary>-WhatIf: the suspended user would be reactivated.</summary>
    WouldReactivate,
    /// <summary>The reactivation was refused or failed (see Reason); the next run tries again.</summary>
    ReactivateFailed,
}

/// <summary>
/// A decision's eligibility: the teacher's <see cref="EligibilityReason"/> (same names and values, so a cast maps one to the other and
/// the reports print the same words), or NotInRoster for a ClassLink user in Senso who is no longer a teacher in the roster.
/// </summary>
public enum SyncEligibility
{
    Eligible = (int)EligibilityReason.Eligible,
    MissingEmail = (int)EligibilityReason.MissingEmail,
    InvalidEmail = (int)EligibilityReason.InvalidEmail,
    Inactive = (int)EligibilityReason.Inactive,
    NoClasses = (int)EligibilityReason.NoClasses,
    NoStudents = (int)EligibilityReason.NoStudents,
    NotInRoster,
}

/// <summary>One row of the run report: one teacher decision. Holds emails and group keys, never roster payloads.</summary>
public sealed class DataSyncDecision
{
    public string Email { get; init; } = "";
    /// <summary>The teacher's first roster sourcedId (identifies teachers without an email).</summary>
    public string SourcedId { get; init; } = "";
    /// <summary>The eligibility reason (Eligible, NoStudents, ...), or NotInRoster.</summary>
    public SyncEligibility Eligibility { get; init; }
    public DataSyncAction Action { get; set; }
    /// <summary>Why: an outcome reason code (SensoError, NoSite, ...), AutomaticCreationOff or Held.</summary>
    public string Reason { get; set; } = "";
    /// <summary>None, Unchanged, Synced, WouldSync, Failed or Pending.</summary>
    public GroupSyncStatus GroupSync { get; set; } = GroupSyncStatus.None;
    public IReadOnlyList<string> GroupsAdded { get; set; } = Array.Empty<string>();
    public IReadOnlyList<string> GroupsUpdated { get; set; } = Array.Empty<string>();
    public IReadOnlyList<string> GroupsRemoved { get; set; } = Array.Empty<string>();
    public string Message { get; set; } = "";
    /// <summary>Renamed or WouldRename: the email the account had before (the report says it in Message).</summary>
    public string PreviousEmail { get; set; } = "";
    /// <summary>A departed user: calendar days since the first roster date they were seen departed (0 on that day); null otherwise.</summary>
    public int? DaysDeparted { get; set; }
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

    /// <summary>Set when the run failed because the roster was not read to its end (nothing was written but the run record).</summary>
    public RosterIncompleteException? RosterIncomplete { get; internal set; }
}
