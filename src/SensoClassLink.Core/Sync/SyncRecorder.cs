using System;
using System.Collections.Generic;
using System.Linq;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// The pipeline's record stage: the import journal (in small batches as decisions are made, so a killed run still
/// shows most of them), the group fingerprints and the data sync's run record. Writes nothing under what-if.
/// </summary>
public sealed class SyncRecorder
{
    private const int JournalBatch = 100;

    private readonly StateStore? _state;
    private readonly string _runId;
    private readonly List<ImportJournalEntry> _journal = new();

    /// <param name="state">The state store; null under what-if (nothing is recorded).</param>
    public SyncRecorder(StateStore? state, string runId)
    {
        _state = state;
        _runId = runId;
    }

    /// <summary>Journals one import decision; the journal is written every <see cref="JournalBatch"/> decisions and by <see cref="Flush"/>.</summary>
    public void Journal(ImportDecision decision)
    {
        if (_state is null)
        {
            return;
        }
        _journal.Add(new ImportJournalEntry
        {
            Time = DateTimeOffset.UtcNow, RunId = _runId, Email = decision.Email, Status = decision.Status.ToString(),
            Reason = decision.Reason, UserId = decision.UserId,
        });
        if (_journal.Count >= JournalBatch)
        {
            Flush();
        }
    }

    /// <summary>Writes the journal entries not written yet.</summary>
    public void Flush()
    {
        if (_state is null || _journal.Count == 0)
        {
            return;
        }
        _state.ImportJournal.Append(_journal);
        _journal.Clear();
    }

    /// <summary>
    /// Records what Senso now holds: the roster's fingerprint for every ClassLink user except those whose sync is still
    /// pending (they keep the old one, so the change is still seen until their job succeeds). A job that gave up takes
    /// the new fingerprint: it stays Failed and reported rather than reset every night. Users held by an identity conflict or a
    /// failed rename keep theirs too. Returns the pending count.
    /// </summary>
    public int RecordFingerprints(SyncPlan plan, IEnumerable<string> newUsers)
    {
        var after = _state!.GroupSyncQueue.GetJobs();
        var pending = new HashSet<string>(after.Where(j => j.Status is GroupSyncStatus.Queued or GroupSyncStatus.Running).Select(j => j.Email), StringComparer.Ordinal);
        var synced = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string email in plan.ClassLinkUsers.Concat(newUsers).Distinct(StringComparer.Ordinal))
        {
            string? value = pending.Contains(email) || plan.IdentityHeld.Contains(email)
                ? (plan.StoredFingerprints.TryGetValue(email, out var old) ? old : null)
                : (plan.Fingerprints.TryGetValue(email, out var current) ? current : null);
            if (value is not null)
            {
                synced[email] = value;
            }
        }
        _state.Fingerprints.ReplaceAll(synced);
        return pending.Count;
    }
}

