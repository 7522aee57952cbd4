namespace CrmGuardrails;

/// <summary>Adds the <c>channel-fanout</c> rule to a pipeline.</summary>
public static class ChannelFanoutGuardBuilderExtensions
{
    /// <summary>Adds the <c>channel-fanout</c> rule: flag and link an inbound activity that continues a conversation on another channel.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; <see langword="null"/> means the defaults.</param>
    /// <returns>The builder.</returns>
    public static GuardPipelineBuilder AddChannelFanoutGuard(this GuardPipelineBuilder builder, ChannelFanoutGuardOptions? options = null)
    {
        if (builder is null)
            throw new ArgumentNullException(nameof(builder));
        options = (options ?? new ChannelFanoutGuardOptions()).Freeze<ChannelFanoutGuardOptions>();
        return builder.AddGuard(_ => new ChannelFanoutGuard(options), options);
    }
}
