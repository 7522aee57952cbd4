namespace CrmGuardrails;

/// <summary>Adds the <c>rep-collision</c> rule to a pipeline.</summary>
public static class RepCollisionGuardBuilderExtensions
{
    /// <summary>Adds the <c>rep-collision</c> rule: flag outbound work on another rep's customer, block a double booking.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; <see langword="null"/> means the defaults.</param>
    /// <returns>The builder.</returns>
    public static GuardPipelineBuilder AddRepCollisionGuard(this GuardPipelineBuilder builder, RepCollisionGuardOptions? options = null)
    {
        if (builder is null)
            throw new ArgumentNullException(nameof(builder));
        options = (options ?? new RepCollisionGuardOptions()).Freeze<RepCollisionGuardOptions>();
        return builder.AddGuard(context => new RepCollisionGuard(options, context.Matcher), options);
    }
}
