using System;
using System.Collections.Concurrent;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// The byte buffers roster pages are read into, reused from page to page: a pull holds at most the pages in flight
/// plus the one being read, so a few buffers serve a whole district instead of a new large array per page (which
/// the garbage collector would keep around until its next full collection). Thread-safe.
/// </summary>
internal sealed class PageBufferPool
{
    private const int Granularity = 1 << 20;
    private readonly ConcurrentBag<byte[]> _free = new();
    private readonly int _keep;

    /// <param name="keep">How many free buffers to keep; more are left to the garbage collector.</param>
    public PageBufferPool(int keep) => _keep = Math.Max(1, keep);

    /// <summary>Reads a whole body into a buffer from the pool; give it back with <see cref="Return"/>.</summary>
    public async Task<(byte[] Bytes, int Length)> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        long? declared = content.Headers.ContentLength;
        // One byte more than declared, so the end of the stream is seen without growing the buffer.
        byte[] buffer = Rent(declared is > 0 and < int.MaxValue / 2 ? (int)declared.Value + 1 : 1 << 16);
        int length = 0;
        try
        {
            using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = new byte[buffer.Length * 2];
                    Buffer.BlockCopy(buffer, 0, larger, 0, length);
                    Return(buffer);
                    buffer = larger;
                }
                int read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }
                length += read;
            }
        }
        catch
        {
            Return(buffer);
            throw;
        }
    }

    private byte[] Rent(int minimum)
    {
        while (_free.TryTake(out byte[]? free))
        {
            if (free.Length >= minimum)
            {
                return free;
            }
            // Too small for this page: let it go, a larger one replaces it.
        }
        return new byte[(minimum + Granularity - 1) / Granularity * Granularity];
    }

    /// <summary>How many free buffers the pool holds.</summary>
    public int FreeCount => _free.Count;

    /// <summary>Lets every free buffer go (a read is over; the next one rents new buffers sized for its pages).</summary>
    public void Clear()
    {
        while (_free.TryTake(out _))
        {
        }
    }

    public void Return(byte[] buffer)
    {
        if (_free.Count < _keep)
        {
            _free.Add(buffer);
        }
    }
}
