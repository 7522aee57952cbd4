using CrmGuardrails;
using CrmGuardrails.Hosting;
using CrmGuardrails.Salesforce.ChangeEvents;
using CrmGuardrails.Salesforce.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Salesforce Change Data Capture subscriber.</summary>
public static class ChangeEventServiceCollectionExtensions
{
    /// <summary>The key of the Salesforce outcome writer the subscriber writes with (<c>salesforce</c>).</summary>
    public const string WriterKey = "salesforce";

    /// <summary>
    /// Registers the subscriber as a hosted service with its options (validated at start), the default replay id store
    /// (files in <see cref="ChangeEventSubscriberOptions.ReplayIdDirectory"/>, unless an <see cref="IReplayIdStore"/> is
    /// registered) and, unless an <see cref="IPubSubAuthentication"/> is registered, the Salesforce directory's session.
    /// It checks with the registered <see cref="GuardPipeline"/> and <see cref="ICrmDirectory"/> and writes with the
    /// <see cref="IGuardOutcomeWriter"/> keyed <see cref="WriterKey"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options: at least the organization id.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddCrmGuardrailsSalesforceChangeEvents(this IServiceCollection services, Action<ChangeEventSubscriberOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddCrmGuardrails();
        services.AddOptions<ChangeEventSubscriberOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChangeEventSubscriberOptions>, OptionsValidator<ChangeEventSubscriberOptions>>());
        services.TryAddSingleton<IReplayIdStore>(sp => new FileReplayIdStore(sp.GetRequiredService<IOptions<ChangeEventSubscriberOptions>>().Value.ReplayIdDirectory));
        services.TryAddSingleton<IPubSubAuthentication>(sp => new DirectorySessionAuthentication(sp.GetService<SalesforceTokenProvider>() ??
            throw new InvalidOperationException("The change event subscriber signs in with the Salesforce directory's session: call services.AddCrmGuardrailsSalesforce(...) or register an IPubSubAuthentication.")));
        services.AddHostedService(sp => new ChangeEventSubscriber(
            sp.GetRequiredService<IOptions<ChangeEventSubscriberOptions>>().Value,
            sp.GetRequiredService<GuardPipeline>(),
            sp.GetRequiredService<ICrmDirectory>(),
            sp.GetKeyedService<IGuardOutcomeWriter>(WriterKey) ?? throw new InvalidOperationException("The change event subscriber writes flags with the Salesforce outcome writer: call services.AddCrmGuardrailsSalesforce(...)."),
            sp.GetRequiredService<IReplayIdStore>(),
            sp.GetRequiredService<IPubSubAuthentication>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>()?.CreateLogger("CrmGuardrails.Salesforce.ChangeEvents") ?? NullLogger.Instance));
        return services;
    }

    /// <summary>The REST directory's cached session (JWT bearer or client credentials), renewed when the Pub/Sub API refuses it.</summary>
    private sealed class DirectorySessionAuthentication(SalesforceTokenProvider tokens) : IPubSubAuthentication
    {
        public async ValueTask<PubSubSession> GetSessionAsync(string? stale, CancellationToken cancellationToken)
        {
            var session = await tokens.GetSessionAsync(stale, cancellationToken).ConfigureAwait(false);
            return new PubSubSession(session.AccessToken, session.InstanceUrl);
        }
    }
}
