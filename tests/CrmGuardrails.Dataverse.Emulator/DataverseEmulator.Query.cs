using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>Reading: collection queries, retrieves, projection and <c>$expand</c>.</summary>
public sealed partial class DataverseEmulator
{
    private const int MaxPageSize = 5000;
    private const string FormattedValue = "OData.Community.Display.V1.FormattedValue";
    private const string LookupLogicalNameAnnotation = "Microsoft.Dynamics.CRM.lookuplogicalname";

    /// <summary>
    /// The query options Dataverse supports: "$select, $expand, $orderby, $filter, $apply, $top, $count" and not "$skip, $search,
    /// $format" (P: webapi/query/overview.md, docs/platform/dataverse.md §3.2); <c>$skiptoken</c> comes back in <c>@odata.nextLink</c>.
    /// The emulator does not implement <c>$apply</c>.
    /// </summary>
    private static readonly HashSet<string> SupportedOptions = new(StringComparer.Ordinal) { "$select", "$filter", "$expand", "$orderby", "$top", "$count", "$skiptoken" };

    private EmulatorHttpResponse Query(EmulatorHttpRequest request, EmulatorTable table)
    {
        CheckOptions(request);
        var aliases = Aliases(request);
        var select = ParseSelect(table, request.Option("$select"));
        var expands = ParseExpands(table, request.Option("$expand"), aliases);
        var filterText = request.Option("$filter");
        var filter = string.IsNullOrWhiteSpace(filterText) ? null : ODataFilterEvaluator.Parse(filterText, Schema, table, aliases);
        var orderBy = ParseOrderBy(table, request.Option("$orderby"), aliases);
        var top = ParseTop(request.Option("$top"));
        var count = request.Option("$count") switch
        {
            null or "false" => false,
            "true" => true,
            var other => throw new EmulatorException(400, EmulatorErrors.QueryCode, $"'{other}' is not a valid count option."),
        };
        var prefer = request.Header("Prefer") ?? string.Empty;
        var annotations = new Annotations(prefer);
        var maxPageSize = MaxPageSizeOf(prefer);
        var skip = SkipOf(request.Option("$skiptoken"));

        return ReadLocked(() =>
        {
            var resolver = ResolverFor(table);
            var plan = filter?.Plan();
            var candidates = plan is null ? Store.AllLocked(table.EntitySet).ToList() : Candidates(table, plan);
            Stats.Query(filter?.HasLeadingWildcard ?? false, plan is not null, candidates.Count);
            var matches = filter is null ? candidates : candidates.Where(r => filter.Matches(r.Data, resolver)).ToList();
            if (orderBy.Count > 0)
                matches = Sort(matches, orderBy);

            // "Don't use $top with the Prefer: odata.maxpagesize request header. If you include both, $top is ignored."
            // (P: webapi/query/page-results.md, ms.date 07/01/2024 — documented; the brief's "$top wins" was not followed).
            int pageSize;
            bool paged;
            if (maxPageSize is { } size)
            {
                (pageSize, paged) = (size, true);
            }
            else if (top is { } limit)
            {
                (pageSize, paged) = (Math.Min(limit, MaxPageSize), false);
            }
            else
            {
                (pageSize, paged) = (Math.Clamp(DefaultPageSize, 1, MaxPageSize), true);
            }

            var page = matches.Skip(skip).Take(pageSize).ToList();
            var more = paged && skip + page.Count < matches.Count;
            var response = Json(200, w =>
            {
                w.WriteStartObject();
                w.WriteString("@odata.context", $"{WebApiRoot}$metadata#{table.EntitySet}({request.Option("$select")})");
                if (count)
                {
                    // "The response @odata.count annotation contains the number of rows, up to 5,000, that matches the filter criteria
                    // irrespective of the page size requested." (P: webapi/query/count-rows.md)
                    w.WriteNumber("@odata.count", Math.Min(matches.Count, MaxPageSize));
                    if (annotations.Wants("Microsoft.Dynamics.CRM.totalrecordcount"))
                        w.WriteNumber("@Microsoft.Dynamics.CRM.totalrecordcount", Math.Min(matches.Count, MaxPageSize));
                    if (annotations.Wants("Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"))
                        w.WriteBoolean("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded", matches.Count > MaxPageSize);
                }

                w.WriteStartArray("value");
                foreach (var row in page)
                    WriteRow(w, table, row.Data, select, expands, annotations);
                w.WriteEndArray();
                if (more)
                    w.WriteString("@odata.nextLink", NextLink(request, table, skip, page.Count, pageSize));
                w.WriteEndObject();
            });
            if (maxPageSize is { } applied)
                response.Headers["Preference-Applied"] = "odata.maxpagesize=" + applied.ToString(CultureInfo.InvariantCulture);
            return response;
        });
    }

    private EmulatorHttpResponse CountOnly(EmulatorHttpRequest request, EmulatorTable table)
    {
        // "To get just a number that represents the count of a collection, append /$count" → text/plain (P: webapi/query/count-rows.md).
        CheckOptions(request);
        var filterText = request.Option("$filter");
        var filter = string.IsNullOrWhiteSpace(filterText) ? null : ODataFilterEvaluator.Parse(filterText, Schema, table, Aliases(request));
        return ReadLocked(() =>
        {
            var resolver = ResolverFor(table);
            var rows = Store.AllLocked(table.EntitySet);
            var n = filter is null ? Store.CountLocked(table.EntitySet) : rows.Count(r => filter.Matches(r.Data, resolver));
            var response = new EmulatorHttpResponse { ContentType = "text/plain", Body = System.Text.Encoding.UTF8.GetBytes(n.ToString(CultureInfo.InvariantCulture)) };
            response.Headers["OData-Version"] = "4.0";
            return response;
        });
    }

    private EmulatorHttpResponse Retrieve(EmulatorHttpRequest request, EmulatorTable table, RowKey key)
    {
        // "The 'Retrieve' method does not support entities of type 'activityparty'" (fake-xrm-easy#332, docs/platform/dataverse.md §5.4).
        if (table.LogicalName == "activityparty")
            throw new EmulatorException(400, "0x80040800", "The 'Retrieve' method does not support entities of type 'activityparty'.");
        foreach (var (name, _) in request.Query)
        {
            // Assumed: a retrieve by key takes only $select and $expand (the other options shape collections).
            if (name.StartsWith('$') && name is not ("$select" or "$expand"))
                throw new EmulatorException(400, EmulatorErrors.QueryCode, $"The query parameter '{name}' is not supported when retrieving a single record.");
        }

        var aliases = Aliases(request);
        var select = ParseSelect(table, request.Option("$select"));
        var expands = ParseExpands(table, request.Option("$expand"), aliases);
        var prefer = request.Header("Prefer") ?? string.Empty;
        var annotations = new Annotations(prefer);
        return ReadLocked(() =>
        {
            var row = FindLocked(table, key) ?? throw NotFound(table, key);

            // "If the data hasn't changed, the HTTP status code 304 Not Modified is returned" — not with $expand nor annotations
            // (P: webapi/perform-conditional-operations-using-web-api.md).
            if (request.Header("If-None-Match") is { } tag && tag != "null" && expands.Count == 0 && !annotations.Any &&
                tag == row.Data["@odata.etag"]?.GetValue<string>())
            {
                return new EmulatorHttpResponse { Status = 304 };
            }

            return Json(200, w =>
            {
                WriteRow(w, table, row.Data, select, expands, annotations, context: $"{WebApiRoot}$metadata#{table.EntitySet}({request.Option("$select")})/$entity");
            });
        });
    }

    private T ReadLocked<T>(Func<T> read)
    {
        lock (Store.Gate)
            return read();
    }

    private static void CheckOptions(EmulatorHttpRequest request)
    {
        foreach (var (name, _) in request.Query)
        {
            if (name.StartsWith('$') && !SupportedOptions.Contains(name))
            {
                // Assumed error shape; the options themselves are documented as unsupported (P: webapi/query/overview.md).
                throw new EmulatorException(400, EmulatorErrors.QueryCode, $"The query parameter '{name}' is not supported.");
            }
        }
    }

    private static Func<string, string?> Aliases(EmulatorHttpRequest request) => alias => request.Option(alias);

    private static int? ParseTop(string? text)
    {
        if (text is null)
            return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var top)
            ? top
            : throw new EmulatorException(400, EmulatorErrors.QueryCode, $"Invalid value '{text}' for $top query option found. The $top query option requires a non-negative integer value.");
    }

    /// <summary>"You can specify a max page size up to 5,000. The service ignores max page size requests larger than 5,000." (P: webapi/query/page-results.md).</summary>
    private static int? MaxPageSizeOf(string prefer)
    {
        var match = Regex.Match(prefer, @"odata\.maxpagesize=(\d+)");
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is > 0 and <= MaxPageSize ? size : null;
    }

    private static int SkipOf(string? skipToken)
    {
        if (string.IsNullOrEmpty(skipToken))
            return 0;
        var match = Regex.Match(skipToken, "skip=\"(\\d+)\"");
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new FormatException("Invalid $skiptoken.");
    }

    private string NextLink(EmulatorHttpRequest request, EmulatorTable table, int skip, int count, int pageSize)
    {
        var cookie = $"<cookie pagenumber=\"{(skip / Math.Max(pageSize, 1)) + 2}\" skip=\"{skip + count}\" istracking=\"False\" />";
        var others = string.Join("&", request.Query.Where(q => q.Key != "$skiptoken").Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value)));
        return $"{WebApiRoot}{table.EntitySet}?{(others.Length > 0 ? others + "&" : string.Empty)}$skiptoken={Uri.EscapeDataString(cookie)}";
    }

    /// <summary>The columns of <c>$select</c> (Web API property names; the primary key is always returned), or <see langword="null"/> for all.</summary>
    private static List<string>? ParseSelect(EmulatorTable table, string? select)
    {
        if (string.IsNullOrWhiteSpace(select) || select.Trim() == "*")
            return null;
        var columns = new List<string>();
        foreach (var name in select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (table.Property(name) is null)
                throw EmulatorErrors.UnknownProperty(name, table);
            if (!columns.Contains(name))
                columns.Add(name);
        }

        // "$select: primary key always returned" (docs/platform/dataverse.md §3.2).
        if (!columns.Contains(table.PrimaryKey))
            columns.Add(table.PrimaryKey);
        return columns;
    }

    /// <summary>
    /// <c>$orderby=col [asc|desc][,col2 ...]</c> on known properties: "$orderby=revenue asc,name desc" and parameter aliases
    /// "$orderby=@p1 asc,@p2 desc&amp;@p1=revenue&amp;@p2=name" (P: webapi/query/overview.md, ms.date 07/11/2024).
    /// </summary>
    private static List<(EmulatorColumn Column, bool Descending)> ParseOrderBy(EmulatorTable table, string? orderBy, Func<string, string?> aliases)
    {
        var result = new List<(EmulatorColumn, bool)>();
        if (string.IsNullOrWhiteSpace(orderBy))
            return result;
        foreach (var item in orderBy.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var name = parts[0].StartsWith('@') ? aliases(parts[0]) ?? parts[0] : parts[0];
            var column = table.Property(name) ?? throw EmulatorErrors.UnknownProperty(name, table);
            var descending = parts.Length switch
            {
                1 => false,
                2 when parts[1] == "asc" => false,
                2 when parts[1] == "desc" => true,
                _ => throw new EmulatorException(400, EmulatorErrors.QueryCode, $"Syntax error at position {item.Length} in '{orderBy}'."),
            };
            result.Add((column, descending));
        }

        return result;
    }

    private static List<StoredRow> Sort(List<StoredRow> rows, List<(EmulatorColumn Column, bool Descending)> orderBy)
    {
        IOrderedEnumerable<StoredRow>? sorted = null;
        foreach (var (column, descending) in orderBy)
        {
            var comparer = Comparer<StoredRow>.Create((a, b) => CompareForSort(column, a.Data[column.PropertyName], b.Data[column.PropertyName]));
            sorted = sorted is null
                ? descending ? rows.OrderByDescending(r => r, comparer) : rows.OrderBy(r => r, comparer)
                : descending ? sorted.ThenByDescending(r => r, comparer) : sorted.ThenBy(r => r, comparer);
        }

        return sorted!.ToList();
    }

    /// <summary>SQL order: nulls first, text case-insensitive, dates as dates, numbers as numbers.</summary>
    private static int CompareForSort(EmulatorColumn column, JsonNode? a, JsonNode? b)
    {
        var x = JsonValues.ToValue(a);
        var y = JsonValues.ToValue(b);
        if (x is null || y is null)
            return x is null ? (y is null ? 0 : -1) : 1;
        if (column.Type == EmulatorColumnType.DateTime &&
            DateTimeOffset.TryParse(Convert.ToString(x, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dx) &&
            DateTimeOffset.TryParse(Convert.ToString(y, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dy))
        {
            return dx.CompareTo(dy);
        }

        if (x is double nx && y is double ny)
            return nx.CompareTo(ny);
        if (x is bool bx && y is bool by)
            return bx.CompareTo(by);
        // Text sorts like a case-insensitive SQL collation (punctuation before digits before letters), not by code point.
        return string.Compare(Convert.ToString(x, CultureInfo.InvariantCulture), Convert.ToString(y, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, CompareOptions.IgnoreCase);
    }

    /// <summary>The rows an index plan finds, in insertion order.</summary>
    private List<StoredRow> Candidates(EmulatorTable table, IndexPlan plan)
    {
        var found = new HashSet<StoredRow>();
        Collect(table, plan, found);
        var rows = found.ToList();
        rows.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return rows;
    }

    private void Collect(EmulatorTable table, IndexPlan plan, HashSet<StoredRow> found)
    {
        switch (plan)
        {
            case IndexLookup lookup:
                foreach (var value in lookup.Values)
                    found.UnionWith(Store.LookupLocked(table.EntitySet, lookup.Column, value));
                break;
            case IndexUnion union:
                foreach (var part in union.Parts)
                    Collect(table, part, found);
                break;
            case IndexSmallest smallest:
                HashSet<StoredRow>? best = null;
                foreach (var part in smallest.Parts)
                {
                    var rows = new HashSet<StoredRow>();
                    Collect(table, part, rows);
                    if (best is null || rows.Count < best.Count)
                        best = rows;
                    if (best.Count == 0)
                        break;
                }

                found.UnionWith(best!);
                break;
        }
    }

    private StoredRow? FindLocked(EmulatorTable table, RowKey key)
    {
        if (key.Id is { } id)
            return Store.FindLocked(table.EntitySet, id);
        var columns = key.AlternateKey!.Columns;
        var first = table.Column(columns[0])!;
        foreach (var row in Store.LookupLocked(table.EntitySet, first.PropertyName, key.Values![columns[0]]))
        {
            if (columns.All(c => string.Equals(EmulatorStore.IndexKey(row.Data[table.Column(c)!.PropertyName]), key.Values[c], StringComparison.OrdinalIgnoreCase)))
                return row;
        }

        return null;
    }

    private static EmulatorException NotFound(EmulatorTable table, RowKey key) => key.Id is { } id
        ? EmulatorErrors.NotFound(table.LogicalName, id)

        // Assumed text (from memory of live answers; not quoted in the facts files): the alternate-key variant of ObjectDoesNotExist.
        : new EmulatorException(404, "0x80040217", $"A record with the specified key values does not exist in {table.LogicalName} entity");

    private NavigationResolver ResolverFor(EmulatorTable table) => (navigation, row) => Navigate(table, navigation, row);

    /// <summary>The rows a navigation property of a row leads to (caller holds the store lock), or <see langword="null"/> when unknown.</summary>
    private List<JsonObject>? Navigate(EmulatorTable table, string navigation, JsonObject row)
    {
        if (Schema.CollectionNavigation(table, navigation) is { } many)
        {
            if (row[table.PrimaryKey]?.GetValue<string>() is not { } id)
                return [];
            if (many.Intersect is { } intersect)
            {
                var related = new List<JsonObject>();
                foreach (var link in Store.LookupLocked(intersect.Set, intersect.From, id).OrderBy(r => r.Sequence))
                {
                    if (EmulatorStore.IndexKey(link.Data[intersect.To]) is { } otherId && Store.FindLocked(many.Target.EntitySet, otherId) is { } other)
                        related.Add(other.Data);
                }

                return related;
            }

            return Store.LookupLocked(many.Target.EntitySet, many.ReferencingProperty!, id).OrderBy(r => r.Sequence).Select(r => r.Data).ToList();
        }

        if (table.Navigation(navigation) is { } single)
            return SingleTarget(single, row) is { } target ? [target.Row] : [];
        return null;
    }

    /// <summary>The row a lookup points at, and its table.</summary>
    private (JsonObject Row, EmulatorTable Table)? SingleTarget(EmulatorNavigation navigation, JsonObject row)
    {
        var property = navigation.Column.PropertyName;
        if (EmulatorStore.IndexKey(row[property]) is not { } id)
            return null;
        var stored = row[property + EmulatorStore.LookupLogicalName]?.GetValue<string>();
        foreach (var target in navigation.Targets)
        {
            if (stored is not null && stored != target)
                continue;
            if (Schema.Table(target) is { } targetTable && Store.FindLocked(targetTable.EntitySet, id) is { } found)
                return (found.Data, targetTable);
        }

        return null;
    }

    private void WriteRow(Utf8JsonWriter w, EmulatorTable table, JsonObject row, List<string>? select, List<ExpandItem> expands, Annotations annotations, string? context = null)
    {
        w.WriteStartObject();
        if (context is not null)
            w.WriteString("@odata.context", context);
        if (row["@odata.etag"] is { } etag)
        {
            w.WritePropertyName("@odata.etag");
            etag.WriteTo(w);
        }

        if (select is null)
        {
            foreach (var (name, value) in row)
            {
                if (name.Contains('@', StringComparison.Ordinal) || table.Property(name) is { ValidForRead: false })
                    continue;
                WriteProperty(w, table, row, name, value, annotations);
            }
        }
        else
        {
            foreach (var name in select)
            {
                if (table.Property(name) is { ValidForRead: false })
                    continue;
                WriteProperty(w, table, row, name, row[name], annotations);
            }
        }

        foreach (var expand in expands)
            WriteExpand(w, table, row, expand, annotations);
        w.WriteEndObject();
    }

    private void WriteProperty(Utf8JsonWriter w, EmulatorTable table, JsonObject row, string name, JsonNode? value, Annotations annotations)
    {
        if (value is not null && table.Property(name) is { Type: EmulatorColumnType.Lookup } column && annotations.Any)
        {
            var id = EmulatorStore.IndexKey(value);
            var logical = row[name + EmulatorStore.LookupLogicalName]?.GetValue<string>()
                ?? (id is null ? null : column.Targets.FirstOrDefault(t => Schema.Table(t) is { } target && Store.FindLocked(target.EntitySet, id) is not null));
            if (annotations.Wants(FormattedValue) && logical is not null && id is not null && PrimaryName(logical, id) is { } primaryName)
                w.WriteString(name + "@" + FormattedValue, primaryName);
            if (annotations.Wants(LookupLogicalNameAnnotation) && logical is not null)
                w.WriteString(name + "@" + LookupLogicalNameAnnotation, logical);
        }

        w.WritePropertyName(name);
        if (value is null)
            w.WriteNullValue();
        else
            value.WriteTo(w);
    }

    private string? PrimaryName(string logicalName, string id)
    {
        if (Schema.Table(logicalName) is not { PrimaryName: { } column } table || Store.FindLocked(table.EntitySet, id) is not { } row)
            return null;
        return row.Data[column]?.GetValue<string>();
    }

    private void WriteExpand(Utf8JsonWriter w, EmulatorTable table, JsonObject row, ExpandItem expand, Annotations annotations)
    {
        w.WritePropertyName(expand.Name);
        if (expand.Single is { } single)
        {
            if (SingleTarget(single, row) is not { } target)
            {
                w.WriteNullValue();
                return;
            }

            if (expand.Reference)
            {
                w.WriteStartObject();
                w.WriteString("@odata.id", $"{WebApiRoot}{target.Table.EntitySet}({target.Row[target.Table.PrimaryKey]})");
                w.WriteEndObject();
                return;
            }

            WriteRow(w, target.Table, target.Row, expand.Select, expand.Children, annotations);
            return;
        }

        var related = Navigate(table, expand.Name, row) ?? [];
        IEnumerable<JsonObject> rows = related;
        if (expand.Filter is { } filter)
        {
            var resolver = ResolverFor(expand.Target);
            rows = rows.Where(r => filter.Matches(r, resolver));
        }

        if (expand.OrderBy.Count > 0)
        {
            IOrderedEnumerable<JsonObject>? sorted = null;
            foreach (var (column, descending) in expand.OrderBy)
            {
                var comparer = Comparer<JsonObject>.Create((a, b) => CompareForSort(column, a[column.PropertyName], b[column.PropertyName]));
                sorted = sorted is null
                    ? descending ? rows.OrderByDescending(r => r, comparer) : rows.OrderBy(r => r, comparer)
                    : descending ? sorted.ThenByDescending(r => r, comparer) : sorted.ThenBy(r => r, comparer);
            }

            rows = sorted!;
        }

        // "up to 5,000 related records can be returned for each expanded collection-valued navigation property" (P: webapi/query/join-tables.md).
        rows = rows.Take(Math.Min(expand.Top ?? MaxPageSize, MaxPageSize));
        w.WriteStartArray();
        foreach (var related1 in rows)
            WriteRow(w, expand.Target, related1, expand.Select, expand.Children, annotations);
        w.WriteEndArray();
    }

    /// <summary>
    /// Parses <c>$expand</c>: single-valued navigation properties (lookups), collection-valued ones (1:N, N:N), each with
    /// <c>$select</c>, <c>$filter</c>, <c>$orderby</c>, <c>$top</c> and a nested <c>$expand</c>, checked as Dataverse checks them.
    /// </summary>
    private List<ExpandItem> ParseExpands(EmulatorTable table, string? expand, Func<string, string?> aliases)
    {
        if (string.IsNullOrWhiteSpace(expand))
            return [];
        var items = ParseExpandList(table, expand, aliases, depth: 0);
        var all = Flatten(items).ToList();

        // "You can include up to 15 $expand options in a query." (P: webapi/query/join-tables.md, ms.date 10/22/2024) — documented
        // error for more than 15 link-entities: "Code: 0x8004430D ... Message: Number of link entities in query exceeded maximum limit."
        // (P: fetchxml/reference/link-entity.md). Assumed: a 16th $expand is refused with that error.
        if (all.Count > 15)
            throw new EmulatorException(400, "0x8004430D", "Number of link entities in query exceeded maximum limit.");

        // "Supported Relationship types for $expand: Only N:N ✓ multiple ✘ nested; Combinations with N:N ✘ ✘" (P: webapi/query/join-tables.md).
        if (all.Any(i => i.ManyToMany) && (all.Any(i => !i.ManyToMany) || all.Any(i => i.ManyToMany && (i.Depth > 0 || i.Children.Count > 0))))
            throw new EmulatorException(400, EmulatorErrors.QueryCode, "A many-to-many navigation property can be expanded only alone or with other many-to-many ones, never nested.");

        // "You can't use $top or $orderby options to limit the total number of records returned with a nested $expand. The following
        // error is returned if you use these options: {"error":{"code":"0x80060888","message":"Only $select and $filter clause can be
        // provided while doing $expand on many-to-one relationship or nested one-to-many relationship."}}" (P: webapi/query/join-tables.md).
        var nested = all.Any(i => i.Children.Count > 0);
        if (all.Any(i => (i.Top is not null || i.OrderBy.Count > 0) && (nested || i.Single is not null)))
        {
            throw new EmulatorException(400, EmulatorErrors.QueryCode,
                "Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.");
        }

        return items;

        static IEnumerable<ExpandItem> Flatten(IEnumerable<ExpandItem> list) => list.SelectMany(i => new[] { i }.Concat(Flatten(i.Children)));
    }

    private List<ExpandItem> ParseExpandList(EmulatorTable table, string text, Func<string, string?> aliases, int depth)
    {
        var items = new List<ExpandItem>();
        foreach (var part in SplitTopLevel(text, ','))
        {
            var open = part.IndexOf('(', StringComparison.Ordinal);
            var name = (open < 0 ? part : part.Substring(0, open)).Trim();
            var options = open < 0 ? string.Empty : part.Substring(open + 1, part.LastIndexOf(')') - open - 1);
            var reference = name.EndsWith("/$ref", StringComparison.Ordinal);
            if (reference)
                name = name.Substring(0, name.Length - "/$ref".Length);

            ExpandItem item;
            if (table.Navigation(name) is { } single)
            {
                var target = Schema.Table(single.Targets[0]) ?? throw EmulatorErrors.UnknownProperty(name, table);
                item = new ExpandItem(name, target, depth) { Single = single, Reference = reference };
            }
            else if (Schema.CollectionNavigation(table, name) is { } many)
            {
                if (reference)
                    throw new EmulatorException(400, EmulatorErrors.QueryCode, "Expand with $ref is only supported on lookup type navigation property.");
                item = new ExpandItem(name, many.Target, depth) { ManyToMany = many.ManyToMany };
            }
            else
            {
                throw EmulatorErrors.UnknownProperty(name, table);
            }

            foreach (var option in SplitTopLevel(options, ';'))
            {
                var equals = option.IndexOf('=', StringComparison.Ordinal);
                var key = equals < 0 ? option.Trim() : option.Substring(0, equals).Trim();
                var value = equals < 0 ? string.Empty : option.Substring(equals + 1);
                switch (key)
                {
                    case "$select":
                        item.Select = ParseSelect(item.Target, value);
                        break;
                    case "$filter":
                        item.Filter = ODataFilterEvaluator.Parse(value, Schema, item.Target, null);
                        break;
                    case "$orderby":
                        item.OrderBy = ParseOrderBy(item.Target, value, aliases);
                        break;
                    case "$top":
                        item.Top = ParseTop(value);
                        break;
                    case "$expand":
                        item.Children = ParseExpandList(item.Target, value, aliases, depth + 1);
                        break;
                    default:
                        // "The options $skip, $count, $search, and $levels aren't supported for the Dataverse Web API." (P: webapi/query/join-tables.md)
                        throw new EmulatorException(400, EmulatorErrors.QueryCode, $"The query option '{key}' is not supported in $expand.");
                }
            }

            items.Add(item);
        }

        return items;
    }

    /// <summary>Splits at a separator outside parentheses and quoted strings.</summary>
    private static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length)
            {
                var c = text[i];
                if (c == '\'')
                    quoted = !quoted;
                if (quoted)
                    continue;
                if (c == '(')
                    depth++;
                else if (c == ')')
                    depth--;
                if (c != separator || depth != 0)
                    continue;
            }

            var part = text.Substring(start, i - start).Trim();
            if (part.Length > 0)
                parts.Add(part);
            start = i + 1;
        }

        return parts;
    }

    private sealed class ExpandItem(string name, EmulatorTable target, int depth)
    {
        public string Name { get; } = name;

        public EmulatorTable Target { get; } = target;

        public int Depth { get; } = depth;

        public EmulatorNavigation? Single { get; init; }

        public bool Reference { get; init; }

        public bool ManyToMany { get; init; }

        public List<string>? Select { get; set; }

        public ODataFilterEvaluator? Filter { get; set; }

        public List<(EmulatorColumn Column, bool Descending)> OrderBy { get; set; } = [];

        public int? Top { get; set; }

        public List<ExpandItem> Children { get; set; } = [];
    }

    /// <summary>The annotations of <c>Prefer: odata.include-annotations="..."</c> (names, <c>*</c> or <c>Prefix.*</c>).</summary>
    private sealed class Annotations
    {
        private readonly string[] _wanted;

        public Annotations(string prefer)
        {
            var match = Regex.Match(prefer, "odata\\.include-annotations=\"([^\"]*)\"");
            _wanted = match.Success ? match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
        }

        public bool Any => _wanted.Length > 0;

        public bool Wants(string annotation) => _wanted.Any(w =>
            w == "*" || w == annotation || (w.EndsWith(".*", StringComparison.Ordinal) && annotation.StartsWith(w.Substring(0, w.Length - 1), StringComparison.Ordinal)));
    }
}
