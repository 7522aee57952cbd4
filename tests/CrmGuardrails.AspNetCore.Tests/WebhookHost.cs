using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Collections.Concurrent;
using CrmGuardrails.AspNetCore;
using CrmGuardrails.Dataverse.Webhooks;
using CrmGuardrails.Embedded;
using CrmGuardrails.Hosting;
using CrmGuardrails.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails.AspNetCore.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 (a free port) running the webhook over an embedded org.</summary>
internal sealed class WebhookHost : IAsyncDisposable
{
    public const string Key = "test-shared-key-0123456789";
    public const string Path = "/crmguardrails/dataverse";

    private readonly WebApplication _app;

    private WebhookHost(WebApplication app, HttpClient client, InMemoryOutcomeWriter writer, InMemoryNotifier notifier)
    {
        _app = app;
        Client = client;
        Writer = writer;
        Notifier = notifier;
    }

    public HttpClient Client { get; }

    /// <summary>Gets what the endpoint wrote back (the in-memory writer, unless the test gave its own).</summary>
    public InMemoryOutcomeWriter Writer { get; }

    /// <summary>Gets whom the pipeline told.</summary>
    public InMemoryNotifier Notifier { get; }

    public static async Task<WebhookHost> StartAsync(
        ICrmDirectory? directory = null,
        Action<WebhookEndpointOptions>? configure = null,
        Action<CrmGuardrailsOptions>? policy = null,
        IGuardOutcomeWriter? writer = null,
        Action<DataverseWebhookOptions>? dataverse = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(directory ?? Org());
        var memory = new InMemoryOutcomeWriter();
        var notifier = new InMemoryNotifier();
        builder.Services.AddSingleton<IGuardNotifier>(notifier);
        builder.Services.AddKeyedSingleton("dataverse", writer ?? memory);
        builder.Services.AddCrmGuardrailsWebhooks(o =>
        {
            o.SharedKey = Key;
            configure?.Invoke(o);
        });
        builder.Services.AddCrmGuardrailsDataverseWebhook(o => dataverse?.Invoke(o));
        if (policy is not null)
            builder.Services.Configure(policy);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapCrmGuardrailsWebhook("dataverse");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        return new WebhookHost(app, client, memory, notifier);
    }

    public static ICrmDirectory Org() => new InMemoryCrmDirectory(CrmSnapshot.Load(Fixture("org.json")));

    public static string Fixture(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string ReadFixture(string name) => File.ReadAllText(Fixture(name));

    /// <summary>Posts a body as Dataverse does: JSON, key in the <c>code</c> query parameter (WebhookKey auth).</summary>
    public Task<HttpResponseMessage> PostAsync(string body, string? key = Key, string contentType = "application/json", Action<HttpRequestMessage>? change = null)
    {
        var uri = key is null ? Path : $"{Path}?code={Uri.EscapeDataString(key)}";
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("x-ms-dynamics-organization", "contoso-sales.crm.dynamics.com");
        request.Headers.Add("x-ms-correlation-request-id", "5d2c7a3e-0000-4000-8000-000000000001");
        change?.Invoke(request);
        return Client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Keeps what the endpoint asks to write back, in memory.</summary>
internal sealed class InMemoryOutcomeWriter : IGuardOutcomeWriter
{
    private readonly ConcurrentQueue<(GuardEvent Event, GuardOutcome Outcome)> _written = new();

    /// <summary>Gets the outcomes that carried a flag, with their call.</summary>
    public IReadOnlyList<(GuardEvent Event, GuardOutcome Outcome)> Flags => [.. _written.Where(w => w.Outcome.Flag is not null)];

    /// <summary>Gets every outcome written, with its call.</summary>
    public IReadOnlyList<(GuardEvent Event, GuardOutcome Outcome)> All => [.. _written];

    public ValueTask<GuardWriteCounts> WriteAsync(GuardEvent saveEvent, IReadOnlyList<GuardOutcome> outcomes, CancellationToken cancellationToken)
    {
        foreach (var outcome in outcomes)
            _written.Enqueue((saveEvent, outcome));
        return ValueTask.FromResult(new GuardWriteCounts(outcomes.Count(o => o.Flag is not null || o.RescheduleCount is not null), 0));
    }
}

/// <summary>Keeps whom the pipeline told, in memory.</summary>
internal sealed class InMemoryNotifier : IGuardNotifier
{
    private readonly ConcurrentQueue<GuardNotification> _sent = new();

    public IReadOnlyList<GuardNotification> Sent => [.. _sent];

    public ValueTask NotifyAsync(GuardNotification notification, CancellationToken cancellationToken)
    {
        _sent.Enqueue(notification);
        return default;
    }
}
