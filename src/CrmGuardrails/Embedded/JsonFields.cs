using System.Globalization;
using System.Text.Json;

namespace CrmGuardrails.Embedded;

/// <summary>Reads the fields of one JSON object, with errors naming the file, line and field path.</summary>
internal sealed class JsonFields
{
    private readonly JsonTree _node;
    private readonly IReadOnlyList<KeyValuePair<string, JsonTree>> _properties;

    // Which properties were read, by position: the first 64 in a mask (a record has a dozen fields), any more in an array.
    private readonly bool[]? _readPast64;
    private ulong _read;

    // The path is written out only for an error: "accounts[41297]" for each of a million records would be garbage.
    private readonly string _section;
    private readonly int _index;

    public JsonFields(JsonTree node, string file, string path)
        : this(node, file, path, -1)
    {
    }

    /// <summary>The fields of item <paramref name="index"/> of the array <paramref name="section"/> (<c>section[index]</c>).</summary>
    public JsonFields(JsonTree node, string file, string section, int index)
    {
        File = file;
        _section = section;
        _index = index;
        if (node.Kind != JsonValueKind.Object)
            throw new InputFormatException(file, node.Line, Path, $"expected an object, found {node.Describe()}.");
        _node = node;
        _properties = node.Properties;
        _readPast64 = _properties.Count <= 64 ? null : new bool[_properties.Count];
    }

    public string File { get; }

    public string Path => _index < 0 ? _section : $"{_section}[{_index.ToString(CultureInfo.InvariantCulture)}]";

    public int Line => _node.Line;

    public bool Has(string name)
    {
        for (var i = 0; i < _properties.Count; i++)
        {
            if (string.Equals(_properties[i].Key, name, StringComparison.Ordinal))
                return true;
        }

        return false;
    }

    public JsonTree? Get(string name)
    {
        JsonTree? found = null;
        for (var i = 0; i < _properties.Count; i++)
        {
            var property = _properties[i];
            if (!string.Equals(property.Key, name, StringComparison.Ordinal))
                continue;
            if (found is not null)
                throw Error(property.Value, name, "appears twice.");
            found = property.Value;
            MarkRead(i);
        }

        return found;
    }

    public InputFormatException Error(JsonTree? at, string field, string problem) =>
        new(File, at?.Line ?? Line, FieldPath(field), problem);

    public string FieldPath(string field) => Path.Length == 0 ? field : $"{Path}.{field}";

    /// <summary>A string field; missing, null and empty (after trimming) are <see langword="null"/>.</summary>
    public string? String(string name, int maxLength = 10_000)
    {
        var node = Get(name);
        if (node is null || node.Kind == JsonValueKind.Null)
            return null;
        if (node.Kind != JsonValueKind.String)
            throw Error(node, name, $"expected a string, found {node.Describe()}.");
        var text = node.Text!.Trim();
        if (text.Length > maxLength)
            throw Error(node, name, $"is {text.Length:N0} characters long; at most {maxLength:N0} are accepted.");
        foreach (var c in text)
        {
            if (char.IsControl(c) && c != '\t')
                throw Error(node, name, "contains control characters.");
        }

        return text.Length == 0 ? null : text;
    }

    public string RequiredString(string name, int maxLength = 200) =>
        String(name, maxLength) ?? throw Error(Get(name), name, "is required.");

    public T? Enum<T>(string name, IReadOnlyDictionary<string, T> values)
        where T : struct
    {
        var text = String(name, 100);
        if (text is null)
            return null;
        if (values.TryGetValue(text.ToLowerInvariant(), out var value))
            return value;
        throw Error(Get(name), name, $"'{text}' is not one of {string.Join(", ", values.Keys)}.");
    }

    public DateTimeOffset? Time(string name)
    {
        var text = String(name, 100);
        if (text is null)
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) && HasOffset(text))
            return value.ToUniversalTime();
        throw Error(Get(name), name, $"'{text}' is not an ISO 8601 time with an offset (for example 2026-11-23T10:00:00Z).");
    }

    public IReadOnlyList<string> StringArray(string name)
    {
        var node = Get(name);
        if (node is null || node.Kind == JsonValueKind.Null)
            return [];
        if (node.Kind != JsonValueKind.Array)
            throw Error(node, name, $"expected an array of strings, found {node.Describe()}.");
        var values = new List<string>();
        for (var i = 0; i < node.Items.Count; i++)
        {
            var item = node.Items[i];
            if (item.Kind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.Text))
                throw Error(item, $"{name}[{i}]", "expected a non-empty string.");
            values.Add(item.Text!.Trim());
        }

        return values;
    }

    public IReadOnlyList<JsonFields> Objects(string name)
    {
        var node = Get(name);
        if (node is null || node.Kind == JsonValueKind.Null)
            return [];
        if (node.Kind != JsonValueKind.Array)
            throw Error(node, name, $"expected an array, found {node.Describe()}.");
        return node.Items.Select((item, i) => new JsonFields(item, File, $"{FieldPath(name)}[{i}]")).ToList();
    }

    public JsonFields Object(string name)
    {
        var node = Get(name) ?? throw Error(null, name, "is required.");
        return new JsonFields(node, File, FieldPath(name));
    }

    /// <summary>Rejects fields the format does not define, so a typo ("ownerid") is not silently ignored.</summary>
    public void RejectUnknown()
    {
        for (var i = 0; i < _properties.Count; i++)
        {
            if (!WasRead(i))
                throw Error(_properties[i].Value, _properties[i].Key, "is not a field of this format (check the spelling; see docs/formats.md).");
        }
    }

    private void MarkRead(int index)
    {
        if (index < 64)
            _read |= 1UL << index;
        else
            _readPast64![index] = true;
    }

    private bool WasRead(int index) => index < 64 ? (_read & (1UL << index)) != 0 : _readPast64![index];

    private static bool HasOffset(string text)
    {
        var time = text.IndexOf('T');
        if (time < 0)
            time = text.IndexOf(' ');
        if (time < 0)
            return false;
        var tail = text.Substring(time);
        return tail.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || tail.IndexOf('+') >= 0 || tail.LastIndexOf('-') > 0;
    }
}
