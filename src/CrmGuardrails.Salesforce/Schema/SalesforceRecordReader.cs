using System.Globalization;

namespace CrmGuardrails.Salesforce;

/// <summary>
/// Reads a Salesforce record — its field values as text, by API name, however the host received them (a REST query
/// row, an Outbound Message notification, a Flow callout's JSON, a Change Data Capture event) — into the record the
/// guards see. Every host path calls this one reader, so they never disagree on a field or a code.
/// </summary>
/// <remarks>
/// <para>
/// Values are Salesforce's text forms: booleans <c>true</c>/<c>false</c>; dateTimes as ISO 8601
/// (<c>2025-03-12T09:30:00.000+0000</c> in REST, <c>...Z</c> in Outbound Messages and CDC); dates
/// <c>2025-03-12</c> ("midnight-UTC timestamp, don't shift for time zones", salesforce.md §4.3); numbers in invariant
/// culture. A field the host did not send reads as absent. Relationship fields use their SOQL path
/// (<c>Owner.Name</c>, <c>Who.Type</c>); when a polymorphic lookup's type is absent, the id's key prefix tells it.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class SalesforceRecordReader
{
    /// <summary>Initializes a new instance of the <see cref="SalesforceRecordReader"/> class.</summary>
    /// <param name="mapping">The org's mapping; <see langword="null"/> for the defaults.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The mapping is invalid.</exception>
    public SalesforceRecordReader(SalesforceMappingOptions? mapping = null)
    {
        if (mapping is not null)
            OptionsValidation.ThrowIfInvalid(mapping);
        Mapping = mapping is null ? SalesforceMapping.Default : mapping.ToMapping();
    }

    internal SalesforceRecordReader(SalesforceMapping mapping)
    {
        Mapping = mapping;
    }

    /// <summary>Gets the reader for the default mapping.</summary>
    public static SalesforceRecordReader Default { get; } = new(SalesforceMapping.Default);

    internal SalesforceMapping Mapping { get; }

    /// <summary>Maps a record of an object the guards read (Account, Contact, Lead, User, Group, Task, Event).</summary>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="field">The value of a field by API name (<see langword="null"/> when absent or empty).</param>
    /// <returns>The record; <see langword="null"/> for an object the guards do not read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sObjectType"/> or <paramref name="field"/> is <see langword="null"/>.</exception>
    public CrmRecord? Read(string sObjectType, Func<string, string?> field)
    {
        if (sObjectType is null)
            throw new ArgumentNullException(nameof(sObjectType));
        if (field is null)
            throw new ArgumentNullException(nameof(field));
        var row = new Row(field);
        switch (sObjectType.ToUpperInvariant())
        {
            case "ACCOUNT":
                return ReadAccount(row);
            case "CONTACT":
                return ReadContact(row);
            case "LEAD":
                return ReadLead(row);
            case "USER":
                return new User { Id = row.Id, Name = row.Text(SalesforceSchema.User.Name) ?? string.Empty, ManagerId = row.Text(SalesforceSchema.User.ManagerId) };
            case "GROUP":
                return new User { Id = row.Id, Name = row.Text(SalesforceSchema.User.Name) ?? string.Empty };
            case "TASK":
                return ReadActivity(row, isEvent: false);
            case "EVENT":
                return ReadActivity(row, isEvent: true);
            default:
                return null;
        }
    }

    /// <summary>Gets the fields the reader reads from an object, as SOQL names them (relationship paths included).</summary>
    /// <param name="sObjectType">The object's API name.</param>
    /// <returns>The fields; empty for an object the guards do not read.</returns>
    public IReadOnlyList<string> FieldsOf(string sObjectType)
    {
        var fields = new List<string> { SalesforceSchema.Id };
        switch ((sObjectType ?? string.Empty).ToUpperInvariant())
        {
            case "ACCOUNT":
                fields.AddRange([SalesforceSchema.Account.Name, SalesforceSchema.Account.Website, SalesforceSchema.Account.Phone, SalesforceSchema.Account.Street, SalesforceSchema.Account.City,
                    SalesforceSchema.Account.PostalCode, SalesforceSchema.Account.Country, SalesforceSchema.Account.Type, SalesforceSchema.Account.ParentId, SalesforceSchema.Account.ParentName, SalesforceSchema.OwnerId,
                    SalesforceSchema.OwnerName]);
                AddIf(fields, Mapping.AccountEmailField);
                break;
            case "CONTACT":
                fields.AddRange([SalesforceSchema.Contact.FirstName, SalesforceSchema.Contact.LastName, SalesforceSchema.Contact.Email, SalesforceSchema.Contact.Phone, SalesforceSchema.Contact.MobilePhone,
                    SalesforceSchema.Contact.AccountId, SalesforceSchema.OwnerId, SalesforceSchema.OwnerName]);
                AddIf(fields, Mapping.InactiveContactField);
                break;
            case "LEAD":
                fields.AddRange([SalesforceSchema.Lead.FirstName, SalesforceSchema.Lead.LastName, SalesforceSchema.Lead.Company, SalesforceSchema.Lead.Email, SalesforceSchema.Lead.Phone,
                    SalesforceSchema.Lead.MobilePhone, SalesforceSchema.Lead.Website, SalesforceSchema.Lead.Street, SalesforceSchema.Lead.City, SalesforceSchema.Lead.PostalCode,
                    SalesforceSchema.Lead.Country, SalesforceSchema.Lead.Status, SalesforceSchema.Lead.IsConverted, SalesforceSchema.OwnerId, SalesforceSchema.OwnerName]);
                break;
            case "USER":
                fields.AddRange([SalesforceSchema.User.Name, SalesforceSchema.User.ManagerId]);
                break;
            case "GROUP":
                fields.Add(SalesforceSchema.User.Name);
                break;
            case "TASK":
                AddActivityFields(fields);
                fields.AddRange([SalesforceSchema.Task.Status, SalesforceSchema.Task.IsClosed, SalesforceSchema.Task.ActivityDate, SalesforceSchema.Task.TaskSubtype, SalesforceSchema.Task.CallType]);
                AddIf(fields, Mapping.RescheduleCountField);
                break;
            case "EVENT":
                AddActivityFields(fields);
                fields.AddRange([SalesforceSchema.Event.StartDateTime, SalesforceSchema.Event.EndDateTime]);
                AddIf(fields, Mapping.RescheduleCountField);
                break;
            default:
                return [];
        }

        return fields;
    }

    /// <summary>Reads a Salesforce boolean (<c>true</c>, <c>false</c>, ignoring case; <c>1</c>/<c>0</c> as CDC may send).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value, or <see langword="null"/> when absent or not a boolean.</returns>
    public static bool? ParseBoolean(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "TRUE" or "1" => true,
        "FALSE" or "0" => false,
        _ => null,
    };

    /// <summary>Reads a Salesforce dateTime (ISO 8601, offset <c>+0000</c>, <c>+00:00</c> or <c>Z</c>) or date (<c>yyyy-MM-dd</c>, as midnight UTC).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value, or <see langword="null"/> when absent or not a date.</returns>
    public static DateTimeOffset? ParseDateTime(string? text)
    {
        if (text is null || text.Trim().Length == 0)
            return null;
        var value = text.Trim();
        if (DateTimeOffset.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return parsed;

        // Epoch milliseconds: how Change Data Capture's Avro payloads carry dateTimes.
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var millis) && value.Length >= 12
            ? DateTimeOffset.FromUnixTimeMilliseconds(millis)
            : null;
    }

    internal static readonly string[] DateFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd'T'HH:mm:ss.fffK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", "yyyy-MM-dd'T'HH:mm:ss'+0000'", "yyyy-MM-dd",
    ];

    private Account ReadAccount(Row row) => new()
    {
        Id = row.Id,
        Name = row.Text(SalesforceSchema.Account.Name) ?? string.Empty,
        Website = row.Text(SalesforceSchema.Account.Website),
        Phone = row.Text(SalesforceSchema.Account.Phone),
        Email = Mapping.AccountEmailField is { } email ? row.Text(email) : null,
        Street = row.Text(SalesforceSchema.Account.Street),
        City = row.Text(SalesforceSchema.Account.City),
        PostalCode = row.Text(SalesforceSchema.Account.PostalCode),
        Country = CountryOf(row.Text(SalesforceSchema.Account.Country)),
        Status = AccountStatusOf(row.Text(SalesforceSchema.Account.Type)),
        OwnerId = row.Text(SalesforceSchema.OwnerId),
        OwnerName = row.Text(SalesforceSchema.OwnerName),
        ParentId = row.Text(SalesforceSchema.Account.ParentId),
        ParentName = row.Text(SalesforceSchema.Account.ParentName),
    };

    private static Contact ReadContact(Row row) => new()
    {
        Id = row.Id,
        FirstName = row.Text(SalesforceSchema.Contact.FirstName),
        LastName = row.Text(SalesforceSchema.Contact.LastName),
        Email = row.Text(SalesforceSchema.Contact.Email),
        Phone = row.Text(SalesforceSchema.Contact.Phone) ?? row.Text(SalesforceSchema.Contact.MobilePhone),
        AccountId = row.Text(SalesforceSchema.Contact.AccountId),
        OwnerId = row.Text(SalesforceSchema.OwnerId),
        OwnerName = row.Text(SalesforceSchema.OwnerName),
    };

    private Lead ReadLead(Row row) => new()
    {
        Id = row.Id,
        FirstName = row.Text(SalesforceSchema.Lead.FirstName),
        LastName = row.Text(SalesforceSchema.Lead.LastName),
        Company = row.Text(SalesforceSchema.Lead.Company),
        Email = row.Text(SalesforceSchema.Lead.Email),
        Phone = row.Text(SalesforceSchema.Lead.Phone) ?? row.Text(SalesforceSchema.Lead.MobilePhone),
        Website = row.Text(SalesforceSchema.Lead.Website),
        Street = row.Text(SalesforceSchema.Lead.Street),
        City = row.Text(SalesforceSchema.Lead.City),
        PostalCode = row.Text(SalesforceSchema.Lead.PostalCode),
        Country = CountryOf(row.Text(SalesforceSchema.Lead.Country)),

        // "You can't convert a lead via the API by changing Status" (§4.1): IsConverted says qualified, not Status.
        Status = ParseBoolean(row.Text(SalesforceSchema.Lead.IsConverted)) == true ? LeadStatus.Qualified
            : row.Text(SalesforceSchema.Lead.Status) is { } status && Mapping.DisqualifiedLeadStatuses.Contains(status) ? LeadStatus.Disqualified
            : LeadStatus.Open,
        OwnerId = row.Text(SalesforceSchema.OwnerId),
        OwnerName = row.Text(SalesforceSchema.OwnerName),
    };

    private Activity ReadActivity(Row row, bool isEvent)
    {
        var type = isEvent ? EventTypeOf(row.Text(SalesforceSchema.Activity.Type)) : TaskTypeOf(row.Text(SalesforceSchema.Task.TaskSubtype), row.Text(SalesforceSchema.Activity.Type));
        var parties = new List<RecordRef>();
        var regarding = Reference(row.Text(SalesforceSchema.Activity.WhatId), row.Text(SalesforceSchema.Activity.WhatType));
        // The Who is a contact or a lead; when neither its type nor its id's prefix says which, it stays a party of
        // unknown kind (the directory finds it by id).
        if (Reference(row.Text(SalesforceSchema.Activity.WhoId), row.Text(SalesforceSchema.Activity.WhoType)) is { Kind: RecordKind.Contact or RecordKind.Lead or RecordKind.Unknown } who)
            parties.Add(who);

        // AccountId is derived (the What's account, else the Who contact's): the customer the activity is with.
        if (row.Text(SalesforceSchema.Activity.AccountId) is { } accountId && !(regarding is { } r && string.Equals(r.Id, accountId, StringComparison.OrdinalIgnoreCase)))
            parties.Add(new RecordRef(RecordKind.Account, accountId));

        return new Activity
        {
            Id = row.Id,
            Type = type,
            Direction = DirectionOf(isEvent ? null : row.Text(SalesforceSchema.Task.CallType), type),
            Status = isEvent ? ActivityStatus.Open : TaskStatusOf(ParseBoolean(row.Text(SalesforceSchema.Task.IsClosed)), row.Text(SalesforceSchema.Task.Status)),
            Regarding = regarding,
            Parties = parties,
            ScheduledStart = ParseDateTime(row.Text(isEvent ? SalesforceSchema.Event.StartDateTime : SalesforceSchema.Task.ActivityDate)),
            CreatedOn = ParseDateTime(row.Text(SalesforceSchema.CreatedDate)),
            Subject = row.Text(SalesforceSchema.Activity.Subject),
            Description = row.Text(SalesforceSchema.Activity.Description),
            OwnerId = row.Text(SalesforceSchema.OwnerId),
            OwnerName = row.Text(SalesforceSchema.OwnerName),
            RescheduleCount = Mapping.RescheduleCountField is { } count && double.TryParse(row.Text(count), NumberStyles.Float, CultureInfo.InvariantCulture, out var moves) ? (int)moves : 0,
        };
    }

    private AccountStatus AccountStatusOf(string? type) =>
        type is null ? AccountStatus.Unknown
        : Mapping.CustomerTypes.Contains(type) ? AccountStatus.Customer
        : Mapping.ProspectTypes.Contains(type) ? AccountStatus.Prospect
        : Mapping.FormerTypes.Contains(type) ? AccountStatus.Former
        : AccountStatus.Unknown;

    /// <summary>Task: <c>TaskSubtype</c> (Call, Email, ListEmail; not updateable) first, else the <c>Type</c> picklist; channels by their usual names.</summary>
    private static ActivityType TaskTypeOf(string? subtype, string? type) => (subtype?.ToUpperInvariant(), type?.ToUpperInvariant()) switch
    {
        ("CALL", _) or (_, "CALL") => ActivityType.PhoneCall,
        ("EMAIL" or "LISTEMAIL", _) or (_, "EMAIL") => ActivityType.Email,
        (_, "MEETING") => ActivityType.Appointment,
        (_, "SMS" or "TEXT") => ActivityType.Sms,
        (_, "CHAT") => ActivityType.Chat,
        (_, "VOICEMAIL") => ActivityType.Voicemail,
        _ => ActivityType.Task,
    };

    /// <summary>Event: a meeting, unless its <c>Type</c> says it is a call.</summary>
    private static ActivityType EventTypeOf(string? type) => string.Equals(type, "Call", StringComparison.OrdinalIgnoreCase) ? ActivityType.PhoneCall : ActivityType.Appointment;

    /// <summary><c>CallType</c> Inbound is inbound; without it, chats and voicemails come in and the rest go out.</summary>
    private static ActivityDirection DirectionOf(string? callType, ActivityType type) => callType?.ToUpperInvariant() switch
    {
        "INBOUND" => ActivityDirection.Inbound,
        "OUTBOUND" or "INTERNAL" => ActivityDirection.Outbound,
        _ => type is ActivityType.Chat or ActivityType.Voicemail ? ActivityDirection.Inbound : ActivityDirection.Outbound,
    };

    /// <summary>Closed with the Completed status is done; closed otherwise (a custom closed status) is canceled; else open.</summary>
    private static ActivityStatus TaskStatusOf(bool? isClosed, string? status) => isClosed switch
    {
        true => string.Equals(status, SalesforceSchema.Task.CompletedStatus, StringComparison.OrdinalIgnoreCase) ? ActivityStatus.Completed : ActivityStatus.Canceled,
        false => ActivityStatus.Open,
        null => string.Equals(status, SalesforceSchema.Task.CompletedStatus, StringComparison.OrdinalIgnoreCase) ? ActivityStatus.Completed : ActivityStatus.Open,
    };

    private static RecordRef? Reference(string? id, string? type) =>
        id is null ? null : new RecordRef(SalesforceSchema.KindOf(type ?? SalesforceSchema.ObjectOfId(id)), id);

    private static string? CountryOf(string? text) => text is null ? null : text.Length == 2 ? text.ToUpperInvariant() : text;

    private static void AddIf(List<string> fields, string? field)
    {
        if (field is not null)
            fields.Add(field);
    }

    private static void AddActivityFields(List<string> fields) => fields.AddRange(
    [
        SalesforceSchema.Activity.Subject, SalesforceSchema.Activity.Description, SalesforceSchema.Activity.Type, SalesforceSchema.Activity.WhoId, SalesforceSchema.Activity.WhoType,
        SalesforceSchema.Activity.WhatId, SalesforceSchema.Activity.WhatType, SalesforceSchema.Activity.AccountId, SalesforceSchema.OwnerId, SalesforceSchema.OwnerName, SalesforceSchema.CreatedDate,
    ]);

    /// <summary>A record's fields: trimmed, and absent when blank.</summary>
    private readonly struct Row(Func<string, string?> field)
    {
        public string Id => Text(SalesforceSchema.Id) ?? string.Empty;

        public string? Text(string name) => field(name) is { } text && text.Trim() is { Length: > 0 } trimmed ? trimmed : null;
    }
}
