using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Moq;

namespace CrmGuardrails.AspNetCore.Tests;

/// <summary>Keys, limits, malformed bodies and failures: controlled answers, never a 500.</summary>
public sealed class WebhookBoundaryTests
{
    private const string NotJson = "{ this is not json";

    [Fact]
    public async Task MissingKey_401_BodyNotRead()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(NotJson, key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await WebhookHost.JsonAsync(response)).GetProperty("error").GetString();
        Assert.Contains("missing shared key", error);
        Assert.Contains("code", error);
    }

    [Fact]
    public async Task WrongKey_401_BodyNotRead()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(NotJson, key: "wrong-key-wrong-key-wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("the shared key is not valid.", (await WebhookHost.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task WrongKeyOfSameLength_401()
    {
        await using var host = await WebhookHost.StartAsync();
        var almost = WebhookHost.Key[..^1] + "X";

        var response = await host.PostAsync(NotJson, key: almost);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WebhookKey_AcceptsFunctionsKeyHeader()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-new-company.json"), key: null,
            change: r => r.Headers.Add("x-functions-key", WebhookHost.Key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HttpHeaderAuth_KeyInConfiguredHeader_Accepted_AndQueryCodeRefused()
    {
        await using var host = await WebhookHost.StartAsync(configure: o =>
        {
            o.KeyLocation = WebhookKeyLocation.Header;
            o.KeyName = "x-guard-key";
        });

        var accepted = await host.PostAsync(WebhookHost.ReadFixture("lead-create-new-company.json"), key: null, change: r => r.Headers.Add("X-Guard-Key", WebhookHost.Key));
        var refused = await host.PostAsync(NotJson);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("x-guard-key", (await WebhookHost.JsonAsync(refused)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task HttpQueryStringAuth_AndPreviousKeyDuringRotation_Accepted()
    {
        await using var host = await WebhookHost.StartAsync(configure: o =>
        {
            o.KeyLocation = WebhookKeyLocation.Query;
            o.KeyName = "guardkey";
            o.SharedKey = "the-new-key-0123456789";
            o.PreviousSharedKey = WebhookHost.Key;
        });
        var body = WebhookHost.ReadFixture("lead-create-new-company.json");

        var withOld = await host.PostAsync(body, key: null, change: r => r.RequestUri = new Uri($"{WebhookHost.Path}?guardkey={WebhookHost.Key}", UriKind.Relative));
        var withNew = await host.PostAsync(body, key: null, change: r => r.RequestUri = new Uri($"{WebhookHost.Path}?guardkey=the-new-key-0123456789", UriKind.Relative));
        var withCode = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, withOld.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withCode.StatusCode);
    }

    [Fact]
    public async Task ContentLengthOverLimit_413()
    {
        await using var host = await WebhookHost.StartAsync(configure: o => o.MaxBodyBytes = 4096);
        var body = "{\"MessageName\":\"" + new string('x', 5000) + "\"}";

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit is 4096", (await WebhookHost.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task ChunkedBodyOverLimit_413()
    {
        await using var host = await WebhookHost.StartAsync(configure: o => o.MaxBodyBytes = 4096);
        var bytes = Encoding.UTF8.GetBytes("{\"MessageName\":\"" + new string('x', 20000) + "\"}");

        var response = await host.PostAsync("{}", change: r =>
        {
            r.Content = new StreamContent(new MemoryStream(bytes));
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            r.Headers.TransferEncodingChunked = true;
        });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task WrongContentType_400()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-new-company.json"), contentType: "text/plain");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Content-Type", (await WebhookHost.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task MalformedJson_400()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(NotJson);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", (await WebhookHost.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task TruncatedJson_400()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = WebhookHost.ReadFixture("lead-create-existing-customer.json");

        var response = await host.PostAsync(body[..(body.Length / 2)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("truncated", (await WebhookHost.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task EmptyBody_400()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(string.Empty);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("[]", "$")]
    [InlineData("{\"PrimaryEntityName\":\"lead\"}", "MessageName")]
    [InlineData("{\"MessageName\":\"Create\",\"PrimaryEntityName\":\"lead\",\"InputParameters\":{}}", "InputParameters")]
    [InlineData("{\"MessageName\":\"Create\",\"PrimaryEntityName\":\"lead\",\"InputParameters\":[{\"key\":\"Target\",\"value\":{\"LogicalName\":\"lead\",\"Attributes\":[{\"key\":\"firstname\"}]}}]}", "InputParameters[0].value.Attributes[0].value")]
    [InlineData("{\"MessageName\":\"Create\",\"PrimaryEntityName\":\"lead\",\"Depth\":\"one\"}", "Depth")]
    [InlineData("{\"MessageName\":\"Create\",\"PrimaryEntityName\":\"lead\",\"Mode\":7,\"InputParameters\":[]}", "Mode")]
    public async Task WrongShape_400NamingTheField(string body, string field)
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal(field, json.GetProperty("field").GetString());
        Assert.Contains(field, json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task MappedColumnOfWrongType_400NamingTheColumn()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = WebhookHost.ReadFixture("lead-create-new-company.json").Replace("\"Lena\"", "42", StringComparison.Ordinal);

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("lead.firstname", (await WebhookHost.JsonAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task MissingUser_400()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Json.Set(Json.Set(WebhookHost.ReadFixture("lead-create-new-company.json"), "InitiatingUserId", "null"), "UserId", "null");

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InitiatingUserId", (await WebhookHost.JsonAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task SizeExceededHeader_DefaultFlagsNotChecked200()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Json.Set(WebhookHost.ReadFixture("lead-create-existing-customer.json"), "InputParameters", "[]");

        var response = await host.PostAsync(body, change: r => r.Headers.Add("x-ms-dynamics-msg-size-exceeded", "true"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("flag", json.GetProperty("verdict").GetString());
        Assert.True(json.GetProperty("records")[0].GetProperty("findings")[0].GetProperty("notChecked").GetBoolean());
        Assert.Contains("256 KB", json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task SizeExceededHeader_Async_WritesNotCheckedFlagOnPrimaryEntity()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Json.Set(WebhookHost.ReadFixture("lead-create-async.json"), "InputParameters", "[]");

        var response = await host.PostAsync(body, change: r => r.Headers.Add("x-ms-dynamics-msg-size-exceeded", "true"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, flag) = Assert.Single(host.Writer.Flags);
        Assert.Equal("1ead0000-0000-0000-0000-0000000000f1", flag.Record.Id);
        Assert.Equal("not-checked", flag.Flag);
        Assert.Equal(GuardCodes.NotChecked, flag.Result.Findings[0].Code);
    }

    [Fact]
    public async Task SizeExceededHeader_SyncFailClosed_BlocksWithTheReason()
    {
        await using var host = await WebhookHost.StartAsync(policy: p => p.OnLookupFailure = LookupFailureVerdict.Block);

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-new-company.json"), change: r => r.Headers.Add("x-ms-dynamics-msg-size-exceeded", "true"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("too large", (await WebhookHost.JsonAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task DirectoryThrows_NotCheckedFlag200_Not500()
    {
        var directory = new Mock<ICrmDirectory>();
        directory.Setup(d => d.FindMatchCandidatesAsync(It.IsAny<MatchCandidateQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("throttled"));
        directory.Setup(d => d.FindContactsAsync(It.IsAny<ContactQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("throttled"));
        directory.Setup(d => d.FindOpenLeadsAsync(It.IsAny<LeadQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("throttled"));
        directory.Setup(d => d.GetAsync(It.IsAny<RecordRef>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("throttled"));
        await using var host = await WebhookHost.StartAsync(directory: directory.Object);

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-existing-customer.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("flag", json.GetProperty("verdict").GetString());
        var findings = json.GetProperty("records")[0].GetProperty("findings");
        Assert.True(findings.GetArrayLength() > 0);
        Assert.All(findings.EnumerateArray(), f => Assert.Equal(GuardCodes.NotChecked, f.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task DirectoryThrows_FailClosedPolicy_BlocksSync()
    {
        var directory = new Mock<ICrmDirectory>();
        directory.Setup(d => d.FindMatchCandidatesAsync(It.IsAny<MatchCandidateQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("down"));
        directory.Setup(d => d.FindContactsAsync(It.IsAny<ContactQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("down"));
        directory.Setup(d => d.FindOpenLeadsAsync(It.IsAny<LeadQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("down"));
        await using var host = await WebhookHost.StartAsync(directory: directory.Object, policy: p => p.OnLookupFailure = LookupFailureVerdict.Block);

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-new-company.json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task DepthOverMaximum_Skipped200WithoutAskingTheDirectory()
    {
        var directory = new Mock<ICrmDirectory>(MockBehavior.Strict);
        await using var host = await WebhookHost.StartAsync(directory: directory.Object);
        var body = Json.Set(WebhookHost.ReadFixture("lead-create-existing-customer.json"), "Depth", "2");

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("skipped", json.GetProperty("verdict").GetString());
        Assert.Contains("depth 2", json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task DepthWithinConfiguredMaximum_Checked()
    {
        await using var host = await WebhookHost.StartAsync(dataverse: o => o.MaxDepth = 2);
        var body = Json.Set(WebhookHost.ReadFixture("lead-create-existing-customer.json"), "Depth", "2");

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Theory]
    [InlineData("MessageName", "\"Delete\"")]
    [InlineData("PrimaryEntityName", "\"opportunity\"")]
    public async Task UncheckedMessageOrTable_Skipped200(string property, string value)
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Json.Set(WebhookHost.ReadFixture("lead-create-existing-customer.json"), property, value);

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("skipped", (await WebhookHost.JsonAsync(response)).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task GetMethod_NotAllowed()
    {
        await using var host = await WebhookHost.StartAsync();

        var response = await host.Client.GetAsync(WebhookHost.Path);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
