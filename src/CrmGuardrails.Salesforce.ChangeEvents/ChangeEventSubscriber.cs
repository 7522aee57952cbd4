using System.Collections.Concurrent;
using CrmGuardrails.Hosting;
using CrmGuardrails.Salesforce.ChangeEvents.PubSub;
using CrmGuardrails.Salesforce.Webhooks;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Salesforce.ChangeEvents;

/// <summary>
/// Subscribes to Change Data Capture channels over the Pub/Sub API and flags every created or changed lead, task and
/// event right after its save: the same guards, the same save reader and the same outcome writer as the Outbound
/// Message and Flow endpoints. CDC "fires after commit ⇒ cannot block" (salesforce.md §2.7).
/// </summary>
/// <remarks>
/// <para>
/// One subscription per topic. Flow control is the API's: "Client requests for X number of events via FetchRequest" and
/// asks for more as it consumes them (<see cref="ChangeEventSubscriberOptions.BatchSize"/>). Events are handled one at a
/// time, in commit order ("CDC order = commit order", §10.D); a replay id is stored only after its event's outcome was
/// written back, so a restart or a broken stream resumes right after the last recorded change (at least once; the
/// writer is idempotent). An event that cannot be recorded (the org throttling or down, a record not checked) ends the
/// stream, which reconnects with a doubling delay from the stored replay id.
/// </para>
/// <para>
/// Changes made by this SDK — <c>changeOrigin</c> naming <see cref="ChangeEventSubscriberOptions.IntegrationClientId"/>,
/// or <c>commitUser</c> an integration user — are skipped, as are updates that changed no field the guards read, so a
/// written flag never checks itself.
/// </para>
/// </remarks>
internal sealed class ChangeEventSubscriber : BackgroundService
{
    private readonly ChangeEventSubscriberOptions _options;
    private readonly GuardPipeline _pipeline;
    private readonly ICrmDirectory _directory;
    private readonly IGuardOutcomeWriter _writer;
    private readonly IReplayIdStore _replayIds;
    private readonly IPubSubAuthentication _authentication;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SalesforceRecordReader _records;
    private readonly SalesforceSaveReader _saves;
    private readonly ConcurrentDictionary<string, Avro.RecordSchema> _schemas = new(StringComparer.Ordinal);

    public ChangeEventSubscriber(ChangeEventSubscriberOptions options, GuardPipeline pipeline, ICrmDirectory directory, IGuardOutcomeWriter writer,
        IReplayIdStore replayIds, IPubSubAuthentication authentication, TimeProvider time, ILogger logger)
    {
        OptionsValidation.ThrowIfInvalid(options);
        _options = options;
        _pipeline = pipeline;
        _directory = directory;
        _writer = writer;
        _replayIds = replayIds;
        _authentication = authentication;
        _time = time;
        _logger = logger;
        _records = new SalesforceRecordReader(options.Mapping);
        _saves = new SalesforceSaveReader(_records, options.IntegrationUserIds);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var channel = GrpcChannel.ForAddress(_options.Endpoint);
        var client = new PubSub.PubSub.PubSubClient(channel);
        await Task.WhenAll(_options.Topics.Select(topic => RunTopicAsync(client, topic, stoppingToken))).ConfigureAwait(false);
    }

    /// <summary>Keeps one topic subscribed until the host stops: reconnects with a doubling delay, reset once events flow again.</summary>
    private async Task RunTopicAsync(PubSub.PubSub.PubSubClient client, string topic, CancellationToken stoppingToken)
    {
        var delay = _options.ReconnectDelay;
        string? staleToken = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SubscribeOnceAsync(client, topic, staleToken, stoppingToken).ConfigureAwait(false))
                    delay = _options.ReconnectDelay;
                staleToken = null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // An expired session is renewed on the next attempt; anything else waits and tries again from the stored replay id.
                staleToken = ex is UnauthenticatedException unauthenticated ? unauthenticated.Token : null;
                ChangeEventLog.StreamBroken(_logger, ex, topic, delay);
                try
                {
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }

    /// <summary>One Subscribe stream: from the stored replay id, until it ends or an event cannot be recorded.</summary>
    /// <returns>Whether at least one event was recorded.</returns>
    private async Task<bool> SubscribeOnceAsync(PubSub.PubSub.PubSubClient client, string topic, string? staleToken, CancellationToken cancellationToken)
    {
        var session = await _authentication.GetSessionAsync(staleToken, cancellationToken).ConfigureAwait(false);
        var headers = new Metadata
        {
            { "accesstoken", session.AccessToken },
            { "instanceurl", session.InstanceUrl.ToString().TrimEnd('/') },
            { "tenantid", _options.OrganizationId },
        };

        var recorded = false;
        try
        {
            using var call = client.Subscribe(headers, cancellationToken: cancellationToken);
            var replayId = await _replayIds.GetAsync(topic, cancellationToken).ConfigureAwait(false);
            var first = new FetchRequest { TopicName = topic, NumRequested = _options.BatchSize };
            if (replayId is { Length: > 0 })
            {
                first.ReplayPreset = ReplayPreset.Custom;
                first.ReplayId = ByteString.CopyFrom(replayId);
            }
            else
            {
                first.ReplayPreset = _options.StartFrom == ChangeEventStart.Earliest ? ReplayPreset.Earliest : ReplayPreset.Latest;
            }

            await call.RequestStream.WriteAsync(first, cancellationToken).ConfigureAwait(false);
            ChangeEventLog.Subscribed(_logger, topic, replayId is { Length: > 0 } ? "the stored replay id" : _options.StartFrom.ToString());

            var pending = _options.BatchSize;
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var response = call.ResponseStream.Current;
                foreach (var consumerEvent in response.Events)
                {
                    await HandleAsync(client, headers, topic, consumerEvent, cancellationToken).ConfigureAwait(false);
                    await _replayIds.SaveAsync(topic, consumerEvent.ReplayId.Memory, cancellationToken).ConfigureAwait(false);
                    recorded = true;
                }

                // A keepalive (no events) carries the latest replay id: everything before it is handled.
                if (response.Events.Count == 0 && !response.LatestReplayId.IsEmpty)
                    await _replayIds.SaveAsync(topic, response.LatestReplayId.Memory, cancellationToken).ConfigureAwait(false);

                // Flow control: ask for another batch once the last one is delivered and handled.
                pending = response.Events.Count == 0 ? pending : Math.Max(0, Math.Min(pending - response.Events.Count, response.PendingNumRequested));
                if (pending == 0)
                {
                    await call.RequestStream.WriteAsync(new FetchRequest { TopicName = topic, NumRequested = _options.BatchSize }, cancellationToken).ConfigureAwait(false);
                    pending = _options.BatchSize;
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
        {
            throw new UnauthenticatedException(session.AccessToken, ex);
        }

        return recorded;
    }

    /// <summary>Checks one change event and writes its outcome back; throws when it could not be recorded, so its replay id is not stored.</summary>
    private async Task HandleAsync(PubSub.PubSub.PubSubClient client, Metadata headers, string topic, ConsumerEvent consumerEvent, CancellationToken cancellationToken)
    {
        var schema = await SchemaAsync(client, headers, consumerEvent.Event.SchemaId, cancellationToken).ConfigureAwait(false);
        ChangeEvent change;
        GuardEvent saveEvent;
        try
        {
            change = ChangeEventDecoder.Decode(schema, consumerEvent.Event.Payload.Memory);
            if (SkipReason(change) is { } reason)
            {
                ChangeEventLog.Skipped(_logger, topic, reason, change.Header.TransactionKey);
                return;
            }

            saveEvent = await ReadAsync(change, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Avro.AvroException or InvalidDataException or EndOfStreamException or GuardEventFormatException)
        {
            // An event no delivery will make readable: skipped (and logged), or it would hold up every later change.
            ChangeEventLog.Unreadable(_logger, ex, topic, consumerEvent.Event.Id);
            return;
        }

        var header = change.Header;
        if (saveEvent.SkipReason is { } skip)
        {
            ChangeEventLog.Skipped(_logger, topic, skip, header.TransactionKey);
            return;
        }

        var outcomes = new List<GuardOutcome>(saveEvent.Requests.Count);
        using (var checking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            checking.CancelAfter(_options.EventBudget);
            foreach (var request in saveEvent.Requests)
                outcomes.Add(await _pipeline.CheckAsync(request, _directory, checking.Token).ConfigureAwait(false));
        }

        GuardWriteCounts written;
        using (var writing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            writing.CancelAfter(_options.EventBudget);
            written = await _writer.WriteAsync(saveEvent, outcomes, writing.Token).ConfigureAwait(false);
        }

        var notChecked = outcomes.Count(o => o.Result.Findings.Any(f => f.NotChecked));
        if (written.Failed > 0 || notChecked > 0)
        {
            ChangeEventLog.NotRecorded(_logger, topic, written.Failed, notChecked, header.TransactionKey);
            throw new ChangeNotRecordedException($"The {header.ChangeType} of {header.EntityName} was not recorded: {written.Failed} write(s) failed, {notChecked} record(s) not checked.");
        }

        ChangeEventLog.Checked(_logger, topic, header.ChangeType, outcomes.Count, written.Written, header.TransactionKey);
    }

    private string? SkipReason(ChangeEvent change)
    {
        var header = change.Header;
        if (header.ChangeOrigin is { } origin && origin.Contains("client=" + _options.IntegrationClientId, StringComparison.OrdinalIgnoreCase))
            return "made by this SDK (changeOrigin)";
        if (_saves.IsIntegrationUser(header.CommitUser))
            return "made by the integration user (commitUser)";
        if (header.ChangeType is not ("CREATE" or "UPDATE" or "DELETE"))
            return $"a {header.ChangeType} change is not checked";
        if (header.ChangeType == "UPDATE" && header.ChangedFields.Count > 0)
        {
            var read = new HashSet<string>(_records.FieldsOf(header.EntityName).Select(f => f.Split('.')[0]), StringComparer.OrdinalIgnoreCase);
            if (!header.ChangedFields.Any(f => read.Contains(f.Split('.')[0]) || read.Contains(f.Split('.').Last())))
                return "no field the guards read changed";
        }

        return null;
    }

    /// <summary>The change as the endpoints read a save: through the one save reader, one record per id of the event.</summary>
    private async ValueTask<GuardEvent> ReadAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        var header = change.Header;
        var kind = SalesforceSchema.KindOf(header.EntityName);
        var description = $"Change event {header.ChangeType} of {header.EntityName}";
        if (header.ChangeType == "DELETE")
        {
            return kind is RecordKind.Account or RecordKind.Contact or RecordKind.Lead
                ? new GuardEvent { Description = description, CorrelationId = header.TransactionKey, Deleted = header.RecordIds.Select(id => new RecordRef(kind, id)).ToList() }
                : new GuardEvent { Description = description, SkipReason = $"the delete of a {header.EntityName} changes no match keys" };
        }

        if (header.CommitUser is null)
            return new GuardEvent { Description = description, SkipReason = "the change names no commitUser" };

        var operation = header.ChangeType == "CREATE" ? GuardOperation.Create : GuardOperation.Update;
        var collector = _saves.Start();
        for (var i = 0; i < header.RecordIds.Count; i++)
        {
            var id = header.RecordIds[i];
            string? Field(string name) => string.Equals(name, SalesforceSchema.Id, StringComparison.OrdinalIgnoreCase) ? id
                : change.Fields.TryGetValue(name, out var value) ? value : null;
            collector.Add($"recordIds[{i}]", header.EntityName, Field, operation, header.CommitUser, header.TransactionKey);
        }

        var saveEvent = collector.ToEvent(description, header.TransactionKey);
        if (operation == GuardOperation.Create || saveEvent.Requests.Count == 0)
            return saveEvent;

        // An update event carries only the changed fields: the org holds the whole record as saved.
        var requests = new List<GuardRequest>(saveEvent.Requests.Count);
        foreach (var request in saveEvent.Requests)
        {
            if (await _directory.GetAsync(request.Record.Ref, cancellationToken).ConfigureAwait(false) is { } saved)
                requests.Add(request with { Record = saved });
        }

        return saveEvent with { Requests = requests };
    }

    private async ValueTask<Avro.RecordSchema> SchemaAsync(PubSub.PubSub.PubSubClient client, Metadata headers, string schemaId, CancellationToken cancellationToken)
    {
        if (_schemas.TryGetValue(schemaId, out var known))
            return known;
        var info = await client.GetSchemaAsync(new SchemaRequest { SchemaId = schemaId }, headers, cancellationToken: cancellationToken).ConfigureAwait(false);
        var schema = Avro.Schema.Parse(info.SchemaJson) as Avro.RecordSchema
            ?? throw new InvalidDataException($"The schema {schemaId} is not an Avro record schema.");
        return _schemas.GetOrAdd(schemaId, schema);
    }

    /// <summary>The Pub/Sub API refused the session: the next attempt signs in again.</summary>
    private sealed class UnauthenticatedException(string token, Exception inner) : Exception("The Pub/Sub API refused the session (UNAUTHENTICATED).", inner)
    {
        public string Token { get; } = token;
    }

    /// <summary>An event whose outcome could not be recorded: the stream is ended so it is delivered again.</summary>
    private sealed class ChangeNotRecordedException(string message) : Exception(message);
}
