using System;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Commands;

/// <summary>Lists the group-sync queue: queued, running, completed and failed jobs with their attempts and last error.</summary>
[Cmdlet(VerbsCommon.Get, "SensoGroupSyncJob")]
[OutputType(typeof(GroupSyncJob))]
public sealed class GetSensoGroupSyncJobCommand : SensoClassLinkCmdlet
{
    /// <summary>Only jobs in this state (the queue's states of the one group-sync vocabulary).</summary>
    [Parameter(Position = 0)]
    [ValidateSet(nameof(GroupSyncStatus.Queued), nameof(GroupSyncStatus.Running), nameof(GroupSyncStatus.Completed), nameof(GroupSyncStatus.Failed))]
    public GroupSyncStatus? Status { get; set; }

    /// <summary>Only jobs for these users (wildcards allowed).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Email { get; set; }

    protected override void ProcessRecord()
    {
        var state = Connection.ExistingState;
        if (state is null)
        {
            return;
        }
        var patterns = Email?.Select(e => WildcardPattern.Get(EmailAddress.Normalize(e), WildcardOptions.IgnoreCase)).ToList();
        foreach (var job in state.GroupSyncQueue.GetJobs(Status))
        {
            if (patterns is null || patterns.Any(p => p.IsMatch(job.Email)))
            {
                WriteObject(job);
            }
        }
    }
}
