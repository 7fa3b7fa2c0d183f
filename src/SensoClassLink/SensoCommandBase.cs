using System;
using System.Management.Automation;
using System.Threading.Tasks;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Api;
using SensoClassLink.Core.Sqlite;

namespace SensoClassLink;

/// <summary>
/// Base of commands that read or write Senso: resolves the connection's provider once per call, awaits the engine
/// on the pipeline thread with the call's cancellation token, and turns "Senso cannot be used at all" failures
/// (bad configuration, unreadable tenant file, sign-in refused, API down) into one terminating error.
/// </summary>
public abstract class SensoCommandBase : SensoClassLinkCmdlet
{
    private ISensoProvider? _senso;

    /// <summary>The connection's Senso provider (shared; never dispose it).</summary>
    protected ISensoProvider Senso
    {
        get
        {
            if (_senso is null)
            {
                try
                {
                    _senso = Connection.Senso;
                }
                catch (Exception ex) when (IsSensoUnavailable(ex))
                {
                    ThrowSensoUnavailable(ex);
                }
                WriteVerbose("Senso: " + _senso!.Description);
            }
            return _senso;
        }
    }

    /// <summary>Waits for engine work on the pipeline thread; Ctrl+C surfaces as a stopped pipeline, whole-call failures as terminating errors.</summary>
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
        catch (Exception ex) when (IsSensoUnavailable(ex))
        {
            ThrowSensoUnavailable(ex);
            throw; // not reached: ThrowSensoUnavailable always throws
        }
    }

    private static bool IsSensoUnavailable(Exception ex) =>
        ex is ConfigurationException or DatabaseFileException or SensoAuthenticationException or SensoApiException;

    private void ThrowSensoUnavailable(Exception ex)
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
}
