using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmGuardrails.AspNetCore;
using CrmGuardrails.Dataverse;
using CrmGuardrails.Dataverse.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Integration.Tests;

/// <summary>One captured log entry.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>Keeps every log entry of the webhook host, so tests can assert that nothing was lost or failed.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}

/// <summary>
/// The Dataverse emulator (seeded with the shared scenario) and the webhook host, both Kestrel on 127.0.0.1 and a free
/// port; the webhook's guards ask the emulator through <c>AddCrmGuardrailsDataverse</c> and write outcomes back through
/// the Dataverse webhook's outcome writer: real HTTP on both hops.
/// </summary>
internal sealed class IntegrationHost : IAsyncDisposable
{
    public const string Key = "integration-shared-key-0123456789";
    public const string Path = "/crmguardrails/dataverse";

    private readonly WebApplication _app;

    private IntegrationHost(ScenarioOrg target, WebApplication app, HttpClient client, CapturingLoggerProvider logs)
    {
        Target = target;
        _app = app;
        Client = client;
        Logs = logs;
    }

    /// <summary>The org the host talks to: the emulator or a live org, seeded with the shared scenario.</summary>
    public ScenarioOrg Target { get; }

    /// <summary>The emulator, for the emulator-only tests (fault injection, direct store access).</summary>
    public DataverseEmulator Org => (Target as EmulatorScenarioOrg)?.Server ?? throw new InvalidOperationException("This test needs the emulator.");

    public HttpClient Client { get; }

    public CapturingLoggerProvider Logs { get; }

    public static Task<IntegrationHost> StartAsync(Action<CrmGuardrailsOptions>? policy = null, Action<DataverseDirectoryOptions>? directory = null) =>
        StartAsync(ScenarioOrg.Emulator, policy, directory);

    /// <summary>Starts the host against a target (<see cref="ScenarioOrg.Emulator"/> or <see cref="ScenarioOrg.Live"/>).</summary>
    public static async Task<IntegrationHost> StartAsync(string target, Action<CrmGuardrailsOptions>? policy = null, Action<DataverseDirectoryOptions>? directory = null)
    {
        var org = await ScenarioOrg.StartAsync(target);
        try
        {
            var logs = new CapturingLoggerProvider();
            var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(logs);
            var dataverseClient = builder.Services.AddCrmGuardrailsDataverse(o =>
            {
                o.OrgUrl = org.OrgUrl;
                o.Credential = org.Credential;
                directory?.Invoke(o);
            });
            org.Instrument(dataverseClient);
            builder.Services.AddCrmGuardrailsWebhooks(o =>
            {
                o.SharedKey = Key;
            });
            builder.Services.AddCrmGuardrailsDataverseWebhook();
            if (policy is not null)
                builder.Services.Configure(policy);
            var app = builder.Build();
            app.MapCrmGuardrailsWebhook("dataverse");
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
            return new IntegrationHost(org, app, client, logs);
        }
        catch
        {
            await org.DisposeAsync();
            throw;
        }
    }

    public static string ReadFixture(string name) => File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>A fixture for this host's target: the fixed ids and names replaced by the target's (unchanged on the emulator).</summary>
    public string Fixture(string name) => Target.Map.Apply(ReadFixture(name));

    /// <summary>
    /// Turns a synchronous fixture into the asynchronous PostOperation call Dataverse makes after the save: mode 1, stage
    /// 40, and — for a create — the id Dataverse gave the row, which is also stored in the emulator (the row exists by then).
    /// </summary>
    public string AsAsync(string fixture, out string recordId)
    {
        var (body, id, table) = ToAsync(fixture);
        if (table is not null)
            Org.Store.Upsert(table + "s", new JsonObject { [Dataverse.Emulator.EmulatorStore.KeyOf(table + "s")] = id });
        recordId = id;
        return body;
    }

    /// <summary>As <see cref="AsAsync"/>, on this host's target: a created row is created in the emulator or the live org.</summary>
    public async Task<(string Body, string RecordId)> AsAsyncStepAsync(string fixture)
    {
        var (body, id, table) = ToAsync(fixture);
        if (table is not null)
            await Target.CreateShellAsync(table, id);
        return (body, id);
    }

    private static (string Body, string Id, string? CreatedTable) ToAsync(string fixture)
    {
        var root = JsonNode.Parse(fixture)!.AsObject();
        root["Mode"] = 1;
        root["Stage"] = 40;
        var target = root["InputParameters"]!.AsArray().Select(p => p!.AsObject()).Single(p => p["key"]!.GetValue<string>() == "Target")["value"]!.AsObject();
        var table = root["PrimaryEntityName"]!.GetValue<string>();
        var id = target["Id"]?.GetValue<string>();
        string? created = null;
        if (id is null || Guid.Parse(id) == Guid.Empty)
        {
            id = Guid.NewGuid().ToString("D");
            target["Id"] = id;
            root["PrimaryEntityId"] = id;
            created = table;
        }

        return (root.ToJsonString(), id, created);
    }

    /// <summary>Posts a body as Dataverse does: JSON, key in the <c>code</c> query parameter.</summary>
    public Task<HttpResponseMessage> PostAsync(string body, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Path}?code={Uri.EscapeDataString(Key)}") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        return Client.SendAsync(request, cancellationToken);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        await Target.DisposeAsync();
    }
}
