using System;
using System.Collections.Generic;
using System.Linq;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// What the read stage produced: the roster read once (a whole pass, or one targeted pass per named teacher),
/// with every answer the later stages need (eligibility, group fingerprints, group plans) and whether the read
/// reached the end of every file. Immutable, so a downstream command may reuse it (see <see cref="RosterHandoff"/>).
/// </summary>
public sealed class RosterReading
{
    private readonly IReadOnlyList<RosterPass> _passes;

    internal RosterReading(IReadOnlyList<RosterPass> passes, RosterEvaluation evaluation, bool targeted, DataQualityWarning? truncation,
        int dataQualityWarnings, DateTime asOf)
    {
        _passes = passes;
        Evaluation = evaluation;
        Targeted = targeted;
        Truncation = truncation;
        DataQualityWarnings = dataQualityWarnings;
        AsOf = asOf;
    }

    /// <summary>The eligibility of every teacher read (only the named teachers found, when <see cref="Targeted"/>).</summary>
    public RosterEvaluation Evaluation { get; }

    /// <summary>True when only named teachers were read (targeted REST queries), not the whole district.</summary>
    public bool Targeted { get; }

    /// <summary>The first warning that left a file unread past it, or null when every file was read to its end.</summary>
    public DataQualityWarning? Truncation { get; }

    /// <summary>True when nothing stopped the read early: only then may anything be written on its strength.</summary>
    public bool Complete => Truncation is null;

    /// <summary>Every data-quality warning of the read: the source's (unreadable rows) and the rules' (duplicates, dangling references).</summary>
    public int DataQualityWarnings { get; }

    public DateTime AsOf { get; }

    /// <summary>True when group plans and fingerprints can be answered (the pass kept member keys).</summary>
    public bool HasGroups => _passes.All(p => p.HasGroups);

    /// <summary>Each requested teacher's desired groups (see <see cref="RosterPass.PlanGroups"/>); a teacher not in the roster has no entry.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SensoGroup>> PlanGroups(IEnumerable<string> emails)
    {
        var list = emails as IReadOnlyCollection<string> ?? emails.ToList();
        if (_passes.Count == 1)
        {
            return _passes[0].PlanGroups(list);
        }
        var planned = new Dictionary<string, IReadOnlyList<SensoGroup>>(StringComparer.Ordinal);
        foreach (var pass in _passes)
        {
            foreach (var pair in pass.PlanGroups(list))
            {
                planned[pair.Key] = pair.Value;
            }
        }
        return planned;
    }

    /// <summary>The group fingerprint of every teacher in a whole-district reading.</summary>
    public IReadOnlyDictionary<string, string> GroupFingerprints()
    {
        if (Targeted || _passes.Count != 1)
        {
            throw new InvalidOperationException("Group fingerprints need a reading of the whole district.");
        }
        return _passes[0].GroupFingerprints();
    }
}
