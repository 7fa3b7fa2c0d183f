using System;
using System.Collections.Generic;

namespace SensoClassLink.Core.Configuration;

/// <summary>
/// A deployment as New-SensoClassLinkConfiguration is asked to describe it: values and secret references only,
/// never a secret. <see cref="ConfigurationWriter"/> turns it into a commented YAML file. Paths are written as given
/// (absolute, or relative to the file's folder); a null path is written as the loader's default.
/// </summary>
public sealed class ConfigurationDraft
{
    public RosterSourceKind RosterSource { get; set; } = RosterSourceKind.csv;

    /// <summary>source csv: the OneRoster CSV folder or .zip.</summary>
    public string? CsvPath { get; set; }

    /// <summary>source api: the Roster Server's Endpoint URL, with or without the OneRoster base path.</summary>
    public string? RosterApiUrl { get; set; }

    public OneRosterVersion Version { get; set; } = OneRosterVersion.V1_1;
    public RosterAuthMethod AuthMethod { get; set; } = RosterAuthMethod.OAuth1;

    /// <summary>oauth1 and oauth2: the application's Key (client id).</summary>
    public string? ClientId { get; set; }

    /// <summary>Where the application's Secret is (oauth1, oauth2) or the proxy token (bearer). Never the value.</summary>
    public SecretReference? ClientSecret { get; set; }

    public OAuth1SignatureMethod SignatureMethod { get; set; } = OAuth1SignatureMethod.HmacSha256;

    /// <summary>oauth2: the token endpoint.</summary>
    public string? TokenUrl { get; set; }

    /// <summary>oauth2: scopes to request; empty requests none.</summary>
    public IReadOnlyList<string> Scopes { get; set; } = Array.Empty<string>();

    public SensoProviderKind SensoProvider { get; set; } = SensoProviderKind.local;

    /// <summary>provider local: the SQLite tenant file.</summary>
    public string? LocalTenantPath { get; set; }

    public string? SensoApiUrl { get; set; }
    public string? SensoAuthority { get; set; }
    public string? SensoClientId { get; set; }
    public IReadOnlyList<string> SensoScopes { get; set; } = Array.Empty<string>();

    /// <summary>One of these three (or none, for device-code sign-in at a console).</summary>
    public string? CertificateThumbprint { get; set; }
    public string? CertificatePath { get; set; }
    public SecretReference? SensoClientSecret { get; set; }

    /// <summary>With <see cref="CertificatePath"/>: where the PFX password is.</summary>
    public SecretReference? CertificatePassword { get; set; }

    /// <summary>The module's state database.</summary>
    public string? StatePath { get; set; }
}
