namespace SensoClassLink.SensoApiTestServer;

/// <summary>Faults the next API requests will meet, and counters of what the server saw. Thread-safe.</summary>
public sealed class SensoApiFaults
{
    private int _rateLimited;
    private int _rejectNext;
    private long _stallNextCreateMs;
    private long _stallNextRenameMs;

    public int RetryAfterSeconds { get; private set; } = 1;

    /// <summary>Token requests answered (client credentials and device code).</summary>
    public int TokenRequests;

    /// <summary>API requests received, faulted ones included.</summary>
    public int ApiRequests;

    /// <summary>Users actually created by POST /users.</summary>
    public int UsersCreated;

    private int _inFlight;
    private int _inFlightHighWater;

    /// <summary>Added to every API request before it is answered, so concurrent requests overlap (0: none).</summary>
    public int LatencyMs;

    /// <summary>API requests being answered right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most API requests that were in flight at once since the start or the last <see cref="ResetInFlight"/>.</summary>
    public int InFlightHighWater => Volatile.Read(ref _inFlightHighWater);

    public void ResetInFlight() => Interlocked.Exchange(ref _inFlightHighWater, InFlight);

    /// <summary>Counts one API request in; dispose the result when it has been answered.</summary>
    internal IDisposable EnterRequest()
    {
        int now = Interlocked.Increment(ref _inFlight);
        int high;
        while (now > (high = Volatile.Read(ref _inFlightHighWater)) && Interlocked.CompareExchange(ref _inFlightHighWater, now, high) != high)
        {
        }
        return new Leaving(this);
    }

    private sealed class Leaving(SensoApiFaults faults) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                Interlocked.Decrement(ref faults._inFlight);
            }
        }
    }

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

    /// <summary>The next PATCH /users/{id} commits the rename, then stalls the answer for <paramref name="stall"/> (the client times out and resends).</summary>
    public void CommitThenStallNextRename(TimeSpan stall) => Interlocked.Exchange(ref _stallNextRenameMs, (long)stall.TotalMilliseconds);

    /// <summary>PATCH /users/{id} requests that reached the tenant.</summary>
    public int RenameRequests;

    /// <summary>PATCH /users/{id} status changes that reached the tenant.</summary>
    public int StatusRequests;

    internal TimeSpan? TakeRenameStall()
    {
        long ms = Interlocked.Exchange(ref _stallNextRenameMs, 0);
        return ms > 0 ? TimeSpan.FromMilliseconds(ms) : null;
    }

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
