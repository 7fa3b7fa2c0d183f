using System;
using System.Collections.Generic;
using System.Linq;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Models;

/// <summary>One Roster Server data sync: its status and figures (from Invoke-ClassLinkSync or the run history).</summary>
public sealed class ClassLinkSyncRun
{
    // The figures as the run record holds them; the properties below read them (one spelling, in output order).
    private readonly SyncRunFigures _figures;

    internal ClassLinkSyncRun(SyncRunRecord run, bool whatIf, string? reportPath, IReadOnlyList<DataSyncDecision>? decisions)
    {
        RunId = run.RunId;
        Status = run.Status;
        WhatIf = whatIf;
        StartedAt = run.StartedAt.ToLocalTime();
        EndedAt = run.EndedAt?.ToLocalTime();
        Duration = run.EndedAt is { } end ? end - run.StartedAt : null;
        Message = run.Message ?? "";
        _figures = run.Figures;
        TeachersByReason = string.Join("; ", run.Figures.TeachersByReason.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        Forced = run.Forced;
        Errors = run.Errors.ToArray();
        ReportPath = reportPath;
        Decisions = (decisions ?? Array.Empty<DataSyncDecision>()).Select(d => new ClassLinkSyncDecision(d)).ToArray();
    }

    public string RunId { get; }
    /// <summary>Running, Completed, CompletedWithErrors, Held or Failed.</summary>
    public SyncRunStatus Status { get; }
    /// <summary>True for a -WhatIf plan: nothing was written.</summary>
    public bool WhatIf { get; }
    public DateTimeOffset StartedAt { get; }
    public DateTimeOffset? EndedAt { get; }
    public TimeSpan? Duration { get; }
    /// <summary>Why the run was held or failed; empty when it completed.</summary>
    public string Message { get; }
    public int RosterSchools => _figures.RosterSchools;
    public int RosterTeachers => _figures.RosterTeachers;
    public int EligibleTeachers => _figures.EligibleTeachers;
    /// <summary>Teachers by eligibility reason, as "Eligible=120; NoStudents=4; ...".</summary>
    public string TeachersByReason { get; }
    public int RosterStudents => _figures.RosterStudents;
    public int RosterClasses => _figures.RosterClasses;
    public int RosterEnrollments => _figures.RosterEnrollments;
    public int DataQualityWarnings => _figures.DataQualityWarnings;
    public int UsersToCreate => _figures.UsersToCreate;
    public int UsersCreated => _figures.UsersCreated;
    public int UsersExisting => _figures.UsersExisting;
    public int UsersFailed => _figures.UsersFailed;
    public int UsersRenamed => _figures.UsersRenamed;
    public int UsersDeparted => _figures.UsersDeparted;
    public int UsersSuspended => _figures.UsersSuspended;
    public int UsersReactivated => _figures.UsersReactivated;
    public int GroupsRemoved => _figures.GroupsRemoved;
    public int GroupSyncsQueued => _figures.GroupSyncsQueued;
    public int GroupSyncsCompleted => _figures.GroupSyncsCompleted;
    public int GroupSyncsFailed => _figures.GroupSyncsFailed;
    public int GroupSyncsPending => _figures.GroupSyncsPending;
    /// <summary>True when -Force overrode the shrink guard or the mass-change brake.</summary>
    public bool Forced { get; }
    public string[] Errors { get; }
    /// <summary>The report written by this run, or null.</summary>
    public string? ReportPath { get; }
    /// <summary>One decision per teacher (only on the object Invoke-ClassLinkSync returns; empty in the history).</summary>
    public ClassLinkSyncDecision[] Decisions { get; }

    public override string ToString() => $"{RunId}: {Status}";
}

/// <summary>What a data sync decided about one teacher: the rows of its report.</summary>
public sealed class ClassLinkSyncDecision
{
    internal ClassLinkSyncDecision(DataSyncDecision decision)
    {
        Email = decision.Email;
        SourcedId = decision.SourcedId;
        Eligibility = decision.Eligibility;
        Action = decision.Action;
        Reason = decision.Reason;
        GroupSync = decision.GroupSync;
        GroupsAdded = decision.GroupsAdded.ToArray();
        GroupsUpdated = decision.GroupsUpdated.ToArray();
        GroupsRemoved = decision.GroupsRemoved.ToArray();
        Message = decision.Message;
        DaysDeparted = decision.DaysDeparted;
    }

    public string Email { get; }
    public string SourcedId { get; }
    /// <summary>Eligible, MissingEmail, InvalidEmail, Inactive, NoClasses, NoStudents, or NotInRoster (a ClassLink user in Senso no longer a teacher in the roster).</summary>
    public SyncEligibility Eligibility { get; }
    /// <summary>
    /// Created, WouldCreate, Exists, NotCreated, CreateFailed, Ineligible, NotInRoster, Renamed, WouldRename, RenameFailed,
    /// Departed, Suspended, WouldSuspend, SuspendFailed, Reactivated, WouldReactivate or ReactivateFailed.
    /// </summary>
    public DataSyncAction Action { get; }
    public string Reason { get; }
    /// <summary>None, Unchanged, Synced, WouldSync, Failed or Pending.</summary>
    public GroupSyncStatus GroupSync { get; }
    public string[] GroupsAdded { get; }
    public string[] GroupsUpdated { get; }
    public string[] GroupsRemoved { get; }
    public string Message { get; }
    /// <summary>A departed user: calendar days since the first roster date they were seen departed (0 that day); null for everyone else.</summary>
    public int? DaysDeparted { get; }

    public override string ToString() => $"{Email}: {Action}";
}
