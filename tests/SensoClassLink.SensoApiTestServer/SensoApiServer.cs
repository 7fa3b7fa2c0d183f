using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Api;
using SensoClassLink.Core.Senso.Local;

namespace SensoClassLink.SensoApiTestServer;

/// <summary>
/// The Senso API contract (docs/senso-api.md) on loopback, storing into a <see cref="LocalTenantProvider"/>, plus a
/// Microsoft Entra-shaped token endpoint over TLS (a self-signed certificate the tests trust explicitly) for MSAL.
/// The API listens on plain http://127.0.0.1 (allowed for loopback), the authority on https://127.0.0.1.
/// </summary>
public sealed class SensoApiServer : IAsyncDisposable
{
    public const string TenantId = "00000000-0000-0000-0000-00000000c1a5";
    public const string ClientId = "11111111-2222-3333-4444-555555555555";

    private readonly WebApplication _app;
    // Replaced (never mutated) by POST /test/reset, so a suite can give each test an empty tenant on one running server.
    private LocalTenantProvider _tenant;
    private readonly Func<string, LocalTenantProvider> _openTenant;
    private readonly string _tenantPath;
    private int _resets;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private readonly ConcurrentQueue<string> _issuedTokens = new();

    private SensoApiServer(WebApplication app, string tenantPath, Func<string, LocalTenantProvider> openTenant, X509Certificate2 certificate, string clientSecret)
    {
        _app = app;
        _tenantPath = tenantPath;
        _openTenant = openTenant;
        _tenant = openTenant(tenantPath);
        Certificate = certificate;
        ClientSecret = clientSecret;
    }

    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>https://127.0.0.1:port/{tenant}/ (MSAL accepts only https authorities).</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>The TLS certificate of the token endpoint; trust exactly this one in tests.</summary>
    public X509Certificate2 Certificate { get; }

    public string ClientSecret { get; }

    /// <summary>Client certificates whose signed assertions the token endpoint accepts.</summary>
    public ConcurrentBag<X509Certificate2> ClientCertificates { get; } = new();

    public SensoApiFaults Faults { get; } = new();

    public LocalTenantProvider Tenant => Volatile.Read(ref _tenant);

    /// <summary>The file of the tenant served now (a new one after each reset).</summary>
    public string TenantPath { get; private set; } = "";

    /// <summary>Lifetime of issued tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <param name="certificate">The token endpoint's TLS certificate (with its private key); a fresh self-signed one when null.
    /// A fixed one lets a client process trust it through its platform trust store before any server starts.</param>
    /// <param name="extraSites">Sites to add to the seeded Main and North.</param>
    public static async Task<SensoApiServer> StartAsync(string tenantPath, int port = 0, string? clientSecret = null,
        X509Certificate2? certificate = null, IEnumerable<string>? extraSites = null)
    {
        var sites = new[] { "Main", "North" }.Concat(extraSites ?? []).ToArray();
        LocalTenantProvider OpenTenant(string path) => new(path, new[] { "Teacher", "Administrator" }, sites);
        certificate ??= CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate));
        });
        var app = builder.Build();
        var server = new SensoApiServer(app, tenantPath, OpenTenant, certificate, clientSecret ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(24)));
        server.Map(app);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        var http = addresses.Single(a => a.Scheme == "http");
        var https = addresses.Single(a => a.Scheme == "https");
        server.TenantPath = tenantPath;
        server.ApiBaseUrl = new Uri($"http://127.0.0.1:{http.Port}/api/");
        server.Authority = new Uri($"https://127.0.0.1:{https.Port}/{TenantId}/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Tenant.Dispose();
        Certificate.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/{tenant}/oauth2/v2.0/token", IssueToken);
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext c, string tenant) => Json(c, 200, Metadata(c, tenant)));
        app.MapGet("/{tenant}/.well-known/openid-configuration", (HttpContext c, string tenant) => Json(c, 200, Metadata(c, tenant)));

        MapTestControl(app);

        var api = app.MapGroup("/api").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            Interlocked.Increment(ref Faults.ApiRequests);
            using var counted = Faults.EnterRequest();
            if (Volatile.Read(ref Faults.LatencyMs) is > 0 and int latency)
            {
                await Task.Delay(latency, http.RequestAborted);
            }
            if (Faults.TakeRateLimit())
            {
                http.Response.Headers.RetryAfter = Faults.RetryAfterSeconds.ToString();
                return await Problem(http, 429, SensoApiProtocol.RateLimitedProblem, "Too many requests", "Slow down.");
            }
            string? header = http.Request.Headers.Authorization;
            string? token = header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;
            bool valid = token is not null && _tokens.TryGetValue(token, out var expires) && expires > DateTimeOffset.UtcNow;
            if (valid && Faults.TakeReject())
            {
                _tokens.TryRemove(token!, out _);
                valid = false;
            }
            if (!valid)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                return await Problem(http, 401, SensoApiProtocol.UnauthorizedProblem, "Unauthorized", "The access token is missing, expired or revoked.");
            }
            try
            {
                return await next(context);
            }
            catch (NameNotFoundException ex)
            {
                return await Problem(http, 422, SensoApiProtocol.UnknownNameProblem, "Unknown name", ex.Message, ex.Kind, ex.Requested, ex.Closest);
            }
            catch (SensoEmailInUseException ex)
            {
                return await Problem(http, 409, SensoApiProtocol.EmailInUseProblem, "Email in use", ex.Message, requested: ex.Email);
            }
            catch (SensoUserNotFoundException ex)
            {
                return await Problem(http, 404, SensoApiProtocol.UserNotFoundProblem, "User not found", ex.Message, requested: ex.Email);
            }
            catch (ArgumentException ex)
            {
                return await Problem(http, 400, SensoApiProtocol.ValidationProblem, "Invalid request", ex.Message);
            }
            catch (Newtonsoft.Json.JsonException ex)
            {
                return await Problem(http, 400, SensoApiProtocol.ValidationProblem, "Invalid request", ex.Message);
            }
        });

        api.MapGet("/roles", async (HttpContext c) => await Json(c, 200, await _tenant.GetRolesAsync(c.RequestAborted)));
        api.MapGet("/sites", async (HttpContext c) => await Json(c, 200, await _tenant.GetSitesAsync(c.RequestAborted)));
        api.MapGet("/users", async (HttpContext c) =>
        {
            var query = c.Request.Query;
            if (query.TryGetValue("email", out var email))
            {
                var user = await _tenant.FindUserByEmailAsync(email.ToString(), c.RequestAborted);
                return await Json(c, 200, new UserPageDto { Users = user is null ? new() : new() { user }, Total = user is null ? 0 : 1 });
            }
            int top = int.TryParse(query["top"], out int t) ? Math.Clamp(t, 0, 1000) : 100;
            int skip = int.TryParse(query["skip"], out int s) ? Math.Max(0, s) : 0;
            var page = await _tenant.SearchUsersAsync(query["search"].ToString(), top, skip, c.RequestAborted);
            return await Json(c, 200, new UserPageDto { Users = page.Users.ToList(), Total = page.Total });
        });
        api.MapPost("/users", async (HttpContext c) =>
        {
            var request = SensoApiProtocol.Deserialize<NewSensoUser>(await new StreamReader(c.Request.Body).ReadToEndAsync());
            var result = _tenant.CreateUser(request);
            if (result.Outcome == CreateUserOutcome.Created)
            {
                Interlocked.Increment(ref Faults.UsersCreated);
            }
            if (Faults.TakeCreateStall() is { } stall)
            {
                await Task.Delay(stall, c.RequestAborted); // committed, but the client gives up before hearing it
            }
            c.Response.Headers.Location = "/api/users/" + result.User.Id;
            return await Json(c, result.Outcome == CreateUserOutcome.Created ? 201 : 409, result.User);
        });
        api.MapPatch("/users/{id}", async (HttpContext c, string id) =>
        {
            string body = await new StreamReader(c.Request.Body).ReadToEndAsync();
            // One PATCH resource, two bodies: { "status" } sets the status, { "email" } renames.
            if (Newtonsoft.Json.Linq.JObject.Parse(body).ContainsKey("status"))
            {
                var change = SensoApiProtocol.Deserialize<UserStatusDto>(body);
                Interlocked.Increment(ref Faults.StatusRequests);
                return await Json(c, 200, _tenant.SetUserStatus(id, change.Status));
            }
            var request = SensoApiProtocol.Deserialize<UserRenameDto>(body);
            Interlocked.Increment(ref Faults.RenameRequests);
            var renamed = _tenant.RenameUser(id, request.Email);
            if (Faults.TakeRenameStall() is { } stall)
            {
                await Task.Delay(stall, c.RequestAborted); // committed, but the client gives up before hearing it
            }
            return await Json(c, 200, renamed);
        });
        api.MapPut("/users/{id}/groups", async (HttpContext c, string id) =>
        {
            var request = SensoApiProtocol.Deserialize<GroupSetDto>(await new StreamReader(c.Request.Body).ReadToEndAsync());
            var page = await _tenant.SearchUsersAsync(null, int.MaxValue, 0, c.RequestAborted);
            var owner = page.Users.FirstOrDefault(u => u.Id == id);
            if (owner is null)
            {
                return await Problem(c, 404, SensoApiProtocol.UserNotFoundProblem, "User not found", $"There is no user with id '{id}'.", requested: id);
            }
            var diff = _tenant.ReplaceUserGroups(owner.Email, request.Groups);
            return await Json(c, 200, new GroupDiffDto { Added = diff.Added.ToList(), Removed = diff.Removed.ToList(), Updated = diff.Updated.ToList(), Unchanged = diff.Unchanged.ToList() });
        });
        api.MapGet("/groups", async (HttpContext c) =>
        {
            string? owner = c.Request.Query.TryGetValue("owner", out var o) ? o.ToString() : null;
            return await Json(c, 200, await _tenant.GetGroupsAsync(owner, c.RequestAborted));
        });
        api.MapGet("/integrations/classlink/settings", async (HttpContext c) => await Json(c, 200, await _tenant.GetSettingsAsync(c.RequestAborted)));
        api.MapPut("/integrations/classlink/settings", async (HttpContext c) =>
        {
            var settings = SensoApiProtocol.Deserialize<IntegrationSettings>(await new StreamReader(c.Request.Body).ReadToEndAsync());
            await _tenant.SaveSettingsAsync(settings, c.RequestAborted);
            return await Json(c, 200, await _tenant.GetSettingsAsync(c.RequestAborted));
        });
    }

    /// <summary>
    /// Test-only control and counters for a server running as its own process (Pester): no authentication, loopback only.
    /// GET /test/in-flight; POST /test/in-flight/reset; PUT /test/latency/{ms}; POST /test/faults/reject-next-token,
    /// /test/faults/rate-limit/{count}/{retryAfterSeconds}, /test/faults/stall-next-create/{ms}, /test/faults/stall-next-rename/{ms}; GET /test/tokens (every token issued, revoked ones too,
    /// so a test can prove none of them reached the client's output); POST /test/reset (an empty tenant in a new file,
    /// same sites and roles; answers its path, so a test can open the file the server writes); POST /test/hand-made-users
    /// (body: a NewSensoUser as POST /api/users takes it; ?status=Suspended to suspend it too) creates a user as a Senso administrator makes one by hand, source
    /// 'senso' instead of 'classlink', so a test can prove the integration never renames, suspends or reactivates it
    /// (the API itself only ever creates ClassLink users).
    /// </summary>
    private void MapTestControl(WebApplication app)
    {
        var test = app.MapGroup("/test");
        test.MapGet("/in-flight", (Func<HttpContext, Task<IResult>>)(c => Json(c, 200, new { current = Faults.InFlight, highWater = Faults.InFlightHighWater, requests = Volatile.Read(ref Faults.ApiRequests) })));
        test.MapPost("/in-flight/reset", (Func<HttpContext, Task<IResult>>)(c =>
        {
            Faults.ResetInFlight();
            return Json(c, 200, new { highWater = Faults.InFlightHighWater });
        }));
        test.MapPut("/latency/{ms:int}", (HttpContext c, int ms) =>
        {
            Volatile.Write(ref Faults.LatencyMs, Math.Max(0, ms));
            return Json(c, 200, new { latencyMs = ms });
        });
        test.MapPost("/faults/reject-next-token", (Func<HttpContext, Task<IResult>>)(c =>
        {
            Faults.RejectNextToken();
            return Json(c, 200, new { });
        }));
        test.MapPost("/faults/rate-limit/{count:int}/{retryAfterSeconds:int}", (HttpContext c, int count, int retryAfterSeconds) =>
        {
            Faults.RateLimit(count, retryAfterSeconds);
            return Json(c, 200, new { });
        });
        test.MapPost("/faults/stall-next-create/{ms:int}", (HttpContext c, int ms) =>
        {
            Faults.CommitThenStallNextCreate(TimeSpan.FromMilliseconds(ms));
            return Json(c, 200, new { });
        });
        test.MapPost("/faults/stall-next-rename/{ms:int}", (HttpContext c, int ms) =>
        {
            Faults.CommitThenStallNextRename(TimeSpan.FromMilliseconds(ms));
            return Json(c, 200, new { });
        });
        test.MapPost("/reset", (Func<HttpContext, Task<IResult>>)(c =>
        {
            string path = $"{_tenantPath}.{Interlocked.Increment(ref _resets)}";
            var previous = Interlocked.Exchange(ref _tenant, _openTenant(path));
            TenantPath = path;
            previous.Dispose();
            return Json(c, 200, new { tenant = path });
        }));
        test.MapPost("/hand-made-users", async (HttpContext c) =>
        {
            var request = SensoApiProtocol.Deserialize<NewSensoUser>(await new StreamReader(c.Request.Body).ReadToEndAsync());
            var result = _tenant.CreateUser(request, "senso");
            if (result.Outcome != CreateUserOutcome.Created)
            {
                return await Json(c, 409, result.User);
            }
            // ?status=Suspended: an account the administrator also suspended by hand.
            var user = Enum.TryParse<SensoUserStatus>(c.Request.Query["status"].ToString(), ignoreCase: true, out var status)
                ? _tenant.SetUserStatus(result.User.Id, status) : result.User;
            return await Json(c, 201, user);
        });
        test.MapGet("/tokens", (Func<HttpContext, Task<IResult>>)(c => Json(c, 200, _issuedTokens.ToList())));
    }

    private async Task<IResult> IssueToken(HttpContext c, string tenant)
    {
        Interlocked.Increment(ref Faults.TokenRequests);
        var form = await c.Request.ReadFormAsync();
        string grant = form["grant_type"].ToString();
        if (tenant != TenantId || form["client_id"] != ClientId)
        {
            return await Json(c, 400, new { error = "invalid_client", error_description = "AADSTS700016: Application not found in the directory." });
        }
        if (grant == "client_credentials")
        {
            bool secretOk = form.TryGetValue("client_secret", out var secret) && CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(secret.ToString()), System.Text.Encoding.UTF8.GetBytes(ClientSecret));
            bool assertionOk = form.TryGetValue("client_assertion", out var assertion) && AssertionIsValid(assertion.ToString(), c);
            if (!secretOk && !assertionOk)
            {
                return await Json(c, 401, new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret or assertion provided." });
            }
        }
        else
        {
            return await Json(c, 400, new { error = "unsupported_grant_type", error_description = "Only client_credentials is supported here." });
        }
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        _tokens[token] = DateTimeOffset.UtcNow + TokenLifetime;
        _issuedTokens.Enqueue(token);
        int seconds = (int)TokenLifetime.TotalSeconds;
        return await Json(c, 200, new { token_type = "Bearer", expires_in = seconds, ext_expires_in = seconds, access_token = token });
    }

    /// <summary>Checks the RS256/PS256 signature of a client assertion against the registered certificates and its audience.</summary>
    private bool AssertionIsValid(string jwt, HttpContext c)
    {
        string[] parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }
        byte[] signed = System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        byte[] signature = Base64Url(parts[2]);
        var header = System.Text.Json.JsonDocument.Parse(Base64Url(parts[0])).RootElement;
        var padding = header.GetProperty("alg").GetString() == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        foreach (var certificate in ClientCertificates)
        {
            using var rsa = certificate.GetRSAPublicKey();
            if (rsa is not null && rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, padding))
            {
                var payload = System.Text.Json.JsonDocument.Parse(Base64Url(parts[1])).RootElement;
                return payload.GetProperty("sub").GetString() == ClientId
                    && payload.GetProperty("aud").GetString()!.StartsWith($"https://127.0.0.1:{c.Connection.LocalPort}/", StringComparison.Ordinal);
            }
        }
        return false;
    }

    private static byte[] Base64Url(string text)
    {
        string s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    private object Metadata(HttpContext c, string tenant)
    {
        string root = $"https://127.0.0.1:{c.Connection.LocalPort}/{tenant}";
        return new
        {
            issuer = root + "/v2.0",
            token_endpoint = root + "/oauth2/v2.0/token",
            authorization_endpoint = root + "/oauth2/v2.0/authorize",
            device_authorization_endpoint = root + "/oauth2/v2.0/devicecode",
        };
    }

    private static async Task<IResult> Json(HttpContext c, int status, object value)
    {
        c.Response.StatusCode = status;
        c.Response.ContentType = "application/json; charset=utf-8";
        await c.Response.WriteAsync(SensoApiProtocol.Serialize(value));
        return Results.Empty;
    }

    private static async Task<IResult> Problem(HttpContext c, int status, string type, string title, string detail,
        string? kind = null, string? requested = null, IReadOnlyList<string>? closest = null)
    {
        c.Response.StatusCode = status;
        c.Response.ContentType = SensoApiProtocol.ProblemContentType;
        await c.Response.WriteAsync(SensoApiProtocol.Serialize(new ProblemDto
        {
            Type = type, Title = title, Status = status, Detail = detail, Kind = kind, Requested = requested, Closest = closest?.ToList(),
        }));
        return Results.Empty;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.1") }, false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
