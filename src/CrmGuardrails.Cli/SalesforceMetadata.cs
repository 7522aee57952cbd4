using System.Security;
using System.Text;
using CrmGuardrails.Salesforce;
using Schema = CrmGuardrails.Salesforce.SalesforceSchema;

namespace CrmGuardrails.Cli;

/// <summary>
/// The SFDX source folder (<c>sf project deploy start</c>) an admin deploys for the package: the custom fields and
/// object of <see cref="SalesforceSchema"/>, an Outbound Message for Lead, Task and Event, and inactive record-triggered
/// Flow skeletons that send them on their asynchronous path (Flows "call out only on their asynchronous path",
/// salesforce.md §9). Custom fields of Task and Event are defined on <c>Activity</c>, which both share.
/// </summary>
internal static class SalesforceMetadata
{
    private const string ApiVersion = "62.0";
    private const string Ns = "http://soap.sforce.com/2006/04/metadata";

    public static IReadOnlyList<(string Path, string Content)> Files(Uri endpoint, string integrationUser)
    {
        var files = new List<(string, string)>
        {
            ("sfdx-project.json", "{\n  \"packageDirectories\": [{ \"path\": \"force-app\", \"default\": true }],\n  \"name\": \"crmguardrails\",\n  \"sourceApiVersion\": \"" + ApiVersion + "\"\n}\n"),
        };
        void Field(string sObject, string name, string label, string type, string extra, string description) =>
            files.Add(($"force-app/main/default/objects/{sObject}/fields/{name}.field-meta.xml", Xml("CustomField", $"<fullName>{name}</fullName>\n    <label>{label}</label>\n    <description>{Escape(description)}</description>\n    <type>{type}</type>\n{extra}")));

        foreach (var sObject in new[] { Schema.Lead.Object, "Activity" })
        {
            Field(sObject, Schema.Flags.Verdict, "CrmGuardrails verdict", "Text", "    <length>20</length>\n", "block, flag or not-checked, written by CrmGuardrails after a check; empty when allowed.");
            Field(sObject, Schema.Flags.Rule, "CrmGuardrails rules", "Text", "    <length>255</length>\n", "The ids of the rules that fired, strongest first.");
            Field(sObject, Schema.Flags.Reason, "CrmGuardrails reason", "LongTextArea", "    <length>32768</length>\n    <visibleLines>3</visibleLines>\n", "Why, as shown to the user.");
            Field(sObject, Schema.Flags.CheckedOn, "CrmGuardrails checked on", "DateTime", string.Empty, "When CrmGuardrails checked the record.");
        }

        Field("Activity", Schema.Flags.Reschedules, "CrmGuardrails reschedules", "Number", "    <precision>4</precision>\n    <scale>0</scale>\n", "How often the activity's start was moved.");
        Field("Activity", Schema.Flags.NotificationKey, "CrmGuardrails notification key", "Text", "    <length>45</length>\n    <externalId>true</externalId>\n    <unique>true</unique>\n    <caseSensitive>true</caseSensitive>\n",
            "Makes a CrmGuardrails notification task an upsert: a repeated delivery tells no one twice.");
        Field(Schema.Account.Object, Schema.Account.Email, "Email (CrmGuardrails)", "Email", string.Empty, "The account's general email; Account has no email field of its own.");
        Field(Schema.Contact.Object, Schema.Contact.Inactive, "Left the company", "Checkbox", "    <defaultValue>false</defaultValue>\n", "A contact who left: never among an account's contacts for CrmGuardrails.");

        files.Add(($"force-app/main/default/objects/{Schema.MatchKey.Object}/{Schema.MatchKey.Object}.object-meta.xml", Xml("CustomObject",
            "<label>CrmGuardrails match key</label>\n    <pluralLabel>CrmGuardrails match keys</pluralLabel>\n    <description>One stored match key of an account, contact or open lead: Website and Phone are not indexed, these keys are (External Ids).</description>\n" +
            "    <nameField>\n        <label>Key number</label>\n        <type>AutoNumber</type>\n        <displayFormat>K-{0000000000}</displayFormat>\n    </nameField>\n" +
            "    <deploymentStatus>Deployed</deploymentStatus>\n    <sharingModel>ReadWrite</sharingModel>\n")));
        Field(Schema.MatchKey.Object, Schema.MatchKey.Key, "Key", "Text", "    <length>16</length>\n    <externalId>true</externalId>\n    <required>true</required>\n", "The stored key (StoredMatchKeys; its first character is the format version): exact lookups use its index.");
        Field(Schema.MatchKey.Object, Schema.MatchKey.RecordId, "Record id", "Text", "    <length>18</length>\n    <externalId>true</externalId>\n    <required>true</required>\n", "The account, contact or lead holding the key.");
        Field(Schema.MatchKey.Object, Schema.MatchKey.AccountId, "Account id", "Text", "    <length>18</length>\n", "For a contact's keys, its account.");
        Field(Schema.MatchKey.Object, Schema.MatchKey.UniqueKey, "Key and record", "Text", "    <length>40</length>\n    <externalId>true</externalId>\n    <unique>true</unique>\n    <caseSensitive>true</caseSensitive>\n    <required>true</required>\n",
            "Key:record id, unique: the upsert key that makes writing keys safe to repeat.");

        var reader = SalesforceRecordReader.Default;
        foreach (var sObject in new[] { Schema.Lead.Object, Schema.Task.Object, Schema.Event.Object })
        {
            var message = $"CrmG_{sObject}_Guard";
            // What the rules read, and what the endpoint needs to tell who saved and when (a message without it is refused).
            var fields = reader.FieldsOf(sObject).Where(f => !f.Contains('.', StringComparison.Ordinal)).Concat(CrmGuardrails.Salesforce.Webhooks.SalesforceOutboundMessageReader.RequiredFields).Distinct().ToList();
            var body = new StringBuilder("<outboundMessages>\n");
            body.Append("        <fullName>").Append(message).Append("</fullName>\n        <apiVersion>").Append(ApiVersion).Append("</apiVersion>\n");
            body.Append("        <description>Sends the saved ").Append(sObject).Append(" to CrmGuardrails, which flags it and tells whom it concerns.</description>\n");
            body.Append("        <endpointUrl>").Append(Escape(endpoint.ToString())).Append("</endpointUrl>\n");
            foreach (var field in fields)
                body.Append("        <fields>").Append(field).Append("</fields>\n");
            body.Append("        <includeSessionId>false</includeSessionId>\n        <integrationUser>").Append(Escape(integrationUser)).Append("</integrationUser>\n");
            body.Append("        <name>").Append(message.Replace('_', ' ')).Append("</name>\n        <protected>false</protected>\n        <useDeadLetterQueue>false</useDeadLetterQueue>\n    </outboundMessages>\n");
            files.Add(($"force-app/main/default/workflows/{sObject}.workflow-meta.xml", Xml("Workflow", body.ToString())));
            files.Add(($"force-app/main/default/flows/CrmG_{sObject}_After_Save.flow-meta.xml", Xml("Flow",
                $"<apiVersion>{ApiVersion}</apiVersion>\n    <label>CrmGuardrails {sObject} after save</label>\n" +
                $"    <description>Skeleton: sends every created or changed {sObject} to CrmGuardrails on the asynchronous path (a flow may call out only there). Review the entry conditions, then activate.</description>\n" +
                "    <processType>AutoLaunchedFlow</processType>\n" +
                "    <actionCalls>\n        <name>Send_to_CrmGuardrails</name>\n        <label>Send to CrmGuardrails</label>\n        <locationX>176</locationX>\n        <locationY>335</locationY>\n" +
                $"        <actionName>{sObject}.{message}</actionName>\n        <actionType>outboundMessage</actionType>\n" +
                "        <inputParameters>\n            <name>recordId</name>\n            <value>\n                <elementReference>$Record.Id</elementReference>\n            </value>\n        </inputParameters>\n    </actionCalls>\n" +
                "    <start>\n        <locationX>50</locationX>\n        <locationY>0</locationY>\n" +
                $"        <object>{sObject}</object>\n        <recordTriggerType>CreateAndUpdate</recordTriggerType>\n        <triggerType>RecordAfterSave</triggerType>\n" +
                "        <scheduledPaths>\n            <connector>\n                <targetReference>Send_to_CrmGuardrails</targetReference>\n            </connector>\n            <pathType>AsyncAfterCommit</pathType>\n        </scheduledPaths>\n    </start>\n" +
                "    <status>Draft</status>\n")));
        }

        return files;
    }

    private static string Xml(string type, string body) => $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{type} xmlns=\"{Ns}\">\n    {body.TrimEnd()}\n</{type}>\n";

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
