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

/// <summary>The base both readers share: the pages, the current one and the walk to the next.</summary>
internal abstract class PagedRowReader<TRow> : IEnumerator<TRow>
{
    private readonly IEnumerator<RosterPage> _pages;

    protected PagedRowReader(IEnumerable<RosterPage> pages) => _pages = pages.GetEnumerator();

    public abstract TRow Current { get; }

    object? IEnumerator.Current => Current;

    /// <summary>The next page's body, opened by <see cref="Open"/>; false after the last.</summary>
    protected bool NextPage()
    {
        if (!_pages.MoveNext())
        {
            return false;
        }
        Open(_pages.Current.Body);
        return true;
    }

    protected abstract void Open(RosterJsonBody body);

    public abstract bool MoveNext();

    public void Reset() => throw new NotSupportedException();

    public void Dispose() => _pages.Dispose();
}

/// <summary>Enrollment rows: each page's sourcedIds deduplicated in one tight loop, then its fresh records read into one row.</summary>
internal sealed class EnrollmentRowsReader : PagedRowReader<PooledEnrollmentRow>
{
    private readonly SourcedIdSet _seen;
    private readonly CsvStringPool _pool;
    private readonly Utf8JsonCursor _cursor = new();
    private readonly PooledEnrollmentRow _row = new();
    private readonly RecentFieldValues _recent = new();
    private byte[] _bytes = Array.Empty<byte>();
    private JsonToken[] _tape = Array.Empty<JsonToken>();
    private ulong[] _hashes = Array.Empty<ulong>();
    private bool[] _fresh = Array.Empty<bool>();
    private int _next, _count;

    public EnrollmentRowsReader(IEnumerable<RosterPage> pages, SourcedIdSet seen, CsvStringPool pool)
        : base(pages)
    {
        _seen = seen;
        _pool = pool;
    }

    public override PooledEnrollmentRow Current => _row;

    [MethodImpl(HotPath.Optimize)]
    public override bool MoveNext()
    {
        while (true)
        {
            while (_next < _count)
            {
                int i = _next++;
                if (_fresh[i])
                {
                    EnrollmentRowReader.Read(_cursor, _bytes, _tape, i, _row, _pool, _recent);
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
        _tape = body.Tape!;
        _bytes = body.Bytes;
        _count = body.Count;
        _next = 0;
        _cursor.Reset(body.Bytes, 0, body.Length);
        if (_hashes.Length < _count)
        {
            _hashes = new ulong[_count];
            _fresh = new bool[_count];
        }
        for (int i = 0; i < _count; i++)
        {
            _hashes[i] = EnrollmentRowReader.SourcedIdHash(_cursor, _bytes, _tape, i);
        }
        _seen.AddHashes(_hashes, _fresh, _count);
    }
}

/// <summary>User rows: each page's users, noted while the page was checked, read in order into one row (<see cref="UserRowReader"/>).</summary>
internal sealed class UserRowsReader : PagedRowReader<PooledUserRow>
{
    private readonly SourcedIdSet _seen;
    private readonly CsvStringPool _pool;
    private readonly Utf8JsonCursor _cursor = new();
    private readonly UserRowReader _reader = new();
    private JsonToken[] _tape = Array.Empty<JsonToken>();
    private int _next, _count;

    public UserRowsReader(IEnumerable<RosterPage> pages, SourcedIdSet seen, CsvStringPool pool)
        : base(pages)
    {
        _seen = seen;
        _pool = pool;
    }

    public override PooledUserRow Current => _reader.Row;

    [MethodImpl(HotPath.Optimize)]
    public override bool MoveNext()
    {
        while (true)
        {
            while (_next < _count)
            {
                if (_reader.Read(_cursor, _tape, _next++, _pool, _seen))
                {
                    return true;
                }
            }
            if (!NextPage())
            {
                _count = 0;
                return false;
            }
        }
    }

    protected override void Open(RosterJsonBody body)
    {
        _reader.Open(body);
        _tape = body.Tape!;
        _count = body.Count;
        _next = 0;
        _cursor.Reset(body.Bytes, 0, body.Length);
    }
}
