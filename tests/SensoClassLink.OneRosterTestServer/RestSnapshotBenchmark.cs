using System.Diagnostics;
using System.Text.Json;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;

namespace SensoClassLink.OneRosterTestServer;

/// <summary>
/// Does the REST roster snapshot still earn its keep once a command reads the roster once? Against a OneRoster server
/// already running (its own process, so only this client's CPU is counted), one eligibility evaluation each way:
/// a plain pull (the pooled fast path), the first read through a <see cref="RosterSnapshot"/> (pull + writing the
/// file), a replay of that snapshot (what a second read costs with it), and the roster held as parsed records in
/// memory (what a second read costs without a file, and the heap it keeps). Prints one JSON line.
/// </summary>
internal static class RestSnapshotBenchmark
{
    public static int Run(Uri url, int pageSize, int maxConcurrency, DateTime asOf, string snapshotDirectory)
    {
        const string secretVariable = "SCL_BENCH_OAUTH1_SECRET";
        if (Environment.GetEnvironmentVariable(secretVariable) is null)
        {
            Environment.SetEnvironmentVariable(secretVariable, "bench-secret");
        }
        var settings = new RosterApiSettings
        {
            BaseUrl = url,
            PageSize = pageSize,
            MaxConcurrency = maxConcurrency,
            TimeoutSeconds = 300,
            Auth = new RosterAuthSettings
            {
                Method = RosterAuthMethod.OAuth1,
                ClientId = "bench",
                ClientSecret = SecretReference.FromEnvironment(secretVariable, "classlink.api.auth.clientSecret"),
            },
        };
        var process = Process.GetCurrentProcess();
        Dictionary<string, object> Measure(string name, Func<RosterEvaluation> run)
        {
            GC.Collect();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var evaluation = run();
            clock.Stop();
            process.Refresh();
            var figures = new Dictionary<string, object>
            {
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2),
                ["cpuSeconds"] = Math.Round((process.TotalProcessorTime - cpu).TotalSeconds, 2),
                ["eligible"] = evaluation.Statistics.EligibleTeachers,
                ["enrollments"] = evaluation.Statistics.Enrollments,
            };
            Console.Error.WriteLine($"{name}: {figures["seconds"]} s, CPU {figures["cpuSeconds"]} s, {figures["eligible"]} eligible");
            return figures;
        }

        // Warm-up (JIT, connections): not measured.
        using (var warm = new RestRosterSource(settings))
        {
            EligibilityEngine.Evaluate(warm, asOf, RosterReadObserver.None, default);
        }
        var result = new Dictionary<string, object>();
        using (var source = new RestRosterSource(settings))
        {
            result["pull"] = Measure("pull", () => EligibilityEngine.Evaluate(source, asOf, RosterReadObserver.None, default));
        }
        using (var snapshot = new RosterSnapshot(new RestRosterSource(settings), RosterReadObserver.None, snapshotDirectory))
        {
            result["snapshotFirstRead"] = Measure("snapshot first read", () => EligibilityEngine.Evaluate(snapshot, asOf, RosterReadObserver.None, default));
            long bytes = Directory.Exists(snapshotDirectory)
                ? Directory.GetFiles(snapshotDirectory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
                : 0;
            result["snapshotReplay"] = Measure("snapshot replay", () => EligibilityEngine.Evaluate(snapshot, asOf, RosterReadObserver.None, default));
            result["snapshotMB"] = Math.Round(bytes / 1048576.0, 1);
        }

        // Held in memory: the parsed records of one pull, then evaluated from the lists.
        GC.Collect();
        long heapBefore = GC.GetTotalMemory(true);
        HeldRoster held;
        using (var source = new RestRosterSource(settings))
        {
            held = new HeldRoster(source.ReadOrgs(default).ToList(), source.ReadUsers(default).ToList(), source.ReadClasses(default).ToList(), source.ReadEnrollments(default).ToList());
        }
        long heapHeld = GC.GetTotalMemory(true) - heapBefore;
        result["heldRecordsReplay"] = Measure("held records", () => EligibilityEngine.Evaluate(held, asOf, RosterReadObserver.None, default));
        result["heldRecordsMB"] = Math.Round(heapHeld / 1048576.0, 1);
        GC.KeepAlive(held);
        result["processorCount"] = Environment.ProcessorCount;
        result["loadAverage"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "";
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>A roster already read, served from memory.</summary>
    private sealed class HeldRoster(List<RosterOrg> orgs, List<RosterUser> users, List<RosterClass> classes, List<RosterEnrollment> enrollments) : IRosterSource
    {
        public string Description => "held in memory";
        public IEnumerable<RosterOrg> ReadOrgs(CancellationToken cancellationToken) => orgs;
        public IEnumerable<RosterUser> ReadUsers(CancellationToken cancellationToken) => users;
        public IEnumerable<RosterClass> ReadClasses(CancellationToken cancellationToken) => classes;
        public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken cancellationToken) => enrollments;
        public void Dispose()
        {
        }
    }
}
