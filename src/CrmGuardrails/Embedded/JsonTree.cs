using System.Text;
using System.Text.Json;

namespace CrmGuardrails.Embedded;

/// <summary>A parsed JSON value that remembers the line it started on, so errors can name it.</summary>
internal sealed class JsonTree
{
    private JsonTree(JsonValueKind kind, int line)
    {
        Kind = kind;
        Line = line;
    }

    public JsonValueKind Kind { get; private set; }

    public int Line { get; private set; }

    public string? Text { get; private set; }

    /// <summary>Gets an object's properties in file order (empty for other values: no list is made for them).</summary>
    public IReadOnlyList<KeyValuePair<string, JsonTree>> Properties => Kind == JsonValueKind.Object ? _properties! : [];

    /// <summary>Gets an array's items (empty for other values).</summary>
    public IReadOnlyList<JsonTree> Items => Kind == JsonValueKind.Array ? _items! : [];

    private List<KeyValuePair<string, JsonTree>>? _properties;

    private List<JsonTree>? _items;

    public string Describe() => Kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>What is wrong when a string cannot be read: System.Text.Json's own words name its internals.</summary>
    public const string BrokenString = "not valid JSON: a string holds a broken character (invalid UTF-8, or a \\uD800-\\uDFFF escape without its pair).";

    /// <summary>Parses one JSON document; <paramref name="firstLine"/> is the line the text starts on in its file.</summary>
    /// <param name="utf8">The text.</param>
    /// <param name="file">The file's name, for errors.</param>
    /// <param name="firstLine">The line the text starts on.</param>
    /// <param name="nodes">
    /// Nodes to reuse, for a reader of many small documents (a snapshot's records): the tree it returns is then valid only
    /// until the next parse with the same nodes. <see langword="null"/> makes a tree of its own.
    /// </param>
    /// <exception cref="InputFormatException">The text is not valid JSON.</exception>
    public static JsonTree Parse(ReadOnlySpan<byte> utf8, string file, int firstLine = 1, Nodes? nodes = null)
    {
        nodes ??= new Nodes();
        nodes.Reset();

        // Most records sit on one line (a snapshot written by a program often has no line breaks at all).
        var newlines = nodes.Newlines;
        for (var i = utf8.IndexOf((byte)'\n'); i >= 0; i = NextNewline(utf8, i))
            newlines.Add(i);

        if (IsBlank(utf8))
            throw new InputFormatException(file, firstLine, string.Empty, "the file is empty; expected JSON.");
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        try
        {
            if (!reader.Read())
                throw new InputFormatException(file, firstLine, string.Empty, "the file is empty; expected JSON.");
            var root = ReadValue(ref reader, nodes, firstLine);
            if (reader.Read())
                throw new InputFormatException(file, LineOf(newlines, (int)reader.TokenStartIndex, firstLine), string.Empty, "unexpected text after the end of the JSON value.");
            return root;
        }
        catch (JsonException ex)
        {
            var line = firstLine + (int)(ex.LineNumber ?? 0);
            throw new InputFormatException(file, line, string.Empty, $"not valid JSON ({Clean(ex.Message)}).");
        }
        catch (InvalidOperationException)
        {
            throw new InputFormatException(file, LineOf(newlines, (int)reader.TokenStartIndex, firstLine), string.Empty, BrokenString);
        }
    }

    private static JsonTree ReadValue(ref Utf8JsonReader reader, Nodes nodes, int firstLine)
    {
        var line = LineOf(nodes.Newlines, (int)reader.TokenStartIndex, firstLine);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = nodes.Take(JsonValueKind.Object, line);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = PropertyName(ref reader);
                    reader.Read();
                    obj._properties!.Add(new(name, ReadValue(ref reader, nodes, firstLine)));
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = nodes.Take(JsonValueKind.Array, line);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    array._items!.Add(ReadValue(ref reader, nodes, firstLine));
                return array;
            case JsonTokenType.String:
                return nodes.Take(JsonValueKind.String, line, reader.GetString());
            case JsonTokenType.Number:
                return nodes.Take(JsonValueKind.Number, line, Encoding.UTF8.GetString(reader.ValueSpan.ToArray()));
            case JsonTokenType.True:
                return nodes.Take(JsonValueKind.True, line, "true");
            case JsonTokenType.False:
                return nodes.Take(JsonValueKind.False, line, "false");
            default:
                return nodes.Take(JsonValueKind.Null, line);
        }
    }

    /// <summary>
    /// The nodes of one tree at a time, kept for the next: a snapshot of a million records would otherwise make a dozen
    /// nodes and a property list per record, a gigabyte of garbage for the collector to sweep while the records pile up.
    /// </summary>
    internal sealed class Nodes
    {
        private readonly List<JsonTree> _nodes = [];
        private int _used;

        /// <summary>Gets where the current text's lines end.</summary>
        public List<int> Newlines { get; } = [];

        public void Reset()
        {
            _used = 0;
            Newlines.Clear();
        }

        public JsonTree Take(JsonValueKind kind, int line, string? text = null)
        {
            JsonTree node;
            if (_used < _nodes.Count)
            {
                node = _nodes[_used];
                node.Kind = kind;
                node.Line = line;
            }
            else
            {
                _nodes.Add(node = new JsonTree(kind, line));
            }

            _used++;
            node.Text = text;
            if (kind == JsonValueKind.Object)
            {
                // Sized for a record (a dozen fields): a list grown from four copies its items twice.
                if (node._properties is null)
                    node._properties = new(16);
                else
                    node._properties.Clear();
            }
            else if (kind == JsonValueKind.Array)
            {
                if (node._items is null)
                    node._items = [];
                else
                    node._items.Clear();
            }

            return node;
        }
    }

    private static int NextNewline(ReadOnlySpan<byte> utf8, int after)
    {
        var next = utf8.Slice(after + 1).IndexOf((byte)'\n');
        return next < 0 ? -1 : after + 1 + next;
    }

    private static bool IsBlank(ReadOnlySpan<byte> utf8)
    {
        foreach (var b in utf8)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                return false;
        }

        return true;
    }

    // The formats' field names, so that a million records do not each allocate their own copies of the same dozen names.
    private static readonly string[] KnownNames =
    [
        "id", "name", "ownerId", "managerId", "accountId", "userId", "parentId", "website", "phone", "email", "street", "city", "postalCode",
        "country", "status", "firstName", "lastName", "company", "type", "direction", "subject", "description", "regardingId", "partyIds",
        "createdOn", "scheduledStart", "rescheduleCount",
    ];

    private static readonly byte[][] KnownNamesUtf8 = Array.ConvertAll(KnownNames, Encoding.UTF8.GetBytes);

    private static string PropertyName(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var span = reader.ValueSpan;
            for (var i = 0; i < KnownNamesUtf8.Length; i++)
            {
                if (span.SequenceEqual(KnownNamesUtf8[i]))
                    return KnownNames[i];
            }
        }

        return reader.GetString() ?? string.Empty;
    }

    private static int LineOf(List<int> newlines, int offset, int firstLine)
    {
        var index = newlines.BinarySearch(offset);
        return firstLine + (index >= 0 ? index : ~index);
    }

    private static string Clean(string message)
    {
        // System.Text.Json messages end with "LineNumber: 0 | BytePositionInLine: 5." which repeats what we already say.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message.Substring(0, cut) : message).TrimEnd('.', ' ');
    }
}
