using System.Globalization;
using System.Numerics;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace CrmGuardrails.Salesforce.ChangeEvents;

/// <summary>
/// The <c>ChangeEventHeader</c> of a change event: "entityName, recordIds[], changeType (CREATE/UPDATE/DELETE/UNDELETE),
/// changeOrigin, transactionKey, sequenceNumber, commitTimestamp, commitNumber, commitUser" (salesforce.md §2.7),
/// with the bitmap fields decoded into field names.
/// </summary>
internal sealed record ChangeEventHeader(
    string EntityName,
    IReadOnlyList<string> RecordIds,
    string ChangeType,
    string? ChangeOrigin,
    string? TransactionKey,
    string? CommitUser,
    IReadOnlyList<string> ChangedFields);

/// <summary>A change event as decoded: its header and its record's fields as text, by API name.</summary>
internal sealed record ChangeEvent(ChangeEventHeader Header, IReadOnlyDictionary<string, string?> Fields);

/// <summary>
/// Decodes a change event's Avro payload with its schema. Pub/Sub API events carry "payload (Avro bytes)" and a
/// <c>schema_id</c> whose JSON schema <c>GetSchema</c> returns (salesforce.md §10.D). Values become the text
/// <see cref="SalesforceRecordReader"/> reads: dateTimes as ISO 8601 (or epoch milliseconds, as CDC sends them),
/// booleans <c>true</c>/<c>false</c>; compound fields (Name, Address) are flattened so both <c>Name.FirstName</c> and
/// <c>FirstName</c> find the value.
/// </summary>
internal static class ChangeEventDecoder
{
    public const string HeaderField = "ChangeEventHeader";

    public static ChangeEvent Decode(RecordSchema schema, ReadOnlyMemory<byte> payload)
    {
        var reader = new GenericDatumReader<GenericRecord>(schema, schema);
        GenericRecord record;
        using (var stream = new MemoryStream(payload.ToArray(), writable: false))
            record = reader.Read(null!, new BinaryDecoder(stream));

        if (!record.TryGetValue(HeaderField, out var headerValue) || headerValue is not GenericRecord header)
            throw new InvalidDataException($"The event has no {HeaderField}: it is not a change event.");

        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in schema.Fields)
        {
            if (field.Name == HeaderField || !record.TryGetValue(field.Name, out var value))
                continue;
            if (value is GenericRecord compound)
            {
                foreach (var inner in compound.Schema.Fields)
                {
                    compound.TryGetValue(inner.Name, out var innerValue);
                    var text = Text(innerValue);
                    fields[$"{field.Name}.{inner.Name}"] = text;
                    fields.TryAdd(inner.Name, text);
                }
            }
            else
            {
                fields[field.Name] = Text(value);
            }
        }

        var changed = ExpandBitmap(schema, Strings(header, "changedFields"));
        return new ChangeEvent(
            new ChangeEventHeader(
                Text(Value(header, "entityName")) ?? string.Empty,
                Strings(header, "recordIds"),
                Text(Value(header, "changeType")) ?? string.Empty,
                Text(Value(header, "changeOrigin")),
                Text(Value(header, "transactionKey")),
                Text(Value(header, "commitUser")),
                changed),
            fields);
    }

    /// <summary>
    /// The field names a bitmap field names. "changedFields / nulledFields / diffFields arrive as bitmaps like 0x650004E0
    /// to decode against the Avro schema" (salesforce.md §10.D): bit <c>i</c> of the hexadecimal number (least
    /// significant first) is the schema's field <c>i</c>; an entry <c>p-0xBITS</c> names the fields of the compound field
    /// at position <c>p</c> (forcedotcom/pub-sub-api, python/util/ChangeEventHeaderUtility.py).
    /// </summary>
    public static IReadOnlyList<string> ExpandBitmap(RecordSchema schema, IReadOnlyList<string> bitmaps)
    {
        var names = new List<string>();
        foreach (var entry in bitmaps)
        {
            var dash = entry.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                names.AddRange(FieldsOfBitmap(entry, schema).Select(f => f.Name));
                continue;
            }

            if (!int.TryParse(entry.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var parent) || parent >= schema.Fields.Count)
                continue;
            var parentField = schema.Fields[parent];
            if (RecordOf(parentField.Schema) is { } compound)
                names.AddRange(FieldsOfBitmap(entry[(dash + 1)..], compound).Select(f => $"{parentField.Name}.{f.Name}"));
        }

        return names;
    }

    private static IEnumerable<Field> FieldsOfBitmap(string bitmap, RecordSchema schema)
    {
        if (!bitmap.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ||
            !BigInteger.TryParse("0" + bitmap[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits))
            yield break;
        for (var i = 0; i < schema.Fields.Count && !bits.IsZero; i++, bits >>= 1)
        {
            if (!bits.IsEven)
                yield return schema.Fields[i];
        }
    }

    /// <summary>The record inside an optional (<c>["null", record]</c>) schema.</summary>
    private static RecordSchema? RecordOf(Schema schema) => schema switch
    {
        RecordSchema record => record,
        UnionSchema union => union.Schemas.OfType<RecordSchema>().FirstOrDefault(),
        _ => null,
    };

    private static object? Value(GenericRecord record, string name) => record.TryGetValue(name, out var value) ? value : null;

    private static IReadOnlyList<string> Strings(GenericRecord record, string name) => Value(record, name) switch
    {
        IEnumerable<object> items => items.Select(Text).OfType<string>().ToList(),
        _ => [],
    };

    private static string? Text(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        GenericEnum symbol => symbol.Value,
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToString(time.TimeOfDay == TimeSpan.Zero && time.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
