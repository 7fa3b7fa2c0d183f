using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using SensoClassLink.Core.Senso;

namespace SensoClassLink.Core.Eligibility;

/// <summary>
/// Eligibility and group planning for a few named teachers. When the source can read one teacher's data on its
/// own (OneRoster REST: the user by email, their enrollments and classes), each teacher is read with targeted
/// queries instead of pulling the whole district; the answer for them is the same. Otherwise, or for more than
/// <see cref="Limit"/> teachers, the whole source is read once.
/// </summary>
public static class TargetedRoster
{
    /// <summary>Up to this many teachers, per-teacher targeted reads beat one full pull.</summary>
    public const int Limit = 20;

    /// <summary>Evaluates eligibility; with targeted reads the result holds only the requested teachers that were found.</summary>
    public static RosterEvaluation Evaluate(IRosterSource source, DateTime asOf, RosterReadObserver observer,
        IReadOnlyCollection<string>? onlyTeachers, CancellationToken cancellationToken)
    {
        if (Scopes(source, onlyTeachers) is not { } scopes)
        {
            return EligibilityEngine.Evaluate(source, asOf, observer, cancellationToken);
        }
        var found = new List<TeacherEligibility>();
        foreach (string email in onlyTeachers!)
        {
            using var scoped = scopes.ScopeToTeacher(email);
            if (EligibilityEngine.Evaluate(scoped, asOf, observer, cancellationToken).Find(email) is { } teacher)
            {
                found.Add(teacher);
            }
        }
        return new RosterEvaluation(found, new RosterStatistics { Teachers = found.Count, EligibleTeachers = found.Count(t => t.Eligible) });
    }

    /// <summary>Each requested teacher's desired groups, as <see cref="ClassGroupPlanner.PlanGroups"/> computes them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<SensoGroup>> PlanGroups(IRosterSource source, DateTime asOf,
        IReadOnlyCollection<string> emails, CancellationToken cancellationToken)
    {
        if (Scopes(source, emails) is not { } scopes)
        {
            return ClassGroupPlanner.PlanGroups(source, asOf, emails, cancellationToken);
        }
        var planned = new Dictionary<string, IReadOnlyList<SensoGroup>>(StringComparer.Ordinal);
        foreach (string email in emails)
        {
            using var scoped = scopes.ScopeToTeacher(email);
            foreach (var pair in ClassGroupPlanner.PlanGroups(scoped, asOf, new[] { email }, cancellationToken))
            {
                planned[pair.Key] = pair.Value;
            }
        }
        return planned;
    }

    /// <summary>A wrapper (a snapshot) over a scope-capable source still answers a few teachers with targeted reads of the source.</summary>
    private static ISupportsTeacherScope? Scopes(IRosterSource source, IReadOnlyCollection<string>? emails) =>
        emails is { Count: > 0 and <= Limit } ? RosterCapabilities.Find<ISupportsTeacherScope>(source) : null;
}
