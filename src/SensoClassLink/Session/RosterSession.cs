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
    private readonly RosterProblemLog _problems = new();

    public RosterSession(PSCmdlet cmdlet, ModuleConnection connection, ProgressReporter progress)
    {
        _cmdlet = cmdlet;
        _connection = connection;
        _progress = progress;
    }

    public int WarningCount => _problems.Count;

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

    /// <summary>Reports the data-quality problems of the reads so far (see <see cref="RosterProblemLog"/>).</summary>
    public void WriteWarningSummary() => _problems.Report(_cmdlet);

    private RosterReadObserver Observer() => new()
    {
        Warning = _problems.Add,
        Progress = p => _progress.Report($"Reading {p.Collection}: {p.RecordsRead:N0} records", p.PercentComplete),
        Verbose = _cmdlet.WriteVerbose,
    };
}
