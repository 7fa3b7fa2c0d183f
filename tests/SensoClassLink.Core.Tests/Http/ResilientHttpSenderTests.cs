using System.Net;
using SensoClassLink.Core.Http;
using Xunit;

namespace SensoClassLink.Core.Tests.Http;

public sealed class ResilientHttpSenderTests
{
    private static readonly HttpRetryOptions Fast = new()
    {
        MaxRetries = 3,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryAfter = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromMilliseconds(300),
    };

    private sealed class ScriptedHandler(params Func<HttpRequestMessage, Task<HttpResponseMessage>>[] steps) : HttpMessageHandler
    {
        private int calls;
        public int Calls => Volatile.Read(ref calls);
        public List<string?> Authorizations { get; } = new();

        // Several tests send from concurrent callers: the count and the list must not lose an attempt.
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Authorizations) { Authorizations.Add(request.Headers.Authorization?.ToString()); }
            int index = Math.Min(Interlocked.Increment(ref calls) - 1, steps.Length - 1);
            return steps[index](request);
        }
    }

    private static Func<HttpRequestMessage, Task<HttpResponseMessage>> Status(int code) =>
        _ => Task.FromResult(new HttpResponseMessage((HttpStatusCode)code) { Content = new StringContent("{}") });

    private static (ResilientHttpSender Sender, ScriptedHandler Handler, List<string> Verbose) Create(params Func<HttpRequestMessage, Task<HttpResponseMessage>>[] steps)
    {
        var handler = new ScriptedHandler(steps);
        var verbose = new List<string>();
        return (new ResilientHttpSender(new HttpClient(handler), Fast, verbose.Add), handler, verbose);
    }

    private static int built;

    private static Task<HttpRequestMessage> Build(CancellationToken _)
    {
        int n = Interlocked.Increment(ref built);
        var request = new HttpRequestMessage(HttpMethod.Get, "https://roster.example/ims/oneroster/v1p1/users?filter=email%3D%27jane%40x.org%27");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer token-" + n);
        return Task.FromResult(request);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task TransientStatusesAreRetriedWithARequestBuiltAfreshEachTime(int status)
    {
        var (sender, handler, _) = Create(Status(status), Status(status), Status(200));
        using var response = await sender.SendAsync(Build, default);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, handler.Calls);
        Assert.Equal(3, sender.AttemptCount);
        Assert.Equal(3, handler.Authorizations.Distinct().Count());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task ClientErrorsAreReturnedWithoutRetry(int status)
    {
        var (sender, handler, _) = Create(Status(status), Status(200));
        using var response = await sender.SendAsync(Build, default);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task RetriesAreBoundedAndTheLastAnswerIsReturned()
    {
        var (sender, handler, _) = Create(Status(503));
        using var response = await sender.SendAsync(Build, default);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1 + Fast.MaxRetries, handler.Calls);
    }

    [Fact]
    public async Task ConnectionFailuresAndTimeoutsAreRetried()
    {
        var (sender, handler, _) = Create(
            _ => throw new HttpRequestException("connection reset"),
            async r => { await Task.Delay(600); return new HttpResponseMessage(HttpStatusCode.OK); },
            Status(200));
        using var response = await sender.SendAsync(Build, default);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task CallerCancellationIsNotRetried()
    {
        // Cancel once the first attempt is in flight (a 50 ms timer could fire before it starts on a loaded machine).
        using var cts = new CancellationTokenSource();
        var (sender, handler, _) = Create(async r => { cts.Cancel(); await Task.Delay(800); return new HttpResponseMessage(HttpStatusCode.OK); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sender.SendAsync(Build, cts.Token));
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task InterpretedSendRetriesUnusableBodiesAndReturnsTheInterpretation()
    {
        int seen = 0;
        var (sender, handler, _) = Create(Status(200), Status(503), Status(200));
        string result = await sender.SendAsync(Build, response =>
        {
            if (++seen == 1)
            {
                throw new RetryableResponseException("truncated");
            }
            return "page " + (int)response.StatusCode;
        }, default);
        Assert.Equal("page 200", result);
        Assert.Equal(3, handler.Calls);
        Assert.Equal(2, seen);
    }

    [Fact]
    public async Task InterpretedSendInterpretsTheLastTransientAnswerWhenRetriesRunOut()
    {
        var (sender, handler, _) = Create(Status(429));
        int status = await sender.SendAsync(Build, r => (int)r.StatusCode, default);
        Assert.Equal(429, status);
        Assert.Equal(1 + Fast.MaxRetries, handler.Calls);
    }

    [Fact]
    public async Task VerboseLinesShowMethodPathAndStatusButNoQueryOrCredentials()
    {
        var (sender, _, verbose) = Create(Status(503), Status(200));
        using var _ = await sender.SendAsync(Build, default);
        Assert.Contains(verbose, l => l.StartsWith("GET /ims/oneroster/v1p1/users -> 503 in ", StringComparison.Ordinal));
        Assert.Contains(verbose, l => l.StartsWith("Retrying after HTTP 503", StringComparison.Ordinal));
        Assert.All(verbose, l =>
        {
            Assert.DoesNotContain("jane", l);
            Assert.DoesNotContain("filter", l);
            Assert.DoesNotContain("token-", l);
        });
    }

    [Fact]
    public async Task AnOpenCircuitStopsConcurrentCallersFromHammeringADeadServer()
    {
        var handler = new ScriptedHandler(Status(503));
        var options = new HttpRetryOptions
        {
            MaxRetries = 5,
            BaseDelay = TimeSpan.FromMilliseconds(1),
            MaxDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryAfter = TimeSpan.FromMilliseconds(100),
            AttemptTimeout = TimeSpan.FromSeconds(1),
            CircuitBreakDuration = TimeSpan.FromMilliseconds(500),
            CircuitMinimumThroughput = 8,
        };
        var verbose = new List<string>();
        var sender = new ResilientHttpSender(new HttpClient(handler), options, line => { lock (verbose) { verbose.Add(line); } });

        var calls = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try
            {
                using var r = await sender.SendAsync(Build, default);
                return (int)r.StatusCode;
            }
            catch (Polly.CircuitBreaker.BrokenCircuitException)
            {
                return -1;
            }
        })).ToArray();
        int[] results = await Task.WhenAll(calls);

        // Without the breaker 4 callers x 6 attempts reach the server; with it, the 8 that open it plus a few probes.
        Assert.All(results, r => Assert.True(r is 503 or -1));
        Assert.InRange(handler.Calls, 8, 16);
        Assert.Contains(verbose, l => l.StartsWith("Too many failed requests", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutTheBreakerEveryAttemptReachesTheServer()
    {
        var (sender, handler, _) = Create(Status(503));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => { using var r = await sender.SendAsync(Build, default); }));
        Assert.Equal(4 * (1 + Fast.MaxRetries), handler.Calls);
    }

    [Fact]
    public void RetryAfterIsReadFromSecondsAndHttpDates()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        using var seconds = new HttpResponseMessage((HttpStatusCode)429);
        seconds.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        using var date = new HttpResponseMessage((HttpStatusCode)503);
        date.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(30));
        using var past = new HttpResponseMessage((HttpStatusCode)503);
        past.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(-30));

        Assert.Equal(TimeSpan.FromSeconds(7), RetryDelay.RetryAfter(seconds, now));
        Assert.Equal(TimeSpan.FromSeconds(30), RetryDelay.RetryAfter(date, now));
        Assert.Null(RetryDelay.RetryAfter(past, now));
    }

    [Fact]
    public void BackoffHasFullJitterUnderTheExponentialCeilingAndRetryAfterIsCapped()
    {
        var options = new HttpRetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(32), MaxRetryAfter = TimeSpan.FromSeconds(60) };
        var delays = Enumerable.Range(0, 300).Select(_ => RetryDelay.For(3, null, options)).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(8)));
        Assert.True(delays.Distinct().Count() > 250, "jitter spreads the delays");
        Assert.All(Enumerable.Range(0, 50).Select(_ => RetryDelay.For(10, null, options)), d => Assert.True(d <= TimeSpan.FromSeconds(32)));

        using var longWait = new HttpResponseMessage((HttpStatusCode)429);
        longWait.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(600));
        Assert.Equal(TimeSpan.FromSeconds(60), RetryDelay.For(0, longWait, options));
        using var shortWait = new HttpResponseMessage((HttpStatusCode)429);
        shortWait.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(20), RetryDelay.For(0, shortWait, options));
    }
}
