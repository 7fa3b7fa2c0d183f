using System.Collections.Generic;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// The pipeline's guard stage: what must hold before anything is written. Completeness holds for every command;
/// the shrink guard and the mass-change brake hold the unattended data sync (a person running Import-SensoUser
/// names the teachers). Pure functions: a verdict, never a write.
/// </summary>
public static class SyncGuards
{
    /// <summary>Every command: a roster not read to its end writes nothing (teachers would lose classes they still have).</summary>
    public static void RequireComplete(RosterReading roster)
    {
        if (roster.Truncation is { } truncation)
        {
            throw new RosterIncompleteException(truncation);
        }
    }

    /// <summary>The shrink guard's findings against the last successful run (empty when the roster size is plausible).</summary>
    public static IReadOnlyList<string> Shrink(SyncRunRecord? lastSuccessful, RosterStatistics roster) =>
        ShrinkGuard.Check(lastSuccessful, roster.EligibleTeachers, roster.Classes, roster.Enrollments);

    /// <summary>The shrink guard's findings about departures (a mass departure); see <see cref="ShrinkGuard.CheckDepartures"/>.</summary>
    public static IReadOnlyList<string> ShrinkByDepartures(DeparturePlan departures, int classLinkUsers, bool hasBaseline) =>
        ShrinkGuard.CheckDepartures(hasBaseline, departures.NewDepartures, classLinkUsers);

    /// <summary>The suspension brake: true when <paramref name="suspensions"/> exceed import.maxSuspensionsPerRun.</summary>
    public static bool SuspensionBrakeHolds(int suspensions, SyncOptions options) => suspensions > options.MaxSuspensionsPerRun;

    /// <summary>The mass-change brake: true when <paramref name="creates"/> exceed import.maxCreatesPerRun.</summary>
    public static bool BrakeHolds(int creates, SyncOptions options) => creates > options.MaxCreatesPerRun;
}
