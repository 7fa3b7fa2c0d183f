using System;

namespace SensoClassLink.Core.Http;

/// <summary>How hard to retry transient HTTP failures. One policy for the roster client and the Senso API client.</summary>
public sealed class HttpRetryOptions
{
    /// <summary>Retries after the first attempt (config: maxRetries).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>Base of the exponential backoff; attempt n waits a random time in [0, min(MaxDelay, BaseDelay * 2^n)).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>A server's Retry-After is honoured when longer than the backoff, up to this cap.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// When positive, a circuit breaker shared by every request of this sender opens for this long once
    /// nearly all recent attempts failed (at least <see cref="CircuitMinimumThroughput"/> in 30 s), so
    /// concurrent page fetches stop hammering a server that is down. Zero (the default) turns it off.
    /// </summary>
    public TimeSpan CircuitBreakDuration { get; init; } = TimeSpan.Zero;

    /// <summary>Attempts within the sampling window before the breaker may open.</summary>
    public int CircuitMinimumThroughput { get; init; } = 8;

    /// <summary>Per-attempt timeout (config: timeoutSeconds).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
