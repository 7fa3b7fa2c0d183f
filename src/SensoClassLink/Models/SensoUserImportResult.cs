using SensoClassLink.Core.Sync;

namespace SensoClassLink.Models;

/// <summary>The outcome of importing one teacher into Senso, with the group sync that followed it.</summary>
public sealed class SensoUserImportResult
{
    internal SensoUserImportResult(ImportDecision decision)
    {
        Email = decision.Email;
        DisplayName = decision.DisplayName;
        Role = decision.Role;
        Site = decision.Site;
        Status = decision.Status;
        Reason = decision.Reason;
        Message = decision.Message;
        UserId = decision.UserId;
        GroupSync = decision.GroupSync;
        PreviousEmail = decision.PreviousEmail;
    }

    public string Email { get; }
    public string DisplayName { get; }
    public string Role { get; }
    public string Site { get; }
    /// <summary>Created, Exists, Renamed, Failed or WhatIf.</summary>
    public ImportStatus Status { get; }
    /// <summary>A stable code: Eligible, NotInRoster, NoStudents, InvalidEmail, RoleNotFound, SensoError, ...</summary>
    public string Reason { get; }
    public string Message { get; }
    public string? UserId { get; }
    /// <summary>Completed, Queued, Failed or NotRequested.</summary>
    public GroupSyncStatus GroupSync { get; }
    /// <summary>Renamed (or would be, under -WhatIf): the email the account had before; null otherwise.</summary>
    public string? PreviousEmail { get; }

    public override string ToString() => $"{Email}: {Status}";
}
