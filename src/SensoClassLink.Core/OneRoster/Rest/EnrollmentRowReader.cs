using System;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// The engine's enrollment rows from OneRoster JSON. While a page is checked (on the fetching thread) each enrollment's
/// few fields the rules need are noted as tokens (where the value sits in the body, and what kind it is); the
/// consuming thread then turns those tokens straight into the reused row: the user and class GUIDRefs become pool ids
/// without a string, status, role and dates come from the pool's small cache of repeating values, and the sourcedId is
/// only hashed for deduplication. Values mean exactly what <see cref="RosterCollections.Enrollments"/> gives the same record.
/// </summary>
internal static class EnrollmentRowReader
{
    /// <summary>Tokens noted per enrollment.</summary>
    public const int Fields = 7;

    private const int SourcedId = 0, Status = 1, Class = 2, User = 3, Role = 4, BeginDate = 5, EndDate = 6;

    /// <summary>The fields noted, in their order on the tape; class and user are GUIDRefs (their sourcedId is noted).</summary>
    private static readonly JsonFieldNames Names = new(
        (RosterJsonNames.SourcedId, false),
        (RosterJsonNames.Status, false),
        (RosterJsonNames.Class, true),
        (RosterJsonNames.User, true),
        (RosterJsonNames.Role, false),
        (RosterJsonNames.BeginDate, false),
        (RosterJsonNames.EndDate, false));

    /// <summary>Walks one enrollment (the cursor at its '{'), checking it, and notes its tokens into <paramref name="tokens"/> (blank on entry; see <see cref="TokenTapePool.Note"/>).</summary>
    [MethodImpl(HotPath.Optimize)]
    public static void Index(Utf8JsonCursor r, Span<JsonToken> tokens)
    {
        // The shape of the records before, else the compact walk (both note what the general walk notes).
        if (r.TryScanRecord(Names, tokens))
        {
            return;
        }
        // Not in the compact form (or broken): the general walk checks it and notes the same tokens from the start.
        tokens.Clear();
        r.BeginObject();
        while (r.NextProperty())
        {
            int field = r.NameIndex(Names);
            if (field < 0)
            {
                r.SkipValue();
            }
            else
            {
                tokens[field] = Names.IsRef(field) ? r.ScanRefToken() : r.ScanToken();
            }
        }
    }

    /// <summary>
    /// The record's sourcedId as <see cref="SourcedIdSet.Hash(ReadOnlySpan{char})"/> hashes it: a plain ASCII string
    /// (the usual id) straight from its bytes, anything else decoded first, so escapes mean what they say.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public static ulong SourcedIdHash(Utf8JsonCursor r, byte[] bytes, JsonToken[] tape, int record)
    {
        JsonToken token = tape[record * Fields + SourcedId];
        if (token.Kind == JsonTokenKind.String && SourcedIdSet.TryHashAscii(new ReadOnlySpan<byte>(bytes, token.Start, token.Length), out ulong hash))
        {
            return hash;
        }
        return SourcedIdSet.Hash(new ReadOnlySpan<char>(r.Chars, 0, r.DecodeToken(token)));
    }

    /// <summary>
    /// Fills <paramref name="row"/> from the noted tokens in <paramref name="bytes"/> (the caller has deduplicated the
    /// record by <see cref="SourcedIdHash"/>). Status, role and dates repeat from row to row: a value spelled with the
    /// same bytes as the last one is taken from <paramref name="recent"/> without decoding it again.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public static void Read(Utf8JsonCursor r, byte[] bytes, JsonToken[] tape, int record, PooledEnrollmentRow row, CsvStringPool pool, RecentFieldValues recent)
    {
        int at = record * Fields;
        JsonToken token = tape[at + Status];
        if (!recent.TryGet(0, bytes, token, out row.Status))
        {
            recent.Keep(0, bytes, token, row.Status = pool.Get(PoolMode.Recent, r.Chars, 0, r.DecodeToken(token)));
        }
        row.ClassId = IdOf(r, bytes, tape[at + Class], pool);
        row.UserId = IdOf(r, bytes, tape[at + User], pool);
        token = tape[at + Role];
        if (!recent.TryGet(1, bytes, token, out row.Role))
        {
            recent.Keep(1, bytes, token, row.Role = Trimmed(pool, r.Chars, r.DecodeToken(token)));
        }
        token = tape[at + BeginDate];
        if (!recent.TryGet(2, bytes, token, out row.BeginDate))
        {
            recent.Keep(2, bytes, token, row.BeginDate = Date(pool, r.Chars, r.DecodeToken(token)));
        }
        token = tape[at + EndDate];
        if (!recent.TryGet(3, bytes, token, out row.EndDate))
        {
            recent.Keep(3, bytes, token, row.EndDate = Date(pool, r.Chars, r.DecodeToken(token)));
        }
    }

    /// <summary>A ref's pool id: a plain ASCII string (the usual sourcedId) straight from its bytes, anything else decoded first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IdOf(Utf8JsonCursor r, byte[] bytes, JsonToken token, CsvStringPool pool)
    {
        if (token.Kind == JsonTokenKind.String)
        {
            int id = pool.IdOfAscii(new ReadOnlySpan<byte>(bytes, token.Start, token.Length), out bool ascii);
            if (ascii)
            {
                return id;
            }
        }
        return pool.IdOf(new ReadOnlySpan<char>(r.Chars, 0, r.DecodeToken(token)));
    }

    /// <summary>The role trimmed (the rules compare it ignoring case, as the record's lower-cased role).</summary>
    [MethodImpl(HotPath.Optimize)]
    private static string Trimmed(CsvStringPool pool, char[] chars, int length)
    {
        int start = 0;
        while (start < length && char.IsWhiteSpace(chars[start]))
        {
            start++;
        }
        while (length > start && char.IsWhiteSpace(chars[length - 1]))
        {
            length--;
        }
        return pool.Get(PoolMode.Recent, chars, start, length - start);
    }

    /// <summary>A date as <see cref="OneRosterValues.NormalizeDate"/> gives it; plain YYYY-MM-DD (the usual case) without a new string.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static string Date(CsvStringPool pool, char[] chars, int length)
    {
        if (length <= 10)
        {
            // Ten characters or fewer are a YYYY-MM-DD date or unreadable: both are kept as they are.
            return pool.Get(PoolMode.Recent, chars, 0, length);
        }
        string normalized = OneRosterValues.NormalizeDate(new string(chars, 0, length));
        return normalized.Length == 10 ? pool.Get(PoolMode.Recent, normalized.ToCharArray(), 0, 10) : normalized;
    }
}

/// <summary>
/// The last value read for each of a few repeating fields, kept with the raw bytes it was read from (up to 16): the
/// same bytes always read as the same value, and comparing them is cheaper than decoding the token and finding its
/// string. Only plain strings (no escapes) and absent or blank values are kept. One per reader; not thread-safe.
/// </summary>
internal sealed class RecentFieldValues
{
    private const int Slots = 4, MaxBytes = 16;
    private readonly byte[] _bytes = new byte[Slots * MaxBytes];
    private readonly int[] _lengths = { -1, -1, -1, -1 };
    private readonly JsonTokenKind[] _kinds = new JsonTokenKind[Slots];
    private readonly string[] _values = { "", "", "", "" };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(int slot, byte[] body, JsonToken token, out string value)
    {
        if (token.Length == _lengths[slot] && token.Kind == _kinds[slot]
            && new ReadOnlySpan<byte>(body, token.Start, token.Length).SequenceEqual(new ReadOnlySpan<byte>(_bytes, slot * MaxBytes, token.Length)))
        {
            value = _values[slot];
            return true;
        }
        value = "";
        return false;
    }

    public void Keep(int slot, byte[] body, JsonToken token, string value)
    {
        if ((token.Kind != JsonTokenKind.String && token.Kind != JsonTokenKind.Blank) || token.Length > MaxBytes)
        {
            _lengths[slot] = -1;
            return;
        }
        Buffer.BlockCopy(body, token.Start, _bytes, slot * MaxBytes, token.Length);
        _lengths[slot] = token.Length;
        _kinds[slot] = token.Kind;
        _values[slot] = value;
    }
}
