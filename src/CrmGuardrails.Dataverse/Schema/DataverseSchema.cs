// One source for the Dataverse schema CrmGuardrails reads and writes: compiled into CrmGuardrails.Dataverse and, as
// source, into the plug-in package (CrmGuardrails.Dataverse.Plugin), so the Web API directory, the webhook reader and
// the plug-in never disagree on a column or a code.
#nullable enable
using System;
using System.Collections.Generic;

namespace CrmGuardrails.Dataverse;

/// <summary>
/// The tables, columns and codes of Dataverse that the guards use: logical names (as the SDK and execution contexts
/// name them) from which Web API names are derived (<c>_ownerid_value</c>, entity sets).
/// </summary>
/// <remarks>Sources: the Microsoft table references (account, contact, lead, activitypointer, activityparty) quoted in docs/platform.</remarks>
internal static class DataverseSchema
{
    /// <summary>Columns every guarded table has.</summary>
    public const string Owner = "ownerid";

    /// <summary><c>statecode</c>: 0 is active (accounts, contacts), open (leads, activities).</summary>
    public const string State = "statecode";

    /// <summary>The record's creation time.</summary>
    public const string CreatedOn = "createdon";

    /// <summary>The Web API property of a lookup column: <c>ownerid</c> → <c>_ownerid_value</c>.</summary>
    public static string LookupProperty(string column) => "_" + column + "_value";

    /// <summary>The lookup columns the guards read (Web API names them <c>_x_value</c>; query functions by the logical name).</summary>
    public static bool IsLookup(string column) => column is Owner or Account.Parent or Contact.ParentCustomer or User.Manager or Activity.Regarding or Activity.PartyId;

    /// <summary>The account table.</summary>
    public static class Account
    {
        public const string Table = "account";
        public const string EntitySet = "accounts";
        public const string Id = "accountid";
        public const string Name = "name";
        public const string Website = "websiteurl";
        public const string Phone = "telephone1";
        public const string Email = "emailaddress1";
        public const string Street = "address1_line1";
        public const string City = "address1_city";
        public const string PostalCode = "address1_postalcode";
        public const string Country = "address1_country";
        public const string CustomerType = "customertypecode";
        public const string Parent = "parentaccountid";

        /// <summary>The columns the guards read, as logical names.</summary>
        public static readonly string[] Columns = new[] { Id, Name, Website, Phone, Email, Street, City, PostalCode, Country, State, CustomerType, Owner, Parent };

        /// <summary>The <c>customertypecode</c> values that mean a customer, by default (3 Customer).</summary>
        public static readonly int[] CustomerTypeCodes = new[] { 3 };

        /// <summary>The <c>customertypecode</c> values that mean a prospect, by default (8 Prospect).</summary>
        public static readonly int[] ProspectTypeCodes = new[] { 8 };

        /// <summary>An inactive account (<c>statecode</c> 1) is a former customer.</summary>
        public const int InactiveState = 1;
    }

    /// <summary>The contact table.</summary>
    public static class Contact
    {
        public const string Table = "contact";
        public const string EntitySet = "contacts";
        public const string Id = "contactid";
        public const string FirstName = "firstname";
        public const string LastName = "lastname";
        public const string Email = "emailaddress1";
        public const string Phone = "telephone1";
        public const string MobilePhone = "mobilephone";

        /// <summary>The customer the contact works for: an account or another contact (polymorphic).</summary>
        public const string ParentCustomer = "parentcustomerid";

        /// <summary>The navigation property from a contact to its parent account (Web API).</summary>
        public const string ParentAccountNavigation = "parentcustomerid_account";

        public static readonly string[] Columns = new[] { Id, FirstName, LastName, Email, Phone, MobilePhone, ParentCustomer, Owner, State };
    }

    /// <summary>The lead table.</summary>
    public static class Lead
    {
        public const string Table = "lead";
        public const string EntitySet = "leads";
        public const string Id = "leadid";
        public const string FirstName = "firstname";
        public const string LastName = "lastname";
        public const string Company = "companyname";
        public const string Email = "emailaddress1";
        public const string Phone = "telephone1";
        public const string MobilePhone = "mobilephone";
        public const string Website = "websiteurl";
        public const string Street = "address1_line1";
        public const string City = "address1_city";
        public const string PostalCode = "address1_postalcode";
        public const string Country = "address1_country";

        public static readonly string[] Columns = new[] { Id, FirstName, LastName, Company, Email, Phone, MobilePhone, Website, Street, City, PostalCode, Country, State, Owner };

        /// <summary><c>statecode</c>: 0 Open, 1 Qualified, 2 Disqualified.</summary>
        public static LeadStatus StatusOf(int? state) => state switch
        {
            1 => LeadStatus.Qualified,
            2 => LeadStatus.Disqualified,
            _ => LeadStatus.Open,
        };
    }

    /// <summary>The systemuser table (and teams, which own records too).</summary>
    public static class User
    {
        public const string Table = "systemuser";
        public const string EntitySet = "systemusers";
        public const string Id = "systemuserid";
        public const string FullName = "fullname";
        public const string Manager = "parentsystemuserid";
        public const string TeamTable = "team";
        public const string TeamEntitySet = "teams";
        public const string TeamId = "teamid";
        public const string TeamName = "name";

        public static readonly string[] Columns = new[] { Id, FullName, Manager };
    }

    /// <summary>Activities: every activity table, and <c>activitypointer</c> over all of them.</summary>
    public static class Activity
    {
        public const string PointerTable = "activitypointer";
        public const string PointerEntitySet = "activitypointers";
        public const string Id = "activityid";
        public const string TypeCode = "activitytypecode";
        public const string Subject = "subject";
        public const string Description = "description";
        public const string ScheduledStart = "scheduledstart";
        public const string Regarding = "regardingobjectid";
        public const string Direction = "directioncode";

        /// <summary>The activity-party navigation of <c>activitypointer</c> (Web API).</summary>
        public const string PartiesNavigation = "activitypointer_activity_parties";
        public const string PartyId = "partyid";
        public const string ParticipationType = "participationtypemask";

        /// <summary><c>participationtypemask</c> 1: the Sender (a customer who sends is reaching out).</summary>
        public const int SenderMask = 1;

        /// <summary>
        /// How a party takes part: its <c>participationtypemask</c>, or — in a Target, whose parties the platform has not
        /// stamped yet — the list it is in (<c>from</c> is the sender).
        /// </summary>
        public static int? MaskOf(string partyListColumn, int? mask) => mask ?? (partyListColumn == "from" ? SenderMask : null);

        /// <summary>The columns the guards read from an activity table, as logical names (without party lists).</summary>
        public static readonly string[] Columns = new[] { Id, TypeCode, Subject, Description, ScheduledStart, CreatedOn, State, Owner, Regarding, Direction };

        /// <summary>The party-list columns of activity tables (to, from, attendees, customers).</summary>
        public static readonly string[] PartyColumns = new[] { "to", "from", "requiredattendees", "optionalattendees", "customers" };

        /// <summary>The activity tables the guards know by default, and the kind of activity each holds.</summary>
        public static readonly IReadOnlyDictionary<string, ActivityType> DefaultTables = new Dictionary<string, ActivityType>(StringComparer.OrdinalIgnoreCase)
        {
            ["phonecall"] = ActivityType.PhoneCall,
            ["appointment"] = ActivityType.Appointment,
            ["recurringappointmentmaster"] = ActivityType.Appointment,
            ["email"] = ActivityType.Email,
            ["task"] = ActivityType.Task,
        };

        /// <summary>
        /// The type of an activity table the mapping does not name, by its <c>activitytypecode</c>: the Omnichannel
        /// conversation and SMS tables, and the usual names of custom chat, SMS and voicemail tables; anything else is a
        /// task (still someone's work).
        /// </summary>
        public static ActivityType TypeOfUnmapped(string? typeCode) => typeCode?.ToLowerInvariant() switch
        {
            "msdyn_ocliveworkitem" or "chat" => ActivityType.Chat,
            "msdyn_ocsms" or "sms" => ActivityType.Sms,
            "voicemail" => ActivityType.Voicemail,
            _ => ActivityType.Task,
        };

        /// <summary><c>statecode</c>: 0 Open, 1 Completed, 2 Canceled, 3 Scheduled (open).</summary>
        public static ActivityStatus StatusOf(int? state) => state switch
        {
            1 => ActivityStatus.Completed,
            2 => ActivityStatus.Canceled,
            _ => ActivityStatus.Open,
        };

        /// <summary>
        /// The direction when <c>directioncode</c> is absent (tasks, appointments, most custom activities): chats and
        /// voicemails come in; the rest go out unless a customer is the Sender.
        /// </summary>
        public static ActivityDirection DefaultDirection(ActivityType type, bool customerSends) =>
            customerSends || type is ActivityType.Chat or ActivityType.Voicemail ? ActivityDirection.Inbound : ActivityDirection.Outbound;
    }

    /// <summary>The columns CrmGuardrails adds to guarded tables (created by the solution; names configurable).</summary>
    public static class Flags
    {
        public const string Verdict = "crmg_guardverdict";
        public const string Rule = "crmg_guardrule";
        public const string Message = "crmg_guardmessage";
        public const string CheckedOn = "crmg_guardcheckedon";
        public const string RescheduleCount = "crmg_reschedulecount";
    }

    /// <summary>
    /// The match-key table: one row per stored key of an account, contact or lead (see <c>StoredMatchKeys</c>), with an
    /// alternate key on (key, record) whose index makes every lookup an exact seek.
    /// </summary>
    public static class MatchKey
    {
        public const string Table = "crmg_matchkey";
        public const string EntitySet = "crmg_matchkeys";
        public const string Id = "crmg_matchkeyid";

        /// <summary>The stored key (the primary name column): 16 ASCII characters.</summary>
        public const string Key = "crmg_key";

        /// <summary>The id of the record holding the key.</summary>
        public const string RecordId = "crmg_recordid";

        /// <summary>For a contact's keys, the id of its account.</summary>
        public const string AccountId = "crmg_accountid";

        /// <summary>The alternate key's schema name.</summary>
        public const string AlternateKey = "crmg_key_record";
    }

    /// <summary>Maps a table's logical name to the kind of record the guards see.</summary>
    public static RecordKind KindOf(string? logicalName, Func<string, bool> isActivityTable) => logicalName switch
    {
        null => RecordKind.Unknown,
        Account.Table => RecordKind.Account,
        Contact.Table => RecordKind.Contact,
        Lead.Table => RecordKind.Lead,
        User.Table or User.TeamTable => RecordKind.User,
        Activity.PointerTable => RecordKind.Activity,
        _ => isActivityTable(logicalName) ? RecordKind.Activity : RecordKind.Unknown,
    };

    /// <summary>The account status of a row: inactive is former; else by <c>customertypecode</c>.</summary>
    public static AccountStatus AccountStatusOf(int? state, int? customerType, IReadOnlyCollection<int> customerCodes, IReadOnlyCollection<int> prospectCodes) =>
        state == Account.InactiveState ? AccountStatus.Former
        : customerType is { } t && Contains(customerCodes, t) ? AccountStatus.Customer
        : customerType is { } p && Contains(prospectCodes, p) ? AccountStatus.Prospect
        : AccountStatus.Unknown;

    /// <summary>
    /// The columns whose <c>/Date(…)/</c> text in an execution context is a date: the ones the guards and writers read, and
    /// the usual system and activity dates. Any other text, however it begins, is text.
    /// </summary>
    public static readonly string[] DateColumns = new[]
    {
        CreatedOn, "modifiedon", "overriddencreatedon", Activity.ScheduledStart, "scheduledend", "actualstart", "actualend", Flags.CheckedOn,
    };

    /// <summary>A text column as the guards read it, whichever host sent it: trimmed, and absent when blank.</summary>
    public static string? TextOf(string? text) => text is null || text.Trim().Length == 0 ? null : text.Trim();

    /// <summary>Reads <c>address1_country</c>, a free-text column: a two-letter value is an ISO 3166 code; anything else is kept as typed.</summary>
    public static string? CountryOf(string? text)
    {
        if (text is null)
            return null;
        var trimmed = text.Trim();
        return trimmed.Length == 0 ? null : trimmed.Length == 2 ? trimmed.ToUpperInvariant() : trimmed;
    }

    private static bool Contains(IReadOnlyCollection<int> codes, int code)
    {
        foreach (var c in codes)
        {
            if (c == code)
                return true;
        }

        return false;
    }
}
