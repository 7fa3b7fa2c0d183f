using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Completers;
using SensoClassLink.Core.Eligibility;
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
        var connection = Connection;
        var progress = new ProgressReporter(this, 3, "Resyncing ClassLink class groups");
        var engine = new EngineRun(this, progress);
        var options = new SyncOptions { AsOf = AsOf, WhatIf = whatIf, QueueOnly = QueueOnly, MaxConcurrency = RequestConcurrency,
            Roster = RosterRules.From(connection.Configuration.Roster, connection.Configuration.Import) };
        var pipeline = new SyncPipeline(o => connection.OpenRoster(o), Senso, whatIf ? connection.ExistingState : connection.State, options, engine.Observer);
        try
        {
            if (All)
            {
                foreach (string email in engine.Run(() => pipeline.ClassLinkUserEmailsAsync(CancellationToken), CancellationToken))
                {
                    _users.Add((email, email));
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

            var scope = SyncScope.Users(chosen.Select(c => c.Email), namedTeachersOnly: true);
            var result = engine.Run(() => pipeline.RunAsync(scope, CancellationToken), CancellationToken);
            engine.WriteWarningSummary();
            for (int i = 0; i < result.GroupSyncs.Count; i++)
            {
                var outcome = result.GroupSyncs[i];
                var status = outcome.Status == GroupSyncStatus.Completed && whatIf ? GroupSyncStatus.WhatIf : outcome.Status;
                if (status == GroupSyncStatus.Failed)
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
}
