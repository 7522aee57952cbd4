using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CrmGuardrails.Dataverse.Emulator;

namespace CrmGuardrails.Dataverse.Tests;

/// <summary>The emulator's generic create/update storage that registration and webhook work will use.</summary>
public sealed class EmulatorStorageTests
{
    [Fact]
    public async Task PostPatchGetDelete_GenericEntitySet()
    {
        await using var emulator = await DataverseEmulator.StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.WebApiRoot };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.Token);

        using var created = await http.PostAsync("serviceendpoints", Json(new JsonObject { ["name"] = "CrmGuardrails webhook", ["contract"] = 8, ["url"] = "https://guard.example/hook" }));
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        var entityUrl = created.Headers.GetValues("OData-EntityId").Single();
        var id = entityUrl.Substring(entityUrl.IndexOf('(', StringComparison.Ordinal) + 1, 36);

        using var patched = await http.PatchAsync($"serviceendpoints({id})", Json(new JsonObject { ["url"] = "https://guard.example/v2" }));
        Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);

        var list = JsonNode.Parse(await http.GetStringAsync("serviceendpoints?$select=name,url&$filter=name eq 'CrmGuardrails webhook'"))!;
        var row = Assert.Single(list["value"]!.AsArray())!;
        Assert.Equal("https://guard.example/v2", row["url"]!.GetValue<string>());
        Assert.Equal(id, row["serviceendpointid"]!.GetValue<string>());

        using var step = await http.PostAsync("sdkmessageprocessingsteps", Json(new JsonObject
        {
            ["name"] = "CrmGuardrails: Create of lead",
            ["stage"] = 10,
            ["eventhandler_serviceendpoint@odata.bind"] = $"/serviceendpoints({id})",
        }));
        Assert.Equal(HttpStatusCode.NoContent, step.StatusCode);
        var steps = JsonNode.Parse(await http.GetStringAsync($"sdkmessageprocessingsteps?$filter=_eventhandler_value eq {id}"))!;
        Assert.Single(steps["value"]!.AsArray());

        using var deleted = await http.DeleteAsync($"serviceendpoints({id})");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var missing = await http.GetAsync($"serviceendpoints({id})");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("0x80040217", JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostTask_AlsoAppearsAsActivityPointerWithParties()
    {
        await using var emulator = await DataverseEmulator.StartAsync();
        var account = new Account { Id = Guid.NewGuid().ToString("D"), Name = "Regarded" };
        emulator.Seed(account);
        using var http = new HttpClient { BaseAddress = emulator.WebApiRoot };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.Token);
        http.DefaultRequestHeaders.Add("Prefer", "return=representation");

        using var created = await http.PostAsync("tasks", Json(new JsonObject
        {
            ["subject"] = "Follow up",
            ["regardingobjectid_account_task@odata.bind"] = $"/accounts({account.Id})",
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["activityid"]!.GetValue<string>();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"activitypointers({id})?$select=activitytypecode,_regardingobjectid_value");
        request.Headers.Add("Prefer", "odata.include-annotations=\"*\"");
        using var response = await http.SendAsync(request);
        var pointer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("task", pointer["activitytypecode"]!.GetValue<string>());
        Assert.Equal("account", pointer["_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]!.GetValue<string>());
        Assert.Equal("Regarded", pointer["_regardingobjectid_value@OData.Community.Display.V1.FormattedValue"]!.GetValue<string>());
    }

    [Fact]
    public async Task NoToken_Returns401WithErrorBody()
    {
        await using var emulator = await DataverseEmulator.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(emulator.WebApiRoot, "accounts"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
        Assert.Single(emulator.Requests);
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
