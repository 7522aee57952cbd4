using System.Globalization;
using System.Text;

namespace CrmGuardrails.Salesforce;

/// <summary>
/// The one builder of the SOQL the package sends: every literal goes through it, escaped as the SOQL reference says.
/// </summary>
/// <remarks>
/// "SOQL literals: reserved <c>'</c> and <c>\</c>; escapes <c>\n \r \t \b \f \" \' \\ \uXXXX</c>; LIKE-only <c>\_</c>
/// <c>\%</c>; backslash elsewhere is an error" (salesforce.md §10.F, quotedstringescapes.htm). So a value is always
/// quoted and escaped; <c>%</c> and <c>_</c> are escaped only inside LIKE, where they are wildcards. Field and object
/// names are never taken from input: they are checked against the API-name syntax.
/// </remarks>
internal static class Soql
{
    /// <summary>The most values one <c>IN</c> list carries here (well inside the 100,000-character query limit).</summary>
    public const int MaxInValues = 200;

    /// <summary>A quoted string literal: <c>O'Brien\</c> → <c>'O\'Brien\\'</c>.</summary>
    public static string Quote(string value) => "'" + Escape(value, like: false) + "'";

    /// <summary>A quoted LIKE pattern matching values that begin with <paramref name="prefix"/> (its own % and _ are literal).</summary>
    public static string StartsWith(string prefix) => "'" + Escape(prefix, like: true) + "%'";

    /// <summary>A dateTime literal (unquoted, UTC): <c>2025-02-15T00:00:00Z</c>.</summary>
    public static string DateTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A boolean literal.</summary>
    public static string Boolean(bool value) => value ? "true" : "false";

    /// <summary><c>field = 'value'</c>.</summary>
    public static string Eq(string field, string value) => Field(field) + " = " + Quote(value);

    /// <summary><c>field = true|false</c>.</summary>
    public static string Eq(string field, bool value) => Field(field) + " = " + Boolean(value);

    /// <summary><c>field IN ('a','b')</c>, or <c>field = 'a'</c> for one value.</summary>
    public static string In(string field, IReadOnlyCollection<string> values)
    {
        if (values.Count == 0)
            throw new ArgumentException("An IN list needs at least one value.", nameof(values));
        if (values.Count > MaxInValues)
            throw new ArgumentException($"An IN list carries at most {MaxInValues} values here.", nameof(values));
        return values.Count == 1 ? Eq(field, values.First()) : Field(field) + " IN (" + string.Join(",", values.Select(Quote)) + ")";
    }

    /// <summary><c>field NOT IN ('a','b')</c>.</summary>
    public static string NotIn(string field, IReadOnlyCollection<string> values) =>
        values.Count == 0 ? string.Empty : Field(field) + " NOT IN (" + string.Join(",", values.Select(Quote)) + ")";

    /// <summary><c>field &gt;= dateTime</c>.</summary>
    public static string OnOrAfter(string field, DateTimeOffset value) => Field(field) + " >= " + DateTime(value);

    /// <summary>Conditions joined by AND (empty ones left out), each in parentheses when it holds an OR.</summary>
    public static string And(params string[] conditions) => Join(" AND ", conditions);

    /// <summary>Conditions joined by OR (empty ones left out).</summary>
    public static string Or(IEnumerable<string> conditions) => Join(" OR ", conditions.ToArray());

    /// <summary>Tells whether a text is a field API name or a relationship path (<c>Owner.Name</c>, <c>CrmG_Key__c</c>).</summary>
    public static bool IsFieldName(string? name)
    {
        if (name is null || name.Length is 0 or > 120)
            return false;
        foreach (var part in name.Split('.'))
        {
            if (part.Length == 0 || !char.IsLetter(part[0]) || part.Any(c => !(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_')))
                return false;
        }

        return true;
    }

    /// <summary>Starts a query: <c>SELECT fields FROM object</c>.</summary>
    public static SoqlQuery Select(IEnumerable<string> fields, string sObject) => new(fields.Select(Field).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), Field(sObject));

    /// <summary>Checks a field or object name (names are the package's own or validated options, never input).</summary>
    public static string Field(string name) =>
        IsFieldName(name) ? name : throw new ArgumentException($"'{name}' is not a Salesforce API name.", nameof(name));

    private static string Join(string separator, string[] conditions)
    {
        var parts = conditions.Where(c => c.Length > 0).ToList();
        return parts.Count switch
        {
            0 => string.Empty,
            1 => parts[0],
            _ => string.Join(separator, parts.Select(p => p.Contains(" OR ") && separator == " AND " ? "(" + p + ")" : p)),
        };
    }

    private static string Escape(string value, bool like)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\'': text.Append("\\'"); break;
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '%' when like: text.Append("\\%"); break;
                case '_' when like: text.Append("\\_"); break;
                default:
                    if (char.IsControl(c))
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        text.Append(c);
                    break;
            }
        }

        return text.ToString();
    }
}

/// <summary>One SOQL query being built: fields, object, condition, order and limit.</summary>
internal sealed class SoqlQuery(IReadOnlyList<string> fields, string sObject)
{
    private string _where = string.Empty;
    private string _orderBy = string.Empty;
    private int? _limit;

    public SoqlQuery Where(string condition)
    {
        _where = condition;
        return this;
    }

    public SoqlQuery OrderBy(string field, bool descending = false)
    {
        _orderBy = Soql.Field(field) + (descending ? " DESC" : string.Empty);
        return this;
    }

    public SoqlQuery Limit(int limit)
    {
        _limit = limit > 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit), limit, "A LIMIT is positive.");
        return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder("SELECT ").Append(string.Join(", ", fields)).Append(" FROM ").Append(sObject);
        if (_where.Length > 0)
            text.Append(" WHERE ").Append(_where);
        if (_orderBy.Length > 0)
            text.Append(" ORDER BY ").Append(_orderBy);
        if (_limit is { } limit)
            text.Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }
}

/// <summary>
/// The builder of SOSL searches: "Reserved chars to backslash-escape: <c>? &amp; | ! { } [ ] ( ) ^ ~ * : \ " ' + -</c>"
/// (salesforce.md §10.F, the FIND reference).
/// </summary>
internal static class Sosl
{
    private const string Reserved = "?&|!{}[]()^~*:\\\"'+-";

    /// <summary>The search text between braces, every reserved character escaped (a search term, never an operator).</summary>
    public static string Term(string value)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (Reserved.IndexOf(c) >= 0)
                text.Append('\\');
            text.Append(char.IsControl(c) ? ' ' : c);
        }

        return "\"" + text.ToString().Trim() + "\"";
    }

    /// <summary><c>FIND {"a" OR "b"} IN scope FIELDS RETURNING returning</c>.</summary>
    public static string Find(IEnumerable<string> terms, string scope, IEnumerable<string> returning)
    {
        if (scope is not ("ALL" or "NAME" or "EMAIL" or "PHONE"))
            throw new ArgumentException($"'{scope}' is not a SOSL search group.", nameof(scope));
        var quoted = terms.Where(t => t.Trim().Length > 0).Select(Term).Distinct().ToList();
        if (quoted.Count == 0)
            throw new ArgumentException("A search needs at least one term.", nameof(terms));
        return "FIND {" + string.Join(" OR ", quoted) + "} IN " + scope + " FIELDS RETURNING " + string.Join(", ", returning);
    }
}
