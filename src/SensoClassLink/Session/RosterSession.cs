using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
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

    /// <summary>The first warning that left a file unread past it, or null while every read was whole.</summary>
    public DataQualityWarning? Truncation { get; private set; }

    /// <summary>True while no read stopped early: only then may groups be replaced from what was read.</summary>
    public bool Complete => Truncation is null;

    /// <summary>Up to this many teachers, a source that can read one teacher's data on its own (REST) is asked per teacher.</summary>
    public const int TargetedTeacherLimit = 20;

    /// <summary>
    /// Evaluates eligibility. With <paramref name="onlyTeachers"/> (a few normalized emails) and a source that supports
    /// teacher scopes, only those teachers' data is read, with targeted queries, instead of the whole district; the
    /// answer for them is the same. The result then holds only the teachers found.
    /// </summary>
    public RosterEvaluation Evaluate(DateTime asOf, CancellationToken cancellationToken, IReadOnlyCollection<string>? onlyTeachers = null) =>
        StopOnUnreadableRoster(cancellationToken, () => EvaluateCore(asOf, cancellationToken, onlyTeachers));

    private RosterEvaluation EvaluateCore(DateTime asOf, CancellationToken cancellationToken, IReadOnlyCollection<string>? onlyTeachers)
    {
        using var source = _connection.OpenRoster(Observer());
        if (Targetable(source, onlyTeachers) is not { } scopes)
        {
            return EligibilityEngine.Evaluate(source, asOf, Observer(), cancellationToken);
        }
        var found = new List<TeacherEligibility>();
        foreach (string email in onlyTeachers!)
        {
            using var scoped = scopes.ScopeToTeacher(email);
            if (EligibilityEngine.Evaluate(scoped, asOf, Observer(), cancellationToken).Find(email) is { } teacher)
            {
                found.Add(teacher);
            }
        }
        return new RosterEvaluation(found, new RosterStatistics { Teachers = found.Count, EligibleTeachers = found.Count(t => t.Eligible) });
    }

    /// <summary>Each requested teacher's desired groups; targeted per teacher when the source allows it (see <see cref="Evaluate"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SensoGroup>> PlanGroups(DateTime asOf, IReadOnlyCollection<string> emails, CancellationToken cancellationToken) =>
        StopOnUnreadableRoster(cancellationToken, () => PlanGroupsCore(asOf, emails, cancellationToken));

    private IReadOnlyDictionary<string, IReadOnlyList<SensoGroup>> PlanGroupsCore(DateTime asOf, IReadOnlyCollection<string> emails, CancellationToken cancellationToken)
    {
        using var source = _connection.OpenRoster(Observer());
        if (Targetable(source, emails) is not { } scopes)
        {
            return ClassGroupPlanner.PlanGroups(source, asOf, emails, cancellationToken);
        }
        var planned = new Dictionary<string, IReadOnlyList<SensoGroup>>(StringComparer.Ordinal);
        foreach (string email in emails)
        {
            using var scoped = scopes.ScopeToTeacher(email);
            foreach (var pair in ClassGroupPlanner.PlanGroups(scoped, asOf, new[] { email }, cancellationToken))
            {
                planned[pair.Key] = pair.Value;
            }
        }
        return planned;
    }

    /// <summary>A roster that cannot be read (missing file, failed or incomplete pull, bad configuration) stops the whole command.</summary>
    private T StopOnUnreadableRoster<T>(CancellationToken cancellationToken, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (RosterReadException ex)
        {
            _cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "RosterUnreadable", ErrorCategory.ReadError, null));
            throw; // not reached
        }
        catch (ConfigurationException ex)
        {
            _cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "InvalidConfiguration", ErrorCategory.InvalidData, null));
            throw; // not reached
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    private static ISupportsTeacherScope? Targetable(IRosterSource source, IReadOnlyCollection<string>? emails) =>
        emails is { Count: > 0 and <= TargetedTeacherLimit } && source is ISupportsTeacherScope scopes ? scopes : null;

    /// <summary>Reports the data-quality problems of the reads so far (see <see cref="RosterProblemLog"/>).</summary>
    public void WriteWarningSummary() => _problems.Report(_cmdlet);

    private RosterReadObserver Observer() => new()
    {
        Warning = warning =>
        {
            _problems.Add(warning);
            if (warning.RestOfFileUnread)
            {
                Truncation ??= warning;
            }
        },
        Progress = p => _progress.Report($"Reading {p.Collection}: {p.RecordsRead:N0} records", p.PercentComplete),
        Verbose = _cmdlet.WriteVerbose,
    };
}
