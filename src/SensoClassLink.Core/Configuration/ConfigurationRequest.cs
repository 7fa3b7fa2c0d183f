using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace SensoClassLink.Core.Configuration;

/// <summary>
/// The parameters New-SensoClassLinkConfiguration was given, as given (null: not given), and the rules that turn
/// them into a <see cref="ConfigurationDraft"/>. Every problem with their combination is named at once, in the
/// parameters' own words, before anything is written. Messages name the parameters (-ClientId), because that is
/// what the person typed; the draft's keys are checked later by <see cref="ConfigurationWriter.Check"/>.
/// </summary>
public sealed class ConfigurationRequest
{
    /// <summary>
    /// Turns a path as given into a full path. The cmdlet passes PowerShell's provider resolution (relative to the
    /// current location, ~ expanded), which differs from the process's current directory.
    /// </summary>
    public Func<string, string> ResolvePath { get; set; } = Path.GetFullPath;

    /// <summary>Reads an environment variable; replaceable so that tests need not change the process's environment.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; set; } = Environment.GetEnvironmentVariable;

    /// <summary>True: the roster is the REST API (<see cref="ClassLinkApiUrl"/>); false: a CSV export (<see cref="CsvPath"/>).</summary>
    public bool RosterIsApi { get; set; }

    /// <summary>True: Senso is the tenant API; false: the local tenant.</summary>
    public bool SensoIsApi { get; set; }

    public string? CsvPath { get; set; }
    public string? ClassLinkApiUrl { get; set; }

    /// <summary>"1.1" or "1.2".</summary>
    public string OneRosterVersion { get; set; } = "1.1";

    /// <summary>"oauth1", "oauth2" or "bearer".</summary>
    public string AuthMethod { get; set; } = "oauth1";

    public string? ClientId { get; set; }
    public string? ClientSecretVariable { get; set; }
    public string? ClientSecretFile { get; set; }

    /// <summary>"HMAC-SHA256" or "HMAC-SHA1".</summary>
    public string? SignatureMethod { get; set; }

    public string? TokenUrl { get; set; }

    /// <summary>Null when -Scope was not given (an empty list given is still given).</summary>
    public IReadOnlyList<string>? Scope { get; set; }

    public string? SensoTenantPath { get; set; }
    public string? SensoApiUrl { get; set; }
    public string? SensoAuthority { get; set; }
    public string? SensoClientId { get; set; }
    public IReadOnlyList<string>? SensoScope { get; set; }
    public string? CertificateThumbprint { get; set; }
    public string? CertificatePath { get; set; }
    public string? CertificatePasswordVariable { get; set; }
    public string? CertificatePasswordFile { get; set; }
    public string? SensoClientSecretVariable { get; set; }
    public string? SensoClientSecretFile { get; set; }
    public string? StatePath { get; set; }

    /// <summary>Every problem with the combination of parameters, in order; empty when they go together.</summary>
    public IReadOnlyList<string> FindProblems()
    {
        var problems = new List<string>();
        void Exclusive(string first, string? firstValue, string second, string? secondValue)
        {
            if (firstValue is not null && secondValue is not null)
            {
                problems.Add($"Give only one of -{first}, -{second}.");
            }
        }

        Exclusive(nameof(ClientSecretVariable), ClientSecretVariable, nameof(ClientSecretFile), ClientSecretFile);
        Exclusive(nameof(CertificatePasswordVariable), CertificatePasswordVariable, nameof(CertificatePasswordFile), CertificatePasswordFile);
        Exclusive(nameof(SensoClientSecretVariable), SensoClientSecretVariable, nameof(SensoClientSecretFile), SensoClientSecretFile);
        bool sensoSecretGiven = SensoClientSecretVariable is not null || SensoClientSecretFile is not null;
        if (new[] { CertificateThumbprint is not null, CertificatePath is not null, sensoSecretGiven }.Count(g => g) > 1)
        {
            problems.Add("Give only one way for the module to sign in to Senso: -CertificateThumbprint, -CertificatePath, or -SensoClientSecretVariable/-SensoClientSecretFile.");
        }
        if ((CertificatePasswordVariable is not null || CertificatePasswordFile is not null) && CertificatePath is null)
        {
            problems.Add("-CertificatePasswordVariable and -CertificatePasswordFile go with -CertificatePath (a PFX file).");
        }
        if (RosterIsApi)
        {
            AddRosterAuthProblems(problems);
        }
        // A secret given where its variable name or file path belongs is neither written nor echoed.
        foreach (var (name, value) in new[]
        {
            (nameof(ClientSecretVariable), ClientSecretVariable),
            (nameof(CertificatePasswordVariable), CertificatePasswordVariable),
            (nameof(SensoClientSecretVariable), SensoClientSecretVariable),
        })
        {
            if (value is not null && !SecretValueGuard.IsPlausibleVariableName(value, !string.IsNullOrEmpty(GetEnvironmentVariable(value))))
            {
                problems.Add($"-{name} takes the name of an environment variable (letters, digits and '_', for example CLASSLINK_CLIENT_SECRET), not its value; what was given is not set in this session and does not look like a name, so it is not shown.");
            }
        }
        foreach (var (name, value) in new[]
        {
            (nameof(ClientSecretFile), ClientSecretFile),
            (nameof(CertificatePasswordFile), CertificatePasswordFile),
            (nameof(SensoClientSecretFile), SensoClientSecretFile),
        })
        {
            if (value is not null && !SecretValueGuard.IsPlausibleFilePath(value, File.Exists(ResolvePath(value))))
            {
                problems.Add($"-{name} takes the path of a file that holds the secret, not the secret; what was given is not an existing file and does not look like a path, so it is not shown.");
            }
        }
        return problems;
    }

    /// <summary>
    /// The draft these parameters describe, paths resolved and secrets as references. Throws
    /// <see cref="InvalidParameterCombinationException"/> naming every problem <see cref="FindProblems"/> finds.
    /// </summary>
    public ConfigurationDraft ToDraft()
    {
        var problems = FindProblems();
        if (problems.Count > 0)
        {
            throw new InvalidParameterCombinationException(problems);
        }

        var draft = new ConfigurationDraft
        {
            RosterSource = RosterIsApi ? RosterSourceKind.api : RosterSourceKind.csv,
            StatePath = FullPath(StatePath),
            SensoProvider = SensoIsApi ? SensoProviderKind.api : SensoProviderKind.local,
        };
        if (RosterIsApi)
        {
            draft.RosterApiUrl = ClassLinkApiUrl;
            draft.Version = OneRosterVersion == "1.2" ? Configuration.OneRosterVersion.V1_2 : Configuration.OneRosterVersion.V1_1;
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
            draft.Scopes = Scope ?? Array.Empty<string>();
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
            draft.SensoScopes = SensoScope ?? Array.Empty<string>();
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

    /// <summary>
    /// What is worth saying before the file is written, though not an error (a scheduled task may set a variable
    /// the console does not have): references to variables that are not set and files that do not exist yet.
    /// </summary>
    public IReadOnlyList<string> FindMissingReferences(ConfigurationDraft draft)
    {
        var warnings = new List<string>();
        foreach (var reference in new[] { draft.ClientSecret, draft.CertificatePassword, draft.SensoClientSecret })
        {
            if (reference is null)
            {
                continue;
            }
            if (reference.Kind == SecretReferenceKind.Environment && string.IsNullOrEmpty(GetEnvironmentVariable(reference.Target)))
            {
                warnings.Add($"'{reference.Key}' refers to the environment variable '{reference.Target}', which is not set in this session; set it where the module runs (for a scheduled task, in the task's environment).");
            }
            else if (reference.Kind == SecretReferenceKind.File && !File.Exists(reference.Target))
            {
                warnings.Add($"'{reference.Key}' refers to the file '{reference.Target}', which does not exist yet.");
            }
        }
        if (draft.CsvPath is not null && !File.Exists(draft.CsvPath) && !Directory.Exists(draft.CsvPath))
        {
            warnings.Add($"The roster export '{draft.CsvPath}' does not exist yet.");
        }
        return warnings;
    }

    private void AddRosterAuthProblems(List<string> problems)
    {
        bool bearer = AuthMethod == "bearer";
        if (ClientSecretVariable is null && ClientSecretFile is null)
        {
            problems.Add(bearer
                ? "-AuthMethod bearer needs -ClientSecretVariable NAME or -ClientSecretFile PATH: where the token is (never the token itself)."
                : "Give -ClientSecretVariable NAME or -ClientSecretFile PATH: where the application's Secret is (never the secret itself).");
        }
        if (!bearer && ClientId is null)
        {
            problems.Add($"-AuthMethod {AuthMethod} needs -ClientId: the application's Key on the Roster Server.");
        }
        if (bearer && ClientId is not null)
        {
            problems.Add("-ClientId is not used with -AuthMethod bearer (the token identifies the application).");
        }
        if (AuthMethod == "oauth2" && TokenUrl is null)
        {
            problems.Add("-AuthMethod oauth2 needs -TokenUrl: the server's OAuth 2 token endpoint.");
        }
        if (AuthMethod != "oauth2" && (TokenUrl is not null || Scope is not null))
        {
            problems.Add("-TokenUrl and -Scope apply only to -AuthMethod oauth2.");
        }
        if (AuthMethod != "oauth1" && SignatureMethod is not null)
        {
            problems.Add("-SignatureMethod applies only to -AuthMethod oauth1.");
        }
    }

    private string? FullPath(string? path) => path is null ? null : ResolvePath(path);

    private SecretReference? Reference(string? variable, string? file, string key) =>
        variable is not null ? SecretReference.FromEnvironment(variable, key)
        : file is not null ? SecretReference.FromFile(FullPath(file)!, key)
        : null;
}
