using System;
using System.Collections.Generic;
using System.Linq;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// The pipeline's plan stage: pure functions from a roster reading (and, for the data sync, what Senso and the
/// state store hold) to a <see cref="SyncPlan"/>. Nothing here reads or writes anything.
/// </summary>
public static class SyncPlanner
{
    /// <summary>The reason of a planned sync whose job is already queued and due: it is run, not queued again.</summary>
    public const string AlreadyQueued = "";

    /// <summary>Import-SensoUser: every request is a create (the importer answers ineligible ones); accounts then get a group sync.</summary>
    public static SyncPlan PlanImport(SyncScope scope, RosterReading roster)
    {
        var plan = new SyncPlan(scope, roster) { NewAccountReason = "import" };
        foreach (var request in scope.Requests)
        {
            plan.Creates.Add(new PlannedCreate(request, roster.Evaluation.Find(EmailAddress.Normalize(request.Email))));
        }
        return plan;
    }

    /// <summary>Sync-SensoUserGroup: each named user's groups, queued as a manual sync.</summary>
    public static SyncPlan PlanUsers(SyncScope scope, RosterReading roster)
    {
        var plan = new SyncPlan(scope, roster);
        foreach (string email in scope.Emails)
        {
            plan.GroupSyncs.Add(new PlannedGroupSync(email, "manual"));
        }
        return plan;
    }

    /// <summary>
    /// The data sync: a decision per roster teacher and per ClassLink user in Senso; the eligible teachers missing from
    /// Senso; and the group syncs of users whose fingerprint moved since the last successful run (appeared, changed or
    /// vanished) plus the queued jobs that are due. A changed user whose job waits for its retry time is listed as waiting.
    /// </summary>
    public static SyncPlan PlanNightly(RosterReading roster, IReadOnlyDictionary<string, SensoUser> sensoUsers,
        IReadOnlyDictionary<string, string> storedFingerprints, IReadOnlyCollection<GroupSyncJob> jobs, DateTimeOffset now)
    {
        // Identity first: a renamed account is the teacher's account under its new email, not a missing one plus one gone.
        var identity = IdentityPlan.For(roster.Evaluation.Teachers, sensoUsers);
        var renamedFrom = identity.Renames.ToDictionary(r => r.OldEmail, r => r, StringComparer.Ordinal);
        var renamedTo = identity.Renames.ToDictionary(r => r.NewEmail, r => r, StringComparer.Ordinal);
        var conflictOf = identity.Conflicts.ToDictionary(c => c.Email, c => c, StringComparer.Ordinal);
        var heldAccounts = new HashSet<string>(identity.Conflicts.SelectMany(c => c.Users).Select(u => EmailAddress.Normalize(u.Email)), StringComparer.Ordinal);
        bool HasAccount(string email) => sensoUsers.ContainsKey(email) || renamedTo.ContainsKey(email);

        // The groups a renamed account owns follow it, so its stored fingerprint does too.
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in storedFingerprints)
        {
            stored[renamedFrom.TryGetValue(pair.Key, out var rename) ? rename.NewEmail : pair.Key] = pair.Value;
        }
        var plan = new SyncPlan(SyncScope.Nightly, roster)
        {
            Fingerprints = roster.GroupFingerprints(),
            StoredFingerprints = stored,
            Identity = identity,
        };
        plan.ClassLinkUsers.AddRange(sensoUsers.Values.Where(u => string.Equals(u.Source, "classlink", StringComparison.OrdinalIgnoreCase))
            .Select(u => renamedFrom.TryGetValue(u.Email, out var rename) ? rename.NewEmail : u.Email));
        foreach (var teacher in roster.Evaluation.Teachers)
        {
            var decision = new DataSyncDecision
            {
                Email = teacher.Email,
                SourcedId = teacher.SourcedIds.FirstOrDefault() ?? "",
                Eligibility = (SyncEligibility)teacher.Reason,
                Action = !teacher.Eligible ? DataSyncAction.Ineligible : HasAccount(teacher.Email) ? DataSyncAction.Exists : DataSyncAction.NotCreated,
            };
            if (teacher.Email.Length > 0 && renamedTo.TryGetValue(teacher.Email, out var rename) && !plan.DecisionByEmail.ContainsKey(teacher.Email))
            {
                decision.Action = DataSyncAction.Renamed;
                decision.PreviousEmail = rename.OldEmail;
            }
            else if (teacher.Email.Length > 0 && conflictOf.TryGetValue(teacher.Email, out var conflict) && !plan.DecisionByEmail.ContainsKey(teacher.Email))
            {
                decision.Action = DataSyncAction.RenameFailed;
                decision.Reason = conflict.Reason;
                decision.Message = conflict.Message;
            }
            plan.Decisions.Add(decision);
            if (teacher.Email.Length > 0 && !plan.DecisionByEmail.ContainsKey(teacher.Email))
            {
                plan.DecisionByEmail.Add(teacher.Email, decision);
            }
        }
        // Accounts a conflicting teacher points at are that teacher's, not gone from the roster: they are left as they are.
        foreach (string email in plan.ClassLinkUsers.Where(e => !plan.DecisionByEmail.ContainsKey(e) && !heldAccounts.Contains(e)))
        {
            var decision = new DataSyncDecision { Email = email, Eligibility = SyncEligibility.NotInRoster, Action = DataSyncAction.NotInRoster };
            plan.Decisions.Add(decision);
            plan.DecisionByEmail.Add(email, decision);
        }
        plan.IdentityHeld.UnionWith(heldAccounts);
        plan.IdentityHeld.UnionWith(conflictOf.Keys);
        plan.Missing.AddRange(roster.Evaluation.Teachers.Where(t => t.Eligible && !HasAccount(t.Email) && !conflictOf.ContainsKey(t.Email)));
        plan.UsersExisting = roster.Evaluation.Teachers.Count(t => t.Eligible && HasAccount(t.Email));
        var storedFingerprintsView = stored;

        var byEmail = jobs.ToDictionary(j => j.Email, StringComparer.Ordinal);
        bool InBackoff(string email) => byEmail.TryGetValue(email, out var job) && job.Status == GroupSyncStatus.Queued && job.NextAttemptAt > now;
        foreach (string email in plan.ClassLinkUsers.Where(e => !plan.IdentityHeld.Contains(e) && !SameFingerprint(storedFingerprintsView, plan.Fingerprints, e)))
        {
            plan.GroupSyncs.Add(new PlannedGroupSync(email, "roster-change"));
            if (InBackoff(email))
            {
                plan.Waiting.Add(email);
            }
        }
        foreach (var job in byEmail.Values.Where(j => j.Status == GroupSyncStatus.Queued && j.NextAttemptAt <= now && !plan.IdentityHeld.Contains(j.Email)))
        {
            plan.GroupSyncs.Add(new PlannedGroupSync(job.Email, AlreadyQueued));
        }
        return plan;
    }

    /// <summary>The queue reason of a reactivated user's group sync.</summary>
    public const string ReactivatedReason = "reactivated";

    /// <summary>
    /// The nightly's departures: which ClassLink users have departed (each listed with its day count), which of them this
    /// run suspends, and which suspended users returned (reactivated, then their groups synced). Pure, like the rest of the plan.
    /// </summary>
    public static void PlanDepartures(SyncPlan plan, IReadOnlyDictionary<string, SensoUser> sensoUsers, IReadOnlyDictionary<string, DateTime> tracked,
        DateTime asOf, IntegrationSettings settings)
    {
        var departures = DeparturePlan.For(plan.Roster.Evaluation.Teachers, sensoUsers.Values, tracked, asOf, settings.SuspendDepartedUsers, settings.SuspendAfterDays);
        plan.Departures = departures;
        foreach (var departed in departures.Departed)
        {
            var decision = DecisionFor(plan, departed.Email);
            decision.Action = DataSyncAction.Departed;
            decision.DaysDeparted = departed.DaysDeparted;
            string since = $"No active teacher record in the roster since {departed.FirstDepartedOn:yyyy-MM-dd} ({Days(departed.DaysDeparted)})";
            if (departed.Suspend)
            {
                decision.Message = since + ".";
            }
            else if (departed.Due)
            {
                decision.Reason = "AlreadySuspended";
                decision.Message = since + "; suspended in an earlier run.";
            }
            else if (!settings.SuspendDepartedUsers)
            {
                decision.Reason = "SuspensionOff";
                decision.Message = since + "; SuspendDepartedUsers is off, so nothing was changed.";
            }
            else
            {
                decision.Reason = "NotYetDue";
                decision.Message = since + $"; suspended after {Days(settings.SuspendAfterDays)} (SuspendAfterDays).";
            }
        }
        foreach (var user in departures.Reactivations)
        {
            string email = CurrentEmail(plan, user);
            var decision = DecisionFor(plan, email);
            decision.Message = "Suspended, and an active teacher record is back in the roster.";
            if (!plan.IdentityHeld.Contains(email) && !plan.GroupSyncs.Any(g => g.Email == email))
            {
                plan.GroupSyncs.Add(new PlannedGroupSync(email, ReactivatedReason));
            }
        }
    }

    /// <summary>The email a user has after this run's renames.</summary>
    internal static string CurrentEmail(SyncPlan plan, SensoUser user) =>
        plan.Identity.Renames.FirstOrDefault(r => r.User.Id == user.Id)?.NewEmail ?? EmailAddress.Normalize(user.Email);

    private static DataSyncDecision DecisionFor(SyncPlan plan, string email)
    {
        if (!plan.DecisionByEmail.TryGetValue(email, out var decision))
        {
            decision = new DataSyncDecision { Email = email, Eligibility = SyncEligibility.NotInRoster, Action = DataSyncAction.NotInRoster };
            plan.Decisions.Add(decision);
            plan.DecisionByEmail.Add(email, decision);
        }
        return decision;
    }

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";

    /// <summary>The nightly's creates: the missing teachers, when Automatically Create Users is on.</summary>
    public static void PlanAutomaticCreates(SyncPlan plan)
    {
        foreach (var teacher in plan.Missing)
        {
            plan.Creates.Add(new PlannedCreate(new ImportRequest { Email = teacher.Email }, teacher));
        }
    }

    private static bool SameFingerprint(IReadOnlyDictionary<string, string> stored, IReadOnlyDictionary<string, string> current, string email)
    {
        bool had = stored.TryGetValue(email, out var before);
        bool has = current.TryGetValue(email, out var now);
        return had == has && (!had || string.Equals(before, now, StringComparison.Ordinal));
    }
}
