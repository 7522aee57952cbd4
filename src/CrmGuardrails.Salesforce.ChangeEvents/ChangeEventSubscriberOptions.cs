using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails.Salesforce.ChangeEvents;

/// <summary>Where a subscription starts when no replay id is stored for its topic.</summary>
/// <remarks>The numbers are the Pub/Sub API's <c>ReplayPreset</c> values and are never renumbered.</remarks>
public enum ChangeEventStart
{
    /// <summary>"Start the subscription at the tip of the stream": changes from now on.</summary>
    Latest = 0,

    /// <summary>"Start the subscription at the earliest point in the stream": every change still retained (72 hours).</summary>
    Earliest = 1,
}

/// <summary>Options of the Change Data Capture subscriber: which topics, where, how many events at a time, how it reconnects.</summary>
public sealed class ChangeEventSubscriberOptions : IValidatableObject
{
    /// <summary>The Pub/Sub API endpoint: <c>api.pubsub.salesforce.com:7443</c> (forcedotcom/pub-sub-api, arguments.yaml).</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.pubsub.salesforce.com:7443");

    /// <summary>Gets the change event channels subscribed to, one subscription each.</summary>
    /// <value>The default value is <c>/data/LeadChangeEvent</c>, <c>/data/TaskChangeEvent</c> and <c>/data/EventChangeEvent</c>.</value>
    public IList<string> Topics { get; } = new List<string> { "/data/LeadChangeEvent", "/data/TaskChangeEvent", "/data/EventChangeEvent" };

    /// <summary>Gets or sets the Pub/Sub API endpoint.</summary>
    /// <value>The default value is <see cref="DefaultEndpoint"/>.</value>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>Gets or sets the org's id, sent as the <c>tenantid</c> header of every call. Required.</summary>
    public string OrganizationId { get; set; } = string.Empty;

    /// <summary>Gets or sets how many events are asked for at a time (<c>FetchRequest.num_requested</c>): the flow control.</summary>
    /// <value>The default value is 50. It must be between 1 and 100.</value>
    [Range(1, 100)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Gets or sets where a topic with no stored replay id starts.</summary>
    /// <value>The default value is <see cref="ChangeEventStart.Latest"/>.</value>
    [EnumDataType(typeof(ChangeEventStart))]
    public ChangeEventStart StartFrom { get; set; } = ChangeEventStart.Latest;

    /// <summary>Gets or sets the first wait before reconnecting after a broken stream; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest wait between reconnection attempts.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the most time one event may spend being checked, and again being written back.</summary>
    /// <value>The default value is 25 seconds.</value>
    public TimeSpan EventBudget { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Gets or sets the client name this SDK's own writes carry (<c>Sforce-Call-Options: client=…</c>): a change whose
    /// <c>changeOrigin</c> names it is a flag written back and is skipped, so a write never checks itself.
    /// </summary>
    /// <value>The default value is <c>CrmGuardrails</c>.</value>
    public string IntegrationClientId { get; set; } = SalesforceSchema.CallOptionsClient;

    /// <summary>Gets the ids of the users the SDK writes as: their changes (<c>commitUser</c>) are skipped too.</summary>
    public IList<string> IntegrationUserIds { get; } = new List<string>();

    /// <summary>Gets or sets the directory of the default replay id store (<see cref="FileReplayIdStore"/>), when no <see cref="IReplayIdStore"/> is registered.</summary>
    /// <value>The default value is <c>crmguardrails-replay</c>, relative to the working directory.</value>
    public string ReplayIdDirectory { get; set; } = "crmguardrails-replay";

    /// <summary>Gets the org's mapping (the same the directory reads with).</summary>
    public SalesforceMappingOptions Mapping { get; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Topics.Count == 0)
            yield return new ValidationResult("Topics must name at least one channel (/data/LeadChangeEvent).", [nameof(Topics)]);
        foreach (var topic in Topics)
        {
            if (string.IsNullOrWhiteSpace(topic) || !topic.StartsWith("/", StringComparison.Ordinal))
                yield return new ValidationResult($"Topics: '{topic}' is not a channel name such as /data/LeadChangeEvent.", [nameof(Topics)]);
        }

        if (string.IsNullOrWhiteSpace(OrganizationId))
            yield return new ValidationResult("OrganizationId is required: the Pub/Sub API needs it as the tenantid header.", [nameof(OrganizationId)]);
        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttps && !Endpoint.IsLoopback))
            yield return new ValidationResult("Endpoint must be an absolute https address (http only on the loopback, for tests).", [nameof(Endpoint)]);
        if (ReconnectDelay < TimeSpan.FromMilliseconds(10) || ReconnectDelay > MaxReconnectDelay)
            yield return new ValidationResult("ReconnectDelay must be at least 10 ms and at most MaxReconnectDelay.", [nameof(ReconnectDelay)]);
        if (MaxReconnectDelay > TimeSpan.FromHours(1))
            yield return new ValidationResult("MaxReconnectDelay must be at most 1 hour (events are kept 72 hours).", [nameof(MaxReconnectDelay)]);
        if (EventBudget < TimeSpan.FromSeconds(1) || EventBudget > TimeSpan.FromMinutes(10))
            yield return new ValidationResult("EventBudget must be between 00:00:01 and 00:10:00.", [nameof(EventBudget)]);
        if (string.IsNullOrWhiteSpace(IntegrationClientId))
            yield return new ValidationResult("IntegrationClientId is required: it tells this SDK's own writes from a person's.", [nameof(IntegrationClientId)]);
        if (string.IsNullOrWhiteSpace(ReplayIdDirectory))
            yield return new ValidationResult("ReplayIdDirectory is required (or register an IReplayIdStore).", [nameof(ReplayIdDirectory)]);
        foreach (var error in OptionsValidation.Validate(Mapping))
            yield return new ValidationResult($"Mapping: {error}", [nameof(Mapping)]);
    }
}
