using SensoClassLink.SensoApiTestServer;

// dotnet SensoClassLink.SensoApiTestServer.dll --tenant <db> [--port 0] [--lifetime-seconds 600] [--cert-out <pem>]
// Prints one line "api=<url> authority=<url> clientId=<id> clientSecret=<secret>" first (a throwaway test credential),
// then serves until stdin closes or the lifetime ends.
string? tenant = null;
int port = 0;
int lifetime = 600;
string? certOut = null;
for (int i = 0; i < args.Length - 1; i += 2)
{
    switch (args[i])
    {
        case "--tenant": tenant = args[i + 1]; break;
        case "--port": port = int.Parse(args[i + 1]); break;
        case "--lifetime-seconds": lifetime = int.Parse(args[i + 1]); break;
        case "--cert-out": certOut = args[i + 1]; break;
        default: Console.Error.WriteLine("unknown option " + args[i]); return 2;
    }
}
if (tenant is null)
{
    Console.Error.WriteLine("--tenant <path> is required");
    return 2;
}
await using var server = await SensoApiServer.StartAsync(tenant, port);
if (certOut is not null)
{
    File.WriteAllText(certOut, server.Certificate.ExportCertificatePem());
}
Console.WriteLine($"api={server.ApiBaseUrl} authority={server.Authority} clientId={SensoApiServer.ClientId} clientSecret={server.ClientSecret}");
Console.Out.Flush();
var stdinClosed = Task.Run(() =>
{
    while (Console.In.Read() >= 0)
    {
    }
});
await Task.WhenAny(stdinClosed, Task.Delay(TimeSpan.FromSeconds(lifetime)));
return 0;
