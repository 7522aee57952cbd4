using System.Net;
using System.Text.Json.Nodes;

namespace CrmGuardrails.Integration.Tests;

/// <summary>
/// Shadow mode over the Web API path: webhook host → Web API directory → org, and the asynchronous write-back. The guards
/// decide every rule, but the org gets no flag column, no task and no reschedule count; match keys are still kept.
/// </summary>
public sealed class WebhookShadowEndToEndTests
{
    [Theory]
    [RuleRows(ScenarioOrg.Emulator)]
    [RuleRows(ScenarioOrg.Live)]
    public async Task AsyncStep_GlobalShadow_WritesNoFlagNoTaskNoCount(string target, string fixture, string rule, bool blocks)
    {
        _ = (rule, blocks);
        await using var host = await IntegrationHost.StartAsync(target, policy: o => o.Shadow = true);
        var (body, recordId) = await host.AsAsyncStepAsync(host.Fixture(fixture));
        var table = JsonNode.Parse(body)!["PrimaryEntityName"]!.GetValue<string>();
        var tasksBefore = (await host.Target.TasksAsync()).Count;
        var countBefore = (await Row(host, table, recordId))?["crmg_reschedulecount"]?.ToJsonString();
        host.Target.ClearRequests();

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IntegrationHost.JsonAsync(response);
        Assert.Equal("allow", json.GetProperty("verdict").GetString());
        Assert.Equal(0, json.GetProperty("writesFailed").GetInt32());
        var requests = host.Target.Requests;
        Assert.DoesNotContain(requests, r => r.Method == "PATCH");
        var row = await Row(host, table, recordId);
        Assert.NotNull(row);
        Assert.Null(row!["crmg_guardverdict"]?.GetValue<string>());
        Assert.Null(row["crmg_guardrule"]?.GetValue<string>());
        Assert.Equal(countBefore, row["crmg_reschedulecount"]?.ToJsonString()); // not moved on, even for the reschedule rule
        Assert.Equal(0, json.GetProperty("records")[0].GetProperty("findings").GetArrayLength()); // the answer shows what was applied: nothing
        Assert.Equal(tasksBefore, (await host.Target.TasksAsync()).Count);
    }

    private static Task<JsonObject?> Row(IntegrationHost host, string table, string id) =>
        table is "lead" ? host.Target.FindAsync("leads", id) : host.Target.FindAsync(table + "s", id);
}
