using System.Globalization;
using System.Text;

namespace CrmGuardrails.Dataverse.Internal;

/// <summary>
/// Builds OData <c>$filter</c> text for the Dataverse Web API. Every value is a literal: strings are single-quoted with
/// quotes doubled, GUIDs are parsed and re-printed, <c>In</c> lists are JSON strings. No caller text reaches the filter unescaped.
/// </summary>
internal static class ODataFilter
{
    private static readonly char[] Wildcards = ['%', '_', '['];

    public static string Quote(string value) => "'" + value.Replace("'", "''") + "'";

    public static bool TryGuid(string? id, out string literal)
    {
        if (id is not null && Guid.TryParse(id.Trim(), out var guid) && guid != Guid.Empty)
        {
            literal = guid.ToString("D", CultureInfo.InvariantCulture);
            return true;
        }

        literal = string.Empty;
        return false;
    }

    public static string GuidLiteral(string id) =>
        TryGuid(id, out var literal) ? literal : throw new ArgumentException($"'{id}' is not a Dataverse id (a GUID).", nameof(id));

    public static string Eq(string property, string value) => $"{property} eq {Quote(value)}";

    public static string EqGuid(string property, string guidLiteral) => $"{property} eq {guidLiteral}";

    /// <summary>
    /// <c>startswith(property,'value')</c> with the value's wildcards escaped: Dataverse reads <c>%</c>, <c>_</c> and
    /// <c>[</c> in string functions as LIKE wildcards — "you can use the wildcard characters ... [] ... to escape"
    /// (learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows#use-wildcard-characters).
    /// Only prefixes are asked: a leading wildcard (<c>contains</c>, <c>endswith</c>) cannot use an index and scans the table.
    /// </summary>
    public static string StartsWith(string property, string value) => $"startswith({property},{Quote(EscapeWildcards(value))})";

    /// <summary>Escapes LIKE wildcards by enclosing each in brackets: <c>50%</c> → <c>50[%]</c>.</summary>
    public static string EscapeWildcards(string value)
    {
        if (value.IndexOfAny(Wildcards) < 0)
            return value;
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (Array.IndexOf(Wildcards, c) >= 0)
                builder.Append('[').Append(c).Append(']');
            else
                builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Records whose id column is one of <paramref name="guidLiterals"/>: <c>x eq guid</c> (GUIDs unquoted: a quoted GUID is an
    /// Edm.String and Dataverse rejects the comparison), or <c>Microsoft.Dynamics.CRM.In</c> for several — whose
    /// <c>PropertyName</c> is the attribute's logical name (<c>parentcustomerid</c>), never the Web API lookup property
    /// <c>_parentcustomerid_value</c>, which Dataverse answers with 400 "entity doesn't contain attribute with Name = '_…_value'".
    /// </summary>
    /// <param name="logicalName">The column's logical name (<c>accountid</c>, <c>parentcustomerid</c>).</param>
    /// <param name="isLookup">Whether the column is a lookup (filtered as <c>_x_value</c>) rather than the primary key.</param>
    /// <param name="guidLiterals">GUIDs in "D" form (from <see cref="TryGuid"/>).</param>
    public static string IdIn(string logicalName, bool isLookup, IReadOnlyList<string> guidLiterals) => guidLiterals.Count switch
    {
        0 => string.Empty,
        1 => EqGuid(isLookup ? "_" + logicalName + "_value" : logicalName, guidLiterals[0]),
        _ => In(logicalName, guidLiterals),
    };

    public static string DateGe(string property, DateTimeOffset value) =>
        $"{property} ge {value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";

    /// <summary>Builds <c>Microsoft.Dynamics.CRM.In(PropertyName='p',PropertyValues=["a","b"])</c>.</summary>
    public static string In(string property, IEnumerable<string> values)
    {
        var builder = new StringBuilder("Microsoft.Dynamics.CRM.In(PropertyName=").Append(Quote(property)).Append(",PropertyValues=[");
        var first = true;
        foreach (var value in values)
        {
            if (!first)
                builder.Append(',');
            first = false;
            AppendJsonString(builder, value);
        }

        return builder.Append("])").ToString();
    }

    /// <summary>Joins terms with <c>or</c> in parentheses; empty terms are skipped.</summary>
    public static string Or(IEnumerable<string> terms) => Join(" or ", terms);

    /// <summary>Joins terms with <c>and</c> in parentheses; empty terms are skipped.</summary>
    public static string And(params string[] terms) => Join(" and ", terms);

    private static string Join(string separator, IEnumerable<string> terms)
    {
        var list = terms.Where(t => !string.IsNullOrEmpty(t)).ToList();
        return list.Count switch
        {
            0 => string.Empty,
            1 => list[0],
            _ => "(" + string.Join(separator, list) + ")",
        };
    }

    private static void AppendJsonString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < ' ')
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
    }
}

/// <summary>Collects filter terms up to a cap, so one query never grows past the URL limit.</summary>
internal sealed class FilterTerms(int maxTerms)
{
    private readonly List<string> _terms = [];

    public int Count => _terms.Count;

    public bool IsFull => _terms.Count >= maxTerms;

    public void Add(string term)
    {
        if (!IsFull && !string.IsNullOrEmpty(term) && !_terms.Contains(term, StringComparer.Ordinal))
            _terms.Add(term);
    }

    public string ToOr() => ODataFilter.Or(_terms);
}
