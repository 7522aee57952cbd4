using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using CrmGuardrails.AspNetCore;
using CrmGuardrails.Embedded;
using CrmGuardrails.Hosting;
using CrmGuardrails.Salesforce.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Salesforce.Flagging.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 (a free port) with the Outbound Message and Flow endpoints over an embedded org.</summary>
internal sealed class FlagHost : IAsyncDisposable
{
    public const string Key = "salesforce-shared-key-0123456789";
    public const string OutboundPath = "/crmguardrails/salesforce-outbound";
    public const string FlowPath = "/crmguardrails/salesforce-flow";
    public const string FlowKeyHeader = "x-crmguardrails-key";

    private readonly WebApplication _app;

    private FlagHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<FlagHost> StartAsync(
        IGuardOutcomeWriter? writer,
        ICrmDirectory? directory = null,
        Action<WebhookEndpointOptions>? endpoint = null,
        Action<SalesforceWebhookOptions>? salesforce = null,
        Action<IServiceCollection>? services = null,
        bool inMemoryOrg = true)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        if (directory is not null || inMemoryOrg)
            builder.Services.AddSingleton(directory ?? Org());
        if (writer is not null)
            builder.Services.AddKeyedSingleton(SalesforceWebhookServiceCollectionExtensions.WriterHost, writer);
        builder.Services.AddCrmGuardrailsWebhooks(o =>
        {
            o.SharedKey = Key;
            endpoint?.Invoke(o);
        });
        builder.Services.AddCrmGuardrailsSalesforceWebhooks(o =>
        {
            o.OrganizationId = Ids.Org;
            o.IntegrationUserIds.Add(Ids.Integration);
            salesforce?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapSalesforceOutboundMessages();
        app.MapCrmGuardrailsWebhook(SalesforceWebhookServiceCollectionExtensions.FlowHost, configure: o =>
        {
            o.KeyLocation = WebhookKeyLocation.Header;
            o.KeyName = FlowKeyHeader;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new FlagHost(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) });
    }

    public static ICrmDirectory Org() => new InMemoryCrmDirectory(CrmSnapshot.Load(Fixture("org-salesforce.json")));

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>Posts an Outbound Message as Salesforce does: text/xml, SOAPAction "", the key in the endpoint URL.</summary>
    public Task<HttpResponseMessage> PostOutboundAsync(string body, string? key = Key, string contentType = "text/xml; charset=utf-8")
    {
        var uri = key is null ? OutboundPath : $"{OutboundPath}?code={Uri.EscapeDataString(key)}";
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("SOAPAction", "\"\"");
        return Client.SendAsync(request);
    }

    /// <summary>Posts a Flow callout: JSON, the key in the header its Named Credential adds.</summary>
    public Task<HttpResponseMessage> PostFlowAsync(string body, string? key = Key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, FlowPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
            request.Headers.Add(FlowKeyHeader, key);
        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Keeps the last outcome written per record, as an idempotent writer would leave the org.</summary>
internal sealed class RecordingWriter : IGuardOutcomeWriter
{
    private readonly ConcurrentDictionary<string, GuardOutcome> _latest = new();
    private int _calls;

    /// <summary>Gets or sets how many records each call fails to write (an org throttling or down).</summary>
    public int Failing { get; set; }

    public int Calls => _calls;

    public IReadOnlyDictionary<string, GuardOutcome> Latest => _latest;

    public List<GuardEvent> Events { get; } = [];

    public ValueTask<GuardWriteCounts> WriteAsync(GuardEvent saveEvent, IReadOnlyList<GuardOutcome> outcomes, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        lock (Events)
            Events.Add(saveEvent);
        if (Failing > 0)
            return ValueTask.FromResult(new GuardWriteCounts(0, Failing));
        foreach (var outcome in outcomes)
            _latest[outcome.Record.Id] = outcome;
        return ValueTask.FromResult(new GuardWriteCounts(outcomes.Count, 0));
    }
}
