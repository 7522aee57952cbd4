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

    /// <summary>
    /// Opts in to writing flags back to the organisation over the Web API: replaces the <see cref="IDataverseFlagWriter"/> with
    /// <see cref="WebApiDataverseFlagWriter"/>, which uses the <see cref="CrmGuardrails.Dataverse.Writing.DataverseRecordWriter"/>
    /// of <c>AddCrmGuardrailsDataverse</c> (same client, token and resilience). Only asynchronous PostOperation steps write.
    /// </summary>
    /// <param name="services">The services; <c>AddCrmGuardrailsDataverse</c> must be called too (before or after).</param>
    /// <param name="configure">Changes the flag columns and task settings, if given.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection UseDataverseWebApiFlagWriter(this IServiceCollection services, Action<CrmGuardrails.Dataverse.Writing.DataverseRecordWriterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CrmGuardrails.Dataverse.Writing.DataverseRecordWriterOptions>();
        if (configure is not null)
        {
            // Fail fast, like the other registrations: the options are checked now.
            var probe = new CrmGuardrails.Dataverse.Writing.DataverseRecordWriterOptions();
            configure(probe);
            probe.ThrowIfInvalid();
            options.Configure(configure);
        }

        // Transient, like the directory: each resolution gets a client from IHttpClientFactory (handlers rotate).
        services.Replace(ServiceDescriptor.Transient<IDataverseFlagWriter>(sp => new WebApiDataverseFlagWriter(
            sp.GetService<CrmGuardrails.Dataverse.Writing.DataverseRecordWriter>() ??
            throw new InvalidOperationException("The Web API flag writer needs the Dataverse directory: call services.AddCrmGuardrailsDataverse(...) too."))));
        return services;
    }
}
