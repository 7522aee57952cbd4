using System.Globalization;

namespace CrmGuardrails.Salesforce.Emulator;

/// <summary>The records of the emulated org, by object and id. Thread-safe (one lock: the emulator is small).</summary>
public sealed class EmulatorStore(EmulatorSchema schema, Func<DateTimeOffset> now)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, object?>>> _records = new(StringComparer.OrdinalIgnoreCase);
    private long _nextId;

    /// <summary>Gets the lock writers and readers share.</summary>
    internal object Gate => _gate;

    /// <summary>Gets a copy of a record, or <see langword="null"/>.</summary>
    /// <param name="sObject">The object.</param>
    /// <param name="id">The id.</param>
    /// <returns>The record's fields.</returns>
    public Dictionary<string, object?>? Find(string sObject, string id)
    {
        lock (_gate)
            return _records.TryGetValue(sObject, out var rows) && rows.TryGetValue(id, out var row) ? new Dictionary<string, object?>(row, StringComparer.OrdinalIgnoreCase) : null;
    }

    /// <summary>Gets copies of every record of an object.</summary>
    /// <param name="sObject">The object.</param>
    /// <returns>The records.</returns>
    public List<Dictionary<string, object?>> All(string sObject)
    {
        lock (_gate)
            return _records.TryGetValue(sObject, out var rows) ? rows.Values.Select(r => new Dictionary<string, object?>(r, StringComparer.OrdinalIgnoreCase)).ToList() : [];
    }

    /// <summary>Gets the records of an object in place (under <see cref="Gate"/>).</summary>
    internal IEnumerable<Dictionary<string, object?>> Rows(string sObject) =>
        _records.TryGetValue(sObject, out var rows) ? rows.Values : [];

    /// <summary>Finds the object of an id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The object, or <see langword="null"/>.</returns>
    public string? ObjectOf(string? id)
    {
        if (id is null)
            return null;
        lock (_gate)
            return _records.FirstOrDefault(p => p.Value.ContainsKey(id)).Key;
    }

    /// <summary>Creates or replaces a record as given (seeding: no validation); derived fields are computed.</summary>
    /// <param name="sObject">The object.</param>
    /// <param name="fields">The fields, with or without an Id.</param>
    /// <returns>The id.</returns>
    public string Put(string sObject, IDictionary<string, object?> fields)
    {
        lock (_gate)
        {
            var name = schema.CanonicalName(sObject);
            var row = new Dictionary<string, object?>(fields, StringComparer.OrdinalIgnoreCase);
            if (row.GetValueOrDefault("Id") is not string { Length: > 0 } id)
                row["Id"] = id = NewId(name);
            if (!row.ContainsKey("CreatedDate"))
                row["CreatedDate"] = now();
            row["SystemModstamp"] = now();
            if (!_records.TryGetValue(name, out var rows))
                _records[name] = rows = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
            rows[id] = row;
            Derive(name, row);
            return id;
        }
    }

    /// <summary>Changes fields of a record; returns false when it does not exist.</summary>
    /// <param name="sObject">The object.</param>
    /// <param name="id">The id.</param>
    /// <param name="fields">The fields to set.</param>
    /// <returns>Whether the record exists.</returns>
    public bool Patch(string sObject, string id, IDictionary<string, object?> fields)
    {
        lock (_gate)
        {
            if (!_records.TryGetValue(sObject, out var rows) || !rows.TryGetValue(id, out var row))
                return false;
            foreach (var pair in fields)
                row[pair.Key] = pair.Value;
            row["SystemModstamp"] = now();
            Derive(schema.CanonicalName(sObject), row);
            return true;
        }
    }

    /// <summary>Deletes a record; returns false when it does not exist.</summary>
    internal bool Delete(string sObject, string id)
    {
        lock (_gate)
            return _records.TryGetValue(sObject, out var rows) && rows.Remove(id);
    }

    /// <summary>A new id: the object's key prefix and 15 letters or digits (18 characters).</summary>
    internal string NewId(string sObject)
    {
        var n = Interlocked.Increment(ref _nextId);
        return schema.PrefixOf(sObject) + "EMU" + n.ToString("D9", CultureInfo.InvariantCulture) + "AAA";
    }

    /// <summary>What Salesforce derives: Task.IsClosed from its Status; activities' AccountId from What, else the Who contact's account.</summary>
    private void Derive(string sObject, Dictionary<string, object?> row)
    {
        if (sObject is "Task" or "Event")
        {
            if (sObject == "Task")
            {
                row["Status"] = row.GetValueOrDefault("Status") ?? "Not Started";
                row["IsClosed"] = row["Status"] is string status && schema.TaskStatuses.TryGetValue(status, out var closed) && closed;
            }

            var what = row.GetValueOrDefault("WhatId") as string;
            var who = row.GetValueOrDefault("WhoId") as string;
            row["AccountId"] = what is not null && Rows("Account").Any(a => (string)a["Id"]! == what) ? what
                : what is not null && Rows("Contact").FirstOrDefault(c => (string)c["Id"]! == what) is { } whatContact ? whatContact.GetValueOrDefault("AccountId")
                : who is not null && Rows("Contact").FirstOrDefault(c => (string)c["Id"]! == who) is { } contact ? contact.GetValueOrDefault("AccountId")
                : null;
        }
        else if (sObject == "Lead")
        {
            row["IsConverted"] = row.GetValueOrDefault("IsConverted") ?? false;
            row["Status"] = row.GetValueOrDefault("Status") ?? "Open - Not Contacted";
        }
    }
}
