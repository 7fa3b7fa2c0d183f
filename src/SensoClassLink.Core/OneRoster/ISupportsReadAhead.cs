using System.Collections.Generic;
using System.Threading;

namespace SensoClassLink.Core.OneRoster;

/// <summary>The collections a whole-roster read goes through after orgs, in the order it reads them.</summary>
public enum RosterCollectionKind
{
    Users,
    Classes,
    Enrollments,
}

/// <summary>
/// A source that can start fetching collections before they are read. Over REST each collection's first page (it
/// tells the total, so the pages after it can be asked for at once) costs one round trip with nothing else in flight;
/// asked for ahead, those round trips overlap the read of the collections before. Only a caller that will read every
/// named collection to its end should ask: each first page asked for is a request made. A decorator may forward it
/// or not (without it the read is the same, one round trip per collection slower).
/// </summary>
public interface ISupportsReadAhead
{
    /// <summary>Starts fetching the beginning of <paramref name="collections"/> (those the source's request limit leaves room for).</summary>
    void ReadAhead(IReadOnlyList<RosterCollectionKind> collections, CancellationToken cancellationToken);
}
