using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Http;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Api;
using SensoClassLink.SensoApiTestServer;

namespace SensoClassLink.Core.Tests.Senso;

/// <summary>
/// The shared provider suite against the HTTPS provider talking to the loopback contract server, with MSAL
/// signing in for real against the server's loopback token endpoint; then the faults only a network has.
/// </summary>
public sealed class SensoApiProviderTests : SensoProviderContractTests
{
    private const string SecretVariable = "SCL_TEST_SENSO_SECRET";
    private SensoApiServer? _server;
    private readonly List<string> _verbose = new();

    internal static readonly HttpRetryOptions FastRetry = new()
    {
        MaxRetries = 4,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(40),
        MaxRetryAfter = TimeSpan.FromMilliseconds(40),
        AttemptTimeout = TimeSpan.FromSeconds(5),
    };

    private SensoApiServer Server => _server ??= SensoApiServer.StartAsync(Temp.File("tenant.db")).GetAwaiter().GetResult();

    protected override ISensoProvider OpenProvider() => OpenProvider(FastRetry);

    private SensoApiProvider OpenProvider(HttpRetryOptions retry, SensoApiSettings? settings = null)
    {
        settings ??= SecretSettings();
        var tokens = MsalClientCredentialTokenSource.Create(settings, new TrustOneCertificate(Server.Certificate));
        return new SensoApiProvider(Server.ApiBaseUrl, tokens, retry, new HttpClient(), maxConcurrency: 4, verbose: Record);
    }

    private SensoApiSettings SecretSettings()
    {
        Environment.SetEnvironmentVariable(SecretVariable, Server.ClientSecret);
        return new SensoApiSettings
        {
            BaseUrl = Server.ApiBaseUrl,
            Authority = Server.Authority,
            ClientId = SensoApiServer.ClientId,
            ClientSecret = SecretReference.FromEnvironment(SecretVariable, "senso.api.clientSecret"),
        };
    }

    private void Record(string line)
    {
        lock (_verbose)
        {
            _verbose.Add(line);
        }
    }

    [Fact]
    public async Task A_create_answered_409_is_exists_with_the_user_from_the_answer()
    {
        var existing = await Server.Tenant.CreateUserAsync(Teacher("taken@d.org"), None);
        var result = await Provider.CreateUserAsync(Teacher("Taken@d.org"), None);
        Assert.Equal(CreateUserOutcome.Exists, result.Outcome);
        Assert.Equal(existing.User.Id, result.User.Id);
    }

    [Fact]
    public async Task A_create_that_times_out_after_the_server_committed_is_looked_up_and_never_duplicated()
    {
        var retry = new HttpRetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromMilliseconds(700) };
        using var provider = OpenProvider(retry);
        await provider.GetRolesAsync(None); // sign in first, so the timeout below hits the create
        Server.Faults.CommitThenStallNextCreate(TimeSpan.FromSeconds(10));

        var result = await provider.CreateUserAsync(Teacher("slow@d.org"), None);

        Assert.Equal(CreateUserOutcome.Exists, result.Outcome);
        Assert.Equal("slow@d.org", result.User.Email);
        Assert.Equal(1, Server.Faults.UsersCreated);
        Assert.Equal(1, (await provider.SearchUsersAsync("slow@", 10, 0, None)).Total);
        Assert.Contains(_verbose, v => v.Contains("outcome is unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rename_that_times_out_after_the_server_committed_is_resent_and_answers_the_renamed_user()
    {
        var retry = new HttpRetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromMilliseconds(700) };
        using var provider = OpenProvider(retry);
        var jane = (await provider.CreateUserAsync(Teacher("jane@d.org"), None)).User;
        Server.Faults.CommitThenStallNextRename(TimeSpan.FromSeconds(10));

        var renamed = await provider.RenameUserAsync(jane.Id, "jane.new@d.org", None);

        Assert.Equal(jane.Id, renamed.Id);
        Assert.Equal("jane.new@d.org", renamed.Email);
        Assert.Equal(2, Server.Faults.RenameRequests); // the resend met the committed rename and changed nothing
        Assert.Equal(1, (await provider.SearchUsersAsync(null, 10, 0, None)).Total);
        Assert.Null(await provider.FindUserByEmailAsync("jane@d.org", None));
    }

    [Fact]
    public async Task A_renamed_users_groups_are_replaced_through_the_id_learned_under_the_new_email()
    {
        var jane = (await Provider.CreateUserAsync(Teacher("jane@d.org"), None)).User;
        await Provider.ReplaceUserGroupsAsync("jane@d.org", new[] { new SensoGroup { Key = "c1", Name = "Math" } }, None);
        await Provider.RenameUserAsync(jane.Id, "jane.new@d.org", None);

        await Assert.ThrowsAsync<SensoUserNotFoundException>(() => Provider.ReplaceUserGroupsAsync("jane@d.org", Array.Empty<SensoGroup>(), None));
        var diff = await Provider.ReplaceUserGroupsAsync("jane.new@d.org", Array.Empty<SensoGroup>(), None);
        Assert.Equal(new[] { "c1" }, diff.Removed);
    }

    [Fact]
    public async Task A_429_storm_is_waited_out_with_a_bounded_number_of_requests()
    {
        await Provider.GetRolesAsync(None);
        Server.Faults.RateLimit(3, retryAfterSeconds: 1);
        int before = Server.Faults.ApiRequests;

        var created = await Provider.CreateUserAsync(Teacher("storm@d.org"), None);
        Assert.Equal(CreateUserOutcome.Created, created.Outcome);
        Assert.Equal(4, Server.Faults.ApiRequests - before);

        Server.Faults.RateLimit(3, retryAfterSeconds: 1);
        Assert.NotNull(await Provider.FindUserByEmailAsync("storm@d.org", None));
        Assert.Equal(1, Server.Faults.UsersCreated);
    }

    [Fact]
    public async Task A_429_storm_longer_than_the_retry_budget_fails_cleanly_after_max_retries()
    {
        await Provider.GetRolesAsync(None);
        Server.Faults.RateLimit(1000, retryAfterSeconds: 1);
        int before = Server.Faults.ApiRequests;

        var error = await Assert.ThrowsAsync<SensoApiException>(() => Provider.GetSitesAsync(None));
        Assert.Equal(429, (int)error.StatusCode!);
        Assert.Equal(FastRetry.MaxRetries + 1, Server.Faults.ApiRequests - before);

        var createError = await Assert.ThrowsAsync<SensoApiException>(() => Provider.CreateUserAsync(Teacher("never@d.org"), None));
        Assert.Contains("after 5 attempts", createError.Message);
        Assert.Equal(0, Server.Faults.UsersCreated);
    }

    [Fact]
    public async Task A_401_is_answered_by_one_forced_token_refresh()
    {
        await Provider.GetRolesAsync(None);
        int tokensBefore = Server.Faults.TokenRequests;
        Server.Faults.RejectNextToken();

        var sites = await Provider.GetSitesAsync(None);

        Assert.Equal(2, sites.Count);
        Assert.Equal(tokensBefore + 1, Server.Faults.TokenRequests);
        Assert.Contains(_verbose, v => v.Contains("refreshing the access token once", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tokens_come_from_msals_cache_between_calls()
    {
        await Provider.GetRolesAsync(None);
        await Provider.GetSitesAsync(None);
        await Provider.SearchUsersAsync(null, 10, 0, None);
        Assert.Equal(1, Server.Faults.TokenRequests);
    }

    [Fact]
    public async Task A_certificate_from_a_pfx_file_signs_in()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=SensoClassLink test app", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        string pfx = Temp.File("app.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pfx-pass"));
        File.WriteAllText(Temp.File("pfx-pass.txt"), "pfx-pass");
        Server.ClientCertificates.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
        var settings = new SensoApiSettings
        {
            BaseUrl = Server.ApiBaseUrl,
            Authority = Server.Authority,
            ClientId = SensoApiServer.ClientId,
            CertificatePath = pfx,
            CertificatePassword = SecretReference.TryParse("file:pfx-pass.txt", "senso.api.certificatePassword", Temp.Path, out var reference) ? reference : null,
        };

        using var provider = OpenProvider(FastRetry, settings);
        Assert.Equal(2, (await provider.GetRolesAsync(None)).Count);
    }

    [Fact]
    public async Task A_wrong_client_secret_fails_sign_in_without_showing_the_secret()
    {
        var settings = SecretSettings();
        Environment.SetEnvironmentVariable("SCL_TEST_WRONG_SECRET", "canary-Secret-9f8e7d");
        settings.ClientSecret = SecretReference.FromEnvironment("SCL_TEST_WRONG_SECRET", "senso.api.clientSecret");
        using var provider = OpenProvider(FastRetry, settings);

        var error = await Assert.ThrowsAsync<SensoAuthenticationException>(() => provider.GetRolesAsync(None));
        Assert.Contains("invalid_client", error.Message);
        Assert.DoesNotContain("canary-Secret-9f8e7d", error.ToString());
        Assert.DoesNotContain(_verbose, v => v.Contains("canary-Secret-9f8e7d", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_untrusted_token_endpoint_certificate_fails_sign_in_as_an_authentication_error_naming_the_cause()
    {
        // MSAL's HTTP client with the platform's default validation: the server's self-signed certificate is not trusted.
        var settings = SecretSettings();
        var tokens = MsalClientCredentialTokenSource.Create(settings, new PlatformValidation());
        using var provider = new SensoApiProvider(Server.ApiBaseUrl, tokens, FastRetry, new HttpClient(), maxConcurrency: 4, verbose: Record);

        var error = await Assert.ThrowsAsync<SensoAuthenticationException>(() => provider.GetRolesAsync(None));
        Assert.Contains(Server.Authority.GetLeftPart(UriPartial.Authority), error.Message);
        Assert.Contains("UntrustedRoot", error.Message);
        Assert.Contains("trusted root store", error.Message);
        Assert.DoesNotContain(Server.ClientSecret, error.ToString());
    }

    [Fact]
    public async Task An_unreachable_api_fails_as_a_senso_api_error_naming_the_url_but_not_the_query()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var provider = new SensoApiProvider(new Uri($"http://127.0.0.1:{closedPort}/api/"), new FixedToken(), FastRetry, new HttpClient(), verbose: Record);

        var error = await Assert.ThrowsAsync<SensoApiException>(() => provider.FindUserByEmailAsync("private.person@d.org", None));
        Assert.Contains($"http://127.0.0.1:{closedPort} could not be reached for GET /api/users after 5 attempts", error.Message);
        Assert.DoesNotContain("private", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task Verbose_lines_hold_no_token_email_or_search_text()
    {
        await Provider.CreateUserAsync(Teacher("private.person@d.org"), None);
        await Provider.FindUserByEmailAsync("private.person@d.org", None);
        await Provider.SearchUsersAsync("private", 10, 0, None);
        Assert.NotEmpty(_verbose);
        Assert.DoesNotContain(_verbose, v => v.Contains("private", StringComparison.OrdinalIgnoreCase) || v.Contains("Bearer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_view_keeps_its_own_bound_on_requests_in_flight_and_reports_to_its_own_sink()
    {
        // The shared provider allows 4; a command's view with -ThrottleLimit 7 runs 7 at once, and its lines go to that command.
        using var shared = OpenProvider(FastRetry);
        var events = new RecordingSink();
        using var view = ((ISupportsCommandScope)shared).ForCommand(7, events);
        Server.Faults.LatencyMs = 150;
        Server.Faults.ResetInFlight();
        await Task.WhenAll(Enumerable.Range(0, 21).Select(_ => view.GetRolesAsync(None)));
        Assert.Equal(7, Server.Faults.InFlightHighWater);

        Server.Faults.ResetInFlight();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => shared.GetRolesAsync(None)));
        Assert.Equal(4, Server.Faults.InFlightHighWater);
        Server.Faults.LatencyMs = 0;

        Assert.Equal(21, events.Lines.Count(l => l.StartsWith("GET /api/roles -> 200", StringComparison.Ordinal)));
        Assert.Equal(12, _verbose.Count(l => l.StartsWith("GET /api/roles -> 200", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_command_view_shares_the_user_ids_the_connection_learned_and_leaves_the_connection_open_when_disposed()
    {
        using var shared = OpenProvider(FastRetry);
        await shared.CreateUserAsync(Teacher("kept@d.org"), None);
        var events = new RecordingSink();
        using (var view = ((ISupportsCommandScope)shared).ForCommand(2, events))
        {
            int before = Server.Faults.ApiRequests;
            await view.ReplaceUserGroupsAsync("kept@d.org", Array.Empty<SensoGroup>(), None);
            Assert.Equal(1, Server.Faults.ApiRequests - before); // no lookup: the id came from the shared cache
        }
        Assert.Single(await shared.GetRolesAsync(None), r => r.Name == "Teacher");
    }

    [Fact]
    public void The_module_refuses_a_plain_http_api_url_that_is_not_loopback()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new SensoApiProvider(new Uri("http://senso.example.org/api/"), new FixedToken(), FastRetry));
        Assert.Contains("https://", error.Message);
    }

    public override void Dispose()
    {
        base.Dispose();
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private sealed class RecordingSink : IEngineEventSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public void Verbose(string message) => _lines.Enqueue(message);

        public void Warning(string message) => _lines.Enqueue("WARNING " + message);

        public void Progress(string status, int percentComplete)
        {
        }
    }

    private sealed class FixedToken : ISensoTokenSource
    {
        public string Description => "fixed";

        public Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken) => Task.FromResult("t");
    }

    private sealed class PlatformValidation : IMsalHttpClientFactory
    {
        private readonly HttpClient _client = new();

        public HttpClient GetHttpClient() => _client;
    }

    /// <summary>MSAL's HTTP client for tests: trusts exactly the loopback server's self-signed certificate, nothing else.</summary>
    private sealed class TrustOneCertificate : IMsalHttpClientFactory
    {
        private readonly HttpClient _client;

        public TrustOneCertificate(X509Certificate2 trusted)
        {
            string thumbprint = trusted.Thumbprint;
            _client = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && new X509Certificate2(certificate).Thumbprint == thumbprint },
            });
        }

        public HttpClient GetHttpClient() => _client;
    }
}
