using System.Collections.Generic;
using System.Threading;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// The engine's fast path, as a capability any source may offer (CSV and OneRoster REST do): every sourcedId the
/// source reads gets a dense pool id, and enrollments come as one reused row whose user and class are pool ids,
/// so a row costs no record object and no string lookup. A wrapper that cannot offer it simply does not implement
/// it and is read through <see cref="IRosterSource"/> records, with the same answers.
/// </summary>
internal interface IPooledRosterSource : IRosterSource
{
    /// <summary>The pool id of a sourcedId, adding it when the source has not pooled it yet.</summary>
    int PoolIdOf(string sourcedId);

    /// <summary>The pool id of a sourcedId, or -1 when the source has not pooled it.</summary>
    int PoolIdIfAny(string sourcedId);

    /// <summary>How many ids are pooled; they are 0..PoolSize-1.</summary>
    int PoolSize { get; }

    /// <summary>
    /// Enrollments as one reused row (nothing may be kept past the next MoveNext); user and class are pool ids of
    /// what the enrollment names, -1 when no user, class or org read so far has that id.
    /// </summary>
    IEnumerable<PooledEnrollmentRow> ReadEnrollmentRows(CancellationToken cancellationToken);

    /// <summary>True when <see cref="ReadUserRows"/> serves users; otherwise users are read as records.</summary>
    bool HasUserRows { get; }

    /// <summary>Users as one reused row with details read on demand; only when <see cref="HasUserRows"/>.</summary>
    IEnumerable<PooledUserRow> ReadUserRows(CancellationToken cancellationToken);
}

/// <summary>One enrollment for the engine's fast path; reused from row to row.</summary>
internal sealed class PooledEnrollmentRow
{
    /// <summary>The file (CSV) or collection (REST, blank like its records) the row came from.</summary>
    public string Location = "";
    public long Line;
    public int ClassId;
    public int UserId;
    public string Status = "";
    public string Role = "";
    public string BeginDate = "";
    public string EndDate = "";
}

/// <summary>One user for the engine's fast path; reused from row to row, details read on demand.</summary>
internal abstract class PooledUserRow : IUserDetails
{
    public abstract string Location { get; }
    public long Line;
    public string SourcedId = "";
    public string Status = "";
    public string EnabledUser = "";
    public abstract bool IsTeacher { get; }
    public abstract bool IsStudent { get; }
    public abstract string Email { get; }
    public abstract string GivenName { get; }
    public abstract string FamilyName { get; }
    public abstract IReadOnlyList<string> OrgSourcedIds { get; }
}
