using System;
using System.Collections.Generic;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// Builds OneRoster <c>filter</c> parameters only from values that cannot change the query's meaning:
/// a conservative allow-list (letters, digits and <c>@ . _ + -</c>), no quote, no space, bounded length.
/// Anything else is refused, and the caller falls back to a full pull matched locally, so a value such
/// as <c>x' OR email~'</c> never widens a query.
/// </summary>
public static class OneRosterFilter
{
    public const int MaxValueLength = 254;

    public static bool IsSafeValue(string value)
    {
        if (value.Length == 0 || value.Length > MaxValueLength)
        {
            return false;
        }
        foreach (char c in value)
        {
            bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '@' || c == '.' || c == '_' || c == '+' || c == '-';
            if (!allowed)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The query pair <c>filter=field='value'</c> (decoded; the client encodes it), or null when the value is not safe.</summary>
    public static KeyValuePair<string, string>? Equal(string field, string value) =>
        IsSafeValue(value) ? new KeyValuePair<string, string>("filter", field + "='" + value + "'") : null;
}
