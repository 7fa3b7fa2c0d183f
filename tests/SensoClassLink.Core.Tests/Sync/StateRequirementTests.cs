using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.Sync;
using Xunit;

namespace SensoClassLink.Core.Tests.Sync;

/// <summary>Only a what-if sync may run without the state store, whether it starts at the pipeline or at the apply stage.</summary>
public sealed class StateRequirementTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly LocalTenantProvider _senso;

    public StateRequirementTests()
    {
        _senso = new LocalTenantProvider(_temp.File("tenant.db"), new[] { "Teacher" }, new[] { "Main" });
    }

    public void Dispose()
    {
        _senso.Dispose();
        _temp.Dispose();
    }

    private static IRosterSource NeverOpened(RosterReadObserver _) => throw new InvalidOperationException("The roster must not be opened.");

    [Fact]
    public void ASyncThatWritesIsRefusedWithoutTheStateStore()
    {
        var writes = new SyncOptions { WhatIf = false };

        var pipeline = Assert.Throws<ArgumentException>(() => new SyncPipeline(NeverOpened, _senso, null, writes));
        var applier = Assert.Throws<ArgumentException>(() => new SyncApplier(_senso, null, writes, DataSyncObserver.None));

        Assert.Equal(("state", "state"), (pipeline.ParamName, applier.ParamName));
        Assert.StartsWith("A sync that writes needs the state store.", pipeline.Message);
        Assert.StartsWith("A sync that writes needs the state store.", applier.Message);
    }

    [Fact]
    public void AWhatIfSyncRunsWithoutTheStateStore()
    {
        var whatIf = new SyncOptions { WhatIf = true };

        Assert.NotNull(new SyncPipeline(NeverOpened, _senso, null, whatIf));
        Assert.NotNull(new SyncApplier(_senso, null, whatIf, DataSyncObserver.None));
    }
}
