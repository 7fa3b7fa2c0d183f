using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Senso.Api;
using SensoClassLink.Core.Sqlite;
using SensoClassLink.Errors;
using SensoClassLink.Session;

namespace SensoClassLink;

/// <summary>
/// Base of every command: resolves the runspace's connection, owns cancellation (Ctrl+C cancels the token
/// and the engine stops at its next check), runs engine work with its events (<see cref="RunEngine{T}"/>),
/// and offers helpers for error records and progress.
/// </summary>
public abstract class SensoClassLinkCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private ModuleConnection? _connection;
    private PipelineEventChannel? _events;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>
    /// The runspace's connection; loads the default configuration on first use when the runspace never connected,
    /// and fails with NotConnected after Disconnect-SensoClassLink.
    /// </summary>
    protected ModuleConnection Connection
    {
        get
        {
            if (_connection is null)
            {
                try
                {
                    _connection = ModuleConnection.GetOrConnectDefault();
                }
                catch (ConfigurationException ex)
                {
                    ThrowCallFailure(ex);
                }
                catch (NotConnectedException ex)
                {
                    ThrowTerminatingError(ErrorCatalog.Record(ex, ErrorIds.NotConnected, null, NotConnectedException.RecommendedAction));
                }
            }
            return _connection!;
        }
    }

    /// <summary>
    /// This command's channel for engine events (verbose lines, warnings, progress), callable from any thread; they are
    /// written on the pipeline thread. First read it on the pipeline thread (any processing method).
    /// </summary>
    internal PipelineEventChannel EventChannel => _events ??= new PipelineEventChannel(this);

    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>
    /// True under -WhatIf, given on the command line or through $WhatIfPreference. Commands that answer for every
    /// item under -WhatIf (what would happen, and why it would fail) need to know it, not just ShouldProcess's "no".
    /// </summary>
    protected bool WhatIfRequested =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? bound)
            ? ((SwitchParameter)bound).IsPresent
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

    /// <summary>
    /// A per-item failure: non-terminating, with the item as target and an id from <see cref="ErrorIds"/>
    /// (its category comes from the <see cref="ErrorCatalog"/>).
    /// </summary>
    protected void WriteItemError(Exception exception, string errorId, object? target, string? recommendedAction = null) =>
        WriteError(ErrorCatalog.Record(exception, errorId, target, recommendedAction));

    /// <summary>A failure that makes the whole call meaningless: terminating, raised before any write, with an id from <see cref="ErrorIds"/>.</summary>
    protected void ThrowCallError(Exception exception, string errorId, object? target = null) =>
        ThrowTerminatingError(ErrorCatalog.Record(exception, errorId, target));

    /// <summary>
    /// Runs engine work on the thread pool and, until it ends, writes its events here on the pipeline thread
    /// (progress to <paramref name="progress"/>). Ctrl+C cancels the work's token and surfaces as a stopped pipeline;
    /// failures that make the whole call meaningless (bad configuration, unreadable tenant file, sign-in refused,
    /// API down) become one terminating error, unless <paramref name="mapCallFailures"/> is false (the caller maps them).
    /// </summary>
    internal T RunEngine<T>(Func<IEngineEventSink, CancellationToken, Task<T>> work, ProgressReporter? progress = null, bool mapCallFailures = true)
    {
        var events = EventChannel;
        var token = CancellationToken;
        return Wait(Task.Run(() => work(events, token), token), progress, mapCallFailures);
    }

    /// <summary>
    /// Waits for engine work already started (a provider call), writing its events meanwhile; cancellation and call
    /// failures as in <see cref="RunEngine{T}"/>.
    /// </summary>
    protected T Await<T>(Task<T> task) => Wait(task, null, mapCallFailures: true);

    protected void Await(Task task) => Await(AsUnit(task));

    private T Wait<T>(Task<T> task, ProgressReporter? progress, bool mapCallFailures)
    {
        var events = EventChannel;
        var previous = events.ProgressTarget;
        events.ProgressTarget = progress ?? previous;
        try
        {
            events.Pump(task);
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (mapCallFailures && IsCallFailure(ex))
        {
            ThrowCallFailure(ex);
            throw; // not reached: ThrowCallFailure always throws
        }
        finally
        {
            events.ProgressTarget = previous;
        }
    }

    /// <summary>Exceptions that mean Senso or the configuration cannot be used at all, rather than one item failing.</summary>
    protected internal static bool IsCallFailure(Exception ex) =>
        ex is ConfigurationException or DatabaseFileException or SensoAuthenticationException or SensoApiException;

    /// <summary>A terminating error for an engine exception, with the id and category the <see cref="ErrorCatalog"/> gives it.</summary>
    protected internal void ThrowCallFailure(Exception ex, object? target = null) => ThrowTerminatingError(ErrorCatalog.Record(ex, target));

    private static async Task<bool> AsUnit(Task task)
    {
        await task.ConfigureAwait(false);
        return true;
    }

    /// <summary>Called by PowerShell when the command ends, also when it was stopped or failed.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a command holds past one method (a roster snapshot); derived commands call the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cancellation.Dispose();
            _events?.Dispose();
        }
    }
}
