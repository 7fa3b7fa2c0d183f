using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Completers;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;
using SensoClassLink.Errors;
using SensoClassLink.Models;
using SensoClassLink.Session;

namespace SensoClassLink.Commands;

/// <summary>
/// Queues a resync of users' ClassLink class groups and (unless -QueueOnly) runs it: each user's groups in
/// Senso become the classes they teach that have students, with the roster's owners and members.
/// </summary>
[Cmdlet(VerbsData.Sync, "SensoUserGroup", DefaultParameterSetName = ByEmailSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SensoGroupSyncResult))]
public sealed class SyncSensoUserGroupCommand : SensoCommandBase
{
    private const string ByEmailSet = "ByEmail";
    private const string AllSet = "All";
    private const int PageSize = 500;

    private readonly List<(string Email, object Target)> _users = new();

    /// <summary>Senso users to resync, by email; binds from the Email property of piped objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByEmailSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SensoUserEmailCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Email { get; set; } = Array.Empty<string>();

    /// <summary>Resync every Senso user that came from ClassLink.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>Only queue the syncs; the next data sync or a later Sync-SensoUserGroup runs them.</summary>
    [Parameter]
    public SwitchParameter QueueOnly { get; set; }

    /// <summary>The date the roster is judged on; defaults to today.</summary>
    [Parameter]
    public DateTime AsOf { get; set; } = DateTime.Today;

    /// <summary>How many Senso requests run at once.</summary>
    [Parameter]
    [ValidateRange(1, 32)]
    public int ThrottleLimit { get; set; } = 4;

    protected override void ProcessRecord()
    {
        if (All)
        {
            return;
        }
        foreach (string email in Email)
        {
            _users.Add((EmailAddress.Normalize(email), email));
        }
    }

    protected override void EndProcessing()
    {
        bool whatIf = WhatIfRequested;
        if (All)
        {
            foreach (var user in ClassLinkUsers())
            {
                _users.Add((user.Email, user.Email));
            }
        }
        var chosen = new List<(string Email, object Target)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in _users)
        {
            if (user.Email.Length == 0 || !seen.Add(user.Email))
            {
                continue;
            }
            if (ShouldProcess(user.Email, QueueOnly ? "Queue a class-group sync" : "Resync ClassLink class groups") || whatIf)
            {
                chosen.Add(user);
            }
        }
        if (chosen.Count == 0)
        {
            return;
        }

        var emails = chosen.Select(c => c.Email).ToList();
        if (!whatIf)
        {
            Connection.State.GroupSyncQueue.Enqueue(emails, "manual");
            if (QueueOnly)
            {
                foreach (string email in emails)
                {
                    WriteObject(new SensoGroupSyncResult(email, "Queued", null, "Queued; the next data sync or Sync-SensoUserGroup runs it."));
                }
                return;
            }
        }

        var progress = new ProgressReporter(this, 3, "Resyncing ClassLink class groups");
        try
        {
            // Planning reads enrollments twice: over REST the session pulls them once and replays the snapshot.
            using var roster = new RosterSession(this, Connection, progress, readsMoreThanOnce: true);
            progress.Report($"Planning the groups of {emails.Count:N0} users from the roster", force: true);
            var planned = roster.PlanGroups(AsOf, emails, CancellationToken);
            roster.WriteWarningSummary();
            if (!roster.Complete)
            {
                ThrowCallError(new InvalidOperationException(
                    $"The roster could not be read completely ({roster.Truncation}), so no group was changed; the syncs stay queued. Fix the file and run again."),
                    ErrorIds.RosterIncomplete);
            }
            var processor = new GroupSyncProcessor(Senso, whatIf ? null : Connection.State.GroupSyncQueue, new GroupSyncRetryPolicy(), RequestConcurrency);
            int done = 0;
            var outcomes = Await(processor.ProcessAsync(emails, planned, rosterComplete: true, whatIf, _ => System.Threading.Interlocked.Increment(ref done), CancellationToken));
            for (int i = 0; i < outcomes.Count; i++)
            {
                var outcome = outcomes[i];
                string status = outcome.Status == GroupSyncState.Failed ? "Failed" : whatIf ? "WhatIf" : "Completed";
                if (outcome.Status == GroupSyncState.Failed)
                {
                    WriteItemError(new InvalidOperationException($"{outcome.Email}: {outcome.Message}"), ErrorIds.GroupSyncFailedFor(outcome.Reason), chosen[i].Target);
                }
                WriteObject(new SensoGroupSyncResult(outcome.Email, status, outcome, outcome.Message));
            }
        }
        finally
        {
            progress.Complete();
        }
    }

    private IEnumerable<SensoUser> ClassLinkUsers()
    {
        for (int skip = 0; ; skip += PageSize)
        {
            var page = Await(Senso.SearchUsersAsync(null, PageSize, skip, CancellationToken));
            foreach (var user in page.Users.Where(u => string.Equals(u.Source, "classlink", StringComparison.OrdinalIgnoreCase)))
            {
                yield return user;
            }
            if (page.Users.Count < PageSize)
            {
                yield break;
            }
        }
    }
}
