using System;
using System.Management.Automation;
using System.Threading.Tasks;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Senso.Api;
using SensoClassLink.Errors;
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

    /// <summary>
    /// Signs in to the Senso API as yourself with a device code (for a person at a console) instead of as the
    /// app registration with its certificate or secret. Only with senso.provider: api.
    /// </summary>
    [Parameter]
    public SwitchParameter DeviceCode { get; set; }

    /// <summary>Also write the connection details to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        string? path = ConfigPath is null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath);
        ModuleConnection connection;
        // MSAL shows the device code from one of its threads: through the event channel it is written here, as a warning.
        var events = EventChannel;
        try
        {
            connection = ModuleConnection.Connect(path, DeviceCode ? message =>
            {
                events.Warning(message);
                return Task.CompletedTask;
            } : null);
        }
        catch (ConfigurationException ex)
        {
            ThrowCallFailure(ex, path);
            return;
        }
        if (DeviceCode)
        {
            SignIn(connection);
        }

        var info = Describe(connection);
        WriteVerbose($"Connected: roster {info.RosterSource} at '{info.RosterLocation}', Senso {info.SensoProvider} at '{info.SensoLocation}'.");
        if (PassThru)
        {
            WriteObject(info);
        }
    }

    /// <summary>
    /// Signs in now, while the person is at the console: MSAL's "go to ... and enter the code ..." message is shown
    /// as it arrives, and the sign-in is proved by reading Senso's roles. A failed sign-in leaves no connection.
    /// </summary>
    private void SignIn(ModuleConnection connection)
    {
        try
        {
            RunEngine((_, token) => connection.Senso.GetRolesAsync(token), mapCallFailures: false);
        }
        catch (PipelineStoppedException)
        {
            ModuleConnection.Abandon(connection);
            throw;
        }
        catch (Exception ex)
        {
            ModuleConnection.Abandon(connection);
            ThrowCallError(ex, ErrorIds.SensoAuthenticationFailed);
        }
    }

    internal static ClassLinkConnectionInfo Describe(ModuleConnection connection)
    {
        var config = connection.Configuration;
        bool csv = config.ClassLink.Source == RosterSourceKind.csv;
        bool local = config.Senso.Provider == SensoProviderKind.local;
        return new ClassLinkConnectionInfo(
            config.SourceFile ?? "",
            config.ClassLink.Source,
            csv ? config.ClassLink.Csv.Path ?? "" : config.ClassLink.Api.BaseUrl?.ToString() ?? "",
            config.Senso.Provider,
            local ? config.Senso.Local.Path ?? "" : config.Senso.Api.BaseUrl?.ToString() ?? "",
            config.State.Path ?? "",
            connection.ConnectedAt);
    }
}
