#nullable enable
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk.Query;

namespace Microsoft.Xrm.Sdk.Fakes;

/// <summary>
/// An in-memory <see cref="IOrganizationService"/> for tests. Stores rows by logical name, answers the FetchXML subset
/// described in this folder's README, derives <c>activitypointer</c> and <c>activityparty</c> rows from stored activities
/// as Dataverse does, and records every request so tests can assert how many questions a check asked.
/// </summary>
/// <remarks>Thread-safe: every request runs under one lock, as if the organisation answered them one at a time (a plug-in
/// step is single-threaded, but the directory contract also asks concurrently). Unsupported FetchXML throws
/// <see cref="NotSupportedException"/>, so a test fails when the code under test emits something this fake would silently misread.</remarks>
public sealed class FakeOrganizationService : IOrganizationService
{
    private static readonly (string Column, int Mask)[] PartyLists =
    [
        ("from", 1), ("to", 2), ("cc", 3), ("bcc", 4), ("requiredattendees", 5), ("optionalattendees", 6), ("organizer", 7), ("customers", 11),
    ];

    private static readonly string[] PointerColumns =
    [
        "activityid", "subject", "description", "scheduledstart", "scheduledend", "createdon", "statecode", "statuscode", "ownerid", "regardingobjectid",
    ];

    private readonly Dictionary<string, Dictionary<Guid, Entity>> _tables = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];
    private readonly List<string> _fetchXml = [];
    private readonly object _gate = new();

    /// <summary>Gets the logical names treated as activity tables (they appear in <c>activitypointer</c>).</summary>
    public ISet<string> ActivityLogicalNames { get; } = new HashSet<string>(StringComparer.Ordinal) { "phonecall", "appointment", "email", "task" };

    /// <summary>Gets every request, as "Message entity" (for example "RetrieveMultiple account").</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate)
                return _requests.ToList();
        }
    }

    /// <summary>Gets the FetchXML text of every RetrieveMultiple.</summary>
    public IReadOnlyList<string> FetchXml
    {
        get
        {
            lock (_gate)
                return _fetchXml.ToList();
        }
    }

    /// <summary>Gets or sets an exception that every read (Retrieve, RetrieveMultiple) throws, to simulate an outage.</summary>
    public Exception? FailReadsWith { get; set; }

    /// <summary>Gets the number of requests of one message, optionally for one entity.</summary>
    public int Count(string message, string? entityName = null) =>
        Requests.Count(r => entityName is null ? r.StartsWith(message + " ", StringComparison.Ordinal) : r == $"{message} {entityName}");

    /// <summary>Forgets the recorded requests.</summary>
    public void ResetRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
            _fetchXml.Clear();
        }
    }

    /// <summary>Stores rows without recording a request (seeding).</summary>
    public FakeOrganizationService Seed(params Entity[] entities)
    {
        lock (_gate)
        {
            foreach (var entity in entities)
                Store(entity);
            return this;
        }
    }

    /// <summary>Gets a stored row (a copy), or null, without recording a request.</summary>
    public Entity? Find(string entityName, Guid id)
    {
        lock (_gate)
            return _tables.TryGetValue(entityName, out var table) && table.TryGetValue(id, out var row) ? Copy(row, null) : null;
    }

    public Guid Create(Entity entity)
    {
        lock (_gate)
        {
            _requests.Add("Create " + entity.LogicalName);
            if (entity.Id == Guid.Empty)
                entity.Id = Guid.NewGuid();
            Store(entity);
            return entity.Id;
        }
    }

    public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet)
    {
        lock (_gate)
        {
            _requests.Add("Retrieve " + entityName);
            if (FailReadsWith is { } failure)
                throw failure;
            var table = Table(entityName);
            if (!table.TryGetValue(id, out var row))
                throw new FakeOrganizationServiceFault($"{entityName} With Id = {id} Does Not Exist");
            return Copy(row, columnSet.AllColumns ? null : columnSet.Columns);
        }
    }

    public void Update(Entity entity)
    {
        lock (_gate)
        {
            _requests.Add("Update " + entity.LogicalName);
            var table = Table(entity.LogicalName);
            if (!table.TryGetValue(entity.Id, out var row))
                throw new FakeOrganizationServiceFault($"{entity.LogicalName} With Id = {entity.Id} Does Not Exist");
            foreach (var attribute in entity.Attributes)
                row[attribute.Key] = attribute.Value;
        }
    }

    public void Delete(string entityName, Guid id)
    {
        lock (_gate)
        {
            _requests.Add("Delete " + entityName);
            Table(entityName).Remove(id);
        }
    }

    public EntityCollection RetrieveMultiple(QueryBase query)
    {
        lock (_gate)
        {
            if (query is not FetchExpression fetch)
                throw new NotSupportedException($"The fake organisation service answers FetchExpression only, not {query?.GetType().Name}.");
            var root = XElement.Parse(fetch.Query);
            var entityElement = Single(root, "entity");
            var entityName = Attr(entityElement, "name")!;
            _requests.Add("RetrieveMultiple " + entityName);
            _fetchXml.Add(fetch.Query);
            if (FailReadsWith is { } failure)
                throw failure;
            return Evaluate(root, entityElement, entityName);
        }
    }

    private EntityCollection Evaluate(XElement fetch, XElement entityElement, string entityName)
    {
        foreach (var a in fetch.Attributes())
        {
            if (a.Name.LocalName is not ("top" or "distinct" or "no-lock" or "version" or "mapping" or "output-format"))
                throw new NotSupportedException($"fetch/@{a.Name.LocalName} is not supported by the fake.");
        }

        var rows = Rows(entityName).Select(r => new Dictionary<string, Entity?>(StringComparer.Ordinal) { [string.Empty] = r }).ToList();
        var linkAliases = new List<(string Alias, string Name, XElement Element)>();
        foreach (var link in entityElement.Elements("link-entity"))
            rows = Link(rows, link, string.Empty, linkAliases);

        var filters = entityElement.Elements("filter").ToList();
        rows = rows.Where(r => filters.All(f => Matches(f, r, string.Empty))).ToList();

        foreach (var order in entityElement.Elements("order"))
        {
            var attribute = Attr(order, "attribute")!;
            var descending = Attr(order, "descending") == "true";
            rows = (descending
                ? rows.OrderByDescending(r => Comparable(Value(r[string.Empty], attribute)))
                : rows.OrderBy(r => Comparable(Value(r[string.Empty], attribute)))).ToList();
        }

        var result = new EntityCollection { EntityName = entityName };
        var seen = new HashSet<Guid>();
        var distinct = Attr(fetch, "distinct") == "true";
        var top = Attr(fetch, "top") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : int.MaxValue;
        foreach (var row in rows)
        {
            var main = row[string.Empty]!;
            if (distinct && !seen.Add(main.Id))
                continue;
            if (result.Entities.Count >= top)
            {
                result.MoreRecords = true;
                break;
            }

            var output = Copy(main, Columns(entityElement));
            foreach (var (alias, name, element) in linkAliases)
            {
                if (!row.TryGetValue(alias, out var linked) || linked is null)
                    continue;
                foreach (var column in Columns(element) ?? linked.Attributes.Keys.ToList())
                {
                    if (linked.Attributes.TryGetValue(column, out var value) && value is not null)
                        output[alias + "." + column] = new AliasedValue(name, column, value);
                }
            }

            result.Entities.Add(output);
        }

        return result;
    }

    private List<Dictionary<string, Entity?>> Link(List<Dictionary<string, Entity?>> rows, XElement link, string parentAlias, List<(string, string, XElement)> aliases)
    {
        var name = Attr(link, "name")!;
        var from = Attr(link, "from")!;
        var to = Attr(link, "to")!;
        var alias = Attr(link, "alias") ?? name;
        var type = Attr(link, "link-type") ?? "inner";
        if (type is not ("inner" or "outer"))
            throw new NotSupportedException($"link-type '{type}' is not supported by the fake.");
        aliases.Add((alias, name, link));
        var candidates = Rows(name);
        var filters = link.Elements("filter").ToList();
        var result = new List<Dictionary<string, Entity?>>();
        foreach (var row in rows)
        {
            var key = Normalize(Value(row.TryGetValue(parentAlias, out var parent) ? parent : null, to));
            var matches = key is null
                ? []
                : candidates.Where(c => Equals(Normalize(Value(c, from)), key) &&
                                        filters.All(f => Matches(f, new Dictionary<string, Entity?>(StringComparer.Ordinal) { [alias] = c }, alias))).ToList();
            if (matches.Count == 0 && type == "outer")
                result.Add(new Dictionary<string, Entity?>(row, StringComparer.Ordinal) { [alias] = null });
            foreach (var match in matches)
                result.Add(new Dictionary<string, Entity?>(row, StringComparer.Ordinal) { [alias] = match });
        }

        foreach (var nested in link.Elements("link-entity"))
            result = Link(result, nested, alias, aliases);
        return result;
    }

    private static bool Matches(XElement filter, Dictionary<string, Entity?> row, string defaultAlias)
    {
        var type = Attr(filter, "type") ?? "and";
        var results = filter.Elements().Select(child => child.Name.LocalName switch
        {
            "condition" => Condition(child, row, defaultAlias),
            "filter" => Matches(child, row, defaultAlias),
            _ => throw new NotSupportedException($"<{child.Name.LocalName}> in a filter is not supported by the fake."),
        }).ToList();
        return type switch
        {
            "and" => results.All(r => r),
            "or" => results.Any(r => r),
            _ => throw new NotSupportedException($"filter type '{type}' is not supported by the fake."),
        };
    }

    private static bool Condition(XElement condition, Dictionary<string, Entity?> row, string defaultAlias)
    {
        var alias = Attr(condition, "entityname") ?? defaultAlias;
        if (!row.TryGetValue(alias, out var entity))
            throw new NotSupportedException($"condition names entity '{alias}', which is not in the query.");
        var attribute = Attr(condition, "attribute") ?? throw new NotSupportedException("condition without attribute.");
        var op = Attr(condition, "operator") ?? throw new NotSupportedException("condition without operator.");
        var actual = Normalize(Value(entity, attribute));
        var values = Attr(condition, "value") is { } single ? [single] : condition.Elements("value").Select(v => v.Value).ToList();
        switch (op)
        {
            case "null":
                return actual is null;
            case "not-null":
                return actual is not null;
        }

        if (actual is null)
            return false; // SQL semantics: a comparison with NULL is never true.
        return op switch
        {
            "eq" => Same(actual, values[0]),
            "ne" => !Same(actual, values[0]),
            "in" => values.Any(v => Same(actual, v)),
            "not-in" => !values.Any(v => Same(actual, v)),
            "like" => Like(actual, values[0]),
            "not-like" => !Like(actual, values[0]),
            "ge" => Compare(actual, values[0]) >= 0,
            "gt" => Compare(actual, values[0]) > 0,
            "le" => Compare(actual, values[0]) <= 0,
            "lt" => Compare(actual, values[0]) < 0,
            _ => throw new NotSupportedException($"condition operator '{op}' is not supported by the fake."),
        };
    }

    private static bool Same(object actual, string value) => actual switch
    {
        Guid g => Guid.TryParse(value, out var v) && g == v,
        int i => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && i == v,
        bool b => value is "1" or "true" ? b : value is "0" or "false" ? !b : throw new NotSupportedException($"'{value}' is not a boolean."),
        decimal d => decimal.Parse(value, CultureInfo.InvariantCulture) == d,
        DateTime dt => ParseDate(value) == dt,
        string s => string.Equals(s, value, StringComparison.OrdinalIgnoreCase),
        _ => throw new NotSupportedException($"values of type {actual.GetType().Name} are not supported by the fake."),
    };

    private static int Compare(object actual, string value) => actual switch
    {
        int i => i.CompareTo(int.Parse(value, CultureInfo.InvariantCulture)),
        decimal d => d.CompareTo(decimal.Parse(value, CultureInfo.InvariantCulture)),
        DateTime dt => dt.CompareTo(ParseDate(value)),
        string s => string.Compare(s, value, StringComparison.OrdinalIgnoreCase),
        _ => throw new NotSupportedException($"ordering values of type {actual.GetType().Name} is not supported by the fake."),
    };

    private static DateTime ParseDate(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime;

    /// <summary>SQL LIKE: <c>%</c> any run, <c>_</c> one character, <c>[x]</c> a literal or class; case-insensitive.</summary>
    private static bool Like(object actual, string pattern)
    {
        if (actual is not string text)
            throw new NotSupportedException("like on a non-string column is not supported by the fake.");
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '%')
            {
                regex.Append(".*");
            }
            else if (c == '_')
            {
                regex.Append('.');
            }
            else if (c == '[')
            {
                var end = pattern.IndexOf(']', i + 2);
                if (end < 0)
                    throw new NotSupportedException($"unclosed [ in like pattern '{pattern}'.");
                regex.Append('[').Append(Regex.Escape(pattern.Substring(i + 1, end - i - 1)).Replace("]", "\\]")).Append(']');
                i = end;
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return Regex.IsMatch(text, regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    private static object? Value(Entity? entity, string attribute)
    {
        if (entity is null)
            return null;
        if (entity.Attributes.TryGetValue(attribute, out var value))
            return value;
        return attribute == "activityid" || attribute == entity.LogicalName + "id" ? entity.Id : null;
    }

    private static object? Normalize(object? value) => value switch
    {
        EntityReference r => r.Id,
        OptionSetValue o => o.Value,
        Money m => m.Value,
        DateTime d => d.ToUniversalTime(),
        _ => value,
    };

    private static IComparable? Comparable(object? value) => Normalize(value) as IComparable;

    private static List<string>? Columns(XElement element) =>
        element.Elements("all-attributes").Any() ? null : element.Elements("attribute").Select(a => Attr(a, "name")!).ToList();

    private List<Entity> Rows(string entityName) => entityName switch
    {
        "activitypointer" => _tables.Where(t => ActivityLogicalNames.Contains(t.Key)).SelectMany(t => t.Value.Values).Select(Pointer).ToList(),
        "activityparty" => _tables.Where(t => ActivityLogicalNames.Contains(t.Key)).SelectMany(t => t.Value.Values).SelectMany(Parties).ToList(),
        _ => _tables.TryGetValue(entityName, out var table) ? table.Values.ToList() : [],
    };

    private static Entity Pointer(Entity activity)
    {
        var pointer = new Entity("activitypointer", activity.Id);
        foreach (var column in PointerColumns)
        {
            if (activity.Attributes.TryGetValue(column, out var value))
                pointer[column] = value;
        }

        pointer["activityid"] = activity.Id;
        pointer["activitytypecode"] = activity.LogicalName;
        return pointer;
    }

    private static IEnumerable<Entity> Parties(Entity activity)
    {
        foreach (var (column, mask) in PartyLists)
        {
            if (activity.GetAttributeValue<EntityCollection>(column) is not { } parties)
                continue;
            foreach (var party in parties.Entities)
            {
                yield return new Entity("activityparty", Guid.NewGuid())
                {
                    ["activityid"] = new EntityReference("activitypointer", activity.Id),
                    ["partyid"] = party.GetAttributeValue<EntityReference>("partyid"),
                    ["participationtypemask"] = new OptionSetValue(mask),
                };
            }
        }
    }

    private void Store(Entity entity)
    {
        if (entity.Id == Guid.Empty)
            entity.Id = Guid.NewGuid();
        Table(entity.LogicalName)[entity.Id] = Copy(entity, null);
    }

    private Dictionary<Guid, Entity> Table(string entityName)
    {
        if (!_tables.TryGetValue(entityName, out var table))
            _tables[entityName] = table = [];
        return table;
    }

    private Entity Copy(Entity entity, ICollection<string>? columns)
    {
        var copy = new Entity(entity.LogicalName, entity.Id);
        foreach (var attribute in entity.Attributes)
        {
            if (columns is null || columns.Contains(attribute.Key))
                copy[attribute.Key] = attribute.Value;
        }

        var key = PrimaryKey(entity.LogicalName);
        if (columns is null || columns.Contains(key))
            copy[key] = entity.Id;
        return copy;
    }

    private string PrimaryKey(string logicalName) =>
        logicalName is "activitypointer" || ActivityLogicalNames.Contains(logicalName) ? "activityid" : logicalName + "id";

    private static XElement Single(XElement parent, string name) =>
        parent.Elements(name).SingleOrDefault() ?? throw new NotSupportedException($"<{parent.Name.LocalName}> needs exactly one <{name}>.");

    private static string? Attr(XElement element, string name) => element.Attribute(name)?.Value;
}

/// <summary>Stands in for <c>FaultException&lt;OrganizationServiceFault&gt;</c>, which the fakes do not reproduce.</summary>
public sealed class FakeOrganizationServiceFault : Exception
{
    public FakeOrganizationServiceFault(string message)
        : base(message)
    {
    }
}
