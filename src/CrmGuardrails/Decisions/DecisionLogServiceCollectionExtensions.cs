using CrmGuardrails;
using CrmGuardrails.Decisions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a decision log behind the pipeline of <c>AddCrmGuardrails</c>.</summary>
public static class DecisionLogServiceCollectionExtensions
{
    /// <summary>
    /// Registers a decision log and the <see cref="DecisionLogQueue"/> in front of it (as the pipeline's
    /// <see cref="IDecisionRecorder"/>): every decision of the pipeline is logged off the save's path. The container
    /// disposes the queue at shutdown, which writes what is still queued. Store packages call this
    /// (<c>AddSqliteDecisionLog</c>, <c>AddPostgreSqlDecisionLog</c>); call it directly for a log of your own.
    /// </summary>
    /// <param name="builder">The builder of <c>AddCrmGuardrails</c>.</param>
    /// <param name="log">Creates the log.</param>
    /// <param name="options">Gets the queue's options (validated when the queue is created).</param>
    /// <returns>The builder.</returns>
    public static ICrmGuardrailsBuilder AddDecisionLog(this ICrmGuardrailsBuilder builder, Func<IServiceProvider, IDecisionLog> log, Func<IServiceProvider, DecisionLogOptions> options)
    {
        if (builder is null)
            throw new ArgumentNullException(nameof(builder));
        if (log is null)
            throw new ArgumentNullException(nameof(log));
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.Replace(ServiceDescriptor.Singleton(log));
        services.Replace(ServiceDescriptor.Singleton(provider => new DecisionLogQueue(
            provider.GetRequiredService<IDecisionLog>(),
            options(provider),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>(),
            provider.GetService<System.Diagnostics.Metrics.IMeterFactory>())));
        services.Replace(ServiceDescriptor.Singleton<IDecisionRecorder>(provider => provider.GetRequiredService<DecisionLogQueue>()));
        return builder;
    }
}
