using CrmGuardrails;
using CrmGuardrails.AspNetCore;
using CrmGuardrails.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps CrmGuardrails webhook endpoints.</summary>
public static class CrmGuardrailsWebhookEndpointExtensions
{
    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c> (by default <c>/crmguardrails/{host}</c>): the endpoint a CRM calls when
    /// a record is saved. The CRM's <see cref="IGuardEventReader"/> (and, for calls after the save, its
    /// <see cref="IGuardOutcomeWriter"/>) are the keyed services registered under <paramref name="host"/> — for Dataverse,
    /// by <c>services.AddCrmGuardrailsDataverseWebhook()</c> under <c>dataverse</c>.
    /// </summary>
    /// <param name="endpoints">The route builder (the web application).</param>
    /// <param name="host">The key of the CRM's reader and writer (<c>dataverse</c>).</param>
    /// <param name="pattern">The route; <see langword="null"/> for <c>/crmguardrails/{host}</c>.</param>
    /// <param name="configure">Changes the options of this endpoint only, on top of those of <see cref="CrmGuardrailsWebhookServiceCollectionExtensions.AddCrmGuardrailsWebhooks"/>.</param>
    /// <returns>The endpoint's convention builder.</returns>
    /// <exception cref="InvalidOperationException">The webhook services or the CRM's reader are not registered.</exception>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options of this endpoint are invalid; the message lists every error.</exception>
    /// <remarks>
    /// Answers: 401 for a missing or wrong key (the body is not read), 413 for a body over the limit, 400 naming the field
    /// for a body that is not what the CRM sends, 200 with the verdict otherwise — except a blocked save the CRM waits
    /// for, answered <see cref="WebhookEndpointOptions.BlockStatusCode"/> so that the CRM cancels it. Never 500.
    /// </remarks>
    public static IEndpointConventionBuilder MapCrmGuardrailsWebhook(this IEndpointRouteBuilder endpoints, string host, string? pattern = null, Action<WebhookEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var services = endpoints.ServiceProvider;
        if (services.GetService<IOptions<WebhookEndpointOptions>>() is not { } registered || services.GetService<GuardPipeline>() is not { } pipeline)
            throw new InvalidOperationException("The webhook services are not registered: call services.AddCrmGuardrailsWebhooks(...) first.");
        var reader = services.GetKeyedService<IGuardEventReader>(host) ??
            throw new InvalidOperationException($"No webhook reader is registered for '{host}': for Dataverse call services.AddCrmGuardrailsDataverseWebhook() (CrmGuardrails.Dataverse), for Salesforce services.AddCrmGuardrailsSalesforceWebhooks() (CrmGuardrails.Salesforce).");

        var options = registered.Value.Clone();
        configure?.Invoke(options);
        OptionsValidation.ThrowIfInvalid(options);
        var logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("CrmGuardrails.AspNetCore.Webhook");

        // The writer is resolved when a call after the save first needs it: an endpoint that only sees calls before the save needs none.
        var handler = new WebhookHandler(host, options, reader, provider => provider.GetKeyedService<IGuardOutcomeWriter>(host), pipeline, services.GetService<ICrmDirectory>(), logger);
        return endpoints.MapPost(pattern ?? $"/crmguardrails/{host}", handler.HandleAsync).WithDisplayName($"CrmGuardrails {host} webhook");
    }

    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c> (by default <c>/crmguardrails/salesforce-outbound</c>) for Salesforce
    /// Outbound Messages: the SOAP <c>notifications</c> envelope in, <c>&lt;Ack&gt;true&lt;/Ack&gt;</c> out only once every
    /// notification is checked and its flag written back, a SOAP fault otherwise (Salesforce then sends the message again,
    /// for up to 24 hours). It is <see cref="MapCrmGuardrailsWebhook"/> with <see cref="WebhookEndpointOptions.ResponseFormat"/>
    /// set to <see cref="WebhookResponseFormat.SalesforceOutboundMessage"/>; the reader and writer are those registered
    /// under <paramref name="host"/> by <c>services.AddCrmGuardrailsSalesforceWebhooks()</c>.
    /// </summary>
    /// <param name="endpoints">The route builder (the web application).</param>
    /// <param name="host">The key of the reader and writer.</param>
    /// <param name="pattern">The route; <see langword="null"/> for <c>/crmguardrails/{host}</c>.</param>
    /// <param name="configure">Changes the options of this endpoint only. Salesforce cannot add a header to an Outbound
    /// Message, so the key travels in the endpoint URL (the default <see cref="WebhookKeyLocation.FunctionsKey"/> reads <c>?code=</c>).</param>
    /// <returns>The endpoint's convention builder.</returns>
    /// <exception cref="InvalidOperationException">The webhook services or the reader are not registered.</exception>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options of this endpoint are invalid; the message lists every error.</exception>
    /// <remarks>Answers: 401 (missing or wrong key), 413 (body over the limit), 400 (not a notifications envelope, another
    /// organization), each with a <c>soapenv:Client</c> fault naming the problem; 503 with a <c>soapenv:Server</c> fault
    /// when something was not recorded; 200 with the ack otherwise. Never 500.</remarks>
    public static IEndpointConventionBuilder MapSalesforceOutboundMessages(this IEndpointRouteBuilder endpoints, string host = SalesforceOutboundHost, string? pattern = null, Action<WebhookEndpointOptions>? configure = null) =>
        endpoints.MapCrmGuardrailsWebhook(host, pattern, options =>
        {
            configure?.Invoke(options);
            options.ResponseFormat = WebhookResponseFormat.SalesforceOutboundMessage;
        });

    /// <summary>The default key of the Outbound Message reader (<c>salesforce-outbound</c>), the one <c>AddCrmGuardrailsSalesforceWebhooks</c> registers.</summary>
    public const string SalesforceOutboundHost = "salesforce-outbound";
}
