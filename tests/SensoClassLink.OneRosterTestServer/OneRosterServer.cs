using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Http;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Auth;

namespace SensoClassLink.OneRosterTestServer;

/// <summary>
/// A OneRoster REST server on 127.0.0.1 serving one CSV dataset under both /ims/oneroster/v1p1 (users
/// with role/orgs) and /ims/oneroster/rostering/v1p2 (users with roles[]). Runs in-process from xunit
/// or as a process (see Program) from Pester and the benchmark.
/// </summary>
public sealed class OneRosterServer : IAsyncDisposable
{
    private const string V1 = "/ims/oneroster/v1p1";
    private const string V2 = "/ims/oneroster/rostering/v1p2";
    private const string ForeignHref = "https://elsewhere.invalid";

    private readonly TestServerOptions _options;
    /// <summary>Page bodies by collection, offset, end and version, when <see cref="TestServerOptions.CachePages"/> is on.</summary>
    private readonly ConcurrentDictionary<(object Items, int Offset, int End, bool V2, string Fields), byte[]> _pageCache = new();
    private const string FieldsItem = "oneroster.fields";
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, long> _nonces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly object _reloadGate = new();
    private volatile RosterDataset _data;

    private OneRosterServer(TestServerOptions options, WebApplication app, RosterDataset data)
    {
        _options = options;
        _app = app;
        _data = data;
    }

    /// <summary>How many times the CSV folder was read (1 at start, +1 per reload).</summary>
    public int DataLoads => _dataLoads;

    private int _dataLoads = 1;

    /// <summary>http://127.0.0.1:port (the server root; OneRoster lives under the two base paths).</summary>
    public Uri BaseUri { get; private set; } = null!;

    public TestServerStats Stats { get; } = new();

    /// <summary>Faults to inject; add or clear at any time.</summary>
    public ConcurrentQueue<FaultRule> Faults { get; } = new();

    /// <summary>Added latency per collection page.</summary>
    public TimeSpan PageLatency { get; set; }

    /// <summary>Answer any <c>fields</c> parameter with HTTP 400 invalid_selection_field (a server whose model lacks a name).</summary>
    public bool RefuseFieldSelection { get; set; }

    /// <summary>Answer whole records whatever the <c>fields</c> parameter asks (a server without field selection).</summary>
    public bool IgnoreFieldSelection { get; set; }

    /// <summary>Leave X-Total-Count out of collection answers.</summary>
    public bool OmitTotalHeader { get; set; }

    /// <summary>When set, Link rel="next" points at this authority (e.g. https://elsewhere.invalid) with an offset 5 too far: a client must ignore it.</summary>
    public string? ForeignNextLinkAuthority { get; set; }

    /// <summary>Offset added to the server clock when checking OAuth 1.0a timestamps (simulates a skewed client).</summary>
    public TimeSpan ClockOffset { get; set; }

    public static async Task<OneRosterServer> StartAsync(TestServerOptions options)
    {
        var data = RosterDataset.Load(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        var server = new OneRosterServer(options, app, data);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.Replace("[::1]", "127.0.0.1"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        if (path == "/_test/paths")
        {
            // For tests in another process (Pester): the request paths served so far, as a JSON array. Not counted.
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(Stats.Paths.ToArray()));
            return;
        }
        Stats.Begin(path);
        try
        {
            if (path == "/token" && HttpMethods.IsPost(context.Request.Method))
            {
                await IssueTokenAsync(context);
                return;
            }
            bool v2;
            string rest;
            if (path.StartsWith(V2 + "/", StringComparison.Ordinal))
            {
                v2 = true;
                rest = path.Substring(V2.Length);
            }
            else if (path.StartsWith(V1 + "/", StringComparison.Ordinal))
            {
                v2 = false;
                rest = path.Substring(V1.Length);
            }
            else
            {
                await StatusAsync(context, 404, "unknownobject", "No OneRoster service at this path.");
                return;
            }
            if (!HttpMethods.IsGet(context.Request.Method))
            {
                await StatusAsync(context, 405, "invaliddata", "Rostering is read-only.");
                return;
            }
            string? refusal = Authenticate(context);
            if (refusal is not null)
            {
                Stats.AuthFailures.Enqueue(refusal);
                await StatusAsync(context, 401, "unauthorisedrequest", refusal);
                return;
            }
            try
            {
                await ServeAsync(context, rest, v2);
            }
            catch (BadFilterException)
            {
                await StatusAsync(context, 400, "invalid_filter_field", "Unsupported filter.");
            }
        }
        finally
        {
            Stats.End();
        }
    }

    private async Task ServeAsync(HttpContext context, string rest, bool v2)
    {
        var query = PercentEncoding.DecodeQuery(context.Request.QueryString.Value);
        string? Param(string name) => query.LastOrDefault(p => p.Key == name).Value;
        int offset = int.TryParse(Param("offset"), NumberStyles.None, CultureInfo.InvariantCulture, out int o) ? o : 0;
        int limit = int.TryParse(Param("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out int l) && l > 0 ? l : 100;
        string? filter = Param("filter");
        if (filter is not null)
        {
            Stats.Filters.Enqueue(filter);
        }
        string? fields = Param("fields");
        Stats.FieldSelections.Enqueue(fields ?? "");
        context.Items[FieldsItem] = fields;

        foreach (var fault in Faults)
        {
            if (!fault.TryFire(rest, offset))
            {
                continue;
            }
            switch (fault.Kind)
            {
                case FaultKind.RateLimit:
                    context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    await StatusAsync(context, 429, "server_busy", "Too many requests.");
                    return;
                case FaultKind.Unavailable:
                    await StatusAsync(context, 503, "server_busy", "Temporarily unavailable.");
                    return;
                case FaultKind.Forbidden:
                    await StatusAsync(context, 403, "forbidden", "The application lacks permission for this resource.");
                    return;
                case FaultKind.Unauthorized:
                    await StatusAsync(context, 401, "unauthorisedrequest", "Token revoked.");
                    return;
                case FaultKind.HtmlPage:
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "text/html";
                    await context.Response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>");
                    return;
                case FaultKind.FailureEnvelope:
                    await StatusAsync(context, 200, "invalid_filter_field", "The roster server is rebuilding its index.");
                    return;
                case FaultKind.MissingEnvelope:
                    await WriteJsonAsync(context, 200, w => { w.WriteStartObject(); w.WriteString("note", "nothing here"); w.WriteEndObject(); }, null);
                    return;
                case FaultKind.Slow:
                    await Task.Delay(fault.DelayMilliseconds, context.RequestAborted);
                    break;
                case FaultKind.TruncatedBody:
                    context.Items["truncate"] = true;
                    break;
                case FaultKind.ShiftedPage:
                    offset = Math.Max(0, offset - 2);
                    break;
            }
        }

        // One dataset per request: a reload between requests never mixes two versions within a page.
        var data = CurrentData();
        string[] segments = rest.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        switch (segments)
        {
            case ["orgs"]:
                await PageAsync(context, "orgs", Filter(data.Orgs, filter, OrgField), offset, limit, WriteOrg, v2);
                return;
            case ["schools"]:
                await PageAsync(context, "orgs", Filter(data.Orgs.Where(x => x.Type == "school").ToList(), filter, OrgField), offset, limit, WriteOrg, v2);
                return;
            case ["users"]:
                await PageAsync(context, "users", Filter(data.Users, filter, UserField), offset, limit, WriteUser, v2);
                return;
            case ["teachers"]:
                await PageAsync(context, "users", Filter(data.Users.Where(u => u.Roles.Contains("teacher")).ToList(), filter, UserField), offset, limit, WriteUser, v2);
                return;
            case ["students"]:
                await PageAsync(context, "users", Filter(data.Users.Where(u => u.Roles.Contains("student")).ToList(), filter, UserField), offset, limit, WriteUser, v2);
                return;
            case ["classes"]:
                await PageAsync(context, "classes", Filter(data.Classes, filter, ClassField), offset, limit, WriteClass, v2);
                return;
            case ["academicSessions"]:
                await PageAsync(context, "academicSessions", Filter(data.Sessions, filter, SessionField), offset, limit, WriteSession, v2);
                return;
            case ["enrollments"]:
                await PageAsync(context, "enrollments", filter is null ? data.Enrollments : Filter(data.Enrollments, filter, EnrollmentField), offset, limit, WriteEnrollment, v2);
                return;
            case ["orgs", var id]:
                await SingleAsync(context, "org", data.Orgs.FirstOrDefault(x => x.SourcedId == id), WriteOrg, v2);
                return;
            case ["users", var id]:
                await SingleAsync(context, "user", data.Users.FirstOrDefault(x => x.SourcedId == id), WriteUser, v2);
                return;
            case ["classes", var id]:
                await SingleAsync(context, "class", data.Classes.FirstOrDefault(x => x.SourcedId == id), WriteClass, v2);
                return;
            case ["classes", var id, "students" or "teachers"]:
            {
                string role = segments[2] == "students" ? "student" : "teacher";
                var members = new HashSet<string>(data.Enrollments.Where(e => e.ClassSourcedId == id && e.Role == role).Select(e => e.UserSourcedId), StringComparer.Ordinal);
                await PageAsync(context, "users", Filter(data.Users.Where(u => members.Contains(u.SourcedId)).ToList(), filter, UserField), offset, limit, WriteUser, v2);
                return;
            }
            case ["schools", var school, "classes", var id, "enrollments"]:
                await PageAsync(context, "enrollments", Filter(data.Enrollments.Where(e => e.ClassSourcedId == id && e.SchoolSourcedId == school).ToList(), filter, EnrollmentField), offset, limit, WriteEnrollment, v2);
                return;
            default:
                await StatusAsync(context, 404, "unknownobject", "Unknown endpoint.");
                return;
        }
    }

    /// <summary>
    /// The dataset to serve. With <see cref="TestServerOptions.ReloadOnChange"/>, the CSV folder is read again
    /// when a file in it was added, removed, resized or rewritten since the last read (tests that edit the
    /// roster between runs then need no restart); a folder caught mid-edit keeps the previous dataset.
    /// </summary>
    private RosterDataset CurrentData()
    {
        var data = _data;
        if (!_options.ReloadOnChange || _options.DataFolder is null)
        {
            return data;
        }
        string stamp = RosterDataset.FolderStamp(_options.DataFolder);
        if (stamp == data.Stamp)
        {
            return data;
        }
        lock (_reloadGate)
        {
            if (_data.Stamp == stamp)
            {
                return _data;
            }
            try
            {
                _data = RosterDataset.Load(_options);
                Interlocked.Increment(ref _dataLoads);
            }
            catch (Exception ex) when (ex is IOException or RosterReadException)
            {
                // Mid-edit (a file briefly missing or locked): serve what was read last; the next request tries again.
            }
            return _data;
        }
    }

    private static string? OrgField(RosterOrg o, string field) => field switch
    {
        "sourcedId" => o.SourcedId, "type" => o.Type, "name" => o.Name, "status" => o.Status, _ => null,
    };

    private static string? UserField(RosterUser u, string field) => field switch
    {
        "sourcedId" => u.SourcedId, "email" => u.Email, "username" => u.Username, "role" => u.Roles.FirstOrDefault() ?? "", "status" => u.Status, _ => null,
    };

    private static string? ClassField(RosterClass c, string field) => field switch
    {
        "sourcedId" => c.SourcedId, "school.sourcedId" => c.SchoolSourcedId, "status" => c.Status, _ => null,
    };

    private static string? SessionField(RosterAcademicSession a, string field) => field switch
    {
        "sourcedId" => a.SourcedId, "status" => a.Status, _ => null,
    };

    private static string? EnrollmentField(RosterEnrollment e, string field) => field switch
    {
        "sourcedId" => e.SourcedId, "user.sourcedId" => e.UserSourcedId, "class.sourcedId" => e.ClassSourcedId,
        "school.sourcedId" => e.SchoolSourcedId, "role" => e.Role, "status" => e.Status, _ => null,
    };

    /// <summary>Supports exactly <c>field='value'</c> (values compared case-sensitively, as many servers do); anything else is an invalid filter.</summary>
    private static IReadOnlyList<T> Filter<T>(IReadOnlyList<T> items, string? filter, Func<T, string, string?> field)
    {
        if (filter is null)
        {
            return items;
        }
        int eq = filter.IndexOf('=');
        if (eq <= 0 || filter.Length < eq + 3 || filter[eq + 1] != '\'' || filter[^1] != '\'' || filter.IndexOf('\'', eq + 2) != filter.Length - 1)
        {
            throw new BadFilterException(filter);
        }
        string name = filter.Substring(0, eq);
        string value = filter.Substring(eq + 2, filter.Length - eq - 3);
        if (items.Count > 0 && field(items[0], name) is null)
        {
            throw new BadFilterException(filter);
        }
        return items.Where(i => field(i, name) == value).ToList();
    }

    private async Task PageAsync<T>(HttpContext context, string envelope, IReadOnlyList<T> items, int offset, int limit, Action<Utf8JsonWriter, T, bool> write, bool v2)
    {
        if (PageLatency > TimeSpan.Zero)
        {
            await Task.Delay(PageLatency, context.RequestAborted);
        }
        string? fields = context.Items[FieldsItem] as string;
        var selection = IgnoreFieldSelection ? null : FieldSelection.Parse(fields, envelope, v2);
        if (selection is not null && (RefuseFieldSelection || (v2 && selection.Unknown.Count > 0)))
        {
            await StatusAsync(context, 400, "invalid_selection_field", "A selection field is not in this server's model.");
            return;
        }
        var writeRecord = selection is null ? write : selection.Apply(write);
        int take = Math.Min(limit, _options.MaxPageSize);
        int end = (int)Math.Min((long)offset + take, items.Count);
        if (!OmitTotalHeader)
        {
            // Lower-case, as ClassLink sends it.
            context.Response.Headers["x-total-count"] = items.Count.ToString(CultureInfo.InvariantCulture);
        }
        if (_options.SendLinkHeader && end < items.Count)
        {
            string authority = ForeignNextLinkAuthority ?? BaseUri.GetLeftPart(UriPartial.Authority);
            int next = ForeignNextLinkAuthority is null ? end : end + 5;
            context.Response.Headers["Link"] = $"<{authority}{context.Request.Path.Value}?limit={take}&offset={next}>; rel=\"next\"";
        }
        void WritePage(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteStartArray(envelope);
            for (int i = offset; i < end; i++)
            {
                writeRecord(w, items[i], v2);
            }
            w.WriteEndArray();
            if (selection is { Unknown.Count: > 0 })
            {
                // 1.1: the records come with the known fields, and a warning names the codeMinor beside them.
                WriteStatusInfoSet(w, "success", "warning", "invalid_selection_field", "Unknown selection field(s) ignored.");
            }
            w.WriteEndObject();
        }
        if (_options.CachePages && IsWholeCollection(items))
        {
            // Benchmarks: each page is serialized once, so the server's CPU does not compete with the client's on a small machine.
            byte[] body = _pageCache.GetOrAdd((items, offset, end, v2, fields ?? ""), _ => Serialize(WritePage).ToArray());
            await WriteBodyAsync(context, 200, body, body.Length);
            return;
        }
        await WriteJsonAsync(context, 200, WritePage, null);
    }

    private bool IsWholeCollection(object items)
    {
        var data = CurrentData();
        return ReferenceEquals(items, data.Orgs) || ReferenceEquals(items, data.Users) || ReferenceEquals(items, data.Classes)
            || ReferenceEquals(items, data.Sessions) || ReferenceEquals(items, data.Enrollments);
    }

    private static async Task SingleAsync<T>(HttpContext context, string key, T? item, Action<Utf8JsonWriter, T, bool> write, bool v2) where T : class
    {
        if (item is null)
        {
            await StatusAsync(context, 404, "unknownobject", "Unknown object.");
            return;
        }
        await WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName(key);
            write(w, item, v2);
            w.WriteEndObject();
        }, null);
    }

    /// <summary>A GUIDRef; <paramref name="name"/> null writes it as an array element.</summary>
    private static void WriteRef(Utf8JsonWriter w, string? name, string type, string sourcedId)
    {
        if (name is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(name);
        }
        w.WriteString("href", $"{ForeignHref}/ims/oneroster/v1p1/{type}s/{sourcedId}");
        w.WriteString("sourcedId", sourcedId);
        w.WriteString("type", type);
        w.WriteEndObject();
    }

    private static void WriteBase(Utf8JsonWriter w, string sourcedId, string status)
    {
        w.WriteString("sourcedId", sourcedId);
        w.WriteString("status", status);
        w.WriteString("dateLastModified", "2025-08-15T13:02:11.000Z");
        w.WriteStartObject("metadata");
        w.WriteString("ext.vendor", "kept as unknown data");
        w.WriteEndObject();
    }

    private static void WriteOrg(Utf8JsonWriter w, RosterOrg o, bool v2)
    {
        w.WriteStartObject();
        WriteBase(w, o.SourcedId, o.Status);
        w.WriteString("name", o.Name);
        w.WriteString("type", o.Type);
        w.WriteString("identifier", "");
        if (!string.IsNullOrEmpty(o.ParentSourcedId))
        {
            WriteRef(w, "parent", "org", o.ParentSourcedId);
        }
        w.WriteEndObject();
    }

    private static void WriteUser(Utf8JsonWriter w, RosterUser u, bool v2)
    {
        w.WriteStartObject();
        WriteBase(w, u.SourcedId, u.Status);
        // 1.2 sends JSON booleans here; 1.1 the "true"/"false" strings. Other raw values pass through as text.
        if (v2 && u.EnabledUser is "true" or "false")
        {
            w.WriteBoolean("enabledUser", u.EnabledUser == "true");
        }
        else
        {
            w.WriteString("enabledUser", u.EnabledUser);
        }
        w.WriteString("username", u.Username);
        w.WriteStartArray("userIds");
        w.WriteEndArray();
        w.WriteString("givenName", u.GivenName);
        w.WriteString("familyName", u.FamilyName);
        w.WriteString("middleName", "");
        w.WriteString("identifier", u.Identifier);
        w.WriteString("email", u.Email);
        w.WriteString("sms", "");
        w.WriteString("phone", "");
        w.WriteStartArray("agents");
        w.WriteEndArray();
        w.WriteStartArray("grades");
        w.WriteEndArray();
        if (v2)
        {
            w.WriteStartArray("roles");
            foreach (string role in u.Roles)
            {
                for (int i = 0; i < u.OrgSourcedIds.Count; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("roleType", i == 0 ? "primary" : "secondary");
                    w.WriteString("role", role);
                    WriteRef(w, "org", "org", u.OrgSourcedIds[i]);
                    w.WriteEndObject();
                }
            }
            w.WriteEndArray();
            if (u.OrgSourcedIds.Count > 0)
            {
                WriteRef(w, "primaryOrg", "org", u.OrgSourcedIds[0]);
            }
        }
        else
        {
            w.WriteString("role", u.Roles.FirstOrDefault() ?? "");
            w.WriteStartArray("orgs");
            foreach (string org in u.OrgSourcedIds)
            {
                w.WriteStartObject();
                w.WriteString("href", $"{ForeignHref}/ims/oneroster/v1p1/orgs/{org}");
                w.WriteString("sourcedId", org);
                w.WriteString("type", "org");
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteClass(Utf8JsonWriter w, RosterClass c, bool v2)
    {
        w.WriteStartObject();
        WriteBase(w, c.SourcedId, c.Status);
        w.WriteString("title", c.Title);
        w.WriteString("classCode", c.ClassCode);
        w.WriteString("classType", "scheduled");
        WriteRef(w, "course", "course", c.CourseSourcedId);
        WriteRef(w, "school", "org", c.SchoolSourcedId);
        w.WriteStartArray("terms");
        foreach (string term in c.TermSourcedIds)
        {
            WriteRef(w, null, "academicSession", term);
        }
        w.WriteEndArray();
        w.WriteStartArray("periods");
        foreach (string period in c.Periods)
        {
            w.WriteStringValue(period);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSession(Utf8JsonWriter w, RosterAcademicSession a, bool v2)
    {
        w.WriteStartObject();
        WriteBase(w, a.SourcedId, a.Status);
        w.WriteString("title", a.Title);
        w.WriteString("type", "term");
        w.WriteString("startDate", a.StartDate);
        w.WriteString("endDate", a.EndDate);
        w.WriteEndObject();
    }

    private static void WriteEnrollment(Utf8JsonWriter w, RosterEnrollment e, bool v2)
    {
        w.WriteStartObject();
        WriteBase(w, e.SourcedId, e.Status);
        WriteRef(w, "user", "user", e.UserSourcedId);
        WriteRef(w, "class", "class", e.ClassSourcedId);
        WriteRef(w, "school", "org", e.SchoolSourcedId);
        w.WriteString("role", e.Role);
        w.WriteString("primary", e.Role == "teacher" ? "true" : "false");
        w.WriteString("beginDate", e.BeginDate);
        w.WriteString("endDate", e.EndDate);
        w.WriteEndObject();
    }

    private static Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write, string? _)
    {
        var buffer = Serialize(write);
        return WriteBodyAsync(context, status, buffer.GetBuffer(), (int)buffer.Length);
    }

    private static MemoryStream Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return buffer;
    }

    private static async Task WriteBodyAsync(HttpContext context, int status, byte[] body, int length)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (context.Items.ContainsKey("truncate"))
        {
            length /= 2;
        }
        context.Response.ContentLength = length;
        await context.Response.Body.WriteAsync(body.AsMemory(0, length), context.RequestAborted);
    }

    private static Task StatusAsync(HttpContext context, int status, string codeMinor, string description) =>
        WriteJsonAsync(context, status, w =>
        {
            w.WriteStartObject();
            WriteStatusInfoSet(w, "failure", "error", codeMinor, description);
            w.WriteEndObject();
        }, null);

    private static void WriteStatusInfoSet(Utf8JsonWriter w, string codeMajor, string severity, string codeMinor, string description)
    {
        w.WriteStartArray("statusInfoSet");
        w.WriteStartObject();
        w.WriteString("imsx_codeMajor", codeMajor);
        w.WriteString("imsx_severity", severity);
        w.WriteString("imsx_description", description);
        w.WriteStartObject("imsx_CodeMinor");
        w.WriteStartArray("imsx_codeMinorField");
        w.WriteStartObject();
        w.WriteString("imsx_codeMinorFieldName", "TargetEndSystem");
        w.WriteString("imsx_codeMinorFieldValue", codeMinor);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    /// <summary>Null when the request carries valid credentials, else why not (without echoing them).</summary>
    private string? Authenticate(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            string token = header.Substring(7).Trim();
            if (_options.BearerToken is not null && FixedEquals(token, _options.BearerToken))
            {
                return null;
            }
            if (_tokens.TryGetValue(token, out var expires))
            {
                return DateTimeOffset.UtcNow < expires ? null : "token expired";
            }
            return "unknown token";
        }
        if (header.StartsWith("OAuth ", StringComparison.Ordinal))
        {
            return VerifyOAuth1(context, header);
        }
        return "no credentials";
    }

    private string? VerifyOAuth1(HttpContext context, string header)
    {
        var oauth = OAuth1Signature.ParseAuthorizationHeader(header);
        oauth.Remove("realm");
        if (!oauth.Remove("oauth_signature", out string? signature))
        {
            return "signature missing";
        }
        if (!oauth.TryGetValue("oauth_consumer_key", out string? key) || key != _options.ConsumerKey)
        {
            return "unknown consumer key";
        }
        OAuth1SignatureMethod method;
        switch (oauth.GetValueOrDefault("oauth_signature_method"))
        {
            case "HMAC-SHA256": method = OAuth1SignatureMethod.HmacSha256; break;
            case "HMAC-SHA1": method = OAuth1SignatureMethod.HmacSha1; break;
            default: return "unsupported signature method";
        }
        if (!long.TryParse(oauth.GetValueOrDefault("oauth_timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out long timestamp))
        {
            return "timestamp missing";
        }
        long now = (DateTimeOffset.UtcNow + ClockOffset).ToUnixTimeSeconds();
        if (Math.Abs(now - timestamp) > _options.MaxClockSkewSeconds)
        {
            return "timestamp outside the allowed clock skew";
        }
        string nonce = oauth.GetValueOrDefault("oauth_nonce") ?? "";
        if (nonce.Length < 8)
        {
            return "nonce missing";
        }
        // The raw query from the wire, decoded here independently of the client.
        var parameters = PercentEncoding.DecodeQuery(context.Request.QueryString.Value);
        parameters.AddRange(oauth);
        var uri = new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path.ToUriComponent()}");
        string expected = OAuth1Signature.Sign(OAuth1Signature.BaseString(context.Request.Method, uri, parameters), _options.ConsumerSecret, "", method);
        if (!FixedEquals(expected, signature))
        {
            return "signature mismatch";
        }
        if (!_nonces.TryAdd(timestamp + ":" + nonce, timestamp))
        {
            return "nonce reused";
        }
        return null;
    }

    private async Task IssueTokenAsync(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        string? id = null, secret = null;
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Substring(6).Trim()));
            int colon = decoded.IndexOf(':');
            if (colon > 0)
            {
                id = Uri.UnescapeDataString(decoded.Substring(0, colon).Replace('+', ' '));
                secret = Uri.UnescapeDataString(decoded.Substring(colon + 1).Replace('+', ' '));
            }
        }
        string body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        var form = PercentEncoding.DecodeQuery(body);
        if (id != _options.ClientId || secret is null || !FixedEquals(secret, _options.ClientSecret))
        {
            Stats.AuthFailures.Enqueue("invalid client");
            await WriteJsonAsync(context, 401, w => { w.WriteStartObject(); w.WriteString("error", "invalid_client"); w.WriteEndObject(); }, null);
            return;
        }
        if (form.FirstOrDefault(p => p.Key == "grant_type").Value != "client_credentials")
        {
            await WriteJsonAsync(context, 400, w => { w.WriteStartObject(); w.WriteString("error", "unsupported_grant_type"); w.WriteEndObject(); }, null);
            return;
        }
        Stats.TokenScopes.Enqueue(form.FirstOrDefault(p => p.Key == "scope").Value ?? "");
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = DateTimeOffset.UtcNow.AddSeconds(_options.TokenLifetimeSeconds);
        Stats.TokenIssued();
        await WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", token);
            w.WriteString("token_type", "bearer");
            w.WriteNumber("expires_in", _options.TokenLifetimeSeconds);
            w.WriteEndObject();
        }, null);
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private sealed class BadFilterException(string filter) : Exception($"Unsupported filter '{filter}'.");
}

/// <summary>One read of the CSV folder, sorted by sourcedId as the server pages it, with the folder stamp it was read at.</summary>
internal sealed class RosterDataset
{
    private RosterDataset(string stamp, List<RosterOrg> orgs, List<RosterUser> users, List<RosterClass> classes, IReadOnlyList<RosterEnrollment> enrollments,
        List<RosterAcademicSession> sessions)
    {
        Sessions = sessions;
        Stamp = stamp;
        Orgs = orgs;
        Users = users;
        Classes = classes;
        Enrollments = enrollments;
    }

    public string Stamp { get; }
    public List<RosterOrg> Orgs { get; }
    public List<RosterUser> Users { get; }
    public List<RosterClass> Classes { get; }
    public IReadOnlyList<RosterEnrollment> Enrollments { get; }
    /// <summary>academicSessions.csv (empty when the folder has none: the server then knows no terms).</summary>
    public List<RosterAcademicSession> Sessions { get; }

    public static RosterDataset Load(TestServerOptions options)
    {
        if (options.DataFolder is null)
        {
            return new RosterDataset("", new(), new(), new(), Array.Empty<RosterEnrollment>(), new());
        }
        // The stamp is taken before reading: an edit during the read changes it, and the next request reads again.
        string stamp = FolderStamp(options.DataFolder);
        using var csv = new CsvRosterSource(options.DataFolder);
        var orgs = csv.ReadOrgs(default).OrderBy(o => o.SourcedId, StringComparer.Ordinal).ToList();
        var users = csv.ReadUsers(default).OrderBy(u => u.SourcedId, StringComparer.Ordinal).ToList();
        var classes = csv.ReadClasses(default).OrderBy(c => c.SourcedId, StringComparer.Ordinal).ToList();
        IReadOnlyList<RosterEnrollment> enrollments = options.SyntheticEnrollments > 0
            ? new SyntheticEnrollments(options.SyntheticEnrollments, users, classes)
            : csv.ReadEnrollments(default).OrderBy(e => e.SourcedId, StringComparer.Ordinal).ToList();
        var sessions = (csv.ReadAcademicSessions(default, out _) ?? Enumerable.Empty<RosterAcademicSession>()).OrderBy(a => a.SourcedId, StringComparer.Ordinal).ToList();
        return new RosterDataset(stamp, orgs, users, classes, enrollments, sessions);
    }

    /// <summary>Name, length and last write time of every file in the folder: changes whenever a file does.</summary>
    public static string FolderStamp(string folder)
    {
        var files = new DirectoryInfo(folder).GetFiles().OrderBy(f => f.Name, StringComparer.Ordinal);
        return string.Join("|", files.Select(f => $"{f.Name}:{f.Length}:{f.LastWriteTimeUtc.Ticks}"));
    }
}
