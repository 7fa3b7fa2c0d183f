using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Sqlite;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SensoClassLink.Core.Configuration;

/// <summary>
/// Loads and validates a deployment's YAML file. Every problem is reported at once, located by
/// key and line; relative paths resolve against the file's folder; secrets must be references.
/// </summary>
public static class ConfigurationLoader
{
    /// <summary>The environment variable consulted when no path is given.</summary>
    public const string PathVariable = "SENSOCLASSLINK_CONFIG";

    private static readonly Dictionary<string, RosterSourceKind> SourceNames = new() { ["csv"] = RosterSourceKind.csv, ["api"] = RosterSourceKind.api };
    private static readonly Dictionary<string, OneRosterVersion> VersionNames = new() { ["1.1"] = OneRosterVersion.V1_1, ["1.2"] = OneRosterVersion.V1_2 };
    private static readonly Dictionary<string, RosterAuthMethod> AuthNames = new() { ["oauth1"] = RosterAuthMethod.OAuth1, ["oauth2"] = RosterAuthMethod.OAuth2, ["bearer"] = RosterAuthMethod.Bearer };
    private static readonly Dictionary<string, OAuth1SignatureMethod> SignatureNames = new() { ["HMAC-SHA256"] = OAuth1SignatureMethod.HmacSha256, ["HMAC-SHA1"] = OAuth1SignatureMethod.HmacSha1 };
    private static readonly Dictionary<string, SensoProviderKind> ProviderNames = new() { ["local"] = SensoProviderKind.local, ["api"] = SensoProviderKind.api };
    private static readonly Dictionary<string, ClassTermRule> ClassTermNames = new() { ["current"] = ClassTermRule.Current, ["any"] = ClassTermRule.Any };
    private static readonly Dictionary<string, SqliteJournalMode> JournalModeNames = new() { ["wal"] = SqliteJournalMode.Wal, ["delete"] = SqliteJournalMode.Delete };

    /// <summary>The per-user default path: ~/.config/SensoClassLink/config.yml (or %APPDATA% on Windows).</summary>
    public static string DefaultPath() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify),
                     "SensoClassLink", "config.yml");

    /// <summary>Chooses the file to load: the explicit path, else $env:SENSOCLASSLINK_CONFIG, else the per-user default.</summary>
    public static string ResolvePath(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Path.GetFullPath(explicitPath);
        }
        string? fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        return Path.GetFullPath(string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultPath() : fromEnvironment);
    }

    public static SensoClassLinkConfiguration LoadFile(string path)
    {
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ConfigurationException(
                $"The configuration file '{fullPath}' does not exist. Create it with New-SensoClassLinkConfiguration, or pass -ConfigPath (or set $env:{PathVariable}) to name an existing file.",
                $"Run New-SensoClassLinkConfiguration -Path '{fullPath}' with your roster source (-CsvPath, or -ClassLinkApiUrl with -ClientId and -ClientSecretVariable), then Connect-SensoClassLink -ConfigPath '{fullPath}'. See Get-Help New-SensoClassLinkConfiguration -Examples.");
        }
        using var reader = new StreamReader(fullPath);
        return Load(reader, fullPath, Path.GetDirectoryName(fullPath)!);
    }

    public static SensoClassLinkConfiguration Load(TextReader reader, string? fileName, string baseDirectory)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            var problem = new ConfigurationProblem(fileName, null, ex.Start.Line, ex.Start.Column, "is not valid YAML: " + YamlReason(ex));
            throw new ConfigurationException(fileName, new[] { problem });
        }

        var problems = new ConfigurationProblems(fileName);
        YamlNode? root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        if (stream.Documents.Count > 1)
        {
            problems.Add("", stream.Documents[1].RootNode, "holds more than one YAML document; a configuration is one document.");
        }

        var top = new YamlSection("", root, problems, "classlink", "senso", "import", "roster", "state");
        var config = new SensoClassLinkConfiguration { SourceFile = fileName };
        top.Require(top.Has("classlink"), "classlink", "is required but missing.");
        ReadClassLink(top.Section("classlink", "source", "csv", "api"), config.ClassLink, baseDirectory);
        ReadSenso(top.Section("senso", "provider", "local", "api"), config.Senso, baseDirectory);
        ReadImport(top.Section("import", "siteBySchool", "maxCreatesPerRun", "maxSuspensionsPerRun", "groupName"), config.Import);
        var roster = top.Section("roster", "classTerms", "schools", "excludeClasses");
        config.Roster.ClassTerms = roster.Enum("classTerms", ClassTermRule.Current, ClassTermNames);
        config.Roster.Schools = roster.List("schools") ?? config.Roster.Schools;
        config.Roster.ExcludeClasses = roster.List("excludeClasses") ?? config.Roster.ExcludeClasses;
        var state = top.Section("state", "path", "journalMode");
        config.State.Path = ResolvePathValue(state.String("path") ?? "./sensoclasslink-state.db", baseDirectory);
        config.State.JournalMode = state.Enum("journalMode", SqliteJournalMode.Wal, JournalModeNames);

        if (problems.Any)
        {
            throw new ConfigurationException(fileName, problems.Items);
        }
        return config;
    }

    private static void ReadClassLink(YamlSection section, ClassLinkSettings settings, string baseDirectory)
    {
        settings.Source = section.Enum("source", RosterSourceKind.csv, SourceNames);
        var csv = section.Section("csv", "path");
        string? csvPath = csv.String("path", required: settings.Source == RosterSourceKind.csv);
        settings.Csv.Path = csvPath is null ? null : ResolvePathValue(csvPath, baseDirectory);

        var api = section.Section("api", "baseUrl", "version", "auth", "pageSize", "maxConcurrency", "timeoutSeconds", "maxRetries", "fieldSelection");
        bool apiRequired = settings.Source == RosterSourceKind.api;
        if (apiRequired)
        {
            section.Require(section.Has("api"), "api", "is required when classlink.source is 'api'.");
        }
        var target = settings.Api;
        target.BaseUrl = api.Url("baseUrl", required: apiRequired);
        target.Version = api.Enum("version", OneRosterVersion.V1_1, VersionNames);
        target.PageSize = api.Int("pageSize", RosterApiSettings.DefaultPageSize, 1, 10000);
        target.FieldSelection = api.Bool("fieldSelection", true);
        ReadHttpLimits(api, target);

        var auth = api.Section("auth", "method", "clientId", "clientSecret", "signatureMethod", "tokenUrl", "scopes", "token");
        var a = target.Auth;
        a.Method = auth.Enum("method", RosterAuthMethod.OAuth1, AuthNames);
        bool needsClient = apiRequired && a.Method != RosterAuthMethod.Bearer;
        a.ClientId = auth.String("clientId", required: needsClient);
        a.ClientSecret = auth.Secret("clientSecret", baseDirectory, required: needsClient);
        a.SignatureMethod = auth.Enum("signatureMethod", OAuth1SignatureMethod.HmacSha256, SignatureNames);
        a.TokenUrl = auth.Url("tokenUrl", required: apiRequired && a.Method == RosterAuthMethod.OAuth2);
        a.Scopes = auth.List("scopes") ?? Array.Empty<string>();
        a.Token = auth.Secret("token", baseDirectory, required: apiRequired && a.Method == RosterAuthMethod.Bearer);
    }

    private static void ReadSenso(YamlSection section, SensoSettings settings, string baseDirectory)
    {
        settings.Provider = section.Enum("provider", SensoProviderKind.local, ProviderNames);
        var local = section.Section("local", "path", "roles", "sites", "journalMode");
        settings.Local.Path = ResolvePathValue(local.String("path") ?? "./senso-tenant.db", baseDirectory);
        settings.Local.JournalMode = local.Enum("journalMode", SqliteJournalMode.Wal, JournalModeNames);
        settings.Local.Roles = local.List("roles") ?? settings.Local.Roles;
        settings.Local.Sites = local.List("sites") ?? settings.Local.Sites;

        bool apiRequired = settings.Provider == SensoProviderKind.api;
        var api = section.Section("api", "baseUrl", "authority", "clientId", "scopes", "certificateThumbprint", "certificatePath", "certificatePassword", "clientSecret",
            "maxConcurrency", "timeoutSeconds", "maxRetries");
        if (apiRequired)
        {
            section.Require(section.Has("api"), "api", "is required when senso.provider is 'api'.");
        }
        var target = settings.Api;
        target.BaseUrl = api.Url("baseUrl", required: apiRequired);
        target.Authority = api.Url("authority", required: apiRequired);
        target.ClientId = api.String("clientId", required: apiRequired);
        target.Scopes = api.List("scopes") ?? Array.Empty<string>();
        target.CertificateThumbprint = api.String("certificateThumbprint");
        string? certificatePath = api.String("certificatePath");
        target.CertificatePath = certificatePath is null ? null : ResolvePathValue(certificatePath, baseDirectory);
        target.CertificatePassword = api.Secret("certificatePassword", baseDirectory);
        target.ClientSecret = api.Secret("clientSecret", baseDirectory);
        ReadHttpLimits(api, target);
        int credentials = new object?[] { target.CertificateThumbprint, target.CertificatePath, target.ClientSecret }.Count(x => x is not null);
        if (credentials > 1)
        {
            api.Require(false, "clientSecret", "give only one of certificateThumbprint, certificatePath or clientSecret.");
        }
    }

    /// <summary>
    /// maxConcurrency, timeoutSeconds and maxRetries: read with the same defaults and bounds for classlink.api and
    /// senso.api, so the two HTTP clients are tuned the same way.
    /// </summary>
    private static void ReadHttpLimits(YamlSection api, IHttpLimits target)
    {
        target.MaxConcurrency = api.Int("maxConcurrency", 4, 1, 32);
        target.TimeoutSeconds = api.Int("timeoutSeconds", 60, 1, 3600);
        target.MaxRetries = api.Int("maxRetries", 5, 0, 20);
    }

    private static void ReadImport(YamlSection section, ImportSettings settings)
    {
        settings.SiteBySchool = section.Map("siteBySchool") ?? settings.SiteBySchool;
        settings.MaxCreatesPerRun = section.Int("maxCreatesPerRun", 500, 0, 1_000_000);
        settings.GroupName = section.GroupNameTemplate("groupName") ?? settings.GroupName;
        settings.MaxSuspensionsPerRun = section.Int("maxSuspensionsPerRun", 50, 0, 1_000_000);
    }

    private static string ResolvePathValue(string value, string baseDirectory)
    {
        // A share path stays as written: on Unix, combining or normalizing it would turn it into a local path
        // (//server/share -> /server/share), and the state files must be able to recognize and refuse it.
        if (NetworkFileSystemDetector.IsUncPath(value))
        {
            return value;
        }
        string expanded = value.StartsWith("~/", StringComparison.Ordinal) || value == "~"
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), value.TrimStart('~', '/'))
            : value;
        return Path.GetFullPath(Path.Combine(baseDirectory, expanded));
    }

    private static string YamlReason(YamlException ex)
    {
        // YamlDotNet prefixes messages with "(Line: a, Col: b, Idx: c) - (Line: ...): "; the location is reported separately.
        string message = ex.Message;
        int marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        return marker >= 0 ? message.Substring(marker + 3) : message;
    }
}
