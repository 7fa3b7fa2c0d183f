namespace SensoClassLink.SensoApiTestServer;

/// <summary>Faults the next API requests will meet, and counters of what the server saw. Thread-safe.</summary>
public sealed class SensoApiFaults
{
    private int _rateLimited;
    private int _rejectNext;
    private long _stallNextCreateMs;

    public int RetryAfterSeconds { get; private set; } = 1;

    /// <summary>Token requests answered (client credentials and device code).</summary>
    public int TokenRequests;

    /// <summary>API requests received, faulted ones included.</summary>
    public int ApiRequests;

    /// <summary>Users actually created by POST /users.</summary>
    public int UsersCreated;

    /// <summary>The next <paramref name="count"/> API requests answer 429 with Retry-After.</summary>
    public void RateLimit(int count, int retryAfterSeconds)
    {
        RetryAfterSeconds = retryAfterSeconds;
        Interlocked.Exchange(ref _rateLimited, count);
    }

    /// <summary>The next API request answers 401 and its token is revoked, as if it had expired early.</summary>
    public void RejectNextToken() => Interlocked.Exchange(ref _rejectNext, 1);

    /// <summary>The next POST /users commits the user, then stalls the answer for <paramref name="stall"/> (the client times out).</summary>
    public void CommitThenStallNextCreate(TimeSpan stall) => Interlocked.Exchange(ref _stallNextCreateMs, (long)stall.TotalMilliseconds);

    internal bool TakeRateLimit() => TakeOne(ref _rateLimited);

    internal bool TakeReject() => TakeOne(ref _rejectNext);

    internal TimeSpan? TakeCreateStall()
    {
        long ms = Interlocked.Exchange(ref _stallNextCreateMs, 0);
        return ms > 0 ? TimeSpan.FromMilliseconds(ms) : null;
    }

    private static bool TakeOne(ref int counter)
    {
        while (true)
        {
            int current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
