// One mapping from Dataverse rows to the guards' records, shared as source by CrmGuardrails.Dataverse (Web API rows,
// webhook execution contexts) and the plug-in package (SDK entities): each host adapts its row to IDataverseRow.
#nullable enable
using System;
using System.Collections.Generic;

namespace CrmGuardrails.Dataverse;

/// <summary>A lookup value: the referenced table, the row's id (a GUID in "D" form) and its name when the host sent it.</summary>
internal sealed class DataverseLookup
{
    public DataverseLookup(string table, string id, string? name)
    {
        Table = table;
        Id = id;
        Name = name;
    }

    public string Table { get; }

    public string Id { get; }

    public string? Name { get; }
}

/// <summary>An activity party: who, and how they take part (<c>participationtypemask</c>).</summary>
internal sealed class DataverseParty
{
    public DataverseParty(DataverseLookup party, int? mask)
    {
        Party = party;
        Mask = mask;
    }

    public DataverseLookup Party { get; }

    public int? Mask { get; }
}

/// <summary>
/// A Dataverse row as a host holds it (a Web API JSON row, an execution context's entity, an SDK entity), read by
/// logical column names. A column the row does not have reads as absent; the reader leaves the record's value alone.
/// </summary>
internal interface IDataverseRow
{
    /// <summary>Gets the table's logical name (for <c>activitypointer</c> rows, the activity's own table).</summary>
    string Table { get; }

    /// <summary>Gets the row's id in "D" form, or empty when Dataverse has not assigned one yet.</summary>
    string Id { get; }

    /// <summary>Tells whether the row carries the column (possibly empty).</summary>
    bool Has(string column);

    string? Text(string column);

    /// <summary>A whole number or a choice's value.</summary>
    int? Number(string column);

    bool? Flag(string column);

    DateTimeOffset? Date(string column);

    DataverseLookup? Lookup(string column);

    /// <summary>Gets the activity's parties (every party-list column), or <see langword="null"/> when the row carries none.</summary>
    IReadOnlyList<DataverseParty>? Parties();
}

/// <summary>A row changed by an update: the columns being set over the row as it was.</summary>
internal sealed class OverlayRow : IDataverseRow
{
    private readonly IDataverseRow _changes;
    private readonly IDataverseRow _basis;

    public OverlayRow(IDataverseRow changes, IDataverseRow basis)
    {
        _changes = changes;
        _basis = basis;
    }

    public string Table => _changes.Table;

    public string Id => _changes.Id.Length > 0 ? _changes.Id : _basis.Id;

    public bool Has(string column) => _changes.Has(column) || _basis.Has(column);

    public string? Text(string column) => _changes.Has(column) ? _changes.Text(column) : _basis.Text(column);

    public int? Number(string column) => _changes.Has(column) ? _changes.Number(column) : _basis.Number(column);

    public bool? Flag(string column) => _changes.Has(column) ? _changes.Flag(column) : _basis.Flag(column);

    public DateTimeOffset? Date(string column) => _changes.Has(column) ? _changes.Date(column) : _basis.Date(column);

    public DataverseLookup? Lookup(string column) => _changes.Has(column) ? _changes.Lookup(column) : _basis.Lookup(column);

    public IReadOnlyList<DataverseParty>? Parties() => _changes.Parties() ?? _basis.Parties();
}

/// <summary>A row with no columns, for reading only what another row sets.</summary>
internal sealed class EmptyRow : IDataverseRow
{
    private EmptyRow(string table, string id)
    {
        Table = table;
        Id = id;
    }

    public string Table { get; }

    public string Id { get; }

    public static EmptyRow Of(string table, string id) => new(table, id);

    public bool Has(string column) => false;

    public string? Text(string column) => null;

    public int? Number(string column) => null;

    public bool? Flag(string column) => null;

    public DateTimeOffset? Date(string column) => null;

    public DataverseLookup? Lookup(string column) => null;

    public IReadOnlyList<DataverseParty>? Parties() => null;
}

/// <summary>What a host may configure about its org's schema.</summary>
internal sealed class DataverseMapping
{
    public DataverseMapping(
        IReadOnlyDictionary<string, ActivityType>? activityTables = null,
        IReadOnlyCollection<int>? customerTypeCodes = null,
        IReadOnlyCollection<int>? prospectTypeCodes = null,
        string? rescheduleCountColumn = DataverseSchema.Flags.RescheduleCount,
        IReadOnlyList<string>? partyColumns = null)
    {
        var tables = new Dictionary<string, ActivityType>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in activityTables ?? DataverseSchema.Activity.DefaultTables)
            tables[pair.Key] = pair.Value;
        ActivityTables = tables;
        CustomerTypeCodes = customerTypeCodes ?? DataverseSchema.Account.CustomerTypeCodes;
        ProspectTypeCodes = prospectTypeCodes ?? DataverseSchema.Account.ProspectTypeCodes;
        RescheduleCountColumn = string.IsNullOrWhiteSpace(rescheduleCountColumn) ? null : rescheduleCountColumn;
        PartyColumns = partyColumns ?? DataverseSchema.Activity.PartyColumns;
    }

    /// <summary>Gets the party-list columns read as an activity's parties.</summary>
    public IReadOnlyList<string> PartyColumns { get; }

    /// <summary>Gets the activity tables the guards read, and the kind of activity each holds.</summary>
    public IReadOnlyDictionary<string, ActivityType> ActivityTables { get; }

    public IReadOnlyCollection<int> CustomerTypeCodes { get; }

    public IReadOnlyCollection<int> ProspectTypeCodes { get; }

    /// <summary>Gets the column counting an activity's moves, or <see langword="null"/> when the org has none.</summary>
    public string? RescheduleCountColumn { get; }

    public bool IsActivityTable(string table) => ActivityTables.ContainsKey(table);

    /// <summary>Gets the kind of record a table holds (<see cref="RecordKind.Unknown"/> for tables the guards do not read).</summary>
    public RecordKind KindOf(string? table) => DataverseSchema.KindOf(table, IsActivityTable);
}

/// <summary>Reads any host's Dataverse row into the record the guards see.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class DataverseRecordReader
{
    public DataverseRecordReader(DataverseMapping mapping)
    {
        Mapping = mapping;
    }

    public DataverseMapping Mapping { get; }

    /// <summary>Maps a row; <see langword="null"/> for a table the guards do not read.</summary>
    public CrmRecord? Read(IDataverseRow row)
    {
        switch (Mapping.KindOf(row.Table))
        {
            case RecordKind.Account:
                return ReadAccount(row);
            case RecordKind.Contact:
                return ReadContact(row);
            case RecordKind.Lead:
                return ReadLead(row);
            case RecordKind.User:
                return row.Table == DataverseSchema.User.TeamTable
                    ? new User { Id = row.Id, Name = row.Text(DataverseSchema.User.TeamName) ?? string.Empty }
                    : new User { Id = row.Id, Name = row.Text(DataverseSchema.User.FullName) ?? string.Empty, ManagerId = row.Lookup(DataverseSchema.User.Manager)?.Id };
            case RecordKind.Activity:
                return ReadActivity(row);
            default:
                return null;
        }
    }

    public Account ReadAccount(IDataverseRow row) => new()
    {
        Id = row.Id,
        Name = row.Text(DataverseSchema.Account.Name) ?? string.Empty,
        Website = row.Text(DataverseSchema.Account.Website),
        Phone = row.Text(DataverseSchema.Account.Phone),
        Email = row.Text(DataverseSchema.Account.Email),
        Street = row.Text(DataverseSchema.Account.Street),
        City = row.Text(DataverseSchema.Account.City),
        PostalCode = row.Text(DataverseSchema.Account.PostalCode),
        Country = DataverseSchema.CountryOf(row.Text(DataverseSchema.Account.Country)),
        Status = DataverseSchema.AccountStatusOf(row.Number(DataverseSchema.State), row.Number(DataverseSchema.Account.CustomerType), Mapping.CustomerTypeCodes, Mapping.ProspectTypeCodes),
        OwnerId = row.Lookup(DataverseSchema.Owner)?.Id,
        OwnerName = row.Lookup(DataverseSchema.Owner)?.Name,
        ParentId = row.Lookup(DataverseSchema.Account.Parent)?.Id,
        ParentName = row.Lookup(DataverseSchema.Account.Parent)?.Name,
    };

    public Contact ReadContact(IDataverseRow row)
    {
        // A contact's parent customer may be another contact: only an account is its AccountId (a parent whose table
        // the host did not say is taken for an account, the usual case).
        var parent = row.Lookup(DataverseSchema.Contact.ParentCustomer);
        return new Contact
        {
            Id = row.Id,
            FirstName = row.Text(DataverseSchema.Contact.FirstName),
            LastName = row.Text(DataverseSchema.Contact.LastName),
            Email = row.Text(DataverseSchema.Contact.Email),
            Phone = row.Text(DataverseSchema.Contact.Phone) ?? row.Text(DataverseSchema.Contact.MobilePhone),
            AccountId = parent is not null && (parent.Table.Length == 0 || parent.Table == DataverseSchema.Account.Table) ? parent.Id : null,
            OwnerId = row.Lookup(DataverseSchema.Owner)?.Id,
            OwnerName = row.Lookup(DataverseSchema.Owner)?.Name,
        };
    }

    public Lead ReadLead(IDataverseRow row) => new()
    {
        Id = row.Id,
        FirstName = row.Text(DataverseSchema.Lead.FirstName),
        LastName = row.Text(DataverseSchema.Lead.LastName),
        Company = row.Text(DataverseSchema.Lead.Company),
        Email = row.Text(DataverseSchema.Lead.Email),
        Phone = row.Text(DataverseSchema.Lead.Phone) ?? row.Text(DataverseSchema.Lead.MobilePhone),
        Website = row.Text(DataverseSchema.Lead.Website),
        Street = row.Text(DataverseSchema.Lead.Street),
        City = row.Text(DataverseSchema.Lead.City),
        PostalCode = row.Text(DataverseSchema.Lead.PostalCode),
        Country = DataverseSchema.CountryOf(row.Text(DataverseSchema.Lead.Country)),
        Status = DataverseSchema.Lead.StatusOf(row.Number(DataverseSchema.State)),
        OwnerId = row.Lookup(DataverseSchema.Owner)?.Id,
        OwnerName = row.Lookup(DataverseSchema.Owner)?.Name,
    };

    public Activity ReadActivity(IDataverseRow row)
    {
        var type = Mapping.ActivityTables.TryGetValue(row.Table, out var known) ? known : DataverseSchema.Activity.TypeOfUnmapped(row.Table);
        var parties = new List<RecordRef>();
        var customerSends = false;
        foreach (var party in row.Parties() ?? Array.Empty<DataverseParty>())
        {
            var kind = Mapping.KindOf(party.Party.Table);
            if (kind is not (RecordKind.Account or RecordKind.Contact or RecordKind.Lead))
                continue;
            var reference = new RecordRef(kind, party.Party.Id);
            if (!parties.Contains(reference))
                parties.Add(reference);
            customerSends |= party.Mask == DataverseSchema.Activity.SenderMask;
        }

        var regarding = row.Lookup(DataverseSchema.Activity.Regarding);
        var owner = row.Lookup(DataverseSchema.Owner);
        return new Activity
        {
            Id = row.Id,
            Type = type,

            // directioncode: true outgoing, false incoming; tables without it by their kind and who sends.
            Direction = row.Flag(DataverseSchema.Activity.Direction) switch
            {
                true => ActivityDirection.Outbound,
                false => ActivityDirection.Inbound,
                null => DataverseSchema.Activity.DefaultDirection(type, customerSends),
            },
            Status = DataverseSchema.Activity.StatusOf(row.Number(DataverseSchema.State)),
            Regarding = regarding is null ? null : new RecordRef(Mapping.KindOf(regarding.Table), regarding.Id),
            Parties = parties,
            ScheduledStart = row.Date(DataverseSchema.Activity.ScheduledStart),
            CreatedOn = row.Date(DataverseSchema.CreatedOn),
            Subject = row.Text(DataverseSchema.Activity.Subject),
            Description = row.Text(DataverseSchema.Activity.Description),
            OwnerId = owner?.Id,
            OwnerName = owner?.Name,
            RescheduleCount = Mapping.RescheduleCountColumn is { } count ? row.Number(count) ?? 0 : 0,
        };
    }

    /// <summary>
    /// Applies the columns an update sets (a Target without a pre-image) to the activity as it was, read from the
    /// directory: the activity as saved.
    /// </summary>
    public Activity ApplyActivity(Activity before, IDataverseRow changes)
    {
        var read = ReadActivity(new OverlayRow(changes, EmptyRow.Of(changes.Table, before.Id)));
        var parties = changes.Parties();
        return before with
        {
            OwnerId = changes.Has(DataverseSchema.Owner) ? read.OwnerId : before.OwnerId,
            OwnerName = changes.Has(DataverseSchema.Owner) ? read.OwnerName : before.OwnerName,
            Direction = changes.Has(DataverseSchema.Activity.Direction) ? read.Direction : before.Direction,
            Status = changes.Has(DataverseSchema.State) ? read.Status : before.Status,
            Regarding = changes.Has(DataverseSchema.Activity.Regarding) ? read.Regarding : before.Regarding,
            Parties = parties is null ? before.Parties : read.Parties,
            ScheduledStart = changes.Has(DataverseSchema.Activity.ScheduledStart) ? read.ScheduledStart : before.ScheduledStart,
            Subject = changes.Has(DataverseSchema.Activity.Subject) ? read.Subject : before.Subject,
            Description = changes.Has(DataverseSchema.Activity.Description) ? read.Description : before.Description,
            RescheduleCount = Mapping.RescheduleCountColumn is { } count && changes.Has(count) ? read.RescheduleCount : before.RescheduleCount,
        };
    }

    /// <summary>The columns to read from an activity table (party lists and the reschedule count included).</summary>
    public IReadOnlyList<string> ActivityColumns()
    {
        var columns = new List<string>(DataverseSchema.Activity.Columns);
        columns.AddRange(Mapping.PartyColumns);
        if (Mapping.RescheduleCountColumn is { } count)
            columns.Add(count);
        return columns;
    }
}
