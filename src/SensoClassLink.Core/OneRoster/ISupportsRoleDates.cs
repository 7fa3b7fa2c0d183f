using System;
using System.Collections.Generic;
using System.Threading;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// A source whose users' roles carry their own begin and end dates (OneRoster 1.2 roles.csv) and can read them as current
/// on a given day, so the eligibility rules apply one as-of date to roles and enrollments alike. A wrapper that forwards
/// <see cref="IRosterSource.ReadUsers"/> should forward this too.
/// </summary>
public interface ISupportsRoleDates
{
    /// <summary>Users with only the roles current on <paramref name="asOf"/> (begin on or before it, end after it).</summary>
    IEnumerable<RosterUser> ReadUsers(DateTime asOf, CancellationToken cancellationToken);
}
