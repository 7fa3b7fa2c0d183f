using System;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;
using SensoClassLink.Models;

namespace SensoClassLink.Commands;

/// <summary>The integration statistics Senso shows above the ClassLink options: last run figures and Senso's state now.</summary>
[Cmdlet(VerbsCommon.Get, "ClassLinkIntegrationStatistic")]
[OutputType(typeof(ClassLinkIntegrationStatistic))]
public sealed class GetClassLinkIntegrationStatisticCommand : SensoCommandBase
{
    private const int PageSize = 500;

    protected override void EndProcessing()
    {
        int fromClassLink = 0;
        for (int skip = 0; ; skip += PageSize)
        {
            var page = Await(Senso.SearchUsersAsync(null, PageSize, skip, CancellationToken));
            fromClassLink += page.Users.Count(u => string.Equals(u.Source, "classlink", StringComparison.OrdinalIgnoreCase));
            if (page.Users.Count < PageSize)
            {
                break;
            }
        }
        // Reading statistics never creates the state file.
        var state = Connection.ExistingState;
        var jobs = state?.GroupSyncQueue.GetJobs() ?? Array.Empty<GroupSyncJob>();
        var lastRun = state?.RunHistory.GetLast(SyncOptions.NightlyRunKind);
        var lastSuccessful = state?.RunHistory.GetLast(SyncOptions.NightlyRunKind, SyncRunStatus.Completed, SyncRunStatus.CompletedWithErrors);
        WriteObject(new ClassLinkIntegrationStatistic(fromClassLink,
            jobs.Count(j => j.Status is GroupSyncStatus.Queued or GroupSyncStatus.Running),
            jobs.Count(j => j.Status == GroupSyncStatus.Failed),
            lastRun, lastSuccessful, DateTimeOffset.UtcNow));
    }
}
