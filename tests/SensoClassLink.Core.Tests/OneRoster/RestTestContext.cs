using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using SensoClassLink.OneRosterTestServer;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>A loopback OneRoster server over the committed test district, plus settings to reach it.</summary>
internal static class RestTestContext
{
    public const string ConsumerSecretVariable = "SCL_TEST_OAUTH1_SECRET";
    public const string ClientSecretVariable = "SCL_TEST_OAUTH2_SECRET";
    public const string BearerVariable = "SCL_TEST_BEARER";
    public const string ConsumerSecret = "c0nsumer+secret/with=odd&chars";
    public const string ClientSecret = "client-secret-ABC";
    public const string Bearer = "bearer-token-XYZ";

    static RestTestContext()
    {
        Environment.SetEnvironmentVariable(ConsumerSecretVariable, ConsumerSecret);
        Environment.SetEnvironmentVariable(ClientSecretVariable, ClientSecret);
        Environment.SetEnvironmentVariable(BearerVariable, Bearer);
    }

    public static string DataFolder { get; } = FindDataFolder();

    /// <param name="dataFolder">Another district than the committed one (a changed copy).</param>
    public static Task<OneRosterServer> StartAsync(int maxPageSize = 5, int tokenLifetimeSeconds = 3600, bool cachePages = false, string? dataFolder = null) =>
        OneRosterServer.StartAsync(new TestServerOptions
        {
            DataFolder = dataFolder ?? DataFolder,
            ConsumerKey = "district-key",
            ConsumerSecret = ConsumerSecret,
            ClientId = "district-client",
            ClientSecret = ClientSecret,
            BearerToken = Bearer,
            MaxPageSize = maxPageSize,
            TokenLifetimeSeconds = tokenLifetimeSeconds,
            CachePages = cachePages,
        });

    public static RosterApiSettings OAuth1(OneRosterServer server, OneRosterVersion version = OneRosterVersion.V1_1, int pageSize = 7, int maxConcurrency = 3, int maxRetries = 3, string? secretVariable = null) => new()
    {
        BaseUrl = server.BaseUri,
        Version = version,
        PageSize = pageSize,
        MaxConcurrency = maxConcurrency,
        MaxRetries = maxRetries,
        TimeoutSeconds = 5,
        Auth = new RosterAuthSettings
        {
            Method = RosterAuthMethod.OAuth1,
            ClientId = "district-key",
            ClientSecret = SecretReference.FromEnvironment(secretVariable ?? ConsumerSecretVariable, "classlink.api.auth.clientSecret"),
        },
    };

    public static RosterApiSettings OAuth2(OneRosterServer server, OneRosterVersion version = OneRosterVersion.V1_2, int pageSize = 7, int maxConcurrency = 3, IReadOnlyList<string>? scopes = null) => new()
    {
        BaseUrl = server.BaseUri,
        Version = version,
        PageSize = pageSize,
        MaxConcurrency = maxConcurrency,
        MaxRetries = 3,
        TimeoutSeconds = 5,
        Auth = new RosterAuthSettings
        {
            Method = RosterAuthMethod.OAuth2,
            ClientId = "district-client",
            ClientSecret = SecretReference.FromEnvironment(ClientSecretVariable, "classlink.api.auth.clientSecret"),
            TokenUrl = new Uri(server.BaseUri, "/token"),
            Scopes = scopes ?? new[] { "https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly" },
        },
    };

    public static RosterApiSettings BearerSettings(OneRosterServer server) => new()
    {
        BaseUrl = new Uri(server.BaseUri, OneRosterRestClient.V1p1Path),
        PageSize = 10,
        MaxRetries = 2,
        TimeoutSeconds = 5,
        Auth = new RosterAuthSettings { Method = RosterAuthMethod.Bearer, Token = SecretReference.FromEnvironment(BearerVariable, "classlink.api.auth.token") },
    };

    /// <summary>Tiny backoff so fault tests stay fast; Retry-After is still honoured up to 300 ms.</summary>
    public static RestTransportOptions FastRetries(int maxPages = 100_000) => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(40),
        MaxRetryAfter = TimeSpan.FromMilliseconds(300),
        CircuitBreakDuration = TimeSpan.FromMilliseconds(500),
        MaxPages = maxPages,
    };

    public static RestRosterSource Open(RosterApiSettings settings, List<string>? verbose = null, RestTransportOptions? transport = null) =>
        new(settings, new RosterReadObserver { Verbose = verbose is null ? null : line => { lock (verbose) { verbose.Add(line); } } }, transport ?? FastRetries());

    /// <summary>Every field of every record, one string per record, sorted: equal lists mean equal multisets.</summary>
    public static RosterSnapshotText Snapshot(IRosterSource source) => new(
        source.ReadOrgs(default).Select(o => $"{o.SourcedId}|{o.Status}|{o.Name}|{o.Type}|{o.ParentSourcedId ?? ""}").Order(StringComparer.Ordinal).ToList(),
        source.ReadUsers(default).Select(u => $"{u.SourcedId}|{u.Status}|{u.EnabledUser}|{string.Join(",", u.Roles)}|{string.Join(",", u.OrgSourcedIds)}|{u.Username}|{u.GivenName}|{u.FamilyName}|{u.Email}|{u.Identifier}").Order(StringComparer.Ordinal).ToList(),
        source.ReadClasses(default).Select(c => $"{c.SourcedId}|{c.Status}|{c.Title}|{c.ClassCode}|{c.SchoolSourcedId}|{c.CourseSourcedId}").Order(StringComparer.Ordinal).ToList(),
        source.ReadEnrollments(default).Select(e => $"{e.SourcedId}|{e.Status}|{e.ClassSourcedId}|{e.SchoolSourcedId}|{e.UserSourcedId}|{e.Role}|{e.BeginDate}|{e.EndDate}").Order(StringComparer.Ordinal).ToList());

    public static RosterSnapshotText CsvSnapshot()
    {
        using var csv = new CsvRosterSource(DataFolder);
        return Snapshot(csv);
    }

    private static string FindDataFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "data", "rest-district");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/data/rest-district not found above the test assembly.");
    }
}

internal sealed record RosterSnapshotText(List<string> Orgs, List<string> Users, List<string> Classes, List<string> Enrollments);
