using System;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>The cursor's fast walk over records in the compact form servers send (see <see cref="TryScanCompactObject"/>).</summary>
internal sealed partial class Utf8JsonCursor
{
    /// <summary>
    /// Walks one object (the cursor at its '{') in the compact form servers send, noting into
    /// <paramref name="tokens"/> what a walk with <see cref="NextProperty"/>, <see cref="NameIndex"/> and
    /// <see cref="ScanToken"/> (<see cref="ScanRefToken"/> for the GUIDRef fields) would note, and returns true with
    /// the object consumed. Returns false, the cursor left where it was, when the object holds anything else:
    /// whitespace, an escaped name, a number, an array, an object inside an object member, or a syntax error. The
    /// caller then walks the object with those general calls, which check and note everything; so this walk never
    /// refuses a body by itself (except through <see cref="ScanString(ReadOnlySpan{byte}, int, out bool)"/>, which the
    /// general walk would reach and throw in just the same way). It exists because the general calls keep their
    /// state in fields and cost a call or more per token: on a page of enrollments this walk takes two thirds of the time.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public bool TryScanCompactObject(JsonFieldNames names, Span<JsonToken> tokens)
    {
        // A span that ends where the body does: its bounds checks are the end-of-body checks (one compare for both).
        var json = new ReadOnlySpan<byte>(_bytes, 0, _end);
        int pos = _pos;
        // The object and a GUIDRef in it are two levels down; nearer the limit the general walk counts them.
        if (_depth + 2 > MaxDepth || pos >= json.Length || json[pos] != '{')
        {
            return false;
        }
        pos++;
        if (pos < json.Length && json[pos] == '}')
        {
            pos++;
        }
        else
        {
            while (true)
            {
                pos = CompactMemberName(json, pos, names, out int field);
                if (pos < 0 || pos >= json.Length)
                {
                    return false;
                }
                JsonToken token;
                if (json[pos] == '{')
                {
                    // ScanRefToken notes the sourcedId; ScanToken notes an object as blank.
                    pos = CompactFlatObject(json, pos, out token);
                    if (field >= 0 && !names.IsRef(field))
                    {
                        token = default;
                    }
                }
                else
                {
                    pos = CompactScalar(json, pos, out token);
                    if (field >= 0 && names.IsRef(field))
                    {
                        token = default; // a GUIDRef that is not an object is blank
                    }
                }
                if (pos < 0 || pos >= json.Length)
                {
                    return false;
                }
                if (field >= 0)
                {
                    tokens[field] = token;
                }
                byte next = json[pos++];
                if (next == '}')
                {
                    break;
                }
                if (next != ',')
                {
                    return false;
                }
            }
        }
        _pos = pos;
        _afterMember = true; // as when the general walk closes it
        return true;
    }

    /// <summary>
    /// For the compact walk, an object of strings and literals (a GUIDRef, plain metadata) at <paramref name="pos"/>:
    /// the position past it, or -1; <paramref name="sourcedId"/> is the token of its last sourcedId.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CompactFlatObject(ReadOnlySpan<byte> json, int pos, out JsonToken sourcedId)
    {
        sourcedId = default;
        pos++; // '{'
        if (pos < json.Length && json[pos] == '}')
        {
            return pos + 1;
        }
        while (true)
        {
            pos = CompactName(json, pos, out int nameStart, out int nameLength);
            if (pos < 0)
            {
                return -1;
            }
            pos = CompactScalar(json, pos, out JsonToken token);
            if (pos < 0 || pos >= json.Length)
            {
                return -1;
            }
            if (json.Slice(nameStart, nameLength).SequenceEqual("sourcedId"u8)) // a literal: compared inline
            {
                sourcedId = token;
            }
            byte next = json[pos++];
            if (next == '}')
            {
                return pos;
            }
            if (next != ',')
            {
                return -1;
            }
        }
    }

    /// <summary>
    /// For the compact walk, a property name and its colon at <paramref name="pos"/>: the position past the colon and
    /// the name's index in <paramref name="names"/> (or -1), or -1 when the name is not plain. A name of
    /// <paramref name="names"/> is recognised where it starts (<see cref="JsonFieldNames.MatchCompact"/>); other names
    /// are searched for their end and looked up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CompactMemberName(ReadOnlySpan<byte> json, int pos, JsonFieldNames names, out int field)
    {
        field = -1;
        if (pos < json.Length && json[pos] == '"')
        {
            int after = names.MatchCompact(json, pos + 1, out field);
            if (after >= 0)
            {
                return after;
            }
        }
        pos = CompactName(json, pos, out int nameStart, out int nameLength);
        if (pos >= 0)
        {
            field = names.IndexOf(json.Slice(nameStart, nameLength));
        }
        return pos;
    }

    /// <summary>For the compact walk, a property name without escapes and its colon at <paramref name="pos"/>: the position past the colon, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CompactName(ReadOnlySpan<byte> json, int pos, out int start, out int length)
    {
        start = pos + 1;
        length = 0;
        if (pos >= json.Length || json[pos] != '"')
        {
            return -1;
        }
        int found = IndexOfQuoteOrBackslash(json, start);
        int quote = start + found;
        if (found < 0 || json[quote] != '"' || quote + 1 >= json.Length || json[quote + 1] != ':')
        {
            return -1;
        }
        length = found;
        return quote + 2;
    }

    /// <summary>For the compact walk, a string or literal at <paramref name="pos"/> and its token as <see cref="ScanToken"/> notes it: the position past it, or -1 for anything else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CompactScalar(ReadOnlySpan<byte> json, int pos, out JsonToken token)
    {
        token = default;
        if (pos >= json.Length)
        {
            return -1;
        }
        switch (json[pos])
        {
            case (byte)'"':
                int after = ScanString(json, pos, out bool escaped);
                token = new JsonToken(pos + 1, after - pos - 2, escaped ? JsonTokenKind.EscapedString : JsonTokenKind.String);
                return after;
            case (byte)'t' when json.Length - pos >= 4 && json.Slice(pos, 4).SequenceEqual("true"u8):
                token = new JsonToken(pos, 4, JsonTokenKind.True);
                return pos + 4;
            case (byte)'f' when json.Length - pos >= 5 && json.Slice(pos, 5).SequenceEqual("false"u8):
                token = new JsonToken(pos, 5, JsonTokenKind.False);
                return pos + 5;
            case (byte)'n' when json.Length - pos >= 4 && json.Slice(pos, 4).SequenceEqual("null"u8):
                return pos + 4;
            default:
                return -1;
        }
    }
}
