using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Configuration;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// A OneRoster 1.1 or 1.2 REST server as an <see cref="IRosterSource"/>. Each collection is paged with
/// limit/offset and a stable sort; once X-Total-Count is known the remaining pages are fetched
/// concurrently (at most maxConcurrency at a time) and streamed in order, holding only the pages in flight.
/// A pull that does not end with every page and exactly the announced number of distinct records throws
/// <see cref="RosterReadException"/>.
/// </summary>
public sealed class RestRosterSource : IRosterSource, ISupportsTeacherScope
{
    private static readonly IReadOnlyList<KeyValuePair<string, string>> NoQuery = Array.Empty<KeyValuePair<string, string>>();

    private readonly RosterReadObserver _observer;
    private readonly int _pageSize;
    private readonly int _maxConcurrency;

    /// <summary>Resolves the configured secrets now; bad settings throw <see cref="ConfigurationException"/> naming the key.</summary>
    public RestRosterSource(RosterApiSettings settings, RosterReadObserver? observer = null, RestTransportOptions? transport = null)
    {
        _observer = observer ?? RosterReadObserver.None;
        // Request lines come from HTTP callbacks on pool threads: RosterReadObserver.Verbose may be called from any thread.
        Client = new OneRosterRestClient(settings, transport, _observer.Verbose);
        _pageSize = settings.PageSize;
        _maxConcurrency = Math.Max(1, settings.MaxConcurrency);
    }

    public string Description => $"OneRoster {(Client.Version == OneRosterVersion.V1_2 ? "1.2" : "1.1")} REST at {Client.ServiceBase.GetLeftPart(UriPartial.Path)}";

    /// <summary>The underlying HTTP client (attempt counts, version, base).</summary>
    public OneRosterRestClient Client { get; }

    public IEnumerable<RosterOrg> ReadOrgs(CancellationToken cancellationToken) =>
        ReadCollection(RosterCollections.Orgs, "/orgs", NoQuery, cancellationToken);

    public IEnumerable<RosterUser> ReadUsers(CancellationToken cancellationToken) =>
        ReadCollection(RosterCollections.Users, "/users", NoQuery, cancellationToken);

    public IEnumerable<RosterClass> ReadClasses(CancellationToken cancellationToken) =>
        ReadCollection(RosterCollections.Classes, "/classes", NoQuery, cancellationToken);

    public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken cancellationToken) =>
        ReadCollection(RosterCollections.Enrollments, "/enrollments", NoQuery, cancellationToken);

    /// <inheritdoc />
    public IRosterSource ScopeToTeacher(string email) => new TeacherScopedRosterSource(this, email, _observer);

    /// <summary>
    /// Streams every record of one collection endpoint, deduplicated by sourcedId, in server order.
    /// Throws <see cref="RosterReadException"/> when the pull is incomplete.
    /// </summary>
    public IEnumerable<T> ReadCollection<T>(RosterCollection<T> collection, string relativePath, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken cancellationToken)
    {
        using var pull = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var window = new Queue<(int Offset, int Expected, Task<RosterPage<T>> Page)>();
        var seen = new SourcedIdSet();
        string what = $"the {collection.Name} collection ({relativePath})";
        long pages = 0;
        try
        {
            RosterPage<T> first = Fetch(collection, relativePath, query, 0, _pageSize, pull.Token);
            pages++;
            long? total = first.Total;
            foreach (var record in Distinct(first.Records, collection, seen))
            {
                yield return record;
            }
            Report(collection, seen.Count, total);

            if (total is { } announced)
            {
                if (announced > 0 && first.Records.Count == 0)
                {
                    throw Incomplete(what, 0, seen.Count, announced, "the first page was empty");
                }
                // A server may cap limit below what was asked: the first page's length is the real page size.
                int step = Math.Max(1, Math.Min(_pageSize, first.Records.Count));
                int nextOffset = first.Records.Count;
                while (nextOffset < announced || window.Count > 0)
                {
                    while (nextOffset < announced && window.Count < _maxConcurrency)
                    {
                        int offset = nextOffset;
                        int expected = (int)Math.Min(step, announced - offset);
                        window.Enqueue((offset, expected, FetchAsync(collection, relativePath, query, offset, step, pull.Token)));
                        nextOffset += expected;
                    }
                    var (pageOffset, pageExpected, task) = window.Dequeue();
                    RosterPage<T> page = task.GetAwaiter().GetResult();
                    pages = CountPage(pages, what);
                    CheckTotal(what, announced, page.Total, pageOffset);
                    if (page.Records.Count == 0)
                    {
                        throw Incomplete(what, pageOffset, seen.Count, announced, $"the page at offset {pageOffset} was empty");
                    }
                    foreach (var record in Distinct(page.Records, collection, seen))
                    {
                        yield return record;
                    }
                    // A short page in the middle (a tighter cap on this page): fetch the gap before moving on.
                    int got = page.Records.Count;
                    while (got < pageExpected)
                    {
                        RosterPage<T> gap = Fetch(collection, relativePath, query, pageOffset + got, pageExpected - got, pull.Token);
                        pages = CountPage(pages, what);
                        CheckTotal(what, announced, gap.Total, pageOffset + got);
                        if (gap.Records.Count == 0)
                        {
                            throw Incomplete(what, pageOffset + got, seen.Count, announced, $"the page at offset {pageOffset + got} was empty");
                        }
                        foreach (var record in Distinct(gap.Records, collection, seen))
                        {
                            yield return record;
                        }
                        got += gap.Records.Count;
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
                RosterPage<T> page = first;
                int offset = 0;
                while (page.Records.Count > 0)
                {
                    int next = page.NextOffset ?? offset + page.Records.Count;
                    if (next <= offset)
                    {
                        throw new RosterReadException($"The pull of {what} stopped: the server's next link at offset {offset} does not move forward.");
                    }
                    offset = next;
                    pages = CountPage(pages, what);
                    page = Fetch(collection, relativePath, query, offset, _pageSize, pull.Token);
                    foreach (var record in Distinct(page.Records, collection, seen))
                    {
                        yield return record;
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
                var pending = window.Dequeue().Page;
                try
                {
                    pending.GetAwaiter().GetResult();
                }
                catch (Exception)
                {
                    // Already failing or cancelled on purpose; the first error is the one reported.
                }
            }
        }
    }

    private RosterPage<T> Fetch<T>(RosterCollection<T> collection, string path, IReadOnlyList<KeyValuePair<string, string>> query, int offset, int limit, CancellationToken token) =>
        FetchAsync(collection, path, query, offset, limit, token).GetAwaiter().GetResult();

    private Task<RosterPage<T>> FetchAsync<T>(RosterCollection<T> collection, string path, IReadOnlyList<KeyValuePair<string, string>> query, int offset, int limit, CancellationToken token) =>
        Task.Run(() => Client.GetPageAsync(collection, path, query, offset, limit, token), token);

    private static IEnumerable<T> Distinct<T>(List<T> records, RosterCollection<T> collection, SourcedIdSet seen)
    {
        foreach (var record in records)
        {
            if (seen.Add(collection.SourcedId(record)))
            {
                yield return record;
            }
        }
    }

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

    public void Dispose() => Client.Dispose();
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
