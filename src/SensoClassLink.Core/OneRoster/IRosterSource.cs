using System;
using System.Collections.Generic;
using System.Threading;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// Streams one district's roster. Implementations (CSV folder or zip, OneRoster REST) yield records
/// as they read them and never hold a whole collection; each call starts a fresh pass.
/// A source that cannot deliver a complete collection throws <see cref="RosterReadException"/>
/// rather than ending early, so a partial roster never reaches eligibility as if it were whole.
/// </summary>
public interface IRosterSource : IDisposable
{
    /// <summary>A description safe to show and log: kind and location, never credentials.</summary>
    string Description { get; }

    IEnumerable<RosterOrg> ReadOrgs(CancellationToken cancellationToken);

    IEnumerable<RosterUser> ReadUsers(CancellationToken cancellationToken);

    IEnumerable<RosterClass> ReadClasses(CancellationToken cancellationToken);

    IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken cancellationToken);
}

/// <summary>
/// Callbacks a source reports through while it reads. <see cref="Warning"/> and <see cref="Progress"/> are invoked on
/// the enumerating thread; <see cref="Verbose"/> may be invoked from any thread (a REST source's HTTP callbacks), so pass
/// a thread-safe sink such as <see cref="IEngineEventSink.Verbose"/>.
/// </summary>
public sealed class RosterReadObserver
{
    public static readonly RosterReadObserver None = new();

    /// <summary>A row or record that could not be used; the read goes on.</summary>
    public Action<DataQualityWarning>? Warning { get; init; }

    /// <summary>Progress of the current collection, throttled by the source.</summary>
    public Action<RosterReadProgress>? Progress { get; init; }

    /// <summary>Diagnostic lines (requests, timings) with nothing personal or secret in them.</summary>
    public Action<string>? Verbose { get; init; }
}

/// <summary>A problem with one row or record: where it is and why it was skipped. Never holds the row's values.</summary>
public sealed class DataQualityWarning
{
    public DataQualityWarning(string location, long line, string reason, bool restOfFileUnread = false)
    {
        Location = location;
        Line = line;
        Reason = reason;
        RestOfFileUnread = restOfFileUnread;
    }

    /// <summary>
    /// True when the reader could not go on past this point (a malformed quote swallows the rest of a CSV file):
    /// the roster is then incomplete, and nothing may be removed or written on its strength.
    /// </summary>
    public bool RestOfFileUnread { get; }

    /// <summary>The file (CSV) or endpoint (REST) the record came from.</summary>
    public string Location { get; }

    /// <summary>The 1-based line in a CSV file, or 0 when not applicable.</summary>
    public long Line { get; }

    public string Reason { get; }

    public override string ToString() => Line > 0 ? $"{Location} line {Line}: {Reason}" : $"{Location}: {Reason}";
}

/// <summary>How far a source is through one collection.</summary>
public sealed class RosterReadProgress
{
    public RosterReadProgress(string collection, long recordsRead, long? bytesRead, long? bytesTotal, long? recordsTotal)
    {
        Collection = collection;
        RecordsRead = recordsRead;
        BytesRead = bytesRead;
        BytesTotal = bytesTotal;
        RecordsTotal = recordsTotal;
    }

    public string Collection { get; }
    public long RecordsRead { get; }
    public long? BytesRead { get; }
    public long? BytesTotal { get; }
    public long? RecordsTotal { get; }

    /// <summary>0..100 when the total is known, else -1.</summary>
    public int PercentComplete =>
        BytesTotal is > 0 && BytesRead is not null ? (int)Math.Min(100, BytesRead.Value * 100 / BytesTotal.Value)
        : RecordsTotal is > 0 ? (int)Math.Min(100, RecordsRead * 100 / RecordsTotal.Value)
        : -1;
}

/// <summary>
/// A roster that cannot be read completely: a missing file or header, or a REST pull that did not finish.
/// Not sealed: <c>RosterAuthenticationException</c> (401/403 from the Roster Server) derives from it, so a
/// command that catches this type also stops cleanly on authentication failures.
/// </summary>
public class RosterReadException : Exception
{
    public RosterReadException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
