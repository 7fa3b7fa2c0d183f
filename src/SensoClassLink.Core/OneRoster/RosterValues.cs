using System;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// How OneRoster field values are read, whatever the source: booleans (<c>enabledUser</c>, <c>primary</c>) and dates
/// as districts and servers really send them. The status rule (any case; blank or active counts) is
/// <see cref="RosterStatus"/>. Pure functions, so every reader applies the same rules.
/// </summary>
public static class RosterValues
{
    /// <summary>true/false, 1/0 and yes/no in any case, surrounding blanks ignored; false for anything else (blank included).</summary>
    public static bool TryParseBoolean(string? value, out bool result)
    {
        result = false;
        if (value is null)
        {
            return false;
        }
        string s = value.Trim();
        if (s == "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            result = true;
            return true;
        }
        return s == "0" || s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.Equals("no", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"true" or "false" for a readable boolean; anything else (blank, unknown words) unchanged, for the rules to judge.</summary>
    public static string NormalizeBoolean(string value) =>
        TryParseBoolean(value, out bool result) ? (result ? "true" : "false") : value;

    /// <summary>
    /// A date as YYYY-MM-DD: <c>YYYY-MM-DD</c>, an ISO 8601 date-time (<c>T</c>, with or without seconds, fraction and
    /// zone: <c>Z</c>, <c>±HH:MM</c>, <c>±HHMM</c>, <c>±HH</c>), or <c>YYYY-MM-DD HH:MM:SS</c>; blanks around it are ignored.
    /// The calendar date is the one written (a zone never moves it to another day). False for anything else,
    /// including impossible dates such as 2025-02-30.
    /// </summary>
    public static bool TryParseDate(string? value, out string date)
    {
        date = "";
        if (value is null)
        {
            return false;
        }
        string s = value.Trim();
        if (s.Length < 10 || !IsCalendarDate(s))
        {
            return false;
        }
        if (s.Length > 10 && !IsTimeOfDay(s, 11, s[10]))
        {
            return false;
        }
        date = s.Length == 10 ? s : s.Substring(0, 10);
        return true;
    }

    /// <summary>The YYYY-MM-DD form of a readable date; a blank or unreadable value unchanged, for the rules to judge.</summary>
    public static string NormalizeDate(string value) =>
        value.Length == 10 && IsCalendarDate(value) ? value : TryParseDate(value, out string date) ? date : value;

    private static bool IsCalendarDate(string s)
    {
        if (s[4] != '-' || s[7] != '-' || !Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day))
        {
            return false;
        }
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    /// <summary>HH:MM[:SS[.fff...]][zone] from <paramref name="at"/> to the end, after a 'T' or a space.</summary>
    private static bool IsTimeOfDay(string s, int at, char separator)
    {
        if (separator != 'T' && separator != 't' && separator != ' ')
        {
            return false;
        }
        if (!TwoDigits(s, at, 23) || !Char(s, at + 2, ':') || !TwoDigits(s, at + 3, 59))
        {
            return false;
        }
        int i = at + 5;
        if (Char(s, i, ':'))
        {
            if (!TwoDigits(s, i + 1, 60))
            {
                return false;
            }
            i += 3;
            if (Char(s, i, '.') || Char(s, i, ','))
            {
                int start = ++i;
                while (i < s.Length && s[i] is >= '0' and <= '9')
                {
                    i++;
                }
                if (i == start)
                {
                    return false;
                }
            }
        }
        if (i == s.Length)
        {
            return true;
        }
        if (s[i] is 'Z' or 'z')
        {
            return i + 1 == s.Length;
        }
        if (s[i] is not ('+' or '-') || !TwoDigits(s, i + 1, 14))
        {
            return false;
        }
        i += 3;
        if (i == s.Length)
        {
            return true;
        }
        if (Char(s, i, ':'))
        {
            i++;
        }
        return TwoDigits(s, i, 59) && i + 2 == s.Length;
    }

    private static bool Char(string s, int at, char c) => at < s.Length && s[at] == c;

    private static bool TwoDigits(string s, int at, int max) => Digits(s, at, 2, out int value) && value <= max;

    private static bool Digits(string s, int at, int count, out int value)
    {
        value = 0;
        if (at + count > s.Length)
        {
            return false;
        }
        for (int i = at; i < at + count; i++)
        {
            if (s[i] is < '0' or > '9')
            {
                return false;
            }
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }
}
