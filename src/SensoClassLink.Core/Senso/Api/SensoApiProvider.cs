using SensoClassLink.Core.Eligibility;
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SensoClassLink.Core.Http;

namespace SensoClassLink.Core.Senso.Api;

/// <summary>
/// The Senso tenant API over HTTPS (docs/senso-api.md) with bearer tokens from an <see cref="ISensoTokenSource"/>.
/// Reads and group replacement retry through <see cref="ResilientHttpSender"/>; a 401 gets one forced token refresh;
/// a create whose outcome is unknown (timeout, 502, 504) is looked up again before it is retried, so it never duplicates.
/// At most <c>maxConcurrency</c> requests are in flight at once however many callers share the provider; a command
/// takes its own view (<see cref="ForCommand"/>) with its own bound (-ThrottleLimit) and its own verbose lines over
/// the same HTTP client, tokens and user-id cache.
/// </summary>
public sealed class SensoApiProvider : ISensoProvider, ISupportsCommandScope
{
    private readonly Uri _baseUrl;
    private readonly ISensoTokenSource _tokens;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly HttpRetryOptions _retry;
    private readonly ResilientHttpSender _sender;
    private readonly ResilientHttpSender _createSender;
    private readonly SemaphoreSlim _gate;
    private readonly Action<string>? _verbose;
    private readonly ConcurrentDictionary<string, string> _userIds;

    /// <param name="baseUrl">senso.api.baseUrl (https; http only on loopback).</param>
    /// <param name="httpClient">Null for the module's own client; tests pass one. Never one that skips certificate validation.</param>
    public SensoApiProvider(Uri baseUrl, ISensoTokenSource tokens, HttpRetryOptions retry, HttpClient? httpClient = null,
        int maxConcurrency = 4, Action<string>? verbose = null)
    {
        EndpointRules.EnsureAllowed(baseUrl, "senso.api.baseUrl");
        _baseUrl = new Uri(baseUrl.ToString().TrimEnd('/') + "/");
        _tokens = tokens;
        _retry = retry;
        _ownsClient = httpClient is null;
        // The attempt timeout of the retry pipeline bounds each request; HttpClient's own 100 s default must not cut in first.
        _client = httpClient ?? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _verbose = verbose;
        _sender = new ResilientHttpSender(_client, retry, verbose);
        _createSender = new ResilientHttpSender(_client, new HttpRetryOptions
        {
            MaxRetries = 0,
            AttemptTimeout = retry.AttemptTimeout,
        }, verbose);
        _gate = new SemaphoreSlim(Math.Max(1, maxConcurrency));
        _userIds = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>A view over <paramref name="shared"/>'s client, tokens and user ids, with its own gate and verbose lines.</summary>
    private SensoApiProvider(SensoApiProvider shared, int maxConcurrency, Action<string> verbose)
    {
        _baseUrl = shared._baseUrl;
        _tokens = shared._tokens;
        _retry = shared._retry;
        _client = shared._client;
        _ownsClient = false;
        _userIds = shared._userIds;
        _verbose = verbose;
        _sender = new ResilientHttpSender(_client, _retry, verbose);
        _createSender = new ResilientHttpSender(_client, new HttpRetryOptions { MaxRetries = 0, AttemptTimeout = _retry.AttemptTimeout }, verbose);
        _gate = new SemaphoreSlim(Math.Max(1, maxConcurrency));
    }

    /// <summary>
    /// This provider for one command: at most <paramref name="maxConcurrency"/> of its requests in flight at once, and its
    /// diagnostic lines (requests, 401 refreshes, retries, unknown-outcome lookups; paths only, never a query or a token) to
    /// <paramref name="events"/>. Disposing the view releases only its gate; the shared client stays open.
    /// </summary>
    public ISensoProvider ForCommand(int maxConcurrency, IEngineEventSink events) =>
        new SensoApiProvider(this, maxConcurrency, events.Verbose);

    public string Description => "Senso API " + _baseUrl.GetLeftPart(UriPartial.Path);

    /// <summary>HTTP attempts made (reads, writes, retries), for diagnostics and bounded-request tests.</summary>
    public int AttemptCount => _sender.AttemptCount + _createSender.AttemptCount;

    public async Task<IReadOnlyList<SensoRole>> GetRolesAsync(CancellationToken cancellationToken) =>
        await GetAsync<List<SensoRole>>("roles", cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<SensoSite>> GetSitesAsync(CancellationToken cancellationToken) =>
        await GetAsync<List<SensoSite>>("sites", cancellationToken).ConfigureAwait(false);

    public async Task<SensoUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken)
    {
        string key = EmailAddress.Normalize(email);
        var page = await GetAsync<UserPageDto>("users?email=" + Uri.EscapeDataString(key), cancellationToken).ConfigureAwait(false);
        // The contract promises an exact match; check it rather than trust it.
        var user = page.Users.FirstOrDefault(u => string.Equals(EmailAddress.Normalize(u.Email), key, StringComparison.Ordinal));
        if (user is not null)
        {
            _userIds[key] = user.Id;
        }
        return user;
    }

    public async Task<SensoUserPage> SearchUsersAsync(string? search, int top, int skip, CancellationToken cancellationToken)
    {
        if (top < 0 || skip < 0)
        {
            throw new ArgumentOutOfRangeException(top < 0 ? nameof(top) : nameof(skip), "top and skip must not be negative.");
        }
        string query = $"users?search={Uri.EscapeDataString(search ?? "")}&top={top}&skip={skip}";
        var page = await GetAsync<UserPageDto>(query, cancellationToken).ConfigureAwait(false);
        return new SensoUserPage { Users = page.Users, Total = page.Total };
    }

    public async Task<CreateUserResult> CreateUserAsync(NewSensoUser user, CancellationToken cancellationToken)
    {
        string email = EmailAddress.Normalize(user.Email);
        if (email.Length == 0)
        {
            throw new ArgumentException("A Senso user needs an email address (it is the username).", nameof(user));
        }
        string body = SensoApiProtocol.Serialize(new NewSensoUser
        {
            Email = email,
            DisplayName = user.DisplayName,
            Role = user.Role,
            Site = user.Site,
            SourcedIds = user.SourcedIds,
        });
        for (int attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await SendAuthorizedAsync(_createSender, HttpMethod.Post, "users", body, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsUnknownOutcome(ex, cancellationToken))
            {
                if (await LookUpAfterUnknownCreate(email, ex.GetType().Name, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return new CreateUserResult(CreateUserOutcome.Exists, existing);
                }
                await PauseBeforeCreateRetry(attempt, null, "POST /users: " + ex.GetType().Name, ex, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                var status = response.StatusCode;
                if (status == HttpStatusCode.Created || status == HttpStatusCode.OK || status == HttpStatusCode.Conflict)
                {
                    var created = await ReadAsync<SensoUser>(response, "POST", "users").ConfigureAwait(false);
                    _userIds[email] = created.Id;
                    return new CreateUserResult(status == HttpStatusCode.Conflict ? CreateUserOutcome.Exists : CreateUserOutcome.Created, created);
                }
                if (status == (HttpStatusCode)429 || status == HttpStatusCode.ServiceUnavailable)
                {
                    // Refused before processing: safe to send again after the server's wait.
                    await PauseBeforeCreateRetry(attempt, response, "POST /users: HTTP " + (int)status, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (status == HttpStatusCode.BadGateway || status == HttpStatusCode.GatewayTimeout || (int)status >= 500)
                {
                    if (await LookUpAfterUnknownCreate(email, "HTTP " + (int)status, cancellationToken).ConfigureAwait(false) is { } existing)
                    {
                        return new CreateUserResult(CreateUserOutcome.Exists, existing);
                    }
                    await PauseBeforeCreateRetry(attempt, response, "POST /users: HTTP " + (int)status, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw await ErrorFor(response, "POST", "users").ConfigureAwait(false);
            }
        }
    }

    public async Task<SensoUser> RenameUserAsync(string userId, string newEmail, CancellationToken cancellationToken)
    {
        string email = EmailAddress.Normalize(newEmail);
        if (email.Length == 0)
        {
            throw new ArgumentException("A Senso user needs an email address (it is the username).", nameof(newEmail));
        }
        string path = "users/" + Uri.EscapeDataString(userId ?? "");
        // PATCH with the target email is idempotent (the same answer however often it arrives), so the normal retry pipeline may resend it.
        using var response = await SendAuthorizedAsync(_sender, new HttpMethod("PATCH"), path, SensoApiProtocol.Serialize(new UserRenameDto { Email = email }), cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw await ErrorFor(response, "PATCH", path).ConfigureAwait(false);
        }
        var renamed = await ReadAsync<SensoUser>(response, "PATCH", path).ConfigureAwait(false);
        // The id cache is keyed by email: the old email no longer names this user.
        foreach (var entry in _userIds.Where(e => e.Value == renamed.Id).ToList())
        {
            _userIds.TryRemove(entry.Key, out _);
        }
        _userIds[EmailAddress.Normalize(renamed.Email)] = renamed.Id;
        return renamed;
    }

    public async Task<SensoUser> SetUserStatusAsync(string userId, SensoUserStatus status, CancellationToken cancellationToken)
    {
        if (status is not (SensoUserStatus.Active or SensoUserStatus.Suspended))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "The status must be Active or Suspended.");
        }
        string path = "users/" + Uri.EscapeDataString(userId ?? "");
        // PATCH with the target status is idempotent (the same answer however often it arrives), so the normal retry pipeline may resend it.
        using var response = await SendAuthorizedAsync(_sender, new HttpMethod("PATCH"), path, SensoApiProtocol.Serialize(new UserStatusDto { Status = status }), cancellationToken)
            .ConfigureAwait(false);
        return await ReadAsync<SensoUser>(response, "PATCH", path).ConfigureAwait(false);
    }

    public async Task<GroupReplaceResult> ReplaceUserGroupsAsync(string ownerEmail, IReadOnlyList<SensoGroup> groups, CancellationToken cancellationToken)
    {
        string owner = EmailAddress.Normalize(ownerEmail);
        var desired = GroupSet.Normalize(owner, groups);
        if (!_userIds.TryGetValue(owner, out string? id))
        {
            id = (await FindUserByEmailAsync(owner, cancellationToken).ConfigureAwait(false))?.Id
                ?? throw new SensoUserNotFoundException(owner);
        }
        string path = "users/" + Uri.EscapeDataString(id) + "/groups";
        // PUT of the full set is idempotent, so the normal retry pipeline may resend it.
        using var response = await SendAuthorizedAsync(_sender, HttpMethod.Put, path, SensoApiProtocol.Serialize(new GroupSetDto { Groups = desired.ToList() }), cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            _userIds.TryRemove(owner, out _);
        }
        var diff = await ReadAsync<GroupDiffDto>(response, "PUT", path).ConfigureAwait(false);
        return new GroupReplaceResult { Added = diff.Added, Removed = diff.Removed, Updated = diff.Updated, Unchanged = diff.Unchanged };
    }

    public async Task<IReadOnlyList<SensoGroup>> GetGroupsAsync(string? ownerEmail, CancellationToken cancellationToken) =>
        await GetAsync<List<SensoGroup>>(ownerEmail is null ? "groups" : "groups?owner=" + Uri.EscapeDataString(EmailAddress.Normalize(ownerEmail)), cancellationToken)
            .ConfigureAwait(false);

    public Task<IntegrationSettings> GetSettingsAsync(CancellationToken cancellationToken) =>
        GetAsync<IntegrationSettings>("integrations/classlink/settings", cancellationToken);

    public async Task SaveSettingsAsync(IntegrationSettings settings, CancellationToken cancellationToken)
    {
        const string path = "integrations/classlink/settings";
        using var response = await SendAuthorizedAsync(_sender, HttpMethod.Put, path, SensoApiProtocol.Serialize(settings), cancellationToken).ConfigureAwait(false);
        await ReadAsync<IntegrationSettings>(response, "PUT", path).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
        _gate.Dispose();
    }

    private async Task<T> GetAsync<T>(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var response = await SendAuthorizedAsync(_sender, HttpMethod.Get, pathAndQuery, null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, "GET", pathAndQuery).ConfigureAwait(false);
    }

    /// <summary>Sends with a bearer token; a 401 is answered once by a forced token refresh and a resend.</summary>
    private async Task<HttpResponseMessage> SendAuthorizedAsync(ResilientHttpSender sender, HttpMethod method, string pathAndQuery, string? body, CancellationToken cancellationToken)
    {
        var uri = new Uri(_baseUrl, pathAndQuery);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int authAttempt = 0; ; authAttempt++)
            {
                string token = await _tokens.GetAccessTokenAsync(forceRefresh: authAttempt > 0, cancellationToken).ConfigureAwait(false);
                HttpResponseMessage response;
                try
                {
                    response = await sender.SendAsync(_ =>
                    {
                        var request = new HttpRequestMessage(method, uri);
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                        if (body is not null)
                        {
                            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                        }
                        return Task.FromResult(request);
                    }, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (sender == _sender && (IsUnknownOutcome(ex, cancellationToken) || ex is BrokenCircuitException))
                {
                    // Retries are spent: the API is down or unreachable, which no later item can fix. (The create path keeps
                    // the raw failure: its own loop decides whether the user was created.) Path only: queries hold personal data.
                    throw new SensoApiException(
                        $"The Senso API at {_baseUrl.GetLeftPart(UriPartial.Authority)} could not be reached for {method} {uri.AbsolutePath} after {_retry.MaxRetries + 1} attempts ({Innermost(ex).Message}). Check senso.api.baseUrl and that this machine can reach it.",
                        null, null, ex);
                }
                if (response.StatusCode == HttpStatusCode.Unauthorized && authAttempt == 0)
                {
                    response.Dispose();
                    _verbose?.Invoke($"{method} {uri.AbsolutePath} -> 401: refreshing the access token once.");
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    response.Dispose();
                    throw new SensoAuthenticationException(
                        $"The Senso API refused a freshly issued access token for {method} {uri.AbsolutePath} (HTTP 401 twice). Check the app registration's permissions for the Senso API.");
                }
                return response;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SensoUser?> LookUpAfterUnknownCreate(string email, string what, CancellationToken cancellationToken)
    {
        _verbose?.Invoke($"POST /users -> {what}: the outcome is unknown, looking the user up before deciding.");
        return await FindUserByEmailAsync(email, cancellationToken).ConfigureAwait(false);
    }

    private async Task PauseBeforeCreateRetry(int attempt, HttpResponseMessage? response, string what, Exception? cause, CancellationToken cancellationToken)
    {
        if (attempt >= _retry.MaxRetries)
        {
            throw new SensoApiException($"Creating a Senso user failed after {attempt + 1} attempts ({what}).", response?.StatusCode, null, cause);
        }
        var delay = RetryDelay.For(attempt, response, _retry);
        _verbose?.Invoke($"Retrying after {what}: attempt {attempt + 2} in {delay.TotalSeconds:0.0} s.");
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }
        return ex;
    }

    private static bool IsUnknownOutcome(Exception ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && ex is TimeoutRejectedException or HttpRequestException or IOException or OperationCanceledException;

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string method, string path)
    {
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw await ErrorFor(response, method, path).ConfigureAwait(false);
        }
        string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new SensoApiException($"The Senso API answered {method} {PathOnly(path)} with '{mediaType ?? "no content type"}' instead of JSON.", response.StatusCode);
        }
        try
        {
            return SensoApiProtocol.Deserialize<T>(text);
        }
        catch (JsonException ex)
        {
            // The body may hold personal data: say where it broke, not what it said.
            throw new SensoApiException($"The Senso API's answer to {method} {PathOnly(path)} is not the expected JSON ({ex.GetType().Name}).", response.StatusCode, null, ex);
        }
    }

    private static async Task<Exception> ErrorFor(HttpResponseMessage response, string method, string path)
    {
        ProblemDto? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is { } media && media.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                problem = SensoApiProtocol.Deserialize<ProblemDto>(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            }
            catch (JsonException)
            {
            }
        }
        if (problem?.Type == SensoApiProtocol.UnknownNameProblem && problem.Kind is not null && problem.Requested is not null)
        {
            return new NameNotFoundException(problem.Kind, problem.Requested, problem.Closest ?? new List<string>());
        }
        if (problem?.Type == SensoApiProtocol.UserNotFoundProblem && problem.Requested is not null)
        {
            return new SensoUserNotFoundException(problem.Requested);
        }
        if (problem?.Type == SensoApiProtocol.EmailInUseProblem && problem.Requested is not null)
        {
            return new SensoEmailInUseException(problem.Requested);
        }
        if (problem?.Type == SensoApiProtocol.ValidationProblem)
        {
            return new ArgumentException(problem.Detail ?? problem.Title ?? "The Senso API rejected the request.");
        }
        string reason = problem is null ? response.ReasonPhrase ?? "" : (problem.Title + (problem.Detail is null ? "" : ": " + problem.Detail));
        return new SensoApiException($"The Senso API answered {method} {PathOnly(path)} with HTTP {(int)response.StatusCode} {reason}".TrimEnd() + ".",
            response.StatusCode, problem?.Type);
    }

    /// <summary>The path without its query: queries carry emails and search text, which stay out of messages.</summary>
    private static string PathOnly(string pathAndQuery)
    {
        int q = pathAndQuery.IndexOf('?');
        return "/" + (q < 0 ? pathAndQuery : pathAndQuery.Substring(0, q));
    }
}
