using System;
using System.Collections.Generic;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>How one run of the sync pipeline behaves: the switches the commands share, and the integration's limits.</summary>
public sealed class SyncOptions
{
    /// <summary>The kind of the data sync's runs in the state store's history.</summary>
    public const string NightlyRunKind = "data-sync";

    /// <summary>The date enrollments are judged current on.</summary>
    public DateTime AsOf { get; init; } = DateTime.Today;

    /// <summary>Compute the whole plan and write nothing anywhere (no state file either).</summary>
    public bool WhatIf { get; init; }

    /// <summary>Queue the group syncs but leave them for a later Sync-SensoUserGroup or data sync.</summary>
    public bool QueueOnly { get; init; }

    /// <summary>Neither queue nor run a group sync after the creates (Import-SensoUser).</summary>
    public bool NoGroupSync { get; init; }

    /// <summary>Run although the shrink guard or the mass-change brake would hold the run.</summary>
    public bool Force { get; init; }

    /// <summary>How many Senso requests run at once (-ThrottleLimit).</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>The Senso role and site of new accounts (Import-SensoUser -Role/-Site); null: the integration's defaults.</summary>
    public string? Role { get; init; }

    public string? Site { get; init; }

    /// <summary>More creates than this hold the data sync (import.maxCreatesPerRun).</summary>
    public int MaxCreatesPerRun { get; init; } = 500;

    /// <summary>More suspensions than this hold the data sync (import.maxSuspensionsPerRun).</summary>
    public int MaxSuspensionsPerRun { get; init; } = 50;

    /// <summary>ClassLink school name or sourcedId to Senso site name (import.siteBySchool).</summary>
    public IReadOnlyDictionary<string, string> SiteBySchool { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Which classes count: terms, schools, exclusions (the configuration's roster section).</summary>
    public RosterRules Roster { get; init; } = RosterRules.Default;

    /// <summary>The one retry policy of group syncs, whichever command runs them.</summary>
    public GroupSyncRetryPolicy Retry { get; init; } = new();

    /// <summary>Who holds the run lock, as the "another run is in progress" message names it.</summary>
    public string LockOwner { get; init; } = "Invoke-ClassLinkSync";

    /// <summary>The clock that decides which queued jobs are due (the state store's clock in tests).</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>The run lock's lease, renewed while the run works; a killed run's lock frees itself after it.</summary>
    public TimeSpan LockLease { get; init; } = TimeSpan.FromMinutes(10);
}
