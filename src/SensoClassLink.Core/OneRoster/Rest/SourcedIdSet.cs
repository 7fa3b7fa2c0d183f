using System;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// The sourcedIds seen so far in one pull, kept as 64-bit FNV-1a hashes in one open-addressing table (8 bytes a slot,
/// at most three quarters full: about 11 bytes an id instead of about 70 for the strings, and 28 for a HashSet of the
/// hashes), sized once from X-Total-Count when the server sends it, so deduplicating a million enrollments costs
/// about 11 MB and no growth on the way. A collision (odds about n^2/2^65, ~3e-8 for a million ids) would drop a
/// record; with X-Total-Count known the distinct count then misses the total and the pull fails loudly instead of
/// silently losing it.
/// </summary>
internal sealed class SourcedIdSet
{
    private ulong[] _slots = new ulong[1024];
    private int _shift = 64 - 10;
    private int _count;

    public int Count => _count;

    /// <summary>Makes room for <paramref name="expected"/> ids at once (the pull's announced total).</summary>
    public void EnsureCapacity(long expected)
    {
        int length = _slots.Length, shift = _shift;
        while (expected * 4 > (long)length * 3 && length < 1 << 30)
        {
            length *= 2;
            shift--;
        }
        if (length != _slots.Length)
        {
            // One table of the final size (doubling step by step would allocate and rehash every size on the way).
            Rehash(length, shift);
        }
    }

    /// <summary>True when the id was not seen before.</summary>
    public bool Add(string sourcedId) => AddHash(Hash(sourcedId.AsSpan()));

    /// <summary>True when the id whose <see cref="Hash(ReadOnlySpan{char})"/> this is was not seen before.</summary>
    [MethodImpl(HotPath.Optimize)]
    public bool AddHash(ulong hash)
    {
        // 0 marks an empty slot; the one id hashing to 0 shares 1's slot (one more collision in 2^64).
        if (hash == 0)
        {
            hash = 1;
        }
        if ((_count + 1) * 4L > _slots.Length * 3L)
        {
            Resize();
        }
        int mask = _slots.Length - 1;
        for (int i = Slot(hash); ; i = (i + 1) & mask)
        {
            ulong existing = _slots[i];
            if (existing == hash)
            {
                return false;
            }
            if (existing == 0)
            {
                _slots[i] = hash;
                _count++;
                return true;
            }
        }
    }

    /// <summary>
    /// Adds one page's hashes in order; <paramref name="fresh"/>[i] tells whether hash i was new (a repeat within the
    /// page counts once, at its first place). One tight loop per page rather than one probe between each row's other
    /// work: a million ids' table is larger than the cache, and probes issued back to back overlap their misses
    /// (measured: about 40 ms per million against about 200 ms interleaved).
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public void AddHashes(ulong[] hashes, bool[] fresh, int count)
    {
        for (int i = 0; i < count; i++)
        {
            fresh[i] = AddHash(hashes[i]);
        }
    }

    /// <summary>Fibonacci hashing: the top bits of the product spread FNV's values over the table.</summary>
    private int Slot(ulong hash) => (int)((hash * 0x9E3779B97F4A7C15UL) >> _shift);

    private void Resize() => Rehash(_slots.Length * 2, _shift - 1);

    private void Rehash(int length, int shift)
    {
        var old = _slots;
        _slots = new ulong[length];
        _shift = shift;
        int mask = _slots.Length - 1;
        foreach (ulong hash in old)
        {
            if (hash == 0)
            {
                continue;
            }
            int i = Slot(hash);
            while (_slots[i] != 0)
            {
                i = (i + 1) & mask;
            }
            _slots[i] = hash;
        }
    }

    private const ulong Offset = 14695981039346656037UL, Prime = 1099511628211UL;

    internal static ulong Hash(string value) => Hash(value.AsSpan());

    /// <summary>FNV-1a over the id's UTF-16 code units, low byte then high byte.</summary>
    [MethodImpl(HotPath.Optimize)]
    internal static ulong Hash(ReadOnlySpan<char> value)
    {
        ulong hash = Offset;
        foreach (char c in value)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }
        return hash;
    }

    /// <summary>
    /// <see cref="Hash(ReadOnlySpan{char})"/> of an ASCII id read straight from its UTF-8 bytes, without decoding it
    /// first: each character is its byte and its high byte is 0, so a step is (hash ^ byte) * Prime * Prime. False
    /// (the caller decodes) at a byte of 0x80 or more.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    internal static bool TryHashAscii(ReadOnlySpan<byte> value, out ulong hash)
    {
        const ulong PrimeSquared = unchecked(Prime * Prime);
        hash = Offset;
        foreach (byte b in value)
        {
            if (b >= 0x80)
            {
                return false;
            }
            hash = (hash ^ b) * PrimeSquared;
        }
        return true;
    }
}
