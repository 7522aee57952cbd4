using System.Security;
using System.Text;

namespace CrmGuardrails.Salesforce.Flagging.Tests;

/// <summary>
/// Builds Outbound Messages in the shape of Salesforce's "Understanding the Outbound Messaging WSDL" (notifications:
/// OrganizationId, ActionId, SessionId nillable, EnterpriseUrl, PartnerUrl, Notification maxOccurs=100 with Id and
/// sObject xsi:type="sf:…" whose fields are in urn:sobject.enterprise.soap.sforce.com), as captured messages show it
/// (salesforce.md §2.6, ASP.NET WebHooks' RequestBodies/Salesforce.xml).
/// </summary>
internal static class OutboundMessages
{
    public sealed record Notification(string Id, string SObjectType, IReadOnlyList<(string Field, string? Value)> Fields);

    public static Notification LeadCreate(string notificationId, string leadId, string company, string? email = null, string userId = Ids.Jon, string when = "2026-03-02T10:00:00.000Z") =>
        new(notificationId, "Lead",
        [
            ("Id", leadId), ("CreatedDate", when), ("LastModifiedDate", when), ("LastModifiedById", userId), ("OwnerId", userId),
            ("FirstName", "Kim"), ("LastName", "Lee"), ("Company", company), ("Email", email), ("Status", "Open - Not Contacted"), ("IsConverted", "false"),
        ]);

    public static Notification TaskCreate(string notificationId, string taskId, string whoId, string userId = Ids.Ade, string when = "2026-03-02T10:00:00.000Z") =>
        new(notificationId, "Task",
        [
            ("Id", taskId), ("CreatedDate", when), ("LastModifiedDate", when), ("LastModifiedById", userId), ("OwnerId", userId),
            ("Subject", "Call"), ("TaskSubtype", "Call"), ("Status", "Not Started"), ("IsClosed", "false"), ("WhoId", whoId), ("ActivityDate", "2026-03-03"),
        ]);

    public static string Envelope(string organizationId, params Notification[] notifications)
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.Append("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n");
        xml.Append(" <soapenv:Body>\n  <notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">\n");
        xml.Append($"   <OrganizationId>{organizationId}</OrganizationId>\n   <ActionId>{Ids.Action}</ActionId>\n   <SessionId xsi:nil=\"true\"/>\n");
        xml.Append($"   <EnterpriseUrl>https://contoso.my.salesforce.com/services/Soap/c/62.0/{organizationId[..15]}</EnterpriseUrl>\n");
        xml.Append($"   <PartnerUrl>https://contoso.my.salesforce.com/services/Soap/u/62.0/{organizationId[..15]}</PartnerUrl>\n");
        foreach (var notification in notifications)
        {
            xml.Append($"   <Notification>\n    <Id>{notification.Id}</Id>\n");
            xml.Append($"    <sObject xsi:type=\"sf:{notification.SObjectType}\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">\n");
            foreach (var (field, value) in notification.Fields)
            {
                xml.Append(value is null ? $"     <sf:{field} xsi:nil=\"true\"/>\n" : $"     <sf:{field}>{SecurityElement.Escape(value)}</sf:{field}>\n");
            }

            xml.Append("    </sObject>\n   </Notification>\n");
        }

        xml.Append("  </notifications>\n </soapenv:Body>\n</soapenv:Envelope>\n");
        return xml.ToString();
    }
}
