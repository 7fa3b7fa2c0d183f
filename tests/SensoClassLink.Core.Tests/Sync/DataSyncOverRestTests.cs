using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;
using SensoClassLink.OneRosterTestServer;
using Xunit;
using static SensoClassLink.Core.Tests.Sync.TestPipelines;
using static SensoClassLink.Core.Tests.OneRoster.RestTestContext;

namespace SensoClassLink.Core.Tests.Sync;

/// <summary>The data sync over the OneRoster REST source: same decisions as over the CSV, and a known request budget.</summary>
public sealed class DataSyncOverRestTests : IDisposable
{
    private static readonly DateTime AsOf = new(2025, 10, 1);
    private readonly TempDirectory _temp = new();

    private DataSyncResult Run(Func<RosterReadObserver, IRosterSource> open, string name)
    {
        using var senso = new LocalTenantProvider(_temp.File(name + "-tenant.db"), new[] { "Teacher" }, new[] { "Main" });
        senso.SaveSettingsAsync(new IntegrationSettings { AutomaticallyCreateUsers = true, DefaultRole = "Teacher", DefaultSite = "Main" }, default)
            .GetAwaiter().GetResult();
        using var state = new StateStore(_temp.File(name + "-state.db"));
        return Nightly(open, senso, state, new SyncOptions { AsOf = AsOf }).GetAwaiter().GetResult();
    }

    private static string Decisions(DataSyncResult result) => string.Join("\n", result.Decisions
        .Select(d => $"{d.Email}|{d.Action}|{d.Eligibility}|{d.GroupSync}|{string.Join(",", d.GroupsAdded)}")
        .OrderBy(x => x, StringComparer.Ordinal));

    private static Dictionary<string, int> RequestsByCollection(OneRosterServer server) =>
        server.Stats.Paths.GroupBy(p => p.Substring(p.LastIndexOf('/') + 1)).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task Two_runs_over_rest_decide_as_over_the_csv_within_the_measured_request_budget()
    {
        await using var server = await OneRosterServer.StartAsync(new TestServerOptions
        {
            DataFolder = DataFolder, ConsumerKey = "district-key", ConsumerSecret = ConsumerSecret,
        });
        // Pages of 20: orgs 1 page, users (48) 3, classes 1, enrollments (88) 5; a whole-roster read is 10 requests.
        var settings = OAuth1(server, pageSize: 20);
        Func<RosterReadObserver, IRosterSource> rest = o => new RestRosterSource(settings, o, FastRetries());
        var csv = Run(o => new CsvRosterSource(DataFolder, o), "csv");

        var first = Run(rest, "rest");
        var firstRequests = RequestsByCollection(server);
        server.Stats.Paths.Clear();
        var second = Run(rest, "rest");
        var secondRequests = RequestsByCollection(server);

        Assert.True(first.Run.Status == SyncRunStatus.Completed, first.Run.Message);
        Assert.Equal(Decisions(csv), Decisions(first));
        Assert.True(first.Run.Figures.UsersCreated > 0 && first.Run.Figures.GroupSyncsCompleted == first.Run.Figures.UsersCreated);
        Assert.Equal((SyncRunStatus.Completed, 0, 0), (second.Run.Status, second.Run.Figures.UsersCreated, second.Run.Figures.GroupSyncsCompleted));
        Assert.Empty(server.Stats.AuthFailures);
        // A run reads the district once: one pass of the read stage answers eligibility, fingerprints and group
        // plans, with no snapshot on disk. Before the snapshot a run with group syncs took 35 requests (three reads,
        // enrollments four times) and one without 20; both now take one whole-roster read, 10 requests, plus one for
        // the academic sessions the classes name (their terms decide whether a class counts: issue 11).
        var onePull = new Dictionary<string, int> { ["orgs"] = 1, ["users"] = 3, ["classes"] = 1, ["academicSessions"] = 1, ["enrollments"] = 5 };
        Assert.Equal(onePull, firstRequests);
        Assert.Equal(onePull, secondRequests);
    }

    public void Dispose() => _temp.Dispose();
}
