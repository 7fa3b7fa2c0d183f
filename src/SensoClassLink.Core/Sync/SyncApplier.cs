using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// The pipeline's apply stage, the same for every command: renames and status changes (suspend, reactivate) through the
/// provider's atomic, idempotent calls; creates through <see cref="TeacherImporter"/> (the one
/// code path that makes accounts) and group syncs through the queue and <see cref="GroupSyncProcessor"/> with the
/// one retry policy. Runs only after the guards passed; under what-if it computes and writes nothing.
/// </summary>
public sealed class SyncApplier
{
    private readonly ISensoProvider _senso;
    private readonly StateStore? _state;
    private readonly SyncOptions _options;
    private readonly DataSyncObserver _observer;
    private readonly Action _heartbeat;

    /// <param name="state">The state store; null only under what-if.</param>
    /// <param name="heartbeat">Called as work completes (the data sync renews its run lock there).</param>
    public SyncApplier(ISensoProvider senso, StateStore? state, SyncOptions options, DataSyncObserver observer, Action? heartbeat = null)
    {
        RequireStateToWrite(state, options);
        _senso = senso;
        _state = state;
        _options = options;
        _observer = observer;
        _heartbeat = heartbeat ?? (() => { });
    }

    /// <summary>Only a what-if sync runs without the state store: what it writes (queue, journal, fingerprints) lives there.</summary>
    internal static void RequireStateToWrite(StateStore? state, SyncOptions options)
    {
        if (state is null && !options.WhatIf)
        {
            throw new ArgumentException("A sync that writes needs the state store.", nameof(state));
        }
    }

    /// <summary>
    /// Carries out the planned creates, up to <see cref="SyncOptions.MaxConcurrency"/> at once, and answers one
    /// decision per create in plan order; each is journaled (in order) as soon as it and those before it are decided.
    /// <paramref name="verboseEach"/> writes one verbose line per decision (Import-SensoUser; the data sync reports stages).
    /// </summary>
    public async Task<IReadOnlyList<ImportDecision>> CreateAsync(IReadOnlyList<PlannedCreate> creates, PlacementPlanner placement,
        SyncRecorder recorder, bool verboseEach, CancellationToken ct)
    {
        var importer = new TeacherImporter(_senso, placement, _options.WhatIf);
        var decisions = new List<ImportDecision>(creates.Count);
        if (creates.Count == 0)
        {
            return decisions;
        }
        int done = 0;
        using var slots = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrency));
        // Started in plan order, so a repeated email waits on its first request (one create, then Exists).
        var work = creates.Select(async create =>
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var decision = await importer.ImportAsync(create.Request, create.Teacher, ct).ConfigureAwait(false);
                int n = Interlocked.Increment(ref done);
                _observer.Progress?.Invoke($"Creating users: {n:N0} of {creates.Count:N0} decided", n * 100 / creates.Count);
                _heartbeat();
                return decision;
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        foreach (var task in work)
        {
            var decision = await task.ConfigureAwait(false);
            decisions.Add(decision);
            if (verboseEach)
            {
                _observer.Verbose?.Invoke($"{decision.Email}: {decision.Status} ({decision.Reason})");
            }
            recorder.Journal(decision);
        }
        recorder.Flush();
        return decisions;
    }

    /// <summary>
    /// Carries out the planned renames through the provider, one at a time and in plan order (renames are rare; each is
    /// one atomic, idempotent provider call, so a killed run is finished by running again). Under what-if nothing is
    /// written. Senso's refusals are answered (EmailInUse, SensoError), never thrown; cancellation is thrown.
    /// </summary>
    public Task<IReadOnlyList<RenameOutcome>> RenameAsync(IReadOnlyList<PlannedRename> renames, CancellationToken ct) =>
        ForEachWriteAsync(renames,
            rename => new RenameOutcome(rename, true, OutcomeReason.Eligible, $"Would rename from {rename.OldEmail} to {rename.NewEmail} (same account and groups).", null),
            async rename =>
            {
                var user = await _senso.RenameUserAsync(rename.User.Id, rename.NewEmail, ct).ConfigureAwait(false);
                return new RenameOutcome(rename, true, OutcomeReason.Eligible, $"Renamed from {rename.OldEmail} to {rename.NewEmail}.", user);
            },
            (rename, ex) => ex is SensoEmailInUseException
                ? new RenameOutcome(rename, false, OutcomeReason.EmailInUse,
                    $"Not renamed from {rename.OldEmail}: {rename.NewEmail} already belongs to another Senso account; nothing was changed.", null)
                : new RenameOutcome(rename, false, OutcomeReason.SensoError,
                    $"Not renamed from {rename.OldEmail}: Senso refused or failed the request: {ex.Message}", null),
            ct);

    /// <summary>
    /// Sets each user's status through the provider (Suspended for departed users, Active for returning ones), one at a
    /// time in plan order: each is one atomic, idempotent provider call, so a run killed among them is finished by running
    /// again. Under what-if nothing is written. Senso's refusals are answered (NotInSenso, SensoError), never thrown;
    /// cancellation is thrown.
    /// </summary>
    public Task<IReadOnlyList<StatusChangeOutcome>> SetStatusAsync(IReadOnlyList<SensoUser> users, SensoUserStatus status, CancellationToken ct)
    {
        string verb = status == SensoUserStatus.Suspended ? "suspend" : "reactivate";
        return ForEachWriteAsync(users,
            user => new StatusChangeOutcome(user, status, true, OutcomeReason.Eligible, $"Would {verb} the account (Status {status}; nothing is deleted)."),
            async user =>
            {
                var changed = await _senso.SetUserStatusAsync(user.Id, status, ct).ConfigureAwait(false);
                return new StatusChangeOutcome(changed, status, true, OutcomeReason.Eligible,
                    status == SensoUserStatus.Suspended ? "Suspended (the account, its role, site and groups are kept)." : "Reactivated (Status Active).");
            },
            (user, ex) => ex is SensoUserNotFoundException
                ? new StatusChangeOutcome(user, status, false, OutcomeReason.NotInSenso, $"Could not {verb} the account: Senso no longer has it.")
                : new StatusChangeOutcome(user, status, false, OutcomeReason.SensoError, $"Could not {verb} the account: Senso refused or failed the request: {ex.Message}"),
            ct);
    }

    /// <summary>
    /// One provider write per item, in plan order: under what-if only what it would do; Senso's refusals and failures
    /// answered by <paramref name="refused"/>, never thrown; cancellation thrown; the run lock's heartbeat after each write.
    /// </summary>
    private async Task<IReadOnlyList<TOutcome>> ForEachWriteAsync<TItem, TOutcome>(IReadOnlyList<TItem> items, Func<TItem, TOutcome> wouldDo,
        Func<TItem, Task<TOutcome>> write, Func<TItem, Exception, TOutcome> refused, CancellationToken ct)
    {
        var outcomes = new List<TOutcome>(items.Count);
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            if (_options.WhatIf)
            {
                outcomes.Add(wouldDo(item));
                continue;
            }
            try
            {
                outcomes.Add(await write(item).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                outcomes.Add(refused(item, ex));
            }
            _heartbeat();
        }
        return outcomes;
    }

    /// <summary>Queues a group sync for each email (nothing under what-if).</summary>
    public void Enqueue(IEnumerable<string> emails, string reason)
    {
        if (!_options.WhatIf)
        {
            _state!.GroupSyncQueue.Enqueue(emails, reason);
        }
    }

    /// <summary>
    /// Syncs the users' groups to the roster's, one outcome per email in order. Each user's desired groups come from
    /// the one reading; jobs are claimed, completed or failed (and retried later) in the queue.
    /// </summary>
    public async Task<IReadOnlyList<GroupSyncOutcome>> SyncGroupsAsync(IReadOnlyList<string> emails, RosterReading roster,
        IReadOnlyCollection<string>? wouldBeCreated, CancellationToken ct)
    {
        if (emails.Count == 0)
        {
            return Array.Empty<GroupSyncOutcome>();
        }
        _observer.Progress?.Invoke($"Planning the groups of {emails.Count:N0} users", -1);
        var planned = roster.PlanGroups(emails);
        _heartbeat();
        int done = 0;
        void Completed(GroupSyncOutcome _)
        {
            int n = Interlocked.Increment(ref done);
            _observer.Progress?.Invoke($"Syncing class groups: {n:N0} of {emails.Count:N0}", n * 100 / emails.Count);
            _heartbeat();
        }
        var processor = new GroupSyncProcessor(_senso, _options.WhatIf ? null : _state?.GroupSyncQueue, _options.Retry, _options.MaxConcurrency);
        return await processor.ProcessAsync(emails, planned, _options.WhatIf, Completed, ct, wouldBeCreated).ConfigureAwait(false);
    }
}
