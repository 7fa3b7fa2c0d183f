using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// The cursor's shape-predicted walk over records (see <see cref="TryScanRecord"/>). Servers write every record of a
/// page with the same names in the same order, so once the compact walk has parsed one record, the next ones are
/// its bytes with other string values: comparing the bytes between the values and finding each value's closing quote
/// is all that is left to do, without looking at a name or a structure byte one at a time.
/// </summary>
internal sealed partial class Utf8JsonCursor
{
    /// <summary>Shapes learned per cursor at most (the page check makes one per page): pages whose records differ stop paying for learning.</summary>
    private const int MaxShapeLearns = 8;

    private RecordShape? _shape;
    private int _shapeMisses;
    private int _shapeLearnsLeft = MaxShapeLearns;

    /// <summary>Records walked by the shape alone (tests read it, so that the fast path cannot silently stop being taken).</summary>
    internal int ShapedRecords { get; private set; }

    /// <summary>
    /// Walks one object (the cursor at its '{') as <see cref="TryScanCompactObject"/> does, noting the same tokens
    /// into <paramref name="tokens"/> (blank on entry) and returning false, the cursor left where it was, in just the
    /// same cases (the tokens then hold what the compact walk noted before it gave up, for the caller to clear as
    /// before). It first tries the shape learned from an earlier record; a record the compact walk parses teaches the
    /// shape when there is none yet, or when the shape has missed twice running (the records have changed, not merely
    /// one odd record among them). The shape lives on the cursor: the page check makes one cursor per page, so pages
    /// checked at once on several threads never share one.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public bool TryScanRecord(JsonFieldNames names, Span<JsonToken> tokens)
    {
        var shape = _shape;
        if (shape is not null && shape.Names == names)
        {
            if (TryScanShapedObject(shape, tokens))
            {
                _shapeMisses = 0;
                ShapedRecords++;
                return true;
            }
            tokens.Clear(); // the shape may have noted a few before it missed
            _shapeMisses++;
        }
        int start = _pos;
        if (!TryScanCompactObject(names, tokens))
        {
            return false;
        }
        if (shape is null || _shapeMisses >= 2)
        {
            LearnShape(names, start, tokens);
        }
        return true;
    }

    /// <summary>
    /// The record at the cursor when it is <paramref name="shape"/>'s constant runs with, between them, strings
    /// without escapes: their tokens noted at the fields the shape gives them, the cursor past the record, true.
    /// Anything else (another byte in a constant, a backslash, the end of the body) is false, the cursor untouched. As
    /// exact as the compact walk: a string holding neither '"' nor '\\' is accepted and noted the same whatever it
    /// holds, and the constants hold every name, colon, comma, brace and literal of the record the shape was learned from.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    private bool TryScanShapedObject(RecordShape shape, Span<JsonToken> tokens)
    {
        var json = new ReadOnlySpan<byte>(_bytes, 0, _end);
        // The same depth rule as the compact walk, so that both refuse to go near the limit alike.
        if (_depth + 2 > MaxDepth)
        {
            return false;
        }
        ReadOnlySpan<byte> constants = shape.Constants;
        int[] lengths = shape.Lengths;
        int[] fields = shape.Fields;
        int pos = _pos, at = 0;
        for (int slot = 0; slot < lengths.Length; slot++)
        {
            int length = lengths[slot];
            if (json.Length - pos < length || !RunMatches(json.Slice(pos, length), constants.Slice(at, length)))
            {
                return false;
            }
            pos += length;
            at += length;
            if (slot >= fields.Length)
            {
                break; // the last run, which ends with the record's '}'
            }
            int found = IndexOfQuoteOrBackslash(json, pos);
            if (found < 0 || json[pos + found] != '"')
            {
                return false;
            }
            int field = fields[slot];
            if (field >= 0)
            {
                tokens[field] = new JsonToken(pos, found, JsonTokenKind.String);
            }
            pos += found; // at the closing quote, where the next run starts
        }
        _pos = pos;
        _afterMember = true; // as when the general walk closes it
        return true;
    }

    /// <summary>
    /// Whether <paramref name="actual"/> holds the bytes of <paramref name="run"/> (as long, and at least 2 bytes: every
    /// run has a quote or brace at each end). Runs are 2 to about 20 bytes: 8-byte words, the last one overlapping the
    /// one before, compare them in a few instructions where SequenceEqual would cost a call and its setup for each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool RunMatches(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> run)
    {
        int length = run.Length;
        if (length >= 8)
        {
            int last = length - 8;
            for (int i = 0; i < last; i += 8)
            {
                if (MemoryMarshal.Read<ulong>(actual.Slice(i)) != MemoryMarshal.Read<ulong>(run.Slice(i)))
                {
                    return false;
                }
            }
            return MemoryMarshal.Read<ulong>(actual.Slice(last)) == MemoryMarshal.Read<ulong>(run.Slice(last));
        }
        if (length >= 4)
        {
            return MemoryMarshal.Read<uint>(actual) == MemoryMarshal.Read<uint>(run)
                && MemoryMarshal.Read<uint>(actual.Slice(length - 4)) == MemoryMarshal.Read<uint>(run.Slice(length - 4));
        }
        return MemoryMarshal.Read<ushort>(actual) == MemoryMarshal.Read<ushort>(run)
            && MemoryMarshal.Read<ushort>(actual.Slice(length - 2)) == MemoryMarshal.Read<ushort>(run.Slice(length - 2));
    }

    /// <summary>
    /// Learns the shape of the record the compact walk has just parsed from <paramref name="start"/> to the cursor,
    /// given the tokens it noted: each string value is a slot, the bytes between them constant runs, and a slot fills
    /// the field whose token starts where its content does (so repeated names and GUIDRefs mean what the compact walk
    /// made of them, and a field it left blank is filled by no slot). A record with a literal or number noted (its
    /// token's place would differ from record to record) teaches nothing. Past the budget, a shape that keeps missing
    /// is dropped, so that a page of unlike records does not try it on every record.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void LearnShape(JsonFieldNames names, int start, Span<JsonToken> tokens)
    {
        if (_shapeLearnsLeft == 0)
        {
            _shape = null;
            return;
        }
        _shapeLearnsLeft--;
        _shapeMisses = 0;
        _shape = RecordShape.Learn(names, new ReadOnlySpan<byte>(_bytes, 0, _end), start, _pos, tokens);
    }

    /// <summary>A record's constant runs and, for each string value between two of them, the field it fills (or -1).</summary>
    private sealed class RecordShape
    {
        private RecordShape(JsonFieldNames names, byte[] constants, int[] lengths, int[] fields)
        {
            Names = names;
            Constants = constants;
            Lengths = lengths;
            Fields = fields;
        }

        public JsonFieldNames Names { get; }

        /// <summary>The constant runs one after another: the first starts with '{', each following one with a value's closing quote.</summary>
        public byte[] Constants { get; }

        /// <summary>Each run's length: one more than there are slots.</summary>
        public int[] Lengths { get; }

        /// <summary>Per slot, the field it fills or -1.</summary>
        public int[] Fields { get; }

        /// <summary>The shape of the compact record <paramref name="json"/>[start..end) with its noted <paramref name="tokens"/>, or null.</summary>
        public static RecordShape? Learn(JsonFieldNames names, ReadOnlySpan<byte> json, int start, int end, ReadOnlySpan<JsonToken> tokens)
        {
            foreach (var token in tokens)
            {
                if (token.Kind is not (JsonTokenKind.Blank or JsonTokenKind.String or JsonTokenKind.EscapedString))
                {
                    return null;
                }
            }
            var constants = new byte[end - start];
            var lengths = new System.Collections.Generic.List<int>();
            var fields = new System.Collections.Generic.List<int>();
            int written = 0, runStart = start, filled = 0;
            for (int i = start; i < end;)
            {
                if (json[i] != '"')
                {
                    i++;
                    continue;
                }
                int after = ScanString(json, i, out _);
                // The record is compact: a name's closing quote is followed by its colon, a value's by ',' or '}'.
                if (json[after] != ':')
                {
                    int run = i + 1 - runStart; // up to and with the value's opening quote
                    json.Slice(runStart, run).CopyTo(constants.AsSpan(written));
                    written += run;
                    lengths.Add(run);
                    int field = -1;
                    for (int f = 0; f < tokens.Length; f++)
                    {
                        if (tokens[f].Kind != JsonTokenKind.Blank && tokens[f].Start == i + 1)
                        {
                            field = f;
                            filled++;
                        }
                    }
                    fields.Add(field);
                    runStart = after - 1;
                }
                i = after;
            }
            json.Slice(runStart, end - runStart).CopyTo(constants.AsSpan(written));
            written += end - runStart;
            lengths.Add(end - runStart);
            int noted = 0;
            foreach (var token in tokens)
            {
                noted += token.Kind == JsonTokenKind.Blank ? 0 : 1;
            }
            // Every noted token is a value of the record; anything else would be a misreading, and learns nothing.
            return noted == filled ? new RecordShape(names, constants.AsSpan(0, written).ToArray(), lengths.ToArray(), fields.ToArray()) : null;
        }
    }
}
