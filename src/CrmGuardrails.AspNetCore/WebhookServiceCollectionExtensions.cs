using CrmGuardrails;
using CrmGuardrails.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CrmGuardrails webhook endpoints.</summary>
public static class CrmGuardrailsWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers the endpoints' options (validated on start: the shared key is required) and the default policy's
    /// <see cref="GuardPipeline"/>, whose guards run concurrently (a web host is no sandbox), and — when a decision log is
    /// registered (<c>AddDecisionLog</c>) — a hosted service that starts its queue and flushes it at shutdown. Register the CRM's reader
    /// and directory too (for Dataverse: <c>AddCrmGuardrailsDataverse</c> and <c>AddCrmGuardrailsDataverseWebhook</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (at least <see cref="WebhookEndpointOptions.SharedKey"/>).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddCrmGuardrailsWebhooks(this IServiceCollection services, Action<WebhookEndpointOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddCrmGuardrails();
        services.Configure<CrmGuardrailsHostOptions>(host => host.RunGuardsConcurrently = true);
        services.AddOptions<WebhookEndpointOptions>().Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookEndpointOptions>, OptionsValidator<WebhookEndpointOptions>>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DecisionLogHostedService>());
        return services;
    }
}
