namespace CrmGuardrails;

/// <summary>Adds the <c>duplicate-lead</c> rule to a pipeline.</summary>
public static class DuplicateLeadGuardBuilderExtensions
{
    /// <summary>Adds the <c>duplicate-lead</c> rule: block a lead for a person another user already works, flag one for the same company.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; <see langword="null"/> means the defaults.</param>
    /// <returns>The builder.</returns>
    public static GuardPipelineBuilder AddDuplicateLeadGuard(this GuardPipelineBuilder builder, DuplicateLeadGuardOptions? options = null)
    {
        if (builder is null)
            throw new ArgumentNullException(nameof(builder));
        options = (options ?? new DuplicateLeadGuardOptions()).Freeze<DuplicateLeadGuardOptions>();
        return builder.AddGuard(context => new DuplicateLeadGuard(options, context.Matcher), options);
    }
}
