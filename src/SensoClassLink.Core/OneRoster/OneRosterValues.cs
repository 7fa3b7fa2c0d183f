using System;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// How OneRoster values are spelled in real exports (CSV and REST alike): booleans, dates and dateTimes. One place, so every
/// reader gives a value the same meaning.
/// </summary>
public static class OneRosterValues
{
    /// <summary>
    /// A OneRoster boolean (<c>enabledUser</c>, <c>primary</c>): <c>true</c>/<c>false</c>, <c>1</c>/<c>0</c> or
    /// <c>yes</c>/<c>no</c> in any case, surrounding spaces ignored. False for blank or anything else.
    /// </summary>
    public static bool TryParseBoolean(string? value, out bool result)
    {
        result = false;
        if (value is null)
        {
            return false;
        }
        string s = value.Trim();
        if (s == "1" || string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) || string.Equals(s, "yes", StringComparison.OrdinalIgnoreCase))
        {
            result = true;
            return true;
        }
        return s == "0" || string.Equals(s, "false", StringComparison.OrdinalIgnoreCase) || string.Equals(s, "no", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"true" or "false" for a readable boolean; anything else (blank, unknown words) unchanged, for the rules to judge.</summary>
    public static string NormalizeBoolean(string value) =>
        TryParseBoolean(value, out bool result) ? (result ? "true" : "false") : value;

    /// <summary>The YYYY-MM-DD form of a readable date (<see cref="TryParseDate"/>); a blank or unreadable value unchanged, for the rules to judge.</summary>
    public static string NormalizeDate(string value) => TryParseDate(value, out string date) ? date : value;

    /// <summary>
    /// The calendar date of a OneRoster date or dateTime as <c>YYYY-MM-DD</c>, so dates compare as strings. Read:
    /// <c>YYYY-MM-DD</c>, ISO 8601 date-times (<c>2025-08-01T08:00:00Z</c>, with or without zone or milliseconds) and
    /// <c>YYYY-MM-DD HH:MM:SS</c>. The date is taken as written: a zone never moves it to another day, because the
    /// export's author meant that day. What follows the date is not checked further (it never changes the day), so no
    /// date read before this rule existed is refused now.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public static bool TryParseDate(string value, out string date)
    {
        date = value;
        string s = value.Length > 0 && (value[0] == ' ' || value[value.Length - 1] == ' ') ? value.Trim() : value;
        if (s.Length < 10 || (s.Length > 10 && s[10] != 'T' && s[10] != 't' && s[10] != ' '))
        {
            return false;
        }
        for (int i = 0; i < 10; i++)
        {
            bool dash = i == 4 || i == 7;
            if (dash ? s[i] != '-' : s[i] < '0' || s[i] > '9')
            {
                return false;
            }
        }
        int month = (s[5] - '0') * 10 + (s[6] - '0');
        int day = (s[8] - '0') * 10 + (s[9] - '0');
        if (month < 1 || month > 12 || day < 1 || day > 31)
        {
            return false;
        }
        date = s.Length == 10 ? s : s.Substring(0, 10);
        return true;
    }

    /// <summary>
    /// Whether a record with these begin and end dates is current on <paramref name="asOf"/> (<c>YYYY-MM-DD</c>):
    /// begin on or before it, end after it (OneRoster's end date is exclusive); blank means unbounded. An unreadable
    /// date makes the record not current and names itself in <paramref name="unreadable"/> ("beginDate"/"endDate").
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public static bool IsCurrent(string beginDate, string endDate, string asOf, out string? unreadable)
    {
        unreadable = null;
        if (beginDate.Length > 0)
        {
            if (!TryParseDate(beginDate, out string begin))
            {
                unreadable = "beginDate";
                return false;
            }
            if (string.CompareOrdinal(begin, asOf) > 0)
            {
                return false;
            }
        }
        if (endDate.Length > 0)
        {
            if (!TryParseDate(endDate, out string end))
            {
                unreadable = "endDate";
                return false;
            }
            if (string.CompareOrdinal(asOf, end) >= 0)
            {
                return false;
            }
        }
        return true;
    }
}
