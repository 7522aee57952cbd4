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

    public JsonValueKind Kind { get; }

    public int Line { get; }

    public string? Text { get; private set; }

    /// <summary>Gets an object's properties in file order (empty for other values: no list is made for them).</summary>
    public IReadOnlyList<KeyValuePair<string, JsonTree>> Properties => _properties ?? [];

    /// <summary>Gets an array's items (empty for other values).</summary>
    public IReadOnlyList<JsonTree> Items => _items ?? [];

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
    /// <exception cref="InputFormatException">The text is not valid JSON.</exception>
    public static JsonTree Parse(ReadOnlySpan<byte> utf8, string file, int firstLine = 1)
    {
        var newlines = new List<int>();
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
                newlines.Add(i);
        }

        if (IsBlank(utf8))
            throw new InputFormatException(file, firstLine, string.Empty, "the file is empty; expected JSON.");
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        try
        {
            if (!reader.Read())
                throw new InputFormatException(file, firstLine, string.Empty, "the file is empty; expected JSON.");
            var root = ReadValue(ref reader, newlines, firstLine);
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

    private static JsonTree ReadValue(ref Utf8JsonReader reader, List<int> newlines, int firstLine)
    {
        var line = LineOf(newlines, (int)reader.TokenStartIndex, firstLine);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonTree(JsonValueKind.Object, line) { _properties = [] };
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString() ?? string.Empty;
                    reader.Read();
                    obj._properties.Add(new(name, ReadValue(ref reader, newlines, firstLine)));
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonTree(JsonValueKind.Array, line) { _items = [] };
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    array._items.Add(ReadValue(ref reader, newlines, firstLine));
                return array;
            case JsonTokenType.String:
                return new JsonTree(JsonValueKind.String, line) { Text = reader.GetString() };
            case JsonTokenType.Number:
                return new JsonTree(JsonValueKind.Number, line) { Text = Encoding.UTF8.GetString(reader.ValueSpan.ToArray()) };
            case JsonTokenType.True:
                return new JsonTree(JsonValueKind.True, line) { Text = "true" };
            case JsonTokenType.False:
                return new JsonTree(JsonValueKind.False, line) { Text = "false" };
            default:
                return new JsonTree(JsonValueKind.Null, line);
        }
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
