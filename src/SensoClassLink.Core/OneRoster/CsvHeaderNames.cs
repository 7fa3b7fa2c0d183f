using System;
using System.Collections.Generic;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// How a CSV header row's names are matched to the OneRoster columns a reader asks for: exactly first, then case-insensitively
/// after trimming, then by the OneRoster 1.0 name of the column. Columns with an empty name are never matched (a header
/// that ends in commas), nor are extension and <c>metadata.*</c> columns, because no reader asks for them.
/// </summary>
internal sealed class CsvHeaderNames
{
    /// <summary>1.1/1.2 column name → the name OneRoster 1.0 (or an exporter's singular) gave it.</summary>
    private static readonly Dictionary<string, string[]> AliasesOf = new(StringComparer.OrdinalIgnoreCase)
    {
        ["userIds"] = new[] { "userId" },
        ["agentSourcedIds"] = new[] { "agents", "agentSourcedId" },
        ["grades"] = new[] { "grade" },
        ["termSourcedIds"] = new[] { "termSourcedId" },
        ["schoolYearSourcedId"] = new[] { "schoolYearId" },
        ["orgSourcedIds"] = new[] { "orgSourcedId" },
        ["subjectCodes"] = new[] { "subjectCode" },
    };

    private readonly Dictionary<string, int> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _folded = new(StringComparer.OrdinalIgnoreCase);

    public CsvHeaderNames(IReadOnlyList<string> names)
    {
        for (int i = 0; i < names.Count; i++)
        {
            // A BOM the decoder did not strip (e.g. a doubled one) must not hide the first header.
            string name = names[i].Trim().TrimStart('\uFEFF').Trim();
            if (name.Length == 0)
            {
                continue;
            }
            // The first of two same-named columns wins, as it always has.
            if (!_exact.ContainsKey(name))
            {
                _exact[name] = i;
            }
            if (!_folded.ContainsKey(name))
            {
                _folded[name] = i;
            }
        }
    }

    /// <summary>The ordinal of a column by its OneRoster 1.1/1.2 name, or -1 when the header has no such column.</summary>
    public int Find(string name)
    {
        // Exact first, so any file read before case-insensitive matching existed still reads the same column.
        if (_exact.TryGetValue(name, out int ordinal) || _folded.TryGetValue(name, out ordinal))
        {
            return ordinal;
        }
        if (AliasesOf.TryGetValue(name, out var aliases))
        {
            foreach (string alias in aliases)
            {
                if (_folded.TryGetValue(alias, out ordinal))
                {
                    return ordinal;
                }
            }
        }
        return -1;
    }
}
