using System;
using System.Management.Automation;
using SensoClassLink.Core.Senso;

namespace SensoClassLink;

/// <summary>
/// Base of commands that read or write Senso: resolves the connection's provider once per call, turning
/// "Senso cannot be used at all" failures into one terminating error (see <see cref="SensoClassLinkCmdlet.Await{T}"/>).
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
                catch (Exception ex) when (IsCallFailure(ex))
                {
                    ThrowCallFailure(ex);
                }
                WriteVerbose("Senso: " + _senso!.Description);
            }
            return _senso;
        }
    }
}
