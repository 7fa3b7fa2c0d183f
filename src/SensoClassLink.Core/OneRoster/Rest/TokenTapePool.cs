using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>Walks the record at the cursor's '{', checking it, and notes its tokens into <paramref name="tokens"/> (one record's slots of a tape, blank on entry).</summary>
internal delegate void RecordIndexer(Utf8JsonCursor r, Span<JsonToken> tokens);

/// <summary>The token arrays of pages in flight, reused from page to page like their byte buffers. Thread-safe.</summary>
internal sealed class TokenTapePool
{
    private readonly ConcurrentBag<JsonToken[]> _free = new();
    private readonly int _keep;
    private readonly int _fields;
    private readonly RecordIndexer _index;

    /// <summary>Tapes of enrollment rows (<see cref="EnrollmentRowReader"/>).</summary>
    public TokenTapePool(int keep)
        : this(keep, EnrollmentRowReader.Fields, EnrollmentRowReader.Index)
    {
    }

    /// <summary>Tapes of <paramref name="fields"/> tokens a record, noted by <paramref name="index"/>.</summary>
    public TokenTapePool(int keep, int fields, RecordIndexer index)
    {
        _keep = Math.Max(1, keep);
        _fields = fields;
        _index = index;
    }

    /// <summary>
    /// Walks one record (the cursor at its '{'), checking it, and notes its tokens as record <paramref name="record"/>
    /// of <paramref name="tape"/>, which grows when full: the slots are made ready here, once for every kind of row.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public void Note(Utf8JsonCursor r, ref JsonToken[] tape, int record)
    {
        int at = record * _fields;
        if (at + _fields > tape.Length)
        {
            tape = Grow(tape, at + _fields);
        }
        var tokens = new Span<JsonToken>(tape, at, _fields);
        tokens.Clear();
        _index(r, tokens);
    }

    public JsonToken[] Rent() => _free.TryTake(out var tape) ? tape : new JsonToken[_fields * 1024];

    /// <summary>A larger array holding what <paramref name="tape"/> held (the smaller one is left to the garbage collector).</summary>
    private static JsonToken[] Grow(JsonToken[] tape, int needed)
    {
        var larger = new JsonToken[Math.Max(needed, tape.Length * 2)];
        Array.Copy(tape, larger, tape.Length);
        return larger;
    }

    /// <summary>Lets every free tape go.</summary>
    public void Clear()
    {
        while (_free.TryTake(out _))
        {
        }
    }

    public void Return(JsonToken[] tape)
    {
        if (_free.Count < _keep)
        {
            _free.Add(tape);
        }
    }
}
