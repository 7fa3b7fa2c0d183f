using System;
using System.Linq;
using System.Threading;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster.Rest;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// Checks a OneRoster CSV export as <see cref="RosterConnectionCheck"/> checks a Roster Server: reads it and reports
/// the same counts and hints. An export that cannot be read is a failed check whose one hint says why, never an error.
/// </summary>
public static class CsvConnectionCheck
{
    private const string NoAuthentication = "none (local files)";

    /// <summary>
    /// Opens the export with <paramref name="open"/> (<paramref name="location"/> names it when that fails) and counts
    /// schools, teachers, students, classes, enrollments and academic sessions, reporting progress as it goes.
    /// </summary>
    public static RosterConnectionReport Run(Func<IRosterSource> open, string location, ClassTermRule classTerms, Action<string, int>? progress,
        CancellationToken cancellationToken)
    {
        IRosterSource opened;
        try
        {
            opened = open();
        }
        catch (RosterReadException ex)
        {
            // Refused before any file was read (a delta manifest, not OneRoster, an unusable zip): the check fails and says why.
            return Failed($"OneRoster CSV '{location}'", ex);
        }
        using IRosterSource roster = opened;
        try
        {
            progress?.Invoke("Counting schools", 0);
            long schools = roster.ReadOrgs(cancellationToken).LongCount(o => string.Equals(o.Type, "school", StringComparison.OrdinalIgnoreCase));
            progress?.Invoke("Counting users", 25);
            long teachers = 0, students = 0;
            foreach (var user in roster.ReadUsers(cancellationToken))
            {
                teachers += user.Roles.Contains("teacher") ? 1 : 0;
                students += user.Roles.Contains("student") ? 1 : 0;
            }
            progress?.Invoke("Counting classes", 40);
            long classes = 0;
            bool classesNameTerms = false;
            foreach (var cls in roster.ReadClasses(cancellationToken))
            {
                classes++;
                classesNameTerms |= cls.TermSourcedIds.Count > 0;
            }
            progress?.Invoke("Counting enrollments", 60);
            long enrollments = roster.ReadEnrollments(cancellationToken).LongCount();
            progress?.Invoke("Counting academic sessions", 80);
            // An export without academicSessions.csv has none (the sync warns and counts every class).
            long? sessions = roster is ISupportsAcademicSessions withSessions ? withSessions.ReadAcademicSessions(cancellationToken, out _)?.LongCount() ?? 0 : null;
            var report = new RosterConnectionReport
            {
                Server = roster.Description, VersionAnswered = "1.1", AuthenticationMethod = NoAuthentication, Reachable = true, Authenticated = true,
                Schools = schools, Teachers = teachers, Students = students, Classes = classes, Enrollments = enrollments, AcademicSessions = sessions,
            };
            if (teachers == 0)
            {
                report.Hints.Add("No teachers in the export: the district shared no data, or only part of it.");
            }
            if (sessions == 0 && classesNameTerms && classTerms == ClassTermRule.Current)
            {
                report.Hints.Add(RosterConnectionCheck.NoSessionsUnderCurrentTerms);
            }
            return report;
        }
        catch (RosterReadException ex)
        {
            return Failed(roster.Description, ex);
        }
    }

    private static RosterConnectionReport Failed(string server, RosterReadException ex)
    {
        var report = new RosterConnectionReport { Server = server, AuthenticationMethod = NoAuthentication };
        report.Hints.Add(ex.Message);
        return report;
    }
}
