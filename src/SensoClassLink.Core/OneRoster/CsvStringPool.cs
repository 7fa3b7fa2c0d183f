using System;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Core.OneRoster;

/// <summary>How <see cref="CsvStringPool"/> treats one column's values.</summary>
internal enum PoolMode : byte
{
    /// <summary>A new string per value (names, emails, row ids).</summary>
    None,
    /// <summary>A record's own sourcedId: added to the pool so later references to it reuse the same string.</summary>
    Intern,
    /// <summary>A reference to a sourcedId (enrollment user/class): the pooled string when known, else a new one.</summary>
    Lookup,
    /// <summary>Few distinct values (role, status, dates, school): a small direct-mapped cache.</summary>
    Recent,
}

/// <summary>
/// Lets the CSV reader hand out one string per distinct sourcedId instead of a new one per enrollment row.
/// Enrollments are most of an export; without this every row would allocate its user, class, school, role and
/// date strings again, and the garbage collector, not parsing, would dominate the read. Keys are compared by
/// content straight from the parser's buffer, so a hit allocates nothing. Memory: one slot per user, class and org.
/// </summary>
internal sealed class CsvStringPool
{
    private const int RecentSize = 1024;

    private string?[] _slots = new string?[1024];
    private int[] _hashes = new int[1024];
    private int[] _ids = new int[1024];
    private int _count;
    private readonly string?[] _recent = new string?[RecentSize];

    /// <summary>How many strings were interned; their ids are 0..Count-1.</summary>
    public int Count => _count;

    /// <summary>The id of the pooled string the last Intern/Lookup returned, or -1 when it was not pooled.</summary>
    public int LastId { get; set; } = -1;

    /// <summary>The id of a pooled string equal to <paramref name="value"/>, or -1.</summary>
    public int IdOf(string value)
    {
        int hash = Hash(value);
        int mask = _slots.Length - 1;
        for (int i = hash & mask; _slots[i] is { } existing; i = (i + 1) & mask)
        {
            if (_hashes[i] == hash && string.Equals(existing, value, StringComparison.Ordinal))
            {
                return _ids[i];
            }
        }
        return -1;
    }

    /// <summary>Adds a string (if absent) and returns its id.</summary>
    public int InternId(string value)
    {
        var chars = value.ToCharArray();
        Find(chars, 0, chars.Length, add: true);
        return LastId;
    }

    [MethodImpl(HotPath.Optimize)]
    public string Get(PoolMode mode, char[] buffer, int offset, int length)
    {
        if (length == 0)
        {
            return "";
        }
        switch (mode)
        {
            case PoolMode.Intern:
            case PoolMode.Lookup:
                return Find(buffer, offset, length, add: mode == PoolMode.Intern);
            case PoolMode.Recent:
                int slot = Hash(buffer, offset, length) & (RecentSize - 1);
                string? cached = _recent[slot];
                if (cached is not null && Equal(cached, buffer, offset, length))
                {
                    return cached;
                }
                return _recent[slot] = new string(buffer, offset, length);
            default:
                return new string(buffer, offset, length);
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private string Find(char[] buffer, int offset, int length, bool add)
    {
        int hash = Hash(buffer, offset, length);
        int mask = _slots.Length - 1;
        int i = hash & mask;
        while (true)
        {
            string? existing = _slots[i];
            if (existing is null)
            {
                break;
            }
            if (_hashes[i] == hash && Equal(existing, buffer, offset, length))
            {
                LastId = _ids[i];
                return existing;
            }
            i = (i + 1) & mask;
        }
        var value = new string(buffer, offset, length);
        LastId = -1;
        if (add)
        {
            _slots[i] = value;
            _hashes[i] = hash;
            _ids[i] = LastId = _count;
            if (++_count * 2 > _slots.Length)
            {
                Grow();
            }
        }
        return value;
    }

    private void Grow()
    {
        var oldSlots = _slots;
        var oldHashes = _hashes;
        var oldIds = _ids;
        _slots = new string?[oldSlots.Length * 2];
        _hashes = new int[oldSlots.Length * 2];
        _ids = new int[oldSlots.Length * 2];
        int mask = _slots.Length - 1;
        for (int j = 0; j < oldSlots.Length; j++)
        {
            if (oldSlots[j] is null)
            {
                continue;
            }
            int i = oldHashes[j] & mask;
            while (_slots[i] is not null)
            {
                i = (i + 1) & mask;
            }
            _slots[i] = oldSlots[j];
            _hashes[i] = oldHashes[j];
            _ids[i] = oldIds[j];
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private static int Hash(char[] buffer, int offset, int length)
    {
        unchecked
        {
            uint h = 2166136261;
            for (int i = offset; i < offset + length; i++)
            {
                h = (h ^ buffer[i]) * 16777619;
            }
            h ^= h >> 15;
            h *= 0x2c1b3c6d;
            h ^= h >> 12;
            return (int)(h & 0x7FFFFFFF);
        }
    }

    private static int Hash(string value)
    {
        unchecked
        {
            uint h = 2166136261;
            foreach (char c in value)
            {
                h = (h ^ c) * 16777619;
            }
            h ^= h >> 15;
            h *= 0x2c1b3c6d;
            h ^= h >> 12;
            return (int)(h & 0x7FFFFFFF);
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private static bool Equal(string value, char[] buffer, int offset, int length)
    {
        if (value.Length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (value[i] != buffer[offset + i])
            {
                return false;
            }
        }
        return true;
    }
}
