using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using SensoClassLink.Errors;
using SensoClassLink.Models;

namespace SensoClassLink.Commands;

/// <summary>Checks that the configured ClassLink roster is reachable and readable, and reports what it can see.</summary>
[Cmdlet(VerbsDiagnostic.Test, "ClassLinkConnection")]
[OutputType(typeof(ClassLinkConnectionTest))]
[OutputType(typeof(bool), ParameterSetName = new[] { "Quiet" })]
public sealed class TestClassLinkConnectionCommand : SensoClassLinkCmdlet
{
    /// <summary>Return only $true or $false.</summary>
    [Parameter(ParameterSetName = "Quiet")]
    public SwitchParameter Quiet { get; set; }

    protected override void EndProcessing()
    {
        var progress = new ProgressReporter(this, 1, "Testing the ClassLink connection");
        try
        {
            var classLink = Connection.Configuration.ClassLink;
            ClassLinkConnectionTest result = classLink.Source == RosterSourceKind.api
                ? TestApi(classLink.Api, progress)
                : TestCsv(progress);
            WriteObject(Quiet.IsPresent ? result.Succeeded : result);
        }
        catch (ConfigurationException ex)
        {
            ThrowCallFailure(ex);
        }
        catch (ArgumentException ex)
        {
            // A setting the configuration accepted but the connection test cannot use (e.g. a base URL it cannot build on).
            ThrowCallError(ex, ErrorIds.InvalidConfiguration);
        }
        finally
        {
            progress.Complete();
        }
    }

    private ClassLinkConnectionTest TestApi(RosterApiSettings settings, ProgressReporter progress)
    {
        // Configuration problems keep this command's own mapping (the catch blocks of EndProcessing).
        var classTerms = Connection.Configuration.Roster.ClassTerms;
        var report = RunEngine((events, token) => RosterConnectionCheck.RunAsync(settings, classTerms, null, events.Verbose, events.Progress, token),
            progress, mapCallFailures: false);
        foreach (string hint in report.Hints)
        {
            WriteVerbose("Hint: " + hint);
        }
        return new ClassLinkConnectionTest(RosterSourceKind.api, report.Server, report.VersionAnswered, report.AuthenticationMethod, report.Reachable, report.Authenticated,
            report.HttpStatus, report.Schools, report.Teachers, report.Students, report.Classes, report.Enrollments, report.AcademicSessions, report.Hints, report.Succeeded,
            report.FieldSelection);
    }

    private ClassLinkConnectionTest TestCsv(ProgressReporter progress)
    {
        var observer = new RosterReadObserver { Warning = w => WriteWarning(w.ToString()) };
        IRosterSource opened;
        try
        {
            opened = Connection.OpenRoster(observer);
        }
        catch (RosterReadException ex)
        {
            // Refused before any file was read (a delta manifest, not OneRoster, an unusable zip): the test fails and says why.
            return new ClassLinkConnectionTest(RosterSourceKind.csv, $"OneRoster CSV '{Connection.Configuration.ClassLink.Csv.Path}'", null, "none (local files)", false, false, null,
                null, null, null, null, null, null, new[] { ex.Message }, false);
        }
        using IRosterSource roster = opened;
        try
        {
            progress.Report("Counting schools", 0, force: true);
            long schools = roster.ReadOrgs(CancellationToken).LongCount(o => string.Equals(o.Type, "school", StringComparison.OrdinalIgnoreCase));
            progress.Report("Counting users", 25, force: true);
            long teachers = 0, students = 0;
            foreach (var user in roster.ReadUsers(CancellationToken))
            {
                teachers += user.Roles.Contains("teacher") ? 1 : 0;
                students += user.Roles.Contains("student") ? 1 : 0;
            }
            progress.Report("Counting classes", 40, force: true);
            long classes = 0;
            bool classesNameTerms = false;
            foreach (var cls in roster.ReadClasses(CancellationToken))
            {
                classes++;
                classesNameTerms |= cls.TermSourcedIds.Count > 0;
            }
            progress.Report("Counting enrollments", 60, force: true);
            long enrollments = roster.ReadEnrollments(CancellationToken).LongCount();
            progress.Report("Counting academic sessions", 80, force: true);
            // An export without academicSessions.csv has none (the sync warns and counts every class).
            long? sessions = roster is ISupportsAcademicSessions withSessions ? withSessions.ReadAcademicSessions(CancellationToken, out _)?.LongCount() ?? 0 : null;
            var hints = new List<string>();
            if (teachers == 0)
            {
                hints.Add("No teachers in the export: the district shared no data, or only part of it.");
            }
            if (sessions == 0 && classesNameTerms && Connection.Configuration.Roster.ClassTerms == ClassTermRule.Current)
            {
                hints.Add(RosterConnectionCheck.NoSessionsUnderCurrentTerms);
            }
            return new ClassLinkConnectionTest(RosterSourceKind.csv, roster.Description, "1.1", "none (local files)", true, true, null,
                schools, teachers, students, classes, enrollments, sessions, hints, true);
        }
        catch (RosterReadException ex)
        {
            return new ClassLinkConnectionTest(RosterSourceKind.csv, roster.Description, null, "none (local files)", false, false, null,
                null, null, null, null, null, null, new[] { ex.Message }, false);
        }
    }
}
