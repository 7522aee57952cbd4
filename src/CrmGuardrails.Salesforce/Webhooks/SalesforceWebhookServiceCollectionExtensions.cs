using CrmGuardrails;
using CrmGuardrails.Hosting;
using CrmGuardrails.Salesforce.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what webhook endpoints need to read Salesforce calls after a save and write their outcomes back.</summary>
public static class SalesforceWebhookServiceCollectionExtensions
{
    /// <summary>The key of the Outbound Message reader (<c>salesforce-outbound</c>): map it with <c>app.MapSalesforceOutboundMessages()</c>.</summary>
    public const string OutboundMessageHost = "salesforce-outbound";

    /// <summary>The key of the Flow callout reader (<c>salesforce-flow</c>): map it with <c>app.MapCrmGuardrailsWebhook("salesforce-flow", ...)</c>.</summary>
    public const string FlowHost = "salesforce-flow";

    /// <summary>The key of the Salesforce outcome writer both endpoints write with (<c>salesforce</c>).</summary>
    public const string WriterHost = "salesforce";

    /// <summary>
    /// Registers the Outbound Message reader (keyed <see cref="OutboundMessageHost"/>) and the Flow callout reader (keyed
    /// <see cref="FlowHost"/>) with their options, validated at start, and makes the Salesforce outcome writer (keyed
    /// <see cref="WriterHost"/>, registered with the directory) the writer of both endpoints.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options: at least <see cref="SalesforceWebhookOptions.OrganizationId"/>, and the integration user's id.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddCrmGuardrailsSalesforceWebhooks(this IServiceCollection services, Action<SalesforceWebhookOptions> configure)
    {
        if (services is null)
            throw new ArgumentNullException(nameof(services));
        if (configure is null)
            throw new ArgumentNullException(nameof(configure));
        services.AddOptions<SalesforceWebhookOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceWebhookOptions>, OptionsValidator<SalesforceWebhookOptions>>());
        services.TryAddKeyedSingleton<IGuardEventReader>(OutboundMessageHost, (sp, _) => new SalesforceOutboundMessageReader(sp.GetRequiredService<IOptions<SalesforceWebhookOptions>>().Value));
        services.TryAddKeyedSingleton<IGuardEventReader>(FlowHost, (sp, _) => new SalesforceFlowEventReader(sp.GetRequiredService<IOptions<SalesforceWebhookOptions>>().Value));

        // Both endpoints write through the one Salesforce writer; the endpoint looks its writer up under its own key.
        foreach (var host in new[] { OutboundMessageHost, FlowHost })
        {
            services.TryAddKeyedSingleton<IGuardOutcomeWriter>(host, (sp, _) => sp.GetKeyedService<IGuardOutcomeWriter>(WriterHost) ??
                throw new InvalidOperationException("Writing outcomes back needs the Salesforce outcome writer: call services.AddCrmGuardrailsSalesforce(...) too."));
        }

        return services;
    }
}
