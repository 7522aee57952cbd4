using System.Globalization;
using System.Text;
using System.Xml;
using CrmGuardrails.Hosting;
using Microsoft.AspNetCore.Http;

namespace CrmGuardrails.AspNetCore;

/// <summary>
/// Answers a Salesforce Outbound Message. Salesforce "Understanding Notifications": a message is retried "with
/// exponentially increasing interval" for 24 hours until the listener answers <c>notificationsResponse</c> with
/// <c>&lt;Ack&gt;true&lt;/Ack&gt;</c>; "if there are multiple notifications, acknowledge all of them in the message"
/// (OM-N, ../shared/docs/platform/salesforce.md §2.6). A SOAP fault or any other body is "not delivered" and retried
/// (ASP.NET WebHooks' Salesforce receiver, FaultResponse.xml). So the ack is given only once everything is recorded.
/// </summary>
internal sealed class SalesforceOutboundMessageResponder : WebhookResponder
{
    public static readonly SalesforceOutboundMessageResponder Instance = new();

    private const string SoapEnvelope = "http://schemas.xmlsoap.org/soap/envelope/";
    private const string ContentType = "text/xml; charset=utf-8";

    // samples/salesforce/outbound-message-ack.aspnet-webhooks.xml, the answer Salesforce takes as delivered.
    private static readonly byte[] Ack = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n" +
        " <soapenv:Body>\n" +
        "  <notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\">\n" +
        "   <Ack>true</Ack>\n" +
        "  </notificationsResponse>\n" +
        " </soapenv:Body>\n" +
        "</soapenv:Envelope>\n");

    /// <summary>Salesforce sends <c>text/xml; charset=utf-8</c> (SOAP 1.1); <c>application/xml</c> and <c>application/soap+xml</c> are taken too.</summary>
    public override string ExpectedMediaType => "text/xml";

    public override bool Accepts(string? contentType) => MediaTypeIs(contentType, mediaType =>
        mediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase) ||
        mediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase) ||
        mediaType.Equals("application/soap+xml", StringComparison.OrdinalIgnoreCase));

    /// <summary>A bad call is the sender's fault (<c>soapenv:Client</c>) with its own 4xx status: Salesforce retries it too, and the admin sees the reason in the outbound message queue.</summary>
    public override Task ErrorAsync(HttpContext http, int status, string error, string? field) =>
        FaultAsync(http, status, "soapenv:Client", string.IsNullOrEmpty(field) || error.StartsWith(field, StringComparison.Ordinal) ? error : $"{field}: {error}");

    /// <summary>A message the guards do not check (a save the SDK made itself, an object not checked) is done: acknowledged, so it is not sent again.</summary>
    public override Task SkippedAsync(HttpContext http, GuardEvent saveEvent) => WriteAsync(http, StatusCodes.Status200OK, ContentType, Ack);

    public override Task CheckedAsync(HttpContext http, CheckedCall call)
    {
        if (call.Recorded)
            return WriteAsync(http, StatusCodes.Status200OK, ContentType, Ack);

        // Not a 500 (the endpoint never answers one): 503 says "try again", which is what a fault makes Salesforce do.
        var notChecked = call.Records.Count(r => r.Outcome is null || r.Result.Findings.Any(f => f.NotChecked));
        var written = call.Written ?? default;
        var reason = string.Format(CultureInfo.InvariantCulture,
            "not recorded: {0} of {1} notification record(s) not checked, {2} write(s) failed; Salesforce will send the message again.",
            notChecked, call.Records.Count, written.Failed);
        return FaultAsync(http, StatusCodes.Status503ServiceUnavailable, "soapenv:Server", reason);
    }

    public override Task FailedAsync(HttpContext http, bool blocks, int blockStatus) =>
        FaultAsync(http, StatusCodes.Status503ServiceUnavailable, "soapenv:Server", "not recorded: the guard service failed; Salesforce will send the message again.");

    /// <summary>The fault of samples/salesforce/outbound-message-fault-template.aspnet-webhooks.xml, its text escaped by the XML writer.</summary>
    private static Task FaultAsync(HttpContext http, int status, string code, string reason)
    {
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("soapenv", "Envelope", SoapEnvelope);
            xml.WriteAttributeString("xmlns", "xsd", null, "http://www.w3.org/2001/XMLSchema");
            xml.WriteAttributeString("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
            xml.WriteStartElement("soapenv", "Body", SoapEnvelope);
            xml.WriteStartElement("soapenv", "Fault", SoapEnvelope);
            xml.WriteElementString("faultcode", code);
            xml.WriteElementString("faultstring", reason);
            xml.WriteStartElement("detail");
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return WriteAsync(http, status, ContentType, stream.ToArray());
    }
}
