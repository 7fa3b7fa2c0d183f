namespace SensoClassLink.Core.Sync;

/// <summary>
/// The one vocabulary of group-sync states, shared by the queue (<see cref="State.GroupSyncJob"/>), the results of
/// Import-SensoUser and Sync-SensoUserGroup, the data sync's decisions and run report, and the pipeline's objects.
/// The names are the words each of those already printed, so scripts that switch on them keep working; where two
/// outputs used different words for one fact (Completed/Synced, WhatIf/WouldSync, NotRequested/None, Queued/Pending)
/// both stay, each documented with where it appears.
/// </summary>
public enum GroupSyncStatus
{
    /// <summary>Import-SensoUser: no group sync was asked for (-NoGroupSync, -WhatIf, or no account).</summary>
    NotRequested,

    /// <summary>Run report: no group sync concerns this row (ineligible, not created, held).</summary>
    None,

    /// <summary>Queue, Import-SensoUser, Sync-SensoUserGroup: queued, to be run by a later command or data sync.</summary>
    Queued,

    /// <summary>Queue: claimed by a run that has not finished it (a killed run's jobs are requeued by the next).</summary>
    Running,

    /// <summary>Run report: queued and waiting for its retry time, or not run because the run stopped first.</summary>
    Pending,

    /// <summary>Run report: the user's groups in the roster did not change, so no sync was needed.</summary>
    Unchanged,

    /// <summary>Queue, Import-SensoUser, Sync-SensoUserGroup: the groups were replaced by the roster's.</summary>
    Completed,

    /// <summary>Run report: the groups were replaced by the roster's.</summary>
    Synced,

    /// <summary>Sync-SensoUserGroup -WhatIf: what the sync would change was computed; nothing was written.</summary>
    WhatIf,

    /// <summary>Run report under -WhatIf: the groups would be synced.</summary>
    WouldSync,

    /// <summary>The sync failed: retried later with a growing delay (queue: Failed once the attempts are spent).</summary>
    Failed,
}
