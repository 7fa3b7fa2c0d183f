using System;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>Bytes that are not JSON. Carries no part of the body: it is roster data.</summary>
internal sealed class JsonSyntaxException : Exception
{
    public JsonSyntaxException()
        : base("The body is not well-formed JSON.")
    {
    }
}

/// <summary>
/// A forward-only reader over the UTF-8 bytes of one OneRoster answer, token by token and without a tree: it walks
/// objects and arrays, checks the structure of everything it passes (so a truncated or broken body is caught), and
/// decodes only the values asked for, into a reused character buffer. Scalars are read with the meaning the record
/// mapping has always given them: strings as they are, JSON booleans as "true"/"false", numbers as their invariant
/// text, null, objects and arrays as blank. Property names compare as raw bytes; escaped names are decoded first.
/// </summary>
internal sealed partial class Utf8JsonCursor
{
    /// <summary>The nesting Newtonsoft's reader allowed: deeper bodies were refused before and still are.</summary>
    private const int MaxDepth = 64;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private byte[] _bytes = Array.Empty<byte>();
    private int _pos;
    private int _end;
    private int _depth;
    // Whether the current container has had a member (the next one must follow a comma). One flag serves every
    // depth: a container closes only as the value of a member of the one around it, which has had a member then.
    private bool _afterMember;
    private int _nameStart;
    private int _nameLength;
    private bool _nameEscaped;
    private byte[] _nameScratch = new byte[64];
    private char[] _chars = new char[256];

    /// <summary>The characters of the last value read by <see cref="ReadText"/> or <see cref="ReadRef"/>.</summary>
    public char[] Chars => _chars;

    public int Position => _pos;

    /// <summary>Starts reading <paramref name="bytes"/> from <paramref name="start"/> up to <paramref name="end"/>.</summary>
    public void Reset(byte[] bytes, int start, int end)
    {
        _bytes = bytes;
        _pos = start;
        _end = end;
        _depth = 0;
    }

    /// <summary>The next significant byte, or 0 at the end, without consuming it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Peek()
    {
        SkipWhitespace();
        return _pos < _end ? _bytes[_pos] : (byte)0;
    }

    /// <summary>True when only whitespace is left.</summary>
    public bool AtEnd()
    {
        SkipWhitespace();
        return _pos >= _end;
    }

    /// <summary>Skips a UTF-8 byte order mark at the current position.</summary>
    public void SkipByteOrderMark()
    {
        if (_end - _pos >= 3 && _bytes[_pos] == 0xEF && _bytes[_pos + 1] == 0xBB && _bytes[_pos + 2] == 0xBF)
        {
            _pos += 3;
        }
    }

    /// <summary>Consumes '{'; then call <see cref="NextProperty"/> until it returns false.</summary>
    public void BeginObject() => Begin((byte)'{');

    /// <summary>Consumes '['; then call <see cref="NextElement"/> until it returns false.</summary>
    public void BeginArray() => Begin((byte)'[');

    [MethodImpl(HotPath.Optimize)]
    private void Begin(byte open)
    {
        if (Peek() != open || ++_depth > MaxDepth)
        {
            throw new JsonSyntaxException();
        }
        _pos++;
        _afterMember = false;
    }

    /// <summary>
    /// Moves to the next property of the current object and consumes its name and colon (the value is next: read
    /// or skip it before calling again); false, with the '}' consumed, when the object ends.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool NextProperty()
    {
        if (!NextInContainer((byte)'}'))
        {
            return false;
        }
        if (Peek() != '"')
        {
            throw new JsonSyntaxException();
        }
        _nameEscaped = ScanString(out _nameStart, out _nameLength);
        if (Peek() != ':')
        {
            throw new JsonSyntaxException();
        }
        _pos++;
        _afterMember = true;
        return true;
    }

    /// <summary>Moves to the next element of the current array (read or skip it before calling again); false, with the ']' consumed, at its end.</summary>
    [MethodImpl(HotPath.Optimize)]
    public bool NextElement()
    {
        if (!NextInContainer((byte)']'))
        {
            return false;
        }
        _afterMember = true;
        return true;
    }

    /// <summary>
    /// The step NextProperty and NextElement share: false, with <paramref name="closer"/> consumed and the depth left,
    /// when the container ends; otherwise true, past the comma that must separate this member from the one before
    /// (a comma followed by the closer is a syntax error).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NextInContainer(byte closer)
    {
        byte b = Peek();
        if (b == closer)
        {
            _pos++;
            _depth--;
            _afterMember = true;
            return false;
        }
        if (_afterMember)
        {
            if (b != ',')
            {
                throw new JsonSyntaxException();
            }
            _pos++;
            if (Peek() == closer)
            {
                throw new JsonSyntaxException();
            }
        }
        return true;
    }

    /// <summary>True when the current property's name is <paramref name="name"/> (UTF-8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool NameIs(byte[] name)
    {
        if (!_nameEscaped)
        {
            return _nameLength == name.Length && new ReadOnlySpan<byte>(_bytes, _nameStart, _nameLength).SequenceEqual(name);
        }
        return DecodedNameIs(name);
    }

    private bool DecodedNameIs(byte[] name)
    {
        string decoded = DecodeString(_nameStart, _nameLength, escaped: true);
        int count = Utf8.GetByteCount(decoded);
        if (count != name.Length)
        {
            return false;
        }
        if (_nameScratch.Length < count)
        {
            _nameScratch = new byte[count];
        }
        Utf8.GetBytes(decoded, 0, decoded.Length, _nameScratch, 0);
        return new ReadOnlySpan<byte>(_nameScratch, 0, count).SequenceEqual(name);
    }

    /// <summary>The current property's name as a string (for the rare names matched by text).</summary>
    public string Name() => DecodeString(_nameStart, _nameLength, _nameEscaped);

    /// <summary>Skips one value of any kind, checking its structure.</summary>
    [MethodImpl(HotPath.Optimize)]
    public void SkipValue()
    {
        byte b = Peek();
        switch (b)
        {
            case (byte)'{':
                BeginObject();
                while (NextProperty())
                {
                    SkipValue();
                }
                return;
            case (byte)'[':
                BeginArray();
                while (NextElement())
                {
                    SkipValue();
                }
                return;
            case (byte)'"':
                ScanString(out _, out _);
                return;
            default:
                ScanScalar(out _, out _);
                return;
        }
    }

    /// <summary>Skips one value and returns where it starts and ends (for values parsed again later).</summary>
    [MethodImpl(HotPath.Optimize)]
    public (int Start, int End) SkipValueRange()
    {
        SkipWhitespace();
        int start = _pos;
        SkipValue();
        return (start, _pos);
    }

    /// <summary>
    /// Reads one value as text into <see cref="Chars"/> and returns its length: a string as it is, true/false as
    /// "true"/"false", a number as its invariant text; null, objects and arrays (skipped) as blank.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadText()
    {
        byte b = Peek();
        if (b == '"')
        {
            bool escaped = ScanString(out int start, out int length);
            return DecodeInto(start, length, escaped);
        }
        if (b == '{' || b == '[')
        {
            SkipValue();
            return 0;
        }
        var kind = ScanScalar(out int s, out int e);
        return kind switch
        {
            ScalarKind.True => Put("true"),
            ScalarKind.False => Put("false"),
            ScalarKind.Number => Put(NumberText(s, e)),
            _ => 0,
        };
    }

    /// <summary>The value as a string (see <see cref="ReadText"/>).</summary>
    [MethodImpl(HotPath.Optimize | MethodImplOptions.NoInlining)]
    public string ReadTextString()
    {
        int length = ReadText();
        return length == 0 ? "" : new string(_chars, 0, length);
    }

    /// <summary>
    /// Reads one value as a GUIDRef into <see cref="Chars"/>: the text of its <c>sourcedId</c> when it is an object
    /// (the last one when repeated; the href is never read), else blank. Returns the length.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public int ReadRef()
    {
        if (Peek() != '{')
        {
            SkipValue();
            return 0;
        }
        BeginObject();
        int length = 0;
        while (NextProperty())
        {
            if (NameIs(RosterJsonNames.SourcedId))
            {
                length = ReadText();
            }
            else
            {
                SkipValue();
            }
        }
        return length;
    }

    /// <summary>The GUIDRef's sourcedId as a string (see <see cref="ReadRef"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public string ReadRefString()
    {
        int length = ReadRef();
        return length == 0 ? "" : new string(_chars, 0, length);
    }

    /// <summary>
    /// Consumes one value and describes it as a token for <see cref="DecodeToken"/>: a string (its content), a number,
    /// true or false; null, objects and arrays (checked and skipped) are blank.
    /// </summary>
    [MethodImpl(HotPath.Optimize | MethodImplOptions.NoInlining)]
    public JsonToken ScanToken()
    {
        byte b = Peek();
        if (b == '"')
        {
            bool escaped = ScanString(out int start, out int length);
            return new JsonToken(start, length, escaped ? JsonTokenKind.EscapedString : JsonTokenKind.String);
        }
        if (b == '{' || b == '[')
        {
            SkipValue();
            return default;
        }
        var kind = ScanScalar(out int s, out int e);
        return kind switch
        {
            ScalarKind.True => new JsonToken(s, e - s, JsonTokenKind.True),
            ScalarKind.False => new JsonToken(s, e - s, JsonTokenKind.False),
            ScalarKind.Number => new JsonToken(s, e - s, JsonTokenKind.Number),
            _ => default,
        };
    }

    /// <summary>Consumes one value as a GUIDRef: the token of its (last) <c>sourcedId</c> when it is an object, else blank.</summary>
    [MethodImpl(HotPath.Optimize)]
    public JsonToken ScanRefToken()
    {
        if (Peek() != '{')
        {
            SkipValue();
            return default;
        }
        BeginObject();
        JsonToken token = default;
        while (NextProperty())
        {
            if (NameIs(RosterJsonNames.SourcedId))
            {
                token = ScanToken();
            }
            else
            {
                SkipValue();
            }
        }
        return token;
    }

    /// <summary>The index in <paramref name="names"/> of the current property's name, or -1.</summary>
    [MethodImpl(HotPath.Optimize)]
    public int NameIndex(JsonFieldNames names)
    {
        if (!_nameEscaped)
        {
            return names.IndexOf(new ReadOnlySpan<byte>(_bytes, _nameStart, _nameLength));
        }
        for (int i = 0; i < names.Count; i++)
        {
            if (DecodedNameIs(names[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The text of a token read earlier from the same bytes (see <see cref="ReadText"/>) into <see cref="Chars"/>; returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DecodeToken(JsonToken token) => token.Kind switch
    {
        JsonTokenKind.String => DecodeInto(token.Start, token.Length, escaped: false),
        JsonTokenKind.EscapedString => DecodeInto(token.Start, token.Length, escaped: true),
        JsonTokenKind.True => Put("true"),
        JsonTokenKind.False => Put("false"),
        JsonTokenKind.Number => Put(NumberText(token.Start, token.Start + token.Length)),
        _ => 0,
    };

    private int Put(string text)
    {
        EnsureChars(text.Length);
        text.CopyTo(0, _chars, 0, text.Length);
        return text.Length;
    }

    private void EnsureChars(int length)
    {
        if (_chars.Length < length)
        {
            _chars = new char[Math.Max(length, _chars.Length * 2)];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SkipWhitespace()
    {
        while (_pos < _end)
        {
            byte b = _bytes[_pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                return;
            }
            _pos++;
        }
    }

    /// <summary>Consumes a string at the current position ('"' expected); returns whether it holds escapes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ScanString(out int start, out int length)
    {
        int pos = _pos;
        int after = ScanString(new ReadOnlySpan<byte>(_bytes, 0, _end), pos, out bool escaped);
        start = pos + 1;
        length = after - start - 1;
        _pos = after;
        return escaped;
    }

    /// <summary>
    /// The string at <paramref name="pos"/> ('"' expected, checked by the caller): returns the position past its
    /// closing quote and whether it holds escapes; throws at a bad escape or a missing closing quote. Positions go in
    /// and out by value so that the compact walk (<see cref="TryScanCompactObject"/>) shares this and still keeps its
    /// position in a register (a position passed by reference would live in memory for the whole walk).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScanString(ReadOnlySpan<byte> json, int pos, out bool escaped)
    {
        int at = pos + 1;
        int found = IndexOfQuoteOrBackslash(json, at);
        if (found >= 0 && json[at + found] == '"')
        {
            escaped = false;
            return at + found + 1;
        }
        escaped = true;
        return ScanEscapedString(json, at);
    }

    /// <summary>
    /// Where the first '"' or '\\' in <paramref name="json"/> from <paramref name="at"/> is
    /// (relative to <paramref name="at"/>), or -1. Most names and values in a record are shorter than 16 bytes: two
    /// 8-byte words tested in a few instructions find their end without the call and setup of the vectorized search,
    /// which takes over for longer strings (hrefs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IndexOfQuoteOrBackslash(ReadOnlySpan<byte> json, int at)
    {
        if (BitConverter.IsLittleEndian && json.Length - at >= 16)
        {
            var window = json.Slice(at, 16);
            int hit = QuoteOrBackslashIn(MemoryMarshal.Read<ulong>(window));
            if (hit < 8)
            {
                return hit;
            }
            hit = QuoteOrBackslashIn(MemoryMarshal.Read<ulong>(window.Slice(8)));
            if (hit < 8)
            {
                return 8 + hit;
            }
            int found = json.Slice(at + 16).IndexOfAny((byte)'"', (byte)'\\');
            return found < 0 ? -1 : 16 + found;
        }
        return json.Slice(at).IndexOfAny((byte)'"', (byte)'\\');
    }

    /// <summary>The index of the first '"' or '\\' among the 8 bytes of a little-endian word, or 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int QuoteOrBackslashIn(ulong word)
    {
        const ulong Ones = 0x0101010101010101, Highs = 0x8080808080808080;
        ulong quotes = word ^ (Ones * '"'), backslashes = word ^ (Ones * '\\');
        // A byte of quotes/backslashes is zero where the word holds that character, and (x - Ones) & ~x sets the high
        // bit of such a byte. A borrow can also mark bytes above it, never below: the lowest mark is the first hit.
        ulong hits = (((quotes - Ones) & ~quotes) | ((backslashes - Ones) & ~backslashes)) & Highs;
        if (hits == 0)
        {
            return 8;
        }
        // The lowest mark alone, moved to bit 0 of its byte (1 << 8k); the multiplication puts k in the top byte.
        ulong lowest = (hits & (~hits + 1)) >> 7;
        return (int)((lowest * 0x0001020304050607UL) >> 56);
    }

    /// <summary>The rest of a string that holds escapes (or is not closed), from <paramref name="at"/> inside it; see <see cref="ScanString(ReadOnlySpan{byte}, int, out bool)"/>.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static int ScanEscapedString(ReadOnlySpan<byte> json, int at)
    {
        while (true)
        {
            int found = json.Slice(at).IndexOfAny((byte)'"', (byte)'\\');
            if (found < 0)
            {
                throw new JsonSyntaxException();
            }
            at += found;
            if (json[at] == '"')
            {
                return at + 1;
            }
            if (at + 1 >= json.Length)
            {
                throw new JsonSyntaxException();
            }
            switch (json[at + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    at += 2;
                    break;
                case (byte)'u':
                    if (at + 6 > json.Length || Hex(json[at + 2]) < 0 || Hex(json[at + 3]) < 0 || Hex(json[at + 4]) < 0 || Hex(json[at + 5]) < 0)
                    {
                        throw new JsonSyntaxException();
                    }
                    at += 6;
                    break;
                default:
                    throw new JsonSyntaxException();
            }
        }
    }

    private enum ScalarKind : byte
    {
        Null,
        True,
        False,
        Number,
    }

    /// <summary>Consumes true, false, null or a number; anything else is not JSON.</summary>
    [MethodImpl(HotPath.Optimize)]
    private ScalarKind ScanScalar(out int start, out int end)
    {
        SkipWhitespace();
        start = _pos;
        if (_pos >= _end)
        {
            throw new JsonSyntaxException();
        }
        switch (_bytes[_pos])
        {
            case (byte)'t':
                Literal("true"u8);
                end = _pos;
                return ScalarKind.True;
            case (byte)'f':
                Literal("false"u8);
                end = _pos;
                return ScalarKind.False;
            case (byte)'n':
                Literal("null"u8);
                end = _pos;
                return ScalarKind.Null;
        }
        // -?digits(.digits)?([eE][+-]?digits)?
        if (_bytes[_pos] == '-')
        {
            _pos++;
        }
        if (Digits() == 0)
        {
            throw new JsonSyntaxException();
        }
        if (_pos < _end && _bytes[_pos] == '.')
        {
            _pos++;
            if (Digits() == 0)
            {
                throw new JsonSyntaxException();
            }
        }
        if (_pos < _end && (_bytes[_pos] == 'e' || _bytes[_pos] == 'E'))
        {
            _pos++;
            if (_pos < _end && (_bytes[_pos] == '+' || _bytes[_pos] == '-'))
            {
                _pos++;
            }
            if (Digits() == 0)
            {
                throw new JsonSyntaxException();
            }
        }
        end = _pos;
        return ScalarKind.Number;
    }

    private int Digits()
    {
        int start = _pos;
        while (_pos < _end && _bytes[_pos] >= '0' && _bytes[_pos] <= '9')
        {
            _pos++;
        }
        return _pos - start;
    }

    private void Literal(ReadOnlySpan<byte> literal)
    {
        if (_end - _pos < literal.Length || !new ReadOnlySpan<byte>(_bytes, _pos, literal.Length).SequenceEqual(literal))
        {
            throw new JsonSyntaxException();
        }
        _pos += literal.Length;
    }

    /// <summary>A number's text as Newtonsoft's reader turned it into a value and back: integers as they are, others through double.</summary>
    private string NumberText(int start, int end)
    {
        string raw = Encoding.ASCII.GetString(_bytes, start, end - start);
        bool integer = raw.IndexOfAny(new[] { '.', 'e', 'E' }) < 0;
        if (integer)
        {
            return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
                ? value.ToString(CultureInfo.InvariantCulture)
                : BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }
        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    private static int Hex(byte b) =>
        b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;

    /// <summary>Decodes a scanned string into <see cref="Chars"/>; returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int DecodeInto(int start, int length, bool escaped)
    {
        if (length == 0)
        {
            return 0;
        }
        EnsureChars(length);
        if (!escaped)
        {
            // Plain ASCII is the common case: widen it without the decoder.
            bool ascii = true;
            for (int i = 0; i < length; i++)
            {
                byte b = _bytes[start + i];
                if (b >= 0x80)
                {
                    ascii = false;
                    break;
                }
                _chars[i] = (char)b;
            }
            return ascii ? length : Utf8.GetChars(_bytes, start, length, _chars, 0);
        }
        return Unescape(start, length);
    }

    private int Unescape(int start, int length)
    {
        int end = start + length;
        int written = 0;
        int i = start;
        while (i < end)
        {
            int run = new ReadOnlySpan<byte>(_bytes, i, end - i).IndexOf((byte)'\\');
            int plain = run < 0 ? end - i : run;
            if (plain > 0)
            {
                written += Utf8.GetChars(_bytes, i, plain, _chars, written);
                i += plain;
            }
            if (run < 0)
            {
                break;
            }
            byte e = _bytes[i + 1];
            char c;
            switch (e)
            {
                case (byte)'b': c = '\b'; break;
                case (byte)'f': c = '\f'; break;
                case (byte)'n': c = '\n'; break;
                case (byte)'r': c = '\r'; break;
                case (byte)'t': c = '\t'; break;
                case (byte)'u':
                    c = (char)((Hex(_bytes[i + 2]) << 12) | (Hex(_bytes[i + 3]) << 8) | (Hex(_bytes[i + 4]) << 4) | Hex(_bytes[i + 5]));
                    i += 4;
                    break;
                default: c = (char)e; break;
            }
            _chars[written++] = c;
            i += 2;
        }
        return written;
    }

    private string DecodeString(int start, int length, bool escaped)
    {
        int count = DecodeInto(start, length, escaped);
        return count == 0 ? "" : new string(_chars, 0, count);
    }
}
