using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Core.Tests.Sync;

/// <summary>The sync pipeline as each command runs it, for tests.</summary>
internal static class TestPipelines
{
    /// <summary>Invoke-ClassLinkSync: the pipeline over the nightly scope.</summary>
    public static async Task<DataSyncResult> Nightly(Func<RosterReadObserver, IRosterSource> open, ISensoProvider senso, StateStore? state,
        SyncOptions options, DataSyncObserver? observer = null) =>
        (await new SyncPipeline(open, senso, state, options, observer).RunAsync(SyncScope.Nightly, default)).Run!;
}
