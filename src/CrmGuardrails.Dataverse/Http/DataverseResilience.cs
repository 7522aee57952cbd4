using System.Net;
using CrmGuardrails.Dataverse.Internal;
using CrmGuardrails.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
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
        Pipeline = CrmHttpResilience.Build(
            "CrmGuardrails.Dataverse",
            options,
            time,
            args => new ValueTask<bool>(args.Outcome switch
            {
                { Exception: HttpRequestException or TimeoutRejectedException } => true,
                { Result: { } response } => IsTransient(response.StatusCode),
                _ => false,
            }),
            new CrmHttpEvents(
                (failure, attempt, delayMs) => Log.Retrying(log, failure, attempt, delayMs),
                (failure, breakMs) => Log.CircuitOpened(log, failure, breakMs),
                () => Log.CircuitClosed(log)));
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or (HttpStatusCode)429 or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}

/// <summary>Runs each request through <see cref="DataverseResilience.Pipeline"/> within the caller's token.</summary>
internal sealed class DataverseResilienceHandler(DataverseResilience resilience) : CrmResilienceHandler(resilience.Pipeline);
