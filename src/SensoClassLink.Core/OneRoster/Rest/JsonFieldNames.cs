using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// The fields a record reader notes, by name (UTF-8), each marked when it is a GUIDRef. A name already scanned is
/// looked up in a small table by its length and first byte (one comparison instead of one per field); the compact
/// walk recognises a field's name where it starts, before searching for its end (<see cref="MatchCompact"/>).
/// </summary>
internal sealed class JsonFieldNames
{
    private const int NoField = -1, SharedSlot = -2;

    private readonly byte[][] _names;
    private readonly bool[] _refs;
    private readonly int[] _keys;
    private readonly int[] _slots = new int[64];

    // For MatchCompact: each field's `name":` (the name with the quote and colon that end it in the compact form) as
    // two little-endian words and the masks of the bytes that count, and per first byte the fields that start with it.
    private readonly ulong[] _heads0, _heads1, _masks0, _masks1;
    private readonly uint[] _byFirstByte = new uint[256];

    public JsonFieldNames(params (byte[] Name, bool IsRef)[] fields)
    {
        _names = Array.ConvertAll(fields, f => f.Name);
        _refs = Array.ConvertAll(fields, f => f.IsRef);
        _keys = Array.ConvertAll(_names, name => Key(name));
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i] = NoField;
        }
        for (int i = 0; i < _keys.Length; i++)
        {
            ref int slot = ref _slots[Slot(_keys[i])];
            slot = slot == NoField ? i : SharedSlot;
        }

        _heads0 = new ulong[fields.Length];
        _heads1 = new ulong[fields.Length];
        _masks0 = new ulong[fields.Length];
        _masks1 = new ulong[fields.Length];
        for (int i = 0; i < fields.Length && i < 32; i++)
        {
            byte[] name = _names[i];
            if (name.Length == 0 || name.Length + 2 > 16 || Array.IndexOf(name, (byte)'"') >= 0 || Array.IndexOf(name, (byte)'\\') >= 0)
            {
                continue; // left to the search and the table
            }
            var pattern = new byte[16];
            var mask = new byte[16];
            name.CopyTo(pattern, 0);
            pattern[name.Length] = (byte)'"';
            pattern[name.Length + 1] = (byte)':';
            for (int b = 0; b < name.Length + 2; b++)
            {
                mask[b] = 0xFF;
            }
            _heads0[i] = BitConverter.ToUInt64(pattern, 0);
            _heads1[i] = BitConverter.ToUInt64(pattern, 8);
            _masks0[i] = BitConverter.ToUInt64(mask, 0);
            _masks1[i] = BitConverter.ToUInt64(mask, 8);
            _byFirstByte[name[0]] |= 1u << i;
        }
    }

    public int Count => _names.Length;

    public byte[] this[int index] => _names[index];

    public bool IsRef(int index) => _refs[index];

    /// <summary>The index of the field named <paramref name="name"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOf(ReadOnlySpan<byte> name)
    {
        int key = Key(name);
        int field = _slots[Slot(key)];
        if (field >= 0)
        {
            return _keys[field] == key && name.SequenceEqual(_names[field]) ? field : NoField;
        }
        return field == NoField ? NoField : IndexOfShared(name, key);
    }

    /// <summary>
    /// For the compact walk: when the bytes at <paramref name="at"/> (just past a name's opening quote) are a field's
    /// name, its closing quote and a colon, the position past the colon and the field; else -1. The 16 bytes there
    /// are compared with each field of the same first byte at once: this skips the search for the name's end that
    /// the compact walk's time goes to (-1 also near the end of the body, or for a name that is none of the fields).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int MatchCompact(ReadOnlySpan<byte> json, int at, out int field)
    {
        field = NoField;
        if (!BitConverter.IsLittleEndian || json.Length - at < 16)
        {
            return -1;
        }
        var window = json.Slice(at, 16);
        ulong word0 = MemoryMarshal.Read<ulong>(window), word1 = MemoryMarshal.Read<ulong>(window.Slice(8));
        ulong[] heads0 = _heads0, heads1 = _heads1, masks0 = _masks0, masks1 = _masks1; // locals: no reloads
        int[] keys = _keys;
        uint candidates = _byFirstByte[(byte)word0];
        for (int i = 0; candidates != 0 && i < keys.Length && i < heads0.Length && i < heads1.Length && i < masks0.Length && i < masks1.Length; i++, candidates >>= 1)
        {
            if ((candidates & 1) != 0 && (((word0 ^ heads0[i]) & masks0[i]) | ((word1 ^ heads1[i]) & masks1[i])) == 0)
            {
                field = i;
                return at + (keys[i] >> 8) + 2; // the key holds the name's length (at hand, unlike _names[i].Length)
            }
        }
        return -1;
    }

    /// <summary>The rare case of two fields in one slot of the table (not so for the enrollment fields): each is tried.</summary>
    private int IndexOfShared(ReadOnlySpan<byte> name, int key)
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] == key && name.SequenceEqual(_names[i]))
            {
                return i;
            }
        }
        return NoField;
    }

    private static int Key(ReadOnlySpan<byte> name) => name.Length == 0 ? 0 : (name.Length << 8) | name[0];

    private static int Slot(int key) => ((key >> 8) * 7 + (key & 0xFF)) & 63;
}

/// <summary>The OneRoster property names the record readers match, as UTF-8.</summary>
internal static class RosterJsonNames
{
    public static readonly byte[] SourcedId = Encoding.UTF8.GetBytes("sourcedId");
    public static readonly byte[] Status = Encoding.UTF8.GetBytes("status");
    public static readonly byte[] Name = Encoding.UTF8.GetBytes("name");
    public static readonly byte[] Type = Encoding.UTF8.GetBytes("type");
    public static readonly byte[] Parent = Encoding.UTF8.GetBytes("parent");
    public static readonly byte[] EnabledUser = Encoding.UTF8.GetBytes("enabledUser");
    public static readonly byte[] Role = Encoding.UTF8.GetBytes("role");
    public static readonly byte[] Roles = Encoding.UTF8.GetBytes("roles");
    public static readonly byte[] Orgs = Encoding.UTF8.GetBytes("orgs");
    public static readonly byte[] Org = Encoding.UTF8.GetBytes("org");
    public static readonly byte[] Username = Encoding.UTF8.GetBytes("username");
    public static readonly byte[] GivenName = Encoding.UTF8.GetBytes("givenName");
    public static readonly byte[] FamilyName = Encoding.UTF8.GetBytes("familyName");
    public static readonly byte[] Email = Encoding.UTF8.GetBytes("email");
    public static readonly byte[] Identifier = Encoding.UTF8.GetBytes("identifier");
    public static readonly byte[] Title = Encoding.UTF8.GetBytes("title");
    public static readonly byte[] ClassCode = Encoding.UTF8.GetBytes("classCode");
    public static readonly byte[] Periods = Encoding.UTF8.GetBytes("periods");
    public static readonly byte[] School = Encoding.UTF8.GetBytes("school");
    public static readonly byte[] Course = Encoding.UTF8.GetBytes("course");
    public static readonly byte[] Class = Encoding.UTF8.GetBytes("class");
    public static readonly byte[] User = Encoding.UTF8.GetBytes("user");
    public static readonly byte[] BeginDate = Encoding.UTF8.GetBytes("beginDate");
    public static readonly byte[] EndDate = Encoding.UTF8.GetBytes("endDate");
    public static readonly byte[] StartDate = Encoding.UTF8.GetBytes("startDate");
    public static readonly byte[] Terms = Encoding.UTF8.GetBytes("terms");
}
