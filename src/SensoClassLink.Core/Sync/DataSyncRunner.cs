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
/// One Roster Server data sync, in this order: (1) pull and evaluate the whole roster, and plan from it; an
/// incomplete pull fails the run before any write; (2) the shrink guard; (3) automatic creation of eligible
/// teachers missing from Senso through <see cref="TeacherImporter"/>, behind the mass-change brake; (4) queue a
/// group sync for every ClassLink user whose groups differ from the roster and process the queue, retrying
/// earlier failures that are due; (5) the run record. Runs are serialized by the state store's run lock, and
/// every write is idempotent, so a killed run is finished by running again.
/// </summary>
public sealed class DataSyncRunner
{
    private const int UserPageSize = 500;

    private readonly Func<RosterReadObserver, IRosterSource> _openRoster;
    private readonly ISensoProvider _senso;
    private readonly StateStore? _state;
    private readonly DataSyncOptions _options;
    private readonly DataSyncObserver _observer;
    private readonly object _lockGate = new();
    private RunLock? _runLock;
    private Stopwatch _sinceRenewal = new();

    /// <param name="openRoster">Opens a fresh roster source reporting through the observer given.</param>
    /// <param name="state">The state store; null only for a what-if run when no state file exists yet.</param>
    public DataSyncRunner(Func<RosterReadObserver, IRosterSource> openRoster, ISensoProvider senso, StateStore? state,
        DataSyncOptions options, DataSyncObserver? observer = null)
    {
        if (state is null && !options.WhatIf)
        {
            throw new ArgumentException("A data sync that writes needs the state store.", nameof(state));
        }
        _openRoster = openRoster;
        _senso = senso;
        _state = state;
        _options = options;
        _observer = observer ?? DataSyncObserver.None;
    }

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

        // 1. Pull: evaluate the whole roster and fingerprint every teacher's groups. Nothing is written yet.
        // The roster is read once: a remote source is snapshotted on its first read, so fingerprints and group
        // plans come from the same records as eligibility (and the district is pulled once, not three times).
        var stage = Stopwatch.StartNew();
        Progress("Reading the roster", -1);
        RosterEvaluation evaluation;
        IReadOnlyDictionary<string, string> fingerprints;
        DataQualityWarning? unreadRest = null;
        var counting = new RosterReadObserver
        {
            Warning = w =>
            {
                Interlocked.Increment(ref run.DataQualityWarnings);
                if (w.RestOfFileUnread)
                {
                    Interlocked.CompareExchange(ref unreadRest, w, null);
                }
                _observer.Warning?.Invoke(w);
            },
            Progress = p => Progress($"Reading {p.Collection}: {p.RecordsRead:N0} records", p.PercentComplete),
            Verbose = _observer.Verbose,
        };
        using var roster = OpenRosterOnce(counting);
        try
        {
            evaluation = EligibilityEngine.Evaluate(roster, _options.AsOf, counting, ct);
            Heartbeat();
            fingerprints = ClassGroupPlanner.GroupFingerprints(roster, _options.AsOf, ct);
        }
        catch (RosterReadException ex)
        {
            run.Message = "The roster pull was incomplete, so nothing was written: " + ex.Message;
            run.Errors.Add(ex.Message);
            return SyncRunStatus.Failed;
        }
        if (unreadRest is not null)
        {
            // A file that could not be read to its end would make teachers lose classes they still have.
            run.Message = $"The roster pull was incomplete, so nothing was written: {unreadRest}. Fix the file and run again.";
            run.Errors.Add(unreadRest.ToString());
            return SyncRunStatus.Failed;
        }
        var stats = evaluation.Statistics;
        run.SetRoster(stats);
        Verbose($"Stage 1 (pull): {stats.Schools:N0} schools, {stats.Teachers:N0} teachers ({stats.EligibleTeachers:N0} eligible), " +
                $"{stats.Students:N0} students, {stats.Classes:N0} classes, {stats.Enrollments:N0} enrollments, {run.DataQualityWarnings:N0} data-quality warnings, in {Seconds(stage.Elapsed)}.");
        Heartbeat();

        var sensoUsers = await ReadSensoUsersAsync(ct).ConfigureAwait(false);
        var classLinkUsers = sensoUsers.Values.Where(u => string.Equals(u.Source, "classlink", StringComparison.OrdinalIgnoreCase))
            .Select(u => u.Email).ToList();
        var byEmail = new Dictionary<string, DataSyncDecision>(StringComparer.Ordinal);
        foreach (var teacher in evaluation.Teachers)
        {
            var decision = new DataSyncDecision
            {
                Email = teacher.Email,
                SourcedId = teacher.SourcedIds.FirstOrDefault() ?? "",
                Eligibility = teacher.Reason.ToString(),
                Action = !teacher.Eligible ? DataSyncAction.Ineligible : sensoUsers.ContainsKey(teacher.Email) ? DataSyncAction.Exists : DataSyncAction.NotCreated,
            };
            decisions.Add(decision);
            if (teacher.Email.Length > 0 && !byEmail.ContainsKey(teacher.Email))
            {
                byEmail.Add(teacher.Email, decision);
            }
        }
        foreach (string email in classLinkUsers.Where(e => !byEmail.ContainsKey(e)))
        {
            var decision = new DataSyncDecision { Email = email, Eligibility = OutcomeReason.NotInRoster, Action = DataSyncAction.NotInRoster };
            decisions.Add(decision);
            byEmail.Add(email, decision);
        }

        // 2. Shrink guard.
        var lastSuccessful = _state?.RunHistory.GetLast(DataSyncOptions.RunKind, SyncRunStatus.Completed, SyncRunStatus.CompletedWithErrors);
        var shrink = ShrinkGuard.Check(lastSuccessful, stats.EligibleTeachers, stats.Classes, stats.Enrollments);
        if (shrink.Count > 0)
        {
            string against = lastSuccessful is null ? "" : $" against the last successful run of {lastSuccessful.StartedAt:yyyy-MM-dd HH:mm} UTC";
            if (!_options.Force)
            {
                run.Message = $"Held by the shrink guard: {string.Join("; ", shrink)}{against}. Nothing was written. Check the export, then run with -Force if the roster really shrank.";
                Verbose("Stage 2 (shrink guard): " + run.Message);
                MarkHeld(decisions);
                return SyncRunStatus.Held;
            }
            Verbose($"Stage 2 (shrink guard): {string.Join("; ", shrink)}{against}; going on because of -Force.");
        }
        else
        {
            Verbose("Stage 2 (shrink guard): roster size is plausible.");
        }

        // 3. Automatic creation, behind the mass-change brake. Placement names are resolved before any write.
        stage.Restart();
        var settings = await _senso.GetSettingsAsync(ct).ConfigureAwait(false);
        var missing = evaluation.Teachers.Where(t => t.Eligible && !sensoUsers.ContainsKey(t.Email)).ToList();
        var newUsers = new List<string>();
        if (!settings.AutomaticallyCreateUsers)
        {
            foreach (var teacher in missing)
            {
                byEmail[teacher.Email].Reason = "AutomaticCreationOff";
                byEmail[teacher.Email].Message = "Eligible, but Automatically Create Users is off; import with Import-SensoUser.";
            }
            Verbose($"Stage 3 (create): Automatically Create Users is off; {missing.Count:N0} eligible teachers have no account.");
        }
        else
        {
            run.UsersToCreate = missing.Count;
            if (missing.Count > _options.MaxCreatesPerRun)
            {
                if (!_options.Force)
                {
                    run.Message = $"Held by the mass-change brake: {missing.Count:N0} users would be created, more than import.maxCreatesPerRun ({_options.MaxCreatesPerRun:N0}). " +
                                  "Nothing was written. Check the roster, then run with -Force or raise import.maxCreatesPerRun.";
                    Verbose("Stage 3 (create): " + run.Message);
                    MarkHeld(decisions);
                    return SyncRunStatus.Held;
                }
                Verbose($"Stage 3 (create): {missing.Count:N0} creates exceed import.maxCreatesPerRun ({_options.MaxCreatesPerRun:N0}); going on because of -Force.");
            }
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
                newUsers = await CreateUsersAsync(run, missing, placement, byEmail, ct).ConfigureAwait(false);
            }
            Verbose($"Stage 3 (create): {run.UsersCreated:N0} created, {run.UsersFailed:N0} failed of {missing.Count:N0} missing, in {Seconds(stage.Elapsed)}.");
        }
        run.UsersExisting = evaluation.Teachers.Count(t => t.Eligible && sensoUsers.ContainsKey(t.Email));
        Heartbeat();

        // 4. Group syncs: new users, users whose roster groups changed, and queued jobs that are due.
        stage.Restart();
        await SyncGroupsAsync(run, roster, classLinkUsers, newUsers, fingerprints, decisions, byEmail, ct).ConfigureAwait(false);
        Verbose($"Stage 4 (group sync): {run.GroupSyncsQueued:N0} queued, {run.GroupSyncsCompleted:N0} completed, {run.GroupSyncsFailed:N0} failed, " +
                $"{run.GroupSyncsPending:N0} pending, in {Seconds(stage.Elapsed)}.");

        return run.Errors.Count == 0 ? SyncRunStatus.Completed : SyncRunStatus.CompletedWithErrors;
    }

    private async Task<List<string>> CreateUsersAsync(RunBuilder run, List<TeacherEligibility> missing, PlacementPlanner placement,
        Dictionary<string, DataSyncDecision> byEmail, CancellationToken ct)
    {
        var importer = new TeacherImporter(_senso, placement, _options.WhatIf);
        var results = new ImportDecision[missing.Count];
        int done = 0;
        using (var slots = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrency)))
        {
            var work = missing.Select(async (teacher, i) =>
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    results[i] = await importer.ImportAsync(new ImportRequest { Email = teacher.Email }, teacher, ct).ConfigureAwait(false);
                    int n = Interlocked.Increment(ref done);
                    Progress($"Creating users: {n:N0} of {missing.Count:N0}", n * 100 / missing.Count);
                    Heartbeat();
                }
                finally
                {
                    slots.Release();
                }
            }).ToList();
            await Task.WhenAll(work).ConfigureAwait(false);
        }

        var created = new List<string>();
        foreach (var result in results)
        {
            var decision = byEmail[result.Email];
            decision.Message = result.Message;
            switch (result.Status)
            {
                case ImportStatus.Created:
                    run.UsersCreated++;
                    decision.Action = DataSyncAction.Created;
                    created.Add(result.Email);
                    break;
                case ImportStatus.Exists:
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
        if (!_options.WhatIf && results.Length > 0)
        {
            _state!.ImportJournal.Append(results.Select(r => new ImportJournalEntry
            {
                Time = DateTimeOffset.UtcNow, RunId = run.RunId, Email = r.Email, Status = r.Status.ToString(), Reason = r.Reason, UserId = r.UserId,
            }));
        }
        return created;
    }

    private async Task SyncGroupsAsync(RunBuilder run, IRosterSource roster, List<string> classLinkUsers, List<string> newUsers,
        IReadOnlyDictionary<string, string> fingerprints, List<DataSyncDecision> decisions, Dictionary<string, DataSyncDecision> byEmail, CancellationToken ct)
    {
        bool whatIf = _options.WhatIf;
        var now = _options.Clock();
        var stored = _state?.Fingerprints.GetAll() ?? new Dictionary<string, string>();
        var jobs = (_state?.GroupSyncQueue.GetJobs() ?? Array.Empty<GroupSyncJob>()).ToDictionary(j => j.Email, StringComparer.Ordinal);
        var fresh = new HashSet<string>(newUsers, StringComparer.Ordinal);

        // A user's groups differ from the roster when their fingerprint moved since the last successful run
        // (appeared, changed or vanished); a new user's always do.
        var changed = classLinkUsers.Where(e => !fresh.Contains(e) && !SameFingerprint(stored, fingerprints, e)).ToList();
        bool InBackoff(string email) => jobs.TryGetValue(email, out var job) && job.Status == GroupSyncJobStatus.Queued && job.NextAttemptAt > now;
        var due = jobs.Values.Where(j => j.Status == GroupSyncJobStatus.Queued && j.NextAttemptAt <= now).Select(j => j.Email);

        var toSync = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string email in newUsers.Concat(changed.Where(e => !InBackoff(e))).Concat(due))
        {
            if (seen.Add(email))
            {
                toSync.Add(email);
            }
        }
        run.GroupSyncsQueued = newUsers.Count + changed.Count;
        if (!whatIf)
        {
            _state!.GroupSyncQueue.Enqueue(newUsers, "new-user");
            _state.GroupSyncQueue.Enqueue(changed, "roster-change");
        }
        foreach (string email in changed.Where(InBackoff))
        {
            Describe(decisions, byEmail, email, DataSyncGroupAction.Pending, $"Waiting to retry after {jobs[email].NextAttemptAt:u}.");
        }

        var outcomes = new List<GroupSyncOutcome>();
        if (toSync.Count > 0)
        {
            Progress($"Planning the groups of {toSync.Count:N0} users", -1);
            IReadOnlyDictionary<string, IReadOnlyList<SensoGroup>> planned;
            try
            {
                planned = ClassGroupPlanner.PlanGroups(roster, _options.AsOf, toSync, ct);
            }
            catch (RosterReadException ex)
            {
                // The queued jobs stay queued for the next run; the roster was not read completely, so no group is touched.
                run.Errors.Add("The roster could not be read again to plan the groups, so no group was changed: " + ex.Message);
                run.GroupSyncsPending = toSync.Count;
                return;
            }
            Heartbeat();
            int done = 0;
            void Completed(GroupSyncOutcome _)
            {
                int n = Interlocked.Increment(ref done);
                Progress($"Syncing class groups: {n:N0} of {toSync.Count:N0}", n * 100 / toSync.Count);
                Heartbeat();
            }
            if (whatIf)
            {
                // Users who would be created have no account to compare against yet: preview their groups directly.
                foreach (string email in toSync)
                {
                    var current = await _senso.GetGroupsAsync(email, ct).ConfigureAwait(false);
                    var desired = planned.TryGetValue(email, out var groups) ? groups : Array.Empty<SensoGroup>();
                    var change = GroupChangePreview.Compare(email, desired, current);
                    outcomes.Add(new GroupSyncOutcome
                    {
                        Email = email, Status = GroupSyncState.Completed, WhatIf = true, GroupsAdded = change.Added,
                        GroupsUpdated = change.Updated, GroupsRemoved = change.Removed, GroupsUnchanged = change.Unchanged,
                        Message = $"Would add {change.Added.Count}, update {change.Updated.Count}, remove {change.Removed.Count}, {change.Unchanged.Count} unchanged.",
                    });
                    Completed(outcomes[outcomes.Count - 1]);
                }
            }
            else
            {
                var processor = new GroupSyncProcessor(_senso, _state!.GroupSyncQueue, _options.Retry, _options.MaxConcurrency);
                outcomes.AddRange(await processor.ProcessAsync(toSync, planned, rosterComplete: true, whatIf: false, Completed, ct).ConfigureAwait(false));
            }
        }

        foreach (var outcome in outcomes)
        {
            if (outcome.Status == GroupSyncState.Completed)
            {
                run.GroupSyncsCompleted++;
                Describe(decisions, byEmail, outcome.Email, whatIf ? DataSyncGroupAction.WouldSync : DataSyncGroupAction.Synced, outcome.Message, outcome);
            }
            else
            {
                run.GroupSyncsFailed++;
                run.Errors.Add($"{outcome.Email}: the group sync failed ({outcome.Reason}): {outcome.Message}");
                Describe(decisions, byEmail, outcome.Email, DataSyncGroupAction.Failed, outcome.Message);
            }
        }
        foreach (var decision in byEmail.Values.Where(d => d.GroupSync == DataSyncGroupAction.None && d.Action is DataSyncAction.Exists or DataSyncAction.Created))
        {
            decision.GroupSync = DataSyncGroupAction.Unchanged;
        }

        if (whatIf)
        {
            run.GroupSyncsPending = jobs.Values.Count(j => j.Status == GroupSyncJobStatus.Queued && j.NextAttemptAt > now);
            return;
        }
        var after = _state!.GroupSyncQueue.GetJobs();
        var pending = new HashSet<string>(after.Where(j => j.Status is GroupSyncJobStatus.Queued or GroupSyncJobStatus.Running).Select(j => j.Email), StringComparer.Ordinal);
        run.GroupSyncsPending = pending.Count;

        // The fingerprints record what Senso now holds: the roster's for every ClassLink user except those whose
        // sync is still pending (they keep the old one, so the change is still seen until their job succeeds).
        // A job that gave up takes the new fingerprint: it stays Failed and reported rather than reset every night.
        var synced = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string email in classLinkUsers.Concat(newUsers).Distinct(StringComparer.Ordinal))
        {
            string? value = pending.Contains(email)
                ? (stored.TryGetValue(email, out var old) ? old : null)
                : (fingerprints.TryGetValue(email, out var current) ? current : null);
            if (value is not null)
            {
                synced[email] = value;
            }
        }
        _state.Fingerprints.ReplaceAll(synced);
    }

    private static bool SameFingerprint(IReadOnlyDictionary<string, string> stored, IReadOnlyDictionary<string, string> current, string email)
    {
        bool had = stored.TryGetValue(email, out var before);
        bool has = current.TryGetValue(email, out var now);
        return had == has && (!had || string.Equals(before, now, StringComparison.Ordinal));
    }

    private static void Describe(List<DataSyncDecision> decisions, Dictionary<string, DataSyncDecision> byEmail, string email, string groupAction, string message, GroupSyncOutcome? outcome = null)
    {
        if (!byEmail.TryGetValue(email, out var decision))
        {
            // A queued job for a user who is neither in the roster nor a ClassLink user in Senso.
            decision = new DataSyncDecision { Email = email, Eligibility = OutcomeReason.NotInRoster, Action = DataSyncAction.NotInRoster };
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

    private static void MarkHeld(List<DataSyncDecision> decisions)
    {
        foreach (var decision in decisions.Where(d => d.Action == DataSyncAction.NotCreated))
        {
            decision.Reason = "Held";
        }
    }

    private async Task<Dictionary<string, SensoUser>> ReadSensoUsersAsync(CancellationToken ct)
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

    /// <summary>Marks runs left Running by a killed process as Failed, and puts their Running jobs back in the queue.</summary>
    private void RecoverInterruptedRun()
    {
        _state!.RunHistory.MarkInterrupted(DataSyncOptions.RunKind);
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

    /// <summary>
    /// The run's one roster source. A source whose reads are repeatable (a local CSV export) is read as it is; any other
    /// source (REST) is snapshotted on its first read, so later stages read the same records without pulling again.
    /// </summary>
    private IRosterSource OpenRosterOnce(RosterReadObserver counting)
    {
        var source = _openRoster(counting);
        if (source is IRepeatableRosterSource)
        {
            return source;
        }
        try
        {
            return new RosterSnapshot(source, new RosterReadObserver { Progress = Quiet().Progress, Verbose = _observer.Verbose }, _options.SnapshotDirectory);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private RosterReadObserver Quiet() => new() { Progress = p => Progress($"Reading {p.Collection}: {p.RecordsRead:N0} records", p.PercentComplete) };

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
            Kind = DataSyncOptions.RunKind,
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
                GroupSyncsQueued = GroupSyncsQueued,
                GroupSyncsCompleted = GroupSyncsCompleted,
                GroupSyncsFailed = GroupSyncsFailed,
                GroupSyncsPending = GroupSyncsPending,
            },
        };
    }
}
