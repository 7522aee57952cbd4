using System.Globalization;
using System.Text.Json;

namespace CrmGuardrails.AspNetCore;

/// <summary>
/// Reads the JSON a Dataverse webhook (or Service Bus / Event Hub endpoint) receives — a serialized
/// <c>RemoteExecutionContext</c> in DataContract JSON — and maps its rows to the records and requests the guards check.
/// </summary>
/// <remarks>
/// Host-neutral and thread-safe: one instance serves every call. Every shape error is reported as a
/// <see cref="DataverseContextFormatException"/> that names the field. Mapped tables: <c>lead</c>, <c>account</c>,
/// <c>contact</c>, and the activity tables of <see cref="DataverseMappingOptions.ActivityTables"/>.
/// </remarks>
public sealed class DataverseContextReader
{
    private const int MaxJsonDepth = 64;
    private readonly Dictionary<string, ActivityType> _activityTables;
    private readonly string? _rescheduleCountColumn;
    private readonly string[] _partyColumns;

    /// <summary>Initializes a new instance of the <see cref="DataverseContextReader"/> class.</summary>
    /// <param name="options">The mapping; <see langword="null"/> means the defaults.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The mapping is invalid.</exception>
    public DataverseContextReader(DataverseMappingOptions? options = null)
    {
        options ??= new DataverseMappingOptions();
        Validation.ThrowIfInvalid(options);
        _activityTables = new Dictionary<string, ActivityType>(options.ActivityTables, StringComparer.OrdinalIgnoreCase);
        _rescheduleCountColumn = options.RescheduleCountColumn;
        _partyColumns = [.. options.PartyColumns];
    }

    /// <summary>Reads an execution context.</summary>
    /// <param name="utf8Json">The body, UTF-8 JSON.</param>
    /// <returns>The context.</returns>
    /// <exception cref="DataverseContextFormatException">The body is not JSON (the message gives the line and byte) or not an execution context (the message names the field).</exception>
    public DataverseExecutionContext ReadContext(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : string.Empty;
            throw new DataverseContextFormatException(string.Empty, $"the body is not valid JSON{where} (malformed or truncated).");
        }

        using (document)
            return ReadContext(document.RootElement);
    }

    /// <summary>Reads an execution context from a parsed JSON element.</summary>
    /// <param name="root">The context object.</param>
    /// <returns>The context.</returns>
    /// <exception cref="DataverseContextFormatException">The element is not an execution context; the message names the field.</exception>
    public DataverseExecutionContext ReadContext(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new DataverseContextFormatException("$", $"expected a JSON object (a RemoteExecutionContext), found {Describe(root)}.");

        var message = RequiredString(root, "MessageName");
        var entityName = RequiredString(root, "PrimaryEntityName");
        var targets = new List<DataverseEntity>();
        if (root.TryGetProperty("InputParameters", out var inputs) && inputs.ValueKind != JsonValueKind.Null)
        {
            foreach (var (key, value, path) in Pairs(inputs, "InputParameters"))
            {
                if (string.Equals(key, "Target", StringComparison.Ordinal))
                {
                    if (value.ValueKind == JsonValueKind.Object && IsOfType(value, "EntityReference"))
                        continue; // Delete, Assign, …: nothing to check.
                    targets.Add(ReadEntity(value, path));
                }
                else if (string.Equals(key, "Targets", StringComparison.Ordinal))
                {
                    targets.AddRange(ReadEntityCollection(value, path));
                }
            }
        }

        DataverseEntity? preImage = null;
        if (root.TryGetProperty("PreEntityImages", out var images) && images.ValueKind != JsonValueKind.Null)
        {
            foreach (var (_, value, path) in Pairs(images, "PreEntityImages"))
            {
                preImage = ReadEntity(value, path);
                break;
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
            CorrelationId = OptionalId(root, "CorrelationId"),
            OperationCreatedOn = root.TryGetProperty("OperationCreatedOn", out var created) && created.ValueKind != JsonValueKind.Null
                ? ReadDate(created, "OperationCreatedOn")
                : null,
            OrganizationName = root.TryGetProperty("OrganizationName", out var org) && org.ValueKind == JsonValueKind.String ? org.GetString() : null,
            Targets = targets,
            PreImage = preImage,
        };
    }

    /// <summary>Reads one row (<c>Entity</c>).</summary>
    /// <param name="element">The entity object.</param>
    /// <param name="path">The element's JSON path, for error messages.</param>
    /// <returns>The row.</returns>
    /// <exception cref="DataverseContextFormatException">The element is not an entity; the message names the field.</exception>
    public DataverseEntity ReadEntity(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new DataverseContextFormatException(path, $"expected an Entity object, found {Describe(element)}.");
        var logicalName = RequiredString(element, "LogicalName", path);
        var attributes = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (element.TryGetProperty("Attributes", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            foreach (var (key, value, valuePath) in Pairs(list, path + ".Attributes"))
                attributes[key] = ReadValue(value, valuePath);
        }

        var id = OptionalId(element, "Id", path) ?? string.Empty;
        if (IsEmptyGuid(id))
            id = string.Empty;
        return new DataverseEntity { LogicalName = logicalName, Id = id, Attributes = attributes };
    }

    /// <summary>Tells whether a table is one the guards check.</summary>
    /// <param name="logicalName">The table's logical name.</param>
    /// <returns><see langword="true"/> for <c>lead</c>, <c>account</c>, <c>contact</c> and the mapped activity tables.</returns>
    public bool IsMapped(string logicalName) => KindOf(logicalName) is not RecordKind.Unknown and not RecordKind.User;

    /// <summary>Gets the record kind a table maps to.</summary>
    /// <param name="logicalName">The table's logical name.</param>
    /// <returns>The kind; <see cref="RecordKind.Unknown"/> for tables the guards do not know.</returns>
    public RecordKind KindOf(string? logicalName) => logicalName?.ToLowerInvariant() switch
    {
        "lead" => RecordKind.Lead,
        "account" => RecordKind.Account,
        "contact" => RecordKind.Contact,
        "systemuser" => RecordKind.User,
        "activitypointer" => RecordKind.Activity,
        null => RecordKind.Unknown,
        var name => _activityTables.ContainsKey(name) ? RecordKind.Activity : RecordKind.Unknown,
    };

    /// <summary>Maps a lookup to a record reference, by the referenced table.</summary>
    /// <param name="reference">The lookup.</param>
    /// <returns>The reference.</returns>
    public RecordRef ToRef(DataverseReference reference) =>
        new(KindOf((reference ?? throw new ArgumentNullException(nameof(reference))).LogicalName), reference.Id);

    /// <summary>Maps a row to the record the guards see, applying its attributes on top of <paramref name="basis"/>.</summary>
    /// <param name="entity">The row (a Target holds only the columns being set).</param>
    /// <param name="basis">The record before the change (from a pre-image or the directory), or <see langword="null"/> for a new record.</param>
    /// <returns>The record, or <see langword="null"/> when the table is not mapped.</returns>
    /// <exception cref="DataverseContextFormatException">A mapped column has a value of the wrong type; the message names the column.</exception>
    public CrmRecord? ToRecord(DataverseEntity entity, CrmRecord? basis = null)
    {
        if (entity is null)
            throw new ArgumentNullException(nameof(entity));
        var name = entity.LogicalName.ToLowerInvariant();
        var id = entity.Id.Length > 0 ? entity.Id : IdColumn(entity, name == "lead" || name == "account" || name == "contact" ? name + "id" : "activityid") ?? basis?.Id ?? string.Empty;
        var view = new Columns(entity);
        switch (KindOf(name))
        {
            case RecordKind.Lead:
                var lead = basis as Lead ?? new Lead();
                return lead with
                {
                    Id = id,
                    OwnerId = view.OwnerId(lead.OwnerId),
                    OwnerName = view.OwnerName(lead.OwnerName),
                    FirstName = view.String("firstname", lead.FirstName),
                    LastName = view.String("lastname", lead.LastName),
                    Company = view.String("companyname", lead.Company),
                    Email = view.String("emailaddress1", lead.Email),
                    Phone = view.String("telephone1", view.String("mobilephone", lead.Phone)),
                    Website = view.String("websiteurl", lead.Website),
                    Street = view.String("address1_line1", lead.Street),
                    City = view.String("address1_city", lead.City),
                    PostalCode = view.String("address1_postalcode", lead.PostalCode),
                    Country = Country(view.String("address1_country", lead.Country)),
                    Status = view.Option("statecode") switch
                    {
                        null => lead.Status,
                        1 => LeadStatus.Qualified,
                        2 => LeadStatus.Disqualified,
                        _ => LeadStatus.Open,
                    },
                };
            case RecordKind.Account:
                var account = basis as Account ?? new Account();
                return account with
                {
                    Id = id,
                    OwnerId = view.OwnerId(account.OwnerId),
                    OwnerName = view.OwnerName(account.OwnerName),
                    Name = view.String("name", account.Name) ?? string.Empty,
                    Website = view.String("websiteurl", account.Website),
                    Phone = view.String("telephone1", account.Phone),
                    Email = view.String("emailaddress1", account.Email),
                    Street = view.String("address1_line1", account.Street),
                    City = view.String("address1_city", account.City),
                    PostalCode = view.String("address1_postalcode", account.PostalCode),
                    Country = Country(view.String("address1_country", account.Country)),
                    Status = AccountStatusOf(view.Option("statecode"), view.Option("customertypecode"), account.Status),
                };
            case RecordKind.Contact:
                var contact = basis as Contact ?? new Contact();
                var parent = view.Reference("parentcustomerid");
                return contact with
                {
                    Id = id,
                    OwnerId = view.OwnerId(contact.OwnerId),
                    OwnerName = view.OwnerName(contact.OwnerName),
                    FirstName = view.String("firstname", contact.FirstName),
                    LastName = view.String("lastname", contact.LastName),
                    Email = view.String("emailaddress1", contact.Email),
                    Phone = view.String("telephone1", view.String("mobilephone", contact.Phone)),
                    AccountId = !entity.Has("parentcustomerid") ? contact.AccountId
                        : parent is not null && KindOf(parent.LogicalName) == RecordKind.Account ? parent.Id : null,
                };
            case RecordKind.Activity:
                var activity = basis as Activity ?? new Activity();
                var type = _activityTables.TryGetValue(name, out var mapped) ? mapped : activity.Type;
                var regarding = view.Reference("regardingobjectid");
                var parties = _partyColumns.Any(entity.Has) ? Parties(entity) : activity.Parties;
                return activity with
                {
                    Id = id,
                    Type = type,
                    OwnerId = view.OwnerId(activity.OwnerId),
                    OwnerName = view.OwnerName(activity.OwnerName),
                    Direction = view.Bool("directioncode") switch
                    {
                        null => activity.Direction,
                        true => ActivityDirection.Outbound,
                        false => ActivityDirection.Inbound,
                    },
                    Status = view.Option("statecode") switch
                    {
                        null => activity.Status,
                        1 => ActivityStatus.Completed,
                        2 => ActivityStatus.Canceled,
                        _ => ActivityStatus.Open, // 0 Open, 3 Scheduled
                    },
                    Regarding = !entity.Has("regardingobjectid") ? activity.Regarding : regarding is null ? null : ToRef(regarding),
                    Parties = parties,
                    ScheduledStart = view.Date("scheduledstart", activity.ScheduledStart),
                    CreatedOn = view.Date("createdon", activity.CreatedOn),
                    Subject = view.String("subject", activity.Subject),
                    Description = view.String("description", activity.Description),
                    RescheduleCount = _rescheduleCountColumn is null ? activity.RescheduleCount : view.Int(_rescheduleCountColumn, activity.RescheduleCount),
                };
            default:
                return null;
        }
    }

    /// <summary>Turns a context into the saves to check: one per row of <c>Create</c> or <c>CreateMultiple</c>, one for <c>Update</c>.</summary>
    /// <param name="context">The context.</param>
    /// <param name="currentRecord">For an <c>Update</c> without a pre-image: gets the record as it is now (for example from the directory), else <see langword="null"/>.</param>
    /// <returns>The requests, in the order of the rows; empty when the message or table is not checked.</returns>
    /// <exception cref="DataverseContextFormatException">The context names no user, or a row has a value of the wrong type.</exception>
    public IReadOnlyList<GuardRequest> ToRequests(DataverseExecutionContext context, Func<RecordRef, CrmRecord?>? currentRecord = null)
    {
        if (context is null)
            throw new ArgumentNullException(nameof(context));
        var operation = OperationOf(context.MessageName);
        if (operation is null)
            return [];
        var userId = context.ActingUserId;
        if (string.IsNullOrEmpty(userId))
            throw new DataverseContextFormatException("InitiatingUserId", "is missing: the context names no user.");

        var requests = new List<GuardRequest>();
        for (var i = 0; i < context.Targets.Count; i++)
        {
            var target = context.Targets[i];
            if (!IsMapped(target.LogicalName))
                continue;
            if (target.Id.Length == 0 && context.Targets.Count == 1 && !string.IsNullOrEmpty(context.PrimaryEntityId) && !IsEmptyGuid(context.PrimaryEntityId!))
                target = target with { Id = context.PrimaryEntityId! };

            CrmRecord? previous = null;
            if (operation == GuardOperation.Update)
            {
                previous = context.PreImage is { } image && string.Equals(image.LogicalName, target.LogicalName, StringComparison.OrdinalIgnoreCase)
                    ? ToRecord(image with { Id = image.Id.Length > 0 ? image.Id : target.Id })
                    : currentRecord?.Invoke(new RecordRef(KindOf(target.LogicalName), target.Id));
            }

            var record = ToRecord(target, previous);
            if (record is null)
                continue;
            if (operation == GuardOperation.Create && record is Activity { CreatedOn: null } created && context.OperationCreatedOn is { } at)
                record = created with { CreatedOn = at };
            requests.Add(new GuardRequest
            {
                Operation = operation.Value,
                Record = record,
                Previous = previous,
                UserId = userId!,
                OccurredAt = context.OperationCreatedOn,
                CorrelationId = context.CorrelationId,
            });
        }

        return requests;
    }

    /// <summary>Gets the operation a message performs, or <see langword="null"/> for messages the guards do not check.</summary>
    /// <param name="messageName">The message.</param>
    /// <returns>The operation.</returns>
    public static GuardOperation? OperationOf(string? messageName) => messageName switch
    {
        "Create" or "CreateMultiple" => GuardOperation.Create,
        "Update" => GuardOperation.Update,
        _ => null,
    };

    private List<RecordRef> Parties(DataverseEntity entity)
    {
        var parties = new List<RecordRef>();
        foreach (var column in _partyColumns)
        {
            if (entity[column] is not IReadOnlyList<DataverseEntity> list)
                continue;
            foreach (var party in list)
            {
                if (party["partyid"] is DataverseReference reference && ToRef(reference) is { Kind: RecordKind.Account or RecordKind.Contact or RecordKind.Lead } customer &&
                    !parties.Contains(customer))
                {
                    parties.Add(customer);
                }
            }
        }

        return parties;
    }

    private static AccountStatus AccountStatusOf(int? state, int? customerType, AccountStatus current)
    {
        if (state == 1)
            return AccountStatus.Former;
        return customerType switch
        {
            3 => AccountStatus.Customer,
            8 => AccountStatus.Prospect,
            null => current,
            _ => current == AccountStatus.Former ? AccountStatus.Unknown : current,
        };
    }

    private static string? Country(string? country) =>
        country is { Length: 2 } code && code.All(char.IsAsciiLetter) ? code.ToUpperInvariant() : country;

    private static string? IdColumn(DataverseEntity entity, string column) => entity[column] switch
    {
        string s when s.Length > 0 && !IsEmptyGuid(s) => NormalizeId(s),
        _ => null,
    };

    private object? ReadValue(JsonElement value, string path)
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
                return value.TryGetInt64(out var whole) ? (object)whole : value.GetDouble();
            case JsonValueKind.String:
                var text = value.GetString()!;
                return text.StartsWith("/Date(", StringComparison.Ordinal) ? ReadDate(value, path) : text;
            case JsonValueKind.Array:
                var items = value.EnumerateArray().ToList();
                if (items.Count > 0 && items.All(i => i.ValueKind == JsonValueKind.Object && IsOfType(i, "OptionSetValue")))
                    return items.Select((i, n) => new DataverseOptionSetValue(ReadInt(i, "Value", $"{path}[{n}]"))).ToList();
                return value.GetRawText();
            case JsonValueKind.Object:
                if (IsOfType(value, "EntityReference") || (value.TryGetProperty("LogicalName", out _) && value.TryGetProperty("Id", out _) && !value.TryGetProperty("Attributes", out _)))
                    return ReadReference(value, path);
                if (IsOfType(value, "OptionSetValue"))
                    return new DataverseOptionSetValue(ReadInt(value, "Value", path));
                if (IsOfType(value, "Money"))
                {
                    if (!value.TryGetProperty("Value", out var amount) || amount.ValueKind != JsonValueKind.Number)
                        throw new DataverseContextFormatException(path + ".Value", "expected the Money amount as a number.");
                    return new DataverseMoney(amount.GetDecimal());
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

    private DataverseReference ReadReference(JsonElement value, string path) =>
        new(RequiredString(value, "LogicalName", path), OptionalId(value, "Id", path) ?? throw new DataverseContextFormatException(path + ".Id", "is missing: a lookup needs the row's id."),
            value.TryGetProperty("Name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null);

    private List<DataverseEntity> ReadEntityCollection(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("Entities", out var entities) || entities.ValueKind != JsonValueKind.Array)
            throw new DataverseContextFormatException(path, "expected an EntityCollection with an 'Entities' array.");
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
            throw new DataverseContextFormatException(path, $"expected an array of {{\"key\", \"value\"}} pairs, found {Describe(list)}.");
        var n = 0;
        foreach (var pair in list.EnumerateArray())
        {
            var itemPath = $"{path}[{n++}]";
            if (pair.ValueKind != JsonValueKind.Object)
                throw new DataverseContextFormatException(itemPath, $"expected a {{\"key\", \"value\"}} pair, found {Describe(pair)}.");
            var key = RequiredString(pair, "key", itemPath);
            if (!pair.TryGetProperty("value", out var value))
                throw new DataverseContextFormatException(itemPath + ".value", "is missing.");
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
            throw new DataverseContextFormatException(path, "is missing.");
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            throw new DataverseContextFormatException(path, $"expected a non-empty string, found {Describe(value)}.");
        return text;
    }

    private static string? OptionalId(JsonElement element, string name, string? parent = null)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new DataverseContextFormatException(parent is null ? name : $"{parent}.{name}", $"expected an id string, found {Describe(value)}.");
        var text = value.GetString()!;
        return text.Length == 0 ? null : NormalizeId(text);
    }

    private static int? OptionalInt(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            throw new DataverseContextFormatException(name, $"expected a whole number, found {Describe(value)}.");
        return number;
    }

    private static int ReadInt(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            throw new DataverseContextFormatException($"{path}.{name}", "expected a whole number.");
        return number;
    }

    /// <summary>Reads <c>/Date(ms)/</c>, <c>/Date(ms+hhmm)/</c> or an ISO 8601 string.</summary>
    private static DateTimeOffset ReadDate(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (text.StartsWith("/Date(", StringComparison.Ordinal) && text.EndsWith(")/", StringComparison.Ordinal))
            {
                var inner = text.AsSpan(6, text.Length - 8);
                var sign = inner.Slice(1).IndexOfAny('+', '-');
                var digits = sign < 0 ? inner : inner.Slice(0, sign + 1);
                if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms) &&
                    ms is > -62135596800000 and < 253402300800000)
                {
                    // The offset suffix only says how the value was displayed; the milliseconds are UTC.
                    return DateTimeOffset.FromUnixTimeMilliseconds(ms);
                }
            }
            else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var iso))
            {
                return iso;
            }
        }

        throw new DataverseContextFormatException(path, $"expected a date (\"/Date(ms)/\" or ISO 8601), found {Describe(value)}.");
    }

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

    /// <summary>Typed access to a row's columns; a column that is absent keeps the basis value.</summary>
    private readonly struct Columns(DataverseEntity entity)
    {
        public string? String(string column, string? current) => Get(column, current, static (object? v, out string? s) =>
        {
            s = v as string;
            return v is null or string;
        }, "a string");

        public bool? Bool(string column) => Get<bool?>(column, null, static (object? v, out bool? b) =>
        {
            b = v as bool?;
            return v is null or bool;
        }, "a boolean");

        public int Int(string column, int current) => Get(column, current, static (object? v, out int i) =>
        {
            i = v is long l && l is >= int.MinValue and <= int.MaxValue ? (int)l : 0;
            return v is null or long;
        }, "a whole number");

        public int? Option(string column) => Get<int?>(column, null, static (object? v, out int? i) =>
        {
            i = v switch
            {
                DataverseOptionSetValue o => o.Value,
                long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
                _ => null,
            };
            return v is null or DataverseOptionSetValue or long;
        }, "an OptionSetValue");

        public DateTimeOffset? Date(string column, DateTimeOffset? current) => Get(column, current, static (object? v, out DateTimeOffset? d) =>
        {
            d = v switch
            {
                DateTimeOffset date => date,
                string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var iso) => iso,
                _ => null,
            };
            return v is null || d is not null;
        }, "a date");

        public DataverseReference? Reference(string column) => Get<DataverseReference?>(column, null, static (object? v, out DataverseReference? r) =>
        {
            r = v as DataverseReference;
            return v is null or DataverseReference;
        }, "an EntityReference");

        public string? OwnerId(string? current) => entity.Has("ownerid") ? Reference("ownerid")?.Id : current;

        public string? OwnerName(string? current) => entity.Has("ownerid") ? Reference("ownerid")?.Name : current;

        private T Get<T>(string column, T current, TryConvert<T> convert, string expected)
        {
            if (!entity.Attributes.TryGetValue(column, out var value))
                return current;
            if (!convert(value, out var converted))
                throw new DataverseContextFormatException($"{entity.LogicalName}.{column}", $"expected {expected}.");
            return converted;
        }
    }

    private delegate bool TryConvert<T>(object? value, out T result);
}
