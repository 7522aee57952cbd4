using System.Text.Json;
using CrmGuardrails.Hosting;

namespace CrmGuardrails.Salesforce.Webhooks;

/// <summary>
/// Reads the JSON a record-triggered flow's HTTP Callout action sends after a save (on its "Run Asynchronously" path:
/// a flow "fails if it attempts to access external data ... during its synchronous run path", salesforce.md §10.B):
/// <code>
/// {
///   "organizationId": "00D5g000004XXXXEAA",     // {!$Organization.Id}
///   "eventType": "create",                      // "create" or "update"
///   "objectType": "Task",                       // the triggering object's API name
///   "userId": "0055g00000AAAAAAAA",            // optional: who saved; else record.LastModifiedById
///   "record": { "Id": "00T5g00000BBBBBBBB", "WhoId": "00Q5g00000CCCCCCCC", "Subject": "Call", "LastModifiedById": "0055g00000AAAAAAAA" }
/// }
/// </code>
/// Field values are text, numbers, booleans or null, by API name (the fields <see cref="SalesforceRecordReader.FieldsOf"/>
/// lists; relationship paths such as <c>Who.Type</c> may be sent as keys). The flow authenticates with the shared key in
/// a header its Named Credential adds (a Flow cannot sign a body); map it with
/// <c>app.MapCrmGuardrailsWebhook("salesforce-flow", configure: o =&gt; { o.KeyLocation = WebhookKeyLocation.Header; })</c>.
/// </summary>
/// <remarks>Immutable and thread-safe. A body of any other shape is refused with the field named.</remarks>
public sealed class SalesforceFlowEventReader : IGuardEventReader
{
    /// <summary>The deepest JSON read: the call object, the record, a field value.</summary>
    private const int MaxDepth = 3;

    private readonly string _organizationId;
    private readonly SalesforceSaveReader _saves;

    /// <summary>Initializes a new instance of the <see cref="SalesforceFlowEventReader"/> class.</summary>
    /// <param name="options">The options (the org id is required).</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public SalesforceFlowEventReader(SalesforceWebhookOptions options)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        OptionsValidation.ThrowIfInvalid(options);
        _organizationId = options.OrganizationId;
        _saves = new SalesforceSaveReader(new SalesforceRecordReader(options.Mapping), options.IntegrationUserIds);
    }

    /// <inheritdoc />
    public GuardEvent Read(ReadOnlyMemory<byte> body, Func<string, string?> header)
    {
        if (header is null)
            throw new ArgumentNullException(nameof(header));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new GuardEventFormatException(string.Empty, $"the body is not the JSON the flow sends (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): nested deeper than {MaxDepth} levels or not JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new GuardEventFormatException(string.Empty, "expected a JSON object.");

            var organizationId = RequiredText(root, "organizationId");
            if (!WebhookIds.IsId(organizationId))
                throw new GuardEventFormatException("organizationId", $"'{WebhookIds.Quote(organizationId)}' is not a 15- or 18-character organization id.");
            if (!WebhookIds.SameRecord(organizationId, _organizationId))
                throw new GuardEventFormatException("organizationId", $"'{organizationId}' is not the configured organization.");

            var eventType = RequiredText(root, "eventType");
            GuardOperation operation = eventType.ToUpperInvariant() switch
            {
                "CREATE" => GuardOperation.Create,
                "UPDATE" => GuardOperation.Update,
                _ => throw new GuardEventFormatException("eventType", $"expected \"create\" or \"update\", found '{WebhookIds.Quote(eventType)}'."),
            };

            var objectType = RequiredText(root, "objectType");
            if (!WebhookIds.IsApiName(objectType))
                throw new GuardEventFormatException("objectType", $"'{WebhookIds.Quote(objectType)}' is not an object's API name.");

            string? userId = null;
            if (root.TryGetProperty("userId", out var user) && user.ValueKind != JsonValueKind.Null)
                userId = user.ValueKind == JsonValueKind.String ? user.GetString() : throw new GuardEventFormatException("userId", "expected a text id.");

            if (!root.TryGetProperty("record", out var record) || record.ValueKind != JsonValueKind.Object)
                throw new GuardEventFormatException("record", record.ValueKind == JsonValueKind.Undefined ? "missing." : "expected an object of fields by API name.");
            var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in record.EnumerateObject())
            {
                if (fields.ContainsKey(property.Name))
                    throw new GuardEventFormatException($"record.{WebhookIds.Quote(property.Name)}", "sent twice.");
                fields[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null => null,
                    _ => throw new GuardEventFormatException($"record.{WebhookIds.Quote(property.Name)}", "expected text, a number, a boolean or null."),
                };
            }

            string? Field(string name) => fields.TryGetValue(name, out var value) ? value : null;
            var collector = _saves.Start();
            collector.Add("record", objectType, Field, operation, userId, Field(SalesforceSchema.Id));
            return collector.ToEvent($"Flow callout after the {operation.ToString().ToLowerInvariant()} of {objectType}", Field(SalesforceSchema.Id) is { } id && WebhookIds.IsId(id) ? id : null);
        }
    }

    private static string RequiredText(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new GuardEventFormatException(name, "missing.");
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            throw new GuardEventFormatException(name, "expected non-empty text.");
        return text;
    }
}
