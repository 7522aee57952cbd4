using System.Net;
using CrmGuardrails.Dataverse.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CrmGuardrails.Dataverse.Http;

/// <summary>
/// The resilience pipeline shared by every request to one organisation (a DI singleton, so that the circuit breaker
/// sees all traffic): total timeout, then retry (429 honouring <c>Retry-After</c>, transient 5xx, connection failures,
/// attempt timeouts; jittered exponential back-off), then circuit breaker, then attempt timeout.
/// </summary>
internal sealed class DataverseResilience
{
    public DataverseResilience(DataverseDirectoryOptions options, TimeProvider time, ILogger? logger = null)
    {
        var log = logger ?? NullLogger.Instance;
        var maxRetryAfter = options.MaxRetryAfter;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = "CrmGuardrails.Dataverse", TimeProvider = time };
        builder.AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result: { } response } => IsTransient(response.StatusCode) && !(RetryAfter.Get(response, time) > maxRetryAfter),
                    _ => false,
                }),
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Result is { } response && RetryAfter.Get(response, time) is { } wait ? wait : null),
                OnRetry = args =>
                {
                    Log.Retrying(log, Describe(args.Outcome), args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
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

            // Throttling (429) is the server pacing us, not a sick organisation: it does not count.
            ShouldHandle = args => new ValueTask<bool>(args.Outcome switch
            {
                { Exception: HttpRequestException or TimeoutRejectedException } => true,
                { Result: { } response } => (int)response.StatusCode >= 500,
                _ => false,
            }),
            OnOpened = args =>
            {
                Log.CircuitOpened(log, Describe(args.Outcome), args.BreakDuration.TotalMilliseconds);
                return default;
            },
            OnClosed = _ =>
            {
                Log.CircuitClosed(log);
                return default;
            },
        });
        builder.AddTimeout(options.AttemptTimeout);
        Pipeline = builder.Build();
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex ? ex.GetType().Name : "HTTP " + ((int?)outcome.Result?.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or (HttpStatusCode)429 or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}

/// <summary>Runs each request through <see cref="DataverseResilience.Pipeline"/> within the caller's token.</summary>
internal sealed class DataverseResilienceHandler(DataverseResilience resilience) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await resilience.Pipeline.ExecuteOutcomeAsync(
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
