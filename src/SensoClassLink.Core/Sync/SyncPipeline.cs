using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// The one sync engine. Every command that creates accounts or syncs groups runs it with a <see cref="SyncScope"/>
/// and <see cref="SyncOptions"/>, through the same stages over one <see cref="SyncPlan"/>:
/// read (<see cref="RosterReader"/>: one pass, one index) → plan (<see cref="SyncPlanner"/>) → guards
/// (<see cref="SyncGuards"/>: completeness for every command; shrink guard and mass-change brake for the data sync)
/// → apply (<see cref="SyncApplier"/>: creates, then group syncs through the queue) → record (<see cref="SyncRecorder"/>:
/// journal, fingerprints, and the data sync's run record). One instance serves one command.
/// </summary>
public sealed class SyncPipeline
{
    private const int UserPageSize = 500;

    private readonly Func<RosterReadObserver, IRosterSource> _openRoster;
    private readonly ISensoProvider _senso;
    private readonly StateStore? _state;
    private readonly SyncOptions _options;
    private readonly DataSyncObserver _observer;
    private PlacementPlanner? _placement;
    private RosterReading? _reading;

    /// <param name="openRoster">Opens a fresh roster source reporting through the observer given.</param>
    /// <param name="state">The state store; null only under what-if when no state file exists yet.</param>
    public SyncPipeline(Func<RosterReadObserver, IRosterSource> openRoster, ISensoProvider senso, StateStore? state, SyncOptions options,
        DataSyncObserver? observer = null)
    {
        // Checked here too, so that a misuse fails before the roster is read.
        SyncApplier.RequireStateToWrite(state, options);
        _openRoster = openRoster;
        _senso = senso;
        _state = state;
        _options = options;
        _observer = observer ?? DataSyncObserver.None;
    }

    public SyncOptions Options => _options;

    /// <summary>
    /// Resolves where new accounts go (role, site by school) before anything is read or written, so an unknown role
    /// or site fails the command at once. Throws <see cref="NameNotFoundException"/> or <see cref="PlacementException"/>.
    /// </summary>
    public async Task PrepareImportAsync(CancellationToken ct)
    {
        var settings = await _senso.GetSettingsAsync(ct).ConfigureAwait(false);
        _placement = await PlacementPlanner.CreateAsync(_senso, _options.Role, _options.Site, settings, _options.SiteBySchool, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Uses a reading the caller already holds (the evaluation its upstream command just made, for the same roster and
    /// as-of date: see <see cref="RosterHandoff"/>) instead of reading the roster again.
    /// </summary>
    public void UseReading(RosterReading reading)
    {
        if (reading.AsOf.Date != _options.AsOf.Date)
        {
            throw new ArgumentException("The reading is for another as-of date.", nameof(reading));
        }
        _reading = reading;
    }

    /// <summary>
    /// The read stage alone: the roster read once (or the reading given to <see cref="UseReading"/>, when it has what is
    /// needed). <paramref name="onlyTeachers"/> lets a scope-capable source (REST) read just those teachers.
    /// </summary>
    public RosterReading Read(bool withGroups, IReadOnlyCollection<string>? onlyTeachers, CancellationToken ct) =>
        _reading is { Targeted: false } held && (!withGroups || held.HasGroups)
            ? held
            : new RosterReader(_openRoster, _observer, _options.Roster).Read(_options.AsOf, withGroups, onlyTeachers, ct);

    /// <summary>The emails of every Senso user that came from ClassLink (Sync-SensoUserGroup -All).</summary>
    public async Task<IReadOnlyList<string>> ClassLinkUserEmailsAsync(CancellationToken ct)
    {
        var users = await ReadSensoUsersAsync(ct).ConfigureAwait(false);
        return users.Values.Where(IsFromClassLink).Select(u => u.Email).ToList();
    }

    /// <summary>
    /// Runs the pipeline over <paramref name="scope"/>. Throws <see cref="RosterIncompleteException"/> (nothing written)
    /// when the roster was not read to its end, except for the data sync, which records that as a failed run.
    /// </summary>
    public Task<SyncResult> RunAsync(SyncScope scope, CancellationToken ct) => scope.Kind switch
    {
        SyncScopeKind.Import => ImportAsync(scope, ct),
        SyncScopeKind.Users => SyncUsersAsync(scope, ct),
        _ => NightlyAsync(ct),
    };

    private async Task<SyncResult> ImportAsync(SyncScope scope, CancellationToken ct)
    {
        if (_placement is null)
        {
            await PrepareImportAsync(ct).ConfigureAwait(false);
        }
        bool groupSyncs = !_options.WhatIf && !_options.NoGroupSync;
        // Read: groups are only planned when they will be synced now.
        var roster = Read(withGroups: groupSyncs && !_options.QueueOnly, scope.NamedTeachersOnly ? scope.Emails : null, ct);
        // Guards: an incomplete roster writes nothing (no account, no queued job).
        SyncGuards.RequireComplete(roster);
        // Plan, then apply the creates (journaled as they are decided).
        var plan = SyncPlanner.PlanImport(scope, roster);
        var applier = new SyncApplier(_senso, _state, _options, _observer);
        var recorder = new SyncRecorder(_options.WhatIf ? null : _state, Guid.NewGuid().ToString("D"));
        var decisions = await ImportOrRenameAsync(plan, applier, recorder, ct).ConfigureAwait(false);

        // Then the group syncs of every teacher with an account.
        var withAccount = decisions.Where(d => d.HasAccount).ToList();
        var outcomes = new List<GroupSyncOutcome>();
        if (groupSyncs && withAccount.Count > 0)
        {
            var emails = withAccount.Select(d => d.Email).Distinct(StringComparer.Ordinal).ToList();
            applier.Enqueue(emails, plan.NewAccountReason);
            if (_options.QueueOnly)
            {
                withAccount.ForEach(d => d.GroupSync = GroupSyncStatus.Queued);
            }
            else
            {
                _observer.Progress?.Invoke($"Syncing class groups of {emails.Count:N0} users", -1);
                outcomes.AddRange(await applier.SyncGroupsAsync(emails, roster, null, ct).ConfigureAwait(false));
                var byEmail = outcomes.ToDictionary(o => o.Email, StringComparer.Ordinal);
                withAccount.ForEach(d => d.GroupSync = byEmail[d.Email].Status);
            }
        }
        return new SyncResult(plan, decisions, outcomes, null);
    }

    /// <summary>
    /// The import's apply stage: a requested teacher whose roster sourcedId is already a ClassLink user's under another
    /// email is that user renamed (never a second account); an identity conflict fails and changes nothing; the rest are
    /// created through <see cref="TeacherImporter"/>. Decisions in request order, each journaled.
    /// </summary>
    private async Task<List<ImportDecision>> ImportOrRenameAsync(SyncPlan plan, SyncApplier applier, SyncRecorder recorder, CancellationToken ct)
    {
        var candidates = plan.Creates.Where(c => c.Teacher is { Email.Length: > 0 }).Select(c => c.Teacher!).ToList();
        if (candidates.Count > 0)
        {
            plan.Identity = IdentityPlan.For(candidates, await ReadSensoUsersAsync(ct).ConfigureAwait(false));
        }
        var identity = plan.Identity;
        var renameOutcomes = (await applier.RenameAsync(identity.Renames, ct).ConfigureAwait(false))
            .ToDictionary(o => o.Rename.NewEmail, StringComparer.Ordinal);
        var reactivations = await ReactivateRenamedAsync(plan, renameOutcomes.Values, applier, ct).ConfigureAwait(false);
        var toCreate = new List<PlannedCreate>();
        var byIndex = new ImportDecision?[plan.Creates.Count];
        var answered = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < plan.Creates.Count; i++)
        {
            var create = plan.Creates[i];
            string email = create.Teacher?.Email ?? "";
            bool repeat = email.Length > 0 && !answered.Add(email);
            if (email.Length > 0 && renameOutcomes.TryGetValue(email, out var outcome))
            {
                reactivations.TryGetValue(email, out var reactivation);
                byIndex[i] = RenameDecision(outcome, reactivation, repeat);
            }
            else if (email.Length > 0 && identity.ConflictFor(email) is { } conflict)
            {
                byIndex[i] = new ImportDecision
                {
                    Email = email, DisplayName = (create.Teacher!.GivenName + " " + create.Teacher.FamilyName).Trim(),
                    Status = ImportStatus.Failed, Reason = conflict.Reason, Message = conflict.Message,
                };
            }
            else
            {
                toCreate.Add(create);
            }
        }
        var created = await applier.CreateAsync(toCreate, _placement!, recorder, verboseEach: true, ct).ConfigureAwait(false);
        var decisions = new List<ImportDecision>(plan.Creates.Count);
        int next = 0;
        foreach (var decision in byIndex)
        {
            if (decision is null)
            {
                decisions.Add(created[next++]);
                continue;
            }
            decisions.Add(decision);
            _observer.Verbose?.Invoke($"{decision.Email}: {decision.Status} ({decision.Reason})");
            recorder.Journal(decision);
        }
        recorder.Flush();
        return decisions;
    }

    /// <summary>
    /// A renamed account that is suspended, for an eligible teacher, is reactivated as well: the rename path answers the
    /// teacher instead of <see cref="TeacherImporter"/>, so it applies TeacherImporter's rule (a suspended ClassLink
    /// teacher with an active record is reactivated, never left suspended). Renamed accounts only; by new email.
    /// </summary>
    private static async Task<Dictionary<string, StatusChangeOutcome>> ReactivateRenamedAsync(SyncPlan plan, IEnumerable<RenameOutcome> renames,
        SyncApplier applier, CancellationToken ct)
    {
        var eligible = new HashSet<string>(plan.Creates.Where(c => c.Teacher is { Eligible: true }).Select(c => c.Teacher!.Email), StringComparer.Ordinal);
        var due = renames.Where(o => o.Renamed && eligible.Contains(o.Rename.NewEmail)
                                     && (o.User ?? o.Rename.User).Status == SensoUserStatus.Suspended && IsFromClassLink(o.Rename.User)).ToList();
        var outcomes = await applier.SetStatusAsync(due.Select(o => o.User ?? o.Rename.User).ToList(), SensoUserStatus.Active, ct).ConfigureAwait(false);
        var byEmail = new Dictionary<string, StatusChangeOutcome>(StringComparer.Ordinal);
        for (int i = 0; i < due.Count; i++)
        {
            byEmail[due[i].Rename.NewEmail] = outcomes[i];
        }
        return byEmail;
    }

    private ImportDecision RenameDecision(RenameOutcome outcome, StatusChangeOutcome? reactivation, bool repeat)
    {
        var user = outcome.User ?? outcome.Rename.User;
        if (!outcome.Renamed)
        {
            return new ImportDecision
            {
                Email = outcome.Rename.NewEmail, DisplayName = user.DisplayName, Role = user.Role, Site = user.Site,
                Status = ImportStatus.Failed, Reason = outcome.Reason, Message = outcome.Message, UserId = user.Id,
            };
        }
        if (reactivation is not null && !repeat)
        {
            // Renamed and reactivated in one import: the status says the account is back (as the data sync's decision does),
            // PreviousEmail that it was renamed. A refused reactivation fails the teacher: the account is renamed, still suspended.
            return new ImportDecision
            {
                Email = outcome.Rename.NewEmail, DisplayName = user.DisplayName, Role = user.Role, Site = user.Site, UserId = user.Id,
                Status = !reactivation.Changed ? ImportStatus.Failed : _options.WhatIf ? ImportStatus.WhatIf : ImportStatus.Reactivated,
                Reason = reactivation.Changed ? OutcomeReason.Eligible : reactivation.Reason, PreviousEmail = outcome.Rename.OldEmail,
                Message = outcome.Message + " " + (reactivation.Changed
                    ? _options.WhatIf ? "Suspended; would be reactivated (the teacher has an active roster record again)."
                        : "Reactivated: the account was suspended and the teacher has an active roster record again."
                    : reactivation.Message),
            };
        }
        return new ImportDecision
        {
            Email = outcome.Rename.NewEmail, DisplayName = user.DisplayName, Role = user.Role, Site = user.Site, UserId = user.Id,
            Status = _options.WhatIf ? ImportStatus.WhatIf : repeat ? ImportStatus.Exists : ImportStatus.Renamed,
            Reason = OutcomeReason.Eligible, PreviousEmail = outcome.Rename.OldEmail,
            Message = repeat ? "Already renamed earlier in this run." : outcome.Message,
        };
    }

    private async Task<SyncResult> SyncUsersAsync(SyncScope scope, CancellationToken ct)
    {
        var emails = scope.Emails;
        var applier = new SyncApplier(_senso, _state, _options, _observer);
        if (_options.QueueOnly && !_options.WhatIf)
        {
            // Queueing needs no roster: the sync that runs the job reads it.
            applier.Enqueue(emails, "manual");
            var queued = emails.Select(e => new GroupSyncOutcome
            {
                Email = e, Status = GroupSyncStatus.Queued, Message = "Queued; the next data sync or Sync-SensoUserGroup runs it.",
            }).ToList();
            return new SyncResult(null, Array.Empty<ImportDecision>(), queued, null);
        }
        _observer.Progress?.Invoke($"Planning the groups of {emails.Count:N0} users from the roster", -1);
        var roster = Read(withGroups: true, scope.NamedTeachersOnly ? emails : null, ct);
        SyncGuards.RequireComplete(roster);
        var plan = SyncPlanner.PlanUsers(scope, roster);
        var answered = await RenameNamedUsersAsync(plan, roster, applier, ct).ConfigureAwait(false);
        var toSync = plan.GroupSyncs.Where(g => !answered.TryGetValue(g.Email, out var a) || a.Status == GroupSyncStatus.Completed && !_options.WhatIf).ToList();
        foreach (var group in toSync.GroupBy(g => g.Reason))
        {
            applier.Enqueue(group.Select(g => g.Email), group.Key);
        }
        var synced = (await applier.SyncGroupsAsync(toSync.Select(g => g.Email).ToList(), roster, null, ct).ConfigureAwait(false))
            .ToDictionary(o => o.Email, StringComparer.Ordinal);
        var outcomes = new List<GroupSyncOutcome>(plan.GroupSyncs.Count);
        foreach (var sync in plan.GroupSyncs)
        {
            answered.TryGetValue(sync.Email, out var identity);
            if (!synced.TryGetValue(sync.Email, out var outcome))
            {
                outcomes.Add(identity!);
                continue;
            }
            // A renamed account's result says so first: the same account, now under the roster's email.
            outcomes.Add(identity is null ? outcome : new GroupSyncOutcome
            {
                Email = outcome.Email, Status = outcome.Status, GroupsAdded = outcome.GroupsAdded, GroupsRemoved = outcome.GroupsRemoved,
                GroupsUpdated = outcome.GroupsUpdated, GroupsUnchanged = outcome.GroupsUnchanged, Reason = outcome.Reason,
                Message = identity.Message + " " + outcome.Message,
            });
        }
        return new SyncResult(plan, Array.Empty<ImportDecision>(), outcomes, null);
    }

    /// <summary>
    /// The Users scope's identity stage, as the import and the data sync have it: a named email that is a roster
    /// teacher's new address, whose sourcedId is a ClassLink account under its old one, is that account renamed before
    /// its groups are synced (never "no Senso account", never another account's groups). A conflict (EmailInUse,
    /// AmbiguousIdentity) or a refused rename is answered Failed and nothing changes for that user. Returns the answer per
    /// email it touched: Completed (renamed, or would be under what-if: then no group preview, the account still has its
    /// old email) or Failed.
    /// </summary>
    private async Task<Dictionary<string, GroupSyncOutcome>> RenameNamedUsersAsync(SyncPlan plan, RosterReading roster, SyncApplier applier, CancellationToken ct)
    {
        var answered = new Dictionary<string, GroupSyncOutcome>(StringComparer.Ordinal);
        var teachers = plan.GroupSyncs.Select(g => roster.Evaluation.Find(g.Email)).Where(t => t is { SourcedIds.Count: > 0 }).Select(t => t!).ToList();
        if (teachers.Count == 0)
        {
            return answered;
        }
        plan.Identity = IdentityPlan.For(teachers, await ReadSensoUsersAsync(ct).ConfigureAwait(false));
        foreach (var conflict in plan.Identity.Conflicts)
        {
            answered[conflict.Email] = new GroupSyncOutcome { Email = conflict.Email, Status = GroupSyncStatus.Failed, Reason = conflict.Reason, Message = conflict.Message };
        }
        foreach (var outcome in await applier.RenameAsync(plan.Identity.Renames, ct).ConfigureAwait(false))
        {
            string email = outcome.Rename.NewEmail;
            answered[email] = new GroupSyncOutcome
            {
                Email = email, Status = outcome.Renamed ? GroupSyncStatus.Completed : GroupSyncStatus.Failed,
                Reason = outcome.Renamed ? "" : outcome.Reason,
                Message = outcome.Renamed && _options.WhatIf ? outcome.Message + " Its groups are synced under the new email after the rename." : outcome.Message,
            };
            _observer.Verbose?.Invoke($"{email}: {outcome.Message}");
        }
        return answered;
    }

    private async Task<SyncResult> NightlyAsync(CancellationToken ct)
    {
        var runner = new DataSyncRunner(this, _senso, _state, _options, _observer);
        var run = await runner.RunAsync(ct).ConfigureAwait(false);
        run.RosterIncomplete = runner.RosterIncomplete;
        return new SyncResult(runner.Plan, Array.Empty<ImportDecision>(), Array.Empty<GroupSyncOutcome>(), run);
    }

    internal async Task<Dictionary<string, SensoUser>> ReadSensoUsersAsync(CancellationToken ct)
    {
        var users = new Dictionary<string, SensoUser>(StringComparer.Ordinal);
        for (int skip = 0; ; skip += UserPageSize)
        {
            var page = await _senso.SearchUsersAsync(null, UserPageSize, skip, ct).ConfigureAwait(false);
            foreach (var user in page.Users)
            {
                users[EmailAddress.Normalize(user.Email)] = user;
            }
            if (page.Users.Count < UserPageSize)
            {
                return users;
            }
        }
    }

    internal static bool IsFromClassLink(SensoUser user) => string.Equals(user.Source, "classlink", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What one pipeline run did (or, under what-if, would do).</summary>
public sealed class SyncResult
{
    public SyncResult(SyncPlan? plan, IReadOnlyList<ImportDecision> imports, IReadOnlyList<GroupSyncOutcome> groupSyncs, DataSyncResult? run)
    {
        Plan = plan;
        Imports = imports;
        GroupSyncs = groupSyncs;
        Run = run;
    }

    /// <summary>The plan the run carried out; null when it needed none (queueing only) or stopped before planning.</summary>
    public SyncPlan? Plan { get; }

    /// <summary>Import: one decision per request, in request order (with the group sync that followed).</summary>
    public IReadOnlyList<ImportDecision> Imports { get; }

    /// <summary>Users scope: one outcome per distinct email, in scope order. Import: one per teacher with an account.</summary>
    public IReadOnlyList<GroupSyncOutcome> GroupSyncs { get; }

    /// <summary>The data sync: its run record and decisions.</summary>
    public DataSyncResult? Run { get; }
}
