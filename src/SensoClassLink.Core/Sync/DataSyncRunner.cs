using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// The data sync's scope of <see cref="SyncPipeline"/> (Invoke-ClassLinkSync, built for an unattended nightly task),
/// in this order: (1) read the whole roster once; a roster not read to its end fails the run before any write;
/// (2) plan; (3) the shrink guard; (4) automatic creation of eligible teachers missing from Senso, behind the
/// mass-change brake; (5) queue a group sync for every ClassLink user whose groups differ from the roster and process
/// the queue, retrying earlier failures that are due; (6) record fingerprints and the run. Runs are serialized by the
/// state store's run lock, and every write is idempotent, so a killed run is finished by running again.
/// </summary>
internal sealed class DataSyncRunner
{
    private readonly SyncPipeline _pipeline;
    private readonly ISensoProvider _senso;
    private readonly StateStore? _state;
    private readonly SyncOptions _options;
    private readonly DataSyncObserver _observer;
    private readonly object _lockGate = new();
    private RunLock? _runLock;
    private Stopwatch _sinceRenewal = new();

    /// <param name="state">The state store; null only for a what-if run when no state file exists yet.</param>
    public DataSyncRunner(SyncPipeline pipeline, ISensoProvider senso, StateStore? state, SyncOptions options, DataSyncObserver observer)
    {
        _pipeline = pipeline;
        _senso = senso;
        _state = state;
        _options = options;
        _observer = observer;
    }

    /// <summary>The run's plan, once made.</summary>
    public SyncPlan? Plan { get; private set; }

    /// <summary>
    /// Runs the sync. Throws <see cref="RunInProgressException"/> (before anything is recorded) when another run
    /// holds the lock, and <see cref="OperationCanceledException"/> after recording the run as Failed when cancelled.
    /// Every other failure ends the run as Failed with the error recorded, and is answered, not thrown.
    /// </summary>
    public async Task<DataSyncResult> RunAsync(CancellationToken cancellationToken)
    {
        var run = new RunBuilder { StartedAt = DateTimeOffset.UtcNow, Forced = _options.Force };
        var decisions = new List<DataSyncDecision>();
        bool whatIf = _options.WhatIf;
        if (!whatIf)
        {
            _runLock = _state!.RunLock.Acquire(_options.LockOwner, TimeSpan.Zero, _options.LockLease, cancellationToken);
            _sinceRenewal = Stopwatch.StartNew();
        }
        try
        {
            if (!whatIf)
            {
                RecoverInterruptedRun();
                _state!.RunHistory.Save(run.Build(SyncRunStatus.Running, null));
            }
            var status = await RunStagesAsync(run, decisions, cancellationToken).ConfigureAwait(false);
            var record = run.Build(status, DateTimeOffset.UtcNow);
            if (!whatIf)
            {
                _state!.RunHistory.Save(record);
            }
            Verbose($"Run {record.Status}: {record.Figures.UsersCreated:N0} users created, {record.Figures.GroupSyncsCompleted:N0} group syncs completed, " +
                    $"{record.Figures.GroupSyncsFailed:N0} failed, {record.Errors.Count:N0} errors, in {Seconds(record.EndedAt!.Value - record.StartedAt)}.");
            return new DataSyncResult(record, whatIf, decisions);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Message = "Stopped before it finished (cancelled). Run it again to finish: what was done is kept, and queued group syncs are finished.";
            if (!whatIf)
            {
                _state!.RunHistory.Save(run.Build(SyncRunStatus.Failed, DateTimeOffset.UtcNow));
            }
            throw;
        }
        catch (Exception ex)
        {
            run.Message ??= "The run failed: " + ex.Message;
            run.Errors.Add(ex.Message);
            var record = run.Build(SyncRunStatus.Failed, DateTimeOffset.UtcNow);
            if (!whatIf)
            {
                _state!.RunHistory.Save(record);
            }
            return new DataSyncResult(record, whatIf, decisions);
        }
        finally
        {
            lock (_lockGate)
            {
                _runLock?.Dispose();
                _runLock = null;
            }
        }
    }

    private async Task<SyncRunStatus> RunStagesAsync(RunBuilder run, List<DataSyncDecision> decisions, CancellationToken ct)
    {
        bool whatIf = _options.WhatIf;

        // 1. Read: one pass over the roster answers eligibility, fingerprints and group plans. Nothing is written yet.
        var stage = Stopwatch.StartNew();
        Progress("Reading the roster", -1);
        RosterReading roster;
        try
        {
            roster = _pipeline.Read(withGroups: true, onlyTeachers: null, ct);
        }
        catch (RosterReadException ex)
        {
            run.Message = "The roster pull was incomplete, so nothing was written: " + ex.Message;
            run.Errors.Add(ex.Message);
            return SyncRunStatus.Failed;
        }
        run.DataQualityWarnings = roster.DataQualityWarnings;
        try
        {
            SyncGuards.RequireComplete(roster);
        }
        catch (RosterIncompleteException ex)
        {
            // A file that could not be read to its end would make teachers lose classes they still have.
            run.Message = ex.Message;
            run.Errors.Add(ex.Truncation.ToString());
            RosterIncomplete = ex;
            return SyncRunStatus.Failed;
        }
        var stats = roster.Evaluation.Statistics;
        run.SetRoster(stats);
        Verbose($"Stage 1 (pull): {stats.Schools:N0} schools, {stats.Teachers:N0} teachers ({stats.EligibleTeachers:N0} eligible), " +
                $"{stats.Students:N0} students, {stats.Classes:N0} classes, {stats.Enrollments:N0} enrollments, {run.DataQualityWarnings:N0} data-quality warnings, in {Seconds(stage.Elapsed)}.");
        Heartbeat();

        // 2. Plan: what Senso and the queue hold against the roster.
        var sensoUsers = await _pipeline.ReadSensoUsersAsync(ct).ConfigureAwait(false);
        var plan = SyncPlanner.PlanNightly(roster, sensoUsers, _state?.Fingerprints.GetAll() ?? new Dictionary<string, string>(),
            _state?.GroupSyncQueue.GetJobs() ?? Array.Empty<GroupSyncJob>(), _options.Clock());
        Plan = plan;
        var settings = await _senso.GetSettingsAsync(ct).ConfigureAwait(false);
        SyncPlanner.PlanDepartures(plan, sensoUsers, _state?.Departures.GetAll() ?? new Dictionary<string, DateTime>(), _options.AsOf, settings);
        decisions.AddRange(plan.Decisions);

        // 3. Shrink guard (roster figures, and a mass departure of ClassLink users), then the suspension brake.
        var lastSuccessful = _state?.RunHistory.GetLast(SyncOptions.NightlyRunKind, SyncRunStatus.Completed, SyncRunStatus.CompletedWithErrors);
        var shrink = SyncGuards.Shrink(lastSuccessful, stats)
            .Concat(SyncGuards.ShrinkByDepartures(plan.Departures, plan.ClassLinkUsers.Count, _state?.Departures.HasBaseline ?? false)).ToList();
        run.UsersDeparted = plan.Departures.Departed.Count;
        if (shrink.Count > 0)
        {
            string against = lastSuccessful is null ? "" : $" against the last successful run of {lastSuccessful.StartedAt:yyyy-MM-dd HH:mm} UTC";
            if (HeldUnlessForced("Stage 2 (shrink guard)",
                    $"Held by the shrink guard: {string.Join("; ", shrink)}{against}. Nothing was written. Check the export, then run with -Force if the roster really shrank.",
                    $"{string.Join("; ", shrink)}{against}; going on because of -Force."))
            {
                return SyncRunStatus.Held;
            }
        }
        else
        {
            Verbose("Stage 2 (shrink guard): roster size is plausible.");
        }
        int suspensions = plan.Departures.Suspensions.Count();
        if (SyncGuards.SuspensionBrakeHolds(suspensions, _options) && HeldUnlessForced("Stage 2 (suspension brake)",
                $"Held by the suspension brake: {suspensions:N0} departed users would be suspended, more than import.maxSuspensionsPerRun ({_options.MaxSuspensionsPerRun:N0}). " +
                "Nothing was written. Check the roster, then run with -Force or raise import.maxSuspensionsPerRun.",
                $"{suspensions:N0} suspensions exceed import.maxSuspensionsPerRun ({_options.MaxSuspensionsPerRun:N0}); going on because of -Force."))
        {
            return SyncRunStatus.Held;
        }

        // The mass-change brake is judged with the other guards, before the first write (a rename), so a held run wrote nothing.
        var missing = plan.Missing;
        if (settings.AutomaticallyCreateUsers)
        {
            run.UsersToCreate = missing.Count;
            if (SyncGuards.BrakeHolds(missing.Count, _options) && HeldUnlessForced("Stage 3 (create)",
                    $"Held by the mass-change brake: {missing.Count:N0} users would be created, more than import.maxCreatesPerRun ({_options.MaxCreatesPerRun:N0}). " +
                    "Nothing was written. Check the roster, then run with -Force or raise import.maxCreatesPerRun.",
                    $"{missing.Count:N0} creates exceed import.maxCreatesPerRun ({_options.MaxCreatesPerRun:N0}); going on because of -Force."))
            {
                return SyncRunStatus.Held;
            }
        }

        // A guard that tripped holds the run (its message, every decision Held) unless -Force, which is said in the verbose stream.
        bool HeldUnlessForced(string stage, string heldMessage, string forcedLine)
        {
            if (_options.Force)
            {
                Verbose(stage + ": " + forcedLine);
                return false;
            }
            run.Message = heldMessage;
            Verbose(stage + ": " + run.Message);
            MarkHeld(decisions, plan);
            return true;
        }

        // 4. Identity: accounts whose roster email changed (same sourcedId) are renamed, before anything could create a second one.
        var applier = new SyncApplier(_senso, _state, _options, _observer, Heartbeat);
        await RenameAsync(run, plan, applier, ct).ConfigureAwait(false);

        // 5. Automatic creation. Placement names are resolved before any write.
        stage.Restart();
        var newUsers = new List<string>();

        // Departures: suspensions after the renames (and past every brake), reactivations before the group syncs.
        await ChangeStatusesAsync(run, plan, applier, ct).ConfigureAwait(false);

        if (!settings.AutomaticallyCreateUsers)
        {
            foreach (var teacher in missing)
            {
                plan.DecisionByEmail[teacher.Email].Reason = "AutomaticCreationOff";
                plan.DecisionByEmail[teacher.Email].Message = "Eligible, but Automatically Create Users is off; import with Import-SensoUser.";
            }
            Verbose($"Stage 3 (create): Automatically Create Users is off; {missing.Count:N0} eligible teachers have no account.");
        }
        else
        {
            if (missing.Count > 0)
            {
                PlacementPlanner placement;
                try
                {
                    placement = await PlacementPlanner.CreateAsync(_senso, null, null, settings, _options.SiteBySchool, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NameNotFoundException or PlacementException)
                {
                    run.Message = "Automatic creation cannot place users, so nothing was written: " + ex.Message;
                    run.Errors.Add(ex.Message);
                    return SyncRunStatus.Failed;
                }
                SyncPlanner.PlanAutomaticCreates(plan);
                var recorder = new SyncRecorder(whatIf ? null : _state, run.RunId);
                var results = await applier.CreateAsync(plan.Creates, placement, recorder, verboseEach: false, ct).ConfigureAwait(false);
                newUsers = CountCreates(run, results, plan);
            }
            Verbose($"Stage 3 (create): {run.UsersCreated:N0} created, {run.UsersFailed:N0} failed of {missing.Count:N0} missing, in {Seconds(stage.Elapsed)}.");
        }
        run.UsersExisting = plan.UsersExisting;
        Heartbeat();

        // 6. Group syncs: new users, users whose roster groups changed, and queued jobs that are due.
        stage.Restart();
        await SyncGroupsAsync(run, roster, plan, applier, newUsers, decisions, ct).ConfigureAwait(false);
        Verbose($"Stage 4 (group sync): {run.GroupSyncsQueued:N0} queued, {run.GroupSyncsCompleted:N0} completed, {run.GroupSyncsFailed:N0} failed, " +
                $"{run.GroupSyncsPending:N0} pending, in {Seconds(stage.Elapsed)}.");

        // 7. Departure days, last: only a run that got this far (Completed or CompletedWithErrors) moves the count.
        if (!whatIf)
        {
            _state!.Departures.ReplaceAll(plan.Departures.Tracking);
        }
        return run.Errors.Count == 0 ? SyncRunStatus.Completed : SyncRunStatus.CompletedWithErrors;
    }

    /// <summary>Suspends the departed users that are due, then reactivates suspended users who returned; reports both in the decisions and the run.</summary>
    private async Task ChangeStatusesAsync(RunBuilder run, SyncPlan plan, SyncApplier applier, CancellationToken ct)
    {
        bool whatIf = _options.WhatIf;
        var due = plan.Departures.Suspensions.ToList();
        var suspended = await applier.SetStatusAsync(due.Select(d => d.User).ToList(), SensoUserStatus.Suspended, ct).ConfigureAwait(false);
        for (int i = 0; i < suspended.Count; i++)
        {
            bool done = RecordStatusChange(due[i].Email, suspended[i], whatIf ? DataSyncAction.WouldSuspend : DataSyncAction.Suspended, DataSyncAction.SuspendFailed, "suspended");
            run.UsersSuspended += done && !whatIf ? 1 : 0;
        }
        var returning = plan.Departures.Reactivations;
        var reactivated = await applier.SetStatusAsync(returning, SensoUserStatus.Active, ct).ConfigureAwait(false);
        for (int i = 0; i < reactivated.Count; i++)
        {
            bool done = RecordStatusChange(SyncPlanner.CurrentEmail(plan, returning[i]), reactivated[i],
                whatIf ? DataSyncAction.WouldReactivate : DataSyncAction.Reactivated, DataSyncAction.ReactivateFailed, "reactivated");
            run.UsersReactivated += done && !whatIf ? 1 : 0;
        }

        // One status change in the user's decision (and the run's errors when it failed); true when it was made (or would be).
        bool RecordStatusChange(string email, StatusChangeOutcome outcome, DataSyncAction made, DataSyncAction failed, string verb)
        {
            var decision = plan.DecisionByEmail[email];
            decision.Message = decision.Message + " " + outcome.Message;
            if (outcome.Changed)
            {
                decision.Action = made;
                return true;
            }
            decision.Action = failed;
            decision.Reason = outcome.Reason;
            run.Errors.Add($"{email}: not {verb} ({outcome.Reason}): {outcome.Message}");
            return false;
        }
        if (plan.Departures.Departed.Count + returning.Count > 0)
        {
            Verbose($"Departures: {plan.Departures.Departed.Count:N0} departed, {suspended.Count(o => o.Changed):N0} {(whatIf ? "would be suspended" : "suspended")}, " +
                    $"{reactivated.Count(o => o.Changed):N0} {(whatIf ? "would be reactivated" : "reactivated")}, {suspended.Count(o => !o.Changed) + reactivated.Count(o => !o.Changed):N0} failed.");
        }
    }

    /// <summary>Set when the run failed because the roster was not read to its end (the command reports it as such).</summary>
    public RosterIncompleteException? RosterIncomplete { get; private set; }

    /// <summary>Applies the planned renames and reports them, and the identity conflicts, in the decisions and the run's errors.</summary>
    private async Task RenameAsync(RunBuilder run, SyncPlan plan, SyncApplier applier, CancellationToken ct)
    {
        foreach (var conflict in plan.Identity.Conflicts)
        {
            run.Errors.Add($"{conflict.Email}: not renamed ({conflict.Reason}): {conflict.Message}");
        }
        var outcomes = await applier.RenameAsync(plan.Identity.Renames, ct).ConfigureAwait(false);
        foreach (var outcome in outcomes)
        {
            var decision = plan.DecisionByEmail[outcome.Rename.NewEmail];
            decision.Message = outcome.Message;
            if (outcome.Renamed)
            {
                decision.Action = _options.WhatIf ? DataSyncAction.WouldRename : DataSyncAction.Renamed;
                if (!_options.WhatIf)
                {
                    run.UsersRenamed++;
                }
                else
                {
                    // Under what-if the account still has its old email, so its groups cannot be previewed under the new one.
                    plan.IdentityHeld.Add(outcome.Rename.NewEmail);
                }
                continue;
            }
            // Not renamed: the account keeps its old email and its groups are left as they are.
            decision.Action = DataSyncAction.RenameFailed;
            decision.Reason = outcome.Reason;
            decision.PreviousEmail = "";
            int at = plan.ClassLinkUsers.IndexOf(outcome.Rename.NewEmail);
            if (at >= 0)
            {
                plan.ClassLinkUsers[at] = outcome.Rename.OldEmail;
            }
            plan.IdentityHeld.Add(outcome.Rename.NewEmail);
            plan.IdentityHeld.Add(outcome.Rename.OldEmail);
            plan.GroupSyncs.RemoveAll(g => g.Email == outcome.Rename.NewEmail || g.Email == outcome.Rename.OldEmail);
            run.Errors.Add($"{outcome.Rename.NewEmail}: not renamed ({outcome.Reason}): {outcome.Message}");
        }
        if (plan.IdentityHeld.Count > 0)
        {
            plan.GroupSyncs.RemoveAll(g => plan.IdentityHeld.Contains(g.Email));
        }
        if (plan.Identity.Renames.Count + plan.Identity.Conflicts.Count > 0)
        {
            Verbose($"Identity: {outcomes.Count(o => o.Renamed):N0} {(_options.WhatIf ? "would be renamed" : "renamed")}, " +
                    $"{outcomes.Count(o => !o.Renamed) + plan.Identity.Conflicts.Count:N0} not renamed (conflicts).");
        }
    }

    /// <summary>Counts the creates into the run and its decisions; returns the users whose groups are synced like a new user's.</summary>
    private static List<string> CountCreates(RunBuilder run, IReadOnlyList<ImportDecision> results, SyncPlan plan)
    {
        var created = new List<string>();
        foreach (var result in results)
        {
            var decision = plan.DecisionByEmail[result.Email];
            decision.Message = result.Message;
            switch (result.Status)
            {
                case ImportStatus.Created:
                    run.UsersCreated++;
                    decision.Action = DataSyncAction.Created;
                    created.Add(result.Email);
                    break;
                case ImportStatus.Exists:
                case ImportStatus.Reactivated:
                    // Created meanwhile by someone else: it exists, and its groups are synced like a new user's.
                    decision.Action = DataSyncAction.Exists;
                    created.Add(result.Email);
                    break;
                case ImportStatus.WhatIf:
                    decision.Action = DataSyncAction.WouldCreate;
                    created.Add(result.Email);
                    break;
                default:
                    run.UsersFailed++;
                    decision.Action = DataSyncAction.CreateFailed;
                    decision.Reason = result.Reason;
                    run.Errors.Add($"{result.Email}: the account could not be created ({result.Reason}): {result.Message}");
                    break;
            }
        }
        return created;
    }

    private async Task SyncGroupsAsync(RunBuilder run, RosterReading roster, SyncPlan plan, SyncApplier applier, List<string> newUsers,
        List<DataSyncDecision> decisions, CancellationToken ct)
    {
        bool whatIf = _options.WhatIf;
        var waiting = new HashSet<string>(plan.Waiting, StringComparer.Ordinal);
        var changed = plan.GroupSyncs.Where(g => g.Reason == "roster-change").Select(g => g.Email).ToList();
        var toSync = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string email in newUsers.Concat(plan.GroupSyncs.Where(g => !waiting.Contains(g.Email) || g.Reason == SyncPlanner.AlreadyQueued).Select(g => g.Email)))
        {
            if (seen.Add(email))
            {
                toSync.Add(email);
            }
        }
        var reactivated = plan.GroupSyncs.Where(g => g.Reason == SyncPlanner.ReactivatedReason).Select(g => g.Email).ToList();
        run.GroupSyncsQueued = newUsers.Count + changed.Count + reactivated.Count;
        applier.Enqueue(newUsers, plan.NewAccountReason);
        applier.Enqueue(changed, "roster-change");
        applier.Enqueue(reactivated, SyncPlanner.ReactivatedReason);
        var jobs = (_state?.GroupSyncQueue.GetJobs() ?? Array.Empty<GroupSyncJob>()).ToDictionary(j => j.Email, StringComparer.Ordinal);
        foreach (string email in plan.Waiting)
        {
            Describe(decisions, plan.DecisionByEmail, email, GroupSyncStatus.Pending, $"Waiting to retry after {jobs[email].NextAttemptAt:u}.");
        }

        var outcomes = await applier.SyncGroupsAsync(toSync, roster, whatIf ? newUsers : null, ct).ConfigureAwait(false);
        foreach (var outcome in outcomes)
        {
            if (outcome.Status == GroupSyncStatus.Completed)
            {
                run.GroupSyncsCompleted++;
                run.GroupsRemoved.UnionWith(outcome.GroupsRemoved);
                Describe(decisions, plan.DecisionByEmail, outcome.Email, whatIf ? GroupSyncStatus.WouldSync : GroupSyncStatus.Synced, outcome.Message, outcome);
            }
            else
            {
                run.GroupSyncsFailed++;
                run.Errors.Add($"{outcome.Email}: the group sync failed ({outcome.Reason}): {outcome.Message}");
                Describe(decisions, plan.DecisionByEmail, outcome.Email, GroupSyncStatus.Failed, outcome.Message);
            }
        }
        foreach (var decision in plan.DecisionByEmail.Values.Where(d => d.GroupSync == GroupSyncStatus.None && d.Action is DataSyncAction.Exists or DataSyncAction.Created or DataSyncAction.Renamed or DataSyncAction.Reactivated))
        {
            decision.GroupSync = GroupSyncStatus.Unchanged;
        }

        if (whatIf)
        {
            var now = _options.Clock();
            run.GroupSyncsPending = jobs.Values.Count(j => j.Status == GroupSyncStatus.Queued && j.NextAttemptAt > now);
            return;
        }
        run.GroupSyncsPending = new SyncRecorder(_state, run.RunId).RecordFingerprints(plan, newUsers);
    }

    private static void Describe(List<DataSyncDecision> decisions, Dictionary<string, DataSyncDecision> byEmail, string email, GroupSyncStatus groupAction, string message, GroupSyncOutcome? outcome = null)
    {
        if (!byEmail.TryGetValue(email, out var decision))
        {
            // A queued job for a user who is neither in the roster nor a ClassLink user in Senso.
            decision = new DataSyncDecision { Email = email, Eligibility = SyncEligibility.NotInRoster, Action = DataSyncAction.NotInRoster };
            byEmail.Add(email, decision);
            decisions.Add(decision);
        }
        decision.GroupSync = groupAction;
        decision.Message = decision.Message.Length == 0 ? message : decision.Message + " " + message;
        if (outcome is not null)
        {
            decision.GroupsAdded = outcome.GroupsAdded;
            decision.GroupsUpdated = outcome.GroupsUpdated;
            decision.GroupsRemoved = outcome.GroupsRemoved;
        }
    }

    private static void MarkHeld(List<DataSyncDecision> decisions, SyncPlan plan)
    {
        foreach (var decision in decisions.Where(d => d.Action == DataSyncAction.NotCreated))
        {
            decision.Reason = "Held";
        }
        foreach (var departed in plan.Departures.Suspensions)
        {
            var decision = plan.DecisionByEmail[departed.Email];
            decision.Reason = "Held";
            decision.Message += " The run was held, so the account was not suspended.";
        }
    }

    /// <summary>Marks runs left Running by a killed process as Failed, and puts their Running jobs back in the queue.</summary>
    private void RecoverInterruptedRun()
    {
        _state!.RunHistory.MarkInterrupted(SyncOptions.NightlyRunKind);
        int requeued = _state.GroupSyncQueue.RequeueInterrupted();
        if (requeued > 0)
        {
            Verbose($"Recovered {requeued:N0} group syncs left running by an interrupted run.");
        }
    }

    /// <summary>Renews the run lock now and then, so a long run keeps it and a killed one loses it within the lease.</summary>
    private void Heartbeat()
    {
        lock (_lockGate)
        {
            if (_runLock is not null && _sinceRenewal.Elapsed > TimeSpan.FromTicks(_options.LockLease.Ticks / 4))
            {
                _runLock.Renew();
                _sinceRenewal.Restart();
            }
        }
    }

    private void Verbose(string line) => _observer.Verbose?.Invoke(line);

    private void Progress(string status, int percent) => _observer.Progress?.Invoke(status, percent);

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    /// <summary>The figures of a run as it goes.</summary>
    private sealed class RunBuilder
    {
        public int DataQualityWarnings;

        public string RunId { get; } = Guid.NewGuid().ToString("D");
        public DateTimeOffset StartedAt { get; init; }
        public bool Forced { get; init; }
        public RosterStatistics? Roster { get; private set; }
        public int UsersToCreate { get; set; }
        public int UsersCreated { get; set; }
        public int UsersExisting { get; set; }
        public int UsersFailed { get; set; }
        public int UsersRenamed { get; set; }
        public int UsersDeparted { get; set; }
        public int UsersSuspended { get; set; }
        public int UsersReactivated { get; set; }
        /// <summary>Distinct group keys removed from an owner by this run's group syncs.</summary>
        public HashSet<string> GroupsRemoved { get; } = new(StringComparer.Ordinal);
        public int GroupSyncsQueued { get; set; }
        public int GroupSyncsCompleted { get; set; }
        public int GroupSyncsFailed { get; set; }
        public int GroupSyncsPending { get; set; }
        public List<string> Errors { get; } = new();
        public string? Message { get; set; }

        public void SetRoster(RosterStatistics statistics) => Roster = statistics;

        public SyncRunRecord Build(SyncRunStatus status, DateTimeOffset? endedAt) => new()
        {
            RunId = RunId,
            Kind = SyncOptions.NightlyRunKind,
            StartedAt = StartedAt,
            EndedAt = endedAt,
            Status = status,
            Forced = Forced,
            Errors = Errors.ToArray(),
            Message = Message,
            Figures = new SyncRunFigures
            {
                RosterUsers = Roster is null ? 0 : Roster.TeacherRecords + Roster.Students,
                RosterSchools = Roster?.Schools ?? 0,
                RosterTeachers = Roster?.Teachers ?? 0,
                EligibleTeachers = Roster?.EligibleTeachers ?? 0,
                TeachersByReason = Roster is null
                    ? new Dictionary<string, int>()
                    : Roster.TeachersByReason.ToDictionary(p => p.Key.ToString(), p => p.Value, StringComparer.Ordinal),
                RosterStudents = Roster?.Students ?? 0,
                RosterClasses = Roster?.Classes ?? 0,
                RosterEnrollments = (int)Math.Min(int.MaxValue, Roster?.Enrollments ?? 0),
                DataQualityWarnings = DataQualityWarnings,
                UsersToCreate = UsersToCreate,
                UsersCreated = UsersCreated,
                UsersExisting = UsersExisting,
                UsersFailed = UsersFailed,
                UsersRenamed = UsersRenamed,
                UsersDeparted = UsersDeparted,
                UsersSuspended = UsersSuspended,
                UsersReactivated = UsersReactivated,
                GroupsRemoved = GroupsRemoved.Count,
                GroupSyncsQueued = GroupSyncsQueued,
                GroupSyncsCompleted = GroupSyncsCompleted,
                GroupSyncsFailed = GroupSyncsFailed,
                GroupSyncsPending = GroupSyncsPending,
            },
        };
    }
}
