using System;
using System.Collections.Generic;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Sqlite;

namespace SensoClassLink.Core.Configuration;

/// <summary>One deployment: where the roster comes from, which Senso to write to, and where state lives.</summary>
public sealed class SensoClassLinkConfiguration
{
    /// <summary>The file this configuration was read from (absolute), or null when built in code.</summary>
    public string? SourceFile { get; set; }
    public ClassLinkSettings ClassLink { get; set; } = new();
    public SensoSettings Senso { get; set; } = new();
    public ImportSettings Import { get; set; } = new();
    public RosterSettings Roster { get; set; } = new();
    public StateSettings State { get; set; } = new();
}

/// <summary>
/// Where the roster comes from (classlink.source). Members are spelled as the configuration file spells the value, unlike the
/// other setting enums: the output objects show it (Connect-SensoClassLink, Test-ClassLinkConnection, New-SensoClassLinkConfiguration),
/// and they print the file's word.
/// </summary>
public enum RosterSourceKind
{
    csv,
    api,
}

public sealed class ClassLinkSettings
{
    public RosterSourceKind Source { get; set; } = RosterSourceKind.csv;
    public CsvSourceSettings Csv { get; set; } = new();
    public RosterApiSettings Api { get; set; } = new();
}

public sealed class CsvSourceSettings
{
    /// <summary>Absolute path to a OneRoster CSV folder or .zip.</summary>
    public string? Path { get; set; }
}

public enum OneRosterVersion
{
    V1_1,
    V1_2,
}

public enum RosterAuthMethod
{
    OAuth1,
    OAuth2,
    Bearer,
}

public enum OAuth1SignatureMethod
{
    HmacSha256,
    HmacSha1,
}

/// <summary>How hard an HTTP client of the module works a server: the same three keys under classlink.api and senso.api.</summary>
public interface IHttpLimits
{
    /// <summary>Requests in flight at once (maxConcurrency, 1..32, default 4).</summary>
    int MaxConcurrency { get; set; }

    /// <summary>Per-attempt timeout in seconds (timeoutSeconds, 1..3600, default 60).</summary>
    int TimeoutSeconds { get; set; }

    /// <summary>Retries of a transient failure after the first attempt (maxRetries, 0..20, default 5).</summary>
    int MaxRetries { get; set; }
}

public sealed class RosterApiSettings : IHttpLimits
{
    public Uri? BaseUrl { get; set; }
    public OneRosterVersion Version { get; set; } = OneRosterVersion.V1_1;
    public RosterAuthSettings Auth { get; set; } = new();
    /// <summary>
    /// What the ClassLink Roster Server serves in one page (up to 10,000 records): fewer, larger pages cost far less
    /// time over a real network. A server that caps pages lower is detected from its first page, as always.
    /// </summary>
    public const int DefaultPageSize = 10_000;

    public int PageSize { get; set; } = DefaultPageSize;
    public int MaxConcurrency { get; set; } = 4;
    public int TimeoutSeconds { get; set; } = 60;
    public int MaxRetries { get; set; } = 5;

    /// <summary>
    /// Ask for only the fields the module reads (OneRoster's <c>fields</c> parameter): a third less JSON to send and
    /// read. A server that refuses the selection is read whole from then on; false never asks.
    /// </summary>
    public bool FieldSelection { get; set; } = true;
}

public sealed class RosterAuthSettings
{
    public RosterAuthMethod Method { get; set; } = RosterAuthMethod.OAuth1;
    public string? ClientId { get; set; }
    public SecretReference? ClientSecret { get; set; }
    public OAuth1SignatureMethod SignatureMethod { get; set; } = OAuth1SignatureMethod.HmacSha256;
    public Uri? TokenUrl { get; set; }
    public IReadOnlyList<string> Scopes { get; set; } = Array.Empty<string>();
    public SecretReference? Token { get; set; }
}

/// <summary>Which Senso the module writes to (senso.provider), spelled as the configuration file spells it for the same reason as <see cref="RosterSourceKind"/>.</summary>
public enum SensoProviderKind
{
    local,
    api,
}

public sealed class SensoSettings
{
    public SensoProviderKind Provider { get; set; } = SensoProviderKind.local;
    public LocalTenantSettings Local { get; set; } = new();
    public SensoApiSettings Api { get; set; } = new();
}

public sealed class LocalTenantSettings
{
    /// <summary>Absolute path of the SQLite tenant file.</summary>
    public string? Path { get; set; }
    public IReadOnlyList<string> Roles { get; set; } = new[] { "Teacher", "Administrator" };
    public IReadOnlyList<string> Sites { get; set; } = new[] { "Main" };

    /// <summary>senso.local.journalMode: WAL, or DELETE chosen explicitly for a file on a network share.</summary>
    public SqliteJournalMode JournalMode { get; set; } = SqliteJournalMode.Wal;
}

public sealed class SensoApiSettings : IHttpLimits
{
    public Uri? BaseUrl { get; set; }
    public Uri? Authority { get; set; }
    public string? ClientId { get; set; }
    public IReadOnlyList<string> Scopes { get; set; } = Array.Empty<string>();
    public string? CertificateThumbprint { get; set; }
    public string? CertificatePath { get; set; }
    public SecretReference? CertificatePassword { get; set; }
    public SecretReference? ClientSecret { get; set; }

    /// <summary>Senso requests in flight at once, for commands without -ThrottleLimit or when it is not given.</summary>
    public int MaxConcurrency { get; set; } = 4;
    public int TimeoutSeconds { get; set; } = 60;
    public int MaxRetries { get; set; } = 5;
}

public sealed class ImportSettings
{
    /// <summary>ClassLink school name or sourcedId to Senso site name (case-insensitive keys).</summary>
    public IReadOnlyDictionary<string, string> SiteBySchool { get; set; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public int MaxCreatesPerRun { get; set; } = 500;

    /// <summary>import.groupName: how class groups are named (default <c>{title}</c>, the class title).</summary>
    public GroupNameTemplate GroupName { get; set; } = GroupNameTemplate.Default;
    /// <summary>More suspensions of departed teachers than this hold the nightly sync (a broken export looks like a mass departure).</summary>
    public int MaxSuspensionsPerRun { get; set; } = 50;
}

/// <summary>The roster section: which classes count (terms, schools, exclusions).</summary>
public sealed class RosterSettings
{
    /// <summary>roster.classTerms: current (default) counts a class only in a current term; any ignores terms.</summary>
    public ClassTermRule ClassTerms { get; set; } = ClassTermRule.Current;

    /// <summary>roster.schools: school names or sourcedIds whose classes count (case-insensitive); empty means all.</summary>
    public IReadOnlyList<string> Schools { get; set; } = Array.Empty<string>();

    /// <summary>roster.excludeClasses: wildcard patterns matched against class title and classCode.</summary>
    public IReadOnlyList<string> ExcludeClasses { get; set; } = Array.Empty<string>();
}

public sealed class StateSettings
{
    /// <summary>Absolute path of the module's state database.</summary>
    public string? Path { get; set; }

    /// <summary>state.journalMode: WAL, or DELETE chosen explicitly for a file on a network share.</summary>
    public SqliteJournalMode JournalMode { get; set; } = SqliteJournalMode.Wal;
}
