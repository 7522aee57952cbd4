using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>Resolves a navigation property of a row (for <c>any</c> lambdas, <c>nav/column</c> paths and <c>$expand</c>).</summary>
/// <param name="navigation">The navigation property.</param>
/// <param name="row">The row.</param>
/// <returns>The related rows (none or one for a single-valued property), or <see langword="null"/> when the navigation property is unknown.</returns>
public delegate IReadOnlyList<JsonObject>? NavigationResolver(string navigation, JsonObject row);

/// <summary>
/// An OData <c>$filter</c> evaluator for the subset the Dataverse directory emits: <c>eq ne lt le gt ge</c>,
/// <c>and or not</c>, parentheses, <c>startswith contains endswith</c> (with SQL <c>LIKE</c> wildcards),
/// <c>Microsoft.Dynamics.CRM.In</c>/<c>NotIn</c>, <c>nav/any(x:...)</c>/<c>all</c>, <c>lookup/column</c> paths, quoted
/// strings with doubled quotes, GUID, number, boolean, null and date literals. String comparisons are case-insensitive, as in
/// Dataverse. Parsed against a table of an <see cref="EmulatorSchema"/> it is as strict as Dataverse: unknown properties,
/// operand types that do not match and <c>In</c> on a Web API lookup name are refused; parsed alone
/// (<see cref="Parse(string)"/>) it checks syntax only and also accepts the OData 4.01 <c>in</c> operator.
/// </summary>
public sealed class ODataFilterEvaluator
{
    private readonly Node _root;

    private ODataFilterEvaluator(Node root, bool leadingWildcard)
    {
        _root = root;
        HasLeadingWildcard = leadingWildcard;
    }

    /// <summary>Gets a value indicating whether a string function starts its <c>LIKE</c> pattern with a wildcard (<c>contains</c>, <c>endswith</c>, <c>startswith(x,'%y')</c>).</summary>
    public bool HasLeadingWildcard { get; }

    /// <summary>Parses a filter, checking its syntax only.</summary>
    /// <param name="filter">The <c>$filter</c> text (URL-decoded).</param>
    /// <returns>The evaluator.</returns>
    /// <exception cref="FormatException">The filter is outside the supported subset or malformed.</exception>
    public static ODataFilterEvaluator Parse(string filter) => new Parser(filter, null, null, null).ParseFilter();

    /// <summary>Evaluates the filter on a row.</summary>
    /// <param name="row">The row.</param>
    /// <param name="navigation">Resolves navigation properties for <c>any</c> and paths.</param>
    /// <returns>Whether the row matches.</returns>
    public bool Matches(JsonObject row, NavigationResolver? navigation = null) =>
        _root.Eval(new Scope(row, navigation, null, null));

    /// <summary>Parses a filter against a table: properties, functions and operand types are checked as Dataverse checks them.</summary>
    /// <exception cref="FormatException">The filter is malformed.</exception>
    /// <exception cref="EmulatorException">The filter names what the table does not have, or mixes types.</exception>
    internal static ODataFilterEvaluator Parse(string filter, EmulatorSchema schema, EmulatorTable table, Func<string, string?>? aliases) =>
        new Parser(filter, schema, table, aliases).ParseFilter();

    /// <summary>Gets the equality lookups whose rows include every match (<see langword="null"/>: the table must be scanned).</summary>
    internal IndexPlan? Plan() => _root.Plan();

    private static object? Read(JsonObject? row, string property) =>
        row is not null && row.TryGetPropertyValue(property, out var node) ? JsonValues.ToValue(node) : null;

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

    private static bool Ordered(object? left, object? right, Func<int, bool> test) =>
        left is not null && right is not null && test(Compare(left, right));

    private static DateTimeOffset? AsDate(object value) => value switch
    {
        DateTimeOffset d => d,
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) => d,
        _ => null,
    };

    private readonly record struct Scope(JsonObject Row, NavigationResolver? Navigation, string? Variable, JsonObject? VariableRow);

    private abstract class Node
    {
        public abstract bool Eval(in Scope s);

        public virtual IndexPlan? Plan() => null;
    }

    private abstract class Operand
    {
        public string? Edm { get; init; }

        public abstract object? Get(in Scope s);
    }

    private sealed class Literal(object? value) : Operand
    {
        public object? Value { get; } = value;

        public override object? Get(in Scope s) => Value;
    }

    private sealed class Property(string name, string? variable, string? navigation, EmulatorColumn? column) : Operand
    {
        public string Name { get; } = name;

        public EmulatorColumn? Column { get; } = column;

        /// <summary>Gets a value indicating whether the property is a plain column of the queried row (usable with an index).</summary>
        public bool IsLocal => variable is null && navigation is null;

        public override object? Get(in Scope s)
        {
            if (variable is not null)
                return s.Variable == variable ? Read(s.VariableRow, Name) : null;
            if (navigation is not null)
            {
                var related = s.Navigation?.Invoke(navigation, s.Row) ?? throw new FormatException($"Unknown navigation property '{navigation}'.");
                return related.Count > 0 ? Read(related[0], Name) : null;
            }

            return Read(s.Row, Name);
        }
    }

    private sealed class And(List<Node> items) : Node
    {
        public override bool Eval(in Scope s)
        {
            foreach (var item in items)
            {
                if (!item.Eval(s))
                    return false;
            }

            return true;
        }

        public override IndexPlan? Plan()
        {
            var plans = items.Select(i => i.Plan()).OfType<IndexPlan>().ToList();
            return plans.Count switch
            {
                0 => null,
                1 => plans[0],
                _ => new IndexSmallest(plans),
            };
        }
    }

    private sealed class Or(List<Node> items) : Node
    {
        public override bool Eval(in Scope s)
        {
            foreach (var item in items)
            {
                if (item.Eval(s))
                    return true;
            }

            return false;
        }

        public override IndexPlan? Plan()
        {
            var plans = new List<IndexPlan>();
            foreach (var item in items)
            {
                if (item.Plan() is not { } plan)
                    return null;
                plans.Add(plan);
            }

            return new IndexUnion(plans);
        }
    }

    private sealed class Not(Node inner) : Node
    {
        public override bool Eval(in Scope s) => !inner.Eval(s);
    }

    private sealed class Comparison(Operand left, string op, Operand right) : Node
    {
        public override bool Eval(in Scope s)
        {
            var l = left.Get(s);
            var r = right.Get(s);
            return op switch
            {
                "eq" => Compare(l, r) == 0,
                "ne" => Compare(l, r) != 0,
                "lt" => Ordered(l, r, c => c < 0),
                "le" => Ordered(l, r, c => c <= 0),
                "gt" => Ordered(l, r, c => c > 0),
                _ => Ordered(l, r, c => c >= 0),
            };
        }

        public override IndexPlan? Plan()
        {
            if (op != "eq")
                return null;
            var property = left as Property ?? right as Property;
            var literal = left as Literal ?? right as Literal;
            return Indexable(property) && literal?.Value is string value ? new IndexLookup(property!.Name, [value]) : null;
        }
    }

    private sealed class StringFunction(Operand property, Operand argument, Func<string, bool>? literalMatch, string function) : Node
    {
        public override bool Eval(in Scope s)
        {
            if (property.Get(s) is not string value)
                return false;
            if (literalMatch is not null)
                return literalMatch(value);
            return argument.Get(s) is string part && LikePattern.Create(function, part).IsMatch(value);
        }
    }

    private sealed class InList(Operand property, List<object?> values, bool negate) : Node
    {
        public override bool Eval(in Scope s)
        {
            var value = property.Get(s);
            foreach (var candidate in values)
            {
                if (Compare(value, candidate) == 0)
                    return !negate;
            }

            return negate;
        }

        public override IndexPlan? Plan() =>
            !negate && property is Property p && Indexable(p) && values.Count > 0 && values.All(v => v is string)
                ? new IndexLookup(p.Name, values.Cast<string>().ToList())
                : null;
    }

    private sealed class Lambda(string navigation, string variable, Node? body, bool all) : Node
    {
        public override bool Eval(in Scope s)
        {
            var related = s.Navigation?.Invoke(navigation, s.Row)
                ?? throw new FormatException($"Unknown navigation property '{navigation}'.");
            if (body is null)
                return related.Count > 0;
            foreach (var row in related)
            {
                if (body.Eval(s with { Variable = variable, VariableRow = row }) != all)
                    return !all;
            }

            return all;
        }
    }

    private static bool Indexable(Property? property) =>
        property is { IsLocal: true, Column: { } column } && (column.IsText || column.IsGuid);

    private sealed class Parser(string text, EmulatorSchema? schema, EmulatorTable? table, Func<string, string?>? aliases)
    {
        private readonly Dictionary<string, EmulatorTable?> _variables = new(StringComparer.Ordinal);
        private int _pos;
        private bool _leadingWildcard;

        private bool Strict => table is not null;

        public ODataFilterEvaluator ParseFilter()
        {
            var root = ParseOr();
            SkipWhitespace();
            if (_pos < text.Length)
                throw SyntaxError("unexpected text");
            return new ODataFilterEvaluator(root, _leadingWildcard);
        }

        private Exception SyntaxError(string what) => Strict
            ? new EmulatorException(400, EmulatorErrors.QueryCode, $"Syntax error at position {_pos} in '{text}'. ({what})")
            : new FormatException($"Unsupported or malformed $filter ({what}) at position {_pos}: {text}");

        private Node ParseOr()
        {
            var items = new List<Node> { ParseAnd() };
            while (TryKeyword("or"))
                items.Add(ParseAnd());
            return items.Count == 1 ? items[0] : new Or(items);
        }

        private Node ParseAnd()
        {
            var items = new List<Node> { ParseUnary() };
            while (TryKeyword("and"))
                items.Add(ParseUnary());
            return items.Count == 1 ? items[0] : new And(items);
        }

        private Node ParseUnary()
        {
            SkipWhitespace();
            if (TryKeyword("not") || TryWordBeforeParen("not"))
                return new Not(ParseUnary());
            return ParsePrimary();
        }

        private Node ParsePrimary()
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
                throw SyntaxError("expected a property or a function");
            SkipWhitespace();
            if (Peek('('))
            {
                _pos++;
                switch (word)
                {
                    case "startswith":
                    case "contains":
                    case "endswith":
                        return ParseStringFunction(word);
                    case "Microsoft.Dynamics.CRM.In":
                        return ParseCrmIn(negate: false);
                    case "Microsoft.Dynamics.CRM.NotIn":
                        return ParseCrmIn(negate: true);
                }

                if (word.EndsWith("/any", StringComparison.Ordinal))
                    return ParseLambda(word.Substring(0, word.Length - 4), all: false);
                if (word.EndsWith("/all", StringComparison.Ordinal))
                    return ParseLambda(word.Substring(0, word.Length - 4), all: true);
                _pos = start;
                if (Strict)
                    throw new EmulatorException(400, EmulatorErrors.QueryCode, $"An unknown function with name '{word}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.");
                throw SyntaxError($"unsupported function '{word}'");
            }

            var left = OperandFor(word);
            var opStart = _pos;
            var op = ReadWord();
            if (op == "in")
            {
                // "The OData version 4.01 ... include[s] enhancements and additional features not available in version 4.0, and
                // therefore not currently available in the Dataverse Web API." (P: webapi/query/overview.md, ms.date 07/11/2024)
                if (Strict)
                {
                    _pos = opStart;
                    throw SyntaxError("the 'in' operator is OData 4.01; use Microsoft.Dynamics.CRM.In");
                }

                return ParseInOperator(left);
            }

            if (op is not ("eq" or "ne" or "lt" or "le" or "gt" or "ge"))
            {
                _pos = opStart;
                throw SyntaxError($"unsupported operator '{op}'");
            }

            var right = ParseOperand();
            CheckTypes(left, op, right);
            return new Comparison(left, op, right);
        }

        /// <summary>
        /// "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator
        /// kind 'Equal'." — a quoted GUID is an Edm.String literal (/tmp/research/dataverse-facts.md §2; context-and-oss/XrmDefinitelyTyped#35).
        /// </summary>
        private void CheckTypes(Operand left, string op, Operand right)
        {
            if (!Strict || left.Edm is not { } l || right.Edm is not { } r || Compatible(l, r))
                return;
            var kind = op switch
            {
                "eq" => "Equal",
                "ne" => "NotEqual",
                "lt" => "LessThan",
                "le" => "LessThanOrEqual",
                "gt" => "GreaterThan",
                _ => "GreaterThanOrEqual",
            };
            throw new EmulatorException(400, EmulatorErrors.QueryCode, $"A binary operator with incompatible types was detected. Found operand types '{l}' and '{r}' for operator kind '{kind}'.");
        }

        private static bool Compatible(string left, string right)
        {
            static bool Numeric(string t) => t is "Edm.Int32" or "Edm.Int64" or "Edm.Decimal" or "Edm.Double";
            static bool Temporal(string t) => t is "Edm.DateTimeOffset" or "Edm.Date";
            return left == right || (Numeric(left) && Numeric(right)) || (Temporal(left) && Temporal(right));
        }

        private Node ParseStringFunction(string name)
        {
            var property = ParseOperand();
            Expect(',');
            var argument = ParseOperand();
            Expect(')');

            // Both arguments are text: "startswith(Edm.String Nullable=true, Edm.String Nullable=true)" (the OData URI parser's answer; assumed text).
            if (Strict && (property.Edm is { } p && p != "Edm.String" || argument.Edm is { } a && a != "Edm.String"))
            {
                throw new EmulatorException(400, EmulatorErrors.QueryCode,
                    $"No function signature for the function with name '{name}' matches the specified arguments. The function signatures considered are: {name}(Edm.String Nullable=true, Edm.String Nullable=true).");
            }

            Func<string, bool>? match = null;
            if (argument is Literal { Value: string literal })
            {
                var pattern = LikePattern.Create(name, literal);
                _leadingWildcard |= pattern.LeadingWildcard;
                match = pattern.IsMatch;
            }
            else
            {
                _leadingWildcard |= name != "startswith";
            }

            return new StringFunction(property, argument, match, name);
        }

        private Node ParseCrmIn(bool negate)
        {
            // Microsoft.Dynamics.CRM.In(PropertyName='lastname',PropertyValues=["OBrian","O'Brian"]) (P: webapi/query/filter-rows.md).
            ExpectWord("PropertyName");
            Expect('=');
            SkipWhitespace();
            var name = ReadAliasedText() is { } aliased ? UnquoteWhole(aliased) : Peek('\'') ? ReadQuoted() : throw SyntaxError("PropertyName must be a quoted string");
            Expect(',');
            ExpectWord("PropertyValues");
            Expect('=');
            SkipWhitespace();
            var values = ReadAliasedText() is { } array ? new Parser(array, schema, table, null).ReadJsonArray() : ReadJsonArray();
            Expect(')');

            if (!Strict)
            {
                var loose = OperandFor(name);
                return new InList(loose, values.Select(v => v is string s && Guid.TryParse(s, out var g) ? g.ToString("D") : v).ToList(), negate);
            }

            // PropertyName is the LOGICAL name: "'OpportunityProduct' entity doesn't contain attribute with Name = '_opportunityid_value'
            // ... Microsoft.Dynamics.CRM.In kennt nur Attributnamen" and "{"error":{"code":"0x80041103","message":"'conversationtranscript'
            // entity doesn't contain attribute with Name = '_bot_conversationtranscriptid_value'"}}" (community live observations,
            // /tmp/research/dataverse-facts.md §1).
            var column = table!.Column(name)
                ?? throw new EmulatorException(400, "0x80041103", $"'{table.LogicalName}' entity doesn't contain attribute with Name = '{name}' and NameMapping = 'Logical'");
            var typed = values.Select(v => TypedInValue(column, v)).ToList();
            return new InList(new Property(column.PropertyName, null, null, column) { Edm = column.EdmType }, typed, negate);
        }

        private static object? TypedInValue(EmulatorColumn column, object? value)
        {
            if (value is null)
                return null;
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            object? typed = column.Type switch
            {
                EmulatorColumnType.Guid or EmulatorColumnType.Lookup => value is string && Guid.TryParse(text, out var g) ? g.ToString("D") : null,
                EmulatorColumnType.Integer or EmulatorColumnType.Choice or EmulatorColumnType.BigInt or EmulatorColumnType.Decimal or EmulatorColumnType.Double =>
                    double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
                EmulatorColumnType.Boolean => bool.TryParse(text, out var b) ? b : null,
                EmulatorColumnType.DateTime => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null,
                _ => text,
            };

            // Assumed error shape: Dataverse converts each value to the attribute's type and refuses one that does not convert.
            return typed ?? throw new EmulatorException(400, "0x80040203",
                $"Invalid format of input data: the value '{text}' of PropertyValues cannot be converted to the type of the attribute '{column.LogicalName}' ({column.EdmType}).");
        }

        private Node ParseInOperator(Operand left)
        {
            Expect('(');
            var values = new List<Operand>();
            do
            {
                values.Add(ParseOperand());
            }
            while (TryChar(','));
            Expect(')');
            return new InList(left, values.Select(v => v.Get(default)).ToList(), negate: false);
        }

        private Node ParseLambda(string navigation, bool all)
        {
            EmulatorTable? target = null;
            if (Strict)
            {
                target = schema!.CollectionNavigation(table!, navigation)?.Target
                    ?? throw UnknownProperty(navigation, table!);
            }

            SkipWhitespace();
            if (TryChar(')'))
                return new Lambda(navigation, string.Empty, null, all);
            var colon = text.IndexOf(':', _pos);
            if (colon < 0)
                throw SyntaxError("expected a lambda variable");
            var variable = text.Substring(_pos, colon - _pos).Trim();
            _pos = colon + 1;
            _variables[variable] = target;
            var body = ParseOr();
            _variables.Remove(variable);
            Expect(')');
            return new Lambda(navigation, variable, body, all);
        }

        private Operand ParseOperand()
        {
            SkipWhitespace();
            if (Peek('\''))
                return new Literal(ReadQuoted()) { Edm = "Edm.String" };
            var word = ReadWord();
            if (word.Length == 0)
                throw SyntaxError("expected an operand");
            return OperandFor(word);
        }

        private Operand OperandFor(string word)
        {
            switch (word)
            {
                case "null": return new Literal(null);
                case "true": return new Literal(true) { Edm = "Edm.Boolean" };
                case "false": return new Literal(false) { Edm = "Edm.Boolean" };
            }

            if (word[0] == '@')
            {
                // Parameter aliases: "You can use parameter aliases for $filter and $orderby query options" (P: webapi/query/overview.md).
                var value = aliases?.Invoke(word) ?? (Strict ? null : word);
                if (value is null)
                    return new Literal(null);
                var sub = new Parser(value, schema, table, null);
                foreach (var (name, t) in _variables)
                    sub._variables[name] = t;
                var operand = sub.ParseOperand();
                sub.SkipWhitespace();
                return sub._pos == value.Length ? operand : throw SyntaxError($"bad parameter alias value '{value}'");
            }

            if (Guid.TryParse(word, out var guid) && word.Length == 36)
                return new Literal(guid.ToString("D")) { Edm = "Edm.Guid" };

            if (char.IsDigit(word[0]) || word[0] == '-')
            {
                if (word.Contains('T', StringComparison.Ordinal) &&
                    DateTimeOffset.TryParse(word, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                {
                    return new Literal(date) { Edm = "Edm.DateTimeOffset" };
                }

                if (word.Length == 10 && word[4] == '-' && DateTimeOffset.TryParseExact(word, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var day))
                    return new Literal(day) { Edm = "Edm.Date" };

                if (long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    return new Literal((double)integer) { Edm = integer is >= int.MinValue and <= int.MaxValue ? "Edm.Int32" : "Edm.Int64" };
                if (double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    return new Literal(number) { Edm = word.Contains('e', StringComparison.OrdinalIgnoreCase) ? "Edm.Double" : "Edm.Decimal" };
                throw SyntaxError($"bad literal '{word}'");
            }

            return PropertyFor(word);
        }

        private Property PropertyFor(string path)
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                if (!Strict)
                    return new Property(path, null, null, null);
                var column = table!.Property(path) ?? throw UnknownProperty(path, table);
                return new Property(path, null, null, column) { Edm = column.EdmType };
            }

            var head = path.Substring(0, slash);
            var rest = path.Substring(slash + 1);
            if (rest.Contains('/', StringComparison.Ordinal))
                throw SyntaxError($"unsupported path '{path}'");
            if (_variables.TryGetValue(head, out var variableTable))
            {
                if (variableTable is null)
                    return new Property(rest, head, null, null);
                var column = variableTable.Property(rest) ?? throw UnknownProperty(rest, variableTable);
                return new Property(rest, head, null, column) { Edm = column.EdmType };
            }

            if (!Strict)
                return new Property(rest, null, head, null);

            // A lookup path: "primarycontactid/fullname eq '…'" (docs/platform/dataverse.md §3.2).
            var navigation = table!.Navigation(head) ?? throw UnknownProperty(head, table);
            var target = navigation.Targets.Count == 1 ? schema!.Table(navigation.Targets[0]) : null;
            if (target is null)
                throw UnknownProperty(head, table);
            var targetColumn = target.Property(rest) ?? throw UnknownProperty(rest, target);
            return new Property(rest, null, head, targetColumn) { Edm = targetColumn.EdmType };
        }

        /// <summary>"Could not find a property named 'x' on type 'Microsoft.Dynamics.CRM.account'." (/tmp/research/dataverse-facts.md §5).</summary>
        private static EmulatorException UnknownProperty(string name, EmulatorTable owner) => EmulatorErrors.UnknownProperty(name, owner);

        private string? ReadAliasedText()
        {
            if (!Peek('@'))
                return null;
            var alias = ReadWord();
            return aliases?.Invoke(alias) ?? throw SyntaxError($"parameter alias '{alias}' has no value");
        }

        private string UnquoteWhole(string value)
        {
            var sub = new Parser(value.Trim(), null, null, null);
            var result = sub.Peek('\'') ? sub.ReadQuoted() : throw SyntaxError("PropertyName must be a quoted string");
            return result;
        }

        private string ReadWord()
        {
            SkipWhitespace();
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '_' or '.' or '/' or '-' or '@' or ':' or '+'))
            {
                // A ':' belongs to a date literal (digits around it), never to a lambda, which ParseLambda reads itself.
                if (text[_pos] == ':' && !(start < _pos && char.IsDigit(text[start])))
                    break;
                _pos++;
            }

            return text.Substring(start, _pos - start);
        }

        private void ExpectWord(string word)
        {
            SkipWhitespace();
            var start = _pos;
            if (ReadWord() != word)
            {
                _pos = start;
                throw SyntaxError($"expected {word}=");
            }
        }

        private string ReadQuoted()
        {
            Expect('\'');
            var builder = new StringBuilder();
            while (true)
            {
                if (_pos >= text.Length)
                    throw Strict ? new EmulatorException(400, EmulatorErrors.QueryCode, $"There is an unterminated literal at position {_pos} in '{text}'.") : SyntaxError("unterminated string");
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

        /// <summary>
        /// Reads <c>PropertyValues</c>: a JSON array whose strings may be double- or single-quoted (both are used: "community code that
        /// works uses single quotes ['guid1','guid2']; the Microsoft doc examples use double-quoted strings" — /tmp/research/dataverse-facts.md §1).
        /// </summary>
        private List<object?> ReadJsonArray()
        {
            SkipWhitespace();
            if (!TryChar('['))
                throw SyntaxError("expected a JSON array");
            var values = new List<object?>();
            SkipWhitespace();
            if (TryChar(']'))
                return values;
            while (true)
            {
                SkipWhitespace();
                if (Peek('"') || Peek('\''))
                {
                    values.Add(ReadJsonString(text[_pos]));
                }
                else
                {
                    var word = ReadWord();
                    values.Add(word switch
                    {
                        "null" => null,
                        "true" => true,
                        "false" => false,
                        _ when double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
                        _ => throw InvalidJson(),
                    });
                }

                SkipWhitespace();
                if (TryChar(']'))
                    return values;
                if (!TryChar(','))
                    throw InvalidJson();
            }
        }

        /// <summary>"Invalid JSON. A comma character ',' was expected in scope 'Array'. ..." (P: webapi/query/filter-rows.md, quoted in the facts file §1).</summary>
        private Exception InvalidJson() => Strict
            ? new EmulatorException(400, EmulatorErrors.QueryCode, "Invalid JSON. A comma character ',' was expected in scope 'Array'. Every two elements in an array and properties of an object must be separated by commas.")
            : SyntaxError("bad JSON array");

        private string ReadJsonString(char quote)
        {
            _pos++;
            var builder = new StringBuilder();
            while (_pos < text.Length)
            {
                var c = text[_pos++];
                if (c == quote)
                    return builder.ToString();
                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                if (_pos >= text.Length)
                    break;
                var escaped = text[_pos++];
                switch (escaped)
                {
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'u' when _pos + 4 <= text.Length:
                        builder.Append((char)int.Parse(text.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        _pos += 4;
                        break;
                    default: builder.Append(escaped); break;
                }
            }

            throw InvalidJson();
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

        private bool TryWordBeforeParen(string keyword)
        {
            if (string.Compare(text, _pos, keyword, 0, keyword.Length, StringComparison.Ordinal) == 0 &&
                _pos + keyword.Length < text.Length && text[_pos + keyword.Length] == '(')
            {
                _pos += keyword.Length;
                return true;
            }

            return false;
        }

        private void SkipWhitespace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
                _pos++;
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
                throw SyntaxError($"expected '{c}'");
        }
    }
}

/// <summary>
/// A SQL <c>LIKE</c> pattern, as Dataverse applies <c>startswith</c>, <c>contains</c> and <c>endswith</c>: <c>%</c> any run,
/// <c>_</c> one character, <c>[abc]</c> a set, <c>[^a]</c> not in the set; a wildcard in brackets (<c>[%]</c>, <c>[_]</c>,
/// <c>[[]</c>) is literal. Case-insensitive.
/// </summary>
/// <remarks>
/// "% Matches any string of zero or more characters." / "_ Use the underscore character to match any single character" /
/// "[] Matches any single character within the specified range or set" / "[^] Matches any single character that isn't within
/// the range or set" / "To use a wildcard character as a literal character, enclose the wildcard character in brackets."
/// (P: webapi/query/filter-rows.md and wildcard-characters.md, quoted in /tmp/research/dataverse-facts.md §3).
/// </remarks>
internal sealed class LikePattern
{
    private static readonly ConcurrentDictionary<string, LikePattern> Cache = new(StringComparer.Ordinal);
    private readonly string? _literal;
    private readonly string _function;
    private readonly Regex? _regex;

    private LikePattern(string function, string? literal, Regex? regex, bool leadingWildcard)
    {
        _function = function;
        _literal = literal;
        _regex = regex;
        LeadingWildcard = leadingWildcard;
    }

    /// <summary>Gets a value indicating whether the whole pattern starts with a wildcard (no index can seek it).</summary>
    public bool LeadingWildcard { get; }

    public static LikePattern Create(string function, string pattern)
    {
        var key = function + "\u0001" + pattern;
        if (Cache.TryGetValue(key, out var cached))
            return cached;
        var created = Build(function, pattern);
        if (Cache.Count < 10_000)
            Cache[key] = created;
        return created;
    }

    public bool IsMatch(string value)
    {
        if (_regex is not null)
            return _regex.IsMatch(value);
        return _function switch
        {
            "startswith" => value.StartsWith(_literal!, StringComparison.OrdinalIgnoreCase),
            "endswith" => value.EndsWith(_literal!, StringComparison.OrdinalIgnoreCase),
            _ => value.Contains(_literal!, StringComparison.OrdinalIgnoreCase),
        };
    }

    private static LikePattern Build(string function, string pattern)
    {
        var regex = new StringBuilder();
        var literal = new StringBuilder();
        var plain = true;
        var startsWithWildcard = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '%':
                    plain = false;
                    startsWithWildcard |= i == 0;
                    regex.Append(".*");
                    continue;
                case '_':
                    plain = false;
                    startsWithWildcard |= i == 0;
                    regex.Append('.');
                    continue;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close > i + 1)
                    {
                        var set = pattern.Substring(i + 1, close - i - 1);
                        i = close;
                        if (set.Length == 1)
                        {
                            // [%], [_], [[]: the literal character.
                            literal.Append(set[0]);
                            regex.Append(Regex.Escape(set));
                            continue;
                        }

                        plain = false;
                        regex.Append(CharacterClass(set));
                        continue;
                    }

                    break;
            }

            literal.Append(c);
            regex.Append(Regex.Escape(c.ToString()));
        }

        var leading = function != "startswith" || startsWithWildcard;
        if (plain)
            return new LikePattern(function, literal.ToString(), null, leading);
        var body = regex.ToString();
        var full = function switch
        {
            "startswith" => @"\A" + body,
            "endswith" => body + @"\z",
            _ => body,
        };
        var compiled = new Regex(full, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
        return new LikePattern(function, null, compiled, leading);
    }

    private static string CharacterClass(string set)
    {
        var builder = new StringBuilder("[");
        var start = 0;
        if (set[0] == '^')
        {
            builder.Append('^');
            start = 1;
        }

        for (var i = start; i < set.Length; i++)
        {
            var c = set[i];
            var isRange = c == '-' && i > start && i < set.Length - 1;
            if (isRange)
                builder.Append('-');
            else if (c is '\\' or ']' or '[' or '^' or '-')
                builder.Append('\\').Append(c);
            else
                builder.Append(c);
        }

        return builder.Append(']').ToString();
    }
}

/// <summary>Equality lookups whose rows include every row a filter matches.</summary>
internal abstract class IndexPlan;

/// <summary>Rows whose <see cref="Column"/> equals one of <see cref="Values"/>.</summary>
internal sealed class IndexLookup(string column, IReadOnlyList<string> values) : IndexPlan
{
    public string Column { get; } = column;

    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>Rows any part finds (an <c>or</c>).</summary>
internal sealed class IndexUnion(IReadOnlyList<IndexPlan> parts) : IndexPlan
{
    public IReadOnlyList<IndexPlan> Parts { get; } = parts;
}

/// <summary>Rows of whichever part finds fewest (an <c>and</c>: every part is a superset).</summary>
internal sealed class IndexSmallest(IReadOnlyList<IndexPlan> parts) : IndexPlan
{
    public IReadOnlyList<IndexPlan> Parts { get; } = parts;
}
