using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Sync;
using SensoClassLink.Errors;

namespace SensoClassLink.Session;

/// <summary>
/// One command's run of the sync pipeline (or of its read stage alone): the engine's events reach the pipeline
/// thread through the command's one event channel (<see cref="SensoClassLinkCmdlet.RunEngine{T}"/>); data-quality
/// warnings are collected and summarized the same way in every command (<see cref="RosterProblemLog"/>); the engine's
/// whole-call failures (roster unreadable or incomplete, configuration, Senso unusable) stop the command with the
/// same id from every command, from the <see cref="ErrorCatalog"/>.
/// </summary>
internal sealed class EngineRun
{
    private readonly SensoClassLinkCmdlet _cmdlet;
    private readonly ProgressReporter _progress;
    private readonly RosterProblemLog _problems = new();

    public EngineRun(SensoClassLinkCmdlet cmdlet, ProgressReporter progress)
    {
        _cmdlet = cmdlet;
        _progress = progress;
        var events = cmdlet.EventChannel;
        Observer = new DataSyncObserver
        {
            Verbose = events.Verbose,
            Progress = events.Progress,
            // Warnings arrive on the engine's threads; the log is summarized on the pipeline thread once the work has ended.
            Warning = warning =>
            {
                lock (_problems)
                {
                    _problems.Add(warning);
                }
            },
        };
    }

    /// <summary>The observer to hand the engine; callable from any thread.</summary>
    public DataSyncObserver Observer { get; }

    /// <summary>Runs <paramref name="work"/>, pumping its events here, and returns its result or stops the command with the failure's error.</summary>
    public T Run<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return _cmdlet.RunEngine((_, _) => work(), _progress, mapCallFailures: false);
        }
        catch (RosterIncompleteException ex)
        {
            WriteWarningSummary();
            _cmdlet.ThrowTerminatingError(Incomplete(ex, null));
            throw; // not reached
        }
        catch (Exception ex) when (ex is not PipelineStoppedException && ErrorCatalog.IdFor(ex) is not null)
        {
            _cmdlet.ThrowCallFailure(ex);
            throw; // not reached
        }
    }

    /// <summary>The error record of an incomplete roster, the same from every command.</summary>
    public static ErrorRecord Incomplete(RosterIncompleteException ex, object? target) =>
        ErrorCatalog.Record(ex, ErrorIds.RosterIncomplete, target, "Fix the file at the line named, then run the command again.");

    /// <summary>Reports the data-quality problems seen so far: one warning, details in the verbose stream.</summary>
    public void WriteWarningSummary()
    {
        lock (_problems)
        {
            _problems.Report(_cmdlet);
        }
    }
}
