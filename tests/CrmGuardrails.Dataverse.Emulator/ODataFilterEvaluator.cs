using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>Resolves a collection-valued navigation property of a row (for <c>any</c> lambdas and <c>$expand</c>).</summary>
/// <param name="navigation">The navigation property.</param>
/// <param name="row">The row.</param>
/// <returns>The related rows, or <see langword="null"/> when the navigation property is unknown.</returns>
public delegate IReadOnlyList<JsonObject>? NavigationResolver(string navigation, JsonObject row);

/// <summary>
/// A small OData <c>$filter</c> evaluator for the subset the Dataverse directory emits: <c>eq ne lt le gt ge</c>,
/// <c>and or not</c>, parentheses, <c>startswith contains endswith</c>, <c>Microsoft.Dynamics.CRM.In</c>, the OData 4.01
/// <c>in</c> operator, <c>nav/any(x:...)</c>, quoted strings with doubled quotes, GUID, number, boolean, null and date literals.
/// String comparisons are case-insensitive, as in Dataverse.
/// </summary>
public sealed class ODataFilterEvaluator
{
    private readonly Func<Scope, bool> _predicate;

    private ODataFilterEvaluator(Func<Scope, bool> predicate) => _predicate = predicate;

    /// <summary>Parses a filter.</summary>
    /// <param name="filter">The <c>$filter</c> text (URL-decoded).</param>
    /// <returns>The evaluator.</returns>
    /// <exception cref="FormatException">The filter is outside the supported subset or malformed.</exception>
    public static ODataFilterEvaluator Parse(string filter)
    {
        var parser = new Parser(filter);
        var predicate = parser.ParseOr();
        parser.SkipWhitespace();
        if (!parser.AtEnd)
            throw parser.Error("unexpected text");
        return new ODataFilterEvaluator(predicate);
    }

    /// <summary>Evaluates the filter on a row.</summary>
    /// <param name="row">The row.</param>
    /// <param name="navigation">Resolves navigation properties for <c>any</c>.</param>
    /// <returns>Whether the row matches.</returns>
    public bool Matches(JsonObject row, NavigationResolver? navigation = null) =>
        _predicate(new Scope(row, navigation, null, null));

    private sealed record Scope(JsonObject Row, NavigationResolver? Navigation, string? Variable, JsonObject? VariableRow)
    {
        public object? Get(string path)
        {
            var row = Row;
            var slash = path.IndexOf('/');
            if (slash > 0 && Variable is not null && path.Substring(0, slash) == Variable)
            {
                row = VariableRow!;
                path = path.Substring(slash + 1);
            }

            return row.TryGetPropertyValue(path, out var node) ? ToValue(node) : null;
        }
    }

    private static object? ToValue(JsonNode? node)
    {
        if (node is not JsonValue value)
            return null;
        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public bool AtEnd => _pos >= text.Length;

        public FormatException Error(string what) => new($"Unsupported or malformed $filter ({what}) at position {_pos}: {text}");

        public void SkipWhitespace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
                _pos++;
        }

        public Func<Scope, bool> ParseOr()
        {
            var left = ParseAnd();
            while (TryKeyword("or"))
            {
                var l = left;
                var r = ParseAnd();
                left = s => l(s) || r(s);
            }

            return left;
        }

        private Func<Scope, bool> ParseAnd()
        {
            var left = ParseUnary();
            while (TryKeyword("and"))
            {
                var l = left;
                var r = ParseUnary();
                left = s => l(s) && r(s);
            }

            return left;
        }

        private Func<Scope, bool> ParseUnary()
        {
            if (TryKeyword("not"))
            {
                var inner = ParseUnary();
                return s => !inner(s);
            }

            return ParsePrimary();
        }

        private Func<Scope, bool> ParsePrimary()
        {
            SkipWhitespace();
            if (TryChar('('))
            {
                var inner = ParseOr();
                Expect(')');
                return inner;
            }

            var start = _pos;
            var word = ReadWord();
            if (word.Length == 0)
                throw Error("expected a property or a function");
            SkipWhitespace();
            if (Peek('('))
            {
                _pos++;
                switch (word.ToLowerInvariant())
                {
                    case "startswith":
                    case "contains":
                    case "endswith":
                        return ParseStringFunction(word.ToLowerInvariant());
                    case "microsoft.dynamics.crm.in":
                        return ParseCrmIn();
                }

                if (word.EndsWith("/any", StringComparison.Ordinal))
                    return ParseAny(word.Substring(0, word.Length - 4));
                _pos = start;
                throw Error($"unsupported function '{word}'");
            }

            var left = OperandFor(word);
            var op = ReadWord();
            if (op == "in")
                return ParseInOperator(left);
            var right = ParseOperand();
            return op switch
            {
                "eq" => s => Compare(left(s), right(s)) == 0,
                "ne" => s => Compare(left(s), right(s)) != 0,
                "lt" => s => Ordered(left(s), right(s), c => c < 0),
                "le" => s => Ordered(left(s), right(s), c => c <= 0),
                "gt" => s => Ordered(left(s), right(s), c => c > 0),
                "ge" => s => Ordered(left(s), right(s), c => c >= 0),
                _ => throw Error($"unsupported operator '{op}'"),
            };
        }

        private Func<Scope, bool> ParseStringFunction(string name)
        {
            var property = ParseOperand();
            Expect(',');
            var argument = ParseOperand();
            Expect(')');
            return s =>
            {
                if (property(s) is not string value || argument(s) is not string part)
                    return false;
                return name switch
                {
                    "startswith" => value.StartsWith(part, StringComparison.OrdinalIgnoreCase),
                    "endswith" => value.EndsWith(part, StringComparison.OrdinalIgnoreCase),
                    _ => value.Contains(part, StringComparison.OrdinalIgnoreCase),
                };
            };
        }

        private Func<Scope, bool> ParseCrmIn()
        {
            SkipWhitespace();
            if (ReadWord() != "PropertyName")
                throw Error("expected PropertyName=");
            Expect('=');
            SkipWhitespace();
            if (!Peek('\''))
                throw Error("PropertyName must be a quoted string");
            var property = ReadQuoted();
            Expect(',');
            SkipWhitespace();
            if (ReadWord() != "PropertyValues")
                throw Error("expected PropertyValues=");
            Expect('=');
            SkipWhitespace();
            var values = ReadJsonArray();
            Expect(')');
            var operand = OperandFor(property);
            return s => values.Any(v => Compare(operand(s), v) == 0);
        }

        private Func<Scope, bool> ParseInOperator(Func<Scope, object?> left)
        {
            Expect('(');
            var values = new List<Func<Scope, object?>>();
            do
            {
                values.Add(ParseOperand());
            }
            while (TryChar(','));
            Expect(')');
            return s => values.Any(v => Compare(left(s), v(s)) == 0);
        }

        private Func<Scope, bool> ParseAny(string navigation)
        {
            SkipWhitespace();
            var colon = text.IndexOf(':', _pos);
            if (colon < 0)
                throw Error("expected a lambda variable");
            var variable = text.Substring(_pos, colon - _pos).Trim();
            _pos = colon + 1;
            var body = ParseOr();
            Expect(')');
            return s =>
            {
                var related = s.Navigation?.Invoke(navigation, s.Row)
                    ?? throw new FormatException($"Unknown navigation property '{navigation}'.");
                return related.Any(r => body(s with { Variable = variable, VariableRow = r }));
            };
        }

        private Func<Scope, object?> ParseOperand()
        {
            SkipWhitespace();
            if (Peek('\''))
            {
                var literal = ReadQuoted();
                return _ => literal;
            }

            var word = ReadWord();
            if (word.Length == 0)
                throw Error("expected an operand");
            return OperandFor(word);
        }

        private Func<Scope, object?> OperandFor(string word)
        {
            switch (word)
            {
                case "null": return _ => null;
                case "true": return _ => true;
                case "false": return _ => false;
            }

            if (Guid.TryParse(word, out var guid))
            {
                var text = guid.ToString("D");
                return _ => text;
            }

            if (char.IsDigit(word[0]) || word[0] == '-')
            {
                if (word.Contains('T', StringComparison.Ordinal) &&
                    DateTimeOffset.TryParse(word, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                {
                    return _ => date;
                }

                if (double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    return _ => number;
                throw Error($"bad literal '{word}'");
            }

            return s => s.Get(word);
        }

        private static bool Ordered(object? left, object? right, Func<int, bool> test) =>
            left is not null && right is not null && test(Compare(left, right));

        private static int Compare(object? left, object? right)
        {
            if (left is null || right is null)
                return left is null && right is null ? 0 : 1;
            if (left is DateTimeOffset || right is DateTimeOffset)
                return AsDate(left) is { } l && AsDate(right) is { } r ? l.CompareTo(r) : 1;
            if (left is double a && right is double b)
                return a.CompareTo(b);
            if (left is bool x && right is bool y)
                return x == y ? 0 : 1;
            return string.Compare(Convert.ToString(left, CultureInfo.InvariantCulture), Convert.ToString(right, CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
        }

        private static DateTimeOffset? AsDate(object value) => value switch
        {
            DateTimeOffset d => d,
            string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) => d,
            _ => null,
        };

        private string ReadWord()
        {
            SkipWhitespace();
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '_' or '.' or '/' or '-' or '@' or ':' or '+'))
            {
                // A ':' belongs to a date literal (digits around it), never to a lambda, which ParseAny reads itself.
                if (text[_pos] == ':' && !(start < _pos && char.IsDigit(text[start])))
                    break;
                _pos++;
            }

            return text.Substring(start, _pos - start);
        }

        private string ReadQuoted()
        {
            Expect('\'');
            var builder = new System.Text.StringBuilder();
            while (true)
            {
                if (_pos >= text.Length)
                    throw Error("unterminated string");
                var c = text[_pos++];
                if (c == '\'')
                {
                    if (_pos < text.Length && text[_pos] == '\'')
                    {
                        builder.Append('\'');
                        _pos++;
                        continue;
                    }

                    return builder.ToString();
                }

                builder.Append(c);
            }
        }

        private List<object?> ReadJsonArray()
        {
            if (!Peek('['))
                throw Error("expected a JSON array");
            var start = _pos;
            var inString = false;
            var depth = 0;
            for (; _pos < text.Length; _pos++)
            {
                var c = text[_pos];
                if (inString)
                {
                    if (c == '\\')
                        _pos++;
                    else if (c == '"')
                        inString = false;
                }
                else if (c == '"')
                {
                    inString = true;
                }
                else if (c == '[')
                {
                    depth++;
                }
                else if (c == ']' && --depth == 0)
                {
                    _pos++;
                    break;
                }
            }

            var array = JsonNode.Parse(text.Substring(start, _pos - start)) as JsonArray ?? throw Error("bad JSON array");
            return array.Select(n => ToValue(n) is string s && Guid.TryParse(s, out var g) ? g.ToString("D") : ToValue(n)).ToList();
        }

        private bool TryKeyword(string keyword)
        {
            SkipWhitespace();
            if (string.Compare(text, _pos, keyword, 0, keyword.Length, StringComparison.Ordinal) == 0 &&
                _pos + keyword.Length < text.Length && char.IsWhiteSpace(text[_pos + keyword.Length]))
            {
                _pos += keyword.Length;
                return true;
            }

            return false;
        }

        private bool Peek(char c) => _pos < text.Length && text[_pos] == c;

        private bool TryChar(char c)
        {
            SkipWhitespace();
            if (!Peek(c))
                return false;
            _pos++;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryChar(c))
                throw Error($"expected '{c}'");
        }
    }
}
