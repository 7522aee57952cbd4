using CrmGuardrails;
using CrmGuardrails.Dataverse.Keys;
using CrmGuardrails.Dataverse.Webhooks;
using CrmGuardrails.Dataverse.Writing;
using CrmGuardrails.Hosting;
using CrmGuardrails.Notifications;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what a webhook endpoint needs to read Dataverse calls and write their outcomes back.</summary>
public static class DataverseWebhookServiceCollectionExtensions
{
    /// <summary>The key under which the Dataverse reader and writer are registered (<c>dataverse</c>): the name an endpoint maps.</summary>
    public const string HostName = "dataverse";

    /// <summary>
    /// Registers the Dataverse webhook's reader (keyed <see cref="HostName"/>) with its options, validated at start, and — with
    /// the directory of <c>AddCrmGuardrailsDataverse</c> — its writer: flags, reschedule counts and match keys written back
    /// after asynchronous saves, and a Dataverse task for each person a written flag names. Map the endpoint with <c>app.MapCrmGuardrailsWebhook("dataverse", ...)</c> (CrmGuardrails.AspNetCore).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the options (depth, mapping), if given.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddCrmGuardrailsDataverseWebhook(this IServiceCollection services, Action<DataverseWebhookOptions>? configure = null)
    {
        if (services is null)
            throw new ArgumentNullException(nameof(services));
        var options = services.AddOptions<DataverseWebhookOptions>().ValidateOnStart();
        if (configure is not null)
            options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DataverseWebhookOptions>, OptionsValidator<DataverseWebhookOptions>>());
        services.TryAddKeyedSingleton<IGuardEventReader>(HostName, (sp, _) => new DataverseWebhookEventReader(sp.GetRequiredService<IOptions<DataverseWebhookOptions>>().Value));
        services.TryAddKeyedSingleton<IGuardOutcomeWriter>(HostName, (sp, _) => new DataverseOutcomeWriter(
            sp.GetService<DataverseRecordWriter>() ?? throw new InvalidOperationException("Writing outcomes back needs the Dataverse directory: call services.AddCrmGuardrailsDataverse(...) too."),
            sp.GetRequiredService<DataverseMatchKeyWriter>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<DataverseOutcomeWriter>() ?? NullLogger<DataverseOutcomeWriter>.Instance));
        return services;
    }
}
