namespace CrmGuardrails.Salesforce.Emulator;

/// <summary>The type of a field, as the emulated org stores and compares it.</summary>
public enum FieldType
{
    /// <summary>The record id.</summary>
    Id,

    /// <summary>A lookup (a record id).</summary>
    Reference,

    /// <summary>Text, email, url, phone, picklist: compared ignoring case, as SOQL does.</summary>
    Text,

    /// <summary>A checkbox.</summary>
    Boolean,

    /// <summary>A dateTime.</summary>
    DateTime,

    /// <summary>A date (midnight UTC).</summary>
    Date,

    /// <summary>A number.</summary>
    Number,
}

/// <summary>A field of an emulated object.</summary>
/// <param name="Name">The API name.</param>
/// <param name="Type">The type.</param>
/// <param name="Writable">Whether a create or update may set it.</param>
/// <param name="Required">Whether a create must set it.</param>
/// <param name="ExternalId">Whether it is an External Id (indexed; usable to upsert).</param>
public sealed record EmulatorField(string Name, FieldType Type, bool Writable = true, bool Required = false, bool ExternalId = false);

/// <summary>
/// The objects and fields of the emulated org: the standard fields the package reads (Object Reference, salesforce.md
/// §4) and the custom ones its metadata adds. A query or write naming anything else is refused as Salesforce refuses it.
/// </summary>
public sealed class EmulatorSchema
{
    private readonly Dictionary<string, Dictionary<string, EmulatorField>> _objects = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _prefixes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the objects' API names.</summary>
    public IEnumerable<string> Objects => _objects.Keys;

    /// <summary>
    /// Gets the Task statuses and whether each is closed: "each status implies IsClosed" (§4.3); the standard values, and
    /// a custom closed "Canceled" status.
    /// </summary>
    public Dictionary<string, bool> TaskStatuses { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Not Started"] = false, ["In Progress"] = false, ["Completed"] = true, ["Waiting on someone else"] = false, ["Deferred"] = false, ["Canceled"] = true,
    };

    /// <summary>Creates the default schema.</summary>
    /// <returns>The schema.</returns>
    public static EmulatorSchema CreateDefault()
    {
        var schema = new EmulatorSchema();
        EmulatorField Text(string name, bool required = false) => new(name, FieldType.Text, Required: required);
        EmulatorField Ref(string name) => new(name, FieldType.Reference);
        EmulatorField ReadOnly(string name, FieldType type) => new(name, type, Writable: false);
        var system = new[] { new EmulatorField("Id", FieldType.Id, Writable: false), ReadOnly("CreatedDate", FieldType.DateTime), ReadOnly("SystemModstamp", FieldType.DateTime) };

        schema.Add("Account", "001", system, Text("Name", required: true), Text("Website"), Text("Phone"), Text("BillingStreet"), Text("BillingCity"), Text("BillingPostalCode"), Text("BillingCountry"),
            Text("Type"), Ref("ParentId"), Ref("OwnerId"), Text("CrmG_Email__c"));
        schema.Add("Contact", "003", system, Text("FirstName"), Text("LastName", required: true), Text("Email"), Text("Phone"), Text("MobilePhone"), Ref("AccountId"), Ref("OwnerId"),
            new EmulatorField("CrmG_Inactive__c", FieldType.Boolean));
        schema.Add("Lead", "00Q", system, Text("FirstName"), Text("LastName", required: true), Text("Company", required: true), Text("Email"), Text("Phone"), Text("MobilePhone"), Text("Website"),
            Text("Street"), Text("City"), Text("PostalCode"), Text("Country"), Text("Status"), ReadOnly("IsConverted", FieldType.Boolean), Ref("OwnerId"),
            Text("CrmG_Flag__c"), Text("CrmG_FlagRule__c"), Text("CrmG_FlagReason__c"), new EmulatorField("CrmG_FlagCheckedOn__c", FieldType.DateTime));
        schema.Add("User", "005", system, ReadOnly("Name", FieldType.Text), Ref("ManagerId"));
        schema.Add("Group", "00G", system, ReadOnly("Name", FieldType.Text));
        schema.Add("AccountTeamMember", "01M", system, Ref("AccountId"), new EmulatorField("UserId", FieldType.Reference, Required: true), Text("TeamMemberRole"));
        var activity = new[]
        {
            Text("Subject"), Text("Description"), Text("Type"), Ref("WhoId"), Ref("WhatId"), ReadOnly("AccountId", FieldType.Reference), Ref("OwnerId"),
            Text("CrmG_Flag__c"), Text("CrmG_FlagRule__c"), Text("CrmG_FlagReason__c"), new EmulatorField("CrmG_FlagCheckedOn__c", FieldType.DateTime), new EmulatorField("CrmG_Reschedules__c", FieldType.Number),
        };
        schema.Add("Task", "00T", system.Concat(activity).ToArray(), Text("Status"), ReadOnly("IsClosed", FieldType.Boolean), new EmulatorField("ActivityDate", FieldType.Date), Text("TaskSubtype"),
            Text("CallType"), new EmulatorField("CrmG_NotificationKey__c", FieldType.Text, ExternalId: true));
        schema.Add("Event", "00U", system.Concat(activity).ToArray(), new EmulatorField("StartDateTime", FieldType.DateTime), new EmulatorField("EndDateTime", FieldType.DateTime),
            new EmulatorField("DurationInMinutes", FieldType.Number), Text("EventSubtype"));
        schema.Add("CrmG_MatchKey__c", "a00", system, new EmulatorField("CrmG_Key__c", FieldType.Text, Required: true, ExternalId: true), new EmulatorField("CrmG_RecordId__c", FieldType.Text, Required: true, ExternalId: true),
            Text("CrmG_AccountId__c"), new EmulatorField("CrmG_UniqueKey__c", FieldType.Text, Required: true, ExternalId: true));
        return schema;
    }

    /// <summary>Adds an object.</summary>
    /// <param name="name">The API name.</param>
    /// <param name="prefix">The three-character key prefix of its ids.</param>
    /// <param name="common">Fields it shares with others.</param>
    /// <param name="fields">Its own fields.</param>
    public void Add(string name, string prefix, EmulatorField[] common, params EmulatorField[] fields)
    {
        _objects[name] = common.Concat(fields).ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        _prefixes[name] = prefix;
    }

    /// <summary>Removes a field (to emulate an org without the package's metadata).</summary>
    /// <param name="sObject">The object.</param>
    /// <param name="field">The field.</param>
    public void RemoveField(string sObject, string field) => _objects[sObject].Remove(field);

    /// <summary>Removes an object.</summary>
    /// <param name="sObject">The object.</param>
    public void RemoveObject(string sObject) => _objects.Remove(sObject);

    /// <summary>Tells whether the org has an object.</summary>
    /// <param name="sObject">The object.</param>
    /// <returns>Whether it has.</returns>
    public bool Has(string sObject) => _objects.ContainsKey(sObject);

    /// <summary>Gets a field, or <see langword="null"/>.</summary>
    /// <param name="sObject">The object.</param>
    /// <param name="field">The field.</param>
    /// <returns>The field.</returns>
    public EmulatorField? Field(string sObject, string field) =>
        _objects.TryGetValue(sObject, out var fields) && fields.TryGetValue(field, out var found) ? found : null;

    /// <summary>Gets an object's fields.</summary>
    /// <param name="sObject">The object.</param>
    /// <returns>The fields.</returns>
    public IReadOnlyCollection<EmulatorField> Fields(string sObject) => _objects[sObject].Values;

    /// <summary>Gets an object's canonical name.</summary>
    /// <param name="sObject">The object, in any case.</param>
    /// <returns>The name.</returns>
    public string CanonicalName(string sObject) => _objects.Keys.First(k => k.Equals(sObject, StringComparison.OrdinalIgnoreCase));

    /// <summary>Gets an object's key prefix.</summary>
    /// <param name="sObject">The object.</param>
    /// <returns>The prefix.</returns>
    public string PrefixOf(string sObject) => _prefixes[sObject];
}
