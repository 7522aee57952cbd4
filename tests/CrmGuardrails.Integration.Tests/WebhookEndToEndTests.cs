using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmGuardrails.Dataverse.Emulator;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Integration.Tests;

/// <summary>
/// Every rule through the webhook: webhook host → Web API directory → org, and the asynchronous write-back → org. Real HTTP
/// on both hops. The rule tests run against the emulator and — when <c>DATAVERSE_*</c> is set — a live org seeded with the
/// same scenario (<see cref="ScenarioOrg"/>); the fault-injection and store-level tests need the emulator.
/// </summary>
public sealed class WebhookEndToEndTests
{
    private const int RulesInPolicy = 5;

    /// <summary>The most directory requests one check may send: two per rule (the directory's own cap per call is two).</summary>
    private const int MaxReadsPerCheck = 2 * RulesInPolicy;

    private const string Maria = "11111111-0000-0000-0000-000000000001";
    private const string Jon = "11111111-0000-0000-0000-000000000002";
    private const string Chris = "11111111-0000-0000-0000-000000000005";

    public static TheoryData<string, string, bool> Rules => new()
    {
        // fixture, rule, blocks (else flags) on a synchronous step
        { "lead-create-existing-customer.json", "existing-customer", true },
        { "lead-create-duplicate.json", "duplicate-lead", true },
        { "phonecall-create-rep-collision.json", "rep-collision", true },
        { "email-create-inbound.json", "channel-fanout", false },
        { "appointment-update-reschedule.json", "reschedule", false },
    };

    [Fact]
    public void SharedScenario_MapsToTheFixturesOrg()
    {
        var shared = SharedScenario.Load();
        var fixture = Embedded.CrmSnapshot.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "org.json"));

        Assert.Equal(fixture.Users, shared.Users);
        Assert.Equal(fixture.Accounts, shared.Accounts);
        Assert.Equal(fixture.AccountTeam, shared.AccountTeam);
        Assert.Equal(fixture.Leads, shared.Leads);
        Assert.Equal(fixture.Contacts.Select(c => c.Id), shared.Contacts.Select(c => c.Id));
        Assert.Equal(fixture.Activities.Select(a => (a.Id, a.Regarding, a.OwnerId, a.ScheduledStart)), shared.Activities.Select(a => (a.Id, a.Regarding, a.OwnerId, a.ScheduledStart)));
    }

    [Theory]
    [RuleRows(ScenarioOrg.Emulator)]
    [RuleRows(ScenarioOrg.Live)]
    public async Task SyncStep_EachRule_AnswersByStatusAndWritesNothing(string target, string fixture, string rule, bool blocks)
    {
        await using var host = await IntegrationHost.StartAsync(target);
        host.Target.ClearRequests();

        var response = await host.PostAsync(host.Fixture(fixture));

        Assert.Equal(blocks ? HttpStatusCode.Conflict : HttpStatusCode.OK, response.StatusCode);
        var json = await IntegrationHost.JsonAsync(response);
        Assert.Equal(blocks ? "block" : "flag", json.GetProperty("verdict").GetString());
        Assert.Contains(rule, RulesOf(json));
        Assert.DoesNotContain(Findings(json), f => f.GetProperty("notChecked").GetBoolean());

        // A synchronous step runs inside the save's transaction: it only reads (GETs, and $batch of GETs), never writes back.
        var requests = host.Target.Requests;
        Assert.All(requests, r => Assert.True(r.Method == "GET" || r.Path.EndsWith("/$batch", StringComparison.Ordinal), $"{r.Method} {r.Path}"));
        Assert.InRange(requests.Count, 1, MaxReadsPerCheck);
        Assert.Empty(await host.Target.TasksAsync());
    }

    [Theory]
    [RuleRows(ScenarioOrg.Emulator)]
    [RuleRows(ScenarioOrg.Live)]
    public async Task AsyncStep_EachRule_WritesFlagColumnsAndTask(string target, string fixture, string rule, bool blocks)
    {
        await using var host = await IntegrationHost.StartAsync(target);
        var (body, recordId) = await host.AsAsyncStepAsync(host.Fixture(fixture));
        var table = JsonNode.Parse(body)!["PrimaryEntityName"]!.GetValue<string>();
        host.Target.ClearRequests();

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IntegrationHost.JsonAsync(response);
        Assert.Equal(blocks ? "block" : "flag", json.GetProperty("verdict").GetString());
        Assert.Equal("async", json.GetProperty("mode").GetString());
        Assert.Equal(1, json.GetProperty("written").GetInt32());
        Assert.Equal(0, json.GetProperty("writesFailed").GetInt32());

        // The host's requests, before the test's own reads of the org below.
        var requests = host.Target.Requests;

        // The flag columns, on the row in the org.
        var row = table is "lead" ? await host.Target.FindAsync("leads", recordId) : await host.Target.FindAsync(table + "s", recordId);
        Assert.NotNull(row);
        Assert.Equal(blocks ? "block" : "flag", row!["crmg_guardverdict"]!.GetValue<string>());
        Assert.Contains(rule, row["crmg_guardrule"]!.GetValue<string>().Split(','));
        Assert.Equal(json.GetProperty("message").GetString(), row["crmg_guardmessage"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(row["crmg_guardcheckedon"]!.GetValue<string>(), out _));

        // One task per user a finding names, owned by that user.
        var tasks = await host.Target.TasksAsync();
        var expectedRecipient = rule switch
        {
            "existing-customer" => Maria,   // the account owner
            "duplicate-lead" or "rep-collision" => Jon, // the other rep
            "reschedule" => Chris,         // the manager
            _ => null,
        };
        if (expectedRecipient is not null)
        {
            expectedRecipient = host.Target.Map.Id(expectedRecipient);
            var task = Assert.Single(tasks, t => string.Equals(t["_ownerid_value"]?.GetValue<string>(), expectedRecipient, StringComparison.OrdinalIgnoreCase));
            Assert.StartsWith("CrmGuardrails: " + rule, task["subject"]!.GetValue<string>());
            Assert.Contains(recordId, task["description"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
            if (table == "lead")
            {
                Assert.Equal(recordId, task["_regardingobjectid_value"]!.GetValue<string>(), ignoreCase: true);
                Assert.Equal("lead", task["_regardingobjectid_value" + EmulatorStore.LookupLogicalName]!.GetValue<string>());
            }
        }

        if (rule == "reschedule")
            Assert.Equal(2, row["crmg_reschedulecount"]!.GetValue<int>()); // the pre-image said 1

        // Reads stay within two per rule (a $batch is one); writes are one PATCH of the record plus one create per task,
        // and a lead's match keys in one $batch.
        Assert.InRange(requests.Count(r => r.Method == "GET" || r.Path.EndsWith("/$batch", StringComparison.Ordinal)), 1, MaxReadsPerCheck + 1);
        Assert.Equal(1 + tasks.Count, requests.Count(r => r.Method == "PATCH"));
        Assert.Equal(1, requests.Count(r => r.Method == "PATCH" && !r.Path.Contains("/tasks(", StringComparison.Ordinal)));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task SyncStep_LogsOneInformationLinePerDecision()
    {
        await using var host = await IntegrationHost.StartAsync();

        var response = await host.PostAsync(host.Fixture("lead-create-existing-customer.json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var lines = host.Logs.Entries.Where(e => e.Level >= LogLevel.Information && e.Category.StartsWith("CrmGuardrails", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Equal("GuardChecked", line.EventId.Name);
    }

    [Fact]
    public async Task AsyncStep_RetriedByDataverse_CreatesNoSecondTask()
    {
        await using var host = await IntegrationHost.StartAsync();
        var body = host.AsAsync(IntegrationHost.ReadFixture("lead-create-existing-customer.json"), out _);

        var first = await host.PostAsync(body);
        var tasksAfterFirst = host.Org.Store.Rows("tasks").Count;
        var second = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, tasksAfterFirst);
        Assert.Single(host.Org.Store.Rows("tasks"));
        Assert.Equal(1, (await IntegrationHost.JsonAsync(second)).GetProperty("written").GetInt32());
    }

    [Fact]
    public async Task AsyncStep_FirstMoveRaisesNoFlag_StoresOnlyTheRescheduleCount()
    {
        await using var host = await IntegrationHost.StartAsync();
        var fixture = JsonNode.Parse(IntegrationHost.ReadFixture("appointment-update-reschedule.json"))!.AsObject();
        var image = fixture["PreEntityImages"]![0]!["value"]!["Attributes"]!.AsArray().Single(a => a!["key"]!.GetValue<string>() == "crmg_reschedulecount")!;
        image["value"] = 0;
        var body = host.AsAsync(fixture.ToJsonString(), out var id);

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("allow", (await IntegrationHost.JsonAsync(response)).GetProperty("verdict").GetString());
        var row = host.Org.Store.Find("appointments", id);
        Assert.NotNull(row);
        Assert.Equal(1, row!["crmg_reschedulecount"]!.GetValue<int>());
        Assert.Null(row["crmg_guardverdict"]);
        Assert.Empty(host.Org.Store.Rows("tasks"));
    }

    [Fact]
    public async Task AsyncStep_RecordDeletedMeanwhile_ReportsFailedFlagAndCreatesNoShell()
    {
        await using var host = await IntegrationHost.StartAsync();
        var body = host.AsAsync(IntegrationHost.ReadFixture("lead-create-existing-customer.json"), out var id);
        host.Org.Store.Delete("leads", id);

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IntegrationHost.JsonAsync(response);
        Assert.Equal(0, json.GetProperty("written").GetInt32());
        Assert.True(json.GetProperty("writesFailed").GetInt32() >= 1);
        Assert.Null(host.Org.Store.Find("leads", id)); // If-Match: * did not re-create the row
        Assert.Contains(host.Logs.Entries, e => e.EventId.Name == "DataverseWriteBackFailed");
    }

    public static TheoryData<string, bool> Faults => new()
    {
        { "throttle-storm", false },
        { "throttle-storm", true },
        { "dead-org", false },
        { "dead-org", true },
        { "dropped-connections", false },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task SickOrg_EveryCheckAnsweredWithinBudget_ByTheLookupFailurePolicy(string fault, bool failClosed)
    {
        await using var host = await IntegrationHost.StartAsync(policy: p =>
        {
            if (failClosed)
                p.OnLookupFailure = LookupFailureVerdict.Block;
        });
        host.Org.Faults.Always(fault switch
        {
            "throttle-storm" => EmulatorFault.Throttle(retryAfterSeconds: 1),
            "dead-org" => EmulatorFault.Unavailable(),
            _ => EmulatorFault.DropConnection(),
        });

        // Only an upper bound, not a speed goal: the 2 s budget plus a margin for a loaded test machine, well below what
        // ignoring the budget would take (10 retries of a 1 s Retry-After).
        var bound = TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(6);
        var answered = 0;
        foreach (var (fixture, rule, _) in RuleRows())
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var watch = Stopwatch.StartNew();
            var response = await host.PostAsync(IntegrationHost.ReadFixture(fixture), timeout.Token);
            watch.Stop();

            Assert.True(watch.Elapsed < bound, $"{rule}: answered after {watch.Elapsed.TotalSeconds:0.0} s under {fault}.");
            var json = await IntegrationHost.JsonAsync(response);

            // The core never blocks an inbound activity (the customer wrote; nothing to refuse): the inbound email stays a flag.
            var blocks = failClosed && rule != "channel-fanout";
            Assert.True((blocks ? HttpStatusCode.Conflict : HttpStatusCode.OK) == response.StatusCode, $"{rule} under {fault}: {response.StatusCode} {json}");
            Assert.Equal(blocks ? "block" : "flag", json.GetProperty("verdict").GetString());
            Assert.Contains(Findings(json), f => f.GetProperty("notChecked").GetBoolean() && f.GetProperty("code").GetString() == GuardCodes.NotChecked);
            answered++;
        }

        Assert.Equal(RuleRows().Count(), answered);
        Assert.NotEmpty(host.Org.Requests); // the org was really asked
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Error && e.Message.Contains("lost", StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<(string Fixture, string Rule, bool Blocks)> RuleRows() =>
        Rules.Select(r => ((string)r[0], (string)r[1], (bool)r[2]));

    private static IEnumerable<JsonElement> Findings(JsonElement json) =>
        json.GetProperty("records").EnumerateArray().SelectMany(r => r.GetProperty("findings").EnumerateArray());

    private static List<string> RulesOf(JsonElement json) => Findings(json).Select(f => f.GetProperty("rule").GetString()!).ToList();
}
