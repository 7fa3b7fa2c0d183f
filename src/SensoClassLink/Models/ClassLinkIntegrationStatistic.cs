using System;
using SensoClassLink.Core.State;

namespace SensoClassLink.Models;

/// <summary>The integration statistics: the figures of the last data sync and of Senso now.</summary>
public sealed class ClassLinkIntegrationStatistic
{
    // The last run's figures (none when no run was recorded); the figure properties below read them.
    private readonly SyncRunFigures _lastRunFigures;

    internal ClassLinkIntegrationStatistic(int usersFromClassLink, int pending, int failed, SyncRunRecord? lastRun, SyncRunRecord? lastSuccessful, DateTimeOffset now)
    {
        UsersFromClassLink = usersFromClassLink;
        PendingGroupSyncs = pending;
        FailedGroupSyncs = failed;
        LastRunStatus = lastRun?.Status;
        LastRunStartedAt = lastRun?.StartedAt.ToLocalTime();
        LastRunEndedAt = lastRun?.EndedAt?.ToLocalTime();
        LastRunMessage = lastRun?.Message ?? "";
        _lastRunFigures = lastRun?.Figures ?? SyncRunFigures.None;
        var successEnd = lastSuccessful?.EndedAt ?? lastSuccessful?.StartedAt;
        LastSuccessfulSyncAt = successEnd?.ToLocalTime();
        LastSuccessfulSyncAge = successEnd is { } at ? now - at : null;
    }

    /// <summary>Senso users whose account came from ClassLink.</summary>
    public int UsersFromClassLink { get; }
    /// <summary>Group syncs queued or running.</summary>
    public int PendingGroupSyncs { get; }
    /// <summary>Group syncs that gave up after the attempt limit.</summary>
    public int FailedGroupSyncs { get; }
    public SyncRunStatus? LastRunStatus { get; }
    public DateTimeOffset? LastRunStartedAt { get; }
    public DateTimeOffset? LastRunEndedAt { get; }
    public string LastRunMessage { get; }
    public int RosterTeachers => _lastRunFigures.RosterTeachers;
    public int EligibleTeachers => _lastRunFigures.EligibleTeachers;
    public int RosterStudents => _lastRunFigures.RosterStudents;
    public int RosterClasses => _lastRunFigures.RosterClasses;
    public int RosterEnrollments => _lastRunFigures.RosterEnrollments;
    public int DataQualityWarnings => _lastRunFigures.DataQualityWarnings;
    public int UsersCreated => _lastRunFigures.UsersCreated;
    public int UsersRenamed => _lastRunFigures.UsersRenamed;
    public int UsersDeparted => _lastRunFigures.UsersDeparted;
    public int UsersSuspended => _lastRunFigures.UsersSuspended;
    public int UsersReactivated => _lastRunFigures.UsersReactivated;
    public int GroupsRemoved => _lastRunFigures.GroupsRemoved;
    public int GroupSyncsCompleted => _lastRunFigures.GroupSyncsCompleted;
    public int GroupSyncsFailed => _lastRunFigures.GroupSyncsFailed;
    /// <summary>When the last Completed or CompletedWithErrors run ended; null when none has.</summary>
    public DateTimeOffset? LastSuccessfulSyncAt { get; }
    public TimeSpan? LastSuccessfulSyncAge { get; }
}
