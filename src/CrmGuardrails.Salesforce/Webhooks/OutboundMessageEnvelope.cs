using System.Xml;
using System.Xml.Linq;
using CrmGuardrails.Hosting;

namespace CrmGuardrails.Salesforce.Webhooks;

/// <summary>One <c>Notification</c> of an Outbound Message: its id and the record's fields.</summary>
/// <param name="Id">The notification id: "use this ID to track notifications that have already been processed" (the WSDL page).</param>
/// <param name="SObjectType">The record's object, from <c>sObject xsi:type="sf:Lead"</c>.</param>
/// <param name="Fields">The fields the Outbound Message sends, by API name; <see langword="null"/> for <c>xsi:nil="true"</c>.</param>
internal sealed record OutboundNotification(string Id, string SObjectType, IReadOnlyDictionary<string, string?> Fields);

/// <summary>An Outbound Message as read.</summary>
internal sealed record OutboundMessage(string OrganizationId, string? ActionId, IReadOnlyList<OutboundNotification> Notifications);

/// <summary>
/// Reads the SOAP <c>notifications</c> envelope of an Outbound Message. Salesforce "Understanding the Outbound Messaging
/// WSDL":
/// <code>
/// &lt;element name="notifications"&gt; &lt;sequence&gt;
///   &lt;element name="OrganizationId" type="ent:ID" /&gt; &lt;element name="ActionId" type="ent:ID" /&gt;
///   &lt;element name="SessionId" type="xsd:string" nillable="true" /&gt; &lt;element name="EnterpriseUrl" type="xsd:string" /&gt;
///   &lt;element name="PartnerUrl" type="xsd:string" /&gt; &lt;element name="Notification" maxOccurs="100" type="tns:OpportunityNotification" /&gt;
/// </code>
/// in the namespace <c>http://soap.sforce.com/2005/09/outbound</c>, each Notification an <c>Id</c> and an
/// <c>sObject xsi:type="sf:Contact"</c> whose fields are in <c>urn:sobject.enterprise.soap.sforce.com</c>
/// (salesforce.md §2.6; ASP.NET WebHooks' test body <c>RequestBodies/Salesforce.xml</c>).
/// </summary>
/// <remarks>
/// XML from the network is read defensively: no DTD (a <c>DOCTYPE</c> is refused, so no entity expansion and no
/// external entity — XXE), no resolver, comments and processing instructions ignored, and at most as many characters as
/// the body has bytes. The endpoint caps the body's size before it gets here.
/// </remarks>
internal static class OutboundMessageEnvelope
{
    public const string SoapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string OutboundNamespace = "http://soap.sforce.com/2005/09/outbound";
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    public static OutboundMessage Read(ReadOnlyMemory<byte> body, int maxNotifications)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            MaxCharactersInDocument = Math.Max(1, body.Length),
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = true,
        };

        try
        {
            using var xml = XmlReader.Create(new MemoryStream(body.ToArray(), writable: false), settings);
            return ReadEnvelope(xml, maxNotifications);
        }
        catch (XmlException ex)
        {
            // The message of an XmlException may quote the body: only where it broke is said.
            var dtd = ex.Message.IndexOf("DTD", StringComparison.Ordinal) >= 0;
            throw new GuardEventFormatException(string.Empty, dtd
                ? "a DOCTYPE (DTD) is not allowed in an Outbound Message."
                : $"the body is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}).");
        }
    }

    private static OutboundMessage ReadEnvelope(XmlReader xml, int maxNotifications)
    {
        xml.MoveToContent();
        Expect(xml, SoapNamespace, "Envelope", "Envelope", "expected a SOAP 1.1 envelope (soapenv:Envelope).");
        if (!Child(xml))
            throw new GuardEventFormatException("Envelope.Body", "missing.");
        while (xml.NodeType == XmlNodeType.Element && !(xml.LocalName == "Body" && xml.NamespaceURI == SoapNamespace))
            xml.Skip();
        Expect(xml, SoapNamespace, "Body", "Envelope.Body", "missing.");
        if (!Child(xml))
            throw new GuardEventFormatException("notifications", "missing: the Body holds no notifications element.");
        Expect(xml, OutboundNamespace, "notifications", "notifications", $"expected the Outbound Message's notifications element (namespace {OutboundNamespace}).");

        string? organizationId = null, actionId = null;
        var notifications = new List<OutboundNotification>();
        if (Child(xml))
        {
            while (xml.NodeType == XmlNodeType.Element)
            {
                if (xml.NamespaceURI != OutboundNamespace)
                {
                    xml.Skip();
                    continue;
                }

                switch (xml.LocalName)
                {
                    case "OrganizationId":
                        organizationId = Once(organizationId, "OrganizationId", Text(xml, "OrganizationId"));
                        break;
                    case "ActionId":
                        actionId = Once(actionId, "ActionId", Text(xml, "ActionId"));
                        break;
                    case "Notification":
                        if (notifications.Count == maxNotifications)
                            throw new GuardEventFormatException("Notification", $"more than {maxNotifications} notifications in one message (the WSDL's maxOccurs is 100).");
                        notifications.Add(ReadNotification((XElement)XNode.ReadFrom(xml), $"Notification[{notifications.Count}]"));
                        break;
                    default:
                        // SessionId, EnterpriseUrl, PartnerUrl: not needed, never kept (the session id is a credential).
                        xml.Skip();
                        break;
                }
            }
        }

        if (organizationId is null)
            throw new GuardEventFormatException("notifications.OrganizationId", "missing.");
        if (!WebhookIds.IsId(organizationId))
            throw new GuardEventFormatException("notifications.OrganizationId", $"'{WebhookIds.Quote(organizationId)}' is not a 15- or 18-character organization id.");
        if (notifications.Count == 0)
            throw new GuardEventFormatException("notifications.Notification", "missing: the message holds no notification.");
        return new OutboundMessage(organizationId, actionId, notifications);
    }

    private static OutboundNotification ReadNotification(XElement notification, string path)
    {
        var idElement = Single(notification, XName.Get("Id", OutboundNamespace), path + ".Id");
        var id = idElement.Value.Trim();
        if (!WebhookIds.IsId(id))
            throw new GuardEventFormatException(path + ".Id", $"'{WebhookIds.Quote(id)}' is not a 15- or 18-character notification id.");
        var sObject = Single(notification, XName.Get("sObject", OutboundNamespace), path + ".sObject");
        var type = (string?)sObject.Attribute(XName.Get("type", XsiNamespace));
        if (type is null)
            throw new GuardEventFormatException(path + ".sObject", "missing xsi:type (the object, as in xsi:type=\"sf:Lead\").");
        var colon = type.IndexOf(':');
        var sObjectType = colon >= 0 ? type.Substring(colon + 1) : type;
        if (!WebhookIds.IsApiName(sObjectType))
            throw new GuardEventFormatException(path + ".sObject", $"xsi:type '{WebhookIds.Quote(type)}' is not an object's API name.");

        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in sObject.Elements())
        {
            var name = element.Name.LocalName;
            if (element.HasElements)
                continue; // a relationship: not sent for the object's own fields, and nothing the reader reads.
            if (fields.ContainsKey(name))
                throw new GuardEventFormatException($"{path}.sObject.{WebhookIds.Quote(name)}", "sent twice.");
            var nil = (string?)element.Attribute(XName.Get("nil", XsiNamespace));
            fields[name] = string.Equals(nil, "true", StringComparison.Ordinal) ? null : element.Value;
        }

        return new OutboundNotification(id, sObjectType, fields);
    }

    private static XElement Single(XElement parent, XName name, string path)
    {
        using var matches = parent.Elements(name).GetEnumerator();
        if (!matches.MoveNext())
            throw new GuardEventFormatException(path, "missing.");
        var first = matches.Current;
        if (matches.MoveNext())
            throw new GuardEventFormatException(path, "sent twice.");
        return first;
    }

    private static void Expect(XmlReader xml, string ns, string localName, string path, string problem)
    {
        if (xml.NodeType != XmlNodeType.Element || xml.LocalName != localName || xml.NamespaceURI != ns)
            throw new GuardEventFormatException(path, problem);
    }

    /// <summary>Moves into an element's first child element; <see langword="false"/> when it has none.</summary>
    private static bool Child(XmlReader xml)
    {
        if (xml.IsEmptyElement)
            return false;
        xml.Read();
        while (xml.NodeType is not (XmlNodeType.Element or XmlNodeType.EndElement or XmlNodeType.None))
            xml.Read();
        return xml.NodeType == XmlNodeType.Element;
    }

    private static string Text(XmlReader xml, string path)
    {
        var nil = xml.GetAttribute("nil", XsiNamespace) == "true";
        try
        {
            var text = xml.ReadElementContentAsString().Trim();
            return nil ? string.Empty : text;
        }
        catch (XmlException)
        {
            throw new GuardEventFormatException($"notifications.{path}", "expected text, found elements.");
        }
    }

    private static string Once(string? existing, string path, string value) =>
        existing is null ? value : throw new GuardEventFormatException($"notifications.{path}", "sent twice.");
}
