using System;
using System.Net.Http;
using System.Security.Cryptography;

namespace SensoClassLink.Core.Http;

/// <summary>Backoff with full jitter, lengthened to a server's Retry-After (seconds or HTTP-date) within a cap.</summary>
public static class RetryDelay
{
    public static TimeSpan For(int attemptNumber, HttpResponseMessage? response, HttpRetryOptions options)
    {
        double ceiling = Math.Min(options.MaxDelay.TotalMilliseconds, options.BaseDelay.TotalMilliseconds * Math.Pow(2, attemptNumber));
        var backoff = TimeSpan.FromMilliseconds(ceiling * NextUnitDouble());
        TimeSpan? retryAfter = RetryAfter(response, DateTimeOffset.UtcNow);
        if (retryAfter is { } wait && wait > backoff)
        {
            return wait < options.MaxRetryAfter ? wait : options.MaxRetryAfter;
        }
        return backoff;
    }

    /// <summary>The server's requested wait, from delta-seconds or an HTTP-date; null when absent or in the past.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null)
        {
            return null;
        }
        if (header.Delta is { } delta)
        {
            return delta;
        }
        if (header.Date is { } date && date > now)
        {
            return date - now;
        }
        return null;
    }

    private static double NextUnitDouble()
    {
        var bytes = new byte[8];
        using (var rng = RandomNumberGenerator.Create())
        {
            rng.GetBytes(bytes);
        }
        return (BitConverter.ToUInt64(bytes, 0) >> 11) * (1.0 / (1UL << 53));
    }
}
