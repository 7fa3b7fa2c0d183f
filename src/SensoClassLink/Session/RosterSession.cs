using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;
using SensoClassLink.Errors;

namespace SensoClassLink.Session;

/// <summary>
/// Reads the roster for one command with its warnings and progress reported through the cmdlet, so every
/// command that evaluates eligibility or plans groups reports data-quality problems the same way.
/// Reads run off the pipeline thread through <see cref="SensoClassLinkCmdlet.RunEngine{T}"/>; their progress and verbose
/// lines go through the command's event channel and are written on the pipeline thread.
/// A command that reads the roster more than once shares one source across its reads: a remote (REST) roster is
/// then pulled once into a <see cref="RosterSnapshot"/> and replayed, so all reads see the same records.
/// Dispose it when the command ends: that deletes the snapshot.
/// </summary>
internal sealed class RosterSession : IDisposable
{
    private readonly SensoClassLinkCmdlet _cmdlet;
    private readonly ModuleConnection _connection;
    private readonly ProgressReporter _progress;
    private readonly RosterProblemLog _problems = new();
    private readonly bool _readsMoreThanOnce;
    private IRosterSource? _shared;

    /// <param name="readsMoreThanOnce">
    /// True when the command will read the whole roster more than once (evaluate then plan groups, or plan groups,
    /// which reads enrollments twice). False opens a fresh source for each read and writes nothing to disk.
    /// </param>
    public RosterSession(SensoClassLinkCmdlet cmdlet, ModuleConnection connection, ProgressReporter progress, bool readsMoreThanOnce = false)
    {
        _cmdlet = cmdlet;
        _connection = connection;
        _progress = progress;
        _readsMoreThanOnce = readsMoreThanOnce;
    }

    /// <summary>The first warning that left a file unread past it, or null while every read was whole.</summary>
    public DataQualityWarning? Truncation { get; private set; }

    /// <summary>True while no read stopped early: only then may groups be replaced from what was read.</summary>
    public bool Complete => Truncation is null;

    /// <summary>
    /// Evaluates eligibility. With <paramref name="onlyTeachers"/> (a few normalized emails) a source that supports
    /// teacher scopes (REST) reads only those teachers' data (see <see cref="TargetedRoster"/>).
    /// </summary>
    public RosterEvaluation Evaluate(DateTime asOf, CancellationToken cancellationToken, IReadOnlyCollection<string>? onlyTeachers = null) =>
        StopOnUnreadableRoster(cancellationToken, () =>
            Read(source => TargetedRoster.Evaluate(source, asOf, Observer(), onlyTeachers, cancellationToken)));

    /// <summary>Each requested teacher's desired groups; targeted per teacher where the source allows it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SensoGroup>> PlanGroups(DateTime asOf, IReadOnlyCollection<string> emails, CancellationToken cancellationToken) =>
        StopOnUnreadableRoster(cancellationToken, () =>
            Read(source => TargetedRoster.PlanGroups(source, asOf, emails, cancellationToken)));

    /// <summary>Deletes the snapshot, if one was taken, and closes the shared source.</summary>
    public void Dispose()
    {
        _shared?.Dispose();
        _shared = null;
    }

    private T Read<T>(Func<IRosterSource, T> read)
    {
        if (!_readsMoreThanOnce)
        {
            using var source = _connection.OpenRoster(Observer());
            return read(source);
        }
        return read(_shared ??= OpenShared());
    }

    /// <summary>A source whose reads are repeatable (a local CSV export) is read as it is; any other is snapshotted on its first read.</summary>
    private IRosterSource OpenShared()
    {
        var source = _connection.OpenRoster(Observer());
        if (source is IRepeatableRosterSource)
        {
            return source;
        }
        try
        {
            return new RosterSnapshot(source, new RosterReadObserver { Progress = Observer().Progress, Verbose = _cmdlet.EventChannel.Verbose });
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads through the command's engine helper: the read runs off the pipeline thread while its events (warnings
    /// collected here, progress, and the request lines a REST source reports from its HTTP threads) are written on it.
    /// A roster that cannot be read (missing file, failed or incomplete pull, bad configuration) stops the whole command.
    /// </summary>
    private T StopOnUnreadableRoster<T>(CancellationToken cancellationToken, Func<T> read)
    {
        try
        {
            return _cmdlet.RunEngine((_, _) => Task.FromResult(read()), _progress, mapCallFailures: false);
        }
        catch (RosterReadException ex)
        {
            _cmdlet.ThrowTerminatingError(ErrorCatalog.Record(ex));
            throw; // not reached
        }
        catch (ConfigurationException ex)
        {
            _cmdlet.ThrowTerminatingError(ErrorCatalog.Record(ex));
            throw; // not reached
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Reports the data-quality problems of the reads so far (see <see cref="RosterProblemLog"/>).</summary>
    public void WriteWarningSummary() => _problems.Report(_cmdlet);

    private RosterReadObserver Observer() => new()
    {
        Warning = warning =>
        {
            lock (_problems)
            {
                _problems.Add(warning);
                if (warning.RestOfFileUnread)
                {
                    Truncation ??= warning;
                }
            }
        },
        Progress = p => _cmdlet.EventChannel.Progress($"Reading {p.Collection}: {p.RecordsRead:N0} records", p.PercentComplete),
        // A REST source reports its requests from HTTP threads: the command's event channel writes them on the pipeline thread.
        Verbose = _cmdlet.EventChannel.Verbose,
    };
}
