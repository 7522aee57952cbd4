using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmGuardrails.Salesforce.Flagging.Tests;

/// <summary>Flow HTTP callouts over real HTTP: the documented JSON shape, the key header, the field named for every malformed body.</summary>
public sealed class FlowCalloutEndpointTests
{
    internal static JsonObject TaskCallout(string whoId = Ids.Omar, string userId = Ids.Ade) => new()
    {
        ["organizationId"] = Ids.Org,
        ["eventType"] = "create",
        ["objectType"] = "Task",
        ["record"] = new JsonObject
        {
            ["Id"] = "00T5g00000CALLF001",
            ["WhoId"] = whoId,
            ["Subject"] = "Call",
            ["TaskSubtype"] = "Call",
            ["Status"] = "Not Started",
            ["IsClosed"] = false,
            ["ActivityDate"] = "2026-03-03",
            ["OwnerId"] = userId,
            ["LastModifiedById"] = userId,
            ["LastModifiedDate"] = "2026-03-02T10:00:00.000Z",
            ["CrmG_Reschedules__c"] = 0,
        },
    };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task TaskCreate_RepCollision_FlagWritten_200WithCounts()
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer);

        var response = await host.PostFlowAsync(TaskCallout().ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonAsync(response);
        Assert.Equal("async", json.GetProperty("mode").GetString());
        Assert.Equal(1, json.GetProperty("written").GetInt32());
        Assert.Equal(0, json.GetProperty("writesFailed").GetInt32());
        var outcome = writer.Latest["00T5g00000CALLF001"];
        Assert.Equal("rep-collision", outcome.Result.Findings[0].RuleId);
        Assert.Equal(Ids.Ade, outcome.Request.UserId);
        Assert.Equal(GuardOperation.Create, outcome.Request.Operation);
    }

    [Fact]
    public async Task UserIdProperty_WinsOverLastModifiedById()
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer);
        var callout = TaskCallout();
        callout["userId"] = Ids.Maria;

        await host.PostFlowAsync(callout.ToJsonString());

        Assert.Equal(Ids.Maria, writer.Latest["00T5g00000CALLF001"].Request.UserId);
    }

    [Fact]
    public async Task SaveByIntegrationUser_Skipped200_NothingWritten()
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer);

        var response = await host.PostFlowAsync(TaskCallout(userId: Ids.Integration).ToJsonString());

        var json = await JsonAsync(response);
        Assert.Equal("skipped", json.GetProperty("verdict").GetString());
        Assert.Contains("integration user", json.GetProperty("reason").GetString());
        Assert.Equal(0, writer.Calls);
    }

    [Fact]
    public async Task MissingKeyHeader_401()
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter());

        var response = await host.PostFlowAsync(TaskCallout().ToJsonString(), key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(FlagHost.FlowKeyHeader, (await JsonAsync(response)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("organizationId", null, "organizationId", "missing")]
    [InlineData("organizationId", Ids.OtherOrg, "organizationId", "not the configured organization")]
    [InlineData("eventType", "delete", "eventType", "expected \"create\" or \"update\"")]
    [InlineData("objectType", "Lead; DROP", "objectType", "not an object's API name")]
    [InlineData("record", "text", "record", "expected an object")]
    [InlineData("userId", "not-an-id", "record.LastModifiedById", "not a 15- or 18-character")]
    public async Task MalformedProperty_400NamingTheField(string property, string? value, string field, string problem)
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter());
        var callout = TaskCallout();
        if (value is null)
            callout.Remove(property);
        else
            callout[property] = value;

        var response = await host.PostFlowAsync(callout.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await JsonAsync(response);
        Assert.Equal(field, json.GetProperty("field").GetString());
        Assert.Contains(problem, json.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("Id", "\"short\"", "record.Id", "not a 15- or 18-character")]
    [InlineData("LastModifiedById", "null", "record.LastModifiedById", "add LastModifiedById")]
    [InlineData("LastModifiedDate", "\"yesterday\"", "record.LastModifiedDate", "ISO 8601")]
    [InlineData("Subject", "{\"nested\":{\"deeper\":1}}", "", "nested deeper")]
    [InlineData("Subject", "[1]", "record.Subject", "expected text, a number")]
    public async Task MalformedRecordField_400NamingTheField(string name, string json, string field, string problem)
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter());
        var callout = TaskCallout();
        callout["record"]![name] = JsonNode.Parse(json);

        var response = await host.PostFlowAsync(callout.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var answer = await JsonAsync(response);
        Assert.Equal(field, answer.TryGetProperty("field", out var named) ? named.GetString() : string.Empty);
        Assert.Contains(problem, answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task NotJson_400()
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter());

        var response = await host.PostFlowAsync("{\"organizationId\": ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not the JSON the flow sends", (await JsonAsync(response)).GetProperty("error").GetString());
    }
}
