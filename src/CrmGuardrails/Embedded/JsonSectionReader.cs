using System.Text.Json;

namespace CrmGuardrails.Embedded;

/// <summary>
/// Reads a JSON object whose properties are arrays of records (<c>{"users": [...], "accounts": [...]}</c>) from a
/// stream, a batch of records at a time: only the text of the batch being read is held, and each record is parsed into
/// a <see cref="JsonTree"/> that knows its lines, so a snapshot costs its records, not its text. A record larger than
/// <see cref="MaxRecordBytes"/> is refused.
/// </summary>
internal sealed class JsonSectionReader
{
    /// <summary>The largest record read (a description is at most 100,000 characters; 16 MB leaves room for any real one).</summary>
    public const int MaxRecordBytes = 16 << 20;

    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    private readonly Stream _stream;
    private readonly string _file;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _final;
    private int _line = 1;
    private int _firstReadLine = 1;
    private JsonReaderState _state = new(Options);

    public JsonSectionReader(Stream utf8, string file)
    {
        _stream = utf8;
        _file = file;
    }

    private delegate bool Step<T>(ref Utf8JsonReader reader, out T result);

    /// <summary>Reads the opening brace of the root object.</summary>
    /// <exception cref="InputFormatException">The text is empty, not JSON, or not an object.</exception>
    public void ReadRootStart()
    {
        // White space alone is an empty file (the JSON reader would call it "no tokens").
        while (true)
        {
            Consume(SkipBlank(_buffer.AsSpan(_start, _end - _start), 0));
            if (_start < _end)
                break;
            if (_final)
                throw new InputFormatException(_file, 1, string.Empty, "the file is empty; expected JSON.");
            Refill();
        }

        // The JSON reader counts lines from where it starts.
        _firstReadLine = _line;
        var (type, line) = Next((ref Utf8JsonReader reader, out (JsonTokenType, int) result) =>
        {
            result = default;
            if (!reader.Read())
                return false;
            result = (reader.TokenType, LineAt(reader.TokenStartIndex));
            return true;
        });
        if (type != JsonTokenType.StartObject)
            throw new InputFormatException(_file, line, string.Empty, $"expected an object, found {Describe(type)}.");
    }

    /// <summary>Reads the next property name of the root object; false at its end (after which only white space may follow).</summary>
    public bool NextProperty(out string name, out int line)
    {
        var (found, text, at) = Next((ref Utf8JsonReader reader, out (bool, string, int) result) =>
        {
            result = default;
            if (!reader.Read())
                return false;
            result = reader.TokenType == JsonTokenType.PropertyName ? (true, reader.GetString() ?? string.Empty, LineAt(reader.TokenStartIndex)) : (false, string.Empty, 0);
            return true;
        });
        name = text;
        line = at;
        if (found)
            return true;

        // The root object is closed: nothing but white space and comments may follow.
        Next((ref Utf8JsonReader reader, out bool result) =>
        {
            result = true;
            if (reader.Read())
                throw new InputFormatException(_file, LineAt(reader.TokenStartIndex), string.Empty, "unexpected text after the end of the JSON value.");
            return _final;
        });
        return false;
    }

    /// <summary>Reads the start of a property's value: true for an array (read its items with <see cref="NextItem"/>), false for null.</summary>
    /// <exception cref="InputFormatException">The value is neither an array nor null.</exception>
    public bool ArrayStart(string path)
    {
        var (type, line) = Next((ref Utf8JsonReader reader, out (JsonTokenType, int) result) =>
        {
            result = default;
            if (!reader.Read())
                return false;
            result = (reader.TokenType, LineAt(reader.TokenStartIndex));
            return true;
        });
        return type switch
        {
            JsonTokenType.StartArray => true,
            JsonTokenType.Null => false,
            _ => throw new InputFormatException(_file, line, path, $"expected an array, found {Describe(type)}."),
        };
    }

    /// <summary>Reads the next item of the array being read into <paramref name="batch"/> as text (parsed later, on any thread); false at the array's end.</summary>
    public bool NextItem(ItemBatch batch)
    {
        if (_afterItem && NextObjectFast(batch))
            return true;
        _afterItem = Next((ref Utf8JsonReader reader, out bool result) =>
        {
            result = false;
            if (!reader.Read())
                return false;
            if (reader.TokenType == JsonTokenType.EndArray)
                return true;
            var start = reader.TokenStartIndex;
            if (!reader.TrySkip())
                return false;
            var length = reader.BytesConsumed - start;
            batch.Add(_buffer.AsSpan(_start + (int)start, (int)length), LineAt(start));
            result = true;
            return true;
        });
        return _afterItem;
    }

    // True between two items of an array, where the JSON reader's state is the same after every item: the next item, if
    // it is an object after a comma, can be found by matching braces instead of reading every token, which on one thread
    // was a fifth of reading a snapshot. The item is still read whole, by the parser, on any thread.
    private bool _afterItem;

    private static readonly byte[] Structural = "\"{}[]/"u8.ToArray();
    private static readonly byte[] QuoteOrEscape = "\"\\"u8.ToArray();

    /// <summary>
    /// Finds <c>, {…}</c> at the reading position and adds the object to <paramref name="batch"/>; false (having read
    /// nothing) for anything else — the array's end, a comment, an item that is not an object, broken text — which the
    /// JSON reader then reads and reports as it always has.
    /// </summary>
    private bool NextObjectFast(ItemBatch batch)
    {
        while (true)
        {
            var text = _buffer.AsSpan(_start, _end - _start);
            var at = SkipBlank(text, 0);
            if (at < text.Length && text[at] == (byte)',')
            {
                var start = SkipBlank(text, at + 1);
                if (start < text.Length && text[start] == (byte)'{')
                {
                    var end = ObjectEnd(text, start);
                    if (end > 0)
                    {
                        var newlines = Newlines(_start, start);
                        batch.Add(text.Slice(start, end - start), _line + newlines);

                        // The JSON reader counts lines itself: what it did not read must still count in its errors.
                        var skipped = Newlines(_start, end);
                        _firstReadLine += skipped;
                        _line += skipped;
                        _start += end;
                        return true;
                    }

                    if (end < 0)
                        return false;
                }
                else if (start < text.Length)
                {
                    return false;
                }
            }
            else if (at < text.Length)
            {
                return false;
            }

            // The item runs past what has been read.
            if (_final || _end - _start >= MaxRecordBytes)
                return false;
            Refill();
        }
    }

    /// <summary>
    /// The offset just after the object opening at <paramref name="start"/>; 0 when it runs past the text; -1 for what
    /// is left to the JSON reader, which names it: a comment, a bracket that closes the wrong thing, nesting deeper than 60.
    /// </summary>
    private static int ObjectEnd(ReadOnlySpan<byte> text, int start)
    {
        // One bit per open bracket, set for an object.
        var open = 0UL;
        var depth = 0;
        var at = start;
        while (true)
        {
            var next = text.Slice(at).IndexOfAny(Structural);
            if (next < 0)
                return 0;
            at += next;
            switch (text[at])
            {
                case (byte)'{' or (byte)'[':
                    if (++depth > 60)
                        return -1;
                    open = (open << 1) | (text[at] == (byte)'{' ? 1UL : 0UL);
                    break;
                case (byte)'}' or (byte)']':
                    if ((open & 1) != (text[at] == (byte)'}' ? 1UL : 0UL))
                        return -1;
                    open >>= 1;
                    if (--depth == 0)
                        return at + 1;
                    break;
                case (byte)'/':
                    return -1;
                default:
                    // A string: skip to its closing quote, past escaped characters.
                    while (true)
                    {
                        var quote = text.Slice(at + 1).IndexOfAny(QuoteOrEscape);
                        if (quote < 0)
                            return 0;
                        at += quote + 1;
                        if (text[at] == (byte)'"')
                            break;
                        at++;
                        if (at >= text.Length)
                            return 0;
                    }

                    break;
            }

            at++;
        }
    }

    private static int SkipBlank(ReadOnlySpan<byte> text, int at)
    {
        while (at < text.Length && text[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            at++;
        return at;
    }

    /// <summary>Items of one array, read but not yet parsed: their text end to end, and where each starts and on which line.</summary>
    public sealed class ItemBatch
    {
        private readonly List<(int Start, int Length, int Line)> _items = [];
        private byte[] _text = new byte[1 << 16];
        private int _used;

        public int Count => _items.Count;

        /// <summary>Gets the bytes held (a batch is parsed once it holds enough).</summary>
        public int Bytes => _used;

        public void Add(ReadOnlySpan<byte> item, int line)
        {
            if (_used + item.Length > _text.Length)
                Array.Resize(ref _text, Math.Max(_text.Length * 2, _used + item.Length));
            item.CopyTo(_text.AsSpan(_used));
            _items.Add((_used, item.Length, line));
            _used += item.Length;
        }

        /// <summary>Parses item <paramref name="index"/>; safe to call from several threads at once, each with its own <paramref name="nodes"/>.</summary>
        /// <exception cref="InputFormatException">The item is not valid JSON.</exception>
        public JsonTree Parse(int index, string file, JsonTree.Nodes? nodes = null)
        {
            var (start, length, line) = _items[index];
            return JsonTree.Parse(_text.AsSpan(start, length), file, line, nodes);
        }

        public void Clear()
        {
            _items.Clear();
            _used = 0;
        }
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    /// <summary>Runs one step on a reader over the unread bytes; while the step needs more bytes, reads more and runs it again.</summary>
    private T Next<T>(Step<T> step)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            bool done;
            T result;
            try
            {
                done = step(ref reader, out result);
            }
            catch (JsonException ex)
            {
                throw new InputFormatException(_file, _firstReadLine + (int)(ex.LineNumber ?? 0), string.Empty, $"not valid JSON ({Clean(ex.Message)}).");
            }
            catch (InvalidOperationException)
            {
                throw new InputFormatException(_file, LineAt(reader.TokenStartIndex), string.Empty, JsonTree.BrokenString);
            }

            if (done)
            {
                Consume((int)reader.BytesConsumed);
                _state = reader.CurrentState;
                return result;
            }

            if (_final)
                throw new InputFormatException(_file, _line, string.Empty, "not valid JSON (the text ends before the JSON value does).");
            Refill();
        }
    }

    private void Refill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxRecordBytes)
                throw new InputFormatException(_file, _line, string.Empty, $"a record starting here is larger than {InputFile.Size(MaxRecordBytes)}; no record of the format is that large.");
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxRecordBytes));
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _final = true;
        _end += read;
    }

    private void Consume(int count)
    {
        _line += Newlines(_start, count);
        _start += count;
    }

    private int LineAt(long offset) => _line + Newlines(_start, (int)offset);

    private int Newlines(int from, int count)
    {
        var lines = 0;
        var text = _buffer.AsSpan(from, count);
        for (var i = text.IndexOf((byte)'\n'); i >= 0; i = text.IndexOf((byte)'\n'))
        {
            lines++;
            text = text.Slice(i + 1);
        }

        return lines;
    }

    private static string Clean(string message)
    {
        // System.Text.Json messages end with "LineNumber: 0 | BytePositionInLine: 5." which repeats what we already say.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message.Substring(0, cut) : message).TrimEnd('.', ' ');
    }
}
