using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace SensoClassLink.Core.Configuration;

/// <summary>
/// Writes a <see cref="ConfigurationDraft"/> as a commented YAML configuration. What it writes is proved by
/// reading it back through <see cref="ConfigurationLoader"/>, first in memory and then from the file itself; the
/// file appears under its name only when valid (a temporary file in the same folder, renamed), owner-only on Unix,
/// and an invalid draft leaves nothing on disk.
/// </summary>
public static class ConfigurationWriter
{
    /// <summary>The YAML text for the draft, with a comment above every key.</summary>
    public static string Render(ConfigurationDraft draft)
    {
        var yaml = new YamlLines();
        yaml.Comment("SensoClassLink configuration: where the ClassLink roster comes from, which Senso to write to,");
        yaml.Comment("and where the module keeps its state. Written by New-SensoClassLinkConfiguration; edit it freely,");
        yaml.Comment("Connect-SensoClassLink validates it. Relative paths resolve against this file's folder.");
        yaml.Comment("Secrets are never stored here: a secret is a reference, env:NAME (an environment variable)");
        yaml.Comment("or file:PATH (a file only the account that runs the module can read).");
        yaml.Blank();
        RenderClassLink(yaml, draft);
        yaml.Blank();
        RenderSenso(yaml, draft);
        yaml.Blank();
        RenderImport(yaml);
        RenderRoster(yaml);
        yaml.Blank();
        yaml.Open("state");
        yaml.Comment("The module's own database: group-sync queue, run history, import journal and run lock.");
        yaml.Comment("Keep it on a local disk, readable and writable by the account that runs the nightly sync.");
        yaml.Value("path", YamlScalar.Quote(draft.StatePath ?? "./sensoclasslink-state.db"));
        yaml.Close();
        return yaml.ToString();
    }

    /// <summary>Reads the draft back as the file at <paramref name="path"/> would be read: the configuration it gives, or the loader's <see cref="ConfigurationException"/>.</summary>
    public static SensoClassLinkConfiguration Check(ConfigurationDraft draft, string path)
    {
        string fullPath = Path.GetFullPath(path);
        using var reader = new StringReader(Render(draft));
        return ConfigurationLoader.Load(reader, fullPath, Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>
    /// Writes the draft to <paramref name="path"/> and returns the configuration read back from it. Throws
    /// <see cref="ConfigurationException"/> for an invalid draft and <see cref="ConfigurationFileExistsException"/>
    /// when the file exists and <paramref name="overwrite"/> is false; in both cases nothing is written.
    /// </summary>
    public static SensoClassLinkConfiguration Write(ConfigurationDraft draft, string path, bool overwrite)
    {
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        string text = Render(draft);
        using (var reader = new StringReader(text))
        {
            ConfigurationLoader.Load(reader, fullPath, folder);
        }
        if (!overwrite && File.Exists(fullPath))
        {
            throw new ConfigurationFileExistsException(fullPath);
        }
        if (Directory.Exists(fullPath))
        {
            throw new IOException($"'{fullPath}' is a folder; give the path of the configuration file to write.");
        }

        List<string> createdFolders = CreateFolder(folder);
        string temporary = Path.Combine(folder, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                OwnerOnlyAccess.Restrict(temporary, OwnerOnlyAccess.File);
                byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }
            SensoClassLinkConfiguration written;
            using (var reader = new StreamReader(temporary, Encoding.UTF8))
            {
                written = ConfigurationLoader.Load(reader, fullPath, folder);
            }
            if (overwrite && File.Exists(fullPath))
            {
                File.Replace(temporary, fullPath, destinationBackupFileName: null);
            }
            else
            {
                MoveWithoutReplacing(temporary, fullPath);
            }
            return written;
        }
        catch
        {
            TryDelete(temporary);
            for (int i = createdFolders.Count - 1; i >= 0; i--)
            {
                TryDeleteFolder(createdFolders[i]);
            }
            throw;
        }
    }

    private static void RenderClassLink(YamlLines yaml, ConfigurationDraft draft)
    {
        yaml.Open("classlink");
        yaml.Comment("Where the roster comes from: csv (a OneRoster CSV export) or api (the Roster Server's OneRoster REST API).");
        if (draft.RosterSource == RosterSourceKind.csv)
        {
            yaml.Value("source", "csv");
            yaml.Open("csv");
            yaml.Comment("The OneRoster CSV folder, or the .zip the Roster Server exports (read straight from the archive).");
            yaml.Value("path", Text(draft.CsvPath));
            yaml.Close();
            yaml.Close();
            return;
        }

        yaml.Value("source", "api");
        yaml.Open("api");
        yaml.Comment("The Endpoint URL from the Roster Server console (the app's API Credentials), with or without");
        yaml.Comment("/ims/oneroster/v1p1 at the end.");
        yaml.Value("baseUrl", Text(draft.RosterApiUrl));
        yaml.Comment("The OneRoster version the server speaks: \"1.1\" or \"1.2\". Test-ClassLinkConnection says when it answers the other.");
        yaml.Value("version", draft.Version == OneRosterVersion.V1_2 ? "\"1.2\"" : "\"1.1\"");
        yaml.Open("auth");
        switch (draft.AuthMethod)
        {
            case RosterAuthMethod.OAuth1:
                yaml.Comment("oauth1: every request is signed with the app's Key and Secret (OAuth 1.0a), as ClassLink's");
                yaml.Comment("Roster Server expects. The signature carries a timestamp: keep this computer's clock right.");
                yaml.Value("method", "oauth1");
                yaml.Comment("The app's Key on the Roster Server.");
                yaml.Value("clientId", Text(draft.ClientId));
                yaml.Comment("Where the app's Secret is read from; never the secret itself.");
                yaml.Value("clientSecret", Reference(draft.ClientSecret));
                yaml.Comment("HMAC-SHA256 (what ClassLink's own libraries use) or HMAC-SHA1 for a server that needs it.");
                yaml.Value("signatureMethod", draft.SignatureMethod == OAuth1SignatureMethod.HmacSha1 ? "HMAC-SHA1" : "HMAC-SHA256");
                break;
            case RosterAuthMethod.OAuth2:
                yaml.Comment("oauth2: OAuth 2 client credentials; the module fetches a token from tokenUrl and renews it.");
                yaml.Value("method", "oauth2");
                yaml.Value("clientId", Text(draft.ClientId));
                yaml.Comment("Where the client secret is read from; never the secret itself.");
                yaml.Value("clientSecret", Reference(draft.ClientSecret));
                yaml.Value("tokenUrl", Text(draft.TokenUrl));
                yaml.Comment("Scopes to request; an empty list requests none (some servers refuse scoped requests).");
                yaml.Value("scopes", YamlScalar.QuoteList(draft.Scopes));
                break;
            default:
                yaml.Comment("bearer: a static token, as ClassLink's OneRoster proxy issues; no client id is needed.");
                yaml.Value("method", "bearer");
                yaml.Comment("Where the token is read from; never the token itself.");
                yaml.Value("token", Reference(draft.ClientSecret));
                break;
        }
        yaml.Close();
        yaml.Comment("Paging, concurrency, timeouts and retries keep their defaults (pageSize, maxConcurrency,");
        yaml.Comment("timeoutSeconds, maxRetries: see the README's Configuration section to change them).");
        yaml.Close();
        yaml.Close();
    }

    private static void RenderSenso(YamlLines yaml, ConfigurationDraft draft)
    {
        yaml.Open("senso");
        yaml.Comment("Which Senso to write to: local (an embedded tenant in a SQLite file on this machine) or api");
        yaml.Comment("(a Senso tenant API, signed in with Microsoft Entra ID).");
        if (draft.SensoProvider == SensoProviderKind.local)
        {
            var defaults = new LocalTenantSettings();
            yaml.Value("provider", "local");
            yaml.Open("local");
            yaml.Comment("The local tenant's database file; created on first use.");
            yaml.Value("path", YamlScalar.Quote(draft.LocalTenantPath ?? "./senso-tenant.db"));
            yaml.Comment("Roles and sites the local tenant is seeded with when missing (never removed).");
            yaml.Value("roles", YamlScalar.QuoteList(defaults.Roles));
            yaml.Value("sites", YamlScalar.QuoteList(defaults.Sites));
            yaml.Close();
            yaml.Close();
            return;
        }

        yaml.Value("provider", "api");
        yaml.Open("api");
        yaml.Comment("The Senso tenant API's base URL.");
        yaml.Value("baseUrl", Text(draft.SensoApiUrl));
        yaml.Comment("The Entra ID authority, https://login.microsoftonline.com/<directory (tenant) id>.");
        yaml.Value("authority", Text(draft.SensoAuthority));
        yaml.Comment("The application (client) id of the app registration that signs in to Senso.");
        yaml.Value("clientId", Text(draft.SensoClientId));
        if (draft.SensoScopes.Count > 0)
        {
            yaml.Value("scopes", YamlScalar.QuoteList(draft.SensoScopes));
        }
        // Every credential given is written: the loader refuses more than one with a message that names them.
        if (draft.CertificateThumbprint is not null)
        {
            yaml.Comment("Sign in as the app with the certificate of this thumbprint from the running account's store.");
            yaml.Value("certificateThumbprint", Text(draft.CertificateThumbprint));
        }
        if (draft.CertificatePath is not null)
        {
            yaml.Comment("Sign in as the app with this certificate file (PFX).");
            yaml.Value("certificatePath", Text(draft.CertificatePath));
        }
        if (draft.CertificatePassword is not null)
        {
            yaml.Comment("Where the PFX password is read from; never the password itself.");
            yaml.Value("certificatePassword", Reference(draft.CertificatePassword));
        }
        if (draft.SensoClientSecret is not null)
        {
            yaml.Comment("Sign in as the app with a client secret, read from here; never the secret itself.");
            yaml.Value("clientSecret", Reference(draft.SensoClientSecret));
        }
        if (draft.CertificateThumbprint is null && draft.CertificatePath is null && draft.SensoClientSecret is null)
        {
            yaml.Comment("No app credential: sign in as a person at a console with Connect-SensoClassLink -DeviceCode.");
            yaml.Comment("A scheduled task needs certificateThumbprint, certificatePath or clientSecret.");
        }
        yaml.Close();
        yaml.Close();
    }

    private static void RenderImport(YamlLines yaml)
    {
        var defaults = new ImportSettings();
        yaml.Open("import");
        yaml.Comment("ClassLink school (name or sourcedId) to Senso site, for example { \"Lincoln High\": \"Main\" }.");
        yaml.Value("siteBySchool", "{}");
        yaml.Comment("The nightly sync holds a run that would create more users than this; Invoke-ClassLinkSync -Force overrides.");
        yaml.Value("maxCreatesPerRun", defaults.MaxCreatesPerRun.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yaml.Comment("Senso group names: {title}, {classCode}, {school}, {term}, {period}, for example \"{classCode} {title}\"; quote it.");
        yaml.Value("groupName", YamlScalar.Quote(defaults.GroupName.Text));
        yaml.Comment("The nightly sync holds a run that would suspend more departed teachers than this; -Force overrides.");
        yaml.Value("maxSuspensionsPerRun", defaults.MaxSuspensionsPerRun.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yaml.Close();
    }

    private static void RenderRoster(YamlLines yaml)
    {
        yaml.Open("roster");
        yaml.Comment("current: a class counts only in a current term (its academicSessions); any: terms are not looked at.");
        yaml.Value("classTerms", "current");
        yaml.Comment("School names or sourcedIds whose classes count; empty: every school.");
        yaml.Value("schools", "[]");
        yaml.Comment("Classes to leave out, matched against title and classCode, for example [\"Dept Meeting*\", \"Study Hall*\"].");
        yaml.Value("excludeClasses", "[]");
        yaml.Close();
    }

    // File.Move refuses to replace: a file that appeared under the name since the check above is kept, and said so.
    private static void MoveWithoutReplacing(string temporary, string fullPath)
    {
        try
        {
            File.Move(temporary, fullPath);
        }
        catch (IOException) when (File.Exists(fullPath))
        {
            throw new ConfigurationFileExistsException(fullPath);
        }
    }

    // An absent value is written as an empty key, so that the loader names it as required but missing.
    private static string Text(string? value) => string.IsNullOrEmpty(value) ? "" : YamlScalar.Quote(value!);

    // A missing reference is written as an empty value so that the loader names the key as missing.
    private static string Reference(SecretReference? reference) => reference is null ? "" : YamlScalar.Quote(reference.ToString());

    private static List<string> CreateFolder(string folder)
    {
        var missing = new List<string>();
        for (string? current = folder; current is not null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Insert(0, current);
        }
        foreach (string created in missing)
        {
            Directory.CreateDirectory(created);
            OwnerOnlyAccess.Restrict(created, OwnerOnlyAccess.Folder);
        }
        return missing;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void TryDeleteFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: false);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Indented YAML lines: a mapping per Open/Close, a comment line above each key.</summary>
    private sealed class YamlLines
    {
        private readonly StringBuilder _text = new();
        private int _depth;

        public void Comment(string line) => Line("# " + line);

        public void Blank() => _text.Append('\n');

        public void Open(string key)
        {
            Line(key + ":");
            _depth++;
        }

        public void Close() => _depth--;

        public void Value(string key, string yamlValue) => Line(yamlValue.Length == 0 ? key + ":" : key + ": " + yamlValue);

        public override string ToString() => _text.ToString();

        private void Line(string text) => _text.Append(' ', _depth * 2).Append(text).Append('\n');
    }
}
