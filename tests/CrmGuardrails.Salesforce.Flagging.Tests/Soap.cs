using System.Xml.Linq;

namespace CrmGuardrails.Salesforce.Flagging.Tests;

/// <summary>Reads the endpoint's SOAP answers.</summary>
internal static class Soap
{
    public static readonly XNamespace Envelope = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace Outbound = "http://soap.sforce.com/2005/09/outbound";

    public static async Task<XDocument> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    public static bool IsAck(XDocument answer) =>
        (string?)answer.Root?.Element(Envelope + "Body")?.Element(Outbound + "notificationsResponse")?.Element(Outbound + "Ack") == "true";

    public static (string Code, string Reason)? Fault(XDocument answer) =>
        answer.Root?.Element(Envelope + "Body")?.Element(Envelope + "Fault") is { } fault
            ? ((string)fault.Element("faultcode")!, (string)fault.Element("faultstring")!)
            : null;

    /// <summary>The same XML, ignoring whitespace between elements and the declaration.</summary>
    public static bool SameXml(XDocument a, XDocument b) =>
        XNode.DeepEquals(Normalize(a.Root!), Normalize(b.Root!));

    private static XElement Normalize(XElement element) =>
        new(element.Name, element.Attributes().OrderBy(a => a.Name.ToString()),
            element.HasElements ? element.Elements().Select(Normalize) : (object)element.Value.Trim());
}
