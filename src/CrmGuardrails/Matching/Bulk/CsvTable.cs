using System.Text;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Matching.Bulk;

/// <summary>
/// A strict RFC 4180 CSV reader: UTF-8 only, a header row, quoted fields with doubled quotes and line breaks, every row
/// as wide as the header. Errors name the file, the line and the column.
/// </summary>
internal sealed class CsvTable
{
    /// <summary>Longest field accepted; a larger one is a broken file, not a company name.</summary>
    public const int MaxFieldLength = 65536;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, int> _columns;

    private CsvTable(string file, string[] header, List<string[]> rows, List<int> lines)
    {
        File = file;
        Header = header;
        Rows = rows;
        Lines = lines;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
            _columns[header[i]] = i;
    }

    public string File { get; }

    public string[] Header { get; }

    public List<string[]> Rows { get; }

    /// <summary>Gets the 1-based line where each row starts.</summary>
    public List<int> Lines { get; }

    /// <summary>Returns the index of a column, or -1.</summary>
    public int Column(string name) => _columns.TryGetValue(name, out var index) ? index : -1;

    /// <summary>Returns the index of a required column, or throws naming it.</summary>
    public int RequiredColumn(string name) =>
        _columns.TryGetValue(name, out var index) ? index : throw new InputFormatException(File, 1, name, $"required column '{name}' is missing from the header");

    public static CsvTable Read(Stream stream, string file)
    {
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
        }

        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            var (line, offset) = FindInvalidUtf8(bytes, start);
            throw new InputFormatException(file, line, string.Empty, $"invalid UTF-8 at byte {offset}; save the file as UTF-8");
        }

        bytes = [];
        return Parse(text, file);
    }

    public static CsvTable Parse(string text, string file)
    {
        var position = 0;
        var line = 1;
        string[]? header = null;
        var rows = new List<string[]>();
        var lines = new List<int>();
        var fields = new List<string>();
        var field = new StringBuilder();
        while (position < text.Length)
        {
            var rowLine = line;
            fields.Clear();

            // Blank lines between rows carry nothing.
            if (text[position] is '\n' or '\r')
            {
                position += text[position] == '\r' && position + 1 < text.Length && text[position + 1] == '\n' ? 2 : 1;
                line++;
                continue;
            }

            var endOfRow = false;
            while (!endOfRow)
            {
                field.Clear();
                var columnName = header is not null && fields.Count < header.Length ? header[fields.Count] : $"column {fields.Count + 1}";
                var quoted = position < text.Length && text[position] == '"';
                if (quoted)
                {
                    position++;
                    var fieldLine = line;
                    while (true)
                    {
                        if (position >= text.Length)
                            throw new InputFormatException(file, fieldLine, columnName, "quoted field is not closed before the end of the file");
                        var ch = text[position];
                        if (ch == '"')
                        {
                            if (position + 1 < text.Length && text[position + 1] == '"')
                            {
                                field.Append('"');
                                position += 2;
                                continue;
                            }

                            position++;
                            break;
                        }

                        if (ch == '\n' || (ch == '\r' && (position + 1 >= text.Length || text[position + 1] != '\n')))
                            line++;
                        field.Append(ch);
                        position++;
                        if (field.Length > MaxFieldLength)
                            throw new InputFormatException(file, rowLine, columnName, $"value is longer than {MaxFieldLength} characters");
                    }

                    if (position < text.Length && text[position] is not (',' or '\r' or '\n'))
                        throw new InputFormatException(file, line, columnName, $"unexpected character '{Printable(text[position])}' after a closing quote (a quote inside a quoted field must be doubled)");
                }
                else
                {
                    // Unquoted: the field is a plain slice of the text.
                    var fieldStart = position;
                    while (position < text.Length && text[position] is not (',' or '\r' or '\n'))
                    {
                        if (text[position] == '"')
                            throw new InputFormatException(file, line, columnName, "quote inside an unquoted field (quote the whole field and double the quote)");
                        position++;
                    }

                    if (position - fieldStart > MaxFieldLength)
                        throw new InputFormatException(file, rowLine, columnName, $"value is longer than {MaxFieldLength} characters");
                    fields.Add(position == fieldStart ? string.Empty : text.Substring(fieldStart, position - fieldStart));
                }

                if (quoted)
                    fields.Add(field.ToString());
                if (position >= text.Length)
                {
                    endOfRow = true;
                }
                else if (text[position] == ',')
                {
                    position++;
                }
                else
                {
                    position += text[position] == '\r' && position + 1 < text.Length && text[position + 1] == '\n' ? 2 : 1;
                    line++;
                    endOfRow = true;
                }
            }

            if (header is null)
            {
                header = fields.Select(f => f.Trim().ToLowerInvariant()).ToArray();
                var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Key.Length > 0 && g.Count() > 1);
                if (duplicate is not null)
                    throw new InputFormatException(file, rowLine, duplicate.Key, "column appears twice in the header");
                continue;
            }

            if (fields.Count != header.Length)
            {
                var where = fields.Count < header.Length ? header[fields.Count] : $"column {header.Length + 1}";
                throw new InputFormatException(file, rowLine, where, $"row has {fields.Count} fields but the header has {header.Length}");
            }

            rows.Add(fields.ToArray());
            lines.Add(rowLine);
        }

        if (header is null)
            throw new InputFormatException(file, 0, string.Empty, "file is empty: a header row is required");
        return new CsvTable(file, header, rows, lines);
    }

    private static string Printable(char ch) => char.IsControl(ch) || char.IsSurrogate(ch) ? $"U+{(int)ch:X4}" : ch.ToString();

    private static (int Line, int Offset) FindInvalidUtf8(byte[] bytes, int start)
    {
        var line = 1;
        var i = start;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            int extra;
            if (b < 0x80)
            {
                if (b == '\n')
                    line++;
                i++;
                continue;
            }

            if (b >= 0xC2 && b <= 0xDF)
                extra = 1;
            else if (b >= 0xE0 && b <= 0xEF)
                extra = 2;
            else if (b >= 0xF0 && b <= 0xF4)
                extra = 3;
            else
                return (line, i);
            if (i + extra >= bytes.Length + 0 && i + extra > bytes.Length - 1)
                return (line, i);
            var code = b & (0x3F >> extra);
            for (var k = 1; k <= extra; k++)
            {
                if ((bytes[i + k] & 0xC0) != 0x80)
                    return (line, i);
                code = (code << 6) | (bytes[i + k] & 0x3F);
            }

            // Overlong forms, UTF-16 surrogates encoded in UTF-8 (CESU, lone surrogates) and beyond U+10FFFF.
            if ((extra == 2 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) || (extra == 3 && (code < 0x10000 || code > 0x10FFFF)))
                return (line, i);
            i += extra + 1;
        }

        return (line, bytes.Length);
    }
}
