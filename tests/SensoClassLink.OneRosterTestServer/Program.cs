using System.Globalization;
using SensoClassLink.OneRosterTestServer;

// dotnet SensoClassLink.OneRosterTestServer.dll --data <csvFolder> [--port 0] [--lifetime-seconds 300]
//   [--consumer-key K --consumer-secret S] [--client-id I --client-secret S] [--bearer T]
//   [--token-lifetime 3600] [--max-page-size 1000] [--latency-ms 0] [--synthetic-enrollments N]
//   [--no-total] [--reload] [--cache-pages] [--clock-offset-seconds N] [--fault kind[:path[:offset[:times[:n]]]]]...
// --reload reads the CSV folder again whenever a file in it changed (for suites that edit the roster between runs).
// --cache-pages serializes each page of a whole collection once (benchmarks: the server's CPU then barely competes with the client's).
// Prints the server root URL as the first stdout line; stops when stdin closes or the lifetime expires.
var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
var faults = new List<FaultRule>();
var flags = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
for (int i = 0; i < args.Length; i++)
{
    string name = args[i].TrimStart('-');
    if (name is "no-total" or "reload" or "cache-pages")
    {
        flags.Add(name);
    }
    else if (i + 1 < args.Length)
    {
        string value = args[++i];
        if (name == "fault")
        {
            faults.Add(FaultRule.Parse(value));
        }
        else
        {
            values[name] = value;
        }
    }
    else
    {
        Console.Error.WriteLine($"Missing value for --{name}.");
        return 2;
    }
}
string? Get(string name) => values.TryGetValue(name, out var v) ? v : null;
int GetInt(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

var defaults = new TestServerOptions();
var options = new TestServerOptions
{
    DataFolder = Get("data"),
    Port = GetInt("port", 0),
    SyntheticEnrollments = GetInt("synthetic-enrollments", 0),
    ConsumerKey = Get("consumer-key") ?? defaults.ConsumerKey,
    ConsumerSecret = Get("consumer-secret") ?? defaults.ConsumerSecret,
    ClientId = Get("client-id") ?? defaults.ClientId,
    ClientSecret = Get("client-secret") ?? defaults.ClientSecret,
    BearerToken = Get("bearer") ?? defaults.BearerToken,
    TokenLifetimeSeconds = GetInt("token-lifetime", defaults.TokenLifetimeSeconds),
    MaxPageSize = GetInt("max-page-size", defaults.MaxPageSize),
    ReloadOnChange = flags.Contains("reload"),
    CachePages = flags.Contains("cache-pages"),
};
await using var server = await OneRosterServer.StartAsync(options);
server.PageLatency = TimeSpan.FromMilliseconds(GetInt("latency-ms", 0));
server.OmitTotalHeader = flags.Contains("no-total");
server.ClockOffset = TimeSpan.FromSeconds(GetInt("clock-offset-seconds", 0));
foreach (var fault in faults)
{
    server.Faults.Enqueue(fault);
}
Console.Out.WriteLine(server.BaseUri.ToString().TrimEnd('/'));
Console.Out.Flush();

var stdinClosed = Task.Run(() =>
{
    while (Console.In.ReadLine() is not null)
    {
    }
});
var lifetime = Task.Delay(TimeSpan.FromSeconds(GetInt("lifetime-seconds", 600)));
await Task.WhenAny(stdinClosed, lifetime);
return 0;
