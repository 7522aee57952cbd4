namespace CrmGuardrails.AspNetCore;

/// <summary>What a webhook endpoint reads and answers: the protocol of the CRM that calls it.</summary>
/// <remarks>The numbers are public API and are never renumbered.</remarks>
public enum WebhookResponseFormat
{
    /// <summary>
    /// A JSON body in, a JSON verdict out (Dataverse webhooks, Salesforce Flow HTTP callouts): 200 with the verdict, the
    /// block status for a blocked save the CRM waits for, a JSON <c>error</c> naming the field for a bad call.
    /// </summary>
    Json = 0,

    /// <summary>
    /// A Salesforce Outbound Message (a SOAP <c>notifications</c> envelope, <c>text/xml</c>) in, a SOAP answer out:
    /// <c>&lt;Ack&gt;true&lt;/Ack&gt;</c> only when every notification was checked and its outcome written back, a SOAP
    /// fault otherwise — Salesforce retries what is not acknowledged, so nothing unrecorded is lost.
    /// </summary>
    SalesforceOutboundMessage = 1,
}
