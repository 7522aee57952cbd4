using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails.AspNetCore;

/// <summary>How Dataverse proves a webhook call comes from it: the service endpoint's authentication type.</summary>
/// <remarks>The numbers are the <c>serviceendpoint.authtype</c> values; they are public API and are never renumbered.</remarks>
public enum DataverseWebhookAuthType
{
    /// <summary><c>WebhookKey</c> (4): the key arrives as the query parameter <c>code</c> or the header <c>x-functions-key</c>.</summary>
    WebhookKey = 4,

    /// <summary><c>HttpHeader</c> (5): the key arrives in the header named <see cref="DataverseWebhookOptions.KeyName"/>.</summary>
    HttpHeader = 5,

    /// <summary><c>HttpQueryString</c> (6): the key arrives in the query parameter named <see cref="DataverseWebhookOptions.KeyName"/>.</summary>
    HttpQueryString = 6,
}

/// <summary>What the endpoint answers when Dataverse says the context was too large and stripped its data.</summary>
public enum DataverseOversizedContextResponse
{
    /// <summary>Let the save go ahead, answered as "not checked" (fail-open, like the pipeline's default lookup-failure policy). The default.</summary>
    Flag = 0,

    /// <summary>Answer 413: a synchronous step then cancels the save.</summary>
    Reject = 1,
}

/// <summary>How Dataverse tables and columns map to the records the guards see.</summary>
public sealed class DataverseMappingOptions : IValidatableObject
{
    /// <summary>Gets the activity tables the webhook reads, by logical name, with the channel each one is.</summary>
    /// <value>The default value maps <c>phonecall</c>, <c>appointment</c>, <c>email</c> and <c>task</c>. Add your voicemail, chat and SMS tables (for example <c>new_sms</c>).</value>
    public IDictionary<string, ActivityType> ActivityTables { get; } = new Dictionary<string, ActivityType>(StringComparer.OrdinalIgnoreCase)
    {
        ["phonecall"] = ActivityType.PhoneCall,
        ["appointment"] = ActivityType.Appointment,
        ["email"] = ActivityType.Email,
        ["task"] = ActivityType.Task,
    };

    /// <summary>Gets or sets the whole-number column of activities that counts how many times the start has been moved.</summary>
    /// <value>The default value is <see langword="null"/>: no such column, so the <c>reschedule</c> rule sees only last-minute moves unless the directory keeps the count.</value>
    public string? RescheduleCountColumn { get; set; }

    /// <summary>Gets the party-list columns whose parties are the customers of an activity.</summary>
    /// <value>The default value is <c>to</c>, <c>from</c>, <c>requiredattendees</c>, <c>optionalattendees</c>, <c>customers</c>.</value>
    public IList<string> PartyColumns { get; } = ["to", "from", "requiredattendees", "optionalattendees", "customers"];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, _) in ActivityTables)
        {
            if (string.IsNullOrWhiteSpace(name))
                yield return new ValidationResult("ActivityTables: a table name is empty.", [nameof(ActivityTables)]);
            else if (name is "lead" or "account" or "contact" or "systemuser")
                yield return new ValidationResult($"ActivityTables: '{name}' is not an activity table.", [nameof(ActivityTables)]);
        }

        if (RescheduleCountColumn is { } column && string.IsNullOrWhiteSpace(column))
            yield return new ValidationResult("RescheduleCountColumn must be null or a column name.", [nameof(RescheduleCountColumn)]);
        if (PartyColumns.Any(string.IsNullOrWhiteSpace))
            yield return new ValidationResult("PartyColumns: a column name is empty.", [nameof(PartyColumns)]);
    }
}

/// <summary>Options of the Dataverse webhook endpoint.</summary>
public sealed class DataverseWebhookOptions : IValidatableObject
{
    /// <summary>The shortest shared key accepted.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>Gets or sets how Dataverse sends the shared key (the service endpoint's authentication type).</summary>
    /// <value>The default value is <see cref="DataverseWebhookAuthType.WebhookKey"/>.</value>
    [EnumDataType(typeof(DataverseWebhookAuthType))]
    public DataverseWebhookAuthType AuthType { get; set; } = DataverseWebhookAuthType.WebhookKey;

    /// <summary>Gets or sets the header name (<see cref="DataverseWebhookAuthType.HttpHeader"/>) or query parameter name
    /// (<see cref="DataverseWebhookAuthType.HttpQueryString"/>) that carries the key; ignored for <see cref="DataverseWebhookAuthType.WebhookKey"/>.</summary>
    /// <value>The default value is <c>x-crmguardrails-key</c>.</value>
    public string KeyName { get; set; } = "x-crmguardrails-key";

    /// <summary>Gets or sets the shared key configured on the service endpoint. Required; at least <see cref="MinimumKeyLength"/> characters.</summary>
    public string SharedKey { get; set; } = string.Empty;

    /// <summary>Gets or sets a second key also accepted while the key is being rotated; <see langword="null"/> for none.</summary>
    public string? PreviousSharedKey { get; set; }

    /// <summary>Gets or sets the largest body read, in bytes; larger bodies are answered 413 without being read.</summary>
    /// <value>The default value is 262144 (256 KB, the size above which Dataverse strips the context). It must be between 1 KB and 16 MB.</value>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Gets or sets the deepest operation checked; deeper ones (saves made by plug-ins, flows or by this webhook's own writes) are skipped with 200.</summary>
    /// <value>The default value is 1: only saves made directly by a person or a client. It must be between 1 and 8.</value>
    [Range(1, 8)]
    public int MaxDepth { get; set; } = 1;

    /// <summary>Gets or sets the status answered when a synchronous step's save is blocked. Dataverse cancels the save on any non-2xx status
    /// and retries 502, 503 and 504 once, so it must be a 4xx status.</summary>
    /// <value>The default value is 409 (Conflict).</value>
    [Range(400, 499)]
    public int BlockStatusCode { get; set; } = 409;

    /// <summary>Gets or sets what the endpoint answers when Dataverse sends <c>x-ms-dynamics-msg-size-exceeded</c> (the context had no record to check).</summary>
    /// <value>The default value is <see cref="DataverseOversizedContextResponse.Flag"/>.</value>
    [EnumDataType(typeof(DataverseOversizedContextResponse))]
    public DataverseOversizedContextResponse OversizedContext { get; set; } = DataverseOversizedContextResponse.Flag;

    /// <summary>Gets the table and column mapping.</summary>
    public DataverseMappingOptions Mapping { get; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(SharedKey))
            yield return new ValidationResult("SharedKey is required: set it to the key configured on the Dataverse service endpoint.", [nameof(SharedKey)]);
        else if (SharedKey.Length < MinimumKeyLength)
            yield return new ValidationResult($"SharedKey must be at least {MinimumKeyLength} characters long.", [nameof(SharedKey)]);
        if (PreviousSharedKey is { } previous && previous.Length < MinimumKeyLength)
            yield return new ValidationResult($"PreviousSharedKey must be null or at least {MinimumKeyLength} characters long.", [nameof(PreviousSharedKey)]);
        if (AuthType != DataverseWebhookAuthType.WebhookKey && string.IsNullOrWhiteSpace(KeyName))
            yield return new ValidationResult($"KeyName is required with the {AuthType} authentication type.", [nameof(KeyName)]);
        foreach (var result in Validation.ValidateAll(Mapping))
            yield return new ValidationResult($"Mapping: {result.ErrorMessage}", result.MemberNames.Select(m => $"{nameof(Mapping)}.{m}"));
    }

    internal DataverseWebhookOptions Clone()
    {
        var copy = new DataverseWebhookOptions
        {
            AuthType = AuthType,
            KeyName = KeyName,
            SharedKey = SharedKey,
            PreviousSharedKey = PreviousSharedKey,
            MaxBodyBytes = MaxBodyBytes,
            MaxDepth = MaxDepth,
            BlockStatusCode = BlockStatusCode,
            OversizedContext = OversizedContext,
        };
        copy.Mapping.ActivityTables.Clear();
        foreach (var (name, type) in Mapping.ActivityTables)
            copy.Mapping.ActivityTables[name] = type;
        copy.Mapping.RescheduleCountColumn = Mapping.RescheduleCountColumn;
        copy.Mapping.PartyColumns.Clear();
        foreach (var column in Mapping.PartyColumns)
            copy.Mapping.PartyColumns.Add(column);
        return copy;
    }
}

/// <summary>DataAnnotations validation that reports every error at once.</summary>
internal static class Validation
{
    public static List<ValidationResult> ValidateAll(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    public static void ThrowIfInvalid(object options)
    {
        var errors = ValidateAll(options);
        if (errors.Count > 0)
            throw new ValidationException($"The {options.GetType().Name} are invalid: {string.Join(" ", errors.Select(e => e.ErrorMessage))}");
    }
}
