using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// Lets a command reuse the roster reading its upstream command in the same pipeline just made
/// (<c>Get-ClassLinkTeacher | Import-SensoUser</c> reads the district once and warns once). The upstream command
/// offers its reading while it emits and withdraws it when it ends, so a reading is only ever taken by a command that
/// runs while it is fresh; and only for the same roster (source and, for files, their sizes and times) and the same
/// as-of date. One per connection; safe to call from any thread.
/// </summary>
public sealed class RosterHandoff
{
    private readonly object _gate = new();
    private (string Key, RosterReading Reading)? _offered;

    /// <summary>Offers <paramref name="reading"/> under <paramref name="key"/> (see <see cref="KeyOf"/>), replacing any earlier offer.</summary>
    public void Offer(string key, RosterReading reading)
    {
        lock (_gate)
        {
            _offered = (key, reading);
        }
    }

    /// <summary>Withdraws the offer of <paramref name="reading"/>, if it is still the one offered.</summary>
    public void Withdraw(RosterReading reading)
    {
        lock (_gate)
        {
            if (_offered is { } offered && ReferenceEquals(offered.Reading, reading))
            {
                _offered = null;
            }
        }
    }

    /// <summary>The offered reading when it is for <paramref name="key"/>, whole (not targeted), and has group data if asked; else null.</summary>
    public RosterReading? Take(string key, bool needGroups)
    {
        lock (_gate)
        {
            return _offered is { } offered && offered.Key == key && !offered.Reading.Targeted && (!needGroups || offered.Reading.HasGroups)
                ? offered.Reading
                : null;
        }
    }

    /// <summary>
    /// The identity of one roster on one date: the source's description, the as-of date and, for a CSV folder or zip,
    /// the length and last write time of each file, so a file rewritten in between is never served from memory.
    /// </summary>
    public static string KeyOf(string sourceDescription, string? csvPath, DateTime asOf)
    {
        var key = new StringBuilder(sourceDescription).Append('|').Append(asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (csvPath is not null)
        {
            var files = Directory.Exists(csvPath)
                ? Directory.GetFiles(csvPath, "*.csv").OrderBy(f => f, StringComparer.Ordinal).Select(f => new FileInfo(f))
                : File.Exists(csvPath) ? new[] { new FileInfo(csvPath) } : Array.Empty<FileInfo>();
            foreach (var file in files)
            {
                key.Append('|').Append(file.Name).Append(':').Append(file.Length.ToString(CultureInfo.InvariantCulture))
                    .Append(':').Append(file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture));
            }
        }
        return key.ToString();
    }
}
