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

    private readonly DataverseRecordReader _reader;
    private readonly DataversePluginSettings _settings;

    /// <summary>Initializes a new instance of the <see cref="DataverseRecordMapper"/> class.</summary>
    /// <param name="settings">The adapter's settings (custom activity tables, the reschedule-count column).</param>
    public DataverseRecordMapper(DataversePluginSettings settings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        var tables = new Dictionary<string, ActivityType>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in settings.ActivityTables())
            tables[pair.Key] = pair.Value;

        // The one mapping every host shares (Schema/DataverseRecordReader.cs): this class only adapts SDK entities to it.
        _reader = new DataverseRecordReader(new DataverseMapping(tables, rescheduleCountColumn: settings.RescheduleCountColumn, partyColumns: PartyListColumns));
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
    public bool IsActivity(string? logicalName) => logicalName is not null && _reader.Mapping.IsActivityTable(logicalName);

    /// <summary>Gets the kind of record a table holds.</summary>
    /// <param name="logicalName">The table's logical name.</param>
    /// <returns>The kind; <see cref="RecordKind.Unknown"/> for tables the guards do not reason about (opportunity, queue…).</returns>
    public RecordKind KindOf(string? logicalName) => _reader.Mapping.KindOf(logicalName);

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
    public CrmRecord? ToRecord(Entity entity) => _reader.Read(new EntityRow(entity ?? throw new ArgumentNullException(nameof(entity)), PartyListColumns));

    /// <summary>Maps a lead row.</summary>
    /// <param name="entity">The row.</param>
    /// <returns>The lead.</returns>
    public Lead ToLead(Entity entity) => _reader.ReadLead(new EntityRow(entity, PartyListColumns));

    /// <summary>Maps an account row: inactive accounts are former customers; else the customer-type codes decide.</summary>
    /// <param name="entity">The row.</param>
    /// <returns>The account.</returns>
    public Account ToAccount(Entity entity) => _reader.ReadAccount(new EntityRow(entity, PartyListColumns));

    /// <summary>Maps a contact row; its account is <c>parentcustomerid</c> when that points to an account.</summary>
    /// <param name="entity">The row.</param>
    /// <returns>The contact.</returns>
    public Contact ToContact(Entity entity) => _reader.ReadContact(new EntityRow(entity, PartyListColumns));

    /// <summary>Maps an activity row (a specific activity table, or <c>activitypointer</c> with <c>activitytypecode</c>).</summary>
    /// <param name="entity">The row.</param>
    /// <param name="parties">Parties read separately (activitypointer rows carry none), or <see langword="null"/> to read the party-list columns.</param>
    /// <returns>The activity.</returns>
    public Activity ToActivity(Entity entity, IReadOnlyList<RecordRef>? parties)
    {
        var activity = _reader.ReadActivity(new EntityRow(entity, PartyListColumns));
        return parties is null ? activity : activity with { Parties = parties };
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
}

/// <summary>An SDK entity as the shared reader reads rows (aliased values of link-entities included).</summary>
internal sealed class EntityRow : IDataverseRow
{
    private readonly Entity _entity;
    private readonly IReadOnlyList<string> _partyColumns;

    public EntityRow(Entity entity, IReadOnlyList<string> partyColumns)
    {
        _entity = entity;
        _partyColumns = partyColumns;
    }

    public string Table => _entity.LogicalName == DataverseSchema.Activity.PointerTable && Text(DataverseSchema.Activity.TypeCode) is { } type ? type : _entity.LogicalName;

    public string Id => DataverseRecordMapper.Id(_entity.Id);

    public bool Has(string column) => _entity.Contains(column);

    public string? Text(string column) => DataverseSchema.TextOf(DataverseRecordMapper.Value(_entity, column) as string);

    public int? Number(string column) => DataverseRecordMapper.Value(_entity, column) switch
    {
        OptionSetValue option => option.Value,
        int number => number,
        _ => null,
    };

    public bool? Flag(string column) => DataverseRecordMapper.Value(_entity, column) is bool flag ? flag : null;

    public DateTimeOffset? Date(string column) => DataverseRecordMapper.Value(_entity, column) switch
    {
        // The SDK returns date-times in UTC; an unspecified kind is read as UTC too.
        DateTime date => new DateTimeOffset(DateTime.SpecifyKind(date.Kind == DateTimeKind.Local ? date.ToUniversalTime() : date, DateTimeKind.Utc)),
        _ => null,
    };

    public DataverseLookup? Lookup(string column) =>
        DataverseRecordMapper.Value(_entity, column) is EntityReference reference && reference.Id != Guid.Empty
            ? new DataverseLookup(reference.LogicalName ?? string.Empty, DataverseRecordMapper.Id(reference.Id), reference.Name)
            : null;

    public IReadOnlyList<DataverseParty>? Parties()
    {
        List<DataverseParty>? parties = null;
        foreach (var column in _partyColumns)
        {
            if (DataverseRecordMapper.Value(_entity, column) is not EntityCollection list)
                continue;
            parties ??= new List<DataverseParty>();
            foreach (var party in list.Entities)
            {
                if (party.GetAttributeValue<EntityReference>("partyid") is { } who && who.Id != Guid.Empty)
                {
                    var mask = DataverseSchema.Activity.MaskOf(column, party.GetAttributeValue<OptionSetValue>(DataverseSchema.Activity.ParticipationType)?.Value);
                    parties.Add(new DataverseParty(new DataverseLookup(who.LogicalName ?? string.Empty, DataverseRecordMapper.Id(who.Id), who.Name), mask));
                }
            }
        }

        return parties;
    }
}
