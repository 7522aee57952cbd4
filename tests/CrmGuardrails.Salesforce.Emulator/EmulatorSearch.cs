using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmGuardrails.Salesforce.Emulator;

/// <summary>
/// SOSL as the emulated org answers it: <c>FIND {"a" OR "b"} IN ALL FIELDS RETURNING Obj(fields WHERE … LIMIT n)</c>.
/// "Reserved chars to backslash-escape: <c>? &amp; | ! { } [ ] ( ) ^ ~ * : \ " ' + -</c>" (salesforce.md §10.F): an
/// unescaped one inside a term is <c>MALFORMED_SEARCH</c>. The answer is <c>{"searchRecords":[…]}</c> (v68 shape).
/// </summary>
internal static partial class EmulatorSearch
{
    private const string Reserved = "?&|!{}[]()^~*:\\\"'+-";

    public static JsonObject Run(string sosl, EmulatorSchema schema, EmulatorStore store)
    {
        var match = SearchPattern().Match(sosl);
        if (!match.Success)
            throw new EmulatorQueryException("MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces.");
        var terms = Terms(match.Groups["terms"].Value);
        var results = new JsonArray();
        foreach (Match part in ReturningPattern().Matches(match.Groups["returning"].Value))
        {
            var sObject = part.Groups["object"].Value;
            if (!schema.Has(sObject))
                throw new EmulatorQueryException("INVALID_TYPE", $"sObject type '{sObject}' is not supported.");
            var fields = part.Groups["fields"].Value.Split(',').Select(f => f.Trim()).ToList();
            var filter = part.Groups["where"].Success ? part.Groups["where"].Value : null;
            var limit = part.Groups["limit"].Success ? int.Parse(part.Groups["limit"].Value, System.Globalization.CultureInfo.InvariantCulture) : 2000;
            var query = new EmulatorQuery(schema, store);
            lock (store.Gate)
            {
                var rows = store.Rows(schema.CanonicalName(sObject))
                    .Where(r => terms.Any(t => r.Values.OfType<string>().Any(v => Contains(v, t))))
                    .Where(r => filter is null || FilterMatches(r, filter))
                    .Take(limit)
                    .Select(r => query.Project(schema.CanonicalName(sObject), r, fields))
                    .ToList();
                foreach (var row in rows)
                    results.Add(row);
            }

        }

        return new JsonObject { ["searchRecords"] = results };
    }

    private static bool FilterMatches(Dictionary<string, object?> row, string filter)
    {
        var m = Regex.Match(filter, @"^\s*([A-Za-z0-9_]+)\s*=\s*(true|false)\s*$", RegexOptions.IgnoreCase);
        if (!m.Success)
            throw new EmulatorQueryException("MALFORMED_SEARCH", $"unexpected WHERE clause: {filter}");
        return (row.GetValueOrDefault(m.Groups[1].Value) as bool? ?? false) == bool.Parse(m.Groups[2].Value);
    }

    /// <summary>Text matches a term ignoring case; phones match by their digits.</summary>
    private static bool Contains(string value, string term)
    {
        if (value.Contains(term, StringComparison.OrdinalIgnoreCase))
            return true;
        var digits = new string(term.Where(char.IsDigit).ToArray());
        return digits.Length >= 7 && digits.Length == term.Count(c => !char.IsWhiteSpace(c) && c is not ('+' or '-' or '(' or ')')) &&
               new string(value.Where(char.IsDigit).ToArray()).EndsWith(digits.TrimStart('0'), StringComparison.Ordinal);
    }

    /// <summary>Reads <c>"a" OR "b"</c>: each term quoted, every reserved character inside it escaped.</summary>
    private static List<string> Terms(string text)
    {
        var terms = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && text[i] == ' ')
                i++;
            if (i >= text.Length || text[i] != '"')
                throw new EmulatorQueryException("MALFORMED_SEARCH", $"unexpected token in search text at {i}");
            var term = new StringBuilder();
            for (i++; i < text.Length && text[i] != '"'; i++)
            {
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    term.Append(text[++i]);
                }
                else if (Reserved.IndexOf(text[i], StringComparison.Ordinal) >= 0)
                {
                    throw new EmulatorQueryException("MALFORMED_SEARCH", $"unescaped reserved character '{text[i]}' in search term");
                }
                else
                {
                    term.Append(text[i]);
                }
            }

            if (i >= text.Length)
                throw new EmulatorQueryException("MALFORMED_SEARCH", "unterminated search term");
            terms.Add(term.ToString());
            i++;
            while (i < text.Length && text[i] == ' ')
                i++;
            if (i >= text.Length)
                return terms;
            if (!text.Substring(i).StartsWith("OR ", StringComparison.Ordinal))
                throw new EmulatorQueryException("MALFORMED_SEARCH", "search terms must be joined by OR");
            i += 3;
        }
    }

    [GeneratedRegex(@"^FIND \{(?<terms>(?:[^{}\\]|\\.)*)\} IN (ALL|NAME|EMAIL|PHONE) FIELDS RETURNING (?<returning>.+)$", RegexOptions.Singleline)]
    private static partial Regex SearchPattern();

    [GeneratedRegex(@"(?<object>[A-Za-z0-9_]+)\((?<fields>[A-Za-z0-9_., ]+?)(?: WHERE (?<where>[^)]+?))?(?: LIMIT (?<limit>\d+))?\)")]
    private static partial Regex ReturningPattern();
}
