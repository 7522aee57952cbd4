using System.Text.Json.Nodes;
using CrmGuardrails.Hosting;
using CrmGuardrails.Salesforce.ChangeEvents;
using CrmGuardrails.Salesforce.Flagging.Tests.ChangeEvents;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Events = CrmGuardrails.Salesforce.Flagging.Tests.ChangeEvents.ChangeEvents;

namespace CrmGuardrails.Salesforce.Flagging.Tests.EndToEnd;

/// <summary>
/// Every rule the flag path can see flags through the Outbound Message, the Flow callout and Change Data Capture,
/// checked by the REST directory and written back by the REST package's outcome writer, against the emulated org; the
/// org requests of each check, write-back included, are asserted.
/// </summary>
public sealed class FlagPathEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// The most org requests one saved record may cost, check and write-back (sign-in excluded: the session is cached):
    /// 2 to 4 lookups (composite/batch, activity queries), the verdict and the notification tasks in one composite call.
    /// </summary>
    private const int MaxRequestsPerCheck = 5;

    /// <summary>
    /// The requests that keep a saved lead's match keys current after the write-back: read it whole (a message carries
    /// only the fields an admin picked), read its stored keys, write the difference in one composite/batch.
    /// </summary>
    private const int KeyUpkeepRequests = 3;

    private EmulatedOrg _org = null!;

    public async Task InitializeAsync() => _org = await EmulatedOrg.StartAsync();

    public async Task DisposeAsync() => await _org.DisposeAsync();

    /// <summary>A lead for an existing customer, a second lead for a person another rep works, a call on a lead another rep meets, an inbound email while another rep's chat is open.</summary>
    public static TheoryData<string> Rules => new() { "existing-customer", "duplicate-lead", "rep-collision", "channel-fanout" };

    private static (string SObject, string Id, List<(string Field, string? Value)> Fields) Save(string rule) => rule switch
    {
        "existing-customer" => ("Lead", "00Q5g00000E2ELD001", [.. Common(Ids.Jon), ("FirstName", "Kim"), ("LastName", "Lee"), ("Company", "Contoso Pharmaceuticals"), ("Email", "kim@contoso-pharma.co.uk"), ("Status", "Open - Not Contacted"), ("IsConverted", "false")]),
        "duplicate-lead" => ("Lead", "00Q5g00000E2ELD002", [.. Common(Ids.Ade), ("FirstName", "Omar"), ("LastName", "Haddad"), ("Company", "Proseware"), ("Email", "omar@proseware.io"), ("Status", "Open - Not Contacted"), ("IsConverted", "false")]),
        "rep-collision" => ("Task", "00T5g00000E2ETA001", [.. Common(Ids.Ade), ("Subject", "Call"), ("TaskSubtype", "Call"), ("Status", "Not Started"), ("IsClosed", "false"), ("WhoId", Ids.Omar), ("ActivityDate", "2026-03-03")]),
        "channel-fanout" => ("Task", "00T5g00000E2ETA002", [.. Common(Ids.Ade), ("Subject", "Re: order"), ("TaskSubtype", "Email"), ("CallType", "Inbound"), ("Status", "Not Started"), ("IsClosed", "false"), ("WhoId", "0035g00000ANNAK001")]),
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    private static IEnumerable<(string, string?)> Common(string user) =>
        [("CreatedDate", "2026-03-02T10:00:00.000Z"), ("LastModifiedDate", "2026-03-02T10:00:00.000Z"), ("LastModifiedById", user), ("OwnerId", user)];

    /// <summary>The record as the org holds it once saved: the call after the save names a record that exists.</summary>
    private (string SObject, string Id, List<(string Field, string? Value)> Fields) Saved(string rule)
    {
        var save = Save(rule);
        var row = new Dictionary<string, object?> { ["Id"] = save.Id };
        foreach (var (field, value) in save.Fields.Where(f => f.Field is not ("CreatedDate" or "LastModifiedDate" or "LastModifiedById")))
            row[field] = value is "true" or "false" ? value == "true" : value;
        _org.Emulator.Store.Put(save.SObject, row);
        return save;
    }

    private Task<FlagHost> HostAsync() => FlagHost.StartAsync(writer: null, inMemoryOrg: false, services: _org.AddTo);

    private void AssertFlagged(string path, string rule, string sObject, string id)
    {
        var record = _org.Emulator.Store.Find(sObject, id)!;
        Assert.False(string.IsNullOrEmpty(record[SalesforceSchema.Flags.Verdict] as string), $"{path}: no verdict written on {id}");
        Assert.Contains(rule, (string)record[SalesforceSchema.Flags.Rule]!);
        var requests = _org.Emulator.Requests.Where(r => !r.Path.Contains("oauth2", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{path} {rule}: {requests.Count} org request(s): " + string.Join(" | ", requests.Select(r => $"{r.Method} {r.Path}")));
        Assert.InRange(requests.Count, 2, MaxRequestsPerCheck + (sObject == SalesforceSchema.Lead.Object ? KeyUpkeepRequests : 0));
    }

    private int NotificationTasks() => _org.Emulator.Store.All("Task").Count(t => t.GetValueOrDefault(SalesforceSchema.Flags.NotificationKey) is string { Length: > 0 });

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task OutboundMessage_EveryRuleFlagsTheRecordInTheOrg(string rule)
    {
        await using var host = await HostAsync();
        var (sObject, id, fields) = Saved(rule);
        await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org, new OutboundMessages.Notification("04l5g0000000WARMQ", "Opportunity", [("Id", "0065g00000WARM0001"), ("LastModifiedById", Ids.Jon)])));
        _org.Emulator.ClearRequests();

        var response = await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org, new OutboundMessages.Notification("04l5g00005286hE2EQ", sObject, [("Id", id), .. fields])));

        Assert.True(Soap.IsAck(await Soap.ReadAsync(response)));
        AssertFlagged("Outbound Message", rule, sObject, id);
    }

    [Fact]
    public async Task OutboundMessage_Redelivered_FlagAndTasksWrittenOnce()
    {
        await using var host = await HostAsync();
        var (sObject, id, fields) = Saved("rep-collision");
        var message = OutboundMessages.Envelope(Ids.Org, new OutboundMessages.Notification("04l5g00005286hE2EQ", sObject, [("Id", id), .. fields]));

        var first = await host.PostOutboundAsync(message);
        var tasks = NotificationTasks();
        var flag = _org.Emulator.Store.Find(sObject, id)![SalesforceSchema.Flags.Verdict];
        var again = await host.PostOutboundAsync(message);

        Assert.True(Soap.IsAck(await Soap.ReadAsync(first)));
        Assert.True(Soap.IsAck(await Soap.ReadAsync(again)));
        Assert.True(tasks >= 1, "the rep to tell gets a task");
        Assert.Equal(tasks, NotificationTasks());
        Assert.Equal(flag, _org.Emulator.Store.Find(sObject, id)![SalesforceSchema.Flags.Verdict]);
    }

    [Fact]
    public async Task OutboundMessage_OrgDownWhileWriting_FaultNotAck_ThenAckOnceTheOrgIsBack()
    {
        await using var host = await HostAsync();
        var (sObject, id, fields) = Saved("existing-customer");
        var message = OutboundMessages.Envelope(Ids.Org, new OutboundMessages.Notification("04l5g00005286hE2EQ", sObject, [("Id", id), .. fields]));
        _org.Emulator.Faults.Always(CrmGuardrails.Salesforce.Emulator.EmulatorFault.Unavailable());

        var down = await host.PostOutboundAsync(message);
        _org.Emulator.Faults.Clear();

        // Salesforce sends the message again until it is acknowledged (here: at most 10 times, 500 ms apart).
        var acknowledged = false;
        for (var attempt = 0; attempt < 10 && !acknowledged; attempt++)
        {
            await Task.Delay(500);
            acknowledged = Soap.IsAck(await Soap.ReadAsync(await host.PostOutboundAsync(message)));
        }

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.False(Soap.IsAck(await Soap.ReadAsync(down)));
        Assert.True(acknowledged);
        Assert.Contains("existing-customer", (string)_org.Emulator.Store.Find(sObject, id)![SalesforceSchema.Flags.Rule]!);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task FlowCallout_EveryRuleFlagsTheRecordInTheOrg(string rule)
    {
        await using var host = await HostAsync();
        var (sObject, id, fields) = Saved(rule);
        var record = new JsonObject { ["Id"] = id };
        foreach (var (field, value) in fields)
            record[field] = value;
        var callout = new JsonObject { ["organizationId"] = Ids.Org, ["eventType"] = "create", ["objectType"] = sObject, ["record"] = record };
        var warmUp = FlowCalloutEndpointTests.TaskCallout();
        warmUp["objectType"] = "Opportunity";
        await host.PostFlowAsync(warmUp.ToJsonString());
        _org.Emulator.ClearRequests();

        var response = await host.PostFlowAsync(callout.ToJsonString());

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        AssertFlagged("Flow", rule, sObject, id);
    }

    [Theory]
    [InlineData("existing-customer")]
    [InlineData("rep-collision")]
    public async Task ChangeDataCapture_RulesFlagTheRecordInTheOrg(string rule)
    {
        await using var pubsub = await PubSubEmulator.StartAsync();
        Events.AddTopics(pubsub);
        var services = new ServiceCollection();
        services.AddLogging();
        _org.AddTo(services);
        await using var provider = services.BuildServiceProvider();
        var (sObject, id, _) = Saved(rule);
        var (topic, schema, payload) = rule == "rep-collision"
            ? (Events.TaskTopic, Events.TaskSchemaId, Events.TaskCreate(id, Ids.Omar))
            : (Events.LeadTopic, Events.LeadSchemaId, Events.LeadCreate(id, "Contoso Pharmaceuticals", "kim@contoso-pharma.co.uk"));
        var writer = provider.GetRequiredKeyedService<IGuardOutcomeWriter>("salesforce");
        var replay = Path.Combine(Path.GetTempPath(), "crmguard-e2e-" + Guid.NewGuid().ToString("N"));
        var store = new FileReplayIdStore(replay);
        await provider.GetRequiredService<ICrmDirectory>().GetAsync(new RecordRef(RecordKind.User, Ids.Jon), default);
        _org.Emulator.ClearRequests();
        var replayId = pubsub.Publish(topic, schema, payload);

        try
        {
            await using (await SubscriberRun.StartAsync(pubsub, writer, store, directory: provider.GetRequiredService<ICrmDirectory>()))
                Assert.True(await SubscriberRun.UntilAsync(() => store.GetAsync(topic, default).AsTask().Result is { } stored && stored.SequenceEqual(replayId)));

            AssertFlagged("CDC", rule, sObject, id);
        }
        finally
        {
            Directory.Delete(replay, recursive: true);
        }
    }
}
