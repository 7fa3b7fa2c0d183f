using System;
using SensoClassLink.Core.State;

namespace SensoClassLink.Models;

/// <summary>The integration statistics: the figures of the last data sync and of Senso now.</summary>
public sealed class ClassLinkIntegrationStatistic
{
    internal ClassLinkIntegrationStatistic(int usersFromClassLink, int pending, int failed, SyncRunRecord? lastRun, SyncRunRecord? lastSuccessful, DateTimeOffset now)
    {
        UsersFromClassLink = usersFromClassLink;
        PendingGroupSyncs = pending;
        FailedGroupSyncs = failed;
        LastRunStatus = lastRun?.Status;
        LastRunStartedAt = lastRun?.StartedAt.ToLocalTime();
        LastRunEndedAt = lastRun?.EndedAt?.ToLocalTime();
        LastRunMessage = lastRun?.Message ?? "";
        RosterTeachers = lastRun?.RosterTeachers ?? 0;
        EligibleTeachers = lastRun?.EligibleTeachers ?? 0;
        RosterStudents = lastRun?.RosterStudents ?? 0;
        RosterClasses = lastRun?.RosterClasses ?? 0;
        RosterEnrollments = lastRun?.RosterEnrollments ?? 0;
        DataQualityWarnings = lastRun?.DataQualityWarnings ?? 0;
        UsersCreated = lastRun?.UsersCreated ?? 0;
        GroupSyncsCompleted = lastRun?.GroupSyncsCompleted ?? 0;
        GroupSyncsFailed = lastRun?.GroupSyncsFailed ?? 0;
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
    public int RosterTeachers { get; }
    public int EligibleTeachers { get; }
    public int RosterStudents { get; }
    public int RosterClasses { get; }
    public int RosterEnrollments { get; }
    public int DataQualityWarnings { get; }
    public int UsersCreated { get; }
    public int GroupSyncsCompleted { get; }
    public int GroupSyncsFailed { get; }
    /// <summary>When the last Completed or CompletedWithErrors run ended; null when none has.</summary>
    public DateTimeOffset? LastSuccessfulSyncAt { get; }
    public TimeSpan? LastSuccessfulSyncAge { get; }
}
