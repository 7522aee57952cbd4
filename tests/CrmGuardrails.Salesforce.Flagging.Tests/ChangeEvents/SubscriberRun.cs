using CrmGuardrails.Hosting;
using CrmGuardrails.Salesforce.ChangeEvents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmGuardrails.Salesforce.Flagging.Tests.ChangeEvents;

/// <summary>Signs in with the tokens given, in turn; remembers which stale tokens it was asked to replace.</summary>
internal sealed class TokenAuthentication(params string[] tokens) : IPubSubAuthentication
{
    private int _next;

    public List<string?> StaleTokens { get; } = [];

    public ValueTask<PubSubSession> GetSessionAsync(string? stale, CancellationToken cancellationToken)
    {
        lock (StaleTokens)
        {
            StaleTokens.Add(stale);
            var token = stale is null && _next > 0 ? tokens[_next - 1] : tokens[Math.Min(_next++, tokens.Length - 1)];
            return ValueTask.FromResult(new PubSubSession(token, new Uri("https://contoso.my.salesforce.com")));
        }
    }
}

/// <summary>One run of the subscriber against the emulator: started, then stopped like a host stops it.</summary>
internal sealed class SubscriberRun : IAsyncDisposable
{
    private readonly ChangeEventSubscriber _subscriber;

    private SubscriberRun(ChangeEventSubscriber subscriber) => _subscriber = subscriber;

    public static async Task<SubscriberRun> StartAsync(PubSubEmulator emulator, IGuardOutcomeWriter writer, IReplayIdStore store,
        IPubSubAuthentication? authentication = null, Action<ChangeEventSubscriberOptions>? configure = null, ICrmDirectory? directory = null)
    {
        var options = new ChangeEventSubscriberOptions
        {
            Endpoint = emulator.Address,
            OrganizationId = Ids.Org,
            ReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
            StartFrom = ChangeEventStart.Earliest,
        };
        options.Topics.Clear();
        options.Topics.Add(ChangeEvents.TaskTopic);
        options.Topics.Add(ChangeEvents.LeadTopic);
        options.IntegrationUserIds.Add(Ids.Integration);
        configure?.Invoke(options);
        var collection = new ServiceCollection();
        collection.AddCrmGuardrails();
        var services = collection.BuildServiceProvider();
        var subscriber = new ChangeEventSubscriber(options, services.GetRequiredService<GuardPipeline>(), directory ?? FlagHost.Org(), writer, store,
            authentication ?? new TokenAuthentication(emulator.AccessToken), TimeProvider.System, NullLogger.Instance);
        await subscriber.StartAsync(CancellationToken.None);
        return new SubscriberRun(subscriber);
    }

    /// <summary>Waits (bounded) until the condition holds.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(20);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _subscriber.StopAsync(CancellationToken.None);
        _subscriber.Dispose();
    }
}
