using System;
using System.IO;
using System.Management.Automation;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Models;
using SensoClassLink.Session;

using SensoClassLink.Errors;

namespace SensoClassLink.Commands;

/// <summary>
/// Writes a commented YAML configuration from parameters: the roster source, the Senso provider and the state path,
/// with secrets as references (env:NAME or file:PATH), never values. The file is proved by loading it before it
/// takes its name; the flow lives in <see cref="ConfigurationWriter"/>.
/// </summary>
[Cmdlet(VerbsCommon.New, "SensoClassLinkConfiguration", SupportsShouldProcess = true, DefaultParameterSetName = CsvLocal)]
[OutputType(typeof(ClassLinkConfigurationFile))]
public sealed class NewSensoClassLinkConfigurationCommand : SensoClassLinkCmdlet
{
    private const string CsvLocal = "CsvLocal";
    private const string CsvSensoApi = "CsvSensoApi";
    private const string ApiLocal = "ApiLocal";
    private const string ApiSensoApi = "ApiSensoApi";

    /// <summary>The file to write; defaults to $env:SENSOCLASSLINK_CONFIG, then the per-user default, where commands look without -ConfigPath.</summary>
    [Parameter(Position = 0)]
    [Alias("ConfigPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The roster is a OneRoster CSV export: its folder or .zip.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CsvLocal)]
    [Parameter(Mandatory = true, ParameterSetName = CsvSensoApi)]
    [ValidateNotNullOrEmpty]
    public string CsvPath { get; set; } = "";

    /// <summary>The roster is the Roster Server's REST API: its Endpoint URL.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ApiLocal)]
    [Parameter(Mandatory = true, ParameterSetName = ApiSensoApi)]
    [Alias("EndpointUrl")]
    [ValidateNotNullOrEmpty]
    public string ClassLinkApiUrl { get; set; } = "";

    [Parameter(ParameterSetName = ApiLocal)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateSet("1.1", "1.2")]
    public string OneRosterVersion { get; set; } = "1.1";

    [Parameter(ParameterSetName = ApiLocal)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateSet("oauth1", "oauth2", "bearer")]
    public string AuthMethod { get; set; } = "oauth1";

    /// <summary>The application's Key (oauth1) or client id (oauth2).</summary>
    [Parameter(ParameterSetName = ApiLocal)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [Alias("Key")]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    /// <summary>The environment variable that holds the Secret (or, with bearer, the token): written as env:NAME.</summary>
    [Parameter(ParameterSetName = ApiLocal)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string? ClientSecretVariable { get; set; }

    /// <summary>The file that holds the Secret (or, with bearer, the token): written as file:PATH.</summary>
    [Parameter(ParameterSetName = ApiLocal)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string? ClientSecretFile { get; set; }

    [Parameter(ParameterSetName = ApiLocal)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateSet("HMAC-SHA256", "HMAC-SHA1")]
    public string? SignatureMethod { get; set; }

    [Parameter(ParameterSetName = ApiLocal)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string? TokenUrl { get; set; }

    [Parameter(ParameterSetName = ApiLocal)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    public string[] Scope { get; set; } = Array.Empty<string>();

    /// <summary>The local tenant's SQLite file (senso.provider local).</summary>
    [Parameter(ParameterSetName = CsvLocal)]
    [Parameter(ParameterSetName = ApiLocal)]
    [ValidateNotNullOrEmpty]
    public string? SensoTenantPath { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CsvSensoApi)]
    [Parameter(Mandatory = true, ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string SensoApiUrl { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = CsvSensoApi)]
    [Parameter(Mandatory = true, ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string SensoAuthority { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = CsvSensoApi)]
    [Parameter(Mandatory = true, ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string SensoClientId { get; set; } = "";

    [Parameter(ParameterSetName = CsvSensoApi)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    public string[] SensoScope { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = CsvSensoApi)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string? CertificateThumbprint { get; set; }

    [Parameter(ParameterSetName = CsvSensoApi)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    [Parameter(ParameterSetName = CsvSensoApi)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string? CertificatePasswordVariable { get; set; }

    [Parameter(ParameterSetName = CsvSensoApi)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string? CertificatePasswordFile { get; set; }

    [Parameter(ParameterSetName = CsvSensoApi)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string? SensoClientSecretVariable { get; set; }

    [Parameter(ParameterSetName = CsvSensoApi)]
    [Parameter(ParameterSetName = ApiSensoApi)]
    [ValidateNotNullOrEmpty]
    public string? SensoClientSecretFile { get; set; }

    /// <summary>The module's state database; defaults to sensoclasslink-state.db next to the configuration file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Make the written file the session's connection at once, as Connect-SensoClassLink does.</summary>
    [Parameter]
    public SwitchParameter Connect { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private bool RosterIsApi => ParameterSetName is ApiLocal or ApiSensoApi;

    private bool SensoIsApi => ParameterSetName is CsvSensoApi or ApiSensoApi;

    protected override void EndProcessing()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path ?? ConfigurationLoader.ResolvePath(null));
        var request = Request();
        ConfigurationDraft draft;
        try
        {
            draft = request.ToDraft();
        }
        catch (InvalidParameterCombinationException ex)
        {
            ThrowCallError(ex, ErrorIds.InvalidParameterCombination);
            return;
        }

        SensoClassLinkConfiguration described;
        try
        {
            described = ConfigurationWriter.Check(draft, path);
        }
        catch (ConfigurationException ex)
        {
            ThrowCallError(new ConfigurationException("Nothing was written. " + ex.Message), ErrorIds.InvalidConfiguration, path);
            return;
        }
        catch (ArgumentException ex)
        {
            ThrowCallError(ex, ErrorIds.InvalidConfiguration, path);
            return;
        }
        bool exists = File.Exists(path);
        if (exists && !Force)
        {
            ThrowExists(path);
        }

        var summary = Describe(described);
        string action = (exists ? "Replace the configuration file" : "Create the configuration file")
            + $" (roster {summary.RosterSource} at '{summary.RosterLocation}', Senso {summary.SensoProvider} at '{summary.SensoLocation}')"
            + (Connect ? " and connect to it" : "");
        if (!ShouldProcess(path, action))
        {
            return;
        }
        // A missing variable or file is not an error here (a scheduled task may set it), but worth saying now.
        foreach (string warning in request.FindMissingReferences(draft))
        {
            WriteWarning(warning);
        }

        SensoClassLinkConfiguration written;
        try
        {
            written = ConfigurationWriter.Write(draft, path, overwrite: Force);
        }
        catch (ConfigurationFileExistsException)
        {
            ThrowExists(path);
            return;
        }
        catch (ConfigurationException ex)
        {
            ThrowCallError(new ConfigurationException("Nothing was written. " + ex.Message), ErrorIds.InvalidConfiguration, path);
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowCallError(ex, ErrorIds.ConfigurationNotWritten, path);
            return;
        }
        WriteVerbose($"Wrote '{path}'.");

        if (Connect)
        {
            try
            {
                ModuleConnection.Connect(path);
            }
            catch (ConfigurationException ex)
            {
                ThrowCallError(ex, ErrorIds.InvalidConfiguration, path);
                return;
            }
            WriteVerbose($"Connected to '{path}'.");
        }
        if (PassThru)
        {
            var (rosterSource, rosterLocation, sensoProvider, sensoLocation) = Describe(written);
            WriteObject(new ClassLinkConfigurationFile(path, rosterSource, rosterLocation, sensoProvider, sensoLocation, written.State.Path ?? "", Connect));
        }
    }

    /// <summary>The parameters as given (null: not bound), with PowerShell's path resolution; the rules are Core's.</summary>
    private ConfigurationRequest Request()
    {
        var bound = MyInvocation.BoundParameters;
        string? Given(string name, string? value) => bound.ContainsKey(name) ? value : null;
        string[]? GivenList(string name, string[]? value) => bound.ContainsKey(name) ? value ?? Array.Empty<string>() : null;
        return new ConfigurationRequest
        {
            ResolvePath = GetUnresolvedProviderPathFromPSPath,
            RosterIsApi = RosterIsApi,
            SensoIsApi = SensoIsApi,
            CsvPath = Given(nameof(CsvPath), CsvPath),
            ClassLinkApiUrl = Given(nameof(ClassLinkApiUrl), ClassLinkApiUrl),
            OneRosterVersion = OneRosterVersion,
            AuthMethod = AuthMethod,
            ClientId = Given(nameof(ClientId), ClientId),
            ClientSecretVariable = Given(nameof(ClientSecretVariable), ClientSecretVariable),
            ClientSecretFile = Given(nameof(ClientSecretFile), ClientSecretFile),
            SignatureMethod = Given(nameof(SignatureMethod), SignatureMethod),
            TokenUrl = Given(nameof(TokenUrl), TokenUrl),
            Scope = GivenList(nameof(Scope), Scope),
            SensoTenantPath = Given(nameof(SensoTenantPath), SensoTenantPath),
            SensoApiUrl = Given(nameof(SensoApiUrl), SensoApiUrl),
            SensoAuthority = Given(nameof(SensoAuthority), SensoAuthority),
            SensoClientId = Given(nameof(SensoClientId), SensoClientId),
            SensoScope = GivenList(nameof(SensoScope), SensoScope),
            CertificateThumbprint = Given(nameof(CertificateThumbprint), CertificateThumbprint),
            CertificatePath = Given(nameof(CertificatePath), CertificatePath),
            CertificatePasswordVariable = Given(nameof(CertificatePasswordVariable), CertificatePasswordVariable),
            CertificatePasswordFile = Given(nameof(CertificatePasswordFile), CertificatePasswordFile),
            SensoClientSecretVariable = Given(nameof(SensoClientSecretVariable), SensoClientSecretVariable),
            SensoClientSecretFile = Given(nameof(SensoClientSecretFile), SensoClientSecretFile),
            StatePath = Given(nameof(StatePath), StatePath),
        };
    }

    private void ThrowExists(string path) =>
        ThrowTerminatingError(ErrorCatalog.Record(new ConfigurationFileExistsException(path), ErrorIds.ConfigurationFileExists, path,
            "Add -Force to replace it, or give another -Path."));

    private static (RosterSourceKind RosterSource, string RosterLocation, SensoProviderKind SensoProvider, string SensoLocation) Describe(SensoClassLinkConfiguration config)
    {
        bool csv = config.ClassLink.Source == RosterSourceKind.csv;
        bool local = config.Senso.Provider == SensoProviderKind.local;
        return (config.ClassLink.Source,
            csv ? config.ClassLink.Csv.Path ?? "" : config.ClassLink.Api.BaseUrl?.ToString() ?? "",
            config.Senso.Provider,
            local ? config.Senso.Local.Path ?? "" : config.Senso.Api.BaseUrl?.ToString() ?? "");
    }
}
