using CrmGuardrails;
using CrmGuardrails.Salesforce;
using CrmGuardrails.Salesforce.Http;
using CrmGuardrails.Hosting;
using CrmGuardrails.Salesforce.Keys;
using CrmGuardrails.Salesforce.Writing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Salesforce host: the directory, its sign-in and resilience, the key writer, the guarded create and the API budget gauge.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>The name of the HTTP client every Salesforce request goes through.</summary>
    public const string HttpClientName = "CrmGuardrails.Salesforce";

    /// <summary>The name of the HTTP client of the token endpoint.</summary>
    public const string TokenClientName = "CrmGuardrails.Salesforce.Token";

    /// <summary>
    /// Adds <see cref="SalesforceDirectory"/> as the <see cref="ICrmDirectory"/>, signing in with the configured OAuth
    /// flow, with the resilience pipeline, the <c>Sforce-Limit-Info</c> gauge, the <see cref="SalesforceMatchKeyWriter"/>,
    /// the <see cref="SalesforceOutcomeWriter"/> (keyed <c>salesforce</c>) and the <see cref="SalesforceGuardedCreate"/>
    /// (it needs the guards: <c>AddCrmGuardrails</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; they are validated at once and at start-up.</param>
    /// <returns>The HTTP client's builder (add handlers to it).</returns>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public static IHttpClientBuilder AddCrmGuardrailsSalesforce(this IServiceCollection services, Action<SalesforceDirectoryOptions> configure)
    {
        if (services is null)
            throw new ArgumentNullException(nameof(services));
        if (configure is null)
            throw new ArgumentNullException(nameof(configure));

        // Fail fast: a console host has no ValidateOnStart.
        var probe = new SalesforceDirectoryOptions();
        configure(probe);
        probe.ThrowIfInvalid();

        services.AddOptions<SalesforceDirectoryOptions>().Configure(configure).Validate(
            o =>
            {
                o.ThrowIfInvalid();
                return true;
            });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SalesforceApiUsage(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new SalesforceResilience(
            sp.GetRequiredService<IOptions<SalesforceDirectoryOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("CrmGuardrails.Salesforce")));
        services.TryAddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return new SalesforceTokenProvider(sp.GetRequiredService<IOptions<SalesforceDirectoryOptions>>().Value, () => factory.CreateClient(TokenClientName), sp.GetRequiredService<TimeProvider>());
        });

        services.AddHttpClient(TokenClientName, (sp, client) => client.Timeout = sp.GetRequiredService<IOptions<SalesforceDirectoryOptions>>().Value.TotalTimeout + TimeSpan.FromSeconds(5))
            .AddHttpMessageHandler(sp => new SalesforceResilienceHandler(sp.GetRequiredService<SalesforceResilience>()));

        var builder = services.AddHttpClient(HttpClientName, (sp, client) =>
            {
                client.BaseAddress = SalesforceAuthenticationHandler.PlaceholderRoot;
                client.DefaultRequestHeaders.TryAddWithoutValidation(SalesforceSchema.CallOptionsHeader, "client=" + SalesforceSchema.CallOptionsClient);

                // The resilience pipeline owns the timeouts; the client's own timeout is only a backstop.
                client.Timeout = sp.GetRequiredService<IOptions<SalesforceDirectoryOptions>>().Value.TotalTimeout + TimeSpan.FromSeconds(5);
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new HttpClientHandler
            {
                // Capping connections caps concurrency below the org's limit on long-running requests (salesforce.md §3.6).
                MaxConnectionsPerServer = sp.GetRequiredService<IOptions<SalesforceDirectoryOptions>>().Value.MaxConcurrentRequests,
            })
            .AddHttpMessageHandler(sp => new SalesforceResilienceHandler(sp.GetRequiredService<SalesforceResilience>()))
            .AddHttpMessageHandler(sp => new SalesforceAuthenticationHandler(sp.GetRequiredService<SalesforceTokenProvider>()))
            .AddHttpMessageHandler(sp => new SalesforceApiUsageHandler(sp.GetRequiredService<SalesforceApiUsage>()));

        services.TryAddSingleton(sp => new SalesforceDirectory(Clients(sp), sp.GetRequiredService<IOptions<SalesforceDirectoryOptions>>()));
        services.TryAddSingleton<ICrmDirectory>(sp => sp.GetRequiredService<SalesforceDirectory>());
        services.TryAddSingleton(sp => new SalesforceMatchKeyWriter(Clients(sp), sp.GetRequiredService<IOptions<SalesforceDirectoryOptions>>(), sp.GetRequiredService<SalesforceApiUsage>()));
        services.TryAddKeyedSingleton<IGuardOutcomeWriter>(SalesforceOutcomeWriter.HostKey, (sp, _) => new SalesforceOutcomeWriter(
            Clients(sp),
            sp.GetRequiredService<SalesforceMatchKeyWriter>(),
            sp.GetRequiredService<IOptions<SalesforceDirectoryOptions>>(),
            (ILogger?)sp.GetService<ILoggerFactory>()?.CreateLogger<SalesforceOutcomeWriter>() ?? Logging.Abstractions.NullLogger.Instance,
            sp.GetRequiredService<TimeProvider>()));

        // The guards come from AddCrmGuardrails (a GuardPipeline in the container).
        services.TryAddSingleton(sp => new SalesforceGuardedCreate(
            sp.GetRequiredService<GuardPipeline>(),
            sp.GetRequiredService<SalesforceDirectory>(),
            Clients(sp),
            sp.GetRequiredService<IOptions<SalesforceDirectoryOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        return builder;
    }

    internal static Func<HttpClient> Clients(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IHttpClientFactory>();
        return () => factory.CreateClient(HttpClientName);
    }
}
