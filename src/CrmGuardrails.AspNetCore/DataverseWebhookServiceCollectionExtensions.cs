using CrmGuardrails.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the CrmGuardrails Dataverse webhook.</summary>
public static class CrmGuardrailsDataverseWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers the webhook's options (validated on start and when first read: the shared key is required), the
    /// default policy's <see cref="CrmGuardrails.GuardPipeline"/>, and a logging <see cref="IDataverseFlagWriter"/> unless one is registered.
    /// The host registers the <see cref="CrmGuardrails.ICrmDirectory"/> the guards ask.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (at least <see cref="DataverseWebhookOptions.SharedKey"/>).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddCrmGuardrailsDataverseWebhook(this IServiceCollection services, Action<DataverseWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddCrmGuardrails();
        services.AddOptions<DataverseWebhookOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DataverseWebhookOptions>, DataverseWebhookOptionsValidator>());
        services.TryAddSingleton<IDataverseFlagWriter, LoggingDataverseFlagWriter>();
        services.TryAddSingleton<DataverseWebhookRegistration>();
        return services;
    }
}
