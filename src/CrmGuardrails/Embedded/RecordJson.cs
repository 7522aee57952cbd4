namespace CrmGuardrails.Embedded;

/// <summary>Reads records of the snapshot and events formats; an update applies only the fields present.</summary>
internal static class RecordJson
{
    public static readonly IReadOnlyDictionary<string, AccountStatus> AccountStatuses = new Dictionary<string, AccountStatus>
    {
        ["customer"] = AccountStatus.Customer, ["prospect"] = AccountStatus.Prospect, ["former"] = AccountStatus.Former,
    };

    public static readonly IReadOnlyDictionary<string, LeadStatus> LeadStatuses = new Dictionary<string, LeadStatus>
    {
        ["open"] = LeadStatus.Open, ["qualified"] = LeadStatus.Qualified, ["disqualified"] = LeadStatus.Disqualified,
    };

    public static readonly IReadOnlyDictionary<string, ActivityType> ActivityTypes = new Dictionary<string, ActivityType>
    {
        ["phonecall"] = ActivityType.PhoneCall, ["appointment"] = ActivityType.Appointment, ["email"] = ActivityType.Email,
        ["task"] = ActivityType.Task, ["voicemail"] = ActivityType.Voicemail, ["chat"] = ActivityType.Chat, ["sms"] = ActivityType.Sms,
    };

    public static readonly IReadOnlyDictionary<string, ActivityDirection> Directions = new Dictionary<string, ActivityDirection>
    {
        ["outbound"] = ActivityDirection.Outbound, ["inbound"] = ActivityDirection.Inbound,
    };

    public static readonly IReadOnlyDictionary<string, ActivityStatus> ActivityStatuses = new Dictionary<string, ActivityStatus>
    {
        ["open"] = ActivityStatus.Open, ["completed"] = ActivityStatus.Completed, ["canceled"] = ActivityStatus.Canceled,
    };

    /// <summary>Resolves a bare id of the formats to a record reference, or throws naming the field.</summary>
    public delegate RecordRef ResolveId(string id, JsonFields fields, string field);

    public static User ApplyUser(User user, JsonFields f) => user with
    {
        Name = f.Has("name") ? f.String("name", 300) ?? string.Empty : user.Name,
        ManagerId = f.Has("managerId") ? f.String("managerId", 200) : user.ManagerId,
    };

    public static Account ApplyAccount(Account a, JsonFields f) => a with
    {
        Name = f.Has("name") ? f.String("name", 1000) ?? string.Empty : a.Name,
        Website = f.Has("website") ? f.String("website", 2000) : a.Website,
        Phone = f.Has("phone") ? f.String("phone", 100) : a.Phone,
        Email = f.Has("email") ? f.String("email", 320) : a.Email,
        Street = f.Has("street") ? f.String("street", 1000) : a.Street,
        City = f.Has("city") ? f.String("city", 300) : a.City,
        PostalCode = f.Has("postalCode") ? f.String("postalCode", 40) : a.PostalCode,
        Country = f.Has("country") ? f.String("country", 60) : a.Country,
        OwnerId = f.Has("ownerId") ? f.String("ownerId", 200) : a.OwnerId,
        Status = f.Has("status") ? f.Enum("status", AccountStatuses) ?? AccountStatus.Unknown : a.Status,
        ParentId = f.Has("parentId") ? f.String("parentId", 200) : a.ParentId,
    };

    public static Contact ApplyContact(Contact c, JsonFields f) => c with
    {
        AccountId = f.Has("accountId") ? f.String("accountId", 200) : c.AccountId,
        FirstName = f.Has("firstName") ? f.String("firstName", 300) : c.FirstName,
        LastName = f.Has("lastName") ? f.String("lastName", 300) : c.LastName,
        Email = f.Has("email") ? f.String("email", 320) : c.Email,
        Phone = f.Has("phone") ? f.String("phone", 100) : c.Phone,
        OwnerId = f.Has("ownerId") ? f.String("ownerId", 200) : c.OwnerId,
    };

    public static Lead ApplyLead(Lead l, JsonFields f) => l with
    {
        FirstName = f.Has("firstName") ? f.String("firstName", 300) : l.FirstName,
        LastName = f.Has("lastName") ? f.String("lastName", 300) : l.LastName,
        Company = f.Has("company") ? f.String("company", 1000) : l.Company,
        Email = f.Has("email") ? f.String("email", 320) : l.Email,
        Phone = f.Has("phone") ? f.String("phone", 100) : l.Phone,
        Website = f.Has("website") ? f.String("website", 2000) : l.Website,
        Street = f.Has("street") ? f.String("street", 1000) : l.Street,
        City = f.Has("city") ? f.String("city", 300) : l.City,
        PostalCode = f.Has("postalCode") ? f.String("postalCode", 40) : l.PostalCode,
        Country = f.Has("country") ? f.String("country", 60) : l.Country,
        OwnerId = f.Has("ownerId") ? f.String("ownerId", 200) : l.OwnerId,
        Status = f.Has("status") ? f.Enum("status", LeadStatuses) ?? LeadStatus.Open : l.Status,
    };

    public static Activity ApplyActivity(Activity a, JsonFields f, ResolveId resolve) => a with
    {
        Type = f.Has("type") ? f.Enum("type", ActivityTypes) ?? throw f.Error(f.Get("type"), "type", "is required.") : a.Type,
        Direction = f.Has("direction") ? f.Enum("direction", Directions) ?? ActivityDirection.Outbound : a.Direction,
        Status = f.Has("status") ? f.Enum("status", ActivityStatuses) ?? ActivityStatus.Open : a.Status,
        OwnerId = f.Has("ownerId") ? f.String("ownerId", 200) : a.OwnerId,
        Regarding = f.Has("regardingId") ? f.String("regardingId", 200) is { } id ? resolve(id, f, "regardingId") : null : a.Regarding,
        Parties = f.Has("partyIds") ? f.StringArray("partyIds").Select((p, i) => resolve(p, f, $"partyIds[{i}]")).Distinct().ToList() : a.Parties,
        ScheduledStart = f.Has("scheduledStart") ? f.Time("scheduledStart") : a.ScheduledStart,
        CreatedOn = f.Has("createdOn") ? f.Time("createdOn") : a.CreatedOn,
        Subject = f.Has("subject") ? f.String("subject", 1000) : a.Subject,
        Description = f.Has("description") ? f.String("description", 100_000) : a.Description,
        RescheduleCount = f.Has("rescheduleCount") ? ReadCount(f) : a.RescheduleCount,
    };

    private static int ReadCount(JsonFields f)
    {
        var node = f.Get("rescheduleCount");
        if (node is null || node.Kind == System.Text.Json.JsonValueKind.Null)
            return 0;
        if (node.Kind == System.Text.Json.JsonValueKind.Number && int.TryParse(node.Text, out var count) && count >= 0)
            return count;
        throw f.Error(node, "rescheduleCount", "expected a whole number of 0 or more.");
    }
}
