using System.Collections.Generic;
using System.Threading;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// A source that can read the roster's academicSessions, so classes can be judged by their terms' dates
/// (<c>roster.classTerms: current</c>). A source without it gives no term information: every class counts.
/// </summary>
public interface ISupportsAcademicSessions
{
    /// <summary>
    /// Every academic session, or null when the roster holds none at all (a CSV export without academicSessions.csv);
    /// <paramref name="missing"/> then names what is missing, for the one warning the rule gives.
    /// </summary>
    IEnumerable<RosterAcademicSession>? ReadAcademicSessions(CancellationToken cancellationToken, out string missing);
}
