using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmGuardrails.Salesforce.Emulator;

/// <summary>
/// Runs the SOQL the emulated org accepts. Strict: only the query shapes the package is meant to send
/// (<see cref="AllowedShapes"/>) are answered; any other shape — what an unescaped literal turns a query into — is
/// <c>MALFORMED_QUERY</c>, so an injection fails a test. Fields and objects are checked against the schema
/// (<c>INVALID_FIELD</c>, <c>INVALID_TYPE</c>), and an id literal of the wrong shape is refused
/// (<c>INVALID_QUERY_FILTER_OPERATOR</c>), as Salesforce does.
/// </summary>
internal sealed class EmulatorQuery(EmulatorSchema schema, EmulatorStore store)
{
    private const string TaskWith = "(WhatId IN ? OR WhoId IN ? OR AccountId IN ?)";

    /// <summary>The shapes of the directory, the key store and the backfill.</summary>
    public static readonly HashSet<string> AllowedShapes = BuildShapes();

    public bool AcceptGuidIds { get; set; } = true;

    /// <summary>Answers a query: every matching record, in order, as JSON objects with <c>attributes</c>.</summary>
    public List<JsonObject> Run(string soql)
    {
        var query = SoqlParser.Parse(soql);
        if (!schema.Has(query.Object))
            throw new EmulatorQueryException("INVALID_TYPE", $"sObject type '{query.Object}' is not supported.");
        var sObject = schema.CanonicalName(query.Object);
        foreach (var field in query.Fields)
            CheckField(sObject, field);
        if (!AllowedShapes.Contains((query with { Object = sObject }).Shape))
            throw SoqlParser.Malformed($"the emulated org does not accept this query shape: {query.Shape}");
        if (query.Where is not null)
            CheckCondition(sObject, query.Where);

        lock (store.Gate)
        {
            IEnumerable<Dictionary<string, object?>> rows = store.Rows(sObject).Where(r => query.Where is null || Matches(sObject, r, query.Where));
            if (query.OrderBy is { } order)
            {
                rows = query.Descending
                    ? rows.OrderByDescending(r => r.GetValueOrDefault(order), ValueComparer.Instance)
                    : rows.OrderBy(r => r.GetValueOrDefault(order), ValueComparer.Instance);
            }

            if (query.Limit is { } limit)
                rows = rows.Take(limit);
            return rows.Select(r => Project(sObject, r, query.Fields)).ToList();
        }
    }

    /// <summary>A record as the REST API writes it: <c>attributes</c>, then the selected fields; relationship paths nested.</summary>
    public JsonObject Project(string sObject, Dictionary<string, object?> row, IEnumerable<string> fields)
    {
        var id = (string)row["Id"]!;
        var json = new JsonObject { ["attributes"] = new JsonObject { ["type"] = sObject, ["url"] = $"/services/data/v62.0/sobjects/{sObject}/{id}" } };
        foreach (var field in fields)
        {
            var dot = field.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                var canonical = schema.Field(sObject, field)!;
                json[canonical.Name] = ToJson(canonical.Type, row.GetValueOrDefault(canonical.Name));
                continue;
            }

            var relationship = field.Substring(0, dot);
            var target = field.Substring(dot + 1);
            var referenced = row.GetValueOrDefault(relationship + "Id") as string;
            var targetObject = store.ObjectOf(referenced);
            if (referenced is null || targetObject is null)
            {
                json[relationship] = null;
                continue;
            }

            var nested = json[relationship] as JsonObject ?? new JsonObject { ["attributes"] = new JsonObject { ["type"] = relationship is "Who" or "What" or "Owner" ? "Name" : targetObject } };
            var other = store.Find(targetObject, referenced)!;
            nested[target] = target.Equals("Type", StringComparison.OrdinalIgnoreCase)
                ? targetObject
                : schema.Field(targetObject, target) is { } f ? ToJson(f.Type, other.GetValueOrDefault(f.Name)) : null;
            json[relationship] = nested;
        }

        return json;
    }

    public static JsonNode? ToJson(FieldType type, object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        double d => JsonValue.Create(d),
        DateTimeOffset date when type == FieldType.Date => JsonValue.Create(date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTimeOffset date => JsonValue.Create(date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>Tells whether a text is an id the org would take: 15 or 18 letters and digits (GUIDs too when the contract org's ids are kept).</summary>
    public bool IsId(string? text) =>
        text is { Length: 15 or 18 } && Regex.IsMatch(text, "^[A-Za-z0-9]+$") || AcceptGuidIds && Guid.TryParseExact(text, "D", out _);

    private void CheckField(string sObject, string field)
    {
        var dot = field.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            if (schema.Field(sObject, field) is null)
                throw new EmulatorQueryException("INVALID_FIELD", $"No such column '{field}' on entity '{sObject}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.");
            return;
        }

        var relationship = field.Substring(0, dot);
        var target = field.Substring(dot + 1);
        var known = (sObject, relationship) switch
        {
            (_, "Owner") => target is "Name",
            ("Task" or "Event", "Who" or "What") => target is "Type" or "Name",
            ("Contact", "Account") => schema.Field("Account", target) is not null,
            ("Account", "Parent") => schema.Field("Account", target) is not null,
            ("User", "Manager") => target is "Name",
            _ => false,
        };
        if (!known || schema.Field(sObject, relationship + "Id") is null)
            throw new EmulatorQueryException("INVALID_FIELD", $"Didn't understand relationship '{relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.");
    }

    private void CheckCondition(string sObject, SoqlCondition condition)
    {
        switch (condition)
        {
            case SoqlAnd and:
                and.Parts.ToList().ForEach(p => CheckCondition(sObject, p));
                break;
            case SoqlOr or:
                or.Parts.ToList().ForEach(p => CheckCondition(sObject, p));
                break;
            case SoqlComparison comparison:
                var field = schema.Field(sObject, comparison.Field)
                    ?? throw new EmulatorQueryException("INVALID_FIELD", $"No such column '{comparison.Field}' on entity '{sObject}'.");
                foreach (var value in comparison.Values)
                {
                    var fits = (field.Type, value) switch
                    {
                        (_, null) => comparison.Operator is "=" or "!=",
                        (FieldType.Id or FieldType.Reference, string id) => IsId(id) ? true : throw new EmulatorQueryException("INVALID_QUERY_FILTER_OPERATOR", $"invalid ID field: {id}"),
                        (FieldType.Text, string) => true,
                        (FieldType.Boolean, bool) => true,
                        (FieldType.DateTime or FieldType.Date, DateTimeOffset) => true,
                        (FieldType.Number, double) => true,
                        _ => false,
                    };
                    if (!fits)
                        throw new EmulatorQueryException("INVALID_QUERY_FILTER_OPERATOR", $"value of filter criterion for field '{field.Name}' must be of type {field.Type} and should not be enclosed in quotes");
                }

                break;
        }
    }

    private static bool Matches(string sObject, Dictionary<string, object?> row, SoqlCondition condition) => condition switch
    {
        SoqlAnd and => and.Parts.All(p => Matches(sObject, row, p)),
        SoqlOr or => or.Parts.Any(p => Matches(sObject, row, p)),
        SoqlComparison c => Compare(row.GetValueOrDefault(c.Field), c),
        _ => false,
    };

    /// <summary>Text compares ignoring case, as SOQL does; <c>!=</c> keeps nulls (a null is unequal to any value).</summary>
    private static bool Compare(object? actual, SoqlComparison c) => c.Operator switch
    {
        "=" => Same(actual, c.Values[0]),
        "!=" => !Same(actual, c.Values[0]),
        "IN" => c.Values.Any(v => Same(actual, v)),
        "NOT IN" => !c.Values.Any(v => Same(actual, v)),
        ">=" => actual is not null && ValueComparer.Instance.Compare(actual, c.Values[0]) >= 0,
        ">" => actual is not null && ValueComparer.Instance.Compare(actual, c.Values[0]) > 0,
        "<=" => actual is not null && ValueComparer.Instance.Compare(actual, c.Values[0]) <= 0,
        "<" => actual is not null && ValueComparer.Instance.Compare(actual, c.Values[0]) < 0,
        "LIKE" => actual is string text && c.Values[0] is string pattern && Like(text, pattern),
        _ => false,
    };

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (string x, string y) => string.Equals(x, y, StringComparison.OrdinalIgnoreCase),
        _ => Equals(a, b),
    };

    private static bool Like(string text, string pattern)
    {
        var regex = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length)
                regex.Append(Regex.Escape(pattern[++i].ToString()));
            else
                regex.Append(pattern[i] switch { '%' => ".*", '_' => ".", var ch => Regex.Escape(ch.ToString()) });
        }

        return Regex.IsMatch(text, regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.Singleline);
    }

    private static HashSet<string> BuildShapes()
    {
        var shapes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in new[] { "Account", "Contact", "Lead", "User", "Group", "Task", "Event" })
            shapes.Add($"FROM {obj} WHERE Id IN ? LIMIT ?");
        shapes.Add("FROM Account WHERE Id IN ?");
        shapes.Add("FROM Contact WHERE Id IN ?");
        shapes.Add("FROM Lead WHERE Id IN ?");
        shapes.Add("FROM AccountTeamMember WHERE AccountId IN ?");
        shapes.Add("FROM Contact WHERE AccountId IN ? AND CrmG_Inactive__c = false LIMIT ?");
        shapes.Add("FROM Contact WHERE AccountId IN ? LIMIT ?");
        const string OpenLead = "FROM Lead WHERE IsConverted = false AND Status NOT IN ?";
        shapes.Add(OpenLead + " AND Email IN ? LIMIT ?");
        shapes.Add(OpenLead + " AND Id IN ? LIMIT ?");
        shapes.Add("FROM CrmG_MatchKey__c WHERE CrmG_Key__c IN ? LIMIT ?");
        shapes.Add("FROM CrmG_MatchKey__c WHERE CrmG_RecordId__c IN ?");
        foreach (var direction in new[] { string.Empty, " AND CallType IN ?", " AND CallType != ?" })
        {
            foreach (var since in new[] { string.Empty, " AND CreatedDate >= ?" })
                shapes.Add($"FROM Task WHERE IsClosed = false AND {TaskWith}{direction}{since} ORDER BY CreatedDate DESC LIMIT ?");
        }

        shapes.Add("FROM Event WHERE WhatId IN ? OR WhoId IN ? OR AccountId IN ? ORDER BY CreatedDate DESC LIMIT ?");
        shapes.Add($"FROM Event WHERE {TaskWith} AND CreatedDate >= ? ORDER BY CreatedDate DESC LIMIT ?");

        // The backfill reads by keyset (Id > the last one), resumable at any page.
        foreach (var obj in new[] { "Account", "Contact" })
        {
            shapes.Add($"FROM {obj} ORDER BY Id LIMIT ?");
            shapes.Add($"FROM {obj} WHERE Id > ? ORDER BY Id LIMIT ?");
        }

        shapes.Add(OpenLead + " ORDER BY Id LIMIT ?");
        shapes.Add(OpenLead + " AND Id > ? ORDER BY Id LIMIT ?");
        return shapes;
    }

    /// <summary>Orders values of one field: nulls first, then by value (text ignoring case, ordinal for ids).</summary>
    private sealed class ValueComparer : IComparer<object?>
    {
        public static readonly ValueComparer Instance = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            (string a, string b) => string.CompareOrdinal(a, b),
            (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
            (double a, double b) => a.CompareTo(b),
            (bool a, bool b) => a.CompareTo(b),
            _ => 0,
        };
    }
}
