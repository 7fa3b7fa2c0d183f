using System.Net;
using System.Text;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RestTestContext;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>
/// The REST source feeds the engine's pooled fast path (enrollment rows with pool ids, issue 10 item 4) and must give
/// exactly what the record path gives, warnings included; and the REST value rules (issue 12 item 9) hold end to end.
/// </summary>
public sealed class RestPooledPathTests
{
    private static readonly DateTime AsOf = new(2025, 10, 1);

    /// <summary>Serves fixed JSON records as OneRoster pages (limit/offset, X-Total-Count), as a server would.</summary>
    private sealed class PagedJsonHandler(Dictionary<string, List<string>> collections) : HttpMessageHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            string name = request.RequestUri!.AbsolutePath.Split('/').Last();
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
            int offset = int.Parse(query["offset"] ?? "0");
            int limit = int.Parse(query["limit"] ?? "100");
            var records = collections[name];
            string body = $"{{\"{name}\":[{string.Join(",", records.Skip(offset).Take(limit))}]}}";
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            response.Headers.Add("x-total-count", records.Count.ToString());
            return Task.FromResult(response);
        }
    }

    /// <summary>Hides the pooled capability: the engine then reads records, as it does for any other source.</summary>
    private sealed class RecordsOnly(IRosterSource inner) : IRosterSource
    {
        public string Description => inner.Description;
        public IEnumerable<RosterOrg> ReadOrgs(CancellationToken ct) => inner.ReadOrgs(ct);
        public IEnumerable<RosterUser> ReadUsers(CancellationToken ct) => inner.ReadUsers(ct);
        public IEnumerable<RosterClass> ReadClasses(CancellationToken ct) => inner.ReadClasses(ct);
        public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken ct) => inner.ReadEnrollments(ct);
        public void Dispose() => inner.Dispose();
    }

    private static string User(string id, string role, string email, string extra = "") =>
        $$"""{"sourcedId":{{id}},"status":"active","enabledUser":"true","role":"{{role}}","orgs":[{"sourcedId":"s1"}],"givenName":"G","familyName":"F","email":"{{email}}"{{extra}}}""";

    private static string Enrollment(string id, string user, string cls, string role, string extra = "") =>
        $$"""{"sourcedId":"{{id}}","status":"active","user":{"href":"https://elsewhere/u","sourcedId":{{user}}},"class":{"sourcedId":"{{cls}}"},"school":{"sourcedId":"s1"},"role":"{{role}}"{{extra}}}""";

    private static Dictionary<string, List<string>> District() => new()
    {
        ["orgs"] = new() { """{"sourcedId":"s1","name":"School One","type":"school"}""" },
        ["users"] = new()
        {
            User("\"t1\"", "teacher", "t1@d.org"),
            User("\"t2\"", "Teacher", "t2@d.org", ",\"enabledUser\":\"No\""),
            User("\"t3\"", "teacher", "t3@d.org", ",\"status\":\"TOBEDELETED\""),
            User("\"t4\"", "", "t4@d.org", ",\"roles\":[{\"role\":\"student\",\"org\":{\"sourcedId\":\"s1\"}},{\"role\":\" TEACHER \",\"org\":{\"sourcedId\":\"s1\"}}]"),
            User("\"t5\"", "teacher", "t5@d.org", ",\"enabledUser\":0"),
            User("\"s\\u0031\"", "student", "s1@d.org"),
            User("\"s2\"", "student", "s2@d.org", ",\"enabledUser\":\"YES\""),
            User("42", "student", "n42@d.org"),
            User("\"s3\"", "Student", "", ",\"status\":\"Active\""),
        },
        ["classes"] = new()
        {
            """{"sourcedId":"c1","status":"active","title":"One","school":{"sourcedId":"s1"}}""",
            """{"sourcedId":"c2","status":"ToBeDeleted","title":"Two","school":{"sourcedId":"s1"}}""",
            """{"sourcedId":"c3","title":"Three","school":{"sourcedId":"s1"}}""",
        },
        ["enrollments"] = new()
        {
            Enrollment("e1", "\"t1\"", "c1", "teacher"),
            Enrollment("e2", "\"s1\"", "c1", " Student "),
            Enrollment("e3", "42", "c1", "student", ",\"beginDate\":\"2025-08-01T00:00:00.000Z\""),
            Enrollment("e4", "\"s2\"", "c1", "student", ",\"endDate\":\"2025-09-30 23:59:59\""),
            Enrollment("e5", "\"t2\"", "c1", "teacher"),
            Enrollment("e6", "\"t3\"", "c1", "teacher"),
            Enrollment("e7", "\"t4\"", "c3", "TEACHER"),
            Enrollment("e8", "\"s3\"", "c3", "student", ",\"beginDate\":\"2025-08-01T08:00:00-07:00\",\"endDate\":\"2026-06-30\""),
            Enrollment("e9", "\"t5\"", "c3", "teacher"),
            Enrollment("e10", "\"ghost\"", "c1", "student"),
            Enrollment("e11", "\"s1\"", "c404", "student"),
            Enrollment("e12", "\"s2\"", "c3", "student", ",\"beginDate\":\"01/08/2025\""),
            Enrollment("e13", "\"t1\"", "c2", "teacher"),
            Enrollment("e14", "\"s2\"", "c2", "student", ",\"status\":\"TOBEDELETED\""),
            Enrollment("e\\u0031\\u0035", "\"s\\u0031\"", "c3", "student", ",\"metadata\":{\"role\":\"teacher\",\"x\":[1,{\"y\":null}]},\"endDate\":null"),
        },
    };

    private static RestRosterSource Open(PagedJsonHandler handler, RosterReadObserver observer)
    {
        Environment.SetEnvironmentVariable("SCL_TEST_POOLED_BEARER", "token");
        var settings = new RosterApiSettings
        {
            BaseUrl = new Uri("https://roster.test/"),
            PageSize = 3,
            MaxConcurrency = 2,
            MaxRetries = 1,
            TimeoutSeconds = 5,
            Auth = new RosterAuthSettings { Method = RosterAuthMethod.Bearer, Token = SecretReference.FromEnvironment("SCL_TEST_POOLED_BEARER", "classlink.api.auth.token") },
        };
        return new RestRosterSource(settings, observer, new RestTransportOptions { Handler = handler, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(2) });
    }

    private static (List<string> Teachers, List<string> Warnings, string Statistics) Evaluate(Func<RosterReadObserver, IRosterSource> open)
    {
        var warnings = new List<string>();
        var observer = new RosterReadObserver { Warning = w => warnings.Add(w.ToString()) };
        using var source = open(observer);
        var evaluation = EligibilityEngine.Evaluate(source, AsOf, observer, default);
        var s = evaluation.Statistics;
        return (evaluation.Teachers.Select(t => $"{t.Email}|{t.Reason}|{t.StudentCount}|{string.Join(",", t.Classes.Select(c => c.SourcedId + ":" + c.StudentCount))}").ToList(),
            warnings, $"{s.Teachers}/{s.EligibleTeachers}/{s.Students}/{s.Classes}/{s.Enrollments}/{s.CountingEnrollments}/{s.DataQualityWarnings}");
    }

    [Fact]
    public void AUserRowReadsWhatItsRecordReads()
    {
        // Each user row against the record of the same JSON: roles from role and roles[] (a 1.2 user may be both),
        // orgs from orgs[] then the roles' orgs (repeats and blanks dropped), escapes, JSON booleans, names and email
        // decoded only when asked, a blank sourcedId, keys repeated within a record. (A sourcedId repeated within a pull
        // fails it on either path: the distinct records then miss the total.)
        var users = new List<string>
        {
            User("\"t1\"", "teacher", "t1@d.org", ",\"orgs\":[{\"sourcedId\":\"s2\"},\"x\",{\"sourcedId\":\"s2\"},{\"href\":\"h\"}]"),
            User("\"t2\"", " Teacher ", "T\u00e9@d.org", ",\"givenName\":\"Zo\u00eb\",\"enabledUser\":true"),
            User("\"both\"", "", "b@d.org", ",\"roles\":[{\"role\":\"student\",\"org\":{\"sourcedId\":\"s3\"}},\"teacher\",{\"role\":\"aide\",\"org\":{\"sourcedId\":\"s1\"}},7]"),
            User("\"s1\"", "student", "s1@d.org", ",\"enabledUser\":false,\"email\":\"second@d.org\""),
            User("\"\"", "teacher", "blank@d.org"),
            User("\"n\"", "teacher", "n@d.org", ",\"orgs\":null,\"roles\":{\"role\":\"student\"},\"familyName\":null"),
        };
        var district = District();
        district["users"] = users;
        using var source = Open(new PagedJsonHandler(district), RosterReadObserver.None);
        IPooledRosterSource pooled = source;
        static string Describe(string id, string status, string enabled, bool teacher, bool student, IUserDetails details) =>
            $"{id}|{status}|{enabled}|{teacher}|{student}|{details.Email}|{details.GivenName}|{details.FamilyName}|{string.Join(",", details.OrgSourcedIds)}";

        var rows = pooled.ReadUserRows(default).Select(r => Describe(r.SourcedId, r.Status, r.EnabledUser, r.IsTeacher, r.IsStudent, r)).ToList();
        var records = source.ReadUsers(default).Select(u => Describe(u.SourcedId, u.Status, u.EnabledUser,
            u.Roles.Any(RosterRoles.IsTeacher), u.Roles.Any(RosterRoles.IsStudent), new RecordView(u))).ToList();

        Assert.Equal(records, rows);
        Assert.Equal(6, rows.Count);
        Assert.Contains("t1|active|true|True|False|t1@d.org|G|F|s2", rows); // its second orgs key wins, as in the record
        Assert.Contains("both|active|true|True|True|b@d.org|G|F|s1,s3", rows);
        Assert.Contains("t2|active|true|True|False|T\u00e9@d.org|Zo\u00eb|F|s1", rows);
    }

    private sealed class RecordView(RosterUser user) : IUserDetails
    {
        public string Email => user.Email;
        public string GivenName => user.GivenName;
        public string FamilyName => user.FamilyName;
        public IReadOnlyList<string> OrgSourcedIds => user.OrgSourcedIds;
    }

    [Fact]
    public void ThePooledPathAndTheRecordPathGiveTheSameTeachersWarningsAndFigures()
    {
        var pooled = Evaluate(o => Open(new PagedJsonHandler(District()), o));
        var records = Evaluate(o => new RecordsOnly(Open(new PagedJsonHandler(District()), o)));

        Assert.Equal(records.Teachers, pooled.Teachers);
        Assert.Equal(records.Warnings, pooled.Warnings);
        Assert.Equal(records.Statistics, pooled.Statistics);

        // The value rules, end to end: "No" and 0 disable, TOBEDELETED in any case is deleted, a 1.2 role list makes
        // a teacher, ISO date-times and "YYYY-MM-DD HH:MM:SS" are dates, an unreadable date is warned about.
        Assert.Equal(new[]
        {
            "t1@d.org|Eligible|2|c1:2",
            "t2@d.org|Inactive|0|",
            "t3@d.org|Inactive|0|",
            "t4@d.org|Eligible|2|c3:2",
            "t5@d.org|Inactive|0|",
        }, pooled.Teachers);
        Assert.Equal(new[]
        {
            ": the enrollment refers to a user that is not in the roster",
            ": the enrollment refers to a class that is not in the roster",
            ": the enrollment's beginDate is not a YYYY-MM-DD date",
        }, pooled.Warnings);
    }

    [Fact]
    public void TheRestSourceOffersThePooledPathAndItsRowsReadEveryPageOnce()
    {
        var handler = new PagedJsonHandler(District());
        using var source = Open(handler, RosterReadObserver.None);
        IPooledRosterSource pooled = Assert.IsAssignableFrom<IPooledRosterSource>(source);
        Assert.True(pooled.HasPooledUserRows);
        int classId = pooled.PoolIdOf("c1");
        int userId = pooled.PoolIdOf("42");
        pooled.PoolIdOf("s1");
        int classOf(string id) => pooled.PoolIdOf(id);
        classOf("c3");

        var rows = pooled.ReadEnrollmentRows(default).Select(r => (r.ClassId, r.UserId, r.Role, r.BeginDate, r.EndDate, r.Location)).ToList();

        Assert.Equal(15, rows.Count);
        Assert.Equal(5, handler.Requests); // 15 records in pages of 3
        Assert.Equal((classId, userId, "student", "2025-08-01", "", ""), rows[2]);
        Assert.Equal("2025-09-30", rows[3].EndDate);
        Assert.Equal(-1, rows[9].UserId);   // nobody pooled "ghost"
        Assert.Equal(-1, rows[10].ClassId);
        Assert.Equal("01/08/2025", rows[11].BeginDate);
        Assert.Equal((classOf("c3"), pooled.PoolIdIfAny("s1"), "student", ""), (rows[14].ClassId, rows[14].UserId, rows[14].Role, rows[14].EndDate));
    }

    [Fact]
    public async Task AWholeReadAsksForTheFirstPagesAheadWithinTheRequestLimitAndWithoutExtraRequests()
    {
        // With four requests at once, the first pages of users, classes and enrollments go out with the orgs page
        // (before, each waited for the collection before it to end); the limit still holds and no page is asked twice.
        await using var ahead = await StartAsync(maxPageSize: 5);
        ahead.PageLatency = TimeSpan.FromMilliseconds(200);
        await using var oneAtATime = await StartAsync(maxPageSize: 5);
        using (var source = RestTestContext.Open(OAuth1(ahead, pageSize: 5, maxConcurrency: 4)))
        using (var sequential = RestTestContext.Open(OAuth1(oneAtATime, pageSize: 5, maxConcurrency: 1)))
        {
            string Render(RosterEvaluation e) => string.Join("\n", e.Teachers.Select(t => $"{t.Email}|{t.Reason}|{t.StudentCount}"));
            Assert.Equal(Render(EligibilityEngine.Evaluate(sequential, AsOf, RosterReadObserver.None, default)),
                Render(EligibilityEngine.Evaluate(source, AsOf, RosterReadObserver.None, default)));
        }

        // Users take ten pages of five (three rounds of four): without the read-ahead, classes and enrollments would
        // only be asked for once the last users page was in.
        var order = ahead.Stats.Paths.Select(p => p.Substring(p.LastIndexOf('/') + 1)).ToList();
        Assert.True(order.IndexOf("classes") < order.LastIndexOf("users"), string.Join(",", order));
        Assert.True(order.IndexOf("enrollments") < order.LastIndexOf("users"), string.Join(",", order));
        Assert.InRange(ahead.Stats.MaxInFlight, 2, 4);
        Assert.Equal(oneAtATime.Stats.Requests, ahead.Stats.Requests);
    }

    [Fact]
    public async Task ReleasingThePoolLetsThePageBuffersGo()
    {
        // The engine releases the pool once the enrollments are resolved; the buffers kept between pages (each as
        // large as the largest page) must not stay alive under the evaluation that follows.
        await using var server = await StartAsync(maxPageSize: 5);
        using var source = RestTestContext.Open(OAuth1(server, pageSize: 5, maxConcurrency: 3));
        IPooledRosterSource pooled = source;
        Assert.Equal(4, source.ReadOrgs(default).Count());
        Assert.Equal(88, pooled.ReadEnrollmentRows(default).Count());
        Assert.True(source.Client.FreePageBuffers > 0);

        pooled.ReleasePool();

        Assert.Equal(0, source.Client.FreePageBuffers);
        Assert.Equal(88, pooled.ReadEnrollmentRows(default).Count());
    }

    [Fact]
    public async Task PagesAskedForAheadAndNeverReadAreLetGoWithTheSource()
    {
        await using var server = await StartAsync(maxPageSize: 5);
        using (var source = RestTestContext.Open(OAuth1(server, pageSize: 5, maxConcurrency: 4)))
        {
            source.ReadAhead(new[] { RosterCollectionKind.Users, RosterCollectionKind.Classes, RosterCollectionKind.Enrollments }, default);
            Assert.Equal(4, source.ReadOrgs(default).Count());
        }
        // Disposed with three first pages in flight or waiting: nothing throws, and a new read starts afresh.
        using var again = RestTestContext.Open(OAuth1(server, pageSize: 5, maxConcurrency: 4));
        Assert.Equal(88, again.ReadEnrollments(default).Count());
    }

    [Fact]
    public async Task OverTheLoopbackServerThePooledPathEqualsTheRecordPathAndTheCsv()
    {
        await using var server = await StartAsync(maxPageSize: 5);
        var warningsPooled = new List<string>();
        var warningsRecords = new List<string>();
        using var pooledSource = RestTestContext.Open(OAuth1(server, pageSize: 5, maxConcurrency: 3));
        using var recordsSource = new RecordsOnly(RestTestContext.Open(OAuth1(server, pageSize: 5, maxConcurrency: 3)));
        var pooled = EligibilityEngine.Evaluate(pooledSource, AsOf, new RosterReadObserver { Warning = w => warningsPooled.Add(w.ToString()) }, default);
        var records = EligibilityEngine.Evaluate(recordsSource, AsOf, new RosterReadObserver { Warning = w => warningsRecords.Add(w.ToString()) }, default);
        using var csvSource = new CsvRosterSource(DataFolder);
        var csv = EligibilityEngine.Evaluate(csvSource, AsOf, RosterReadObserver.None, default);

        string Render(RosterEvaluation e) => string.Join("\n", e.Teachers.Select(t => $"{t.Email}|{t.Reason}|{t.StudentCount}|{string.Join(",", t.Classes.Select(c => c.SourcedId + ":" + c.StudentCount))}|{string.Join(",", t.SchoolSourcedIds)}"));
        Assert.Equal(Render(records), Render(pooled));
        Assert.Equal(Render(csv), Render(pooled));
        Assert.Equal(warningsRecords, warningsPooled);
        Assert.Equal((records.Statistics.Enrollments, records.Statistics.CountingEnrollments), (pooled.Statistics.Enrollments, pooled.Statistics.CountingEnrollments));
    }
}
