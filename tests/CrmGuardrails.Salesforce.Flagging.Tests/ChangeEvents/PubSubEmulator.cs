using System.Buffers.Binary;
using System.Net;
using CrmGuardrails.Salesforce.ChangeEvents.PubSub;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Salesforce.Flagging.Tests.ChangeEvents;

/// <summary>
/// A Pub/Sub API served on 127.0.0.1 over HTTP/2 without TLS (h2c), as strict as pubsub_api.proto says the API is:
/// every call must carry the <c>accesstoken</c>, <c>instanceurl</c> and <c>tenantid</c> headers ("For Salesforce
/// session token authentication, use: accesstoken ... instanceurl ... tenantid"); "The first FetchRequest of the stream
/// identifies the topic" and a later one naming another "returns an error with INVALID_ARGUMENT status"; the server
/// "delivers events until X events are delivered" for X requested and never more; "replay_preset and replay_id values
/// are only consumed as part of the first FetchRequest"; CUSTOM starts "after" the given replay id.
/// </summary>
internal sealed class PubSubEmulator : PubSub.PubSubBase, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<(long ReplayId, string SchemaId, byte[] Payload)>> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _schemas = new(StringComparer.Ordinal);
    private readonly List<FetchRequest> _fetches = [];
    private long _nextReplayId = 1000;
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    public const string OrgId = Ids.Org;

    /// <summary>Gets or sets the only access token accepted.</summary>
    public string AccessToken { get; set; } = "token-1";

    /// <summary>Gets the address to give the subscriber.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Gets every FetchRequest received, in order.</summary>
    public IReadOnlyList<FetchRequest> Fetches { get { lock (_gate) return [.. _fetches]; } }

    /// <summary>Gets how many events were delivered beyond what was requested (must stay 0).</summary>
    public int OverDelivered { get; private set; }

    /// <summary>Gets how many calls were refused as unauthenticated.</summary>
    public int Unauthenticated { get; private set; }

    /// <summary>Gets how many GetSchema calls were made.</summary>
    public int SchemaCalls { get; private set; }

    public static async Task<PubSubEmulator> StartAsync()
    {
        var emulator = new PubSubEmulator();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(emulator);
        var app = builder.Build();
        app.MapGrpcService<PubSubEmulator>();
        await app.StartAsync();
        emulator._app = app;
        emulator.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return emulator;
    }

    public void AddTopic(string topic, string schemaId, string schemaJson)
    {
        lock (_gate)
        {
            _topics.TryAdd(topic, []);
            _schemas[schemaId] = schemaJson;
        }
    }

    /// <summary>Publishes an event; returns its replay id (8 bytes, opaque to the client).</summary>
    public byte[] Publish(string topic, string schemaId, byte[] payload)
    {
        lock (_gate)
        {
            var replayId = _nextReplayId++;
            _topics[topic].Add((replayId, schemaId, payload));
            _published.TrySetResult();
            _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return Encode(replayId);
        }
    }

    public override Task<SchemaInfo> GetSchema(SchemaRequest request, ServerCallContext context)
    {
        Authenticate(context);
        lock (_gate)
        {
            SchemaCalls++;
            return _schemas.TryGetValue(request.SchemaId, out var json)
                ? Task.FromResult(new SchemaInfo { SchemaId = request.SchemaId, SchemaJson = json })
                : throw new RpcException(new Status(StatusCode.NotFound, $"schema {request.SchemaId} not found"));
        }
    }

    public override Task<TopicInfo> GetTopic(TopicRequest request, ServerCallContext context)
    {
        Authenticate(context);
        lock (_gate)
        {
            return _topics.TryGetValue(request.TopicName, out var events)
                ? Task.FromResult(new TopicInfo { TopicName = request.TopicName, TenantGuid = OrgId, CanSubscribe = true, SchemaId = events.LastOrDefault().SchemaId ?? string.Empty })
                : throw new RpcException(new Status(StatusCode.NotFound, $"topic {request.TopicName} not found"));
        }
    }

    public override async Task Subscribe(IAsyncStreamReader<FetchRequest> requestStream, IServerStreamWriter<FetchResponse> responseStream, ServerCallContext context)
    {
        Authenticate(context);
        var token = context.CancellationToken;
        if (!await requestStream.MoveNext(token))
            return;
        var first = requestStream.Current;
        Record(first);
        string topic;
        int next;
        lock (_gate)
        {
            if (!_topics.TryGetValue(first.TopicName, out var events))
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"topic_name '{first.TopicName}' is not a topic"));
            topic = first.TopicName;
            next = first.ReplayPreset switch
            {
                ReplayPreset.Earliest => 0,
                ReplayPreset.Custom => events.FindIndex(e => first.ReplayId.Length == 8 && e.ReplayId == Decode(first.ReplayId)) is var at and >= 0 ? at + 1
                    : throw new RpcException(new Status(StatusCode.InvalidArgument, "replay_id is not a replay id of this topic")),
                _ => events.Count,
            };
        }

        var requested = Requested(first);
        var more = Task.Run(async () =>
        {
            while (await requestStream.MoveNext(token))
            {
                var fetch = requestStream.Current;
                Record(fetch);
                if (fetch.TopicName.Length > 0 && fetch.TopicName != topic)
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "topic_name differs from the first FetchRequest's"));
                Interlocked.Add(ref requested, Requested(fetch));
            }
        }, token);

        while (!token.IsCancellationRequested && !more.IsFaulted)
        {
            Task published;
            List<ConsumerEvent> batch = [];
            lock (_gate)
            {
                published = _published.Task;
                var events = _topics[topic];
                while (next < events.Count && Volatile.Read(ref requested) > 0)
                {
                    var (replayId, schemaId, payload) = events[next++];
                    batch.Add(new ConsumerEvent { ReplayId = ByteString.CopyFrom(Encode(replayId)), Event = new ProducerEvent { Id = Guid.NewGuid().ToString(), SchemaId = schemaId, Payload = ByteString.CopyFrom(payload) } });
                    if (Interlocked.Decrement(ref requested) < 0)
                        OverDelivered++;
                }
            }

            if (batch.Count > 0)
            {
                var response = new FetchResponse { PendingNumRequested = Math.Max(0, Volatile.Read(ref requested)), LatestReplayId = batch[^1].ReplayId, RpcId = Guid.NewGuid().ToString() };
                response.Events.AddRange(batch);
                await responseStream.WriteAsync(response, token);
                continue;
            }

            // Nothing to deliver: wait for an event or more requests (the real API also sends a keepalive "within 270 seconds").
            await Task.WhenAny(published, more, Task.Delay(50, token));
        }

        if (more.IsFaulted)
            await more;
    }

    private static int Requested(FetchRequest fetch) =>
        fetch.NumRequested is > 0 and <= 100 ? fetch.NumRequested : throw new RpcException(new Status(StatusCode.InvalidArgument, $"num_requested must be between 1 and 100, not {fetch.NumRequested}"));

    private void Record(FetchRequest fetch)
    {
        lock (_gate)
            _fetches.Add(fetch.Clone());
    }

    private void Authenticate(ServerCallContext context)
    {
        var headers = context.RequestHeaders;
        if (headers.GetValue("accesstoken") != AccessToken || headers.GetValue("instanceurl") is not { Length: > 0 } || headers.GetValue("tenantid") != OrgId)
        {
            Unauthenticated++;
            throw new RpcException(new Status(StatusCode.Unauthenticated, "accesstoken, instanceurl and tenantid are required and must be valid"));
        }
    }

    private static byte[] Encode(long replayId)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, replayId);
        return bytes;
    }

    private static long Decode(ByteString replayId) => BinaryPrimitives.ReadInt64BigEndian(replayId.Span);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
