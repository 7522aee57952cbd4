using System.Text.Json.Nodes;
using CrmGuardrails.Salesforce.ChangeEvents;
using CrmGuardrails.Salesforce.Flagging.Tests.ChangeEvents;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CrmGuardrails.Salesforce.Flagging.Tests.EndToEnd;

/// <summary>
/// Every rule the flag path can see flags through the Outbound Message, the Flow callout and Change Data Capture,
/// checked by the REST directory against the emulated org; the org requests each check costs are asserted.
/// </summary>
public sealed class FlagPathEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// The most org requests the check of one record may cost (sign-in excluded: the session is cached): what the
    /// directory needs today (2 to 4: composite/batch lookups, activity queries). The outcome's write-back is not counted:
    /// these tests write with an in-memory writer until the REST package's outcome writer exists.
    /// </summary>
    private const int MaxRequestsPerCheck = 4;

    private EmulatedOrg _org = null!;

    public async Task InitializeAsync() => _org = await EmulatedOrg.StartAsync();

    public async Task DisposeAsync() => await _org.DisposeAsync();

    /// <summary>The saves and the rule each must trip: a lead for an existing customer, a second lead for a person another rep works, a call on a lead another rep meets, an inbound email while another rep's chat is open.</summary>
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

    private async Task<FlagHost> HostAsync(RecordingWriter writer) =>
        await FlagHost.StartAsync(writer, inMemoryOrg: false, services: _org.AddTo);

    private void AssertRequests(string path, string rule)
    {
        var requests = _org.Emulator.Requests.Where(r => !r.Path.Contains("oauth2", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{path} {rule}: {requests.Count} org request(s): " + string.Join(" | ", requests.Select(r => $"{r.Method} {r.Path}")));
        Assert.InRange(requests.Count, 1, MaxRequestsPerCheck);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task OutboundMessage_EveryRuleFlags(string rule)
    {
        var writer = new RecordingWriter();
        await using var host = await HostAsync(writer);
        var (sObject, id, fields) = Save(rule);
        await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org, OutboundMessages.LeadCreate("04l5g0000000WARMQ", "00Q5g00000WARM0001", "Warm-up Ltd")));
        _org.Emulator.ClearRequests();

        var response = await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org, new OutboundMessages.Notification("04l5g00005286hE2EQ", sObject, [("Id", id), .. fields])));

        Assert.True(Soap.IsAck(await Soap.ReadAsync(response)));
        Assert.Contains(rule, writer.Latest[id].Rules);
        AssertRequests("Outbound Message", rule);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task FlowCallout_EveryRuleFlags(string rule)
    {
        var writer = new RecordingWriter();
        await using var host = await HostAsync(writer);
        var (sObject, id, fields) = Save(rule);
        var record = new JsonObject { ["Id"] = id };
        foreach (var (field, value) in fields)
            record[field] = value;
        var callout = new JsonObject { ["organizationId"] = Ids.Org, ["eventType"] = "create", ["objectType"] = sObject, ["record"] = record };
        await host.PostFlowAsync(FlowCalloutEndpointTests.TaskCallout().ToJsonString());
        _org.Emulator.ClearRequests();

        var response = await host.PostFlowAsync(callout.ToJsonString());

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(rule, writer.Latest[id].Rules);
        AssertRequests("Flow", rule);
    }

    [Theory]
    [InlineData("existing-customer")]
    [InlineData("rep-collision")]
    public async Task ChangeDataCapture_RulesFlag(string rule)
    {
        await using var pubsub = await PubSubEmulator.StartAsync();
        ChangeEvents.ChangeEvents.AddTopics(pubsub);
        var writer = new RecordingWriter();
        var services = new ServiceCollection();
        _org.AddTo(services);
        await using var provider = services.BuildServiceProvider();
        var directory = provider.GetRequiredService<ICrmDirectory>();
        var (topic, schema, payload, id) = rule == "rep-collision"
            ? (ChangeEvents.ChangeEvents.TaskTopic, ChangeEvents.ChangeEvents.TaskSchemaId, ChangeEvents.ChangeEvents.TaskCreate("00T5g00000E2ECD001", Ids.Omar), "00T5g00000E2ECD001")
            : (ChangeEvents.ChangeEvents.LeadTopic, ChangeEvents.ChangeEvents.LeadSchemaId, ChangeEvents.ChangeEvents.LeadCreate("00Q5g00000E2ECD001", "Contoso Pharmaceuticals", "kim@contoso-pharma.co.uk"), "00Q5g00000E2ECD001");
        var store = new FileReplayIdStore(Path.Combine(Path.GetTempPath(), "crmguard-e2e-" + Guid.NewGuid().ToString("N")));
        _org.Emulator.ClearRequests();
        pubsub.Publish(topic, schema, payload);

        await using (await SubscriberRun.StartAsync(pubsub, writer, store, directory: directory))
            Assert.True(await SubscriberRun.UntilAsync(() => writer.Latest.ContainsKey(id)));

        Assert.Contains(rule, writer.Latest[id].Rules);
        AssertRequests("CDC", rule);
    }
}
