using System.Globalization;
using System.Text.Json.Nodes;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>
/// The emulated organisation's rows: one ordered table per entity set, rows as JSON objects using Web API column names
/// (lookups as <c>_x_value</c> plus a stored <c>_x_value@Microsoft.Dynamics.CRM.lookuplogicalname</c>). Thread-safe.
/// </summary>
public sealed class EmulatorStore
{
    /// <summary>The lookup logical-name annotation.</summary>
    public const string LookupLogicalName = "@Microsoft.Dynamics.CRM.lookuplogicalname";

    private static readonly HashSet<string> ActivitySets = new(StringComparer.OrdinalIgnoreCase)
    {
        "activitypointers", "tasks", "phonecalls", "appointments", "emails", "letters", "faxes",
    };

    private readonly object _gate = new();
    private readonly Dictionary<string, List<JsonObject>> _sets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the primary key column of an entity set (<c>accounts</c> → <c>accountid</c>, <c>tasks</c> → <c>activityid</c>).</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <returns>The key column.</returns>
    public static string KeyOf(string entitySet) =>
        ActivitySets.Contains(entitySet) ? "activityid" : LogicalNameOf(entitySet) + "id";

    /// <summary>Gets the logical name of an entity set's table (<c>activityparties</c> → <c>activityparty</c>).</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <returns>The logical name.</returns>
    public static string LogicalNameOf(string entitySet)
    {
        var set = entitySet.ToLowerInvariant();
        if (set == "faxes")
            return "fax";
        if (set.EndsWith("ies", StringComparison.Ordinal))
            return set.Substring(0, set.Length - 3) + "y";
        return set.EndsWith('s') ? set.Substring(0, set.Length - 1) : set;
    }

    /// <summary>Gets the entity set of a logical name (<c>systemuser</c> → <c>systemusers</c>).</summary>
    /// <param name="logicalName">The logical name.</param>
    /// <returns>The entity set.</returns>
    public static string EntitySetOf(string logicalName) => logicalName switch
    {
        "activityparty" => "activityparties",
        "fax" => "faxes",
        _ => logicalName + "s",
    };

    /// <summary>Gets a copy of every row of an entity set, in insertion order.</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <returns>The rows (deep copies).</returns>
    public IReadOnlyList<JsonObject> Rows(string entitySet)
    {
        lock (_gate)
        {
            return _sets.TryGetValue(entitySet, out var rows) ? rows.Select(r => (JsonObject)r.DeepClone()).ToList() : [];
        }
    }

    /// <summary>Gets a copy of one row, or <see langword="null"/>.</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <param name="id">The row's id.</param>
    /// <returns>The row or <see langword="null"/>.</returns>
    public JsonObject? Find(string entitySet, string id)
    {
        lock (_gate)
        {
            return FindLocked(entitySet, id) is { } row ? (JsonObject)row.DeepClone() : null;
        }
    }

    /// <summary>Inserts or merges a row (keyed by its entity set's key column, which is generated when missing).</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <param name="row">The columns.</param>
    /// <returns>The row's id.</returns>
    public string Upsert(string entitySet, JsonObject row)
    {
        var key = KeyOf(entitySet);
        var id = row[key]?.GetValue<string>() is { } given && Guid.TryParse(given, out var g) ? g.ToString("D") : Guid.NewGuid().ToString("D");
        lock (_gate)
        {
            if (!_sets.TryGetValue(entitySet, out var rows))
                _sets[entitySet] = rows = [];
            var existing = FindLocked(entitySet, id);
            if (existing is null)
            {
                existing = new JsonObject();
                rows.Add(existing);
            }

            foreach (var (name, value) in row)
                existing[name] = value?.DeepClone();
            existing[key] = id;
            existing["@odata.etag"] = "W/\"" + (rows.Count * 1000 + existing.Count).ToString(CultureInfo.InvariantCulture) + "\"";
        }

        return id;
    }

    /// <summary>Removes a row.</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <param name="id">The id.</param>
    /// <returns>Whether the row existed.</returns>
    public bool Delete(string entitySet, string id)
    {
        lock (_gate)
        {
            var row = FindLocked(entitySet, id);
            return row is not null && _sets[entitySet].Remove(row);
        }
    }

    /// <summary>Finds the table (logical name) that holds an id among the given entity sets.</summary>
    /// <param name="id">The id.</param>
    /// <param name="entitySets">The sets to look in, in order.</param>
    /// <returns>The logical name, or <see langword="null"/>.</returns>
    public string? LogicalNameOfId(string id, params string[] entitySets)
    {
        lock (_gate)
        {
            return entitySets.FirstOrDefault(set => FindLocked(set, id) is not null) is { } found ? LogicalNameOf(found) : null;
        }
    }

    private JsonObject? FindLocked(string entitySet, string id)
    {
        if (!_sets.TryGetValue(entitySet, out var rows))
            return null;
        var key = KeyOf(entitySet);
        return rows.FirstOrDefault(r => string.Equals(r[key]?.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase));
    }
}
