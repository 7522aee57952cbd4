using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmGuardrails.AspNetCore.Tests;

/// <summary>
/// Crafted text and numbers in a context, end to end over real HTTP: what the host cannot read in one field is that
/// field's problem, never a way past a synchronous veto, and nothing a caller sends can write a line of its own in the logs.
/// </summary>
public sealed class WebhookHostileInputTests
{
    private const string Subject = "\"CONTOSO PHARMACEUTICALS enquiry\"";
    private const string Amount = "\"Value\": 12000.0";
    private const string Attributes = "\"Attributes\": [";

    private static string ExistingCustomer() => WebhookHost.ReadFixture("lead-create-existing-customer.json");

    /// <summary>Replaces the one occurrence of a fixture's text, so that a test cannot pass on a fixture it did not change.</summary>
    private static string Replace(string body, string what, string with)
    {
        var at = body.IndexOf(what, StringComparison.Ordinal);
        Assert.True(at >= 0 && body.IndexOf(what, at + 1, StringComparison.Ordinal) < 0, $"the fixture holds {what} once");
        return string.Concat(body.AsSpan(0, at), with, body.AsSpan(at + what.Length));
    }

    /// <summary>Adds an attribute (raw JSON pair) as the Target's first.</summary>
    private static string WithAttribute(string body, string rawPair) => Replace(body, Attributes, Attributes + rawPair + ",");

    private static Task<HttpResponseMessage> PostBytesAsync(WebhookHost host, byte[] body) => host.PostAsync("{}", change: r =>
    {
        r.Content = new ByteArrayContent(body);
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    });

    /// <summary>The body as UTF-8 with every marker replaced by raw bytes (which need not be UTF-8).</summary>
    private static byte[] WithBytes(string body, string marker, byte[] raw)
    {
        var parts = body.Split(marker);
        Assert.True(parts.Length > 1, "the body holds the marker");
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(parts[0]));
        foreach (var part in parts.Skip(1))
        {
            bytes.AddRange(raw);
            bytes.AddRange(Encoding.UTF8.GetBytes(part));
        }

        return [.. bytes];
    }

    private static async Task AssertBlockedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"expected 409, got {(int)response.StatusCode}: {text}");
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal("block", json.GetProperty("verdict").GetString());
        var finding = json.GetProperty("records")[0].GetProperty("findings")[0];
        Assert.Equal(GuardCodes.ExistingCustomer, finding.GetProperty("code").GetString());
        Assert.False(finding.GetProperty("notChecked").GetBoolean());
    }

    private static void AssertOneLine(string? text)
    {
        Assert.NotNull(text);
        Assert.DoesNotContain(text, c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085');
    }

    [Theory]
    [InlineData("x\\ud800y")]
    [InlineData("\\udc00")]
    [InlineData("\\ud800\\u0041")]
    [InlineData("ends with \\udbff")]
    [InlineData("\\udc00\\ud800")]
    public async Task LeadCreate_LoneSurrogateInUnrelatedText_StillBlocks409(string escaped)
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Replace(ExistingCustomer(), Subject, $"\"{escaped}\"");
        body = WithAttribute(body, $"{{\"key\":\"description\",\"value\":\"{escaped}\"}}");

        var response = await host.PostAsync(body);

        await AssertBlockedAsync(response);
    }

    [Fact]
    public async Task LeadCreate_LoneSurrogateInAttributeNameAndOwnerName_StillBlocks409()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = WithAttribute(ExistingCustomer(), "{\"key\":\"new_\\udc00note\",\"value\":\"x\"}");
        body = Replace(body, "\"Name\": null", "\"Name\": \"Jo\\ud800n\"");

        var response = await host.PostAsync(body);

        await AssertBlockedAsync(response);
    }

    public static TheoryData<byte[]> InvalidUtf8 => new()
    {
        new byte[] { 0xFF },
        new byte[] { (byte)'a', 0xC3, 0x28, (byte)'b' },
        new byte[] { 0xED, 0xA0, 0x80 },             // an encoded surrogate
        new byte[] { 0xF4, 0x90, 0x80, 0x80 },       // over U+10FFFF
        new byte[] { 0xC0, 0xAF },                   // overlong '/'
        new byte[] { (byte)'x', 0xE2, 0x82 },        // truncated sequence before the closing quote
        new byte[] { 0x80, 0x80, 0x80 },             // continuation bytes alone
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task LeadCreate_InvalidUtf8InUnrelatedText_StillBlocks409(byte[] raw)
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Replace(ExistingCustomer(), Subject, "\"@@POISON@@\"");
        body = WithAttribute(body, "{\"key\":\"description\",\"value\":\"before @@POISON@@ after\"}");

        var response = await PostBytesAsync(host, WithBytes(body, "@@POISON@@", raw));

        await AssertBlockedAsync(response);
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("-1e300")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("1e-400")]
    public async Task LeadCreate_NumberOutOfRangeInMoneyNumberOrChoice_StillBlocks409(string number)
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Replace(ExistingCustomer(), Amount, $"\"Value\": {number}");
        body = Replace(body, "\"Value\": 8", $"\"Value\": {number}");
        body = WithAttribute(body, $"{{\"key\":\"numberofemployees\",\"value\":{number}}}");

        var response = await host.PostAsync(body);

        await AssertBlockedAsync(response);
    }

    [Fact]
    public async Task LeadCreate_PoisonedTextAndMoneyTogether_StillBlocks409()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Replace(ExistingCustomer(), Subject, "\"\\ud800 /Date(never)/ \\u0000\\u2028\"");
        body = Replace(body, Amount, "\"Value\": 1e300");
        body = WithAttribute(body, "{\"key\":\"description\",\"value\":\"@@POISON@@\"}");

        var response = await PostBytesAsync(host, WithBytes(body, "@@POISON@@", [0xFF, 0xFE, 0xED, 0xA0, 0x80]));

        await AssertBlockedAsync(response);
    }

    [Theory]
    [InlineData("/Date(")]
    [InlineData("/Date(tomorrow)/")]
    [InlineData("/Date(99999999999999999999)/")]
    [InlineData("/Date(1772442000000)/")]
    [InlineData("/Date(1772442000000+0100)/ please call back")]
    public async Task LeadCreate_TextBeginningWithDate_StaysTextAndBlocks409(string text)
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Replace(ExistingCustomer(), Subject, JsonSerializer.Serialize(text));
        body = WithAttribute(body, $"{{\"key\":\"description\",\"value\":{JsonSerializer.Serialize(text)}}}");

        var response = await host.PostAsync(body);

        await AssertBlockedAsync(response);
    }

    [Theory]
    [InlineData("/Date(1772532000000)/")]
    [InlineData("/Date(call me)/")]
    public async Task PhoneCallCreate_SubjectBeginningWithDate_StaysTextAndBlocks409(string subject)
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Replace(WebhookHost.ReadFixture("phonecall-create-rep-collision.json"), "\"Intro call\"", JsonSerializer.Serialize(subject));

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("rep-collision", json.GetProperty("records")[0].GetProperty("findings")[0].GetProperty("rule").GetString());
    }

    [Theory]
    [InlineData("\"/Date(soon)/\"")]
    [InlineData("\"/Date(99999999999999999999)/\"")]
    [InlineData("\"/Date(1772532000000+99)/\"")]
    [InlineData("\"next Tuesday\"")]
    public async Task PhoneCallCreate_MalformedScheduledStart_IsAbsent_TheCallIsCheckedNotRefused(string scheduledStart)
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Replace(WebhookHost.ReadFixture("phonecall-create-rep-collision.json"), "\"\\/Date(1772532000000)\\/\"", scheduledStart);

        var response = await host.PostAsync(body);

        // Without a start the call is not a planned one, so it cannot double-book the other rep's meeting: the collision
        // with the customer that rep is working is flagged, not blocked.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("flag", json.GetProperty("verdict").GetString());
        var finding = json.GetProperty("records")[0].GetProperty("findings")[0];
        Assert.Equal("rep-collision", finding.GetProperty("rule").GetString());
        Assert.False(finding.GetProperty("notChecked").GetBoolean());
    }

    [Fact]
    public async Task CorrelationIdWithLineBreaks_AnsweredAndLoggedOnOneLine_AndStillBlocks()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Json.Set(ExistingCustomer(), "CorrelationId", "\"5d2c7a3e\\r\\n2026-03-02 09:00:00 INFO crmguard: allowed\\u2028\\u0085\\u001b[2J\"");

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        var correlation = json.GetProperty("correlationId").GetString();
        AssertOneLine(correlation);
        Assert.StartsWith("5d2c7a3e", correlation);
        AssertOneLine(json.GetProperty("event").GetString());
    }

    [Theory]
    [InlineData("MessageName", "\"Assign\\n2026-03-02 INFO fake line\"")]
    [InlineData("PrimaryEntityName", "\"opportunity\\r\\nERROR fake line\\u2029\"")]
    public async Task NameWithLineBreaks_SkippedWithAReasonOnOneLine(string property, string value)
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Json.Set(ExistingCustomer(), property, value);

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("skipped", json.GetProperty("verdict").GetString());
        AssertOneLine(json.GetProperty("reason").GetString());
        Assert.Contains("fake line", json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task HugeNameWithLineBreaks_ReasonQuotesABoundedEscapedPart()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Json.Set(ExistingCustomer(), "MessageName", JsonSerializer.Serialize("Assign\n" + new string('x', 5000)));

        var response = await host.PostAsync(body);

        var reason = (await WebhookHost.JsonAsync(response)).GetProperty("reason").GetString();
        AssertOneLine(reason);
        Assert.True(reason!.Length < 400, reason);
    }

    [Fact]
    public async Task PartyWithLineBreakInLogicalNameAndWrongPartyId_400NamesTheFieldOnOneLine()
    {
        await using var host = await WebhookHost.StartAsync();
        var root = JsonNode.Parse(WebhookHost.ReadFixture("phonecall-create-rep-collision.json"))!;
        var to = root["InputParameters"]![0]!["value"]!["Attributes"]!.AsArray().Single(a => (string?)a!["key"] == "to")!;
        var party = to["value"]!["Entities"]![0]!;
        party["LogicalName"] = "activityparty\r\n2026-03-02 INFO fake line";
        party["Attributes"]![0]!["value"] = "not a reference";

        var response = await host.PostAsync(root.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("phonecall.to[0].partyid", json.GetProperty("field").GetString()); // mapped names and an index, never the sender's text
        AssertOneLine(json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task BadOperationCreatedOn_400QuotesAtMost64CharactersEscaped()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = Json.Set(ExistingCustomer(), "OperationCreatedOn", JsonSerializer.Serialize("yesterday\r\nINFO fake line " + new string('x', 5000)));

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("OperationCreatedOn", json.GetProperty("field").GetString());
        var error = json.GetProperty("error").GetString()!;
        AssertOneLine(error);
        Assert.Contains("\"yesterday\\r\\nINFO fake line xxx", error);
        Assert.True(error.Length < 64 + 120, error);
    }
}
