using System;
using System.Management.Automation;
using SensoClassLink.Core.Senso;

namespace SensoClassLink;

/// <summary>
/// Base of commands that read or write Senso: resolves the connection's provider once per call, turning
/// "Senso cannot be used at all" failures into one terminating error (see <see cref="SensoClassLinkCmdlet.Await{T}"/>).
/// A provider that supports command scopes (the Senso API) gives the command its own view: at most
/// <see cref="RequestConcurrency"/> requests in flight, and its verbose lines in this command's -Verbose stream.
/// </summary>
public abstract class SensoCommandBase : SensoClassLinkCmdlet
{
    private ISensoProvider? _senso;
    private ISensoProvider? _view;

    /// <summary>The Senso provider for this command (shared with the runspace's connection; never dispose it).</summary>
    protected ISensoProvider Senso
    {
        get
        {
            if (_senso is null)
            {
                try
                {
                    var shared = Connection.Senso;
                    _view = shared is ISupportsCommandScope scoped ? scoped.ForCommand(RequestConcurrency, EventChannel) : null;
                    _senso = _view ?? shared;
                }
                catch (Exception ex) when (IsCallFailure(ex))
                {
                    ThrowCallFailure(ex);
                }
                WriteVerbose("Senso: " + _senso!.Description);
            }
            return _senso;
        }
    }

    /// <summary>
    /// How many Senso requests this command runs at once: its -ThrottleLimit when given, else senso.api.maxConcurrency
    /// (4 unless configured).
    /// </summary>
    protected int RequestConcurrency =>
        MyInvocation.BoundParameters.TryGetValue("ThrottleLimit", out object? bound)
            ? LanguagePrimitives.ConvertTo<int>(bound)
            : Connection.Configuration.Senso.Api.MaxConcurrency;

    /// <summary>Releases the command's view of the provider (its gate); the shared provider stays open.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _view?.Dispose();
            _view = null;
        }
        base.Dispose(disposing);
    }
}
