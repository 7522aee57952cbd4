namespace CrmGuardrails.Salesforce;

/// <summary>
/// The one place for the Salesforce objects and fields CrmGuardrails reads and writes: API names (as SOQL, the REST API,
/// Outbound Messages, Flow and Change Data Capture name them), the custom fields and the match-key object the package's
/// metadata adds (<c>crmguard salesforce metadata</c>), and the codes read from standard picklists.
/// </summary>
/// <remarks>
/// <para>
/// Sources: the Salesforce Object Reference and REST API guide as quoted in <c>docs/platform/salesforce.md</c> §3–4
/// (Lead, Account, Contact, Task, Event, AccountTeamMember). Custom names carry the <c>CrmG_</c> prefix and the
/// <c>__c</c> suffix Salesforce gives every custom field and object.
/// </para>
/// <para>
/// Every host path (query results, Outbound Message XML, Flow JSON, CDC Avro) names fields by these constants and reads
/// them through <see cref="SalesforceRecordReader"/>.
/// </para>
/// </remarks>
public static class SalesforceSchema
{
    /// <summary>The record id (15 or 18 characters).</summary>
    public const string Id = "Id";

    /// <summary>
    /// Gets the client name every request of this SDK carries (<c>Sforce-Call-Options: client=CrmGuardrails</c>): Change
    /// Data Capture reports it in <c>changeOrigin</c>, so the subscriber skips the flags it wrote itself.
    /// </summary>
    public const string CallOptionsClient = "CrmGuardrails";

    /// <summary>The header that names the calling client (salesforce.md §3.7).</summary>
    public const string CallOptionsHeader = "Sforce-Call-Options";

    /// <summary>The owner: a User or a queue (Group).</summary>
    public const string OwnerId = "OwnerId";

    /// <summary>The owner's name, through the polymorphic <c>Owner</c> relationship.</summary>
    public const string OwnerName = "Owner.Name";

    /// <summary>The record's creation time (indexed by default, salesforce.md §10.F).</summary>
    public const string CreatedDate = "CreatedDate";

    /// <summary>The Account object.</summary>
    public static class Account
    {
        /// <summary>The object's API name.</summary>
        public const string Object = "Account";

        /// <summary>"Required, ≤ 255 chars" (salesforce.md §4.2); indexed by default (§10.F).</summary>
        public const string Name = "Name";

        /// <summary>A free-text url, not indexed (§10.F): found through the match-key object.</summary>
        public const string Website = "Website";

        /// <summary>Not indexed (§10.F): found through the match-key object.</summary>
        public const string Phone = "Phone";

        /// <summary>Billing street.</summary>
        public const string Street = "BillingStreet";

        /// <summary>Billing city.</summary>
        public const string City = "BillingCity";

        /// <summary>Billing postal code.</summary>
        public const string PostalCode = "BillingPostalCode";

        /// <summary>Billing country (free text unless State and Country picklists are on).</summary>
        public const string Country = "BillingCountry";

        /// <summary>The account's type, a picklist (Prospect, Customer - Direct, Customer - Channel, ...).</summary>
        public const string Type = "Type";

        /// <summary>The parent account (a site of a company).</summary>
        public const string ParentId = "ParentId";

        /// <summary>The parent account's name, through the <c>Parent</c> relationship.</summary>
        public const string ParentName = "Parent.Name";

        /// <summary>
        /// The account's general email: Salesforce's Account has no email field, so the package's metadata adds one
        /// (set <see cref="SalesforceMappingOptions.AccountEmailField"/> to another field or to none).
        /// </summary>
        public const string Email = "CrmG_Email__c";

        /// <summary>Account types read as a customer by default.</summary>
        public static readonly string[] CustomerTypes = ["Customer", "Customer - Direct", "Customer - Channel"];

        /// <summary>Account types read as a prospect by default.</summary>
        public static readonly string[] ProspectTypes = ["Prospect"];

        /// <summary>Account types read as a former customer by default.</summary>
        public static readonly string[] FormerTypes = ["Former Customer"];
    }

    /// <summary>The Contact object.</summary>
    public static class Contact
    {
        /// <summary>The object's API name.</summary>
        public const string Object = "Contact";

        /// <summary>First name.</summary>
        public const string FirstName = "FirstName";

        /// <summary>Last name.</summary>
        public const string LastName = "LastName";

        /// <summary>Indexed by default on contacts and leads (§10.F).</summary>
        public const string Email = "Email";

        /// <summary>Business phone.</summary>
        public const string Phone = "Phone";

        /// <summary>Mobile phone.</summary>
        public const string MobilePhone = "MobilePhone";

        /// <summary>"ID of the account that's the parent of this contact" (§4.2).</summary>
        public const string AccountId = "AccountId";

        /// <summary>
        /// A checkbox marking a contact who left: Salesforce contacts have no status, so the package's metadata adds one
        /// (set <see cref="SalesforceMappingOptions.InactiveContactField"/> to another checkbox or to none).
        /// </summary>
        public const string Inactive = "CrmG_Inactive__c";
    }

    /// <summary>The Lead object.</summary>
    public static class Lead
    {
        /// <summary>The object's API name.</summary>
        public const string Object = "Lead";

        /// <summary>First name.</summary>
        public const string FirstName = "FirstName";

        /// <summary>Last name.</summary>
        public const string LastName = "LastName";

        /// <summary>"string; Required" (§4.1); not indexed.</summary>
        public const string Company = "Company";

        /// <summary>Email; indexed, idLookup (§4.1).</summary>
        public const string Email = "Email";

        /// <summary>Business phone.</summary>
        public const string Phone = "Phone";

        /// <summary>Mobile phone.</summary>
        public const string MobilePhone = "MobilePhone";

        /// <summary>Website (url).</summary>
        public const string Website = "Website";

        /// <summary>Street.</summary>
        public const string Street = "Street";

        /// <summary>City.</summary>
        public const string City = "City";

        /// <summary>Postal code.</summary>
        public const string PostalCode = "PostalCode";

        /// <summary>Country.</summary>
        public const string Country = "Country";

        /// <summary>"picklist, defaulted; values from LeadStatus" (§4.1).</summary>
        public const string Status = "Status";

        /// <summary>"boolean, defaulted; label Converted" (§4.1): a converted lead is qualified.</summary>
        public const string IsConverted = "IsConverted";

        /// <summary>The lead statuses read as disqualified by default (the standard closed, not converted status).</summary>
        public static readonly string[] DisqualifiedStatuses = ["Closed - Not Converted"];
    }

    /// <summary>The User object.</summary>
    public static class User
    {
        /// <summary>The object's API name.</summary>
        public const string Object = "User";

        /// <summary>The user's full name.</summary>
        public const string Name = "Name";

        /// <summary>The user's manager (a User).</summary>
        public const string ManagerId = "ManagerId";

        /// <summary>Queues own records too: an owner id may be a Group's.</summary>
        public const string QueueObject = "Group";
    }

    /// <summary>The AccountTeamMember object: users on an account's team besides its owner (§4.5).</summary>
    public static class AccountTeamMember
    {
        /// <summary>The object's API name.</summary>
        public const string Object = "AccountTeamMember";

        /// <summary>The account.</summary>
        public const string AccountId = "AccountId";

        /// <summary>The member (required).</summary>
        public const string UserId = "UserId";
    }

    /// <summary>What Task and Event share (salesforce.md §4.3–4.4).</summary>
    public static class Activity
    {
        /// <summary>"polymorphic Contact or Lead ("Name ID")".</summary>
        public const string WhoId = "WhoId";

        /// <summary>The type of <see cref="WhoId"/>'s record (the polymorphic relationship's <c>Type</c>).</summary>
        public const string WhoType = "Who.Type";

        /// <summary>"polymorphic non-human object (Account, Opportunity, ...), label "Related To ID"".</summary>
        public const string WhatId = "WhatId";

        /// <summary>The type of <see cref="WhatId"/>'s record.</summary>
        public const string WhatType = "What.Type";

        /// <summary>"read-only, derived: WhatId's AccountId ... else the Contact Who's AccountId".</summary>
        public const string AccountId = "AccountId";

        /// <summary>Subject.</summary>
        public const string Subject = "Subject";

        /// <summary>Description (comments).</summary>
        public const string Description = "Description";

        /// <summary>The activity's type picklist (Call, Email, Meeting, Other).</summary>
        public const string Type = "Type";
    }

    /// <summary>The Task object.</summary>
    public static class Task
    {
        /// <summary>The object's API name.</summary>
        public const string Object = "Task";

        /// <summary>"required picklist, default "Not Started" ... each status implies IsClosed".</summary>
        public const string Status = "Status";

        /// <summary>"only set indirectly via the Status picklist".</summary>
        public const string IsClosed = "IsClosed";

        /// <summary>"date, "Due Date"; midnight-UTC timestamp, don't shift for time zones".</summary>
        public const string ActivityDate = "ActivityDate";

        /// <summary>"Task, Email, ListEmail, Cadence, Call, LinkedIn (v56+); not updateable".</summary>
        public const string TaskSubtype = "TaskSubtype";

        /// <summary>A call's direction picklist: Inbound, Outbound, Internal (read as the task's direction).</summary>
        public const string CallType = "CallType";

        /// <summary>The status a closed task has when it was done (any other closed status is read as canceled).</summary>
        public const string CompletedStatus = "Completed";

        /// <summary>The status of a new task the package writes.</summary>
        public const string NotStartedStatus = "Not Started";
    }

    /// <summary>The Event object: no Status or IsClosed field (salesforce.md §4.4); every event reads as open.</summary>
    public static class Event
    {
        /// <summary>The object's API name.</summary>
        public const string Object = "Event";

        /// <summary>"dateTime, v13+".</summary>
        public const string StartDateTime = "StartDateTime";

        /// <summary>"dateTime, v13+".</summary>
        public const string EndDateTime = "EndDateTime";

        /// <summary>Not updateable subtype.</summary>
        public const string EventSubtype = "EventSubtype";
    }

    /// <summary>The fields the package's metadata adds to Lead, Task and Event to write a verdict back (names configurable).</summary>
    public static class Flags
    {
        /// <summary>The verdict (a text field: Allow, Warn, Block, NotChecked).</summary>
        public const string Verdict = "CrmG_Flag__c";

        /// <summary>The deciding rule's id.</summary>
        public const string Rule = "CrmG_FlagRule__c";

        /// <summary>The reason, as shown to the user (long text).</summary>
        public const string Reason = "CrmG_FlagReason__c";

        /// <summary>When the record was checked (dateTime).</summary>
        public const string CheckedOn = "CrmG_FlagCheckedOn__c";

        /// <summary>How often an activity was moved (a number field on Task and Event).</summary>
        public const string Reschedules = "CrmG_Reschedules__c";

        /// <summary>
        /// A unique External Id text field on Task: the key of a notification task, so that telling someone is an upsert
        /// and a repeated delivery (Outbound Messages are at-least-once) makes no second task.
        /// </summary>
        public const string NotificationKey = "CrmG_NotificationKey__c";

        /// <summary>The objects the package writes a verdict back to.</summary>
        public static readonly string[] FlaggedObjects = [Lead.Object, Task.Object, Event.Object];
    }

    /// <summary>
    /// The match-key custom object: one record per stored key of an account, contact or lead (core
    /// <c>StoredMatchKeys</c> v1), because Website and Phone are not indexed in Salesforce (§10.F). Its unique External
    /// Id text field <see cref="UniqueKey"/> (key + record id) gets an index and makes a write an upsert; the key field
    /// <see cref="Key"/> is an External Id too, so every lookup is selective.
    /// </summary>
    public static class MatchKey
    {
        /// <summary>The object's API name.</summary>
        public const string Object = "CrmG_MatchKey__c";

        /// <summary>The stored key (External Id, indexed): 16 ASCII characters.</summary>
        public const string Key = "CrmG_Key__c";

        /// <summary>The id of the record holding the key (text, External Id).</summary>
        public const string RecordId = "CrmG_RecordId__c";

        /// <summary>For a contact's keys, the id of its account.</summary>
        public const string AccountId = "CrmG_AccountId__c";

        /// <summary>Key and record id joined by <c>:</c>: an External Id, unique — the upsert key.</summary>
        public const string UniqueKey = "CrmG_UniqueKey__c";

        /// <summary>The unique key of a key held by a record.</summary>
        /// <param name="key">The stored key.</param>
        /// <param name="recordId">The record holding it.</param>
        /// <returns>The unique key's value.</returns>
        public static string UniqueKeyOf(string key, string recordId) => key + ":" + recordId;
    }

    /// <summary>The kind of record an sObject type holds for the guards (<see cref="RecordKind.Unknown"/> for any other).</summary>
    /// <param name="sObjectType">The object's API name (case-insensitive, as Salesforce treats them).</param>
    /// <returns>The kind.</returns>
    public static RecordKind KindOf(string? sObjectType) => sObjectType?.ToUpperInvariant() switch
    {
        "ACCOUNT" => RecordKind.Account,
        "CONTACT" => RecordKind.Contact,
        "LEAD" => RecordKind.Lead,
        "USER" or "GROUP" => RecordKind.User,
        "TASK" or "EVENT" => RecordKind.Activity,
        _ => RecordKind.Unknown,
    };

    /// <summary>
    /// The object a record id belongs to, by its three-character key prefix (001 Account, 003 Contact, 00Q Lead, 005
    /// User, 00G Group, 00T Task, 00U Event), or <see langword="null"/> for any other id.
    /// </summary>
    /// <param name="id">A record id.</param>
    /// <returns>The object's API name, or <see langword="null"/>.</returns>
    public static string? ObjectOfId(string? id) => id is { Length: 15 or 18 } ? id.Substring(0, 3) switch
    {
        "001" => Account.Object,
        "003" => Contact.Object,
        "00Q" => Lead.Object,
        "005" => User.Object,
        "00G" => User.QueueObject,
        "00T" => Task.Object,
        "00U" => Event.Object,
        _ => null,
    }
    : null;
}
