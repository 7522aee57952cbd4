using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails.AspNetCore;

/// <summary>Where a CRM puts the shared key that proves a call comes from it.</summary>
/// <remarks>The first three numbers are Dataverse's <c>serviceendpoint.authtype</c> values; they are never renumbered.</remarks>
public enum WebhookKeyLocation
{
    /// <summary>The query parameter <c>code</c> or the header <c>x-functions-key</c> (Dataverse "WebhookKey", Azure Functions style).</summary>
    FunctionsKey = 4,

    /// <summary>The header named <see cref="WebhookEndpointOptions.KeyName"/>.</summary>
    Header = 5,

    /// <summary>The query parameter named <see cref="WebhookEndpointOptions.KeyName"/>.</summary>
    Query = 6,
}

/// <summary>Options of a webhook endpoint: who may call it, how much it reads, what it answers.</summary>
public sealed class WebhookEndpointOptions : IValidatableObject
{
    /// <summary>The shortest shared key accepted.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>Gets or sets where the CRM sends the shared key.</summary>
    /// <value>The default value is <see cref="WebhookKeyLocation.FunctionsKey"/>.</value>
    [EnumDataType(typeof(WebhookKeyLocation))]
    public WebhookKeyLocation KeyLocation { get; set; } = WebhookKeyLocation.FunctionsKey;

    /// <summary>Gets or sets the header or query parameter that carries the key (<see cref="WebhookKeyLocation.Header"/>, <see cref="WebhookKeyLocation.Query"/>).</summary>
    /// <value>The default value is <c>x-crmguardrails-key</c>.</value>
    public string KeyName { get; set; } = "x-crmguardrails-key";

    /// <summary>Gets or sets the shared key configured in the CRM. Required; at least <see cref="MinimumKeyLength"/> characters.</summary>
    public string SharedKey { get; set; } = string.Empty;

    /// <summary>Gets or sets a second key also accepted while the key is being rotated; <see langword="null"/> for none.</summary>
    public string? PreviousSharedKey { get; set; }

    /// <summary>Gets or sets the largest body read, in bytes; larger bodies are answered 413 without being read.</summary>
    /// <value>The default value is 262144 (256 KB, Dataverse's limit for a context). It must be between 1 KB and 16 MB.</value>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Gets or sets the status answered when a save the CRM waits for is blocked. Dataverse cancels the save on any non-2xx
    /// status and retries 502, 503 and 504 once, so it must be a 4xx status.
    /// </summary>
    /// <value>The default value is 409 (Conflict).</value>
    [Range(400, 499)]
    public int BlockStatusCode { get; set; } = 409;

    /// <summary>Gets or sets how many records of one call (a bulk save) are checked at the same time.</summary>
    /// <value>The default value is 8. It must be between 1 and 64.</value>
    [Range(1, 64)]
    public int MaxConcurrentRecords { get; set; } = 8;

    /// <summary>
    /// Gets or sets the most time one call may spend checking its records, whatever their number (a bulk save of 1,000
    /// rows included), and again writing outcomes back. Records left unchecked when it runs out are answered "not
    /// checked" by the lookup-failure policy; writes left undone are counted as failed. Dataverse gives a webhook 60 s.
    /// </summary>
    /// <value>The default value is 25 seconds. It must be between 1 second and 10 minutes.</value>
    public TimeSpan CallBudget { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Gets or sets the protocol the endpoint reads and answers in.</summary>
    /// <value>The default value is <see cref="WebhookResponseFormat.Json"/>; <c>MapSalesforceOutboundMessages</c> sets <see cref="WebhookResponseFormat.SalesforceOutboundMessage"/>.</value>
    [EnumDataType(typeof(WebhookResponseFormat))]
    public WebhookResponseFormat ResponseFormat { get; set; } = WebhookResponseFormat.Json;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(SharedKey))
            yield return new ValidationResult("SharedKey is required: set it to the key configured in the CRM (for Dataverse, on the service endpoint).", [nameof(SharedKey)]);
        else if (SharedKey.Length < MinimumKeyLength)
            yield return new ValidationResult($"SharedKey must be at least {MinimumKeyLength} characters long.", [nameof(SharedKey)]);
        if (PreviousSharedKey is { } previous && previous.Length < MinimumKeyLength)
            yield return new ValidationResult($"PreviousSharedKey must be null or at least {MinimumKeyLength} characters long.", [nameof(PreviousSharedKey)]);
        if (CallBudget < TimeSpan.FromSeconds(1) || CallBudget > TimeSpan.FromMinutes(10))
            yield return new ValidationResult($"CallBudget must be between 00:00:01 and 00:10:00, not {CallBudget}.", [nameof(CallBudget)]);
        if (KeyLocation != WebhookKeyLocation.FunctionsKey && string.IsNullOrWhiteSpace(KeyName))
            yield return new ValidationResult($"KeyName is required when the key is in a {KeyLocation}.", [nameof(KeyName)]);
    }

    internal WebhookEndpointOptions Clone() => (WebhookEndpointOptions)MemberwiseClone();
}
