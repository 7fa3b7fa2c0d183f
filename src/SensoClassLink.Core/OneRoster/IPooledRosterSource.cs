using System.Collections.Generic;
using System.Threading;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// A source that serves the engine's allocation-free fast path: users and enrollments as one reused row each,
/// whose sourcedId references come as ids of the source's string pool, so reading a row allocates nothing. Only
/// for callers that keep nothing from a row past the next MoveNext. The engine asks for this capability, never for
/// a concrete source type: the CSV source implements it, and a decorator keeps the fast path by implementing it
/// and forwarding to the source it wraps (with ReadUsers and ReadClasses, which fill the pool).
/// </summary>
internal interface IPooledRosterSource : IRosterSource
{
    /// <summary>False when users must be read as records (a OneRoster 1.2 export joins roles.csv to users.csv).</summary>
    bool HasPooledUserRows { get; }

    /// <summary>Users as one reused row; the id, status, enabledUser and role are read for every row, the rest on demand.</summary>
    IEnumerable<PooledUserRow> ReadUserRows(CancellationToken cancellationToken);

    /// <summary>Enrollments as one reused row whose class and user are pool ids (-1 when the pool has not seen them).</summary>
    IEnumerable<PooledEnrollmentRow> ReadEnrollmentRows(CancellationToken cancellationToken);

    /// <summary>How many ids the pool has handed out (ids are 0 .. PoolSize - 1).</summary>
    int PoolSize { get; }

    /// <summary>The pool id of a sourcedId this source has read, adding it when the caller trimmed it differently.</summary>
    int PoolIdOf(string sourcedId);

    /// <summary>The pool id of a sourcedId, or -1 when this source has not pooled it.</summary>
    int PoolIdIfAny(string sourcedId);

    /// <summary>
    /// The caller is done with every pool id it was given: the pool forgets them and frees its memory. A later read
    /// starts a new pool (ids from 0), so a source can be read again; ids from before the release mean nothing.
    /// </summary>
    void ReleasePool();
}
