using System.Collections.Generic;
using System.Globalization;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// The data sync's safety check against a broken export: an empty pull, or eligible teachers, classes or
/// enrollments fallen by more than half since the last successful run (when that run had at least
/// <see cref="MinimumBaseline"/> of them), or more than half of the ClassLink users departing at once (a mass departure),
/// holds the run before it writes anything.
/// </summary>
public static class ShrinkGuard
{
    /// <summary>Below this many in the last successful run a figure is too small to judge a fall by.</summary>
    public const int MinimumBaseline = 20;

    /// <summary>Why the run must be held; empty when it may go on.</summary>
    public static IReadOnlyList<string> Check(SyncRunRecord? lastSuccessful, int eligibleTeachers, int classes, long enrollments)
    {
        var reasons = new List<string>();
        if (eligibleTeachers == 0 || classes == 0 || enrollments == 0)
        {
            reasons.Add(string.Format(CultureInfo.InvariantCulture,
                "the roster pull is empty ({0:N0} eligible teachers, {1:N0} classes, {2:N0} enrollments)", eligibleTeachers, classes, enrollments));
            return reasons;
        }
        if (lastSuccessful is null)
        {
            return reasons;
        }
        Compare(reasons, "eligible teachers", lastSuccessful.Figures.EligibleTeachers, eligibleTeachers);
        Compare(reasons, "classes", lastSuccessful.Figures.RosterClasses, classes);
        Compare(reasons, "enrollments", lastSuccessful.Figures.RosterEnrollments, enrollments);
        return reasons;
    }

    /// <summary>
    /// A mass departure: more than half of the ClassLink users in Senso (when there are at least <see cref="MinimumBaseline"/>)
    /// departed since the last successful run. Only departures new to the count weigh: users already departed in an earlier
    /// successful run were judged then, and a district that really lost them must not be held every night after. Without a
    /// baseline (no run has counted departures yet, as after an upgrade) nothing is judged.
    /// </summary>
    public static IReadOnlyList<string> CheckDepartures(bool hasBaseline, int newDepartures, int classLinkUsers)
    {
        var reasons = new List<string>();
        if (hasBaseline && classLinkUsers >= MinimumBaseline && newDepartures * 2 > classLinkUsers)
        {
            reasons.Add(string.Format(CultureInfo.InvariantCulture,
                "{0:N0} of {1:N0} ClassLink users in Senso left the roster since the last successful run", newDepartures, classLinkUsers));
        }
        return reasons;
    }

    private static void Compare(List<string> reasons, string what, long before, long now)
    {
        if (before >= MinimumBaseline && now * 2 < before)
        {
            reasons.Add(string.Format(CultureInfo.InvariantCulture, "{0} fell from {1:N0} to {2:N0}", what, before, now));
        }
    }
}
