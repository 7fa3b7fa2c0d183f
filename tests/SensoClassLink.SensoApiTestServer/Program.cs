using SensoClassLink.SensoApiTestServer;

// dotnet SensoClassLink.SensoApiTestServer.dll --tenant <db> [--port 0] [--lifetime-seconds 600] [--cert-out <pem>]
//     [--certificate <pfx without password>] [--sites "Main,North Campus"]
// Prints one line "api=<url> authority=<url> clientId=<id> clientSecret=<secret>" first (a throwaway test credential),
// then serves until stdin closes or the lifetime ends.
string? tenant = null;
int port = 0;
int lifetime = 600;
string? certOut = null;
string? certificatePath = null;
string[] sites = [];
for (int i = 0; i < args.Length - 1; i += 2)
{
    switch (args[i])
    {
        case "--tenant": tenant = args[i + 1]; break;
        case "--port": port = int.Parse(args[i + 1]); break;
        case "--lifetime-seconds": lifetime = int.Parse(args[i + 1]); break;
        case "--cert-out": certOut = args[i + 1]; break;
        case "--certificate": certificatePath = args[i + 1]; break;
        case "--sites": sites = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
        default: Console.Error.WriteLine("unknown option " + args[i]); return 2;
    }
}
if (tenant is null)
{
    Console.Error.WriteLine("--tenant <path> is required");
    return 2;
}
var certificate = certificatePath is null ? null : System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(certificatePath, null);
await using var server = await SensoApiServer.StartAsync(tenant, port, certificate: certificate, extraSites: sites);
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
