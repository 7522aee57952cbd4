using System.Text.Json;

namespace CrmGuardrails.Dataverse.Internal;

/// <summary>Web API rows into the core's records, through the one Dataverse mapping (<see cref="DataverseRecordReader"/>).</summary>
internal sealed class RecordMapper(DataverseMappingOptions options)
{
    public static readonly string AccountColumns = WebApiRow.Select(DataverseSchema.Account.Columns);
    public static readonly string ContactColumns = WebApiRow.Select(DataverseSchema.Contact.Columns);
    public static readonly string LeadColumns = WebApiRow.Select(DataverseSchema.Lead.Columns);
    public static readonly string UserColumns = WebApiRow.Select(DataverseSchema.User.Columns);
    public static readonly string TeamColumns = DataverseSchema.User.TeamId + "," + DataverseSchema.User.TeamName;

    /// <summary>The columns <c>activitypointer</c> has (direction and custom columns live on each activity's own table).</summary>
    public static readonly string ActivityColumns = WebApiRow.Select(DataverseSchema.Activity.Columns.Where(c => c != DataverseSchema.Activity.Direction));

    public static readonly string PartiesExpand = DataverseSchema.Activity.PartiesNavigation + "($select=_partyid_value,participationtypemask)";

    private readonly DataverseRecordReader _reader = new(options.ToMapping());

    public DataverseMapping Mapping => _reader.Mapping;

    public Account MapAccount(JsonElement row) => _reader.ReadAccount(new WebApiRow(row, DataverseSchema.Account.Table));

    public Contact MapContact(JsonElement row) => _reader.ReadContact(new WebApiRow(row, DataverseSchema.Contact.Table));

    public Lead MapLead(JsonElement row) => _reader.ReadLead(new WebApiRow(row, DataverseSchema.Lead.Table));

    public User MapUser(JsonElement row) => (User)_reader.Read(new WebApiRow(row, DataverseSchema.User.Table))!;

    /// <summary>A team that owns records is presented as a <see cref="User"/> without a manager.</summary>
    public User MapTeam(JsonElement row) => (User)_reader.Read(new WebApiRow(row, DataverseSchema.User.TeamTable))!;

    public Activity MapActivity(JsonElement row) => _reader.ReadActivity(new WebApiRow(row, DataverseSchema.Activity.PointerTable));

    /// <summary>An activity read from its pointer row, with the columns of its own table (direction, reschedule count) over it.</summary>
    public Activity MapActivity(JsonElement pointer, JsonElement? own) =>
        own is { } table
            ? _reader.ReadActivity(new OverlayRow(new WebApiRow(table, new WebApiRow(pointer, DataverseSchema.Activity.PointerTable).Table), new WebApiRow(pointer, DataverseSchema.Activity.PointerTable)))
            : MapActivity(pointer);

    /// <summary>The columns to read from an activity's own table for what <c>activitypointer</c> lacks.</summary>
    public string OwnActivityColumns(string table) =>
        string.Join(",", new[] { DataverseSchema.Activity.Id, DataverseSchema.Activity.Direction, _reader.Mapping.RescheduleCountColumn }
            .OfType<string>()
            .Where(c => c != DataverseSchema.Activity.Direction || table is "phonecall" or "email"));

    public static string? Lookup(JsonElement row, string property) =>
        row.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? WebApiRow.Guid(value.GetString()) : null;
}
