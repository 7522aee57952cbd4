// CrmGuardrails.Dataverse.Plugin (source package): compiled into your plug-in assembly.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CrmGuardrails;
using Microsoft.Xrm.Sdk;

namespace CrmGuardrails.Dataverse.Plugin;

/// <summary>
/// Maps Dataverse rows (late-bound <see cref="Entity"/>) to the core's records, and lookups to <see cref="RecordRef"/>.
/// Ids are Dataverse GUIDs in their "D" form (lower case, with hyphens).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class DataverseRecordMapper
{
    /// <summary>The party-list columns read as an activity's parties.</summary>
    public static readonly IReadOnlyList<string> PartyListColumns = new[] { "to", "from", "requiredattendees", "optionalattendees" };

    /// <summary>The lead columns the mapper reads.</summary>
    public static readonly IReadOnlyList<string> LeadColumns = new[]
    {
        "leadid", "firstname", "lastname", "companyname", "emailaddress1", "telephone1", "mobilephone", "websiteurl",
        "address1_line1", "address1_city", "address1_postalcode", "address1_country", "ownerid", "statecode",
    };

    /// <summary>The account columns the mapper reads.</summary>
    public static readonly IReadOnlyList<string> AccountColumns = new[]
    {
        "accountid", "name", "websiteurl", "telephone1", "emailaddress1", "address1_line1", "address1_city", "address1_postalcode",
        "address1_country", "ownerid", "statecode", "customertypecode", "parentaccountid",
    };

    /// <summary>The contact columns the mapper reads.</summary>
    public static readonly IReadOnlyList<string> ContactColumns = new[]
    {
        "contactid", "parentcustomerid", "firstname", "lastname", "emailaddress1", "telephone1", "mobilephone", "ownerid",
    };

    /// <summary>The systemuser columns the mapper reads.</summary>
    public static readonly IReadOnlyList<string> UserColumns = new[] { "systemuserid", "fullname", "parentsystemuserid" };

    private readonly Dictionary<string, ActivityType> _activityTables;
    private readonly DataversePluginSettings _settings;

    /// <summary>Initializes a new instance of the <see cref="DataverseRecordMapper"/> class.</summary>
    /// <param name="settings">The adapter's settings (custom activity tables, the reschedule-count column).</param>
    public DataverseRecordMapper(DataversePluginSettings settings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _activityTables = new Dictionary<string, ActivityType>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in settings.ActivityTables())
            _activityTables[pair.Key] = pair.Value;
    }

    /// <summary>Gets the activity columns the mapper reads from a specific activity table.</summary>
    /// <returns>The columns.</returns>
    public IReadOnlyList<string> ActivityColumns()
    {
        var columns = new List<string>
        {
            "activityid", "activitytypecode", "subject", "description", "scheduledstart", "createdon", "statecode", "ownerid",
            "regardingobjectid", "directioncode",
        };
        columns.AddRange(PartyListColumns);
        if (!string.IsNullOrEmpty(_settings.RescheduleCountColumn))
            columns.Add(_settings.RescheduleCountColumn);
        return columns;
    }

    /// <summary>Tells whether a table is an activity table the adapter knows.</summary>
    /// <param name="logicalName">The table's logical name.</param>
    /// <returns><see langword="true"/> for phonecall, appointment, email, task and the configured custom activity tables.</returns>
    public bool IsActivity(string? logicalName) => logicalName is not null && _activityTables.ContainsKey(logicalName);

    /// <summary>Gets the kind of record a table holds.</summary>
    /// <param name="logicalName">The table's logical name.</param>
    /// <returns>The kind; <see cref="RecordKind.Unknown"/> for tables the guards do not reason about (opportunity, queue…).</returns>
    public RecordKind KindOf(string? logicalName) => logicalName switch
    {
        "account" => RecordKind.Account,
        "contact" => RecordKind.Contact,
        "lead" => RecordKind.Lead,
        "systemuser" => RecordKind.User,
        "activitypointer" => RecordKind.Activity,
        _ => IsActivity(logicalName) ? RecordKind.Activity : RecordKind.Unknown,
    };

    /// <summary>Formats a Dataverse id as a core id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The "D" form, or an empty string for <see cref="Guid.Empty"/>.</returns>
    public static string Id(Guid id) => id == Guid.Empty ? string.Empty : id.ToString("D");

    /// <summary>Maps a lookup to a reference.</summary>
    /// <param name="reference">The lookup value.</param>
    /// <returns>The reference, or <see langword="null"/> for an empty lookup.</returns>
    public RecordRef? ToRef(EntityReference? reference) =>
        reference is null || reference.Id == Guid.Empty ? null : new RecordRef(KindOf(reference.LogicalName), Id(reference.Id));

    /// <summary>Maps a row to a record.</summary>
    /// <param name="entity">The row (a Target, an image, or a query result).</param>
    /// <returns>The record, or <see langword="null"/> for a table the guards do not reason about.</returns>
    public CrmRecord? ToRecord(Entity entity)
    {
        if (entity is null)
            throw new ArgumentNullException(nameof(entity));
        switch (entity.LogicalName)
        {
            case "lead":
                return ToLead(entity);
            case "account":
                return ToAccount(entity);
            case "contact":
                return ToContact(entity);
            case "systemuser":
                return new User
                {
                    Id = Id(entity.Id),
                    Name = Text(entity, "fullname") ?? string.Empty,
                    ManagerId = Lookup(entity, "parentsystemuserid"),
                };
            default:
                return KindOf(entity.LogicalName) == RecordKind.Activity ? ToActivity(entity, null) : null;
        }
    }

    /// <summary>Maps a lead row.</summary>
    /// <param name="entity">The row.</param>
    /// <returns>The lead.</returns>
    public Lead ToLead(Entity entity) => new()
    {
        Id = Id(entity.Id),
        OwnerId = Lookup(entity, "ownerid"),
        OwnerName = entity.GetAttributeValue<EntityReference>("ownerid")?.Name,
        FirstName = Text(entity, "firstname"),
        LastName = Text(entity, "lastname"),
        Company = Text(entity, "companyname"),
        Email = Text(entity, "emailaddress1"),
        Phone = Text(entity, "telephone1") ?? Text(entity, "mobilephone"),
        Website = Text(entity, "websiteurl"),
        Street = Text(entity, "address1_line1"),
        City = Text(entity, "address1_city"),
        PostalCode = Text(entity, "address1_postalcode"),
        Country = Country(entity, "address1_country"),
        Status = Option(entity, "statecode") switch
        {
            1 => LeadStatus.Qualified,
            2 => LeadStatus.Disqualified,
            _ => LeadStatus.Open,
        },
    };

    /// <summary>Maps an account row. Inactive accounts are former customers; else <c>customertypecode</c> 3 is a customer and 8 a prospect.</summary>
    /// <param name="entity">The row.</param>
    /// <returns>The account.</returns>
    public Account ToAccount(Entity entity) => new()
    {
        Id = Id(entity.Id),
        OwnerId = Lookup(entity, "ownerid"),
        OwnerName = entity.GetAttributeValue<EntityReference>("ownerid")?.Name,
        Name = Text(entity, "name") ?? string.Empty,
        Website = Text(entity, "websiteurl"),
        Phone = Text(entity, "telephone1"),
        Email = Text(entity, "emailaddress1"),
        Street = Text(entity, "address1_line1"),
        City = Text(entity, "address1_city"),
        PostalCode = Text(entity, "address1_postalcode"),
        Country = Country(entity, "address1_country"),
        ParentId = Lookup(entity, "parentaccountid"),
        Status = Option(entity, "statecode") == 1 ? AccountStatus.Former
            : Option(entity, "customertypecode") switch
            {
                3 => AccountStatus.Customer,
                8 => AccountStatus.Prospect,
                _ => AccountStatus.Unknown,
            },
    };

    /// <summary>Maps a contact row; its account is <c>parentcustomerid</c> when that points to an account.</summary>
    /// <param name="entity">The row.</param>
    /// <returns>The contact.</returns>
    public Contact ToContact(Entity entity)
    {
        var parent = entity.GetAttributeValue<EntityReference>("parentcustomerid");
        return new Contact
        {
            Id = Id(entity.Id),
            OwnerId = Lookup(entity, "ownerid"),
            OwnerName = entity.GetAttributeValue<EntityReference>("ownerid")?.Name,
            AccountId = parent is not null && parent.LogicalName == "account" ? Id(parent.Id) : null,
            FirstName = Text(entity, "firstname"),
            LastName = Text(entity, "lastname"),
            Email = Text(entity, "emailaddress1"),
            Phone = Text(entity, "telephone1") ?? Text(entity, "mobilephone"),
        };
    }

    /// <summary>Maps an activity row (a specific activity table, or <c>activitypointer</c> with <c>activitytypecode</c>).</summary>
    /// <param name="entity">The row.</param>
    /// <param name="parties">Parties read separately (activitypointer rows carry none), or <see langword="null"/> to read the party-list columns.</param>
    /// <returns>The activity.</returns>
    public Activity ToActivity(Entity entity, IReadOnlyList<RecordRef>? parties)
    {
        var table = entity.LogicalName == "activitypointer" ? Text(entity, "activitytypecode") ?? string.Empty : entity.LogicalName;
        _activityTables.TryGetValue(table, out var type);
        if (type == 0)
            type = ActivityType.Task;
        var direction = Flag(entity, "directioncode");
        return new Activity
        {
            Id = Id(entity.Id),
            OwnerId = Lookup(entity, "ownerid"),
            OwnerName = entity.GetAttributeValue<EntityReference>("ownerid")?.Name,
            Type = type,
            // directioncode: true = outgoing, false = incoming. Tables without it: chats and voicemails come in, the rest go out.
            Direction = direction switch
            {
                true => ActivityDirection.Outbound,
                false => ActivityDirection.Inbound,
                _ => type is ActivityType.Chat or ActivityType.Voicemail ? ActivityDirection.Inbound : ActivityDirection.Outbound,
            },
            Status = Option(entity, "statecode") switch
            {
                1 => ActivityStatus.Completed,
                2 => ActivityStatus.Canceled,
                _ => ActivityStatus.Open,
            },
            Regarding = ToRef(entity.GetAttributeValue<EntityReference>("regardingobjectid")),
            Parties = parties ?? Parties(entity),
            ScheduledStart = Date(entity, "scheduledstart"),
            CreatedOn = Date(entity, "createdon"),
            Subject = Text(entity, "subject"),
            Description = Text(entity, "description"),
            RescheduleCount = string.IsNullOrEmpty(_settings.RescheduleCountColumn) ? 0 : Number(entity, _settings.RescheduleCountColumn) ?? 0,
        };
    }

    /// <summary>Reads the customers among an activity's parties (accounts, contacts, leads; users and queues are left out).</summary>
    /// <param name="entity">The activity row.</param>
    /// <returns>The parties, without repeats.</returns>
    public IReadOnlyList<RecordRef> Parties(Entity entity)
    {
        var parties = new List<RecordRef>();
        foreach (var column in PartyListColumns)
        {
            if (!entity.Contains(column) || entity[column] is not EntityCollection list)
                continue;
            foreach (var party in list.Entities)
            {
                if (ToRef(party.GetAttributeValue<EntityReference>("partyid")) is { } reference && IsCustomer(reference.Kind) && !parties.Contains(reference))
                    parties.Add(reference);
            }
        }

        return parties;
    }

    /// <summary>Tells whether a kind of record can be a customer party.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> for accounts, contacts and leads.</returns>
    public static bool IsCustomer(RecordKind kind) => kind is RecordKind.Account or RecordKind.Contact or RecordKind.Lead;

    /// <summary>Gets a value, looking through link-entity aliases (<see cref="AliasedValue"/>).</summary>
    /// <param name="entity">The row.</param>
    /// <param name="column">The column, or <c>alias.column</c>.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public static object? Value(Entity entity, string column)
    {
        if (!entity.Contains(column))
            return null;
        var value = entity[column];
        return value is AliasedValue aliased ? aliased.Value : value;
    }

    private static string? Text(Entity entity, string column) => Value(entity, column) is string text && text.Trim().Length > 0 ? text.Trim() : null;

    private static string? Lookup(Entity entity, string column) => Value(entity, column) is EntityReference reference && reference.Id != Guid.Empty ? Id(reference.Id) : null;

    private static int? Option(Entity entity, string column) => Value(entity, column) switch
    {
        OptionSetValue option => option.Value,
        int number => number,
        _ => null,
    };

    private static int? Number(Entity entity, string column) => Value(entity, column) is int number ? number : null;

    private static bool? Flag(Entity entity, string column) => Value(entity, column) is bool flag ? flag : null;

    private static DateTimeOffset? Date(Entity entity, string column) => Value(entity, column) switch
    {
        // The SDK returns date-times in UTC; an unspecified kind is read as UTC too.
        DateTime date => new DateTimeOffset(DateTime.SpecifyKind(date.Kind == DateTimeKind.Local ? date.ToUniversalTime() : date, DateTimeKind.Utc)),
        _ => null,
    };

    /// <summary>The core wants ISO 3166 alpha-2 codes; Dataverse's address1_country is free text, so only two-letter values are kept.</summary>
    private static string? Country(Entity entity, string column) =>
        Text(entity, column) is { Length: 2 } code && code.All(char.IsLetter) ? code.ToUpper(CultureInfo.InvariantCulture) : null;
}
