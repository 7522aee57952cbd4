using System.Net;
using System.Text.Json;

namespace CrmGuardrails.AspNetCore.Tests;

/// <summary>Every rule through the webhook, over real HTTP, with RemoteExecutionContext payloads in the documented shape.</summary>
public sealed class WebhookRuleTests
{
    private static string Finding(JsonElement json, string property) =>
        json.GetProperty("records")[0].GetProperty("findings")[0].GetProperty(property).GetString()!;

    [Fact]
    public async Task SyncLeadCreate_ExistingCustomer_Blocks409WithMessage()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-existing-customer.json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("block", json.GetProperty("verdict").GetString());
        Assert.Equal("sync", json.GetProperty("mode").GetString());
        Assert.Contains("Maria Lopez", json.GetProperty("message").GetString());
        Assert.Equal("existing-customer", Finding(json, "rule"));
        Assert.Equal(GuardCodes.ExistingCustomer, Finding(json, "code"));
        var collision = json.GetProperty("records")[0].GetProperty("findings")[0].GetProperty("collision");
        Assert.Equal("account", collision.GetProperty("kind").GetString());
        Assert.Equal("aaaaaaaa-0000-0000-0000-000000000001", collision.GetProperty("id").GetString());
        Assert.Empty(host.Writer.Flags);
    }

    [Fact]
    public async Task SyncLeadCreate_DuplicateOfOtherRepsLead_Blocks()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-duplicate.json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("duplicate-lead", Finding(json, "rule"));
        Assert.Equal("1ead0000-0000-0000-0000-000000000001", json.GetProperty("records")[0].GetProperty("findings")[0].GetProperty("collision").GetProperty("id").GetString());
    }

    [Fact]
    public async Task SyncPhoneCallCreate_OtherRepsMeetingWithSameLead_BlocksRepCollision()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(WebhookHost.ReadFixture("phonecall-create-rep-collision.json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("rep-collision", Finding(json, "rule"));
        Assert.Equal("ac000000-0000-0000-0000-000000000001", json.GetProperty("records")[0].GetProperty("findings")[0].GetProperty("collision").GetProperty("id").GetString());
    }

    [Fact]
    public async Task SyncPhoneCallCreate_RepOnAccountTeam_Allows200()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(WebhookHost.ReadFixture("phonecall-create-account-team.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("allow", json.GetProperty("verdict").GetString());
        Assert.Equal(0, json.GetProperty("records")[0].GetProperty("findings").GetArrayLength());
    }

    [Fact]
    public async Task SyncEmailCreate_InboundOnSecondChannel_Flags200()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(WebhookHost.ReadFixture("email-create-inbound.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("flag", json.GetProperty("verdict").GetString());
        Assert.Equal("channel-fanout", Finding(json, "rule"));
        Assert.Equal("ac000000-0000-0000-0000-000000000002", json.GetProperty("records")[0].GetProperty("findings")[0].GetProperty("collision").GetProperty("id").GetString());
    }

    [Fact]
    public async Task SyncAppointmentUpdate_SecondMoveFromPreImage_FlagsReschedule()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(WebhookHost.ReadFixture("appointment-update-reschedule.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("flag", json.GetProperty("verdict").GetString());
        Assert.Equal("reschedule", Finding(json, "rule"));
        Assert.Contains("moved 2 times", json.GetProperty("message").GetString());
        Assert.Equal("ac000000-0000-0000-0000-000000000001", json.GetProperty("records")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task SyncAppointmentUpdate_FirstMoveWithoutCount_Allows()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = WebhookHost.ReadFixture("appointment-update-reschedule.json").Replace("\"crmg_reschedulecount\"", "\"other_column\"", StringComparison.Ordinal);

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("allow", (await WebhookHost.JsonAsync(response)).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task SyncAppointmentUpdate_WithoutPreImage_ReadsTheRecordFromTheDirectory()
    {
        await using var host = await WebhookHost.StartAsync();
        using var document = JsonDocument.Parse(WebhookHost.ReadFixture("appointment-update-reschedule.json"));
        var body = Json.Set(document.RootElement, "PreEntityImages", "[]");

        var response = await host.PostAsync(body);

        // The directory's appointment starts 2026-03-03 14:00 and has never been moved: a first move is allowed,
        // and the record checked is the directory's record with the new start.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("allow", (await WebhookHost.JsonAsync(response)).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task SyncLeadCreate_NewCompanyFreeMail_Allows()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-new-company.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("allow", (await WebhookHost.JsonAsync(response)).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task SyncCreateMultiple_OneRowBlocked_VetoesTheBatchAndReportsEachRow()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-createmultiple.json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        var records = json.GetProperty("records");
        Assert.Equal(2, records.GetArrayLength());
        Assert.Equal("allow", records[0].GetProperty("verdict").GetString());
        Assert.Equal("block", records[1].GetProperty("verdict").GetString());
        Assert.Equal("lead", records[1].GetProperty("table").GetString());
        Assert.Equal("existing-customer", records[1].GetProperty("findings")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task AsyncLeadCreate_Blocked_Answers200AndWritesTheFlagAndNotifiesTheAccountOwner()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-async.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("async", json.GetProperty("mode").GetString());
        Assert.Equal(1, json.GetProperty("written").GetInt32());
        var (call, flag) = Assert.Single(host.Writer.Flags);
        Assert.Equal(new RecordRef(RecordKind.Lead, "1ead0000-0000-0000-0000-0000000000f1"), flag.Record);
        Assert.Equal("lead", flag.Table);
        Assert.Equal("block", flag.Flag);
        Assert.Equal("11111111-0000-0000-0000-000000000002", flag.Request.UserId);
        Assert.Equal("5d2c7a3e-0000-4000-8000-000000000001", call.CorrelationId);
        Assert.Contains("existing-customer", flag.Result.Rules);
        Assert.Equal(flag.Recipients.Order(), host.Notifier.Sent.Select(n => n.RecipientUserId).Order());
        Assert.Contains("11111111-0000-0000-0000-000000000001", flag.Recipients);
    }

    [Fact]
    public async Task AsyncCreate_Allowed_WritesNothing()
    {
        await using var host = await WebhookHost.StartAsync();
        using var document = JsonDocument.Parse(WebhookHost.ReadFixture("lead-create-new-company.json"));
        var body = Json.Set(Json.Set(document.RootElement, "Mode", "1"), "Stage", "40");

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(host.Writer.Flags);
    }

    [Fact]
    public async Task AsyncCreate_WriterThrows_StillAnswers200AndCountsTheFailure()
    {
        var writer = new Moq.Mock<CrmGuardrails.Hosting.IGuardOutcomeWriter>();
        writer.Setup(w => w.WriteAsync(Moq.It.IsAny<CrmGuardrails.Hosting.GuardEvent>(), Moq.It.IsAny<IReadOnlyList<GuardOutcome>>(), Moq.It.IsAny<CancellationToken>()))
            .Returns(ValueTask.FromException<CrmGuardrails.Hosting.GuardWriteCounts>(new HttpRequestException("Dataverse is down")));
        await using var host = await WebhookHost.StartAsync(writer: writer.Object);

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-async.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal(0, json.GetProperty("written").GetInt32());
        Assert.Equal(1, json.GetProperty("writesFailed").GetInt32());
    }
}
