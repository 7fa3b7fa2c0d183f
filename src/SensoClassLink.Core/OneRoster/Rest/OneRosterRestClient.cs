using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Http;
using SensoClassLink.Core.OneRoster.Auth;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>Transport knobs that are not configuration: an injected handler or clock, and tighter limits for tests.</summary>
public sealed class RestTransportOptions
{
    public HttpMessageHandler? Handler { get; init; }
    public TimeProvider? TimeProvider { get; init; }
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(32);
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>How long the shared circuit breaker pauses every request once nearly all recent attempts failed; zero turns it off.</summary>
    public TimeSpan CircuitBreakDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Hard bound on the pages of one collection pull.</summary>
    public int MaxPages { get; init; } = 100_000;
}

/// <summary>
/// One page of a collection as the server answered it, checked from end to end; its records are read from the
/// body token by token by whoever consumes the page. Dispose it to release the body.
/// </summary>
public sealed class RosterPage : IDisposable
{
    internal RosterPage(RosterJsonBody body, long? total, int? nextOffset)
    {
        Body = body;
        Count = body.Count;
        Total = total;
        NextOffset = nextOffset;
    }

    internal RosterJsonBody Body { get; }

    /// <summary>How many records the page holds.</summary>
    public int Count { get; }

    /// <summary>X-Total-Count, when the server sent it.</summary>
    public long? Total { get; }

    /// <summary>The offset of a same-host Link rel="next", when the server sent one.</summary>
    public int? NextOffset { get; }

    public void Dispose() => Body.Dispose();
}

/// <summary>
/// HTTP access to one OneRoster REST service: URL building (one encoder for wire and signature),
/// authentication per attempt, the shared retry pipeline, one re-authentication after a 401, and
/// errors that name endpoint, offset, status and the server's description but never credentials or data.
/// </summary>
public sealed class OneRosterRestClient : IDisposable
{
    public const string V1p1Path = "/ims/oneroster/v1p1";
    public const string V1p2Path = "/ims/oneroster/rostering/v1p2";

    private static readonly byte[] TeachersEnvelope = System.Text.Encoding.UTF8.GetBytes("teachers");
    private static readonly byte[] StudentsEnvelope = System.Text.Encoding.UTF8.GetBytes("students");
    private static readonly byte[] SchoolsEnvelope = System.Text.Encoding.UTF8.GetBytes("schools");

    private readonly HttpClient _http;
    private readonly RosterAuthenticator _auth;
    private readonly ResilientHttpSender _sender;
    private readonly PageBufferPool _pageBuffers;
    private readonly TokenTapePool _enrollmentTapes, _userTapes;
    private readonly Action<string>? _verbose;
    /// <summary>Cleared, for the rest of this client's life, by the first answer that refuses the selection.</summary>
    private volatile bool _fieldSelection;

    public OneRosterRestClient(RosterApiSettings settings, RestTransportOptions? transport = null, Action<string>? verbose = null)
    {
        transport ??= new RestTransportOptions();
        Uri baseUrl = settings.BaseUrl ?? throw new ConfigurationException("classlink.api.baseUrl is required when classlink.source is 'api'.");
        EndpointRules.EnsureAllowed(baseUrl, "classlink.api.baseUrl");
        (ServiceRoot, ServiceBase, Version) = ResolveBase(baseUrl, settings.Version);
        _http = transport.Handler is null
            ? new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate, AllowAutoRedirect = false })
            : new HttpClient(transport.Handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        RetryOptions = new HttpRetryOptions
        {
            MaxRetries = settings.MaxRetries,
            BaseDelay = transport.RetryBaseDelay,
            MaxDelay = transport.RetryMaxDelay,
            MaxRetryAfter = transport.MaxRetryAfter,
            AttemptTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
            CircuitBreakDuration = transport.CircuitBreakDuration,
            CircuitMinimumThroughput = Math.Max(8, 2 * settings.MaxConcurrency),
        };
        _sender = new ResilientHttpSender(_http, RetryOptions, verbose, transport.TimeProvider);
        _auth = RosterAuthenticator.Create(settings.Auth, _sender, transport.TimeProvider);
        MaxPages = transport.MaxPages;
        _pageBuffers = new PageBufferPool(settings.MaxConcurrency + 2);
        _enrollmentTapes = new TokenTapePool(settings.MaxConcurrency + 2);
        _userTapes = new TokenTapePool(settings.MaxConcurrency + 2, UserRowReader.Fields, UserRowReader.Index);
        _verbose = verbose;
        _fieldSelection = settings.FieldSelection;
    }

    /// <summary>Whether collection pages still ask for only the fields the module reads (see <see cref="RosterApiSettings.FieldSelection"/>).</summary>
    internal bool FieldSelection => _fieldSelection;

    /// <summary>The server root (scheme, host, port): safe to show.</summary>
    public Uri ServiceRoot { get; }

    /// <summary>The OneRoster service base, e.g. https://host/ims/oneroster/v1p1.</summary>
    public Uri ServiceBase { get; }

    public OneRosterVersion Version { get; }

    public HttpRetryOptions RetryOptions { get; }

    public int MaxPages { get; }

    public RosterAuthenticator Authenticator => _auth;

    /// <summary>HTTP attempts made so far, retries included.</summary>
    public int AttemptCount => _sender.AttemptCount;

    /// <summary>Encodes one path segment (a sourcedId) with the codebase's RFC 3986 encoder.</summary>
    public static string Segment(string value) => PercentEncoding.Encode(value);

    /// <summary>
    /// GETs one page of <paramref name="collection"/> at <paramref name="relativePath"/> (already segment-encoded,
    /// starting with '/'), with <paramref name="query"/> decoded name/value pairs plus limit, offset and a stable sort.
    /// </summary>
    public Task<RosterPage> GetPageAsync<T>(RosterCollection<T> collection, string relativePath, IReadOnlyList<KeyValuePair<string, string>> query,
        int offset, int limit, CancellationToken cancellationToken) =>
        GetPageAsync(collection, relativePath, query, offset, limit, PageRows.Records, cancellationToken);

    /// <summary>How many page buffers are kept for the next page.</summary>
    internal int FreePageBuffers => _pageBuffers.FreeCount;

    /// <summary>
    /// Lets go of the buffers and token arrays kept between pages: up to maxConcurrency + 2 of each, every buffer as
    /// large as the largest page it held (users' pages are the largest, about 8 MB at 10,000 a page).
    /// </summary>
    internal void ReleasePageBuffers()
    {
        _pageBuffers.Clear();
        _enrollmentTapes.Clear();
        _userTapes.Clear();
    }

    internal async Task<RosterPage> GetPageAsync<T>(RosterCollection<T> collection, string relativePath, IReadOnlyList<KeyValuePair<string, string>> query,
        int offset, int limit, PageRows rows, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>(query)
        {
            new("limit", limit.ToString(CultureInfo.InvariantCulture)),
            new("offset", offset.ToString(CultureInfo.InvariantCulture)),
            new("sort", "sourcedId"),
            new("orderBy", "asc"),
        };
        string? fields = _fieldSelection ? (rows == PageRows.Enrollments ? RosterCollections.EnrollmentRowFields : collection.Fields(Version)) : null;
        if (fields is not null)
        {
            parameters.Add(new("fields", fields));
        }
        string endpoint = $"GET {relativePath} (offset {offset})";
        try
        {
            return await GetPageAsync(collection, relativePath, parameters, endpoint, fields is not null, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (FieldSelectionRefusedException)
        {
            // The selection is an optimization: a server that refuses it (a 1.2 model without one of the names, or no
            // support at all) is read whole from now on, and this page is asked for again without it.
            if (_fieldSelection)
            {
                _fieldSelection = false;
                _verbose?.Invoke($"{endpoint} refused the field selection (invalid_selection_field); whole records are read from now on.");
            }
            return await GetPageAsync(collection, relativePath, query, offset, limit, rows, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RosterPage> GetPageAsync<T>(RosterCollection<T> collection, string relativePath, List<KeyValuePair<string, string>> parameters, string endpoint,
        bool selectsFields, PageRows rows, CancellationToken cancellationToken)
    {
        byte[]? fallback = relativePath.EndsWith("/teachers", StringComparison.Ordinal) ? TeachersEnvelope
            : relativePath.EndsWith("/students", StringComparison.Ordinal) ? StudentsEnvelope
            : relativePath.EndsWith("/schools", StringComparison.Ordinal) ? SchoolsEnvelope : null;
        return await SendAsync(relativePath, parameters, endpoint, streamBody: true, async (response, token) =>
        {
            if (selectsFields && OneRosterResponseReader.RefusesFieldSelection(response))
            {
                throw new FieldSelectionRefusedException();
            }
            ThrowOnErrorStatus(response, endpoint);
            // The whole body is read into a reused buffer and checked here, inside the attempt, on the fetching thread
            // (a broken page is retried like a 503); the records are read from it later, on the consuming thread.
            var body = await OneRosterResponseReader.ReadBodyAsync(response, _pageBuffers, collection.EnvelopeBytes, fallback, collection.Envelope, endpoint,
                rows switch { PageRows.Enrollments => _enrollmentTapes, PageRows.Users => _userTapes, _ => null }, token).ConfigureAwait(false);
            try
            {
                return new RosterPage(body, TotalCount(response, endpoint), NextOffset(response));
            }
            catch
            {
                body.Dispose();
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GETs one record by path (e.g. /users/{id}); null when the server answers 404.</summary>
    public async Task<T?> GetSingleAsync<T>(RosterCollection<T> collection, string relativePath, CancellationToken cancellationToken) where T : class
    {
        string endpoint = $"GET {collection.Name}/{{id}}";
        return await SendAsync(relativePath, Array.Empty<KeyValuePair<string, string>>(), endpoint, streamBody: false, (response, _) =>
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return Task.FromResult<T?>(null);
            }
            ThrowOnErrorStatus(response, endpoint);
            return Task.FromResult<T?>(OneRosterResponseReader.ReadSingle(response, collection, endpoint));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The raw status of an authenticated probe GET (for Test-ClassLinkConnection); the response is the caller's.</summary>
    public async Task<HttpResponseMessage> ProbeAsync(string relativePath, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken cancellationToken)
    {
        Uri uri = BuildUri(relativePath, query);
        return await _sender.SendAsync(async token =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            await _auth.AuthorizeAsync(request, uri, query, token).ConfigureAwait(false);
            return request;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResult> SendAsync<TResult>(string relativePath, IReadOnlyList<KeyValuePair<string, string>> query, string endpoint,
        bool streamBody, Func<HttpResponseMessage, CancellationToken, Task<TResult>> interpret, CancellationToken cancellationToken)
    {
        Uri uri = BuildUri(relativePath, query);
        Func<CancellationToken, Task<HttpRequestMessage>> create = async token =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            await _auth.AuthorizeAsync(request, uri, query, token).ConfigureAwait(false);
            return request;
        };
        Func<HttpResponseMessage, CancellationToken, Task<TResult>> checkAuth = (response, token) =>
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new UnauthorizedSignal(OneRosterResponseReader.Description(response));
            }
            return interpret(response, token);
        };
        Task<TResult> Send() => streamBody
            ? _sender.SendStreamingAsync(create, checkAuth, cancellationToken)
            : _sender.SendAsync(create, response => checkAuth(response, cancellationToken).GetAwaiter().GetResult(), cancellationToken);
        try
        {
            try
            {
                return await Send().ConfigureAwait(false);
            }
            catch (UnauthorizedSignal)
            {
                // One fresh authentication, then give up: a second 401 means the credentials (or the clock) are wrong.
                _auth.Invalidate();
            }
            return await Send().ConfigureAwait(false);
        }
        catch (UnauthorizedSignal signal)
        {
            throw new RosterAuthenticationException(
                $"{endpoint} was refused with HTTP 401 using {_auth.Name}{(signal.Description is null ? "" : ": " + signal.Description)}. " +
                "Check the client id and secret (and, for OAuth 1.0a, that this computer's clock is right).", 401);
        }
        catch (RetryableResponseException ex)
        {
            throw new RosterReadException($"The OneRoster pull failed after {RetryOptions.MaxRetries} retries: {ex.Message}", ex);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException)
        {
            throw new RosterReadException($"{endpoint} was not attempted again: nearly every recent request to {ServiceRoot.GetLeftPart(UriPartial.Authority)} failed, so requests were paused and the retries ran out. Run again later.");
        }
        catch (Exception ex) when (ex is HttpRequestException or System.IO.IOException or Polly.Timeout.TimeoutRejectedException)
        {
            // Transport failures name the endpoint; the inner exception's message may hold the URL with its query, so it is not repeated.
            throw new RosterReadException($"{endpoint} failed after {RetryOptions.MaxRetries} retries: {(ex is Polly.Timeout.TimeoutRejectedException ? "no answer within the timeout" : "the connection failed (" + ex.GetType().Name + ")")}.");
        }
    }

    internal Uri BuildUri(string relativePath, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        string text = ServiceBase.AbsoluteUri.TrimEnd('/') + relativePath;
        if (query.Count > 0)
        {
            text += "?" + PercentEncoding.EncodeQuery(query);
        }
        return new Uri(text);
    }

    private static void ThrowOnErrorStatus(HttpResponseMessage response, string endpoint)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        int status = (int)response.StatusCode;
        string? description = OneRosterResponseReader.Description(response);
        string suffix = description is null ? "" : ": " + description;
        string hint = status switch
        {
            403 => " The application is not enabled for this district or lacks permission on the Roster Server.",
            404 => " Check classlink.api.baseUrl and classlink.api.version.",
            429 or 502 or 503 or 504 => " The server stayed busy through every retry; run again later.",
            _ => "",
        };
        if (status == 403)
        {
            throw new RosterAuthenticationException($"{endpoint} was refused with HTTP 403{suffix}.{hint}", 403);
        }
        throw new RosterReadException($"{endpoint} failed with HTTP {status}{suffix}.{hint}");
    }

    private static long? TotalCount(HttpResponseMessage response, string endpoint)
    {
        // HttpHeaders lookups are case-insensitive, so ClassLink's lower-case x-total-count is found too.
        if (response.Headers.TryGetValues("X-Total-Count", out var values) || response.Content.Headers.TryGetValues("X-Total-Count", out values))
        {
            string raw = values.FirstOrDefault() ?? "";
            if (long.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long total))
            {
                return total;
            }
            throw new RetryableResponseException($"{endpoint} answered with an X-Total-Count that is not a number.");
        }
        return null;
    }

    private int? NextOffset(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }
        foreach (string header in values)
        {
            foreach (string link in header.Split(','))
            {
                int open = link.IndexOf('<');
                int close = link.IndexOf('>');
                if (open < 0 || close < open || link.IndexOf("rel=\"next\"", StringComparison.OrdinalIgnoreCase) < 0 && link.IndexOf("rel=next", StringComparison.OrdinalIgnoreCase) < 0)
                {
                    continue;
                }
                if (!Uri.TryCreate(link.Substring(open + 1, close - open - 1).Trim(), UriKind.Absolute, out Uri? next)
                    || !string.Equals(next.Host, ServiceBase.Host, StringComparison.OrdinalIgnoreCase) || next.Port != ServiceBase.Port)
                {
                    return null; // a next link to another host is never followed
                }
                // Only the offset is taken from the link: servers are known to drop filter and sort from it.
                foreach (var pair in PercentEncoding.DecodeQuery(next.Query))
                {
                    if (pair.Key == "offset" && int.TryParse(pair.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int offset))
                    {
                        return offset;
                    }
                }
            }
        }
        return null;
    }

    /// <summary>baseUrl may be the server root or the full OneRoster base path; the configured version fills in the path.</summary>
    internal static (Uri Root, Uri Base, OneRosterVersion Version) ResolveBase(Uri baseUrl, OneRosterVersion configured)
    {
        string path = baseUrl.AbsolutePath.TrimEnd('/');
        var root = new Uri(baseUrl.GetLeftPart(UriPartial.Authority));
        string origin = baseUrl.GetLeftPart(UriPartial.Authority);
        if (path.EndsWith(V1p1Path, StringComparison.OrdinalIgnoreCase))
        {
            return (root, new Uri(origin + path), OneRosterVersion.V1_1);
        }
        if (path.EndsWith(V1p2Path, StringComparison.OrdinalIgnoreCase))
        {
            return (root, new Uri(origin + path), OneRosterVersion.V1_2);
        }
        return (root, new Uri(origin + path + (configured == OneRosterVersion.V1_2 ? V1p2Path : V1p1Path)), configured);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>An answer that refused the <c>fields</c> parameter: the page is asked for again without it.</summary>
    private sealed class FieldSelectionRefusedException : Exception
    {
    }

    private sealed class UnauthorizedSignal : Exception
    {
        public UnauthorizedSignal(string? description)
        {
            Description = description;
        }

        public string? Description { get; }
    }
}
