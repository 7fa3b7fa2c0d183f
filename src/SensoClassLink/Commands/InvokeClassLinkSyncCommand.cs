using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Sqlite;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;
using SensoClassLink.Errors;
using SensoClassLink.Models;
using SensoClassLink.Session;

namespace SensoClassLink.Commands;

/// <summary>
/// The Roster Server data sync, built for an unattended nightly task: pull the roster, hold on a suspicious
/// shrink or too many creates, create eligible teachers when Automatically Create Users is on, resync the class
/// groups that changed, retry earlier failures, and record the run. One ClassLinkSyncRun is written.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ClassLinkSync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClassLinkSyncRun))]
public sealed class InvokeClassLinkSyncCommand : SensoCommandBase
{
    /// <summary>Run although the shrink guard or the mass-change brake would hold it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write one row per teacher decision to this .csv or .json file, or the run's HTML report to this .html file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReportPath { get; set; }

    /// <summary>The date enrollments are judged current on; defaults to today.</summary>
    [Parameter]
    public DateTime AsOf { get; set; } = DateTime.Today;

    /// <summary>How many Senso requests run at once.</summary>
    [Parameter]
    [ValidateRange(1, 32)]
    public int ThrottleLimit { get; set; } = 4;

    protected override void EndProcessing()
    {
        bool whatIf = WhatIfRequested;
        string? report = ReportPath is null ? null : GetUnresolvedProviderPathFromPSPath(ReportPath);
        if (report is not null)
        {
            try
            {
                DataSyncReport.ValidatePath(report);
            }
            catch (Exception ex) when (ex is ArgumentException or IOException)
            {
                ThrowCallError(ex, ErrorIds.InvalidReportPath, ReportPath);
            }
        }
        var connection = Connection;
        string target = Senso.Description;
        if (!whatIf && !ShouldProcess(target, "Run the Roster Server data sync"))
        {
            return;
        }
        if (whatIf)
        {
            ShouldProcess(target, "Run the Roster Server data sync (computing the plan only)");
        }

        var progress = new ProgressReporter(this, 4, "Roster Server data sync");
        var engine = new EngineRun(this, progress);
        var import = connection.Configuration.Import;
        var options = new SyncOptions
        {
            AsOf = AsOf,
            Force = Force,
            WhatIf = whatIf,
            MaxCreatesPerRun = import.MaxCreatesPerRun,
            MaxSuspensionsPerRun = import.MaxSuspensionsPerRun,
            SiteBySchool = import.SiteBySchool,
            Roster = RosterRules.From(connection.Configuration.Roster, connection.Configuration.Import),
            MaxConcurrency = RequestConcurrency,
            LockOwner = $"Invoke-ClassLinkSync ({Environment.UserName})",
        };

        DataSyncResult result;
        try
        {
            var state = whatIf ? connection.ExistingState : connection.State;
            var pipeline = new SyncPipeline(o => connection.OpenRoster(o), Senso, state, options, engine.Observer);
            WriteVerbose($"Data sync: roster {connection.Configuration.ClassLink.Source} source, Senso {target}{(whatIf ? " (what if: nothing is written)" : "")}.");
            result = engine.Run(() => pipeline.RunAsync(SyncScope.Nightly, CancellationToken), CancellationToken).Run!;
        }
        catch (RunInProgressException ex)
        {
            ThrowCallFailure(ex, connection.Configuration.State.Path);
            return;
        }
        finally
        {
            progress.Complete();
        }

        engine.WriteWarningSummary();
        string? written = null;
        if (report is not null)
        {
            if (whatIf)
            {
                WriteVerbose($"What if: the report would be written to '{report}'; the plan is in the Decisions property of the output.");
            }
            else
            {
                try
                {
                    SyncRunReportFile.Write(report, result, connection.State.RunHistory);
                    written = report;
                    WriteVerbose($"Report written to '{report}' ({result.Decisions.Count:N0} rows).");
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DatabaseFileException)
                {
                    WriteItemError(ex, ErrorIds.ReportNotWritten, report);
                }
            }
        }

        var run = new ClassLinkSyncRun(result.Run, result.WhatIf, written, result.Decisions);
        switch (run.Status)
        {
            case SyncRunStatus.Held:
                WriteWarning(run.Message);
                break;
            case SyncRunStatus.CompletedWithErrors:
                WriteWarning($"The data sync completed with {run.Errors.Length:N0} errors; see the Errors property{(written is null ? "" : " and the report")}.");
                break;
            case SyncRunStatus.Failed when result.RosterIncomplete is { } incomplete:
                WriteError(EngineRun.Incomplete(incomplete, run));
                break;
            case SyncRunStatus.Failed:
                WriteItemError(new InvalidOperationException(run.Message), ErrorIds.DataSyncFailed, run,
                    "Fix the cause named in the message and run Invoke-ClassLinkSync again; nothing was half-written.");
                break;
        }
        WriteObject(run);
    }
}
