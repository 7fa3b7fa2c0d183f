using System.Collections.Generic;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Models;

/// <summary>The outcome of one user's class-group resync.</summary>
public sealed class SensoGroupSyncResult
{
    internal SensoGroupSyncResult(string email, GroupSyncStatus status, GroupSyncOutcome? outcome, string message)
    {
        Email = email;
        Status = status;
        GroupsAdded = outcome?.GroupsAdded ?? new string[0];
        GroupsRemoved = outcome?.GroupsRemoved ?? new string[0];
        GroupsUpdated = outcome?.GroupsUpdated ?? new string[0];
        GroupsUnchanged = outcome?.GroupsUnchanged ?? new string[0];
        Reason = outcome?.Reason ?? "";
        Message = message;
    }

    public string Email { get; }
    /// <summary>Completed, Queued, Failed or WhatIf.</summary>
    public GroupSyncStatus Status { get; }
    /// <summary>Keys (class sourcedIds) of the groups added, removed, brought up to date, or left as they were.</summary>
    public IReadOnlyList<string> GroupsAdded { get; }
    public IReadOnlyList<string> GroupsRemoved { get; }
    public IReadOnlyList<string> GroupsUpdated { get; }
    public IReadOnlyList<string> GroupsUnchanged { get; }
    public string Reason { get; }
    public string Message { get; }

    public override string ToString() => $"{Email}: {Status}";
}
