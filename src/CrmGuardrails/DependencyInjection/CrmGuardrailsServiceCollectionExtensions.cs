using CrmGuardrails;
using CrmGuardrails.Matching;
using CrmGuardrails.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CrmGuardrails in a service collection.</summary>
public static class CrmGuardrailsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default policy's <see cref="GuardPipeline"/> as a singleton, with its options validated on start
    /// and when the pipeline is first resolved. Calling it again is harmless.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the policy in code; applied after configuration.</param>
    /// <returns>A builder for follow-up configuration.</returns>
    /// <remarks>
    /// The pipeline takes <see cref="TimeProvider"/>, <see cref="ILoggerFactory"/>, <see cref="IRecordMatcher"/>,
    /// <see cref="IGuardNotifier"/> and <see cref="ICrmDirectory"/> from the container when registered; a host package
    /// (for example <c>CrmGuardrails.Dataverse</c>) registers the directory.
    /// </remarks>
    public static ICrmGuardrailsBuilder AddCrmGuardrails(this IServiceCollection services, Action<CrmGuardrailsOptions>? configure = null)
    {
        if (services is null)
            throw new ArgumentNullException(nameof(services));
        var options = services.AddOptions<CrmGuardrailsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CrmGuardrailsOptions>, OptionsValidator<CrmGuardrailsOptions>>());
        if (configure is not null)
            options.Configure(configure);

        services.TryAddSingleton(TimeProvider.System);
        // The embedded directory indexes with its own matcher; the guards must ask with the same keys.
        services.TryAddSingleton<IRecordMatcher>(provider => provider.GetService<ICrmDirectory>() is CrmGuardrails.Embedded.InMemoryCrmDirectory embedded ? embedded.Matcher : RecordMatcher.CreateDefault());
        services.TryAddSingleton<IGuardNotifier>(NullGuardNotifier.Instance);
        services.TryAddSingleton(provider =>
        {
            var policy = provider.GetRequiredService<IOptions<CrmGuardrailsOptions>>().Value;
            return new GuardPipelineBuilder
            {
                TimeProvider = provider.GetRequiredService<TimeProvider>(),
                LoggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
                Matcher = provider.GetRequiredService<IRecordMatcher>(),
                Notifier = provider.GetRequiredService<IGuardNotifier>(),
                Directory = provider.GetService<ICrmDirectory>(),
                MeterFactory = provider.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
                DecisionRecorder = provider.GetService<CrmGuardrails.Decisions.IDecisionRecorder>(),
                RunGuardsConcurrently = provider.GetService<IOptions<CrmGuardrailsHostOptions>>()?.Value.RunGuardsConcurrently ?? false,
            }.AddDefaultGuards(policy).Build();
        });
        return new CrmGuardrailsBuilder(services);
    }

    /// <summary>Binds the policy from a configuration section (for example <c>configuration.GetSection("CrmGuardrails")</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section.</param>
    /// <returns>The builder.</returns>
    public static ICrmGuardrailsBuilder Configure(this ICrmGuardrailsBuilder builder, IConfiguration section)
    {
        if (builder is null)
            throw new ArgumentNullException(nameof(builder));
        if (section is null)
            throw new ArgumentNullException(nameof(section));
        builder.Services.Configure<CrmGuardrailsOptions>(section);
        return builder;
    }

    /// <summary>Changes the policy in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The change.</param>
    /// <returns>The builder.</returns>
    public static ICrmGuardrailsBuilder Configure(this ICrmGuardrailsBuilder builder, Action<CrmGuardrailsOptions> configure)
    {
        if (builder is null)
            throw new ArgumentNullException(nameof(builder));
        builder.Services.Configure(configure);
        return builder;
    }

    private sealed record CrmGuardrailsBuilder(IServiceCollection Services) : ICrmGuardrailsBuilder;
}

/// <summary>What the host running the guards allows: set by host packages, not by the policy.</summary>
public sealed class CrmGuardrailsHostOptions
{
    /// <summary>Gets or sets a value indicating whether the guards of one check may run at the same time (never in a plug-in sandbox).</summary>
    /// <value>The default value is <see langword="false"/>. Web endpoints set it, so a remote directory's round trips overlap.</value>
    public bool RunGuardsConcurrently { get; set; }
}

/// <summary>Follow-up configuration of CrmGuardrails in a service collection.</summary>
public interface ICrmGuardrailsBuilder
{
    /// <summary>Gets the services.</summary>
    IServiceCollection Services { get; }
}
