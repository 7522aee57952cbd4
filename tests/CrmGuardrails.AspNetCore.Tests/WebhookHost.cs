using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CrmGuardrails.AspNetCore;
using CrmGuardrails.Embedded;
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

    private WebhookHost(WebApplication app, HttpClient client, InMemoryDataverseFlagWriter writer)
    {
        _app = app;
        Client = client;
        Writer = writer;
    }

    public HttpClient Client { get; }

    public InMemoryDataverseFlagWriter Writer { get; }

    public static async Task<WebhookHost> StartAsync(
        ICrmDirectory? directory = null,
        Action<DataverseWebhookOptions>? configure = null,
        Action<CrmGuardrailsOptions>? policy = null,
        IDataverseFlagWriter? writer = null)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(directory ?? Org());
        var memory = new InMemoryDataverseFlagWriter();
        builder.Services.AddSingleton(writer ?? memory);
        builder.Services.AddCrmGuardrailsDataverseWebhook(o =>
        {
            o.SharedKey = Key;
            o.Mapping.RescheduleCountColumn = "crmg_reschedulecount";
            configure?.Invoke(o);
        });
        if (policy is not null)
            builder.Services.Configure(policy);
        var app = builder.Build();
        app.MapCrmGuardrailsDataverse();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        return new WebhookHost(app, client, memory);
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
