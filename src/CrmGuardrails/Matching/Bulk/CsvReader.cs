using System.Text;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Matching.Bulk;

/// <summary>
/// A strict RFC 4180 CSV reader over a stream: UTF-8 (or UTF-16 with a byte-order mark, read as <see cref="InputText"/> says), a header row, quoted fields with doubled quotes and line
/// breaks, every row as wide as the header. Rows are read one at a time into one reused buffer, so a file of any size
/// costs its records, not its text; values that repeat down a column (countries, owners, cities) are stored once.
/// Errors name the file, the line and the column.
/// </summary>
internal sealed class CsvReader : IDisposable
{
    /// <summary>Longest field accepted; a larger one is a broken file, not a company name.</summary>
    public const int MaxFieldLength = 65536;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[1 << 16];
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);
    private readonly List<string> _fields = [];
    private readonly StringBuilder _quoted = new();
    private ColumnPool[] _pools = [];
    private int _position;
    private int _length;
    private int _line = 1;

    private CsvReader(Stream stream, string file)
    {
        _stream = stream;
        _reader = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
        File = file;
    }

    public string File { get; }

    public string[] Header { get; private set; } = [];

    /// <summary>Gets the 1-based line where the current row starts.</summary>
    public int Line { get; private set; }

    /// <summary>Gets a field of the current row.</summary>
    public string this[int column] => _fields[column];

    /// <summary>Opens a reader and reads the header.</summary>
    /// <exception cref="InputFormatException">The header is missing, broken or names a column twice.</exception>
    public static CsvReader Open(Stream stream, string file)
    {
        var reader = new CsvReader(InputText.Utf8(stream ?? throw new ArgumentNullException(nameof(stream)), file), file);
        if (!reader.ReadFields())
            throw new InputFormatException(file, 0, string.Empty, "file is empty: a header row is required");
        var header = reader._fields.Select(f => f.Trim().ToLowerInvariant()).ToArray();
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Key.Length > 0 && g.Count() > 1);
        if (duplicate is not null)
            throw new InputFormatException(file, reader.Line, duplicate.Key, "column appears twice in the header");
        reader.Header = header;
        for (var i = 0; i < header.Length; i++)
            reader._columns[header[i]] = i;
        reader._pools = header.Select(_ => new ColumnPool()).ToArray();
        return reader;
    }

    /// <summary>Returns the index of a column, or -1.</summary>
    public int Column(string name) => _columns.TryGetValue(name, out var index) ? index : -1;

    /// <summary>Returns the index of a required column, or throws naming it.</summary>
    public int RequiredColumn(string name) =>
        _columns.TryGetValue(name, out var index) ? index : throw new InputFormatException(File, 1, name, $"required column '{name}' is missing from the header");

    /// <summary>Reads the next row; false at the end of the file.</summary>
    /// <exception cref="InputFormatException">The row breaks the format.</exception>
    public bool Read()
    {
        if (!ReadFields())
            return false;
        if (_fields.Count != Header.Length)
        {
            var where = _fields.Count < Header.Length ? Header[_fields.Count] : $"column {Header.Length + 1}";
            throw new InputFormatException(File, Line, where, $"row has {_fields.Count} fields but the header has {Header.Length}");
        }

        return true;
    }

    public void Dispose() => _reader.Dispose();

    private bool ReadFields()
    {
        _fields.Clear();

        // Blank lines between rows carry nothing.
        while (true)
        {
            if (!Fill())
                return false;
            var ch = _buffer[_position];
            if (ch is not ('\n' or '\r'))
                break;
            _position++;
            if (ch == '\r' && Fill() && _buffer[_position] == '\n')
                _position++;
            _line++;
        }

        Line = _line;
        while (true)
        {
            var columnName = _fields.Count < Header.Length ? Header[_fields.Count] : $"column {_fields.Count + 1}";
            _fields.Add(_buffer[_position] == '"' ? QuotedField(columnName) : PlainField(columnName));
            if (!Fill())
                return true;
            var ch = _buffer[_position++];
            if (ch == ',')
            {
                if (!Fill())
                {
                    // A trailing comma at the very end: one more, empty, field.
                    _fields.Add(string.Empty);
                    return true;
                }

                continue;
            }

            if (ch == '\r' && Fill() && _buffer[_position] == '\n')
                _position++;
            _line++;
            return true;
        }
    }

    private string PlainField(string columnName)
    {
        // Most fields lie within the buffer: scan them in place and make (or reuse) one string.
        var pool = _fields.Count < _pools.Length ? _pools[_fields.Count] : null;
        _quoted.Clear();
        while (true)
        {
            var start = _position;
            while (_position < _length && _buffer[_position] is not (',' or '\r' or '\n' or '"'))
                _position++;
            if (_position < _length && _buffer[_position] == '"')
                throw new InputFormatException(File, _line, columnName, "quote inside an unquoted field (quote the whole field and double the quote)");
            var count = _position - start;
            if (_quoted.Length + count > MaxFieldLength)
                throw new InputFormatException(File, Line, columnName, $"value is longer than {MaxFieldLength} characters");
            if (_position < _length)
            {
                if (_quoted.Length == 0)
                    return count == 0 ? string.Empty : pool is null ? new string(_buffer, start, count) : pool.Get(_buffer, start, count);
                return _quoted.Append(_buffer, start, count).ToString();
            }

            // The field runs to the end of the buffer: keep what was read before refilling.
            _quoted.Append(_buffer, start, count);
            if (!Fill())
                return _quoted.Length == 0 ? string.Empty : _quoted.ToString();
        }
    }

    private string QuotedField(string columnName)
    {
        var fieldLine = _line;
        _position++;
        _quoted.Clear();
        while (true)
        {
            if (!Fill())
                throw new InputFormatException(File, fieldLine, columnName, "quoted field is not closed before the end of the file");
            var ch = _buffer[_position++];
            if (ch == '"')
            {
                if (Fill() && _buffer[_position] == '"')
                {
                    _quoted.Append('"');
                    _position++;
                    continue;
                }

                break;
            }

            if (ch == '\n' || (ch == '\r' && !(Fill() && _buffer[_position] == '\n')))
                _line++;
            _quoted.Append(ch);
            if (_quoted.Length > MaxFieldLength)
                throw new InputFormatException(File, Line, columnName, $"value is longer than {MaxFieldLength} characters");
        }

        if (Fill() && _buffer[_position] is not (',' or '\r' or '\n'))
            throw new InputFormatException(File, _line, columnName, $"unexpected character '{Printable(_buffer[_position])}' after a closing quote (a quote inside a quoted field must be doubled)");
        return _quoted.ToString();
    }

    /// <summary>Makes sure a character is available; false at the end of the file.</summary>
    private bool Fill()
    {
        if (_position < _length)
            return true;
        try
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw InvalidUtf8();
        }

        _position = 0;
        return _length > 0;
    }

    private InputFormatException InvalidUtf8()
    {
        // The decoder does not say where: read the bytes again from the start when the stream allows it.
        if (_stream.CanSeek)
        {
            _stream.Seek(0, SeekOrigin.Begin);
            var (line, offset) = Utf8Check.FindInvalid(_stream);
            return new InputFormatException(File, line, string.Empty, $"invalid UTF-8 at byte {offset}; save the file as UTF-8");
        }

        return new InputFormatException(File, _line, string.Empty, "invalid UTF-8; save the file as UTF-8");
    }

    private static string Printable(char ch) => char.IsControl(ch) || char.IsSurrogate(ch) ? $"U+{(int)ch:X4}" : ch.ToString();

    /// <summary>
    /// The values of one column seen so far, so that a value repeated down the column (a country, an owner, a city) is
    /// one string, not one per row. A column whose values rarely repeat (ids, emails) stops being pooled.
    /// </summary>
    private sealed class ColumnPool
    {
        private const int MaxLength = 32;
        private const int MaxEntries = 8192;
        private string?[] _slots = new string?[64];
        private int _count;
        private int _lookups;
        private int _hits;
        private bool _off;

        public string Get(char[] buffer, int start, int length)
        {
            if (_off || length > MaxLength)
                return new string(buffer, start, length);
            var hash = 17;
            for (var i = start; i < start + length; i++)
                hash = (hash * 31) + buffer[i];
            var mask = _slots.Length - 1;
            var slot = hash & mask;
            _lookups++;
            while (_slots[slot] is { } known)
            {
                if (known.Length == length && Same(known, buffer, start))
                {
                    _hits++;
                    return known;
                }

                slot = (slot + 1) & mask;
            }

            var value = new string(buffer, start, length);

            // Ids and emails never repeat: after a thousand values with few repeats, stop paying for the lookups.
            if ((_lookups >= 1024 && _hits * 2 < _lookups) || _count >= MaxEntries)
            {
                _off = true;
                _slots = [];
                return value;
            }

            _slots[slot] = value;
            if (++_count * 2 > _slots.Length)
                Grow();
            return value;
        }

        private static bool Same(string known, char[] buffer, int start)
        {
            for (var i = 0; i < known.Length; i++)
            {
                if (known[i] != buffer[start + i])
                    return false;
            }

            return true;
        }

        private void Grow()
        {
            var old = _slots;
            _slots = new string?[old.Length * 2];
            var mask = _slots.Length - 1;
            foreach (var value in old)
            {
                if (value is null)
                    continue;
                var hash = 17;
                foreach (var ch in value)
                    hash = (hash * 31) + ch;
                var slot = hash & mask;
                while (_slots[slot] is not null)
                    slot = (slot + 1) & mask;
                _slots[slot] = value;
            }
        }
    }
}

/// <summary>Finds where a byte stream stops being UTF-8, for error messages.</summary>
internal static class Utf8Check
{
    /// <summary>Returns the line and byte offset of the first byte that is not valid UTF-8 (or the end of the stream).</summary>
    public static (int Line, long Offset) FindInvalid(Stream stream)
    {
        var line = 1;
        long offset = 0;
        var buffer = new byte[1 << 16];
        var pending = 0;
        var carry = new byte[4];
        var first = true;
        while (true)
        {
            var read = stream.Read(buffer, pending, buffer.Length - pending);
            if (pending > 0)
            {
                Array.Copy(carry, 0, buffer, 0, pending);
            }

            var length = pending + read;
            if (length == 0)
                return (line, offset);
            var i = first && length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
            first = false;
            pending = 0;
            while (i < length)
            {
                var b = buffer[i];
                if (b < 0x80)
                {
                    if (b == '\n')
                        line++;
                    i++;
                    continue;
                }

                var extra = b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : -1;
                if (extra < 0)
                    return (line, offset + i);
                if (i + extra >= length)
                {
                    if (read == 0)
                        return (line, offset + i);

                    // The sequence goes on in the next block.
                    pending = length - i;
                    Array.Copy(buffer, i, carry, 0, pending);
                    break;
                }

                var code = b & (0x3F >> extra);
                for (var k = 1; k <= extra; k++)
                {
                    if ((buffer[i + k] & 0xC0) != 0x80)
                        return (line, offset + i);
                    code = (code << 6) | (buffer[i + k] & 0x3F);
                }

                // Overlong forms, UTF-16 surrogates encoded in UTF-8 (CESU, lone surrogates) and beyond U+10FFFF.
                if ((extra == 2 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) || (extra == 3 && (code < 0x10000 || code > 0x10FFFF)))
                    return (line, offset + i);
                i += extra + 1;
            }

            offset += length - pending;
            if (read == 0)
                return (line, offset);
        }
    }
}
