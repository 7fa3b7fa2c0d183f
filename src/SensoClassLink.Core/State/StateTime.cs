using System;
using System.Globalization;

namespace SensoClassLink.Core.State;

/// <summary>How the state file keeps times: sortable UTC text, so ORDER BY and comparisons in SQL are correct.</summary>
internal static class StateTime
{
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
