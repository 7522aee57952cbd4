namespace CrmGuardrails.Matching.Index;

/// <summary>
/// Writes keys character by character into a buffer, then hands each finished key to a sink: hashes for the indexes,
/// strings for <see cref="MatchKeys"/>. One writer of keys serves both, so the two never disagree.
/// </summary>
/// <remarks>Not thread-safe: one writer per thread.</remarks>
internal abstract class KeyWriter
{
    private char[] _buffer = new char[64];
    private int _length;
    private KeyKind _kind;

    /// <summary>Starts a key.</summary>
    public KeyWriter Begin(string prefix, KeyKind kind)
    {
        _length = 0;
        _kind = kind;
        return Append(prefix);
    }

    public KeyWriter Append(string text) => Append(text, 0, text.Length);

    public KeyWriter Append(string text, int start, int count)
    {
        if (_length + count > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        text.CopyTo(start, _buffer, _length, count);
        _length += count;
        return this;
    }

    public KeyWriter Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + text.Length));
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
        return this;
    }

    public KeyWriter Append(char ch)
    {
        if (_length == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        _buffer[_length++] = ch;
        return this;
    }

    /// <summary>Finishes the key and hands it to the sink (a key already written is not written twice).</summary>
    public void End() => Emit(_buffer, _length, _kind);

    /// <summary>Writes a whole key: prefix and value.</summary>
    public void Add(string prefix, string value, KeyKind kind)
    {
        if (value.Length > 0)
            Begin(prefix, kind).Append(value).End();
    }

    protected abstract void Emit(char[] buffer, int length, KeyKind kind);
}

/// <summary>Collects key hashes, record after record (a lead looks accounts up with some forty: room for them at once).</summary>
internal sealed class HashKeyWriter(int capacity = 48) : KeyWriter
{
    private int _recordStart;

    public List<MatchKey> Keys { get; } = new(capacity);

    /// <summary>Starts the keys of another record (repeats are dropped within a record).</summary>
    public void NextRecord() => _recordStart = Keys.Count;

    /// <summary>Forgets every key.</summary>
    public void Clear()
    {
        Keys.Clear();
        _recordStart = 0;
    }

    protected override void Emit(char[] buffer, int length, KeyKind kind)
    {
        var key = new MatchKey(KeyHash.Append(KeyHash.EmptyHash, buffer, length), kind);
        for (var i = _recordStart; i < Keys.Count; i++)
        {
            if (Keys[i].Hash == key.Hash)
                return;
        }

        Keys.Add(key);
    }
}

/// <summary>Collects key texts.</summary>
internal sealed class StringKeyWriter : KeyWriter
{
    public List<string> Keys { get; } = new(24);

    protected override void Emit(char[] buffer, int length, KeyKind kind)
    {
        var key = new string(buffer, 0, length);
        if (!Keys.Contains(key))
            Keys.Add(key);
    }
}
