using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Auth;
using SensoClassLink.Core.OneRoster.Rest;
using SensoClassLink.OneRosterTestServer;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RestTestContext;

namespace SensoClassLink.Core.Tests.OneRoster;

public sealed class RestRosterSourceTests
{
    private static void AssertSame(RosterSnapshotText expected, RosterSnapshotText actual)
    {
        Assert.Equal(expected.Orgs, actual.Orgs);
        Assert.Equal(expected.Users, actual.Users);
        Assert.Equal(expected.Classes, actual.Classes);
        Assert.Equal(expected.Enrollments, actual.Enrollments);
    }

    [Fact]
    public async Task Rest11WithOAuth1AndRest12WithOAuth2GiveTheSameRecordsAsTheCsv()
    {
        await using var server = await StartAsync(maxPageSize: 5);
        var csv = CsvSnapshot();
        Assert.Equal(48, csv.Users.Count);
        Assert.Equal(88, csv.Enrollments.Count);

        using (var v11 = Open(OAuth1(server, OneRosterVersion.V1_1)))
        {
            AssertSame(csv, Snapshot(v11));
        }
        using (var v12 = Open(OAuth2(server, OneRosterVersion.V1_2)))
        {
            AssertSame(csv, Snapshot(v12));
        }
        using (var bearer = Open(BearerSettings(server)))
        {
            AssertSame(csv, Snapshot(bearer));
        }
        Assert.Empty(server.Stats.AuthFailures);
        Assert.Contains(server.Stats.Paths, p => p.StartsWith(OneRosterRestClient.V1p2Path, StringComparison.Ordinal));
        Assert.Contains(server.Stats.Paths, p => p.StartsWith(OneRosterRestClient.V1p1Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CappedPagesAreFetchedConcurrentlyInOrderWithBoundedRequests()
    {
        await using var server = await StartAsync(maxPageSize: 5);
        server.PageLatency = TimeSpan.FromMilliseconds(30);
        using var source = Open(OAuth1(server, pageSize: 50, maxConcurrency: 4));

        var enrollments = source.ReadEnrollments(default).Select(e => e.SourcedId).ToList();

        // The server capped limit=50 at 5: 88 records are 18 pages, one request each, in sourcedId order.
        Assert.Equal(88, enrollments.Count);
        Assert.Equal(enrollments.Order(StringComparer.Ordinal), enrollments);
        Assert.Equal(18, server.Stats.Requests);
        Assert.InRange(server.Stats.MaxInFlight, 2, 4);
    }

    [Fact]
    public async Task BaseUrlMayBeTheFullVersionPath()
    {
        await using var server = await StartAsync();
        var settings = OAuth1(server);
        settings.BaseUrl = new Uri(server.BaseUri, OneRosterRestClient.V1p2Path + "/");
        using var source = Open(settings);
        Assert.Equal(OneRosterVersion.V1_2, source.Client.Version);
        Assert.Equal(4, source.ReadOrgs(default).Count());
        Assert.All(server.Stats.Paths, p => Assert.StartsWith(OneRosterRestClient.V1p2Path + "/orgs", p));
    }

    public static TheoryData<string, int> TransientFaults => new()
    {
        { "RateLimit:/enrollments:10:2:1", 2 },
        { "Unavailable:/enrollments:15:1", 1 },
        { "TruncatedBody:/enrollments:20:1", 1 },
        { "HtmlPage:/enrollments:0:1", 1 },
        { "MissingEnvelope:/enrollments:5:1", 1 },
        { "Slow:/enrollments:25:1:1600", 1 },
    };

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task TransientFaultsAreRetriedAndTheDataIsCompleteAndIdentical(string fault, int extraRequests)
    {
        await using var server = await StartAsync(maxPageSize: 5);
        var rule = FaultRule.Parse(fault);
        server.Faults.Enqueue(rule);
        var settings = OAuth1(server, pageSize: 5, maxConcurrency: 3);
        // Only the slow page must outlast the attempt timeout; for the other faults a 1 s timeout on a busy machine
        // could time out a healthy page too and add a retry the counts below do not expect.
        settings.TimeoutSeconds = rule.Kind == FaultKind.Slow ? 1 : 30;
        using var source = Open(settings);

        var enrollments = source.ReadEnrollments(default).Select(e => e.SourcedId).ToList();

        Assert.Equal(CsvSnapshot().Enrollments.Select(e => e.Split('|')[0]).Order(StringComparer.Ordinal), enrollments);
        Assert.Equal(rule.Kind == FaultKind.RateLimit ? 2 : 1, rule.Fired);
        Assert.Equal(18 + extraRequests, server.Stats.Requests);
        Assert.Equal(18 + extraRequests, source.Client.AttemptCount);
    }

    [Fact]
    public async Task RetryAfterIsHonouredUpToTheCap()
    {
        await using var server = await StartAsync(maxPageSize: 50);
        server.Faults.Enqueue(new FaultRule(FaultKind.RateLimit, "/orgs", 0, 1) { RetryAfterSeconds = 1 });
        using var source = Open(OAuth1(server, pageSize: 50));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(4, source.ReadOrgs(default).Count());
        // Backoff alone is at most 40 ms here; the 300 ms cap on Retry-After is what we waited.
        Assert.InRange(watch.ElapsedMilliseconds, 280, 5000);
    }

    [Theory]
    [InlineData("Unavailable:/enrollments:10:-1", "HTTP 503")]
    [InlineData("TruncatedBody:/enrollments:10:-1", "truncated or not JSON")]
    [InlineData("HtmlPage:/enrollments:10:-1", "HTML page")]
    public async Task PersistentFaultsFailThePullWithABoundedNumberOfRequests(string fault, string expected)
    {
        await using var server = await StartAsync(maxPageSize: 5);
        server.Faults.Enqueue(FaultRule.Parse(fault));
        using var source = Open(OAuth1(server, pageSize: 5, maxConcurrency: 2, maxRetries: 3));
        var received = new List<string>();

        var error = Assert.Throws<RosterReadException>(() =>
        {
            foreach (var e in source.ReadEnrollments(default))
            {
                received.Add(e.SourcedId);
            }
        });

        Assert.Contains(expected, error.Message);
        Assert.Contains("offset 10", error.Message);
        Assert.Contains("/enrollments", error.Message);
        Assert.DoesNotContain(ConsumerSecret, error.ToString());
        // The consumer never saw the end of the collection, only the pages before the failure.
        Assert.True(received.Count <= 10);
        // Offset 10 was tried 1 + 3 times; at most the pages in the concurrency window besides.
        Assert.InRange(server.Stats.Requests, 4 + 2, 4 + 2 + 2);
    }

    [Fact]
    public async Task ARosterThatShiftsDuringThePullIsDeduplicatedAndThenRefusedAsIncomplete()
    {
        await using var server = await StartAsync(maxPageSize: 5);
        server.Faults.Enqueue(new FaultRule(FaultKind.ShiftedPage, "/enrollments", 40, 1));
        using var source = Open(OAuth1(server, pageSize: 5));
        var received = new List<string>();
        var error = Assert.Throws<RosterReadException>(() =>
        {
            foreach (var e in source.ReadEnrollments(default))
            {
                received.Add(e.SourcedId);
            }
        });
        Assert.Contains("86 of 88", error.Message);
        Assert.Contains("did the roster change during the pull", error.Message);
        Assert.Equal(received.Count, received.Distinct().Count());
    }

    [Fact]
    public async Task AFailureEnvelopeOnA200IsAnErrorWithTheServersDescriptionAndIsNotRetried()
    {
        await using var server = await StartAsync(maxPageSize: 50);
        server.Faults.Enqueue(new FaultRule(FaultKind.FailureEnvelope, "/users", 0, -1));
        using var source = Open(OAuth1(server, pageSize: 50));
        var error = Assert.Throws<RosterReadException>(() => source.ReadUsers(default).ToList());
        Assert.Contains("The roster server is rebuilding its index.", error.Message);
        Assert.Contains("GET /users (offset 0)", error.Message);
        Assert.Equal(1, server.Stats.Requests);
    }

    [Fact]
    public async Task ForbiddenIsNotRetriedAndSaysWhatToCheck()
    {
        await using var server = await StartAsync();
        server.Faults.Enqueue(new FaultRule(FaultKind.Forbidden, "/classes", null, -1));
        using var source = Open(OAuth1(server));
        var error = Assert.Throws<RosterAuthenticationException>(() => source.ReadClasses(default).ToList());
        Assert.Equal(403, error.HttpStatus);
        Assert.Contains("not enabled", error.Message);
        Assert.Equal(1, server.Stats.Requests);
    }

    [Fact]
    public async Task MissingTotalHeaderPagesUntilAnEmptyPageAndFollowsOnlySameHostNextLinks()
    {
        await using var server = await StartAsync(maxPageSize: 5);
        server.OmitTotalHeader = true;
        using var source = Open(OAuth1(server, pageSize: 7));
        AssertSame(CsvSnapshot(), Snapshot(source));
        // 88 enrollments in pages of 5 (capped from 7): 18 pages plus the empty one that ends the pull.
        Assert.Equal(19, server.Stats.Paths.Count(p => p.EndsWith("/enrollments", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ANextLinkToAnotherHostIsNeverFollowed()
    {
        await using var server = await StartAsync(maxPageSize: 5);
        server.OmitTotalHeader = true;
        server.ForeignNextLinkAuthority = "https://elsewhere.invalid";
        using var source = Open(OAuth1(server, pageSize: 5));
        Assert.Equal(CsvSnapshot().Users, Snapshot(source).Users);
    }

    [Fact]
    public async Task WrongSecretFailsAfterOneReauthenticationWithoutRevealingIt()
    {
        await using var server = await StartAsync();
        Environment.SetEnvironmentVariable("SCL_TEST_WRONG_SECRET", "not-the-secret");
        var verbose = new List<string>();
        using var source = Open(OAuth1(server, secretVariable: "SCL_TEST_WRONG_SECRET"), verbose);
        var error = Assert.Throws<RosterAuthenticationException>(() => source.ReadOrgs(default).ToList());
        Assert.Equal(401, error.HttpStatus);
        Assert.Contains("clock", error.Message);
        Assert.Contains("signature mismatch", error.Message);
        Assert.DoesNotContain("not-the-secret", error.ToString());
        Assert.Equal(2, server.Stats.Requests);
        Assert.All(verbose, line => Assert.DoesNotContain("oauth_signature", line));
    }

    [Fact]
    public async Task SkewedClockIsRefused()
    {
        await using var server = await StartAsync();
        server.ClockOffset = TimeSpan.FromMinutes(20);
        using var source = Open(OAuth1(server));
        Assert.Throws<RosterAuthenticationException>(() => source.ReadOrgs(default).ToList());
        Assert.All(server.Stats.AuthFailures, f => Assert.Equal("timestamp outside the allowed clock skew", f));
    }

    [Fact]
    public async Task AReplayedNonceIsRefusedAndEveryRetryIsSignedAfresh()
    {
        await using var server = await StartAsync();
        var signer = new OAuth1Signer("district-key", ConsumerSecret, OAuth1SignatureMethod.HmacSha256);
        var uri = new Uri(server.BaseUri, OneRosterRestClient.V1p1Path + "/orgs");
        string header = signer.CreateAuthorizationHeader("GET", uri, Array.Empty<KeyValuePair<string, string>>());
        using var http = new HttpClient();
        async Task<int> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("Authorization", header);
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }
        Assert.Equal(200, await Send());
        Assert.Equal(401, await Send());
        Assert.Equal("nonce reused", Assert.Single(server.Stats.AuthFailures));

        // Through the client, retried attempts carry new nonces and all pass verification.
        server.Faults.Enqueue(new FaultRule(FaultKind.Unavailable, "/orgs", 0, 2));
        using var source = Open(OAuth1(server));
        Assert.Equal(4, source.ReadOrgs(default).Count());
        Assert.Single(server.Stats.AuthFailures);
    }

    [Fact]
    public async Task OAuth2TokenIsCachedRenewedBeforeExpiryAndAfterA401()
    {
        await using var server = await StartAsync(maxPageSize: 50, tokenLifetimeSeconds: 2);
        using var source = Open(OAuth2(server, pageSize: 50));
        Assert.Equal(48, source.ReadUsers(default).Count());
        Assert.Equal(4, source.ReadOrgs(default).Count());
        Assert.Equal(1, server.Stats.TokensIssued);

        await Task.Delay(TimeSpan.FromSeconds(1.9)); // inside the renewal margin: renewed without a 401
        Assert.Equal(5, source.ReadClasses(default).Count());
        Assert.Equal(2, server.Stats.TokensIssued);
        Assert.Empty(server.Stats.AuthFailures);

        server.Faults.Enqueue(new FaultRule(FaultKind.Unauthorized, "/classes", 0, 1));
        Assert.Equal(5, source.ReadClasses(default).Count());
        Assert.Equal(3, server.Stats.TokensIssued);
        Assert.Equal(new[] { "https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly" }, server.Stats.TokenScopes.Distinct());
    }

    [Fact]
    public async Task OAuth2WithoutScopesSendsNoScopeAndBadClientSecretIsReportedWithoutIt()
    {
        await using var server = await StartAsync();
        using (var source = Open(OAuth2(server, scopes: Array.Empty<string>())))
        {
            Assert.Equal(4, source.ReadOrgs(default).Count());
        }
        Assert.Equal("", Assert.Single(server.Stats.TokenScopes));

        Environment.SetEnvironmentVariable("SCL_TEST_BAD_CLIENT", "wrong-client-secret");
        var settings = OAuth2(server);
        settings.Auth.ClientSecret = SecretReference.FromEnvironment("SCL_TEST_BAD_CLIENT", "classlink.api.auth.clientSecret");
        using var bad = Open(settings);
        var error = Assert.Throws<RosterAuthenticationException>(() => bad.ReadOrgs(default).ToList());
        Assert.Contains("invalid_client", error.Message);
        Assert.DoesNotContain("wrong-client-secret", error.ToString());
    }

    [Fact]
    public async Task VerboseShowsRequestsWithoutQueriesTokensOrSignatures()
    {
        await using var server = await StartAsync();
        var verbose = new List<string>();
        using var source = Open(OAuth2(server), verbose);
        using var scoped = source.ScopeToTeacher("jane.doe@riverside.org");
        scoped.ReadUsers(default).ToList();
        Assert.NotEmpty(verbose);
        Assert.Contains(verbose, line => line.StartsWith("GET /ims/oneroster/rostering/v1p2/users -> 200", StringComparison.Ordinal));
        foreach (string line in verbose)
        {
            Assert.DoesNotContain("jane", line);
            Assert.DoesNotContain("?", line);
            Assert.DoesNotContain("Bearer", line);
            Assert.DoesNotContain(ClientSecret, line);
        }
    }

    [Fact]
    public async Task ProgressRunsOnTheEnumeratingThreadAndVerboseLinesComeFromThePageRequests()
    {
        // Verbose may be called from any thread (the HTTP callbacks of concurrent pages): the host's sink is thread-safe.
        await using var server = await StartAsync(maxPageSize: 5);
        server.Faults.Enqueue(new FaultRule(FaultKind.Unavailable, "/enrollments", 30, 1));
        var threads = new List<int>();
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var observer = new RosterReadObserver
        {
            Verbose = lines.Enqueue,
            Progress = _ => threads.Add(Environment.CurrentManagedThreadId),
        };
        using var source = new RestRosterSource(OAuth1(server, pageSize: 5, maxConcurrency: 4), observer, FastRetries());
        int enumerating = Environment.CurrentManagedThreadId;
        Assert.Equal(88, source.ReadEnrollments(default).Count());
        Assert.Equal(19, lines.Count(l => l.StartsWith("GET ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("Retrying after HTTP 503", StringComparison.Ordinal));
        Assert.NotEmpty(threads);
        Assert.All(threads, t => Assert.Equal(enumerating, t));
    }

    [Theory]
    [InlineData("http://roster.example.org/", "https://")]
    [InlineData("https://user:pw@roster.example.org/", "user name or password")]
    public void UnsafeBaseUrlsAreRefused(string url, string expected)
    {
        var settings = new RosterApiSettings
        {
            BaseUrl = new Uri(url),
            Auth = new RosterAuthSettings { Method = RosterAuthMethod.Bearer, Token = SecretReference.FromEnvironment(BearerVariable, "t") },
        };
        var error = Assert.Throws<ArgumentException>(() => new RestRosterSource(settings));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task TheNextPagesAreRequestedWhileTheConsumerReadsTheFirst()
    {
        // Each collection's first page tells the total; the pages after it are asked for before the first page is
        // handed out, so the network works while the engine reads it (with 100 ms a page, four pages at once would
        // otherwise wait one round trip per collection with nothing in flight).
        await using var server = await StartAsync(maxPageSize: 5);
        using var source = Open(OAuth1(server, pageSize: 5, maxConcurrency: 4));
        using var enrollments = source.ReadEnrollments(default).GetEnumerator();
        Assert.True(enrollments.MoveNext());

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (server.Stats.Requests < 5 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }
        Assert.Equal(5, server.Stats.Requests);
    }

    [Fact]
    public async Task ABenchmarkServerServingCachedPagesServesTheSameRoster()
    {
        // The benchmark starts the server with --cache-pages; what it serves must not differ from a plain server,
        // on a second pull as on the first, and a filtered request is never answered from the cache.
        await using var plain = await StartAsync(maxPageSize: 5);
        await using var cached = await StartAsync(maxPageSize: 5, cachePages: true);
        using var fromPlain = Open(OAuth1(plain, pageSize: 5));
        using var fromCached = Open(OAuth1(cached, pageSize: 5));
        string Describe(IEnumerable<RosterEnrollment> enrollments) =>
            string.Join("\n", enrollments.Select(e => $"{e.SourcedId}|{e.UserSourcedId}|{e.ClassSourcedId}|{e.Role}|{e.Status}|{e.BeginDate}|{e.EndDate}"));

        string expected = Describe(fromPlain.ReadEnrollments(default));
        Assert.Equal(expected, Describe(fromCached.ReadEnrollments(default)));
        Assert.Equal(expected, Describe(fromCached.ReadEnrollments(default)));
        var users = fromPlain.ReadUsers(default).Select(u => u.SourcedId + "|" + u.Email).ToList();
        Assert.Equal(users, fromCached.ReadUsers(default).Select(u => u.SourcedId + "|" + u.Email).ToList());

        string teacher = fromPlain.ReadUsers(default).First(u => u.Roles.Contains("teacher")).SourcedId;
        var filter = new[] { new KeyValuePair<string, string>("filter", $"sourcedId='{teacher}'") };
        Assert.Equal(teacher, Assert.Single(fromCached.ReadCollection(RosterCollections.Users, "/users", filter, default)).SourcedId);
    }

    [Fact]
    public async Task StoppingEarlyCancelsPagesInFlight()
    {
        await using var server = await StartAsync(maxPageSize: 5);
        server.PageLatency = TimeSpan.FromMilliseconds(50);
        using var source = Open(OAuth1(server, pageSize: 5, maxConcurrency: 4));
        Assert.Equal(3, source.ReadEnrollments(default).Take(3).Count());
        await Task.Delay(200);
        Assert.InRange(server.Stats.Requests, 1, 5);
    }

    [Fact]
    public async Task PageBoundStopsARunawayPull()
    {
        await using var server = await StartAsync(maxPageSize: 5);
        server.OmitTotalHeader = true;
        using var source = Open(OAuth1(server, pageSize: 5), transport: FastRetries(maxPages: 4));
        var error = Assert.Throws<RosterReadException>(() => source.ReadEnrollments(default).ToList());
        Assert.Contains("4 pages", error.Message);
        Assert.Equal(4, server.Stats.Requests);
    }
}
