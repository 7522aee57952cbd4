using System.Globalization;
using System.Text;

namespace CrmGuardrails.Salesforce.Emulator;

/// <summary>A SOQL (or SOSL) the emulated org refuses, with Salesforce's error code.</summary>
public sealed class EmulatorQueryException(string errorCode, string message) : Exception(message)
{
    /// <summary>Gets the error code (<c>MALFORMED_QUERY</c>, <c>INVALID_FIELD</c>, <c>INVALID_TYPE</c>, <c>INVALID_QUERY_FILTER_OPERATOR</c>, <c>MALFORMED_SEARCH</c>).</summary>
    public string ErrorCode { get; } = errorCode;
}

/// <summary>One token of a SOQL text.</summary>
public readonly record struct SoqlToken(SoqlTokenKind Kind, string Text);

public enum SoqlTokenKind
{
    Word,
    String,
    Number,
    DateTime,
    Symbol,
}

/// <summary>A condition of a WHERE clause.</summary>
public abstract record SoqlCondition;

public sealed record SoqlAnd(IReadOnlyList<SoqlCondition> Parts) : SoqlCondition;

public sealed record SoqlOr(IReadOnlyList<SoqlCondition> Parts) : SoqlCondition;

/// <summary><c>field op value(s)</c>: values are strings, booleans, dates or null.</summary>
public sealed record SoqlComparison(string Field, string Operator, IReadOnlyList<object?> Values) : SoqlCondition;

/// <summary>A parsed query.</summary>
public sealed record SoqlSelect(IReadOnlyList<string> Fields, string Object, SoqlCondition? Where, string? OrderBy, bool Descending, int? Limit)
{
    /// <summary>
    /// The query's shape: the object, the condition with every value replaced by <c>?</c> (a single-value <c>=</c> on text
    /// reads as <c>IN</c>, as the directory's builder writes it), the order and whether there is a limit.
    /// </summary>
    public string Shape
    {
        get
        {
            var text = new StringBuilder("FROM ").Append(Object);
            if (Where is not null)
                text.Append(" WHERE ").Append(ShapeOf(Where, top: true));
            if (OrderBy is not null)
                text.Append(" ORDER BY ").Append(OrderBy).Append(Descending ? " DESC" : string.Empty);
            if (Limit is not null)
                text.Append(" LIMIT ?");
            return text.ToString();
        }
    }

    private static string ShapeOf(SoqlCondition condition, bool top) => condition switch
    {
        SoqlAnd and => string.Join(" AND ", and.Parts.Select(p => ShapeOf(p, false))),
        SoqlOr or => (top ? string.Empty : "(") + string.Join(" OR ", or.Parts.Select(p => ShapeOf(p, false))) + (top ? string.Empty : ")"),
        SoqlComparison { Values: [bool b] } c => $"{c.Field} {c.Operator} {(b ? "true" : "false")}",
        SoqlComparison { Operator: "=" or "IN" } c => $"{c.Field} IN ?",
        SoqlComparison c => $"{c.Field} {c.Operator} ?",
        _ => "?",
    };
}

/// <summary>
/// Parses the SOQL the emulated org accepts, as strictly as Salesforce: "SOQL literals: reserved <c>'</c> and <c>\</c>;
/// escapes <c>\n \r \t \b \f \" \' \\ \uXXXX</c>; LIKE-only <c>\_</c> <c>\%</c>; backslash elsewhere is an error"
/// (salesforce.md §10.F). Any text that does not parse is <c>MALFORMED_QUERY</c>.
/// </summary>
public static class SoqlParser
{
    public static SoqlSelect Parse(string soql)
    {
        var tokens = Tokenize(soql);
        var at = 0;
        Expect(tokens, ref at, "SELECT");
        var fields = new List<string>();
        do
        {
            fields.Add(Word(tokens, ref at, "a field name"));
        }
        while (TryTake(tokens, ref at, ","));
        Expect(tokens, ref at, "FROM");
        var obj = Word(tokens, ref at, "an object name");
        SoqlCondition? where = null;
        if (TryTake(tokens, ref at, "WHERE"))
            where = ParseAnd(tokens, ref at);
        string? orderBy = null;
        var descending = false;
        if (TryTake(tokens, ref at, "ORDER"))
        {
            Expect(tokens, ref at, "BY");
            orderBy = Word(tokens, ref at, "a field to order by");
            if (TryTake(tokens, ref at, "DESC"))
                descending = true;
            else
                TryTake(tokens, ref at, "ASC");
        }

        int? limit = null;
        if (TryTake(tokens, ref at, "LIMIT"))
        {
            if (at >= tokens.Count || tokens[at].Kind != SoqlTokenKind.Number || !int.TryParse(tokens[at].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw Malformed("LIMIT must be followed by a whole number");
            limit = n;
            at++;
        }

        if (at != tokens.Count)
            throw Malformed($"unexpected token: {tokens[at].Text}");
        return new SoqlSelect(fields, obj, where, orderBy, descending, limit);
    }

    private static SoqlCondition ParseAnd(List<SoqlToken> tokens, ref int at)
    {
        var parts = new List<SoqlCondition> { ParseTerm(tokens, ref at) };
        var or = false;
        while (true)
        {
            if (TryTake(tokens, ref at, "AND"))
            {
                if (or)
                    throw Malformed("AND and OR may not be mixed without parentheses");
                parts.Add(ParseTerm(tokens, ref at));
            }
            else if (TryTake(tokens, ref at, "OR"))
            {
                if (parts.Count > 1 && !or)
                    throw Malformed("AND and OR may not be mixed without parentheses");
                or = true;
                parts.Add(ParseTerm(tokens, ref at));
            }
            else
            {
                break;
            }
        }

        return parts.Count == 1 ? parts[0] : or ? new SoqlOr(parts) : new SoqlAnd(parts);
    }

    private static SoqlCondition ParseTerm(List<SoqlToken> tokens, ref int at)
    {
        if (TryTake(tokens, ref at, "("))
        {
            var inner = ParseAnd(tokens, ref at);
            Expect(tokens, ref at, ")");
            return inner;
        }

        var field = Word(tokens, ref at, "a field name");
        if (at >= tokens.Count)
            throw Malformed($"unexpected end of query after {field}");
        var op = tokens[at].Text.ToUpperInvariant();
        at++;
        if (op == "NOT")
        {
            Expect(tokens, ref at, "IN");
            op = "NOT IN";
        }

        switch (op)
        {
            case "IN" or "NOT IN":
                Expect(tokens, ref at, "(");
                var values = new List<object?>();
                do
                {
                    values.Add(Value(tokens, ref at, like: false));
                }
                while (TryTake(tokens, ref at, ","));
                Expect(tokens, ref at, ")");
                return new SoqlComparison(field, op, values);
            case "=" or "!=" or ">=" or "<=" or ">" or "<":
                return new SoqlComparison(field, op, [Value(tokens, ref at, like: false)]);
            case "LIKE":
                return new SoqlComparison(field, op, [Value(tokens, ref at, like: true)]);
            default:
                throw Malformed($"unexpected token: {op}");
        }
    }

    private static object? Value(List<SoqlToken> tokens, ref int at, bool like)
    {
        if (at >= tokens.Count)
            throw Malformed("a value is missing");
        var token = tokens[at++];
        switch (token.Kind)
        {
            case SoqlTokenKind.String:
                return Unescape(token.Text, like);
            case SoqlTokenKind.DateTime:
                return DateTimeOffset.Parse(token.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            case SoqlTokenKind.Number:
                return double.Parse(token.Text, CultureInfo.InvariantCulture);
            case SoqlTokenKind.Word when token.Text.Equals("true", StringComparison.OrdinalIgnoreCase):
                return true;
            case SoqlTokenKind.Word when token.Text.Equals("false", StringComparison.OrdinalIgnoreCase):
                return false;
            case SoqlTokenKind.Word when token.Text.Equals("null", StringComparison.OrdinalIgnoreCase):
                return null;
            default:
                throw Malformed($"unexpected token: {token.Text}");
        }
    }

    /// <summary>Reads a quoted literal's escapes; <c>\%</c> and <c>\_</c> stay escaped (for LIKE matching) and are refused elsewhere.</summary>
    private static string Unescape(string raw, bool like)
    {
        var text = new StringBuilder();
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            if (++i >= raw.Length)
                throw Malformed("a backslash ends the literal");
            switch (raw[i])
            {
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case '"': text.Append('"'); break;
                case '\'': text.Append('\''); break;
                case '\\': text.Append(like ? "\\\\" : "\\"); break;
                case '%' or '_' when like: text.Append('\\').Append(raw[i]); break;
                case 'u' when i + 4 < raw.Length && int.TryParse(raw.Substring(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                    text.Append((char)code);
                    i += 4;
                    break;
                default:
                    throw Malformed($"Invalid string literal '{raw}'. Illegal character sequence '\\{raw[i]}' in string literal.");
            }
        }

        return text.ToString();
    }

    public static List<SoqlToken> Tokenize(string soql)
    {
        var tokens = new List<SoqlToken>();
        var i = 0;
        while (i < soql.Length)
        {
            var c = soql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var start = ++i;
                while (i < soql.Length && soql[i] != '\'')
                    i += soql[i] == '\\' ? 2 : 1;
                if (i >= soql.Length)
                    throw Malformed("unterminated string literal");
                tokens.Add(new SoqlToken(SoqlTokenKind.String, soql.Substring(start, i - start)));
                i++;
            }
            else if (char.IsDigit(c))
            {
                var start = i;
                while (i < soql.Length && (char.IsLetterOrDigit(soql[i]) || soql[i] is '-' or ':' or '.' or '+'))
                    i++;
                var text = soql.Substring(start, i - start);
                if (text.Contains('T', StringComparison.Ordinal) && DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                    tokens.Add(new SoqlToken(SoqlTokenKind.DateTime, text));
                else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    tokens.Add(new SoqlToken(SoqlTokenKind.Number, text));
                else
                    throw Malformed($"unexpected token: {text}");
            }
            else if (char.IsLetter(c))
            {
                var start = i;
                while (i < soql.Length && (char.IsLetterOrDigit(soql[i]) || soql[i] is '_' or '.'))
                    i++;
                tokens.Add(new SoqlToken(SoqlTokenKind.Word, soql.Substring(start, i - start)));
            }
            else if (c is '!' or '>' or '<' && i + 1 < soql.Length && soql[i + 1] == '=')
            {
                tokens.Add(new SoqlToken(SoqlTokenKind.Symbol, soql.Substring(i, 2)));
                i += 2;
            }
            else if (c is '(' or ')' or ',' or '=' or '>' or '<')
            {
                tokens.Add(new SoqlToken(SoqlTokenKind.Symbol, c.ToString()));
                i++;
            }
            else
            {
                throw Malformed($"unexpected character: {c}");
            }
        }

        return tokens;
    }

    private static string Word(List<SoqlToken> tokens, ref int at, string what)
    {
        if (at >= tokens.Count || tokens[at].Kind != SoqlTokenKind.Word || IsKeyword(tokens[at].Text))
            throw Malformed($"expected {what}" + (at < tokens.Count ? $", got: {tokens[at].Text}" : string.Empty));
        return tokens[at++].Text;
    }

    private static bool IsKeyword(string word) =>
        word.ToUpperInvariant() is "SELECT" or "FROM" or "WHERE" or "AND" or "OR" or "NOT" or "IN" or "LIKE" or "ORDER" or "BY" or "LIMIT" or "ASC" or "DESC";

    private static void Expect(List<SoqlToken> tokens, ref int at, string text)
    {
        if (!TryTake(tokens, ref at, text))
            throw Malformed($"expected {text}" + (at < tokens.Count ? $", got: {tokens[at].Text}" : " at the end"));
    }

    private static bool TryTake(List<SoqlToken> tokens, ref int at, string text)
    {
        if (at < tokens.Count && tokens[at].Kind is SoqlTokenKind.Word or SoqlTokenKind.Symbol && tokens[at].Text.Equals(text, StringComparison.OrdinalIgnoreCase))
        {
            at++;
            return true;
        }

        return false;
    }

    internal static EmulatorQueryException Malformed(string detail) => new("MALFORMED_QUERY", detail);
}
