namespace CrmGuardrails;

/// <summary>Adds the <c>reschedule</c> rule to a pipeline.</summary>
public static class RescheduleGuardBuilderExtensions
{
    /// <summary>Adds the <c>reschedule</c> rule: flag repeated and last-minute moves and hand-offs of planned calls and meetings.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; <see langword="null"/> means the defaults.</param>
    /// <returns>The builder.</returns>
    public static GuardPipelineBuilder AddRescheduleGuard(this GuardPipelineBuilder builder, RescheduleGuardOptions? options = null)
    {
        if (builder is null)
            throw new ArgumentNullException(nameof(builder));
        options = (options ?? new RescheduleGuardOptions()).Freeze<RescheduleGuardOptions>();
        return builder.AddGuard(_ => new RescheduleGuard(options), options);
    }
}
