using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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
        CheckParameterCombinations();
        ConfigurationDraft draft = BuildDraft();

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
        WarnAboutMissingReferences(draft);

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

    private ConfigurationDraft BuildDraft()
    {
        var draft = new ConfigurationDraft
        {
            RosterSource = RosterIsApi ? RosterSourceKind.Api : RosterSourceKind.Csv,
            StatePath = FullPath(StatePath),
            SensoProvider = SensoIsApi ? SensoProviderKind.Api : SensoProviderKind.Local,
        };
        if (RosterIsApi)
        {
            draft.RosterApiUrl = ClassLinkApiUrl;
            draft.Version = OneRosterVersion == "1.2" ? Core.Configuration.OneRosterVersion.V1_2 : Core.Configuration.OneRosterVersion.V1_1;
            draft.AuthMethod = AuthMethod switch
            {
                "oauth2" => RosterAuthMethod.OAuth2,
                "bearer" => RosterAuthMethod.Bearer,
                _ => RosterAuthMethod.OAuth1,
            };
            draft.ClientId = ClientId;
            draft.ClientSecret = Reference(ClientSecretVariable, ClientSecretFile, draft.AuthMethod == RosterAuthMethod.Bearer ? "classlink.api.auth.token" : "classlink.api.auth.clientSecret");
            draft.SignatureMethod = SignatureMethod == "HMAC-SHA1" ? OAuth1SignatureMethod.HmacSha1 : OAuth1SignatureMethod.HmacSha256;
            draft.TokenUrl = TokenUrl;
            draft.Scopes = Scope;
        }
        else
        {
            draft.CsvPath = FullPath(CsvPath);
        }

        if (SensoIsApi)
        {
            draft.SensoApiUrl = SensoApiUrl;
            draft.SensoAuthority = SensoAuthority;
            draft.SensoClientId = SensoClientId;
            draft.SensoScopes = SensoScope;
            draft.CertificateThumbprint = CertificateThumbprint;
            draft.CertificatePath = FullPath(CertificatePath);
            draft.CertificatePassword = Reference(CertificatePasswordVariable, CertificatePasswordFile, "senso.api.certificatePassword");
            draft.SensoClientSecret = Reference(SensoClientSecretVariable, SensoClientSecretFile, "senso.api.clientSecret");
        }
        else
        {
            draft.LocalTenantPath = FullPath(SensoTenantPath);
        }
        return draft;
    }

    /// <summary>Parameters that cannot go together, or that one needs another: named here, before anything is written.</summary>
    private void CheckParameterCombinations()
    {
        var problems = new List<string>();
        void Exclusive(params string[] names)
        {
            string[] given = names.Where(MyInvocation.BoundParameters.ContainsKey).ToArray();
            if (given.Length > 1)
            {
                problems.Add($"Give only one of {string.Join(", ", names.Select(n => "-" + n))}.");
            }
        }
        bool Given(string name) => MyInvocation.BoundParameters.ContainsKey(name);

        Exclusive(nameof(ClientSecretVariable), nameof(ClientSecretFile));
        Exclusive(nameof(CertificatePasswordVariable), nameof(CertificatePasswordFile));
        Exclusive(nameof(SensoClientSecretVariable), nameof(SensoClientSecretFile));
        if (new[] { Given(nameof(CertificateThumbprint)), Given(nameof(CertificatePath)), Given(nameof(SensoClientSecretVariable)) || Given(nameof(SensoClientSecretFile)) }.Count(g => g) > 1)
        {
            problems.Add("Give only one way for the module to sign in to Senso: -CertificateThumbprint, -CertificatePath, or -SensoClientSecretVariable/-SensoClientSecretFile.");
        }
        if ((Given(nameof(CertificatePasswordVariable)) || Given(nameof(CertificatePasswordFile))) && !Given(nameof(CertificatePath)))
        {
            problems.Add("-CertificatePasswordVariable and -CertificatePasswordFile go with -CertificatePath (a PFX file).");
        }
        if (RosterIsApi)
        {
            bool bearer = AuthMethod == "bearer";
            if (!Given(nameof(ClientSecretVariable)) && !Given(nameof(ClientSecretFile)))
            {
                problems.Add(bearer
                    ? "-AuthMethod bearer needs -ClientSecretVariable NAME or -ClientSecretFile PATH: where the token is (never the token itself)."
                    : "Give -ClientSecretVariable NAME or -ClientSecretFile PATH: where the application's Secret is (never the secret itself).");
            }
            if (!bearer && !Given(nameof(ClientId)))
            {
                problems.Add($"-AuthMethod {AuthMethod} needs -ClientId: the application's Key on the Roster Server.");
            }
            if (bearer && Given(nameof(ClientId)))
            {
                problems.Add("-ClientId is not used with -AuthMethod bearer (the token identifies the application).");
            }
            if (AuthMethod == "oauth2" && !Given(nameof(TokenUrl)))
            {
                problems.Add("-AuthMethod oauth2 needs -TokenUrl: the server's OAuth 2 token endpoint.");
            }
            if (AuthMethod != "oauth2" && (Given(nameof(TokenUrl)) || Given(nameof(Scope))))
            {
                problems.Add("-TokenUrl and -Scope apply only to -AuthMethod oauth2.");
            }
            if (AuthMethod != "oauth1" && Given(nameof(SignatureMethod)))
            {
                problems.Add("-SignatureMethod applies only to -AuthMethod oauth1.");
            }
        }
        // A secret given where its variable name or file path belongs is neither written nor echoed.
        foreach (string name in new[] { nameof(ClientSecretVariable), nameof(CertificatePasswordVariable), nameof(SensoClientSecretVariable) })
        {
            if (MyInvocation.BoundParameters.TryGetValue(name, out object? value)
                && !SecretValueGuard.IsPlausibleVariableName((string)value, !string.IsNullOrEmpty(Environment.GetEnvironmentVariable((string)value))))
            {
                problems.Add($"-{name} takes the name of an environment variable (letters, digits and '_', for example CLASSLINK_CLIENT_SECRET), not its value; what was given is not set in this session and does not look like a name, so it is not shown.");
            }
        }
        foreach (string name in new[] { nameof(ClientSecretFile), nameof(CertificatePasswordFile), nameof(SensoClientSecretFile) })
        {
            if (MyInvocation.BoundParameters.TryGetValue(name, out object? value)
                && !SecretValueGuard.IsPlausibleFilePath((string)value, File.Exists(FullPath((string)value))))
            {
                problems.Add($"-{name} takes the path of a file that holds the secret, not the secret; what was given is not an existing file and does not look like a path, so it is not shown.");
            }
        }
        if (problems.Count > 0)
        {
            ThrowCallError(new ArgumentException(string.Join(" ", problems)), ErrorIds.InvalidParameterCombination);
        }
    }

    private SecretReference? Reference(string? variable, string? file, string key) =>
        variable is not null ? SecretReference.FromEnvironment(variable, key)
        : file is not null ? SecretReference.FromFile(FullPath(file)!, key)
        : null;

    /// <summary>A missing variable or file is not an error here (a scheduled task may set it), but worth saying now.</summary>
    private void WarnAboutMissingReferences(ConfigurationDraft draft)
    {
        foreach (var reference in new[] { draft.ClientSecret, draft.CertificatePassword, draft.SensoClientSecret })
        {
            if (reference is null)
            {
                continue;
            }
            if (reference.Kind == SecretReferenceKind.Environment && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(reference.Target)))
            {
                WriteWarning($"'{reference.Key}' refers to the environment variable '{reference.Target}', which is not set in this session; set it where the module runs (for a scheduled task, in the task's environment).");
            }
            else if (reference.Kind == SecretReferenceKind.File && !File.Exists(reference.Target))
            {
                WriteWarning($"'{reference.Key}' refers to the file '{reference.Target}', which does not exist yet.");
            }
        }
        if (draft.CsvPath is not null && !File.Exists(draft.CsvPath) && !Directory.Exists(draft.CsvPath))
        {
            WriteWarning($"The roster export '{draft.CsvPath}' does not exist yet.");
        }
    }

    private string? FullPath(string? path) => path is null ? null : GetUnresolvedProviderPathFromPSPath(path);

    private void ThrowExists(string path) =>
        ThrowTerminatingError(ErrorCatalog.Record(new ConfigurationFileExistsException(path), ErrorIds.ConfigurationFileExists, path,
            "Add -Force to replace it, or give another -Path."));

    private static (string RosterSource, string RosterLocation, string SensoProvider, string SensoLocation) Describe(SensoClassLinkConfiguration config)
    {
        bool csv = config.ClassLink.Source == RosterSourceKind.Csv;
        bool local = config.Senso.Provider == SensoProviderKind.Local;
        return (csv ? "csv" : "api",
            csv ? config.ClassLink.Csv.Path ?? "" : config.ClassLink.Api.BaseUrl?.ToString() ?? "",
            local ? "local" : "api",
            local ? config.Senso.Local.Path ?? "" : config.Senso.Api.BaseUrl?.ToString() ?? "");
    }
}
