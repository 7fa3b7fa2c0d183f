using System.Collections.Concurrent;

namespace SensoClassLink.OneRosterTestServer;

/// <summary>What the test server serves and which credentials it accepts.</summary>
public sealed class TestServerOptions
{
    /// <summary>A OneRoster 1.1 CSV folder (orgs, users, classes, enrollments).</summary>
    public string? DataFolder { get; init; }

    /// <summary>Serve this many generated enrollments instead of the CSV's (benchmark; nothing held in memory).</summary>
    public int SyntheticEnrollments { get; init; }

    public int Port { get; init; }

    public string ConsumerKey { get; init; } = "test-consumer";
    public string ConsumerSecret { get; init; } = "test-consumer-secret";
    public string ClientId { get; init; } = "test-client";
    public string ClientSecret { get; init; } = "test-client-secret";
    public string? BearerToken { get; init; } = "test-bearer-token";

    /// <summary>Lifetime of issued OAuth 2 tokens.</summary>
    public int TokenLifetimeSeconds { get; init; } = 3600;

    /// <summary>OAuth 1.0a timestamps further than this from the server clock are refused.</summary>
    public int MaxClockSkewSeconds { get; init; } = 300;

    /// <summary>The server silently serves at most this many records per page, whatever limit asks.</summary>
    public int MaxPageSize { get; init; } = 1000;

    /// <summary>
    /// Read the CSV folder again when any file in it changed (name, length or last write time), checked at each
    /// collection request; off by default, so a server normally serves the folder as it was at start.
    /// </summary>
    public bool ReloadOnChange { get; init; }

    /// <summary>
    /// Serialize each page of a whole collection once and serve the same bytes again (benchmarks: on a two-core
    /// machine the server's JSON writing would otherwise take CPU from the client being measured). Off by default.
    /// </summary>
    public bool CachePages { get; init; }

    /// <summary>Send Link rel="next" headers.</summary>
    public bool SendLinkHeader { get; init; } = true;
}

/// <summary>Kinds of fault the server injects on demand.</summary>
public enum FaultKind
{
    /// <summary>429 with Retry-After.</summary>
    RateLimit,
    /// <summary>503.</summary>
    Unavailable,
    /// <summary>200 whose JSON body is cut in half.</summary>
    TruncatedBody,
    /// <summary>200 text/html error page.</summary>
    HtmlPage,
    /// <summary>Delay before answering.</summary>
    Slow,
    /// <summary>200 with a statusInfoSet failure envelope.</summary>
    FailureEnvelope,
    /// <summary>200 without the collection envelope.</summary>
    MissingEnvelope,
    /// <summary>403 forbidden.</summary>
    Forbidden,
    /// <summary>401 although the credentials are right (a token revoked server-side).</summary>
    Unauthorized,
    /// <summary>Serves the page two records earlier than asked (a record was deleted mid-pull): duplicates two, skips two.</summary>
    ShiftedPage,
}

/// <summary>One fault: which requests it hits (path substring, page offset) and how many times.</summary>
public sealed class FaultRule
{
    private int _remaining;

    public FaultRule(FaultKind kind, string? pathContains = null, int? offset = null, int times = 1)
    {
        Kind = kind;
        PathContains = pathContains;
        Offset = offset;
        _remaining = times;
    }

    public FaultKind Kind { get; }
    public string? PathContains { get; }
    public int? Offset { get; }
    public int RetryAfterSeconds { get; init; } = 1;
    public int DelayMilliseconds { get; init; } = 200;

    /// <summary>How many times it fired.</summary>
    public int Fired => _fired;

    private int _fired;

    /// <summary>Times left; negative means always.</summary>
    public int Remaining => _remaining;

    internal bool TryFire(string path, int offset)
    {
        if (PathContains is not null && !path.Contains(PathContains, StringComparison.Ordinal))
        {
            return false;
        }
        if (Offset is { } o && o != offset)
        {
            return false;
        }
        if (_remaining < 0)
        {
            Interlocked.Increment(ref _fired);
            return true;
        }
        while (true)
        {
            int current = _remaining;
            if (current == 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _remaining, current - 1, current) == current)
            {
                Interlocked.Increment(ref _fired);
                return true;
            }
        }
    }

    /// <summary>Parses <c>kind[:pathContains[:offset[:times[:retryAfterOrDelay]]]]</c> (empty parts mean any; times -1 = always).</summary>
    public static FaultRule Parse(string spec)
    {
        string[] parts = spec.Split(':');
        var kind = Enum.Parse<FaultKind>(parts[0], ignoreCase: true);
        string? path = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null;
        int? offset = parts.Length > 2 && parts[2].Length > 0 ? int.Parse(parts[2]) : null;
        int times = parts.Length > 3 && parts[3].Length > 0 ? int.Parse(parts[3]) : 1;
        int extra = parts.Length > 4 && parts[4].Length > 0 ? int.Parse(parts[4]) : -1;
        return new FaultRule(kind, path, offset, times)
        {
            RetryAfterSeconds = extra >= 0 ? extra : 1,
            DelayMilliseconds = extra >= 0 ? extra : 200,
        };
    }
}

/// <summary>What the server saw: for bounded-request and no-injection assertions.</summary>
public sealed class TestServerStats
{
    private int _requests;
    private int _inFlight;
    private int _maxInFlight;
    private int _tokensIssued;

    public int Requests => _requests;
    public int MaxInFlight => _maxInFlight;
    public int TokensIssued => _tokensIssued;

    /// <summary>Every decoded filter parameter received.</summary>
    public ConcurrentQueue<string> Filters { get; } = new();

    /// <summary>Every decoded fields parameter received, in arrival order ("" for a request without one).</summary>
    public ConcurrentQueue<string> FieldSelections { get; } = new();

    /// <summary>Why requests were refused with 401 (e.g. "nonce reused").</summary>
    public ConcurrentQueue<string> AuthFailures { get; } = new();

    /// <summary>Request paths (no query) in arrival order.</summary>
    public ConcurrentQueue<string> Paths { get; } = new();

    /// <summary>Scopes asked for at the token endpoint ("" when none).</summary>
    public ConcurrentQueue<string> TokenScopes { get; } = new();

    internal void Begin(string path)
    {
        Interlocked.Increment(ref _requests);
        Paths.Enqueue(path);
        int now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = _maxInFlight) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }
    }

    internal void End() => Interlocked.Decrement(ref _inFlight);

    internal void TokenIssued() => Interlocked.Increment(ref _tokensIssued);
}
