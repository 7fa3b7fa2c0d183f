using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Senso.Api;
using SensoClassLink.Core.Sqlite;
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
                    ThrowCallError(ex, "InvalidConfiguration", ErrorCategory.InvalidData);
                }
            }
            return _connection!;
        }
    }

    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>
    /// True under -WhatIf, given on the command line or through $WhatIfPreference. Commands that answer for every
    /// item under -WhatIf (what would happen, and why it would fail) need to know it, not just ShouldProcess's "no".
    /// </summary>
    protected bool WhatIfRequested =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? bound)
            ? ((SwitchParameter)bound).IsPresent
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

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

    /// <summary>
    /// Waits for engine work on the pipeline thread. Ctrl+C surfaces as a stopped pipeline; failures that make the
    /// whole call meaningless (bad configuration, unreadable tenant file, sign-in refused, API down) as one terminating error.
    /// </summary>
    protected T Await<T>(Task<T> task)
    {
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (IsCallFailure(ex))
        {
            ThrowCallFailure(ex);
            throw; // not reached: ThrowCallFailure always throws
        }
    }

    protected void Await(Task task) => Await(AsUnit(task));

    /// <summary>Exceptions that mean Senso or the configuration cannot be used at all, rather than one item failing.</summary>
    protected internal static bool IsCallFailure(Exception ex) =>
        ex is ConfigurationException or DatabaseFileException or SensoAuthenticationException or SensoApiException;

    protected internal void ThrowCallFailure(Exception ex)
    {
        var (id, category) = ex switch
        {
            ConfigurationException => ("InvalidConfiguration", ErrorCategory.InvalidData),
            DatabaseFileException => ("SensoTenantUnavailable", ErrorCategory.OpenError),
            SensoAuthenticationException => ("SensoAuthenticationFailed", ErrorCategory.AuthenticationError),
            _ => ("SensoApiError", ErrorCategory.ConnectionError),
        };
        ThrowCallError(ex, id, category);
    }

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
        }
    }
}
