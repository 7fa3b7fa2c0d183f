using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SensoClassLink.Core.OneRoster;

/// <summary>How <see cref="CsvStringPool"/> treats one column's values.</summary>
internal enum PoolMode : byte
{
    /// <summary>A new string per value (names, emails, row ids).</summary>
    None,
    /// <summary>A record's own sourcedId: given a pool id (<see cref="CsvStringPool.LastId"/>) and one string that later lookups reuse.</summary>
    Intern,
    /// <summary>
    /// A record's own sourcedId when the caller keeps no string for it (the engine's users fast path): given a pool id,
    /// its characters stored in the arena only; the string returned is a new one each time.
    /// </summary>
    InternChars,
    /// <summary>A reference to a sourcedId (enrollment user/class): its pool id, when known, in <see cref="CsvStringPool.LastId"/>, and the pooled string when there is one.</summary>
    Lookup,
    /// <summary>
    /// A reference whose text the caller does not need: only its pool id (of the value, else of the value trimmed) in
    /// <see cref="CsvStringPool.LastId"/>; the string returned is empty, so nothing is allocated.
    /// </summary>
    IdOnly,
    /// <summary>Few distinct values (role, status, dates, school): a small direct-mapped cache.</summary>
    Recent,
}

/// <summary>
/// Gives every distinct sourcedId the CSV reader meets (users, classes, orgs) a dense int id, so enrollment rows
/// resolve their user and class to ids straight from the parser's buffer without allocating. The ids' characters
/// live in arenas of 64K-character chunks, one byte per character when every character of the id is below U+0100
/// (sourcedIds are GUIDs or ASCII codes: half the bytes), two otherwise; a .NET string is kept only for ids read in <see cref="PoolMode.Intern"/>
/// mode (record readers that hand out strings). The engine's users fast path uses <see cref="PoolMode.InternChars"/>:
/// at 10M enrollments that is 1.15M fewer long-lived objects for the garbage collector to promote and mark, and
/// about half the bytes. Memory: the characters (mostly one byte each), 8 bytes per id and 8 per hash slot (at most three quarters full).
/// </summary>
internal sealed class CsvStringPool
{
    private const int RecentSize = 1024;
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    /// <summary>Per-id data lives in pages of this many ids: no doubling slack and no copy as the pool grows.</summary>
    private const int PageBits = 13;
    private const int PageSize = 1 << PageBits;

    /// <summary>
    /// Per hash slot: the id's hash in the high half and id + 1 in the low half (0 = empty). One array, not two: a
    /// probe of the 1.45M-id table at 10M enrollments misses the cache once instead of twice (two lookups per enrollment).
    /// </summary>
    private long[] _slots = new long[1024];
    /// <summary>
    /// Per id, paged: where its characters start (chunk &lt;&lt; 16 | position) in the low half, how many there are in the
    /// high half, with the top bit set when they are kept as chars (<see cref="_chunks"/>) rather than bytes (<see cref="_narrow"/>).
    /// </summary>
    private readonly List<long[]> _spans = new();
    /// <summary>
    /// Per id, paged: the string handed out for it in Intern mode, null when it lives in the arena only. A page is made
    /// when its first such string is: the users of the engine's fast path (InternChars, most ids) need none.
    /// </summary>
    private readonly List<string?[]?> _values = new();
    private readonly List<char[]?> _chunks = new();
    private int _used = ChunkSize;
    /// <summary>
    /// The characters of ids whose every character is below U+0100, one byte each, in chunks of 64K bytes. Measured at
    /// 2M enrollments, 128K-byte chunks (made in the large object heap like the char chunks) peaked about 8 MB higher.
    /// </summary>
    private readonly List<byte[]> _narrow = new();
    private const int NarrowBits = 16;
    private const int NarrowSize = 1 << NarrowBits;
    private int _narrowUsed = NarrowSize;
    private const int WideFlag = int.MinValue;
    private int _count;
    private readonly string?[] _recent = new string?[RecentSize];

    /// <summary>How many ids were interned; they are 0..Count-1.</summary>
    public int Count => _count;

    /// <summary>The id the last Intern/Lookup found or added, or -1 when it was not pooled.</summary>
    public int LastId { get; set; } = -1;

    /// <summary>The id of <paramref name="value"/>, or -1.</summary>
    public int IdOf(string value) => IdOf(value.AsSpan());

    /// <summary>
    /// Forgets every id and frees the arena and tables (strings already handed out stay valid); ids start again
    /// from 0. At 10M enrollments the pool is the largest structure of a read, and nothing needs it once the
    /// engine has resolved the enrollments.
    /// </summary>
    public void Clear()
    {
        _slots = new long[1024];
        _spans.Clear();
        _spans.TrimExcess();
        _values.Clear();
        _values.TrimExcess();
        _chunks.Clear();
        _chunks.TrimExcess();
        _used = ChunkSize;
        _narrow.Clear();
        _narrow.TrimExcess();
        _narrowUsed = NarrowSize;
        _count = 0;
        LastId = -1;
    }

    /// <summary>The id of <paramref name="value"/>, or -1.</summary>
    [MethodImpl(HotPath.Optimize)]
    public int IdOf(ReadOnlySpan<char> value)
    {
        if (value.Length == 0)
        {
            return -1;
        }
        int hash = Hash(value);
        var slots = _slots;
        int mask = slots.Length - 1;
        for (int i = hash & mask; slots[i] != 0; i = (i + 1) & mask)
        {
            long slot = slots[i];
            if ((int)(slot >> 32) == hash && Equal((int)slot - 1, value))
            {
                return (int)slot - 1;
            }
        }
        return -1;
    }

    /// <summary>
    /// <see cref="IdOf(ReadOnlySpan{char})"/> of a value given as UTF-8 bytes that are all ASCII, without decoding it
    /// (the REST rows' user and class refs). <paramref name="ascii"/> is false, and the id -1, when a byte is 0x80 or
    /// more or the machine is big-endian: the caller then decodes the value and asks <see cref="IdOf(ReadOnlySpan{char})"/>.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public int IdOfAscii(ReadOnlySpan<byte> utf8, out bool ascii)
    {
        ascii = false;
        if (!BitConverter.IsLittleEndian)
        {
            return -1;
        }
        int hash = HashAscii(utf8, out ascii);
        if (!ascii || utf8.Length == 0)
        {
            return -1;
        }
        var slots = _slots;
        int mask = slots.Length - 1;
        for (int i = hash & mask; slots[i] != 0; i = (i + 1) & mask)
        {
            long slot = slots[i];
            if ((int)(slot >> 32) == hash && EqualAscii((int)slot - 1, utf8))
            {
                return (int)slot - 1;
            }
        }
        return -1;
    }

    /// <summary>Whether value <paramref name="id"/> is the ASCII <paramref name="utf8"/>: only a narrow value can be (a wide one holds a character above U+00FF).</summary>
    private bool EqualAscii(int id, ReadOnlySpan<byte> utf8)
    {
        long span = _spans[id >> PageBits][id & (PageSize - 1)];
        return (int)(span >> 32) == utf8.Length
            && new ReadOnlySpan<byte>(_narrow[(int)span >> NarrowBits], (int)span & (NarrowSize - 1), utf8.Length).SequenceEqual(utf8);
    }

    /// <summary>Adds a value (if absent) and returns its id.</summary>
    public int InternId(string value) => Intern(value.AsSpan());

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
                int interned = LastId = Intern(new ReadOnlySpan<char>(buffer, offset, length));
                return (_values[interned >> PageBits] ??= new string?[PageSize])[interned & (PageSize - 1)] ??= new string(buffer, offset, length);
            case PoolMode.InternChars:
                LastId = Intern(new ReadOnlySpan<char>(buffer, offset, length));
                return new string(buffer, offset, length);
            case PoolMode.Lookup:
                int found = LastId = IdOf(new ReadOnlySpan<char>(buffer, offset, length));
                return found >= 0 && _values[found >> PageBits]?[found & (PageSize - 1)] is { } pooled ? pooled : new string(buffer, offset, length);
            case PoolMode.IdOnly:
                var value = new ReadOnlySpan<char>(buffer, offset, length);
                int id = IdOf(value);
                if (id < 0)
                {
                    var trimmed = value.Trim();
                    if (trimmed.Length != value.Length)
                    {
                        id = IdOf(trimmed);
                    }
                }
                LastId = id;
                return "";
            case PoolMode.Recent:
                int slot = Hash(new ReadOnlySpan<char>(buffer, offset, length)) & (RecentSize - 1);
                string? cached = _recent[slot];
                if (cached is not null && cached.AsSpan().SequenceEqual(new ReadOnlySpan<char>(buffer, offset, length)))
                {
                    return cached;
                }
                return _recent[slot] = new string(buffer, offset, length);
            default:
                return new string(buffer, offset, length);
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private int Intern(ReadOnlySpan<char> value)
    {
        int hash = Hash(value);
        int mask = _slots.Length - 1;
        int i = hash & mask;
        for (; _slots[i] != 0; i = (i + 1) & mask)
        {
            long slot = _slots[i];
            if ((int)(slot >> 32) == hash && Equal((int)slot - 1, value))
            {
                return (int)slot - 1;
            }
        }
        int id = _count;
        if ((id & (PageSize - 1)) == 0)
        {
            _spans.Add(new long[PageSize]);
            _values.Add(null);
        }
        _spans[id >> PageBits][id & (PageSize - 1)] = value.Length <= NarrowSize && IsNarrow(value)
            ? (uint)StoreNarrow(value) | ((long)value.Length << 32)
            : (uint)Store(value) | ((long)(value.Length | WideFlag) << 32);
        _slots[i] = ((long)hash << 32) | (uint)(id + 1);
        // Linear probing up to three quarters full: a hit takes about two probes on neighbouring slots, and the table
        // is half the size it would be at half full (at 10M enrollments, 16 MB instead of 32).
        if (++_count * 4 > _slots.Length * 3)
        {
            Grow();
        }
        return id;
    }

    /// <summary>Copies the characters into the arena; returns where they start.</summary>
    private int Store(ReadOnlySpan<char> value)
    {
        if (value.Length > ChunkSize)
        {
            // Longer than a chunk (a pathological export): a chunk of its own, spanning as many chunk numbers as it needs.
            int first = _chunks.Count;
            _chunks.Add(value.ToArray());
            for (int n = ChunkSize; n < value.Length; n += ChunkSize)
            {
                _chunks.Add(null);
            }
            _used = ChunkSize;
            return first << ChunkBits;
        }
        if (_used + value.Length > ChunkSize)
        {
            _chunks.Add(new char[ChunkSize]);
            _used = 0;
        }
        int chunk = _chunks.Count - 1;
        value.CopyTo(new Span<char>(_chunks[chunk], _used, value.Length));
        int start = (chunk << ChunkBits) | _used;
        _used += value.Length;
        return start;
    }

    private static bool IsNarrow(ReadOnlySpan<char> value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] > '\u00FF')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Copies the characters, one byte each, into the narrow arena; returns where they start.</summary>
    private int StoreNarrow(ReadOnlySpan<char> value)
    {
        if (_narrowUsed + value.Length > NarrowSize)
        {
            _narrow.Add(new byte[NarrowSize]);
            _narrowUsed = 0;
        }
        int chunk = _narrow.Count - 1;
        var bytes = _narrow[chunk];
        for (int i = 0; i < value.Length; i++)
        {
            bytes[_narrowUsed + i] = (byte)value[i];
        }
        int start = (chunk << NarrowBits) | _narrowUsed;
        _narrowUsed += value.Length;
        return start;
    }

    [MethodImpl(HotPath.Optimize)]
    private bool Equal(int id, ReadOnlySpan<char> value)
    {
        long span = _spans[id >> PageBits][id & (PageSize - 1)];
        int length = (int)(span >> 32);
        if (length == value.Length)
        {
            // Kept as bytes: a value with a character above U+00FF never matches, as no byte reaches it. Four at a
            // time: four bytes spread to four 16-bit lanes against four chars (any byte order: both reads are native).
            var bytes = new ReadOnlySpan<byte>(_narrow[(int)span >> NarrowBits], (int)span & (NarrowSize - 1), value.Length);
            var chars = MemoryMarshal.AsBytes(value);
            int i = 0;
            for (; i + 4 <= value.Length; i += 4)
            {
                ulong four = MemoryMarshal.Read<uint>(bytes.Slice(i));
                four = (four & 0xFF) | ((four & 0xFF00) << 8) | ((four & 0xFF0000) << 16) | ((four & 0xFF000000) << 24);
                if (four != MemoryMarshal.Read<ulong>(chars.Slice(i * 2)))
                {
                    return false;
                }
            }
            for (; i < value.Length; i++)
            {
                if (bytes[i] != value[i])
                {
                    return false;
                }
            }
            return true;
        }
        return length == (value.Length | WideFlag)
            && new ReadOnlySpan<char>(_chunks[(int)span >> ChunkBits], (int)span & (ChunkSize - 1), value.Length).SequenceEqual(value);
    }

    private void Grow()
    {
        var oldSlots = _slots;
        _slots = new long[oldSlots.Length * 2];
        int mask = _slots.Length - 1;
        for (int j = 0; j < oldSlots.Length; j++)
        {
            if (oldSlots[j] == 0)
            {
                continue;
            }
            int i = (int)(oldSlots[j] >> 32) & mask;
            while (_slots[i] != 0)
            {
                i = (i + 1) & mask;
            }
            _slots[i] = oldSlots[j];
        }
    }

    private const ulong Multiplier = 0x9E3779B97F4A7C15;

    /// <summary>
    /// A 31-bit hash of the characters, four at a time (a 36-character GUID is 9 multiplies, not 36). Only ever compared
    /// within one pool, never stored: the ids are given in the order values are first met, whatever their hashes.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    private static int Hash(ReadOnlySpan<char> value)
    {
        unchecked
        {
            ulong h = (ulong)value.Length * Multiplier;
            var bytes = MemoryMarshal.AsBytes(value);
            int i = 0;
            for (; i + 8 <= bytes.Length; i += 8)
            {
                h = Step(h, MemoryMarshal.Read<ulong>(bytes.Slice(i)));
            }
            for (i /= 2; i < value.Length; i++)
            {
                h = Step(h, value[i]);
            }
            return Finish(h);
        }
    }

    /// <summary>
    /// <see cref="Hash(ReadOnlySpan{char})"/> of the characters an ASCII UTF-8 value spells (each character is its byte):
    /// four bytes spread to the four 16-bit lanes the characters' block would hold on a little-endian machine.
    /// <paramref name="ascii"/> is false when a byte is 0x80 or more (the hash then means nothing).
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    private static int HashAscii(ReadOnlySpan<byte> utf8, out bool ascii)
    {
        unchecked
        {
            ulong h = (ulong)utf8.Length * Multiplier;
            uint high = 0;
            int i = 0;
            for (; i + 4 <= utf8.Length; i += 4)
            {
                ulong four = MemoryMarshal.Read<uint>(utf8.Slice(i));
                high |= (uint)four;
                h = Step(h, (four & 0xFF) | ((four & 0xFF00) << 8) | ((four & 0xFF0000) << 16) | ((four & 0xFF000000) << 24));
            }
            for (; i < utf8.Length; i++)
            {
                high |= utf8[i];
                h = Step(h, utf8[i]);
            }
            ascii = (high & 0x80808080) == 0;
            return Finish(h);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Step(ulong h, ulong block)
    {
        unchecked
        {
            h = (h ^ block) * Multiplier;
            return h ^ (h >> 29);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Finish(ulong h)
    {
        unchecked
        {
            h ^= h >> 32;
            h *= 0x2c1b3c6d;
            h ^= h >> 28;
            return (int)(h & 0x7FFFFFFF);
        }
    }
}
