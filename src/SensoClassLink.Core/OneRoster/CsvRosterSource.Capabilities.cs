using System.Collections.Generic;
using System.Threading;

namespace SensoClassLink.Core.OneRoster;

/// <summary>The capabilities the engine asks the CSV source for, instead of testing for its type.</summary>
public sealed partial class CsvRosterSource
{
    // A 1.1 users.csv carries each user's role; 1.2 joins roles.csv, so its users are read as records.
    bool IPooledRosterSource.HasPooledUserRows => !IsV12;

    IEnumerable<PooledUserRow> IPooledRosterSource.ReadUserRows(CancellationToken cancellationToken) => ReadUserRows(cancellationToken);

    IEnumerable<PooledEnrollmentRow> IPooledRosterSource.ReadEnrollmentRows(CancellationToken cancellationToken) => ReadEnrollmentRows(cancellationToken);

    int IPooledRosterSource.PoolSize => PoolSize;

    int IPooledRosterSource.PoolIdOf(string sourcedId) => PoolIdOf(sourcedId);

    int IPooledRosterSource.PoolIdIfAny(string sourcedId) => PoolIdIfAny(sourcedId);

    void IPooledRosterSource.ReleasePool() => _strings.Clear();
}
