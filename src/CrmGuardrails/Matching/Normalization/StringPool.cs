namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// One string per distinct value, for bulk builds: a million accounts use a few thousand words and cities, and the
/// index then holds each once. Not thread-safe: one pool per thread.
/// </summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Gets the pooled string equal to <paramref name="value"/>.</summary>
    public string Get(string value)
    {
        if (value.Length == 0)
            return string.Empty;
        if (_values.TryGetValue(value, out var known))
            return known;
        _values.Add(value, value);
        return value;
    }
}
