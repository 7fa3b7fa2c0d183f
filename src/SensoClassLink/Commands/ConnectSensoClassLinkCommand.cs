using System.Management.Automation;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Models;
using SensoClassLink.Session;

namespace SensoClassLink.Commands;

/// <summary>Loads and validates a deployment's configuration and keeps it as the session's connection.</summary>
[Cmdlet(VerbsCommunications.Connect, "SensoClassLink")]
[OutputType(typeof(ClassLinkConnectionInfo))]
public sealed class ConnectSensoClassLinkCommand : SensoClassLinkCmdlet
{
    /// <summary>The YAML configuration file; defaults to $env:SENSOCLASSLINK_CONFIG, then the per-user default.</summary>
    [Parameter(Position = 0)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>Also write the connection details to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        string? path = ConfigPath is null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath);
        ModuleConnection connection;
        try
        {
            connection = ModuleConnection.Connect(path);
        }
        catch (ConfigurationException ex)
        {
            ThrowCallError(ex, "InvalidConfiguration", ErrorCategory.InvalidData, path);
            return;
        }

        var info = Describe(connection);
        WriteVerbose($"Connected: roster {info.RosterSource} at '{info.RosterLocation}', Senso {info.SensoProvider} at '{info.SensoLocation}'.");
        if (PassThru)
        {
            WriteObject(info);
        }
    }

    internal static ClassLinkConnectionInfo Describe(ModuleConnection connection)
    {
        var config = connection.Configuration;
        bool csv = config.ClassLink.Source == RosterSourceKind.Csv;
        bool local = config.Senso.Provider == SensoProviderKind.Local;
        return new ClassLinkConnectionInfo(
            config.SourceFile ?? "",
            csv ? "csv" : "api",
            csv ? config.ClassLink.Csv.Path ?? "" : config.ClassLink.Api.BaseUrl?.ToString() ?? "",
            local ? "local" : "api",
            local ? config.Senso.Local.Path ?? "" : config.Senso.Api.BaseUrl?.ToString() ?? "",
            config.State.Path ?? "",
            connection.ConnectedAt);
    }
}
