using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// Brings users' ClassLink class groups in Senso in line with the roster: each user's groups are replaced by
/// the classes they teach that have students. Jobs live in the state store's queue, so a failure is retried
/// later with a growing delay, and a run killed midway leaves queued jobs that the next run finishes.
/// </summary>
public sealed class GroupSyncProcessor
{
    private readonly ISensoProvider _senso;
    private readonly GroupSyncQueue? _queue;
    private readonly GroupSyncRetryPolicy _retry;
    private readonly int _maxConcurrency;
    private readonly object _stateGate = new();

    /// <param name="queue">The state store's group-sync queue; null only for what-if runs, which never write.</param>
    public GroupSyncProcessor(ISensoProvider senso, GroupSyncQueue? queue, GroupSyncRetryPolicy retry, int maxConcurrency)
    {
        _senso = senso;
        _queue = queue;
        _retry = retry;
        _maxConcurrency = Math.Max(1, maxConcurrency);
    }

    /// <summary>
    /// Syncs the given users' groups and returns one outcome per email, in the order given.
    /// <paramref name="plannedGroups"/> holds the desired groups of every user the roster knows (from
    /// <see cref="RosterReading.PlanGroups"/> of a complete reading: the guard stage saw to that); a user missing
    /// from it is no longer a teacher in the roster and has their ClassLink groups removed. Under what-if,
    /// <paramref name="wouldBeCreated"/> names users the same run would create: they have no account yet, and their
    /// groups are previewed against what Senso holds for them (nothing).
    /// </summary>
    public async Task<IReadOnlyList<GroupSyncOutcome>> ProcessAsync(IReadOnlyList<string> emails,
        IReadOnlyDictionary<string, IReadOnlyList<SensoGroup>> plannedGroups, bool whatIf,
        Action<GroupSyncOutcome>? completed, CancellationToken cancellationToken, IReadOnlyCollection<string>? wouldBeCreated = null)
    {
        if (!whatIf && _queue is null)
        {
            throw new InvalidOperationException("A group sync that writes needs the state store.");
        }
        var outcomes = new GroupSyncOutcome[emails.Count];
        using var slots = new SemaphoreSlim(_maxConcurrency);
        var work = emails.Select(async (email, index) =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                string key = EmailAddress.Normalize(email);
                bool wouldExist = whatIf && wouldBeCreated is not null && wouldBeCreated.Contains(key);
                outcomes[index] = await SyncOneAsync(key, plannedGroups, whatIf, wouldExist, cancellationToken).ConfigureAwait(false);
                completed?.Invoke(outcomes[index]);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        await Task.WhenAll(work).ConfigureAwait(false);
        return outcomes;
    }

    private async Task<GroupSyncOutcome> SyncOneAsync(string email, IReadOnlyDictionary<string, IReadOnlyList<SensoGroup>> plannedGroups,
        bool whatIf, bool wouldExist, CancellationToken cancellationToken)
    {
        if (!whatIf)
        {
            WithState(s => s.Claim(email));
        }
        try
        {
            var user = wouldExist ? null : await _senso.FindUserByEmailAsync(email, cancellationToken).ConfigureAwait(false);
            if (user is null && !wouldExist)
            {
                return Fail(email, whatIf, OutcomeReason.NotInSenso, $"'{email}' has no Senso account; import the teacher first.");
            }
            if (!plannedGroups.TryGetValue(email, out var groups))
            {
                groups = Array.Empty<SensoGroup>();
            }

            GroupReplaceResult change;
            if (whatIf)
            {
                var current = await _senso.GetGroupsAsync(email, cancellationToken).ConfigureAwait(false);
                change = GroupChangePreview.Compare(email, groups, current);
            }
            else
            {
                change = await _senso.ReplaceUserGroupsAsync(email, groups, cancellationToken).ConfigureAwait(false);
                WithState(s => s.Complete(email));
            }
            bool inRoster = plannedGroups.ContainsKey(email);
            return new GroupSyncOutcome
            {
                Email = email,
                Status = GroupSyncStatus.Completed,
                GroupsAdded = change.Added,
                GroupsRemoved = change.Removed,
                GroupsUpdated = change.Updated,
                GroupsUnchanged = change.Unchanged,
                Reason = inRoster ? "" : OutcomeReason.NotInRoster,
                Message = Describe(change, whatIf, inRoster),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return Fail(email, whatIf, OutcomeReason.SensoError, "Senso refused or failed the group update: " + ex.Message);
        }
    }

    private GroupSyncOutcome Fail(string email, bool whatIf, string reason, string message)
    {
        string note = message;
        if (!whatIf)
        {
            var job = WithState(s => s.Fail(email, message, _retry));
            note = job.Status == GroupSyncStatus.Failed
                ? $"{message} Gave up after {job.Attempts} attempts."
                : $"{message} Attempt {job.Attempts} of {_retry.MaxAttempts}; retried after {job.NextAttemptAt:u}.";
        }
        return new GroupSyncOutcome { Email = email, Status = GroupSyncStatus.Failed, Reason = reason, Message = note };
    }

    private T WithState<T>(Func<GroupSyncQueue, T> action)
    {
        lock (_stateGate)
        {
            return action(_queue!);
        }
    }

    private void WithState(Action<GroupSyncQueue> action)
    {
        lock (_stateGate)
        {
            action(_queue!);
        }
    }

    private static string Describe(GroupReplaceResult change, bool whatIf, bool inRoster)
    {
        string verb = whatIf ? "Would add" : "Added";
        string summary = $"{verb} {change.Added.Count}, {(whatIf ? "update" : "updated")} {change.Updated.Count}, {(whatIf ? "remove" : "removed")} {change.Removed.Count}, {change.Unchanged.Count} unchanged.";
        return inRoster ? summary : "No longer a teacher in the roster; ClassLink groups removed. " + summary;
    }
}
