using System;
using System.Collections.Generic;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// The sourcedIds seen so far in one pull, kept as 64-bit FNV-1a hashes (about 20 bytes an id instead of
/// about 70 for the strings), so deduplicating a million enrollments does not hold a million strings.
/// A collision (odds about n^2/2^65, ~3e-8 for a million ids) would drop a record; with X-Total-Count known
/// the distinct count then misses the total and the pull fails loudly instead of silently losing it.
/// </summary>
internal sealed class SourcedIdSet
{
    private readonly HashSet<ulong> _hashes = new();

    public int Count => _hashes.Count;

    /// <summary>True when the id was not seen before.</summary>
    public bool Add(string sourcedId) => _hashes.Add(Hash(sourcedId.AsSpan()));

    /// <summary>True when the id whose <see cref="Hash(ReadOnlySpan{char})"/> this is was not seen before.</summary>
    public bool AddHash(ulong hash) => _hashes.Add(hash);

    internal static ulong Hash(string value) => Hash(value.AsSpan());

    internal static ulong Hash(ReadOnlySpan<char> value)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in value)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        return hash;
    }
}
