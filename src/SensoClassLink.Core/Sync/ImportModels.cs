using System;
using System.Collections.Generic;

namespace SensoClassLink.Core.Sync;

/// <summary>What happened to one teacher in an import.</summary>
public enum ImportStatus
{
    Created,
    Exists,
    /// <summary>The teacher's account (matched by roster sourcedId) now has the roster's new email: the same user, renamed.</summary>
    Renamed,
    /// <summary>The teacher's account was suspended (departed) and their active roster record is back: Status Active again.</summary>
    Reactivated,
    Failed,
    WhatIf,
}

/// <summary>Stable reason codes for import and group-sync outcomes: scripts may switch on them.</summary>
public static class OutcomeReason
{
    public const string Eligible = "Eligible";
    public const string NotInRoster = "NotInRoster";
    public const string MissingEmail = "MissingEmail";
    public const string InvalidEmail = "InvalidEmail";
    public const string Inactive = "Inactive";
    public const string NoClasses = "NoClasses";
    public const string NoStudents = "NoStudents";
    public const string RoleNotFound = "RoleNotFound";
    public const string SiteNotFound = "SiteNotFound";
    public const string NoSite = "NoSite";
    public const string NotInSenso = "NotInSenso";
    public const string SensoError = "SensoError";
    /// <summary>A rename refused: the roster's new email already belongs to another Senso account.</summary>
    public const string EmailInUse = "EmailInUse";
    /// <summary>A rename refused: the teacher's sourcedIds belong to more than one Senso user.</summary>
    public const string AmbiguousIdentity = "AmbiguousIdentity";
}

/// <summary>One teacher to import, as the caller named them (pipeline object, CSV row or -Email).</summary>
public sealed class ImportRequest
{
    public string Email { get; init; } = "";
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
}

/// <summary>The decision for one import request.</summary>
public sealed class ImportDecision
{
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public string Site { get; init; } = "";
    public ImportStatus Status { get; init; }
    public string Reason { get; init; } = "";
    public string Message { get; init; } = "";
    public string? UserId { get; init; }
    /// <summary>NotRequested, Queued, Completed or Failed.</summary>
    public GroupSyncStatus GroupSync { get; set; } = GroupSyncStatus.NotRequested;

    /// <summary>True when the teacher has (or, under -WhatIf, would have) a Senso account after this decision.</summary>
    public bool HasAccount => Status is ImportStatus.Created or ImportStatus.Exists or ImportStatus.Renamed or ImportStatus.Reactivated;

    /// <summary>Renamed (or, under -WhatIf, would be renamed): the email the account had before.</summary>
    public string? PreviousEmail { get; init; }
}

/// <summary>What a group sync did, or would do, for one user.</summary>
public sealed class GroupSyncOutcome
{
    public string Email { get; init; } = "";
    /// <summary>Completed or Failed (under what-if: what the sync would do), or Queued when only queued.</summary>
    public GroupSyncStatus Status { get; init; }
    public IReadOnlyList<string> GroupsAdded { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> GroupsRemoved { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> GroupsUpdated { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> GroupsUnchanged { get; init; } = Array.Empty<string>();
    public string Reason { get; init; } = "";
    public string Message { get; init; } = "";
}
