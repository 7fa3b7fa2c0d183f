using System;
using System.Collections.Generic;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// What manifest.csv says about an export: the OneRoster version, and per file whether it is provided whole (bulk), as
/// changes only (delta) or not at all (absent). Property names and modes are read in any case; values may be quoted.
/// </summary>
internal sealed class CsvManifest
{
    private readonly Dictionary<string, (string Mode, long Line)> _files = new(StringComparer.OrdinalIgnoreCase);

    private CsvManifest(string version) => Version = version;

    /// <summary>The declared oneroster.version ("1.1" when it declares none).</summary>
    public string Version { get; private set; }

    /// <summary>Builds the manifest from its (propertyName, value, line) rows; <paramref name="display"/> names it in errors.</summary>
    public static CsvManifest Parse(IEnumerable<(string Name, string Value, long Line)> rows, string display)
    {
        var manifest = new CsvManifest("1.1");
        foreach (var (name, value, line) in rows)
        {
            if (string.Equals(name, "oneroster.version", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Length > 0)
                {
                    manifest.Version = value;
                }
            }
            else if (name.StartsWith("file.", StringComparison.OrdinalIgnoreCase) && name.Length > 5)
            {
                string file = name.Substring(5) + ".csv";
                if (!manifest._files.ContainsKey(file))
                {
                    manifest._files.Add(file, (value.ToLowerInvariant(), line));
                }
            }
            // manifest.version (1 or 1.0), source.* and anything else say nothing the reader needs.
        }
        string v = manifest.Version;
        if (v != "1.1" && v != "1.0" && !v.StartsWith("1.2", StringComparison.Ordinal))
        {
            throw new RosterReadException($"{display} declares oneroster.version '{v}'; only 1.1 and 1.2 can be read.");
        }
        return manifest;
    }

    /// <summary>The mode the manifest gives a file ("bulk", "delta", "absent", lower-cased), or null when it lists none; and its line.</summary>
    public string? ModeOf(string fileName, out long line)
    {
        if (_files.TryGetValue(fileName, out var entry))
        {
            line = entry.Line;
            return entry.Mode;
        }
        line = 0;
        return null;
    }
}
