using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Http;
using SensoClassLink.Core.OneRoster.Auth;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>What a connection check found: reachability, authentication, visible counts and hints for the usual mistakes.</summary>
public sealed class RosterConnectionReport
{
    public string Server { get; set; } = "";
    public string? VersionAnswered { get; set; }
    public string AuthenticationMethod { get; set; } = "";
    public bool Reachable { get; set; }
    public bool Authenticated { get; set; }
    /// <summary>The HTTP status of the authentication probe, when one came back.</summary>
    public int? HttpStatus { get; set; }
    public long? Schools { get; set; }
    public long? Teachers { get; set; }
    public long? Students { get; set; }
    public long? Classes { get; set; }
    public long? Enrollments { get; set; }
    /// <summary>Academic sessions (terms, semesters, school years) visible to the application.</summary>
    public long? AcademicSessions { get; set; }
    /// <summary>True when the configuration judges classes by their terms (<c>roster.classTerms: current</c>), so a sync needs the sessions.</summary>
    public bool SessionsRequired { get; set; }
    /// <summary>Whether the server honours OneRoster field selection, as the count pages (which ask for the sourcedId alone) showed.</summary>
    public FieldSelectionSupport FieldSelection { get; set; }
    public List<string> Hints { get; } = new();

    /// <summary>
    /// Reachable, authenticated, and every count was readable (the academic sessions only when the configuration
    /// judges classes by their terms: otherwise no command reads them).
    /// </summary>
    public bool Succeeded => Reachable && Authenticated && Schools is not null && Teachers is not null && Students is not null && Classes is not null && Enrollments is not null
        && (!SessionsRequired || AcademicSessions is not null);
}

/// <summary>
/// Checks a OneRoster REST configuration the way a sysadmin would by hand: probe the configured base
/// (and the other version's base when the server root was given and the first answers 404), then read
/// the count of each collection with limit=1. Never throws for a failed check; only for bad configuration.
/// </summary>
public static class RosterConnectionCheck
{
    private static readonly (string Path, string Name)[] Collections =
    {
        ("/schools", "schools"), ("/teachers", "teachers"), ("/students", "students"), ("/classes", "classes"), ("/enrollments", "enrollments"),
        ("/academicSessions", "academicSessions"),
    };

    /// <summary>The hint when classes are judged by their terms but the application can read no academic session.</summary>
    public const string NoSessionsUnderCurrentTerms =
        "roster.classTerms is current, but no academic sessions are readable, so classes cannot be judged by their terms' dates: " +
        "a refused /academicSessions stops the commands that read the roster, and without sessions a class in an ended term keeps counting. " +
        "Share academic sessions with the application (docs/classlink-setup.md, 1.3), or set roster.classTerms: any to count classes whatever their term.";

    public static async Task<RosterConnectionReport> RunAsync(RosterApiSettings settings, RestTransportOptions? transport, Action<string>? verbose,
        Action<string, int>? progress, CancellationToken cancellationToken) =>
        await RunAsync(settings, ClassTermRule.Current, transport, verbose, progress, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs the check; <paramref name="classTerms"/> says whether the academic sessions matter (see <see cref="RosterConnectionReport.Succeeded"/>).</summary>
    public static async Task<RosterConnectionReport> RunAsync(RosterApiSettings settings, ClassTermRule classTerms, RestTransportOptions? transport, Action<string>? verbose,
        Action<string, int>? progress, CancellationToken cancellationToken)
    {
        var report = new RosterConnectionReport { SessionsRequired = classTerms == ClassTermRule.Current };
        OneRosterRestClient client = new(settings, transport, verbose);
        try
        {
            report.Server = client.ServiceRoot.GetLeftPart(UriPartial.Authority);
            report.AuthenticationMethod = client.Authenticator.Name;
            bool rootGiven = settings.BaseUrl!.AbsolutePath.TrimEnd('/').Length == 0;

            progress?.Invoke("Authenticating", 0);
            int? status = await ProbeAsync(client, report, cancellationToken).ConfigureAwait(false);
            if (status == 404 && rootGiven)
            {
                var other = Copy(settings, settings.Version == OneRosterVersion.V1_2 ? OneRosterVersion.V1_1 : OneRosterVersion.V1_2);
                var second = new OneRosterRestClient(other, transport, verbose);
                int? secondStatus = await ProbeAsync(second, report, cancellationToken).ConfigureAwait(false);
                if (secondStatus is not null and not 404)
                {
                    report.Hints.Add($"The server answers OneRoster {VersionText(second.Version)}, not the configured {VersionText(settings.Version)}: set classlink.api.version to \"{VersionText(second.Version)}\".");
                    client.Dispose();
                    client = second;
                    status = secondStatus;
                }
                else
                {
                    second.Dispose();
                }
            }
            report.HttpStatus = status;
            if (status is null)
            {
                return report;
            }
            switch (status)
            {
                case 200:
                    report.Authenticated = true;
                    report.VersionAnswered = VersionText(client.Version);
                    break;
                case 401:
                    report.Hints.Add(settings.Auth.Method == RosterAuthMethod.OAuth1
                        ? $"HTTP 401: the client id (consumer key) or secret is wrong, or this computer's clock is off (UTC now {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}); OAuth 1.0a signatures expire within minutes."
                        : "HTTP 401: the client id, client secret or token is wrong, expired or not meant for this server.");
                    return report;
                case 403:
                    report.Authenticated = true;
                    report.VersionAnswered = VersionText(client.Version);
                    report.Hints.Add("HTTP 403: the credentials are valid but the application is not enabled for this district or lacks permission on the Roster Server (ask the district to approve the app and share rostering data).");
                    return report;
                case 404:
                    report.Hints.Add("HTTP 404: no OneRoster service at this address. Check classlink.api.baseUrl (the Roster Server URL, e.g. https://district-xx-v2.oneroster.com) and classlink.api.version.");
                    return report;
                default:
                    report.Hints.Add($"HTTP {status}: the server did not answer the probe normally; try again later.");
                    return report;
            }

            int step = 1;
            bool? onlySelected = null;
            foreach (var (path, name) in Collections)
            {
                progress?.Invoke($"Counting {name}", step++ * 100 / (Collections.Length + 1));
                long? count = null;
                bool refused = false;
                try
                {
                    using var page = await client.GetPageAsync(RosterCollectionFor(name), path, Array.Empty<KeyValuePair<string, string>>(), 0, 1, cancellationToken).ConfigureAwait(false);
                    count = page.Total;
                    onlySelected ??= OneRosterResponseReader.FirstRecordHoldsOnly(page.Body, RosterJsonNames.SourcedId);
                    if (count is null)
                    {
                        report.Hints.Add($"The server sent no X-Total-Count for {name}, so its count is unknown (pulls still work, one page at a time).");
                    }
                }
                catch (RosterAuthenticationException ex) when (ex.HttpStatus == 403)
                {
                    refused = true;
                    report.Hints.Add($"HTTP 403 on {path}: the application lacks permission for {name} on the Roster Server.");
                }
                catch (RosterReadException ex)
                {
                    refused = true;
                    report.Hints.Add($"{name}: {ex.Message}");
                }
                switch (name)
                {
                    case "schools": report.Schools = count; break;
                    case "teachers": report.Teachers = count; break;
                    case "students": report.Students = count; break;
                    case "classes": report.Classes = count; break;
                    case "enrollments": report.Enrollments = count; break;
                    default:
                        report.AcademicSessions = count;
                        // Unknown without X-Total-Count is not "none": that has its own hint above.
                        if (report.SessionsRequired && (refused || count == 0))
                        {
                            report.Hints.Add(NoSessionsUnderCurrentTerms);
                        }
                        break;
                }
            }
            report.FieldSelection = !settings.FieldSelection ? FieldSelectionSupport.Off
                : !client.FieldSelection ? FieldSelectionSupport.Refused
                : onlySelected switch { true => FieldSelectionSupport.Honoured, false => FieldSelectionSupport.Ignored, _ => FieldSelectionSupport.Unknown };
            if (report.FieldSelection == FieldSelectionSupport.Refused)
            {
                report.Hints.Add("The Roster Server refused OneRoster field selection (invalid_selection_field): every command reads whole records after one refused request, which reads the same but costs more. Set classlink.api.fieldSelection: false to skip that request.");
            }
            else if (report.FieldSelection == FieldSelectionSupport.Ignored)
            {
                report.Hints.Add("The Roster Server ignores OneRoster field selection (it answers whole records): pulls read the same but cost more; nothing needs changing.");
            }
            if (report.Teachers == 0)
            {
                report.Hints.Add("No teachers are visible: the district has shared no data with this application yet, or only part of it (ClassLink also hides teachers without class enrollments unless 'Unenrolled Users' is on).");
            }
            if (report.Schools == 0)
            {
                report.Hints.Add("No schools are visible: the application's data sharing may be limited to a subset that excludes every school.");
            }
            return report;
        }
        finally
        {
            client.Dispose();
        }
    }

    private static async Task<int?> ProbeAsync(OneRosterRestClient client, RosterConnectionReport report, CancellationToken cancellationToken)
    {
        try
        {
            var query = new[] { new KeyValuePair<string, string>("limit", "1") };
            using HttpResponseMessage response = await client.ProbeAsync("/orgs", query, cancellationToken).ConfigureAwait(false);
            report.Reachable = true;
            return (int)response.StatusCode;
        }
        catch (RosterAuthenticationException ex)
        {
            // The OAuth 2 token endpoint refused: reachable, not authenticated.
            report.Reachable = true;
            report.Hints.Add(ex.Message + " Check classlink.api.auth.clientId, clientSecret and tokenUrl.");
            report.HttpStatus = ex.HttpStatus;
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.IO.IOException or Polly.Timeout.TimeoutRejectedException)
        {
            report.Hints.Add($"Cannot reach {client.ServiceRoot.GetLeftPart(UriPartial.Authority)} ({(ex is Polly.Timeout.TimeoutRejectedException ? "timed out" : ex.GetType().Name)}): check classlink.api.baseUrl, DNS, firewall and proxy.");
            return null;
        }
    }

    private static RosterCollection<RosterRecordStub> RosterCollectionFor(string name) => name switch
    {
        "schools" => Stub("orgs"),
        "teachers" or "students" => Stub("users"),
        _ => Stub(name),
    };

    private static RosterCollection<RosterRecordStub> Stub(string envelope) =>
        new(envelope, envelope, envelope, _ => RosterRecordStub.Instance, _ => "", "sourcedId");

    private static RosterApiSettings Copy(RosterApiSettings s, OneRosterVersion version) => new()
    {
        BaseUrl = s.BaseUrl, Version = version, Auth = s.Auth, PageSize = s.PageSize, MaxConcurrency = s.MaxConcurrency,
        TimeoutSeconds = s.TimeoutSeconds, MaxRetries = s.MaxRetries, FieldSelection = s.FieldSelection,
    };

    private static string VersionText(OneRosterVersion version) => version == OneRosterVersion.V1_2 ? "1.2" : "1.1";

    /// <summary>Counting needs no record content.</summary>
    private sealed class RosterRecordStub
    {
        public static readonly RosterRecordStub Instance = new();
    }
}
