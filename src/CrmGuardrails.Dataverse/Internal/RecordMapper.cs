using System.Globalization;
using System.Text.Json;

namespace CrmGuardrails.Dataverse.Internal;

/// <summary>Turns Web API rows into the core record model.</summary>
internal sealed class RecordMapper(DataverseDirectoryOptions options)
{
    public const string FormattedValue = "@OData.Community.Display.V1.FormattedValue";
    public const string LookupLogicalName = "@Microsoft.Dynamics.CRM.lookuplogicalname";

    public const string AccountColumns = "accountid,name,websiteurl,telephone1,emailaddress1,address1_line1,address1_city,address1_postalcode,address1_country,statecode,customertypecode,_ownerid_value,_parentaccountid_value";
    public const string ContactColumns = "contactid,firstname,lastname,emailaddress1,telephone1,_parentcustomerid_value,_ownerid_value";
    public const string LeadColumns = "leadid,firstname,lastname,companyname,emailaddress1,telephone1,websiteurl,address1_line1,address1_city,address1_postalcode,address1_country,statecode,_ownerid_value";
    public const string UserColumns = "systemuserid,fullname,_parentsystemuserid_value";
    public const string TeamColumns = "teamid,name";
    public const string ActivityColumns = "activityid,activitytypecode,subject,statecode,scheduledstart,createdon,_regardingobjectid_value,_ownerid_value";
    public const string PartiesNavigation = "activitypointer_activity_parties";
    public const string PartiesExpand = PartiesNavigation + "($select=_partyid_value,participationtypemask)";

    public Account MapAccount(JsonElement row)
    {
        var state = Int(row, "statecode");
        var type = Int(row, "customertypecode");
        var status = state == 1 ? AccountStatus.Former
            : type is { } t && options.CustomerTypeCodes.Contains(t) ? AccountStatus.Customer
            : type is { } p && options.ProspectTypeCodes.Contains(p) ? AccountStatus.Prospect
            : AccountStatus.Unknown;
        return new Account
        {
            Id = Id(row, "accountid"),
            Name = Str(row, "name") ?? string.Empty,
            Website = Str(row, "websiteurl"),
            Phone = Str(row, "telephone1"),
            Email = Str(row, "emailaddress1"),
            Street = Str(row, "address1_line1"),
            City = Str(row, "address1_city"),
            PostalCode = Str(row, "address1_postalcode"),
            Country = Country(Str(row, "address1_country")),
            Status = status,
            OwnerId = Lookup(row, "_ownerid_value"),
            OwnerName = Str(row, "_ownerid_value" + FormattedValue),
            ParentId = Lookup(row, "_parentaccountid_value"),
        };
    }

    public static Contact MapContact(JsonElement row)
    {
        var parent = Lookup(row, "_parentcustomerid_value");
        var parentKind = Str(row, "_parentcustomerid_value" + LookupLogicalName);
        return new Contact
        {
            Id = Id(row, "contactid"),
            FirstName = Str(row, "firstname"),
            LastName = Str(row, "lastname"),
            Email = Str(row, "emailaddress1"),
            Phone = Str(row, "telephone1"),

            // A contact's parent customer may be another contact; only an account is an AccountId.
            AccountId = parentKind is null || parentKind == "account" ? parent : null,
            OwnerId = Lookup(row, "_ownerid_value"),
            OwnerName = Str(row, "_ownerid_value" + FormattedValue),
        };
    }

    public static Lead MapLead(JsonElement row) => new()
    {
        Id = Id(row, "leadid"),
        FirstName = Str(row, "firstname"),
        LastName = Str(row, "lastname"),
        Company = Str(row, "companyname"),
        Email = Str(row, "emailaddress1"),
        Phone = Str(row, "telephone1"),
        Website = Str(row, "websiteurl"),
        Street = Str(row, "address1_line1"),
        City = Str(row, "address1_city"),
        PostalCode = Str(row, "address1_postalcode"),
        Country = Country(Str(row, "address1_country")),
        Status = Int(row, "statecode") switch
        {
            1 => LeadStatus.Qualified,
            2 => LeadStatus.Disqualified,
            _ => LeadStatus.Open,
        },
        OwnerId = Lookup(row, "_ownerid_value"),
        OwnerName = Str(row, "_ownerid_value" + FormattedValue),
    };

    public static User MapUser(JsonElement row) => new()
    {
        Id = Id(row, "systemuserid"),
        Name = Str(row, "fullname") ?? string.Empty,
        ManagerId = Lookup(row, "_parentsystemuserid_value"),
    };

    /// <summary>A team that owns records is presented as a <see cref="User"/> without a manager.</summary>
    public static User MapTeam(JsonElement row) => new()
    {
        Id = Id(row, "teamid"),
        Name = Str(row, "name") ?? string.Empty,
    };

    public static Activity? MapActivity(JsonElement row)
    {
        var type = ActivityTypeOf(Str(row, "activitytypecode"));
        var parties = new List<RecordRef>();
        var inbound = false;
        if (row.TryGetProperty(PartiesNavigation, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var party in list.EnumerateArray())
            {
                var id = Lookup(party, "_partyid_value");
                if (id is null)
                    continue;
                var kind = KindOf(Str(party, "_partyid_value" + LookupLogicalName));
                if (kind is not (RecordKind.Account or RecordKind.Contact or RecordKind.Lead))
                    continue;
                var reference = new RecordRef(kind, id);
                if (!parties.Contains(reference))
                    parties.Add(reference);

                // participationtypemask 1 = Sender: a customer who sends is reaching out to the company.
                if (Int(party, "participationtypemask") == 1)
                    inbound = true;
            }
        }

        var regardingId = Lookup(row, "_regardingobjectid_value");
        return new Activity
        {
            Id = Id(row, "activityid"),
            Type = type,
            Direction = row.TryGetProperty("directioncode", out var direction) && direction.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? (direction.GetBoolean() ? ActivityDirection.Outbound : ActivityDirection.Inbound)
                : inbound ? ActivityDirection.Inbound : ActivityDirection.Outbound,
            Status = Int(row, "statecode") switch
            {
                1 => ActivityStatus.Completed,
                2 => ActivityStatus.Canceled,
                _ => ActivityStatus.Open,
            },
            Regarding = regardingId is null ? null : new RecordRef(KindOf(Str(row, "_regardingobjectid_value" + LookupLogicalName)), regardingId),
            Parties = parties,
            ScheduledStart = Date(row, "scheduledstart"),
            CreatedOn = Date(row, "createdon"),
            Subject = Str(row, "subject"),
            Description = Str(row, "description"),
            OwnerId = Lookup(row, "_ownerid_value"),
            OwnerName = Str(row, "_ownerid_value" + FormattedValue),
        };
    }

    public static RecordKind KindOf(string? logicalName) => logicalName switch
    {
        "account" => RecordKind.Account,
        "contact" => RecordKind.Contact,
        "lead" => RecordKind.Lead,
        "systemuser" => RecordKind.User,
        "activitypointer" or "phonecall" or "appointment" or "email" or "task" => RecordKind.Activity,
        _ => RecordKind.Unknown,
    };

    /// <summary>Maps <c>activitytypecode</c>; activity types the core does not know (letter, fax, custom) count as tasks.</summary>
    public static ActivityType ActivityTypeOf(string? code) => code switch
    {
        "phonecall" => ActivityType.PhoneCall,
        "appointment" or "recurringappointmentmaster" => ActivityType.Appointment,
        "email" => ActivityType.Email,
        "msdyn_ocliveworkitem" or "chat" => ActivityType.Chat,
        "msdyn_ocsms" or "sms" => ActivityType.Sms,
        "voicemail" => ActivityType.Voicemail,
        _ => ActivityType.Task,
    };

    private static string Id(JsonElement row, string name) =>
        Str(row, name) is { } id && ODataFilter.TryGuid(id, out var literal)
            ? literal
            : throw new DataverseException($"A Dataverse row has no valid '{name}'.");

    public static string? Lookup(JsonElement row, string name) =>
        Str(row, name) is { } id && ODataFilter.TryGuid(id, out var literal) ? literal : null;

    private static string? Str(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static int? Int(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static DateTimeOffset? Date(JsonElement row, string name) =>
        Str(row, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;

    private static string? Country(string? text)
    {
        if (text is null)
            return null;
        var trimmed = text.Trim();

        // Dataverse stores a free-text country; a two-letter value is taken as ISO 3166 alpha-2.
        return trimmed.Length == 2 ? trimmed.ToUpperInvariant() : trimmed;
    }
}
