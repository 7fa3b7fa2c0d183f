using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Configuration;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// A OneRoster 1.1 or 1.2 REST server as an <see cref="IRosterSource"/>. Each collection is paged with
/// limit/offset and a stable sort; once X-Total-Count is known the remaining pages are fetched
/// concurrently (at most maxConcurrency requests at a time, whatever asks) and streamed in order, holding only the
/// pages in flight; a whole-roster read asks for the first pages of users, classes and enrollments ahead.
/// A pull that does not end with every page and exactly the announced number of distinct records throws
/// <see cref="RosterReadException"/>.
/// </summary>
public sealed class RestRosterSource : IRosterSource, ISupportsTeacherScope, IPooledRosterSource, ISupportsAcademicSessions, ISupportsReadAhead
{
    private static readonly IReadOnlyList<KeyValuePair<string, string>> NoQuery = Array.Empty<KeyValuePair<string, string>>();
    private const string UsersPath = "/users", ClassesPath = "/classes", EnrollmentsPath = "/enrollments";

    private readonly RosterReadObserver _observer;
    private readonly int _pageSize;
    private readonly int _maxConcurrency;
    /// <summary>Every user and class sourcedId this source has been asked about, as dense ids (the engine keys by them).</summary>
    private readonly CsvStringPool _strings = new();
    /// <summary>Every page request waits here: maxConcurrency holds for the window, gap fetches and read-ahead together.</summary>
    private readonly SemaphoreSlim _requests;
    /// <summary>First pages asked for ahead of their read, by path and what they are read as (the engine's pooled rows or records).</summary>
    private readonly ConcurrentDictionary<(string Path, PageRows Rows), Task<RosterPage>> _ahead = new();
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>Resolves the configured secrets now; bad settings throw <see cref="ConfigurationException"/> naming the key.</summary>
    public RestRosterSource(RosterApiSettings settings, RosterReadObserver? observer = null, RestTransportOptions? transport = null)
    {
        _observer = observer ?? RosterReadObserver.None;
        // Request lines come from HTTP callbacks on pool threads: RosterReadObserver.Verbose may be called from any thread.
        Client = new OneRosterRestClient(settings, transport, _observer.Verbose);
        _pageSize = settings.PageSize;
        _maxConcurrency = Math.Max(1, settings.MaxConcurrency);
        _requests = new SemaphoreSlim(_maxConcurrency, _maxConcurrency);
    }

    public string Description => $"OneRoster {(Client.Version == OneRosterVersion.V1_2 ? "1.2" : "1.1")} REST at {Client.ServiceBase.GetLeftPart(UriPartial.Path)}";

    /// <summary>The underlying HTTP client (attempt counts, version, base).</summary>
    public OneRosterRestClient Client { get; }

    public IEnumerable<RosterOrg> ReadOrgs(CancellationToken cancellationToken) =>
        ReadCollection(RosterCollections.Orgs, "/orgs", NoQuery, cancellationToken);

    public IEnumerable<RosterUser> ReadUsers(CancellationToken cancellationToken) =>
        ReadCollection(RosterCollections.Users, UsersPath, NoQuery, cancellationToken);

    public IEnumerable<RosterClass> ReadClasses(CancellationToken cancellationToken) =>
        ReadCollection(RosterCollections.Classes, ClassesPath, NoQuery, cancellationToken);

    public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken cancellationToken) =>
        ReadCollection(RosterCollections.Enrollments, EnrollmentsPath, NoQuery, cancellationToken);

    private List<RosterAcademicSession>? _sessions;

    /// <summary>
    /// /academicSessions, read whole once per source (a district has a few dozen sessions) and kept, so the teacher
    /// scopes of one command (one per named teacher) share the one read.
    /// </summary>
    public IEnumerable<RosterAcademicSession>? ReadAcademicSessions(CancellationToken cancellationToken, out string missing)
    {
        missing = "academicSessions";
        return _sessions ??= ReadCollection(RosterCollections.AcademicSessions, "/academicSessions", NoQuery, cancellationToken).ToList();
    }

    /// <inheritdoc />
    public IRosterSource ScopeToTeacher(string email) => new TeacherScopedRosterSource(this, email, _observer);

    /// <inheritdoc />
    /// <remarks>
    /// At most maxConcurrency - 1 first pages, so the read starting now keeps a request of its own; with one request at
    /// a time nothing is asked ahead. Each page asked for is taken by the first whole read of its collection.
    /// </remarks>
    public void ReadAhead(IReadOnlyList<RosterCollectionKind> collections, CancellationToken cancellationToken)
    {
        int room = _maxConcurrency - 1;
        foreach (var kind in collections)
        {
            if (room-- <= 0)
            {
                return;
            }
            // The engine reads users and enrollments as pooled rows from this source (IPooledRosterSource), classes as records.
            var key = kind switch
            {
                RosterCollectionKind.Users => (UsersPath, PageRows.Users),
                RosterCollectionKind.Classes => (ClassesPath, PageRows.Records),
                _ => (EnrollmentsPath, PageRows.Enrollments),
            };
            if (_ahead.ContainsKey(key))
            {
                continue; // asked for ahead already and not read yet
            }
            var token = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
            Task<RosterPage> page = kind switch
            {
                RosterCollectionKind.Users => FetchAsync(RosterCollections.Users, UsersPath, NoQuery, 0, _pageSize, PageRows.Users, token.Token),
                RosterCollectionKind.Classes => FetchAsync(RosterCollections.Classes, ClassesPath, NoQuery, 0, _pageSize, PageRows.Records, token.Token),
                _ => FetchAsync(RosterCollections.Enrollments, EnrollmentsPath, NoQuery, 0, _pageSize, PageRows.Enrollments, token.Token),
            };
            page.ContinueWith(_ => token.Dispose(), TaskScheduler.Default);
            _ahead[key] = page;
        }
    }

    /// <summary>The first page of a whole read: the one asked for ahead when there is one, else fetched now.</summary>
    private RosterPage FirstPage<T>(RosterCollection<T> collection, string relativePath, IReadOnlyList<KeyValuePair<string, string>> query, PageRows rows,
        CancellationToken token)
    {
        if (query.Count == 0 && _ahead.TryRemove((relativePath, rows), out var early))
        {
            return early.GetAwaiter().GetResult();
        }
        return Fetch(collection, relativePath, query, 0, _pageSize, rows, token);
    }

    /// <summary>
    /// Streams every record of one collection endpoint, deduplicated by sourcedId, in server order, each read
    /// straight from its page's body (no tree, no list per page).
    /// Throws <see cref="RosterReadException"/> when the pull is incomplete.
    /// </summary>
    public IEnumerable<T> ReadCollection<T>(RosterCollection<T> collection, string relativePath, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken cancellationToken)
    {
        var seen = new SourcedIdSet();
        var cursor = new Utf8JsonCursor();
        foreach (var page in ReadPages(collection, relativePath, query, seen, cancellationToken))
        {
            foreach (var record in OneRosterResponseReader.Records(page.Body, collection, cursor))
            {
                if (seen.Add(collection.SourcedId(record)))
                {
                    yield return record;
                }
            }
        }
    }

    /// <summary>
    /// The engine's fast path over /users: one reused row per user (<see cref="UserRowReader"/>), with the same
    /// deduplication, the same completeness checks and the same values as <see cref="ReadUsers"/>.
    /// </summary>
    internal IEnumerable<PooledUserRow> ReadUserRows(CancellationToken cancellationToken) => new PagedRows<PooledUserRow>(() =>
    {
        var seen = new SourcedIdSet();
        return new UserRowsReader(ReadPages(RosterCollections.Users, UsersPath, NoQuery, seen, cancellationToken, PageRows.Users), seen, _strings);
    });

    /// <summary>
    /// The engine's fast path over /enrollments: one reused row per enrollment, read from the page body into this
    /// source's string pool (user and class as pool ids, the few repeating values shared), with the same
    /// deduplication, the same completeness checks and the same values as <see cref="ReadEnrollments"/>.
    /// </summary>
    internal IEnumerable<PooledEnrollmentRow> ReadEnrollmentRows(CancellationToken cancellationToken) => new PagedRows<PooledEnrollmentRow>(() =>
    {
        var seen = new SourcedIdSet();
        return new EnrollmentRowsReader(ReadPages(RosterCollections.Enrollments, EnrollmentsPath, NoQuery, seen, cancellationToken, PageRows.Enrollments), seen, _strings);
    });

    /// <summary>
    /// The pages of one collection endpoint in order, each checked before it is handed out and released when the
    /// consumer asks for the next. The consumer adds each record's sourcedId to <paramref name="seen"/>; the
    /// distinct count is then held against X-Total-Count. Throws <see cref="RosterReadException"/> when the pull is incomplete.
    /// </summary>
    private IEnumerable<RosterPage> ReadPages<T>(RosterCollection<T> collection, string relativePath, IReadOnlyList<KeyValuePair<string, string>> query,
        SourcedIdSet seen, CancellationToken cancellationToken, PageRows rows = PageRows.Records)
    {
        using var pull = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var window = new Queue<(int Offset, int Expected, Task<RosterPage> Page)>();
        string what = $"the {collection.Name} collection ({relativePath})";
        long pages = 0;
        try
        {
            RosterPage first = FirstPage(collection, relativePath, query, rows, pull.Token);
            pages++;
            long? total = first.Total;
            // A server may cap limit below what was asked: the first page's length is the real page size.
            int step = Math.Max(1, Math.Min(_pageSize, first.Count));
            int nextOffset = first.Count;
            // The next pages are requested before the first is handed out, so the network works while the consumer reads it.
            void Refill(long announced)
            {
                while (nextOffset < announced && window.Count < _maxConcurrency)
                {
                    int offset = nextOffset;
                    int expected = (int)Math.Min(step, announced - offset);
                    window.Enqueue((offset, expected, FetchAsync(collection, relativePath, query, offset, step, rows, pull.Token)));
                    nextOffset += expected;
                }
            }
            if (total is { } known && first.Count > 0)
            {
                Refill(known);
            }
            using (first)
            {
                yield return first;
            }
            Report(collection, seen.Count, total);

            if (total is { } announced)
            {
                seen.EnsureCapacity(announced);
                if (announced > 0 && first.Count == 0)
                {
                    throw Incomplete(what, 0, seen.Count, announced, "the first page was empty");
                }
                while (nextOffset < announced || window.Count > 0)
                {
                    Refill(announced);
                    var (pageOffset, pageExpected, task) = window.Dequeue();
                    RosterPage page = task.GetAwaiter().GetResult();
                    int got;
                    using (page)
                    {
                        pages = CountPage(pages, what);
                        CheckTotal(what, announced, page.Total, pageOffset);
                        if (page.Count == 0)
                        {
                            throw Incomplete(what, pageOffset, seen.Count, announced, $"the page at offset {pageOffset} was empty");
                        }
                        yield return page;
                        got = page.Count;
                    }
                    // A short page in the middle (a tighter cap on this page): fetch the gap before moving on.
                    while (got < pageExpected)
                    {
                        using RosterPage gap = Fetch(collection, relativePath, query, pageOffset + got, pageExpected - got, rows, pull.Token);
                        pages = CountPage(pages, what);
                        CheckTotal(what, announced, gap.Total, pageOffset + got);
                        if (gap.Count == 0)
                        {
                            throw Incomplete(what, pageOffset + got, seen.Count, announced, $"the page at offset {pageOffset + got} was empty");
                        }
                        yield return gap;
                        got += gap.Count;
                    }
                    Report(collection, seen.Count, announced);
                }
                if (seen.Count != announced)
                {
                    throw Incomplete(what, nextOffset, seen.Count, announced, "the distinct records do not add up to the total (did the roster change during the pull?)");
                }
            }
            else
            {
                // No total: follow a same-host rel="next" offset when given, else page on until an empty page.
                int count = first.Count;
                int? nextLink = first.NextOffset;
                int offset = 0;
                while (count > 0)
                {
                    int next = nextLink ?? offset + count;
                    if (next <= offset)
                    {
                        throw new RosterReadException($"The pull of {what} stopped: the server's next link at offset {offset} does not move forward.");
                    }
                    offset = next;
                    pages = CountPage(pages, what);
                    using (RosterPage page = Fetch(collection, relativePath, query, offset, _pageSize, rows, pull.Token))
                    {
                        count = page.Count;
                        nextLink = page.NextOffset;
                        yield return page;
                    }
                    Report(collection, seen.Count, null);
                }
            }
        }
        finally
        {
            // Stop pages still in flight (the consumer stopped early or a page failed) and observe their outcome.
            pull.Cancel();
            while (window.Count > 0)
            {
                // Already failing or cancelled on purpose: the first error is the one reported.
                DisposeWhenDone(window.Dequeue().Page);
            }
        }
    }

    /// <summary>Waits for a page nobody will read and lets its buffer go; its failure, if any, is nobody's to report.</summary>
    private static void DisposeWhenDone(Task<RosterPage> page)
    {
        try
        {
            page.GetAwaiter().GetResult().Dispose();
        }
        catch (Exception)
        {
        }
    }

    private RosterPage Fetch<T>(RosterCollection<T> collection, string path, IReadOnlyList<KeyValuePair<string, string>> query, int offset, int limit,
        PageRows rows, CancellationToken token) =>
        FetchAsync(collection, path, query, offset, limit, rows, token).GetAwaiter().GetResult();

    private Task<RosterPage> FetchAsync<T>(RosterCollection<T> collection, string path, IReadOnlyList<KeyValuePair<string, string>> query, int offset, int limit,
        PageRows rows, CancellationToken token) =>
        Task.Run(async () =>
        {
            await _requests.WaitAsync(token).ConfigureAwait(false);
            try
            {
                return await Client.GetPageAsync(collection, path, query, offset, limit, rows, token).ConfigureAwait(false);
            }
            finally
            {
                _requests.Release();
            }
        }, token);

    private void Report<T>(RosterCollection<T> collection, long read, long? total)
    {
        _observer.Progress?.Invoke(new RosterReadProgress(collection.Name, read, null, null, total));
    }

    private static void CheckTotal(string what, long announced, long? pageTotal, int offset)
    {
        if (pageTotal is { } now && now != announced)
        {
            throw new RosterReadException($"The pull of {what} is unusable: the total changed from {announced:N0} to {now:N0} at offset {offset} (the roster changed during the pull; run again).");
        }
    }

    /// <summary>Counts one more page; a pull that never ends (a server that keeps paging) stops at the bound.</summary>
    private long CountPage(long pages, string what)
    {
        if (++pages > Client.MaxPages)
        {
            throw new RosterReadException($"The pull of {what} stopped after {Client.MaxPages:N0} pages without finishing.");
        }
        return pages;
    }

    private static RosterReadException Incomplete(string what, long offset, long received, long announced, string reason) =>
        new($"The pull of {what} is incomplete: {reason}; {received:N0} of {announced:N0} records arrived (offset {offset}). Nothing was used.");

    int IPooledRosterSource.PoolIdOf(string sourcedId)
    {
        int id = _strings.IdOf(sourcedId);
        return id >= 0 ? id : _strings.InternId(sourcedId);
    }

    int IPooledRosterSource.PoolIdIfAny(string sourcedId) => _strings.IdOf(sourcedId);

    int IPooledRosterSource.PoolSize => _strings.Count;

    void IPooledRosterSource.ReleasePool()
    {
        _strings.Clear();
        // The read is over: the page buffers it kept go too, so the evaluation that follows does not sit on top of them.
        Client.ReleasePageBuffers();
    }

    bool IPooledRosterSource.HasPooledUserRows => true;

    IEnumerable<PooledUserRow> IPooledRosterSource.ReadUserRows(CancellationToken cancellationToken) => ReadUserRows(cancellationToken);

    IEnumerable<PooledEnrollmentRow> IPooledRosterSource.ReadEnrollmentRows(CancellationToken cancellationToken) => ReadEnrollmentRows(cancellationToken);

    public void Dispose()
    {
        // Pages asked for ahead and never read: stop them and let their buffers go before the client goes.
        _disposed.Cancel();
        foreach (var key in _ahead.Keys)
        {
            if (_ahead.TryRemove(key, out var page))
            {
                DisposeWhenDone(page); // cancelled just now, or failed: nobody was going to read it
            }
        }
        Client.Dispose();
        _requests.Dispose();
        _disposed.Dispose();
    }
}

/// <summary>
/// A source that can serve just what one teacher needs (their user records, enrollments, classes, those
/// classes' enrollments and users, and the orgs they name) without pulling the whole district.
/// The CSV source does not implement it: reading a local file is already cheap.
/// </summary>
public interface ISupportsTeacherScope
{
    /// <summary>
    /// A source limited to the teacher whose email equals <paramref name="email"/> (trimmed, case-insensitive).
    /// Running the eligibility engine over it gives the same answer for that teacher as over the full source.
    /// </summary>
    IRosterSource ScopeToTeacher(string email);
}
