using System;
using System.Collections.Generic;
using System.Linq;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Models;

/// <summary>One Roster Server data sync: its status and figures (from Invoke-ClassLinkSync or the run history).</summary>
public sealed class ClassLinkSyncRun
{
    internal ClassLinkSyncRun(SyncRunRecord run, bool whatIf, string? reportPath, IReadOnlyList<DataSyncDecision>? decisions)
    {
        RunId = run.RunId;
        Status = run.Status;
        WhatIf = whatIf;
        StartedAt = run.StartedAt.ToLocalTime();
        EndedAt = run.EndedAt?.ToLocalTime();
        Duration = run.EndedAt is { } end ? end - run.StartedAt : null;
        Message = run.Message ?? "";
        RosterSchools = run.RosterSchools;
        RosterTeachers = run.RosterTeachers;
        EligibleTeachers = run.EligibleTeachers;
        TeachersByReason = string.Join("; ", run.TeachersByReason.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        RosterStudents = run.RosterStudents;
        RosterClasses = run.RosterClasses;
        RosterEnrollments = run.RosterEnrollments;
        DataQualityWarnings = run.DataQualityWarnings;
        UsersToCreate = run.UsersToCreate;
        UsersCreated = run.UsersCreated;
        UsersExisting = run.UsersExisting;
        UsersFailed = run.UsersFailed;
        GroupSyncsQueued = run.GroupSyncsQueued;
        GroupSyncsCompleted = run.GroupSyncsCompleted;
        GroupSyncsFailed = run.GroupSyncsFailed;
        GroupSyncsPending = run.GroupSyncsPending;
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
    public int RosterSchools { get; }
    public int RosterTeachers { get; }
    public int EligibleTeachers { get; }
    /// <summary>Teachers by eligibility reason, as "Eligible=120; NoStudents=4; ...".</summary>
    public string TeachersByReason { get; }
    public int RosterStudents { get; }
    public int RosterClasses { get; }
    public int RosterEnrollments { get; }
    public int DataQualityWarnings { get; }
    public int UsersToCreate { get; }
    public int UsersCreated { get; }
    public int UsersExisting { get; }
    public int UsersFailed { get; }
    public int GroupSyncsQueued { get; }
    public int GroupSyncsCompleted { get; }
    public int GroupSyncsFailed { get; }
    public int GroupSyncsPending { get; }
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
    }

    public string Email { get; }
    public string SourcedId { get; }
    public string Eligibility { get; }
    /// <summary>Created, WouldCreate, Exists, NotCreated, CreateFailed, Ineligible or NotInRoster.</summary>
    public DataSyncAction Action { get; }
    public string Reason { get; }
    /// <summary>None, Unchanged, Synced, WouldSync, Failed or Pending.</summary>
    public GroupSyncStatus GroupSync { get; }
    public string[] GroupsAdded { get; }
    public string[] GroupsUpdated { get; }
    public string[] GroupsRemoved { get; }
    public string Message { get; }

    public override string ToString() => $"{Email}: {Action}";
}
