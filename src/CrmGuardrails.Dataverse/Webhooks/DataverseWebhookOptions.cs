using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails.Dataverse.Webhooks;

/// <summary>How Dataverse webhook calls are read: which saves are checked and how the org's tables map.</summary>
public sealed class DataverseWebhookOptions : IValidatableObject
{
    /// <summary>Gets or sets the deepest operation checked; deeper ones (saves made by plug-ins, flows or by this webhook's own writes) are skipped.</summary>
    /// <value>The default value is 1: only saves made directly by a person or a client. It must be between 1 and 8.</value>
    [Range(1, 8)]
    public int MaxDepth { get; set; } = 1;

    /// <summary>Gets the table and column mapping (the same the directory reads with).</summary>
    public DataverseMappingOptions Mapping { get; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        OptionsValidation.Validate(Mapping).Select(e => new ValidationResult($"Mapping: {e}", [nameof(Mapping)]));
}
