using System;
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
        return Result(RosterSourceKind.api, report, report.FieldSelection);
    }

    private ClassLinkConnectionTest TestCsv(ProgressReporter progress)
    {
        var observer = new RosterReadObserver { Warning = w => WriteWarning(w.ToString()) };
        var report = CsvConnectionCheck.Run(() => Connection.OpenRoster(observer), Connection.Configuration.ClassLink.Csv.Path ?? "", Connection.Configuration.Roster.ClassTerms,
            (status, percent) => progress.Report(status, percent, force: true), CancellationToken);
        return Result(RosterSourceKind.csv, report, fieldSelection: null);
    }

    private static ClassLinkConnectionTest Result(RosterSourceKind source, RosterConnectionReport report, FieldSelectionSupport? fieldSelection) =>
        new(source, report.Server, report.VersionAnswered, report.AuthenticationMethod, report.Reachable, report.Authenticated, report.HttpStatus,
            report.Schools, report.Teachers, report.Students, report.Classes, report.Enrollments, report.AcademicSessions, report.Hints, report.Succeeded, fieldSelection);
}
