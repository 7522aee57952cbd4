using System.Net;
using System.Text.Json;
using CrmGuardrails.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Timeout;

namespace CrmGuardrails.Salesforce.Http;

/// <summary>
/// The resilience pipeline of every request to the org: a total time budget, retries of what Salesforce documents as
/// passing, a circuit breaker for a sick org, and a per-attempt timeout.
/// </summary>
/// <remarks>
/// What is retried, and why (salesforce.md §3.4, §3.6, §10.G):
/// <list type="bullet">
/// <item>429 and 503 ("maintenance/overload"): the org did not take the request; retried, after <c>Retry-After</c> when sent.</item>
/// <item>500, 502, 504 and transport errors: retried for idempotent requests only (a create may have been saved).</item>
/// <item><c>UNABLE_TO_LOCK_ROW</c> (400): "brief; might be able to handle the problem by adding retry logic"; the save did not happen, so it is retried.</item>
/// <item>403 <c>REQUEST_LIMIT_EXCEEDED</c>: the concurrency limit (requests of 20 s or more) passes and is retried; the daily
/// allocation ("TotalRequests Limit exceeded.") does not pass in seconds and fails at once.</item>
/// </list>
/// Failures end as a <see cref="SalesforceException"/>; the guard pipeline's policy then decides allow or block ("not checked").
/// </remarks>
internal sealed class SalesforceResilience
{
    private static readonly HttpRequestOptionsKey<bool> IdempotentKey = new("CrmGuardrails.Salesforce.Idempotent");

    public SalesforceResilience(SalesforceDirectoryOptions options, TimeProvider time, ILogger? logger = null)
    {
        var log = logger ?? NullLogger.Instance;
        Pipeline = CrmHttpResilience.Build(
            "CrmGuardrails.Salesforce",
            options,
            time,
            async args => args.Outcome switch
            {
                { Exception: HttpRequestException or TimeoutRejectedException } => IsIdempotent(args.Context),
                { Result: { } response } => await IsPassingAsync(response, IsIdempotent(args.Context)).ConfigureAwait(false),
                _ => false,
            },
            new CrmHttpEvents(
                (failure, attempt, delayMs) => Log.Retrying(log, failure, attempt, delayMs),
                (failure, breakMs) => Log.CircuitOpened(log, failure, breakMs),
                () => Log.CircuitClosed(log)));
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>Marks a request safe to send twice (a read, an upsert by key); creates are not marked.</summary>
    public static void MarkIdempotent(HttpRequestMessage request) => Options(request).Set(IdempotentKey, true);

    internal static bool IsIdempotent(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Delete || (Options(request).TryGetValue(IdempotentKey, out var idempotent) && idempotent);

    /// <summary>Tells whether a failed answer is worth another try (see the remarks).</summary>
    internal static async Task<bool> IsPassingAsync(HttpResponseMessage response, bool idempotent)
    {
        switch ((int)response.StatusCode)
        {
            case 429 or 503:
                return true;
            case 500 or 502 or 504:
                return idempotent;
            case 400 or 403:
                var (code, message) = await FirstErrorAsync(response).ConfigureAwait(false);
                return code == SalesforceErrors.UnableToLockRow || (code == SalesforceErrors.RequestLimitExceeded && !SalesforceErrors.IsDailyLimit(message));
            default:
                return false;
        }
    }

    /// <summary>Reads the first <c>errorCode</c> and <c>message</c> of an error array (the body stays readable).</summary>
    internal static async Task<(string? Code, string? Message)> FirstErrorAsync(HttpResponseMessage response)
    {
        if (response.Content is null)
            return (null, null);
        await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            var first = document.RootElement.ValueKind == JsonValueKind.Array && document.RootElement.GetArrayLength() > 0 ? document.RootElement[0] : document.RootElement;
            return first.ValueKind == JsonValueKind.Object
                ? (Text(first, "errorCode") ?? Text(first, "statusCode"), Text(first, "message"))
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static bool IsIdempotent(ResilienceContext context) =>
        context.Properties.TryGetValue(RequestKey, out var request) && IsIdempotent(request);

    internal static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("CrmGuardrails.Salesforce.Request");

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

#if NET5_0_OR_GREATER
    private static HttpRequestOptions Options(HttpRequestMessage request) => request.Options;
#else
    private static RequestOptions Options(HttpRequestMessage request) => new(request.Properties);
#endif
}

#if !NET5_0_OR_GREATER
/// <summary>The typed request options of .NET 5+, over netstandard2.0's property bag.</summary>
internal readonly struct RequestOptions(IDictionary<string, object?> properties)
{
    public void Set<T>(HttpRequestOptionsKey<T> key, T value) => properties[key.Key] = value;

    public bool TryGetValue<T>(HttpRequestOptionsKey<T> key, out T value)
    {
        if (properties.TryGetValue(key.Key, out var found) && found is T typed)
        {
            value = typed;
            return true;
        }

        value = default!;
        return false;
    }
}

/// <summary>The key of a typed request option (netstandard2.0 has none of its own).</summary>
internal readonly struct HttpRequestOptionsKey<T>(string key)
{
    public string Key { get; } = key;
}
#endif

/// <summary>Runs every request through <see cref="SalesforceResilience"/>; its retry rule reads the request (is it idempotent?).</summary>
internal sealed class SalesforceResilienceHandler(SalesforceResilience resilience) : CrmResilienceHandler(resilience.Pipeline)
{
    protected override void Prepare(ResilienceContext context, HttpRequestMessage request) => context.Properties.Set(SalesforceResilience.RequestKey, request);
}
