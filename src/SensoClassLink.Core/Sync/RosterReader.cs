using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// The pipeline's read stage: opens the roster once and reads each collection once into a <see cref="RosterReading"/>.
/// A few named teachers (at most <see cref="TargetedLimit"/>) are read with targeted queries when the source can
/// scope itself to one teacher (OneRoster REST: the user by email, their enrollments and classes); the answer for
/// them is the same as from the whole district. Warnings and progress go to the observer as they happen.
/// </summary>
public sealed class RosterReader
{
    /// <summary>Up to this many teachers, per-teacher targeted reads beat one full pull.</summary>
    public const int TargetedLimit = 20;

    private readonly Func<RosterReadObserver, IRosterSource> _open;
    private readonly DataSyncObserver _observer;
    private readonly RosterRules _rules;

    /// <param name="open">Opens a fresh roster source reporting through the observer given.</param>
    /// <param name="rules">Which classes count (the configuration's roster section); null: the defaults.</param>
    public RosterReader(Func<RosterReadObserver, IRosterSource> open, DataSyncObserver? observer = null, RosterRules? rules = null)
    {
        _open = open;
        _observer = observer ?? DataSyncObserver.None;
        _rules = rules ?? RosterRules.Default;
    }

    /// <summary>
    /// Reads the roster. <paramref name="withGroups"/> keeps what group plans and fingerprints need (a key per
    /// student). Throws <see cref="RosterReadException"/> when the roster cannot be read at all; a file that could
    /// not be read to its end is answered as an incomplete reading (<see cref="RosterReading.Complete"/> false).
    /// </summary>
    public RosterReading Read(DateTime asOf, bool withGroups, IReadOnlyCollection<string>? onlyTeachers, CancellationToken ct)
    {
        int warnings = 0;
        DataQualityWarning? truncation = null;
        var observer = new RosterReadObserver
        {
            Warning = w =>
            {
                Interlocked.Increment(ref warnings);
                if (w.RestOfFileUnread)
                {
                    Interlocked.CompareExchange(ref truncation, w, null);
                }
                _observer.Warning?.Invoke(w);
            },
            Progress = p => _observer.Progress?.Invoke($"Reading {p.Collection}: {p.RecordsRead:N0} records", p.PercentComplete),
            Verbose = _observer.Verbose,
        };
        using var source = _open(observer);
        if (onlyTeachers is { Count: > 0 and <= TargetedLimit } && source is ISupportsTeacherScope scopes)
        {
            var passes = new List<RosterPass>();
            var found = new List<TeacherEligibility>();
            foreach (string email in onlyTeachers)
            {
                using var scoped = scopes.ScopeToTeacher(email);
                var pass = RosterPass.Read(scoped, asOf, observer, withGroups, ct, _rules);
                if (pass.Evaluation.Find(email) is { } teacher)
                {
                    found.Add(teacher);
                    passes.Add(pass);
                }
            }
            var evaluation = new RosterEvaluation(found, new RosterStatistics { Teachers = found.Count, EligibleTeachers = found.Count(t => t.Eligible) });
            return new RosterReading(passes, evaluation, targeted: true, truncation, warnings, asOf);
        }
        var whole = RosterPass.Read(source, asOf, observer, withGroups, ct, _rules);
        if (!withGroups && whole.Evaluation.Statistics.Enrollments >= RosterPass.LargeReadEnrollments)
        {
            // A pass without group data has just dropped everything but the evaluation: at 10M enrollments some 200 MB
            // of pool, index and student lists, long promoted to the oldest generation, which the collector would
            // otherwise keep while the command builds its output objects on top. One collection now (tens of
            // milliseconds: little is left alive) returns it for that output instead.
            GC.Collect();
        }
        return new RosterReading(new[] { whole }, whole.Evaluation, targeted: false, truncation, warnings, asOf);
    }
}
