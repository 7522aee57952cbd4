using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>
/// The emulated organisation's rows: one ordered table per entity set, rows as JSON objects using Web API column names
/// (lookups as <c>_x_value</c> plus a stored <c>_x_value@Microsoft.Dynamics.CRM.lookuplogicalname</c>). Rows are found by
/// id through a dictionary and by column value through equality indexes built on first use and kept up to date by every
/// write, so lookups on a large table (a 100,000-row key table) do not scan it, as in Dataverse: "Alternate keys use
/// database indexes to enforce uniqueness and optimize lookup performance." (P: define-alternate-keys-entity.md, facts file §8).
/// Thread-safe.
/// </summary>
public sealed class EmulatorStore
{
    /// <summary>The lookup logical-name annotation.</summary>
    public const string LookupLogicalName = "@Microsoft.Dynamics.CRM.lookuplogicalname";

    private const string ETag = "@odata.etag";
    private static readonly EmulatorSchema DefaultSchema = EmulatorSchema.CreateDefault();

    private readonly EmulatorSchema _schema;
    private readonly Dictionary<string, Table> _sets = new(StringComparer.OrdinalIgnoreCase);
    private long _sequence;
    private long _version = 1000;

    /// <summary>Initializes a new instance of the <see cref="EmulatorStore"/> class with the default schema.</summary>
    public EmulatorStore()
        : this(EmulatorSchema.CreateDefault())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EmulatorStore"/> class.</summary>
    /// <param name="schema">The tables (for their key columns).</param>
    public EmulatorStore(EmulatorSchema schema) => _schema = schema ?? throw new ArgumentNullException(nameof(schema));

    /// <summary>Gets the lock every read and write of rows holds (the emulator reads rows in place under it).</summary>
    internal object Gate { get; } = new();

    /// <summary>Gets the primary key column of an entity set (<c>accounts</c> → <c>accountid</c>, <c>tasks</c> → <c>activityid</c>).</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <returns>The key column.</returns>
    public static string KeyOf(string entitySet) =>
        DefaultSchema.TableForSet(entitySet)?.PrimaryKey ?? LogicalNameOf(entitySet) + "id";

    /// <summary>Gets the logical name of an entity set's table (<c>activityparties</c> → <c>activityparty</c>).</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <returns>The logical name.</returns>
    public static string LogicalNameOf(string entitySet)
    {
        if (DefaultSchema.TableForSet(entitySet) is { } table)
            return table.LogicalName;
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
    public static string EntitySetOf(string logicalName) => DefaultSchema.Table(logicalName)?.EntitySet ?? logicalName switch
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
        lock (Gate)
            return AllLocked(entitySet).Select(r => (JsonObject)r.Data.DeepClone()).ToList();
    }

    /// <summary>Gets how many rows an entity set holds.</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <returns>The count.</returns>
    public int Count(string entitySet)
    {
        lock (Gate)
            return _sets.TryGetValue(entitySet, out var table) ? table.ById.Count : 0;
    }

    /// <summary>Gets a copy of one row, or <see langword="null"/>.</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <param name="id">The row's id.</param>
    /// <returns>The row or <see langword="null"/>.</returns>
    public JsonObject? Find(string entitySet, string id)
    {
        lock (Gate)
            return FindLocked(entitySet, id) is { } row ? (JsonObject)row.Data.DeepClone() : null;
    }

    /// <summary>Inserts or merges a row (keyed by its entity set's key column, which is generated when missing).</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <param name="row">The columns (copied).</param>
    /// <returns>The row's id.</returns>
    public string Upsert(string entitySet, JsonObject row)
    {
        ArgumentNullException.ThrowIfNull(row);
        lock (Gate)
            return UpsertLocked(entitySet, row, copy: true).Id;
    }

    /// <summary>
    /// Inserts or merges many rows at once, taking ownership of them (no copy): the fast way to seed a large table.
    /// </summary>
    /// <param name="entitySet">The entity set.</param>
    /// <param name="rows">The rows; do not use them afterwards.</param>
    /// <returns>How many rows were written.</returns>
    public int InsertMany(string entitySet, IEnumerable<JsonObject> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var count = 0;
        lock (Gate)
        {
            foreach (var row in rows)
            {
                UpsertLocked(entitySet, row, copy: false);
                count++;
            }
        }

        return count;
    }

    /// <summary>Removes a row.</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <param name="id">The id.</param>
    /// <returns>Whether the row existed.</returns>
    public bool Delete(string entitySet, string id)
    {
        lock (Gate)
            return DeleteLocked(entitySet, id);
    }

    /// <summary>Finds the table (logical name) that holds an id among the given entity sets.</summary>
    /// <param name="id">The id.</param>
    /// <param name="entitySets">The sets to look in, in order.</param>
    /// <returns>The logical name, or <see langword="null"/>.</returns>
    public string? LogicalNameOfId(string id, params string[] entitySets)
    {
        lock (Gate)
            return entitySets.FirstOrDefault(set => FindLocked(set, id) is not null) is { } found ? LogicalNameOfSet(found) : null;
    }

    /// <summary>The text an equality index files a value under (strings compare case-insensitively, as in Dataverse).</summary>
    internal static string? IndexKey(JsonNode? node) => JsonValues.ToValue(node) switch
    {
        null => null,
        string text => text,
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };

    internal string LogicalNameOfSet(string entitySet) => _schema.TableForSet(entitySet)?.LogicalName ?? LogicalNameOf(entitySet);

    internal StoredRow? FindLocked(string entitySet, string id) =>
        _sets.TryGetValue(entitySet, out var table) && table.ById.TryGetValue(id, out var row) ? row : null;

    internal int CountLocked(string entitySet) => _sets.TryGetValue(entitySet, out var table) ? table.ById.Count : 0;

    /// <summary>Every live row of a set, in insertion order.</summary>
    internal IEnumerable<StoredRow> AllLocked(string entitySet)
    {
        if (!_sets.TryGetValue(entitySet, out var table))
            yield break;
        foreach (var row in table.Slots)
        {
            if (row is not null)
                yield return row;
        }
    }

    /// <summary>The rows whose column equals a value (case-insensitive), through the column's index (built on first use).</summary>
    internal IReadOnlyList<StoredRow> LookupLocked(string entitySet, string column, string value)
    {
        if (!_sets.TryGetValue(entitySet, out var table))
            return [];
        if (!table.Indexes.TryGetValue(column, out var index))
        {
            index = new Dictionary<string, List<StoredRow>>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in table.Slots)
            {
                if (row is not null && IndexKey(row.Data[column]) is { } key)
                    Add(index, key, row);
            }

            table.Indexes[column] = index;
        }

        return index.TryGetValue(value, out var rows) ? rows : [];
    }

    /// <summary>Inserts or merges a row; <paramref name="copy"/> clones the values, else the row is taken over.</summary>
    internal StoredRow UpsertLocked(string entitySet, JsonObject changes, bool copy)
    {
        var key = _schema.TableForSet(entitySet)?.PrimaryKey ?? KeyOf(entitySet);
        var id = changes[key] is JsonValue given && given.GetValueKind() == JsonValueKind.String && Guid.TryParse(given.GetValue<string>(), out var g)
            ? g.ToString("D")
            : Guid.NewGuid().ToString("D");
        if (!_sets.TryGetValue(entitySet, out var table))
            _sets[entitySet] = table = new Table();

        if (table.ById.TryGetValue(id, out var existing))
        {
            foreach (var (name, value) in changes.ToList())
            {
                if (name == key)
                    continue;
                var index = table.Indexes.GetValueOrDefault(name);
                if (index is not null && IndexKey(existing.Data[name]) is { } oldKey)
                    Remove(index, oldKey, existing);
                var stored = copy ? value?.DeepClone() : Detach(changes, name, value);
                existing.Data[name] = stored;
                if (index is not null && IndexKey(stored) is { } newKey)
                    Add(index, newKey, existing);
            }

            existing.Data[ETag] = NextETag();
            return existing;
        }

        JsonObject data;
        if (copy)
        {
            data = new JsonObject();
            foreach (var (name, value) in changes)
                data[name] = value?.DeepClone();
        }
        else
        {
            data = changes;
        }

        data[key] = id;
        data[ETag] = NextETag();
        var row = new StoredRow(id, data, ++_sequence, table.Slots.Count);
        table.Slots.Add(row);
        table.ById[id] = row;
        foreach (var (column, index) in table.Indexes)
        {
            if (IndexKey(data[column]) is { } indexKey)
                Add(index, indexKey, row);
        }

        return row;
    }

    internal bool DeleteLocked(string entitySet, string id)
    {
        if (!_sets.TryGetValue(entitySet, out var table) || !table.ById.Remove(id, out var row))
            return false;
        foreach (var (column, index) in table.Indexes)
        {
            if (IndexKey(row.Data[column]) is { } key)
                Remove(index, key, row);
        }

        table.Slots[row.Slot] = null;
        if (++table.Tombstones > 1024 && table.Tombstones > table.ById.Count)
            table.Compact();
        return true;
    }

    private static JsonNode? Detach(JsonObject owner, string name, JsonNode? value)
    {
        if (value is null)
            return null;
        owner[name] = null;
        return value;
    }

    private static void Add(Dictionary<string, List<StoredRow>> index, string key, StoredRow row)
    {
        if (!index.TryGetValue(key, out var rows))
            index[key] = rows = [];
        rows.Add(row);
    }

    private static void Remove(Dictionary<string, List<StoredRow>> index, string key, StoredRow row)
    {
        if (index.TryGetValue(key, out var rows))
        {
            rows.Remove(row);
            if (rows.Count == 0)
                index.Remove(key);
        }
    }

    private string NextETag() => "W/\"" + (++_version).ToString(CultureInfo.InvariantCulture) + "\"";

    private sealed class Table
    {
        public List<StoredRow?> Slots { get; private set; } = [];

        public Dictionary<string, StoredRow> ById { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, Dictionary<string, List<StoredRow>>> Indexes { get; } = new(StringComparer.Ordinal);

        public int Tombstones { get; set; }

        public void Compact()
        {
            var live = new List<StoredRow?>(ById.Count);
            foreach (var row in Slots)
            {
                if (row is null)
                    continue;
                row.Slot = live.Count;
                live.Add(row);
            }

            Slots = live;
            Tombstones = 0;
        }
    }
}

/// <summary>A stored row: its id, columns (read in place under <see cref="EmulatorStore.Gate"/>) and insertion order.</summary>
internal sealed class StoredRow(string id, JsonObject data, long sequence, int slot)
{
    public string Id { get; } = id;

    public JsonObject Data { get; } = data;

    public long Sequence { get; } = sequence;

    public int Slot { get; set; } = slot;
}

/// <summary>Reads JSON values the way the filter evaluator compares them.</summary>
internal static class JsonValues
{
    /// <summary>A string, a double, a bool, or <see langword="null"/> (objects and arrays too).</summary>
    public static object? ToValue(JsonNode? node)
    {
        if (node is not JsonValue value)
            return null;
        if (value.TryGetValue<string>(out var text))
            return text;
        if (value.TryGetValue<int>(out var i))
            return (double)i;
        if (value.TryGetValue<long>(out var l))
            return (double)l;
        if (value.TryGetValue<double>(out var d))
            return d;
        if (value.TryGetValue<decimal>(out var m))
            return (double)m;
        if (value.TryGetValue<bool>(out var b))
            return b;
        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
    }
}
