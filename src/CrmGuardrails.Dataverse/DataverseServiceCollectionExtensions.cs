using Azure.Core;
using CrmGuardrails;
using CrmGuardrails.Dataverse;
using CrmGuardrails.Dataverse.Http;
using CrmGuardrails.Dataverse.Keys;
using CrmGuardrails.Dataverse.Registration;
using CrmGuardrails.Dataverse.Writing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Dataverse directory.</summary>
public static class DataverseServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the directory uses (for adding handlers or configuring the primary handler).</summary>
    public const string HttpClientName = "CrmGuardrails.Dataverse";

    /// <summary>
    /// Registers <see cref="DataverseDirectory"/> as the <see cref="ICrmDirectory"/>, plus <see cref="DataverseRegistration"/>,
    /// <see cref="DataverseMatchKeyWriter"/> and <see cref="DataverseRecordWriter"/> (options: <c>services.Configure&lt;DataverseRecordWriterOptions&gt;</c>): a named <see cref="HttpClient"/> from
    /// <c>IHttpClientFactory</c> with a resilience handler (timeouts, retries honouring <c>Retry-After</c>, circuit breaker)
    /// around a bearer-token handler. Uses <c>TryAdd</c>, so an <see cref="ICrmDirectory"/> registered earlier wins.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options; they are validated at once.</param>
    /// <returns>The builder of the directory's <see cref="HttpClient"/>, for further handlers.</returns>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public static IHttpClientBuilder AddCrmGuardrailsDataverse(this IServiceCollection services, Action<DataverseDirectoryOptions> configure)
    {
        if (services is null)
            throw new ArgumentNullException(nameof(services));
        if (configure is null)
            throw new ArgumentNullException(nameof(configure));

        // Fail fast: a plug-in or a console host has no ValidateOnStart.
        var probe = new DataverseDirectoryOptions();
        configure(probe);
        probe.ThrowIfInvalid();

        services.AddOptions<DataverseDirectoryOptions>().Configure(configure).Validate(
            o =>
            {
                o.ThrowIfInvalid();
                return true;
            });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DataverseDirectoryOptions>>().Value;
            return new DataverseTokenProvider(o.Credential!, o.GetScope(), o.TokenRefreshMargin, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp => new DataverseResilience(
            sp.GetRequiredService<IOptions<DataverseDirectoryOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("CrmGuardrails.Dataverse")));

        var builder = services.AddHttpClient(HttpClientName, (sp, client) =>
            {
                var o = sp.GetRequiredService<IOptions<DataverseDirectoryOptions>>().Value;
                client.BaseAddress = o.GetWebApiRoot();

                // The resilience pipeline owns the timeouts; the client's own timeout is only a backstop.
                client.Timeout = o.TotalTimeout + TimeSpan.FromSeconds(5);
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new HttpClientHandler
            {
                // One request per HTTP/1.1 connection: capping connections caps concurrency below the org's limit.
                MaxConnectionsPerServer = sp.GetRequiredService<IOptions<DataverseDirectoryOptions>>().Value.MaxConcurrentRequests,
            })
            .AddHttpMessageHandler(sp => new DataverseResilienceHandler(sp.GetRequiredService<DataverseResilience>()))
            .AddHttpMessageHandler(sp => new DataverseAuthenticationHandler(sp.GetRequiredService<DataverseTokenProvider>()));

        // Singletons that take a client from the factory for each request: nothing is built per check, and the factory
        // still rotates the handlers (DNS changes are seen).
        services.TryAddSingleton(sp => new DataverseDirectory(Clients(sp), sp.GetRequiredService<IOptions<DataverseDirectoryOptions>>()));
        services.TryAddSingleton<ICrmDirectory>(sp => sp.GetRequiredService<DataverseDirectory>());
        services.TryAddTransient(sp => new DataverseRegistration(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<DataverseDirectoryOptions>>()));
        services.TryAddSingleton(sp => new DataverseMatchKeyWriter(Clients(sp), sp.GetRequiredService<IOptions<DataverseDirectoryOptions>>()));
        services.AddOptions<DataverseRecordWriterOptions>();
        services.TryAddSingleton(sp => new DataverseRecordWriter(
            Clients(sp),
            sp.GetRequiredService<IOptions<DataverseDirectoryOptions>>(),
            sp.GetRequiredService<IOptions<DataverseRecordWriterOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        return builder;
    }

    private static Func<HttpClient> Clients(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IHttpClientFactory>();
        return () => factory.CreateClient(HttpClientName);
    }

    /// <summary>Registers the Dataverse directory with a credential (for example <c>Azure.Identity.ClientSecretCredential</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="orgUrl">The organisation's URL.</param>
    /// <param name="credential">The credential.</param>
    /// <returns>The builder of the directory's <see cref="HttpClient"/>.</returns>
    public static IHttpClientBuilder AddCrmGuardrailsDataverse(this IServiceCollection services, Uri orgUrl, TokenCredential credential) =>
        services.AddCrmGuardrailsDataverse(o =>
        {
            o.OrgUrl = orgUrl;
            o.Credential = credential;
        });
}
