using System;
using System.Collections.Generic;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// What one pipeline run will do, decided from one roster reading before anything is written: the accounts to
/// create, the accounts to rename, suspend or reactivate and the users whose groups to sync, each with why. The guards judge it, the apply stage carries it out and
/// the record stage writes what happened. A new kind of change (renames, suspensions) is a new list here, planned by
/// <see cref="SyncPlanner"/>, judged by <see cref="SyncGuards"/> and carried out by the apply stage like the others.
/// </summary>
public sealed class SyncPlan
{
    internal SyncPlan(SyncScope scope, RosterReading roster)
    {
        Scope = scope;
        Roster = roster;
    }

    public SyncScope Scope { get; }

    public RosterReading Roster { get; }

    /// <summary>Accounts to create, in order. Import: every request (the importer answers the ineligible ones); nightly: the eligible teachers missing from Senso.</summary>
    public List<PlannedCreate> Creates { get; } = new();

    /// <summary>Identity by sourcedId: accounts to rename and teachers whose account conflicts (nothing changes for them).</summary>
    public IdentityPlan Identity { get; internal set; } = IdentityPlan.Empty;

    /// <summary>Nightly: departed ClassLink users (and which of them to suspend) and suspended users who returned.</summary>
    public DeparturePlan Departures { get; internal set; } = DeparturePlan.Empty;

    /// <summary>Nightly: emails whose groups this run leaves alone and whose stored fingerprint is kept (identity conflicts, failed renames).</summary>
    public HashSet<string> IdentityHeld { get; } = new(StringComparer.Ordinal);

    /// <summary>Users whose groups are synced in this run (besides the new accounts), each with the reason its job is queued under.</summary>
    public List<PlannedGroupSync> GroupSyncs { get; } = new();

    /// <summary>Nightly: users whose groups changed but whose queued job waits for its retry time.</summary>
    public List<string> Waiting { get; } = new();

    /// <summary>The queue reason of the group syncs of accounts this run creates (or finds created meanwhile).</summary>
    public string NewAccountReason { get; internal set; } = "new-user";

    // ---- the data sync's view: every teacher and every ClassLink user, for the run report and the run record

    /// <summary>Nightly: one decision per roster teacher and per ClassLink user in Senso no longer in the roster.</summary>
    public List<DataSyncDecision> Decisions { get; } = new();

    internal Dictionary<string, DataSyncDecision> DecisionByEmail { get; } = new(StringComparer.Ordinal);

    /// <summary>Nightly: the emails of the Senso users that came from ClassLink.</summary>
    public List<string> ClassLinkUsers { get; } = new();

    /// <summary>Nightly: every teacher's group fingerprint in this roster, and as stored after the last run.</summary>
    public IReadOnlyDictionary<string, string> Fingerprints { get; internal set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> StoredFingerprints { get; internal set; } = new Dictionary<string, string>();

    /// <summary>Nightly: eligible teachers that already have an account.</summary>
    public int UsersExisting { get; internal set; }

    /// <summary>Nightly: eligible teachers without an account, whether or not automatic creation will create them.</summary>
    public List<TeacherEligibility> Missing { get; } = new();
}

/// <summary>One account to create: the request as the caller made it and the teacher's roster entry (null when not in the roster).</summary>
public sealed class PlannedCreate
{
    public PlannedCreate(ImportRequest request, TeacherEligibility? teacher)
    {
        Request = request;
        Teacher = teacher;
    }

    public ImportRequest Request { get; }
    public TeacherEligibility? Teacher { get; }
}

/// <summary>One user's group sync, and the reason its queue job is recorded with (import, manual, roster-change, queued).</summary>
public sealed class PlannedGroupSync
{
    public PlannedGroupSync(string email, string reason)
    {
        Email = email;
        Reason = reason;
    }

    public string Email { get; }

    /// <summary>The queue reason; <see cref="SyncPlanner.AlreadyQueued"/> for a due job that is run as it stands.</summary>
    public string Reason { get; }
}
