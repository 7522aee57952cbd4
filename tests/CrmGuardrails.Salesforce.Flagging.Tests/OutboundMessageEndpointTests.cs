using System.Net;
using System.Text;
using System.Xml.Linq;
using CrmGuardrails.Hosting;
using Moq;

namespace CrmGuardrails.Salesforce.Flagging.Tests;

/// <summary>Outbound Messages over real HTTP: the ack only for what was recorded, SOAP faults with clear 4xx for bad calls, never a 500.</summary>
public sealed class OutboundMessageEndpointTests
{
    private static string LeadForExistingCustomer(string notificationId = "04l5g00005286hAAAQ") =>
        OutboundMessages.Envelope(Ids.Org, OutboundMessages.LeadCreate(notificationId, "00Q5g00000NEWLD001", "Contoso Pharmaceuticals", "kim@contoso-pharma.co.uk"));

    [Fact]
    public async Task LeadCreate_ExistingCustomer_FlagWritten_AndAckIsTheSalesforceSample()
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer);

        var response = await host.PostOutboundAsync(LeadForExistingCustomer());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await Soap.ReadAsync(response);
        Assert.True(Soap.SameXml(XDocument.Load(FlagHost.Fixture("samples/outbound-message-ack.aspnet-webhooks.xml")), answer));
        var outcome = writer.Latest["00Q5g00000NEWLD001"];
        // After the save nothing can be refused: the block verdict is written as the record's flag.
        Assert.Equal("block", outcome.Flag);
        Assert.Contains("existing-customer", outcome.Rules);
        Assert.Equal("04l5g00005286hAAAQ", outcome.Request.CorrelationId);
        Assert.Equal(Ids.Jon, outcome.Request.UserId);
        Assert.Equal("Lead", outcome.Table);
        Assert.Contains(new RecordRef(RecordKind.Lead, "00Q5g00000NEWLD001"), writer.Events.Single().Reread);
    }

    [Fact]
    public async Task TaskCreate_OtherRepsOpenMeetingWithSameLead_RepCollisionFlagged()
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer);

        var response = await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org, OutboundMessages.TaskCreate("04l5g00005286hBBBQ", "00T5g00000CALLA001", Ids.Omar)));

        Assert.True(Soap.IsAck(await Soap.ReadAsync(response)));
        var outcome = writer.Latest["00T5g00000CALLA001"];
        Assert.Equal("rep-collision", outcome.Result.Findings[0].RuleId);
        Assert.Equal(Ids.Discovery, outcome.Result.Findings[0].Collision!.Record.Id);
        Assert.Equal("Task", outcome.Table);
    }

    [Fact]
    public async Task WriterFails_SoapFault503_NotAcknowledged_SoSalesforceRetries()
    {
        var writer = new RecordingWriter { Failing = 1 };
        await using var host = await FlagHost.StartAsync(writer);

        var response = await host.PostOutboundAsync(LeadForExistingCustomer());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var answer = await Soap.ReadAsync(response);
        Assert.False(Soap.IsAck(answer));
        var fault = Soap.Fault(answer)!.Value;
        Assert.Equal("soapenv:Server", fault.Code);
        Assert.Contains("1 write(s) failed", fault.Reason);
    }

    [Fact]
    public async Task WriterThrows_SoapFault503_Never500()
    {
        var writer = new Mock<IGuardOutcomeWriter>();
        writer.Setup(w => w.WriteAsync(It.IsAny<GuardEvent>(), It.IsAny<IReadOnlyList<GuardOutcome>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("503 from the org"));
        await using var host = await FlagHost.StartAsync(writer.Object);

        var response = await host.PostOutboundAsync(LeadForExistingCustomer());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("soapenv:Server", Soap.Fault(await Soap.ReadAsync(response))!.Value.Code);
    }

    [Fact]
    public async Task OrgDown_NotChecked_WrittenButNotAcknowledged_SoTheCheckIsRepeated()
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer, new DownDirectory());

        var response = await host.PostOutboundAsync(LeadForExistingCustomer());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("not checked", Soap.Fault(await Soap.ReadAsync(response))!.Value.Reason);
        Assert.Equal("not-checked", writer.Latest["00Q5g00000NEWLD001"].Flag);
    }

    [Fact]
    public async Task Redelivery_SameOutcome_AckedEachTime()
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer);
        var message = LeadForExistingCustomer();

        var first = await host.PostOutboundAsync(message);
        var firstOutcome = writer.Latest["00Q5g00000NEWLD001"];
        var second = await host.PostOutboundAsync(message);

        Assert.True(Soap.IsAck(await Soap.ReadAsync(first)));
        Assert.True(Soap.IsAck(await Soap.ReadAsync(second)));
        Assert.Single(writer.Latest);
        var again = writer.Latest["00Q5g00000NEWLD001"];
        Assert.Equal((firstOutcome.Flag, firstOutcome.Rules, firstOutcome.Request.CorrelationId), (again.Flag, again.Rules, again.Request.CorrelationId));
    }

    [Fact]
    public async Task SaveByIntegrationUser_AckedWithoutCheckOrWrite_NoEchoLoop()
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer);

        var response = await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org,
            OutboundMessages.LeadCreate("04l5g00005286hAAAQ", "00Q5g00000NEWLD001", "Contoso Pharmaceuticals", userId: Ids.Integration)));

        Assert.True(Soap.IsAck(await Soap.ReadAsync(response)));
        Assert.Equal(0, writer.Calls);
    }

    [Fact]
    public async Task ObjectNotChecked_Acked()
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer);
        var opportunity = new OutboundMessages.Notification("04l5g00005286hCCCQ", "Opportunity", [("Id", "0065g00000OPPTY001"), ("LastModifiedById", Ids.Jon)]);

        var response = await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org, opportunity));

        Assert.True(Soap.IsAck(await Soap.ReadAsync(response)));
        Assert.Equal(0, writer.Calls);
    }

    [Theory]
    [InlineData("Lead")]
    [InlineData("Task")]
    [InlineData("Event")]
    public async Task TheDocumentedFieldList_IsEnoughToCheckAndAcknowledge(string sObject)
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer);
        var id = sObject switch { "Lead" => "00Q5g00000FIELD001", "Task" => "00T5g00000FIELD001", _ => "00U5g00000FIELD001" };
        var values = new Dictionary<string, string?>
        {
            ["Id"] = id, ["LastModifiedById"] = Ids.Ade, ["CreatedDate"] = "2026-03-02T10:00:00.000Z", ["LastModifiedDate"] = "2026-03-02T10:00:00.000Z",
            ["WhoId"] = Ids.Omar, ["Company"] = "Proseware", ["Email"] = "omar@proseware.io", ["StartDateTime"] = "2026-03-03T14:30:00.000Z",
        };
        var fields = Webhooks.SalesforceOutboundMessageReader.RequiredFields
            .Concat(SalesforceRecordReader.Default.FieldsOf(sObject).Where(f => !f.Contains('.', StringComparison.Ordinal)))
            .Distinct().Select(f => (f, values.GetValueOrDefault(f))).ToList();

        var response = await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org, new OutboundMessages.Notification("04l5g00005286hFLDQ", sObject, fields)));

        Assert.True(Soap.IsAck(await Soap.ReadAsync(response)));
        Assert.NotNull(writer.Latest[id].Flag);
    }

    [Fact]
    public async Task MissingKey_401ClientFault_BodyNotRead()
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter());

        var response = await host.PostOutboundAsync("<not read", key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var fault = Soap.Fault(await Soap.ReadAsync(response))!.Value;
        Assert.Equal("soapenv:Client", fault.Code);
        Assert.Contains("missing shared key", fault.Reason);
    }

    [Fact]
    public async Task WrongKey_401()
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter());

        var response = await host.PostOutboundAsync(LeadForExistingCustomer(), key: "not-the-key-not-the-key-not-the");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task JsonContentType_400NamingTheExpectedType()
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter());

        var response = await host.PostOutboundAsync("{}", contentType: "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("text/xml", Soap.Fault(await Soap.ReadAsync(response))!.Value.Reason);
    }

    [Fact]
    public async Task Oversized_413()
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter(), endpoint: o => o.MaxBodyBytes = 4096);
        var notifications = Enumerable.Range(0, 40).Select(i => OutboundMessages.LeadCreate($"04l5g0000528{i:D4}AQ", $"00Q5g00000NEW{i:D4}1", "Contoso")).ToArray();

        var response = await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org, notifications));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit", Soap.Fault(await Soap.ReadAsync(response))!.Value.Reason);
    }

    [Fact]
    public async Task ExternalEntity_XXE_Refused400_NothingResolved()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"crmguard-xxe-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(secret, "SECRET-CONTENT");
        try
        {
            await using var host = await FlagHost.StartAsync(new RecordingWriter());
            var body = LeadForExistingCustomer().Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file://{secret}\">]>\n", StringComparison.Ordinal)
                .Replace("Contoso Pharmaceuticals", "&xxe;", StringComparison.Ordinal);

            var response = await host.PostOutboundAsync(body);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Contains("DOCTYPE", text);
            Assert.DoesNotContain("SECRET-CONTENT", text);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task BillionLaughs_Refused400()
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter());
        var body = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>&lol2;</soapenv:Body></soapenv:Envelope>";

        var response = await host.PostOutboundAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'><soapenv:Body><notifications", "", "not well-formed XML (line 1")]
    [InlineData("<Envelope/>", "Envelope", "SOAP 1.1 envelope")]
    [InlineData("<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'><soapenv:Body><other/></soapenv:Body></soapenv:Envelope>", "notifications", "notifications element")]
    [InlineData("<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'><soapenv:Body><notifications xmlns='http://soap.sforce.com/2005/09/outbound'><Notification><Id>04l5g00005286hAAAQ</Id></Notification></notifications></soapenv:Body></soapenv:Envelope>", "Notification[0].sObject", "missing")]
    public async Task Malformed_400FaultNamingTheField(string body, string field, string problem)
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter());

        var response = await host.PostOutboundAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fault = Soap.Fault(await Soap.ReadAsync(response))!.Value;
        Assert.Equal("soapenv:Client", fault.Code);
        Assert.StartsWith(field, fault.Reason, StringComparison.Ordinal);
        Assert.Contains(problem, fault.Reason);
    }

    [Fact]
    public async Task OtherOrganization_400NamingOrganizationId()
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer);

        var response = await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.OtherOrg, OutboundMessages.LeadCreate("04l5g00005286hAAAQ", "00Q5g00000NEWLD001", "Contoso")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("notifications.OrganizationId", Soap.Fault(await Soap.ReadAsync(response))!.Value.Reason, StringComparison.Ordinal);
        Assert.Equal(0, writer.Calls);
    }

    [Fact]
    public async Task FifteenCharacterOrgIdOfTheSameOrg_Accepted()
    {
        var writer = new RecordingWriter();
        await using var host = await FlagHost.StartAsync(writer);

        var response = await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org[..15], OutboundMessages.LeadCreate("04l5g00005286hAAAQ", "00Q5g00000NEWLD001", "Contoso Pharmaceuticals")));

        Assert.True(Soap.IsAck(await Soap.ReadAsync(response)));
    }

    [Fact]
    public async Task MissingLastModifiedById_400TellsTheAdminWhatToAdd()
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter());
        var lead = new OutboundMessages.Notification("04l5g00005286hAAAQ", "Lead", [("Id", "00Q5g00000NEWLD001"), ("Company", "Contoso")]);

        var response = await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org, lead));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var reason = Soap.Fault(await Soap.ReadAsync(response))!.Value.Reason;
        Assert.StartsWith("Notification[0].sObject.LastModifiedById", reason, StringComparison.Ordinal);
        Assert.Contains("add LastModifiedById", reason);
    }

    [Fact]
    public async Task MoreThan100Notifications_400()
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter(), endpoint: o => o.MaxBodyBytes = 4 * 1024 * 1024);
        var notifications = Enumerable.Range(0, 101).Select(i => OutboundMessages.LeadCreate($"04l5g0000528{i:D4}AQ", $"00Q5g00000NEW{i:D4}1", "Contoso")).ToArray();

        var response = await host.PostOutboundAsync(OutboundMessages.Envelope(Ids.Org, notifications));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 100", Soap.Fault(await Soap.ReadAsync(response))!.Value.Reason);
    }

    [Fact]
    public async Task FaultAnswer_HasTheShapeOfTheSalesforceFaultTemplate()
    {
        await using var host = await FlagHost.StartAsync(new RecordingWriter());

        var answer = await Soap.ReadAsync(await host.PostOutboundAsync("<x/>", key: null));

        var template = XDocument.Parse(File.ReadAllText(FlagHost.Fixture("samples/outbound-message-fault-template.aspnet-webhooks.xml"), Encoding.UTF8)
            .Replace("{0}", "missing shared key: send it in the query parameter 'code' or the header 'x-functions-key'.", StringComparison.Ordinal));
        Assert.True(Soap.SameXml(template, answer));
    }
}
