using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace SensoClassLink.Core.Http;

/// <summary>
/// Sends requests through one Polly pipeline: per-attempt timeout, then retries of 429, 502, 503, 504,
/// timeouts and connection failures with exponential backoff and full jitter, honouring Retry-After.
/// The request is built afresh for every attempt (so OAuth 1.0a signatures and nonces are never reused).
/// </summary>
/// <remarks>
/// 400/401/403/404 are returned to the caller untouched: a 401 needs re-authentication, which only the
/// caller can do, and the others are not transient.
/// </remarks>
public sealed class ResilientHttpSender
{
    private readonly HttpClient _client;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Action<string>? _verbose;

    public ResilientHttpSender(HttpClient client, HttpRetryOptions options, Action<string>? verbose = null, TimeProvider? timeProvider = null)
    {
        _client = client;
        _verbose = verbose;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (timeProvider is not null)
        {
            builder.TimeProvider = timeProvider;
        }
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(DelayFor(args.AttemptNumber, args.Outcome, options)),
                OnRetry = args =>
                {
                    string what = args.Outcome.Result is { } r ? "HTTP " + (int)r.StatusCode : args.Outcome.Exception?.GetType().Name ?? "failure";
                    _verbose?.Invoke($"Retrying after {what}: attempt {args.AttemptNumber + 2} in {args.RetryDelay.TotalSeconds:0.0} s.");
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }
        if (options.CircuitBreakDuration > TimeSpan.Zero)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.9,
                MinimumThroughput = Math.Max(2, options.CircuitMinimumThroughput),
                SamplingDuration = TimeSpan.FromSeconds(30),
                // Polly refuses breaks shorter than half a second.
                BreakDuration = options.CircuitBreakDuration < TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : options.CircuitBreakDuration,
                ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome, args.Context.CancellationToken)),
                OnOpened = args =>
                {
                    _verbose?.Invoke($"Too many failed requests: pausing all requests for {args.BreakDuration.TotalSeconds:0.0} s.");
                    return default;
                },
            });
        }
        builder.AddTimeout(options.AttemptTimeout);
        _pipeline = builder.Build();
    }

    /// <summary>Number of attempts made by this sender (for bounded-request tests and diagnostics).</summary>
    public int AttemptCount => _attempts;

    private int _attempts;

    /// <summary>
    /// Sends the request built by <paramref name="createRequest"/>, retrying transient failures.
    /// The caller owns (and must dispose) the response, whose body is fully buffered.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<CancellationToken, Task<HttpRequestMessage>> createRequest, CancellationToken cancellationToken)
    {
        return await _pipeline.ExecuteAsync(token => SendOnceAsync(createRequest, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends and interprets the response inside each attempt. <paramref name="interpret"/> sees every
    /// non-transient response (and the last transient one when retries run out); when it throws
    /// <see cref="RetryableResponseException"/> (a 200 with a truncated, HTML or envelope-less body) the attempt
    /// counts as failed and is retried like a 503. The response is disposed after interpretation.
    /// </summary>
    public async Task<T> SendAsync<T>(Func<CancellationToken, Task<HttpRequestMessage>> createRequest, Func<HttpResponseMessage, T> interpret, CancellationToken cancellationToken)
    {
        T value = default!;
        bool interpreted = false;
        using HttpResponseMessage last = await _pipeline.ExecuteAsync(async token =>
        {
            HttpResponseMessage response = await SendOnceAsync(createRequest, token).ConfigureAwait(false);
            if (IsTransientStatus(response.StatusCode))
            {
                return response;
            }
            try
            {
                value = interpret(response);
                interpreted = true;
            }
            catch
            {
                response.Dispose();
                throw;
            }
            return response;
        }, cancellationToken).ConfigureAwait(false);
        return interpreted ? value : interpret(last);
    }

    /// <summary>
    /// Like <see cref="SendAsync{T}(Func{CancellationToken, Task{HttpRequestMessage}}, Func{HttpResponseMessage, T}, CancellationToken)"/>,
    /// but HttpClient does not buffer a non-transient body: <paramref name="interpretAsync"/> reads it from the stream
    /// itself, inside the attempt, with the attempt's token (so the timeout and the retries still cover the body),
    /// into a buffer of its choosing. For large bodies (roster pages): one copy instead of two, and no new large array per page.
    /// </summary>
    public async Task<T> SendStreamingAsync<T>(Func<CancellationToken, Task<HttpRequestMessage>> createRequest,
        Func<HttpResponseMessage, CancellationToken, Task<T>> interpretAsync, CancellationToken cancellationToken)
    {
        T value = default!;
        bool interpreted = false;
        using HttpResponseMessage last = await _pipeline.ExecuteAsync(async token =>
        {
            HttpResponseMessage response = await SendOnceAsync(createRequest, token, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (IsTransientStatus(response.StatusCode))
            {
                // Small error bodies are buffered as before, so the last one can still be described.
                await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
                return response;
            }
            try
            {
                value = await interpretAsync(response, token).ConfigureAwait(false);
                interpreted = true;
            }
            catch
            {
                response.Dispose();
                throw;
            }
            return response;
        }, cancellationToken).ConfigureAwait(false);
        return interpreted ? value : await interpretAsync(last, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<HttpResponseMessage> SendOnceAsync(Func<CancellationToken, Task<HttpRequestMessage>> createRequest, CancellationToken token,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        Interlocked.Increment(ref _attempts);
        using HttpRequestMessage request = await createRequest(token).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        // Buffer the body inside the attempt so a truncated or stalled body is retried like any other transient failure
        // (streaming callers read it inside the attempt themselves).
        // Only the path is logged: queries carry filters with personal data, and headers carry credentials.
        HttpResponseMessage response = await _client.SendAsync(request, completion, token).ConfigureAwait(false);
        _verbose?.Invoke($"{request.Method} {request.RequestUri?.AbsolutePath} -> {(int)response.StatusCode} in {watch.ElapsedMilliseconds} ms");
        return response;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken callerToken)
    {
        if (outcome.Exception is { } ex)
        {
            if (callerToken.IsCancellationRequested)
            {
                return false;
            }
            return ex is HttpRequestException or TimeoutRejectedException or System.IO.IOException or RetryableResponseException or BrokenCircuitException
                || (ex is OperationCanceledException && !callerToken.IsCancellationRequested);
        }
        return IsTransientStatus(outcome.Result!.StatusCode);
    }

    /// <summary>The backoff, lengthened to the server's Retry-After or to the time left on an open circuit.</summary>
    private static TimeSpan DelayFor(int attemptNumber, Outcome<HttpResponseMessage> outcome, HttpRetryOptions options)
    {
        TimeSpan delay = RetryDelay.For(attemptNumber, outcome.Result, options);
        if (outcome.Exception is BrokenCircuitException { RetryAfter: { } reopen } && reopen > delay)
        {
            delay = reopen < options.MaxRetryAfter ? reopen : options.MaxRetryAfter;
        }
        return delay;
    }

    /// <summary>429, 502, 503 and 504: the statuses worth another attempt.</summary>
    public static bool IsTransientStatus(HttpStatusCode status) =>
        status == (HttpStatusCode)429 || status == HttpStatusCode.BadGateway
        || status == HttpStatusCode.ServiceUnavailable || status == HttpStatusCode.GatewayTimeout;
}
