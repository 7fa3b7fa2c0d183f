using System.Management.Automation;
using SensoClassLink.Core.Sync;
using SensoClassLink.Models;

namespace SensoClassLink.Commands;

/// <summary>The data sync's run history from the state store, newest first.</summary>
[Cmdlet(VerbsCommon.Get, "ClassLinkSyncRun")]
[OutputType(typeof(ClassLinkSyncRun))]
public sealed class GetClassLinkSyncRunCommand : SensoClassLinkCmdlet
{
    /// <summary>How many of the newest runs to show.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(1, 100000)]
    public int Last { get; set; } = 10;

    protected override void EndProcessing()
    {
        var state = Connection.ExistingState;
        if (state is null)
        {
            WriteVerbose("No data sync has run yet: the state store does not exist.");
            return;
        }
        foreach (var run in state.RunHistory.GetRecent(Last, SyncOptions.NightlyRunKind))
        {
            WriteObject(new ClassLinkSyncRun(run, whatIf: false, reportPath: null, decisions: null));
        }
    }
}
