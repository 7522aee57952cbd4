using System.Globalization;
using CrmGuardrails.Hosting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CrmGuardrails.Http;

/// <summary>
/// The resilience pipeline every host puts around each request to its CRM: a total time budget, retries of what the
/// platform documents as passing (the host's rule), a circuit breaker for a sick CRM, and a per-attempt timeout.
/// </summary>
/// <remarks>
/// Compiled into each host package (the core takes no dependency on Polly), so the hosts differ only in their retry
/// rule and their log messages. A <c>Retry-After</c> longer than <see cref="CrmConnectionOptions.MaxRetryAfter"/> is
/// never waited for; throttling and limits never open the breaker: only 5xx answers and transport failures count.
/// </remarks>
internal static class CrmHttpResilience
{
    public static ResiliencePipeline<HttpResponseMessage> Build(
        string name,
        CrmConnectionOptions options,
        TimeProvider time,
        Func<RetryPredicateArguments<HttpResponseMessage>, ValueTask<bool>> isPassing,
        CrmHttpEvents events)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = name, TimeProvider = time };
        builder.AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            var maxRetryAfter = options.MaxRetryAfter;
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = args => args.Outcome.Result is { } response && RetryAfter(response, time) > maxRetryAfter ? new ValueTask<bool>(false) : isPassing(args),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result is { } response && RetryAfter(response, time) is { } wait ? wait : null),
                OnRetry = args =>
                {
                    events.Retrying(Describe(args.Outcome), args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            ShouldHandle = args => new ValueTask<bool>(args.Outcome switch
            {
                { Exception: HttpRequestException or TimeoutRejectedException } => true,
                { Result: { } response } => (int)response.StatusCode >= 500,
                _ => false,
            }),
            OnOpened = args =>
            {
                events.CircuitOpened(Describe(args.Outcome), args.BreakDuration.TotalMilliseconds);
                return default;
            },
            OnClosed = _ =>
            {
                events.CircuitClosed();
                return default;
            },
        });
        builder.AddTimeout(options.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>How long the answer asks us to wait (<c>Retry-After</c>, as seconds or a date), or null when it does not say.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
            return date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }

    /// <summary>A failure as a log names it: the exception's type, or the HTTP status.</summary>
    public static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex ? ex.GetType().Name : "HTTP " + ((int?)outcome.Result?.StatusCode)?.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What a host logs when the pipeline retries, and when its breaker opens and closes.</summary>
internal sealed record CrmHttpEvents(Action<string, int, double> Retrying, Action<string, double> CircuitOpened, Action CircuitClosed);

/// <summary>Runs each request of a host's <see cref="HttpClient"/> through its resilience pipeline, within the caller's token.</summary>
internal abstract class CrmResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    /// <summary>Lets a host put what its retry rule reads into the context (the request itself, for one).</summary>
    protected virtual void Prepare(ResilienceContext context, HttpRequestMessage request)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        Prepare(context, request);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        var response = await state.Handler.SendCoreAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
