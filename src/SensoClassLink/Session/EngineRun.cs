using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Session;

/// <summary>
/// Runs one command's engine work (the sync pipeline, a roster read) off the pipeline thread and carries its
/// events back: verbose lines and progress as they come, data-quality warnings collected and summarized the same
/// way in every command (<see cref="RosterProblemLog"/>). Maps the engine's whole-call failures to the same
/// terminating errors in every command: the roster unreadable, the roster incomplete, the configuration invalid.
/// </summary>
internal sealed class EngineRun
{
    private readonly SensoClassLinkCmdlet _cmdlet;
    private readonly ProgressReporter _progress;
    private readonly RosterProblemLog _problems = new();
    private readonly EngineEventPump _pump = new();

    public EngineRun(SensoClassLinkCmdlet cmdlet, ProgressReporter progress)
    {
        _cmdlet = cmdlet;
        _progress = progress;
        Observer = new DataSyncObserver
        {
            Verbose = line => _pump.Post(() => _cmdlet.WriteVerbose(line)),
            Progress = (status, percent) => _pump.Post(() => _progress.Report(status, percent)),
            Warning = warning => _pump.Post(() => _problems.Add(warning)),
        };
    }

    /// <summary>The observer to hand the engine; callable from any thread.</summary>
    public DataSyncObserver Observer { get; }

    /// <summary>Runs <paramref name="work"/>, pumping its events here, and returns its result or stops the command with the failure's error.</summary>
    public T Run<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return _pump.Run(work);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (RosterIncompleteException ex)
        {
            WriteWarningSummary();
            _cmdlet.ThrowTerminatingError(Incomplete(ex, null));
            throw; // not reached
        }
        catch (RosterReadException ex)
        {
            _cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "RosterUnreadable", ErrorCategory.ReadError, null));
            throw; // not reached
        }
        catch (ConfigurationException ex)
        {
            _cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "InvalidConfiguration", ErrorCategory.InvalidData, null));
            throw; // not reached
        }
        catch (Exception ex) when (SensoClassLinkCmdlet.IsCallFailure(ex))
        {
            _cmdlet.ThrowCallFailure(ex);
            throw; // not reached
        }
    }

    /// <summary>The error record of an incomplete roster, the same from every command.</summary>
    public static ErrorRecord Incomplete(RosterIncompleteException ex, object? target)
    {
        var record = new ErrorRecord(ex, RosterIncompleteException.ErrorId, ErrorCategory.InvalidData, target);
        record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = "Fix the file at the line named, then run the command again." };
        return record;
    }

    /// <summary>Reports the data-quality problems seen so far: one warning, details in the verbose stream.</summary>
    public void WriteWarningSummary() => _problems.Report(_cmdlet);
}
