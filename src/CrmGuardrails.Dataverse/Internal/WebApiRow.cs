using System.Globalization;
using System.Text.Json;

namespace CrmGuardrails.Dataverse.Internal;

/// <summary>
/// A Web API row (JSON) read by logical column names: a lookup <c>x</c> is the property <c>_x_value</c> with its
/// <c>lookuplogicalname</c> and formatted-value annotations; parties come from the <c>…_activity_parties</c> expansion.
/// </summary>
internal readonly struct WebApiRow(JsonElement row, string table) : IDataverseRow
{
    public const string FormattedValue = "@OData.Community.Display.V1.FormattedValue";
    public const string LookupLogicalName = "@Microsoft.Dynamics.CRM.lookuplogicalname";

    /// <summary>The table: an <c>activitypointer</c> row says its activity's own table in <c>activitytypecode</c>.</summary>
    public string Table => table == DataverseSchema.Activity.PointerTable && String(row, DataverseSchema.Activity.TypeCode) is { } type ? type : table;

    public string Id => Guid(String(row, KeyColumn(table))) ?? throw new DataverseException($"A Dataverse {table} row has no valid '{KeyColumn(table)}'.");

    /// <summary>The primary key column of a table's rows.</summary>
    public static string KeyColumn(string table) => table switch
    {
        DataverseSchema.Activity.PointerTable => DataverseSchema.Activity.Id,
        _ when DataverseSchema.Activity.DefaultTables.ContainsKey(table) => DataverseSchema.Activity.Id,
        _ => table + "id",
    };

    /// <summary>The Web API name of a column for <c>$select</c>: lookups are <c>_x_value</c>.</summary>
    public static string SelectName(string column) => DataverseSchema.IsLookup(column) ? DataverseSchema.LookupProperty(column) : column;

    /// <summary>A <c>$select</c> list of logical columns.</summary>
    public static string Select(IEnumerable<string> columns) => string.Join(",", columns.Where(c => !DataverseSchema.Activity.PartyColumns.Contains(c)).Select(SelectName).Distinct());

    public bool Has(string column) => row.TryGetProperty(SelectName(column), out _);

    public string? Text(string column) => DataverseSchema.TextOf(String(row, column));

    public int? Number(string column) =>
        row.TryGetProperty(column, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    public bool? Flag(string column) =>
        row.TryGetProperty(column, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public DateTimeOffset? Date(string column) =>
        String(row, column) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;

    public DataverseLookup? Lookup(string column) => LookupOf(row, DataverseSchema.LookupProperty(column));

    public IReadOnlyList<DataverseParty>? Parties()
    {
        var navigation = row.TryGetProperty(DataverseSchema.Activity.PartiesNavigation, out var list) ? list
            : row.TryGetProperty(Table + "_activity_parties", out var own) ? own
            : default;
        if (navigation.ValueKind != JsonValueKind.Array)
            return null;
        var parties = new List<DataverseParty>();
        foreach (var party in navigation.EnumerateArray())
        {
            if (party.ValueKind == JsonValueKind.Object && LookupOf(party, DataverseSchema.LookupProperty(DataverseSchema.Activity.PartyId)) is { } who)
            {
                parties.Add(new DataverseParty(
                    who,
                    party.TryGetProperty(DataverseSchema.Activity.ParticipationType, out var mask) && mask.ValueKind == JsonValueKind.Number && mask.TryGetInt32(out var m) ? m : null));
            }
        }

        return parties;
    }

    /// <summary>A GUID in "D" form, or null.</summary>
    public static string? Guid(string? text) => ODataFilter.TryGuid(text, out var literal) ? literal : null;

    private static DataverseLookup? LookupOf(JsonElement row, string property) =>
        Guid(String(row, property)) is { } id
            ? new DataverseLookup(String(row, property + LookupLogicalName) ?? string.Empty, id, String(row, property + FormattedValue))
            : null;

    private static string? String(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
