using System.ComponentModel.DataAnnotations;
using CrmGuardrails.Matching;

namespace CrmGuardrails;

/// <summary>Options of the <c>existing-customer</c> rule: a new lead that belongs to an existing account.</summary>
public sealed class ExistingCustomerGuardOptions : GuardOptions, IValidatableObject
{
    /// <summary>Gets or sets the match score at which the lead is blocked.</summary>
    /// <value>The default value is <see cref="MatchScoreBands.Block"/>. It must be between 0 and 1.</value>
    [Range(0.0, 1.0)]
    public double BlockAtScore { get; set; } = MatchScoreBands.Block;

    /// <summary>Gets or sets the match score at which the lead is flagged.</summary>
    /// <value>The default value is <see cref="MatchScoreBands.Flag"/>. It must be between 0 and <see cref="BlockAtScore"/>.</value>
    [Range(0.0, 1.0)]
    public double FlagAtScore { get; set; } = MatchScoreBands.Flag;

    /// <summary>Gets or sets a value indicating whether the account owner is told when someone tries to prospect their account.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NotifyAccountOwner { get; set; } = true;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FlagAtScore > BlockAtScore)
            yield return new ValidationResult($"FlagAtScore ({FlagAtScore}) must not be greater than BlockAtScore ({BlockAtScore}).", [nameof(FlagAtScore)]);
    }
}
