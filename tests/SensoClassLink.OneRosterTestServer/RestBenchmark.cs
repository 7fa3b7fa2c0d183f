using System.Diagnostics;
using System.Text.Json;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.OneRoster.Rest;

namespace SensoClassLink.OneRosterTestServer;

/// <summary>
/// The REST figure of build.ps1 -Task Bench: N enrollments through the loopback server with added latency
/// per page, pulled with maxConcurrency 1 and then 4 by the real <see cref="RestRosterSource"/> (OAuth 1.0a).
/// </summary>
internal static class RestBenchmark
{
    public static async Task<int> RunAsync(string dataFolder, int enrollments, int latencyMs, int pageSize, string? output)
    {
        const string secretVariable = "SCL_BENCH_OAUTH1_SECRET";
        Environment.SetEnvironmentVariable(secretVariable, "bench-secret");
        await using var server = await OneRosterServer.StartAsync(new TestServerOptions
        {
            DataFolder = dataFolder,
            SyntheticEnrollments = enrollments,
            ConsumerKey = "bench",
            ConsumerSecret = "bench-secret",
            MaxPageSize = pageSize,
        });
        server.PageLatency = TimeSpan.FromMilliseconds(latencyMs);

        var runs = new List<Dictionary<string, object>>();
        RosterApiSettings Settings(int concurrency) => new()
        {
            BaseUrl = server.BaseUri,
            PageSize = pageSize,
            MaxConcurrency = concurrency,
            Auth = new RosterAuthSettings
            {
                Method = RosterAuthMethod.OAuth1,
                ClientId = "bench",
                ClientSecret = SecretReference.FromEnvironment(secretVariable, "classlink.api.auth.clientSecret"),
            },
        };
        // Warm up both paths (JIT, connection pool) so the first measured run is not charged for it.
        foreach (int concurrency in new[] { 1, 4 })
        {
            using var warm = new RestRosterSource(Settings(concurrency));
            _ = warm.ReadEnrollments(default).Take(Math.Min(enrollments, 20 * pageSize)).Count();
        }
        foreach (int concurrency in new[] { 1, 4 })
        {
            GC.Collect();
            long before = GC.GetTotalMemory(true);
            long maxHeap = 0;
            int requestsBefore = server.Stats.Requests;
            var watch = Stopwatch.StartNew();
            long count = 0;
            using (var source = new RestRosterSource(Settings(concurrency)))
            {
                foreach (var _ in source.ReadEnrollments(default))
                {
                    if (++count % 100_000 == 0)
                    {
                        // Retained (after a full collection), not garbage awaiting collection.
                        maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(true));
                    }
                }
            }
            watch.Stop();
            if (count != enrollments)
            {
                Console.Error.WriteLine($"Expected {enrollments} enrollments, got {count}.");
                return 1;
            }
            var run = new Dictionary<string, object>
            {
                ["maxConcurrency"] = concurrency,
                ["enrollments"] = count,
                ["pages"] = server.Stats.Requests - requestsBefore,
                ["seconds"] = Math.Round(watch.Elapsed.TotalSeconds, 2),
                ["recordsPerSecond"] = Math.Round(count / watch.Elapsed.TotalSeconds),
                ["peakRetainedHeapMB"] = Math.Round(Math.Max(0, maxHeap - before) / 1048576.0, 1),
            };
            runs.Add(run);
            Console.WriteLine($"maxConcurrency {concurrency}: {count:N0} enrollments in {watch.Elapsed.TotalSeconds:0.00} s ({run["pages"]} pages, {run["recordsPerSecond"]:N0}/s, retained heap growth up to {run["peakRetainedHeapMB"]} MB, client and server)");
        }
        double speedUp = Math.Round((double)runs[0]["seconds"] / (double)runs[1]["seconds"], 2);
        Console.WriteLine($"Speed-up with maxConcurrency 4: {speedUp}x");
        var result = new Dictionary<string, object>
        {
            ["benchmark"] = "rest-enrollments",
            ["enrollments"] = enrollments,
            ["addedLatencyMsPerPage"] = latencyMs,
            ["pageSize"] = pageSize,
            ["processorCount"] = Environment.ProcessorCount,
            // The box is shared: the load average says how much of the 2 cores the run really had.
            ["loadAverage"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
            ["runs"] = runs,
            ["speedUp"] = speedUp,
            ["measuredAt"] = DateTimeOffset.UtcNow.ToString("o"),
        };
        string json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
        if (output is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, json + Environment.NewLine);
        }
        return 0;
    }
}
