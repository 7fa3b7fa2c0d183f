using System;
using System.Management.Automation;
using System.Threading;
using SensoClassLink.Session;

namespace SensoClassLink;

/// <summary>
/// Base of every command: resolves the session's connection, owns cancellation (Ctrl+C cancels the token
/// and the engine stops at its next check), and offers helpers for error records and progress.
/// </summary>
public abstract class SensoClassLinkCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private ModuleConnection? _connection;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>The current connection; loads the default configuration on first use when none was made.</summary>
    protected ModuleConnection Connection => _connection ??= ModuleConnection.GetOrConnectDefault();

    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>A per-item failure: non-terminating, with a stable id and the item as target.</summary>
    protected void WriteItemError(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
    {
        var record = new ErrorRecord(exception, errorId, category, target);
        if (recommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
        }
        WriteError(record);
    }

    /// <summary>A failure that makes the whole call meaningless: terminating, raised before any write.</summary>
    protected void ThrowCallError(Exception exception, string errorId, ErrorCategory category, object? target = null) =>
        ThrowTerminatingError(new ErrorRecord(exception, errorId, category, target));

    /// <summary>Waits for engine work on the pipeline thread; Ctrl+C cancels it through <see cref="CancellationToken"/>.</summary>
    protected static T Await<T>(System.Threading.Tasks.Task<T> task) => task.GetAwaiter().GetResult();

    protected static void Await(System.Threading.Tasks.Task task) => task.GetAwaiter().GetResult();

    public void Dispose()
    {
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }
}
