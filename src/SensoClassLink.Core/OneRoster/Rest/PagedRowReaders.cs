using System;
using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// The REST source's pooled rows (enrollments and users), page by page, as hand-written enumerators rather than
/// iterators: a C# iterator's MoveNext cannot be marked <see cref="HotPath"/>, and inside pwsh the tiered JIT kept the
/// one run once per row at tier 0 for much of a pull (measured: about 170 ms of a 1M pull's CPU in that MoveNext alone).
/// Each enumerator walks the pages <c>ReadPages</c> hands out, which checks and releases them as before.
/// </summary>
internal sealed class PagedRows<TRow> : IEnumerable<TRow>
{
    private readonly Func<IEnumerator<TRow>> _start;

    public PagedRows(Func<IEnumerator<TRow>> start) => _start = start;

    public IEnumerator<TRow> GetEnumerator() => _start();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// The base both readers share: the pages and the walk to the next, and the current page's tape of noted tokens
/// (<see cref="RosterJsonBody.Tape"/>), its record count, the next record and a cursor on its bytes to decode tokens with.
/// </summary>
internal abstract class PagedRowReader<TRow> : IEnumerator<TRow>
{
    private readonly IEnumerator<RosterPage> _pages;

    protected PagedRowReader(IEnumerable<RosterPage> pages, SourcedIdSet seen, CsvStringPool pool)
    {
        _pages = pages.GetEnumerator();
        Seen = seen;
        Pool = pool;
    }

    /// <summary>The sourcedIds seen so far in this pull (repeats are dropped).</summary>
    protected SourcedIdSet Seen { get; }

    /// <summary>The source's string pool the rows' ids and values come from.</summary>
    protected CsvStringPool Pool { get; }

    protected Utf8JsonCursor Cursor { get; } = new();

    // Fields rather than properties: the readers' MoveNext loops read and advance them once per row.
    protected JsonToken[] Tape = Array.Empty<JsonToken>();
    protected int Next, Count;

    public abstract TRow Current { get; }

    object? IEnumerator.Current => Current;

    /// <summary>The next page's body, opened here and then by <see cref="Open"/>; false after the last.</summary>
    protected bool NextPage()
    {
        if (!_pages.MoveNext())
        {
            return false;
        }
        var body = _pages.Current.Body;
        Tape = body.Tape!;
        Count = body.Count;
        Next = 0;
        Cursor.Reset(body.Bytes, 0, body.Length);
        Open(body);
        return true;
    }

    /// <summary>What a reader does with a page before its records are read.</summary>
    protected abstract void Open(RosterJsonBody body);

    public abstract bool MoveNext();

    public void Reset() => throw new NotSupportedException();

    public void Dispose() => _pages.Dispose();
}

/// <summary>Enrollment rows: each page's sourcedIds deduplicated in one tight loop, then its fresh records read into one row.</summary>
internal sealed class EnrollmentRowsReader : PagedRowReader<PooledEnrollmentRow>
{
    private readonly PooledEnrollmentRow _row = new();
    private readonly RecentFieldValues _recent = new();
    private byte[] _bytes = Array.Empty<byte>();
    private ulong[] _hashes = Array.Empty<ulong>();
    private bool[] _fresh = Array.Empty<bool>();

    public EnrollmentRowsReader(IEnumerable<RosterPage> pages, SourcedIdSet seen, CsvStringPool pool)
        : base(pages, seen, pool)
    {
    }

    public override PooledEnrollmentRow Current => _row;

    [MethodImpl(HotPath.Optimize)]
    public override bool MoveNext()
    {
        while (true)
        {
            while (Next < Count)
            {
                int i = Next++;
                if (_fresh[i])
                {
                    EnrollmentRowReader.Read(Cursor, _bytes, Tape, i, _row, Pool, _recent);
                    return true;
                }
            }
            if (!NextPage())
            {
                return false;
            }
        }
    }

    [MethodImpl(HotPath.Optimize)]
    protected override void Open(RosterJsonBody body)
    {
        _bytes = body.Bytes;
        if (_hashes.Length < Count)
        {
            _hashes = new ulong[Count];
            _fresh = new bool[Count];
        }
        for (int i = 0; i < Count; i++)
        {
            _hashes[i] = EnrollmentRowReader.SourcedIdHash(Cursor, _bytes, Tape, i);
        }
        Seen.AddHashes(_hashes, _fresh, Count);
    }
}

/// <summary>User rows: each page's users, noted while the page was checked, read in order into one row (<see cref="UserRowReader"/>).</summary>
internal sealed class UserRowsReader : PagedRowReader<PooledUserRow>
{
    private readonly UserRowReader _reader = new();

    public UserRowsReader(IEnumerable<RosterPage> pages, SourcedIdSet seen, CsvStringPool pool)
        : base(pages, seen, pool)
    {
    }

    public override PooledUserRow Current => _reader.Row;

    [MethodImpl(HotPath.Optimize)]
    public override bool MoveNext()
    {
        while (true)
        {
            while (Next < Count)
            {
                if (_reader.Read(Cursor, Tape, Next++, Pool, Seen))
                {
                    return true;
                }
            }
            if (!NextPage())
            {
                return false;
            }
        }
    }

    protected override void Open(RosterJsonBody body) => _reader.Open(body);
}
