using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Core.OneRoster;

namespace SensoClassLink.Session;

/// <summary>
/// Collects a roster read's data-quality warnings and reports them the same way in every command: one warning
/// with counts by file and problem, and the file and line of each in the verbose stream. Never row values
/// (roster rows are personal data). Call from the pipeline thread.
/// </summary>
internal sealed class RosterProblemLog
{
    private const int LinesShownPerProblem = 50;
    private readonly Dictionary<(string Location, string Reason), Problem> _problems = new();

    public int Count { get; private set; }

    public void Add(DataQualityWarning warning)
    {
        Count++;
        if (!_problems.TryGetValue((warning.Location, warning.Reason), out var problem))
        {
            _problems.Add((warning.Location, warning.Reason), problem = new Problem());
        }
        problem.Count++;
        if (problem.Lines.Count < LinesShownPerProblem)
        {
            problem.Lines.Add(warning.Line);
        }
    }

    /// <summary>Writes the summary warning and the verbose details, then forgets them.</summary>
    public void Report(Cmdlet cmdlet)
    {
        if (_problems.Count == 0)
        {
            return;
        }
        var summary = _problems.OrderBy(p => p.Key.Location, StringComparer.Ordinal).ThenByDescending(p => p.Value.Count)
            .Select(p => $"{p.Key.Location}: {p.Value.Count:N0} × {p.Key.Reason}");
        cmdlet.WriteWarning($"The roster has {Count:N0} data-quality problem(s); the rows concerned were not used. {string.Join("; ", summary)}. " +
            "Run with -Verbose for the file and line of each.");
        foreach (var pair in _problems)
        {
            var problem = pair.Value;
            string shown = string.Join(", ", problem.Lines.Select(l => l > 0 ? "line " + l : "(file)"));
            string more = problem.Count > problem.Lines.Count ? $" and {problem.Count - problem.Lines.Count:N0} more" : "";
            cmdlet.WriteVerbose($"{pair.Key.Location}: {pair.Key.Reason}: {shown}{more}.");
        }
        _problems.Clear();
        Count = 0;
    }

    private sealed class Problem
    {
        public long Count;
        public List<long> Lines { get; } = new();
    }
}
