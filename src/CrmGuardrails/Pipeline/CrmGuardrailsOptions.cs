using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails;

/// <summary>
/// The whole policy: the check's budget and failure choice, and each rule's options. Binds from configuration
/// (section <c>CrmGuardrails</c> by default), so admins tune policies without code.
/// </summary>
public sealed class CrmGuardrailsOptions : GuardPipelineOptions, IValidatableObject
{
    /// <summary>The configuration section bound by default.</summary>
    public const string SectionName = "CrmGuardrails";

    /// <summary>Gets or sets the options of the <c>existing-customer</c> rule.</summary>
    public ExistingCustomerGuardOptions ExistingCustomer { get; set; } = new();

    /// <summary>Gets or sets the options of the <c>duplicate-lead</c> rule.</summary>
    public DuplicateLeadGuardOptions DuplicateLead { get; set; } = new();

    /// <summary>Gets or sets the options of the <c>rep-collision</c> rule.</summary>
    public RepCollisionGuardOptions RepCollision { get; set; } = new();

    /// <summary>Gets or sets the options of the <c>channel-fanout</c> rule.</summary>
    public ChannelFanoutGuardOptions ChannelFanout { get; set; } = new();

    /// <summary>Gets or sets the options of the <c>reschedule</c> rule.</summary>
    public RescheduleGuardOptions Reschedule { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // DataAnnotations does not descend into nested objects: validate each rule's options here, naming the rule.
        var rules = new (string Name, object? Options)[]
        {
            (nameof(ExistingCustomer), ExistingCustomer), (nameof(DuplicateLead), DuplicateLead), (nameof(RepCollision), RepCollision),
            (nameof(ChannelFanout), ChannelFanout), (nameof(Reschedule), Reschedule),
        };
        foreach (var (name, options) in rules)
        {
            if (options is null)
            {
                yield return new ValidationResult($"{name} must not be null.", [name]);
                continue;
            }

            foreach (var error in OptionsValidation.Validate(options))
                yield return new ValidationResult($"{name}: {error}", [name]);
        }
    }
}

/// <summary>Adds the built-in rules to a pipeline.</summary>
public static class DefaultGuardsBuilderExtensions
{
    /// <summary>Adds the five rules of the default policy, configured by <paramref name="options"/>, and applies its pipeline options.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The policy; <see langword="null"/> means the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ValidationException">The policy is invalid; the message lists every error.</exception>
    public static GuardPipelineBuilder AddDefaultGuards(this GuardPipelineBuilder builder, CrmGuardrailsOptions? options = null)
    {
        if (builder is null)
            throw new ArgumentNullException(nameof(builder));
        options ??= new CrmGuardrailsOptions();
        OptionsValidation.ThrowIfInvalid(options);
        builder.Options = options;
        return builder
            .AddExistingCustomerGuard(options.ExistingCustomer)
            .AddDuplicateLeadGuard(options.DuplicateLead)
            .AddRepCollisionGuard(options.RepCollision)
            .AddChannelFanoutGuard(options.ChannelFanout)
            .AddRescheduleGuard(options.Reschedule);
    }
}
