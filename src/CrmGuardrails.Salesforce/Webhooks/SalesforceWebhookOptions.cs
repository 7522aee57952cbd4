using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails.Salesforce.Webhooks;

/// <summary>How Salesforce calls after a save (Outbound Messages, Flow HTTP callouts) are read: which org may call, and whose saves are the SDK's own.</summary>
public sealed class SalesforceWebhookOptions : IValidatableObject
{
    /// <summary>
    /// Gets or sets the id of the organization whose calls are read (15 or 18 characters, <c>00D…</c>); a call from any
    /// other org — a sandbox refreshed from production keeps production's Outbound Messages — is refused.
    /// </summary>
    public string OrganizationId { get; set; } = string.Empty;

    /// <summary>
    /// Gets the ids of the users whose saves are never checked: the integration user the SDK writes flags and tasks as.
    /// A flag written back is itself a save that can fire the Outbound Message or the Flow again; skipping it ends the loop.
    /// </summary>
    public IList<string> IntegrationUserIds { get; } = new List<string>();

    /// <summary>Gets or sets the most notifications read from one Outbound Message.</summary>
    /// <value>The default value is 100, the WSDL's <c>maxOccurs</c> for <c>Notification</c>. It must be between 1 and 100.</value>
    [Range(1, 100)]
    public int MaxNotifications { get; set; } = 100;

    /// <summary>Gets the org's mapping (the same the directory reads with).</summary>
    public SalesforceMappingOptions Mapping { get; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var error in OptionsValidation.Validate(Mapping))
            yield return new ValidationResult($"Mapping: {error}", [nameof(Mapping)]);
        if (string.IsNullOrWhiteSpace(OrganizationId))
            yield return new ValidationResult("OrganizationId is required: set it to the id of the org that calls (Setup > Company Information > Salesforce.com Organization ID).", [nameof(OrganizationId)]);
        else if (!WebhookIds.IsId(OrganizationId) || !OrganizationId.StartsWith("00D", StringComparison.Ordinal))
            yield return new ValidationResult("OrganizationId must be a 15- or 18-character organization id starting with 00D.", [nameof(OrganizationId)]);
        foreach (var userId in IntegrationUserIds)
        {
            if (!WebhookIds.IsId(userId))
                yield return new ValidationResult($"IntegrationUserIds: '{WebhookIds.Quote(userId)}' is not a 15- or 18-character Salesforce id.", [nameof(IntegrationUserIds)]);
        }
    }
}
