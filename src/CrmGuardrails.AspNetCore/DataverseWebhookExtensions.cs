using CrmGuardrails;
using CrmGuardrails.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the CrmGuardrails Dataverse webhook endpoint.</summary>
public static class CrmGuardrailsDataverseEndpointExtensions
{
    /// <summary>The default route of the endpoint.</summary>
    public const string DefaultPattern = "/crmguardrails/dataverse";

    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c>: the endpoint a Dataverse service endpoint (contract Webhook) calls
    /// with the execution context of a Create, CreateMultiple or Update of a lead, account, contact or activity.
    /// </summary>
    /// <param name="endpoints">The route builder (the web application).</param>
    /// <param name="pattern">The route.</param>
    /// <param name="configure">Changes the options of this endpoint only, on top of those registered with
    /// <see cref="CrmGuardrailsDataverseWebhookServiceCollectionExtensions.AddCrmGuardrailsDataverseWebhook"/>.</param>
    /// <returns>The endpoint's convention builder.</returns>
    /// <exception cref="InvalidOperationException">The webhook services are not registered.</exception>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options of this endpoint are invalid; the message lists every error.</exception>
    /// <remarks>
    /// Answers: 401 for a missing or wrong key (the body is not read), 413 for a body over the limit, 400 naming the field
    /// for a body that is not an execution context, 200 with the verdict otherwise — except a blocked synchronous save,
    /// answered <see cref="DataverseWebhookOptions.BlockStatusCode"/> so that Dataverse cancels it. Never 500.
    /// </remarks>
    public static IEndpointConventionBuilder MapCrmGuardrailsDataverse(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern, Action<DataverseWebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var services = endpoints.ServiceProvider;
        if (services.GetService<DataverseWebhookRegistration>() is null)
            throw new InvalidOperationException("The Dataverse webhook services are not registered: call services.AddCrmGuardrailsDataverseWebhook(...) first.");

        var options = services.GetRequiredService<IOptions<DataverseWebhookOptions>>().Value.Clone();
        configure?.Invoke(options);
        Validation.ThrowIfInvalid(options);
        var handler = new DataverseWebhookHandler(options, services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        return endpoints.MapPost(pattern, handler.HandleAsync).WithDisplayName("CrmGuardrails Dataverse webhook");
    }
}
