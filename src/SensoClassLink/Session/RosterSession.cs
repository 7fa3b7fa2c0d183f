using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;

namespace SensoClassLink.Session;

/// <summary>
/// Reads the roster for one command with its warnings and progress reported through the cmdlet, so every
/// command that evaluates eligibility or plans groups reports data-quality problems the same way.
/// Callbacks run on the pipeline thread (sources enumerate on the caller's thread).
/// </summary>
internal sealed class RosterSession
{
    private readonly PSCmdlet _cmdlet;
    private readonly ModuleConnection _connection;
    private readonly ProgressReporter _progress;
    private readonly Dictionary<string, int> _warningsByReason = new(StringComparer.Ordinal);

    public RosterSession(PSCmdlet cmdlet, ModuleConnection connection, ProgressReporter progress)
    {
        _cmdlet = cmdlet;
        _connection = connection;
        _progress = progress;
    }

    public int WarningCount { get; private set; }

    public RosterEvaluation Evaluate(DateTime asOf, CancellationToken cancellationToken)
    {
        using var source = _connection.OpenRoster(Observer());
        return EligibilityEngine.Evaluate(source, asOf, Observer(), cancellationToken);
    }

    public IReadOnlyDictionary<string, IReadOnlyList<SensoGroup>> PlanGroups(DateTime asOf, IReadOnlyCollection<string> emails, CancellationToken cancellationToken)
    {
        using var source = _connection.OpenRoster(Observer());
        return ClassGroupPlanner.PlanGroups(source, asOf, emails, cancellationToken);
    }

    /// <summary>One warning line per kind of problem; details (file and line, never values) go to verbose.</summary>
    public void WriteWarningSummary()
    {
        foreach (var pair in _warningsByReason)
        {
            _cmdlet.WriteWarning($"Roster data quality: {pair.Value:N0} x {pair.Key} (see -Verbose for files and lines).");
        }
        _warningsByReason.Clear();
    }

    private RosterReadObserver Observer() => new()
    {
        Warning = warning =>
        {
            WarningCount++;
            string key = warning.Location + ": " + warning.Reason;
            _warningsByReason[key] = _warningsByReason.TryGetValue(key, out int n) ? n + 1 : 1;
            _cmdlet.WriteVerbose("Roster data quality: " + warning);
        },
        Progress = p => _progress.Report($"Reading {p.Collection}: {p.RecordsRead:N0} records", p.PercentComplete),
        Verbose = _cmdlet.WriteVerbose,
    };
}
