using System.Management.Automation;
using SensoClassLink.Models;
using SensoClassLink.Session;

namespace SensoClassLink.Commands;

/// <summary>
/// Closes this runspace's connection: its SQLite files (local tenant, state), its HTTP client and its sign-in cache.
/// Until the next Connect-SensoClassLink, commands in this runspace fail with NotConnected instead of connecting to
/// the configuration they would otherwise discover. Other runspaces keep their own connections.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "SensoClassLink")]
[OutputType(typeof(ClassLinkConnectionInfo))]
public sealed class DisconnectSensoClassLinkCommand : SensoClassLinkCmdlet
{
    /// <summary>Write the details of the connection that was closed to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var closed = ModuleConnection.Disconnect();
        if (closed is null)
        {
            WriteVerbose("No connection was open in this session. Commands now need Connect-SensoClassLink before they run.");
            return;
        }
        var info = ConnectSensoClassLinkCommand.Describe(closed);
        WriteVerbose($"Disconnected from '{info.ConfigPath}'. Commands now need Connect-SensoClassLink before they run.");
        if (PassThru)
        {
            WriteObject(info);
        }
    }
}
