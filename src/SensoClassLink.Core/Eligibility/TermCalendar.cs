using System;
using System.Collections.Generic;
using SensoClassLink.Core.OneRoster;

namespace SensoClassLink.Core.Eligibility;

/// <summary>Which classes count by their terms (<c>roster.classTerms</c>).</summary>
public enum ClassTermRule
{
    /// <summary>A class counts only in a current term (or when none of its terms is known).</summary>
    Current,
    /// <summary>Terms are not looked at: the rule before terms were read.</summary>
    Any,
}

/// <summary>How one class stands against its terms on the as-of date.</summary>
public readonly struct TermVerdict
{
    public TermVerdict(bool counts, string term)
    {
        Counts = counts;
        Term = term;
    }

    /// <summary>True when a known term is current, or when none of the class's terms is known.</summary>
    public bool Counts { get; }

    /// <summary>What to show as the class's term: the current term's title, else the known terms' titles, else the ids given.</summary>
    public string Term { get; }
}

/// <summary>
/// The academic sessions of a roster against one as-of date: a class is in a current term when, of its term ids, those
/// that name an active session include one with startDate ≤ as-of ≤ endDate (both inclusive; a blank date is open).
/// A tobedeleted session is as if absent. A class none of whose term ids resolve counts: the district gave no term
/// information. Pure: built from records, no I/O.
/// </summary>
public sealed class TermCalendar
{
    private readonly Dictionary<string, (string Title, bool Current)> _sessions = new(StringComparer.Ordinal);

    private TermCalendar()
    {
    }

    /// <summary>Reads the sessions; a duplicate sourcedId or an unreadable date is warned (such a session is never current).</summary>
    public static TermCalendar Build(IEnumerable<RosterAcademicSession> sessions, DateTime asOf, Action<DataQualityWarning> warn)
    {
        string day = RosterIndex.FormatDate(asOf);
        var calendar = new TermCalendar();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var session in sessions)
        {
            if (session.SourcedId.Length == 0)
            {
                warn(new DataQualityWarning(session.Location, session.Line, "the academic session has no sourcedId"));
                continue;
            }
            if (!seen.Add(session.SourcedId))
            {
                warn(new DataQualityWarning(session.Location, session.Line, "another academic session has the same sourcedId"));
                continue;
            }
            if (!session.IsActive)
            {
                continue;
            }
            bool current = true;
            if (session.StartDate.Trim().Length > 0)
            {
                if (OneRosterValues.TryParseDate(session.StartDate, out string start))
                {
                    current &= string.CompareOrdinal(start, day) <= 0;
                }
                else
                {
                    warn(new DataQualityWarning(session.Location, session.Line, "the academic session's startDate is not a YYYY-MM-DD date"));
                    current = false;
                }
            }
            if (session.EndDate.Trim().Length > 0)
            {
                if (OneRosterValues.TryParseDate(session.EndDate, out string end))
                {
                    current &= string.CompareOrdinal(day, end) <= 0;
                }
                else
                {
                    warn(new DataQualityWarning(session.Location, session.Line, "the academic session's endDate is not a YYYY-MM-DD date"));
                    current = false;
                }
            }
            calendar._sessions.Add(session.SourcedId, (session.Title.Trim(), current));
        }
        return calendar;
    }

    /// <summary>
    /// Judges one class by its term ids. Each id that names no active session is added to <paramref name="unresolved"/>
    /// (the caller warns, with the class's file and line).
    /// </summary>
    public TermVerdict Judge(IReadOnlyList<string> termIds, List<string> unresolved)
    {
        bool anyKnown = false;
        string? current = null;
        var known = new List<string>();
        foreach (string id in termIds)
        {
            if (!_sessions.TryGetValue(id, out var session))
            {
                unresolved.Add(id);
                continue;
            }
            anyKnown = true;
            string title = session.Title.Length > 0 ? session.Title : id;
            known.Add(title);
            if (session.Current && current is null)
            {
                current = title;
            }
        }
        if (!anyKnown)
        {
            return new TermVerdict(true, string.Join(", ", termIds));
        }
        return new TermVerdict(current is not null, current ?? string.Join(", ", known));
    }
}
