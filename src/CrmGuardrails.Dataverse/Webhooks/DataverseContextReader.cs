using System.Globalization;
using System.Text.Json;
using CrmGuardrails.Hosting;

namespace CrmGuardrails.Dataverse.Webhooks;

/// <summary>
/// Reads the JSON a Dataverse webhook (or Service Bus / Event Hub endpoint) receives — a serialized
/// <c>RemoteExecutionContext</c> in DataContract JSON — and maps its rows to the records the guards check, with the one
/// mapping the Web API directory and the plug-in use.
/// </summary>
/// <remarks>
/// <para>
/// Host-neutral and thread-safe: one instance serves every call. Every shape error is a
/// <see cref="GuardEventFormatException"/> that names the field. Mapped tables: <c>lead</c>, <c>account</c>,
/// <c>contact</c>, and the activity tables of <see cref="DataverseMappingOptions.ActivityTables"/>.
/// </para>
/// <para>
/// Only the structure is refused: a body that is not JSON, a field of the context or a row of the wrong JSON type, a
/// missing name. A value a caller could have typed never is: text that cannot be decoded reads with U+FFFD, numbers out
/// of range are clamped or absent, and a date column whose text is not a date is absent (see <see cref="DataverseEntity"/>),
/// so crafted text cannot turn a check into a refused or unchecked call. Values handed on for logs (the correlation id,
/// quoted input in messages) are made safe for one log line.
/// </para>
/// </remarks>
public sealed class DataverseContextReader
{
    private const int MaxJsonDepth = 64;

    private static readonly HashSet<string> DateColumns = new(DataverseSchema.DateColumns, StringComparer.OrdinalIgnoreCase);

    private readonly DataverseRecordReader _records;

    /// <summary>Initializes a new instance of the <see cref="DataverseContextReader"/> class.</summary>
    /// <param name="options">The mapping; <see langword="null"/> means the defaults.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The mapping is invalid.</exception>
    public DataverseContextReader(DataverseMappingOptions? options = null)
    {
        options ??= new DataverseMappingOptions();
        OptionsValidation.ThrowIfInvalid(options);
        _records = new DataverseRecordReader(options.ToMapping());
    }

    /// <summary>Reads an execution context.</summary>
    /// <param name="utf8Json">The body, UTF-8 JSON.</param>
    /// <returns>The context.</returns>
    /// <exception cref="GuardEventFormatException">The body is not JSON (the message gives the line and byte) or not an execution context (the message names the field).</exception>
    /// <remarks>Text that is not UTF-8, and escapes of lone surrogates, read as U+FFFD.</remarks>
    public DataverseExecutionContext ReadContext(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(ContextText.Sanitize(utf8Json), new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : string.Empty;
            throw new GuardEventFormatException(string.Empty, $"the body is not valid JSON{where} (malformed or truncated).");
        }

        using (document)
            return ReadContext(document.RootElement);
    }

    /// <summary>Reads an execution context from a parsed JSON element.</summary>
    /// <param name="root">The context object.</param>
    /// <returns>The context.</returns>
    /// <exception cref="GuardEventFormatException">The element is not an execution context; the message names the field.</exception>
    /// <remarks>Text the element cannot decode (a lone surrogate, bytes that are not UTF-8) reads as U+FFFD, as with the bytes.</remarks>
    public DataverseExecutionContext ReadContext(JsonElement root)
    {
        try
        {
            return Read(root);
        }
        catch (InvalidOperationException)
        {
            // Only text System.Text.Json cannot decode makes a string read throw: read the element's bytes again, sanitised.
            return ReadContext(RawUtf8(root));
        }
    }

    private static ReadOnlyMemory<byte> RawUtf8(JsonElement element)
    {
#if NET9_0_OR_GREATER
        return System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).ToArray();
#else
        try
        {
            return System.Text.Encoding.UTF8.GetBytes(element.GetRawText());
        }
        catch (InvalidOperationException)
        {
            throw new GuardEventFormatException(string.Empty, "the element holds text that is not UTF-8; read the body's bytes instead.");
        }
#endif
    }

    private DataverseExecutionContext Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new GuardEventFormatException("$", $"expected a JSON object (a RemoteExecutionContext), found {Describe(root)}.");

        var message = RequiredString(root, "MessageName");
        var entityName = RequiredString(root, "PrimaryEntityName");
        var targets = new List<DataverseEntity>();
        DataverseReference? reference = null;
        if (root.TryGetProperty("InputParameters", out var inputs) && inputs.ValueKind != JsonValueKind.Null)
        {
            foreach (var (key, value, path) in Pairs(inputs, "InputParameters"))
            {
                if (string.Equals(key, "Target", StringComparison.Ordinal))
                {
                    // Delete, Assign, …: a reference, not a row (a Delete removes the record's match keys).
                    if (value.ValueKind == JsonValueKind.Object && IsOfType(value, "EntityReference"))
                        reference = ReadReference(value, path);
                    else
                        targets.Add(ReadEntity(value, path));
                }
                else if (string.Equals(key, "Targets", StringComparison.Ordinal))
                {
                    targets.AddRange(ReadEntityCollection(value, path));
                }
            }
        }

        return new DataverseExecutionContext
        {
            MessageName = message,
            PrimaryEntityName = entityName,
            PrimaryEntityId = OptionalId(root, "PrimaryEntityId"),
            Stage = OptionalInt(root, "Stage") ?? 0,
            Mode = OptionalInt(root, "Mode") ?? 0,
            Depth = OptionalInt(root, "Depth") ?? 1,
            UserId = OptionalId(root, "UserId"),
            InitiatingUserId = OptionalId(root, "InitiatingUserId"),
            CorrelationId = ContextText.Id(OptionalId(root, "CorrelationId")),
            OperationCreatedOn = root.TryGetProperty("OperationCreatedOn", out var created) && created.ValueKind != JsonValueKind.Null
                ? ReadOperationDate(created, "OperationCreatedOn")
                : null,
            OrganizationName = root.TryGetProperty("OrganizationName", out var org) && org.ValueKind == JsonValueKind.String ? org.GetString() : null,
            Targets = targets,
            TargetReference = reference,
            PreImages = Images(root, "PreEntityImages"),
            PostImages = Images(root, "PostEntityImages"),
        };
    }

    /// <summary>
    /// The first image of each row: <c>PreEntityImages</c> for one row, or <c>PreEntityImagesCollection</c> (one image
    /// collection per row of a bulk message, in the order of <c>Targets</c>).
    /// </summary>
    private List<DataverseEntity?> Images(JsonElement root, string name)
    {
        var images = new List<DataverseEntity?>();
        if (root.TryGetProperty(name + "Collection", out var perRow) && perRow.ValueKind == JsonValueKind.Array)
        {
            var n = 0;
            foreach (var row in perRow.EnumerateArray())
                images.Add(FirstImage(row, $"{name}Collection[{n++}]"));
            return images;
        }

        if (root.TryGetProperty(name, out var single) && single.ValueKind != JsonValueKind.Null)
            images.Add(FirstImage(single, name));
        return images;
    }

    private DataverseEntity? FirstImage(JsonElement images, string path)
    {
        if (images.ValueKind == JsonValueKind.Null)
            return null;
        foreach (var (_, value, itemPath) in Pairs(images, path))
            return ReadEntity(value, itemPath);
        return null;
    }

    /// <summary>Reads one row (<c>Entity</c>).</summary>
    /// <param name="element">The entity object.</param>
    /// <param name="path">The element's JSON path, for error messages.</param>
    /// <returns>The row.</returns>
    /// <exception cref="GuardEventFormatException">The element is not an entity; the message names the field.</exception>
    public DataverseEntity ReadEntity(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new GuardEventFormatException(path, $"expected an Entity object, found {Describe(element)}.");
        var logicalName = RequiredString(element, "LogicalName", path);
        var attributes = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, (string, string)>? unreadable = null;
        if (element.TryGetProperty("Attributes", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            foreach (var (key, value, valuePath) in Pairs(list, path + ".Attributes"))
            {
                try
                {
                    attributes[key] = ReadValue(value, valuePath, DateColumns.Contains(key));
                    unreadable?.Remove(key);
                }
                catch (GuardEventFormatException ex)
                {
                    // A typed value with broken parts is that column's problem: a format error only if a guard reads it.
                    attributes[key] = value.GetRawText();
                    (unreadable ??= new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase))[key] = (ex.Field, ex.Problem);
                }
            }
        }

        var id = OptionalId(element, "Id", path) ?? string.Empty;
        if (IsEmptyGuid(id))
            id = string.Empty;
        return new DataverseEntity { LogicalName = logicalName, Id = id, Attributes = attributes, Unreadable = unreadable };
    }

    /// <summary>Tells whether a table is one the guards read.</summary>
    /// <param name="logicalName">The table's logical name.</param>
    /// <returns><see langword="true"/> for <c>lead</c>, <c>account</c>, <c>contact</c> and the mapped activity tables.</returns>
    public bool IsMapped(string logicalName) => KindOf(logicalName) is not RecordKind.Unknown and not RecordKind.User;

    /// <summary>Gets the record kind a table maps to.</summary>
    /// <param name="logicalName">The table's logical name.</param>
    /// <returns>The kind; <see cref="RecordKind.Unknown"/> for tables the guards do not know.</returns>
    public RecordKind KindOf(string? logicalName) => _records.Mapping.KindOf(logicalName?.ToLowerInvariant());

    /// <summary>Maps a row to the record the guards see.</summary>
    /// <param name="entity">The row: a Target (only the columns being set), an image, or both as one.</param>
    /// <param name="basis">The row before the change (a pre-image), whose columns the Target does not set; or <see langword="null"/>.</param>
    /// <returns>The record, or <see langword="null"/> when the table is not mapped.</returns>
    /// <exception cref="GuardEventFormatException">A mapped column has a value of the wrong type; the message names the column.</exception>
    public CrmRecord? ToRecord(DataverseEntity entity, DataverseEntity? basis = null)
    {
        if (entity is null)
            throw new ArgumentNullException(nameof(entity));
        IDataverseRow row = new ContextRow(entity, _records.Mapping);
        if (basis is not null)
            row = new OverlayRow(row, new ContextRow(basis with { LogicalName = entity.LogicalName }, _records.Mapping));
        return _records.Read(row);
    }

    /// <summary>
    /// Turns a context into the saves to check: one per row of <c>Create</c> or <c>CreateMultiple</c>, one per row of
    /// <c>Update</c> or <c>UpdateMultiple</c>. An update's previous record is its pre-image; without one, a step before
    /// the save lets the pipeline read it from the directory (the Target's columns are applied to it), and a step after
    /// the save has none (the directory already holds the saved row).
    /// </summary>
    /// <param name="context">The context.</param>
    /// <returns>The requests, in the order of the rows; empty when the message or table is not checked.</returns>
    /// <exception cref="GuardEventFormatException">The context names no user, or a row has a value of the wrong type.</exception>
    public IReadOnlyList<GuardRequest> ToRequests(DataverseExecutionContext context)
    {
        if (context is null)
            throw new ArgumentNullException(nameof(context));
        var operation = OperationOf(context.MessageName);
        if (operation is null)
            return [];
        var userId = context.ActingUserId;
        if (string.IsNullOrEmpty(userId))
            throw new GuardEventFormatException("InitiatingUserId", "is missing: the context names no user.");
        var correlationId = ContextText.Id(context.CorrelationId);

        var requests = new List<GuardRequest>();
        for (var i = 0; i < context.Targets.Count; i++)
        {
            var target = WithId(context.Targets[i], context);
            if (!IsMapped(target.LogicalName))
                continue;

            var image = i < context.PreImages.Count ? context.PreImages[i] : null;
            CrmRecord? previous = null;
            CrmRecord? record;
            Func<CrmRecord, CrmRecord>? applyChanges = null;
            if (operation == GuardOperation.Update && image is not null)
            {
                previous = ToRecord(image with { LogicalName = target.LogicalName, Id = image.Id.Length > 0 ? image.Id : target.Id });
                record = ToRecord(target, image);
            }
            else
            {
                record = ToRecord(target);
                if (operation == GuardOperation.Update && record is Activity)
                {
                    var changes = target;
                    applyChanges = previous => previous is Activity before ? _records.ApplyActivity(before, new ContextRow(changes, _records.Mapping)) : previous;
                }
            }

            if (record is null)
                continue;
            if (operation == GuardOperation.Create && record is Activity { CreatedOn: null } created && context.OperationCreatedOn is { } at)
                record = created with { CreatedOn = at };
            requests.Add(new GuardRequest
            {
                Operation = operation.Value,
                Record = record,
                Previous = previous,
                ApplyChanges = applyChanges,

                // After the save the directory holds the saved row, not the previous one.
                CanReadPrevious = context.Stage < PostOperationStage,
                UserId = userId!,
                OccurredAt = context.OperationCreatedOn,
                CorrelationId = correlationId,
                Table = target.LogicalName.ToLowerInvariant(),
            });
        }

        return requests;
    }

    /// <summary>Gets the operation a message performs, or <see langword="null"/> for messages the guards do not check.</summary>
    /// <param name="messageName">The message.</param>
    /// <returns>The operation.</returns>
    /// <remarks>
    /// <c>Book</c> and <c>Reschedule</c> are how appointment forms have saved and moved appointments ("a Book message ... a
    /// Reschedule message", docs/platform/dataverse.md §1.1): the Target is the appointment, as for Create and Update.
    /// </remarks>
    public static GuardOperation? OperationOf(string? messageName) => messageName switch
    {
        "Create" or "CreateMultiple" or "Book" => GuardOperation.Create,
        "Update" or "UpdateMultiple" or "Reschedule" => GuardOperation.Update,
        _ => null,
    };

    /// <summary>The stage after the save (PostOperation).</summary>
    internal const int PostOperationStage = 40;

    private static DataverseEntity WithId(DataverseEntity target, DataverseExecutionContext context)
    {
        if (target.Id.Length > 0)
            return target;
        if (context.Targets.Count == 1 && !string.IsNullOrEmpty(context.PrimaryEntityId) && !IsEmptyGuid(context.PrimaryEntityId!))
            return target with { Id = context.PrimaryEntityId! };
        var keyColumn = target.LogicalName.ToLowerInvariant() is var table && DataverseSchema.Activity.DefaultTables.ContainsKey(table) ? DataverseSchema.Activity.Id : target.LogicalName.ToLowerInvariant() + "id";
        return target[keyColumn] is string id && Guid.TryParse(id, out var guid) && guid != Guid.Empty ? target with { Id = guid.ToString("D") } : target;
    }

    private object? ReadValue(JsonElement value, string path, bool dateColumn = false)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                return value.TryGetInt64(out var whole) ? (object)whole : Double(value);
            case JsonValueKind.String:
                // Only a date column's text is a date: any other text stays text, whatever it begins with.
                var text = value.GetString()!;
                if (dateColumn && text.StartsWith("/Date(", StringComparison.Ordinal))
                    return TryParseDate(text, out var date) ? date : null;
                return text;
            case JsonValueKind.Array:
                var items = value.EnumerateArray().ToList();
                if (items.Count > 0 && items.All(i => i.ValueKind == JsonValueKind.Object && IsOfType(i, "OptionSetValue")))
                {
                    // A choice no int holds is left out; the others are kept.
                    var options = new List<DataverseOptionSetValue>();
                    for (var n = 0; n < items.Count; n++)
                    {
                        if (OptionValue(items[n], $"{path}[{n}]") is { } option)
                            options.Add(new DataverseOptionSetValue(option));
                    }

                    return options;
                }

                return value.GetRawText();
            case JsonValueKind.Object:
                if (IsOfType(value, "EntityReference") || (value.TryGetProperty("LogicalName", out _) && value.TryGetProperty("Id", out _) && !value.TryGetProperty("Attributes", out _)))
                    return ReadReference(value, path);
                if (IsOfType(value, "OptionSetValue"))
                    return OptionValue(value, path) is { } option ? new DataverseOptionSetValue(option) : null;
                if (IsOfType(value, "Money"))
                {
                    if (!value.TryGetProperty("Value", out var amount) || amount.ValueKind != JsonValueKind.Number)
                        throw new GuardEventFormatException(path + ".Value", "expected the Money amount as a number.");
                    return new DataverseMoney(Decimal(amount));
                }

                if (IsOfType(value, "EntityCollection") || value.TryGetProperty("Entities", out _))
                    return ReadEntityCollection(value, path);
                if (IsOfType(value, "Entity"))
                    return ReadEntity(value, path);
                return value.GetRawText();
            default:
                return value.GetRawText();
        }
    }

    /// <summary>A choice's number; <see langword="null"/> when no <see cref="int"/> holds it (a code has no nearest value).</summary>
    private static int? OptionValue(JsonElement element, string path)
    {
        if (!element.TryGetProperty("Value", out var value) || value.ValueKind != JsonValueKind.Number)
            throw new GuardEventFormatException(path + ".Value", "expected a whole number.");
        return value.TryGetInt32(out var number) ? number : null;
    }

    /// <summary>A number as a <see cref="double"/>; one no double holds is clamped to the largest of its sign.</summary>
    private static double Double(JsonElement number) =>
        number.TryGetDouble(out var value) && !double.IsInfinity(value) && !double.IsNaN(value) ? value
        : IsNegative(number) ? double.MinValue : double.MaxValue;

    /// <summary>An amount as a <see cref="decimal"/>; one no decimal holds is clamped to the largest of its sign, one too small to hold is 0.</summary>
    private static decimal Decimal(JsonElement number)
    {
        if (number.TryGetDecimal(out var value))
            return value;
        if (number.TryGetDouble(out var approximate) && Math.Abs(approximate) < 1)
            return 0m;
        return IsNegative(number) ? decimal.MinValue : decimal.MaxValue;
    }

    private static bool IsNegative(JsonElement number) => number.GetRawText().StartsWith("-", StringComparison.Ordinal);

    private DataverseReference ReadReference(JsonElement value, string path) =>
        new(RequiredString(value, "LogicalName", path), OptionalId(value, "Id", path) ?? throw new GuardEventFormatException(path + ".Id", "is missing: a lookup needs the row's id."),
            value.TryGetProperty("Name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null);

    private List<DataverseEntity> ReadEntityCollection(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("Entities", out var entities) || entities.ValueKind != JsonValueKind.Array)
            throw new GuardEventFormatException(path, "expected an EntityCollection with an 'Entities' array.");
        var list = new List<DataverseEntity>();
        var n = 0;
        foreach (var entity in entities.EnumerateArray())
            list.Add(ReadEntity(entity, $"{path}.Entities[{n++}]"));
        return list;
    }

    /// <summary>Enumerates a DataContract dictionary: an array of <c>{"key": …, "value": …}</c>.</summary>
    private static IEnumerable<(string Key, JsonElement Value, string Path)> Pairs(JsonElement list, string path)
    {
        if (list.ValueKind != JsonValueKind.Array)
            throw new GuardEventFormatException(path, $"expected an array of {{\"key\", \"value\"}} pairs, found {Describe(list)}.");
        var n = 0;
        foreach (var pair in list.EnumerateArray())
        {
            var itemPath = $"{path}[{n++}]";
            if (pair.ValueKind != JsonValueKind.Object)
                throw new GuardEventFormatException(itemPath, $"expected a {{\"key\", \"value\"}} pair, found {Describe(pair)}.");
            var key = RequiredString(pair, "key", itemPath);
            if (!pair.TryGetProperty("value", out var value))
                throw new GuardEventFormatException(itemPath + ".value", "is missing.");
            yield return (key, value, itemPath + ".value");
        }
    }

    private static bool IsOfType(JsonElement value, string type) =>
        value.TryGetProperty("__type", out var name) && name.ValueKind == JsonValueKind.String &&
        name.GetString() is { } text && (text.StartsWith(type + ":", StringComparison.Ordinal) || string.Equals(text, type, StringComparison.Ordinal));

    private static string RequiredString(JsonElement element, string name, string? parent = null)
    {
        var path = parent is null ? name : $"{parent}.{name}";
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new GuardEventFormatException(path, "is missing.");
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            throw new GuardEventFormatException(path, $"expected a non-empty string, found {Describe(value)}.");
        return text;
    }

    private static string? OptionalId(JsonElement element, string name, string? parent = null)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new GuardEventFormatException(parent is null ? name : $"{parent}.{name}", $"expected an id string, found {Describe(value)}.");
        var text = value.GetString()!;
        return text.Length == 0 ? null : NormalizeId(text);
    }

    private static int? OptionalInt(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            throw new GuardEventFormatException(name, $"expected a whole number, found {Describe(value)}.");
        return number;
    }

    /// <summary>Reads a date field of the context itself (<c>OperationCreatedOn</c>): the platform writes it, so one that is not a date is refused.</summary>
    private static DateTimeOffset ReadOperationDate(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw new GuardEventFormatException(path, $"expected a date (\"/Date(ms)/\" or ISO 8601), found {Describe(value)}.");
        var text = value.GetString()!;
        return TryParseDate(text, out var date)
            ? date
            : throw new GuardEventFormatException(path, $"expected a date (\"/Date(ms)/\" or ISO 8601), found {ContextText.Quote(text)}.");
    }

    /// <summary>
    /// Reads a date as DataContract JSON writes it, <c>/Date(ms)/</c> or <c>/Date(ms±hhmm)/</c> (ms: UTC milliseconds
    /// since 1970; the offset, four digits, never shifts the instant), or an ISO 8601 string.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="date">The instant, in UTC.</param>
    /// <returns><see langword="false"/> when the text is not a date, or one outside the range of <see cref="DateTimeOffset"/>.</returns>
    internal static bool TryParseDate(string text, out DateTimeOffset date)
    {
        date = default;
        if (!text.StartsWith("/Date(", StringComparison.Ordinal))
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);
        if (!text.EndsWith(")/", StringComparison.Ordinal) || text.Length < 9)
            return false;

        // /Date(ms)/ or /Date(ms±hhmm)/: ms is a whole number, with a minus sign before 1970.
        var inner = text.Substring(6, text.Length - 8);
        var offset = inner.IndexOfAny(['+', '-'], 1);
        var digits = offset < 0 ? inner : inner.Substring(0, offset);
        var unsigned = digits.StartsWith("-", StringComparison.Ordinal) ? digits.Substring(1) : digits;
        if (unsigned.Length == 0 || !unsigned.All(IsDigit) || (offset >= 0 && (inner.Length - offset != 5 || !inner.Substring(offset + 1).All(IsDigit))) ||
            !long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms) ||
            ms is < -62135596800000 or > 253402300799999)
        {
            return false;
        }

        // "the first number ... is the number of milliseconds in the GMT time zone ... The part that consists of '+0500'
        // ... indicates that the time is of the Local kind" (learn.microsoft.com/dotnet/framework/wcf/feature-details/
        // stand-alone-json-serialization#datestimes-and-json): the offset never shifts the instant.
        date = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static string NormalizeId(string id) => Guid.TryParse(id, out var guid) ? guid.ToString("D") : id;

    private static bool IsEmptyGuid(string id) => Guid.TryParse(id, out var guid) && guid == Guid.Empty;

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
