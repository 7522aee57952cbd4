using System.Text;

namespace CrmGuardrails.Embedded;

/// <summary>One line of an events file (format 2 of docs/formats.md): a save to replay.</summary>
public sealed class CrmEvent
{
    private CrmEvent(string file, int line, DateTimeOffset at, string userId, GuardOperation operation, RecordKind kind, string? id, object record)
    {
        File = file;
        Line = line;
        At = at;
        UserId = userId;
        Operation = operation;
        Kind = kind;
        Id = id;
        Record = record;
    }

    /// <summary>Gets the file the event came from.</summary>
    public string File { get; }

    /// <summary>Gets the event's line in its file.</summary>
    public int Line { get; }

    /// <summary>Gets when the save happens.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Gets who saves.</summary>
    public string UserId { get; }

    /// <summary>Gets whether the record is created or changed.</summary>
    public GuardOperation Operation { get; }

    /// <summary>Gets the record's kind.</summary>
    public RecordKind Kind { get; }

    /// <summary>Gets the record's id, when the event names one (always for an update).</summary>
    public string? Id { get; }

    /// <summary>Gets the record's fields, kept parsed until the replay applies them (ids are resolved then).</summary>
    internal object Record { get; }

    internal JsonFields Fields => (JsonFields)Record;

    /// <summary>The largest events file read: 1 GB, several million events.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>The longest line read: 1 MB (an event is a few hundred bytes; a description at most 100,000 characters).</summary>
    public const int MaxLineBytes = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads an events file (JSON Lines), line by line; blank lines are skipped.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The events, in order.</returns>
    /// <exception cref="InputFormatException">
    /// The file is missing, unreadable, not a regular file, larger than <see cref="MaxFileBytes"/>, or a line is longer
    /// than <see cref="MaxLineBytes"/> or does not follow the format. UTF-8 and UTF-16 with a byte-order mark are read.
    /// </exception>
    public static IReadOnlyList<CrmEvent> Load(string path)
    {
        using var file = InputFile.OpenRead(path, MaxFileBytes);
        return Read(file, path);
    }

    /// <summary>Parses events (JSON Lines).</summary>
    /// <param name="jsonLines">The text.</param>
    /// <param name="fileName">The name to use in error messages.</param>
    /// <returns>The events, in order.</returns>
    /// <exception cref="InputFormatException">A line does not follow the format or holds a broken character (an unpaired surrogate).</exception>
    public static IReadOnlyList<CrmEvent> Parse(string jsonLines, string fileName)
    {
        if (jsonLines is null)
            throw new ArgumentNullException(nameof(jsonLines));
        var line = 1;
        for (var i = 0; i < jsonLines.Length; i++)
        {
            var ch = jsonLines[i];
            if (ch == '\n')
                line++;
            else if (char.IsHighSurrogate(ch) && i + 1 < jsonLines.Length && char.IsLowSurrogate(jsonLines[i + 1]))
                i++;
            else if (char.IsSurrogate(ch))
                throw new InputFormatException(fileName, line, string.Empty, "is not valid Unicode text: it has a broken character (an unpaired surrogate).");
        }

        using var stream = new MemoryStream(StrictUtf8.GetBytes(jsonLines), writable: false);
        return Read(stream, fileName);
    }

    private static List<CrmEvent> Read(Stream stream, string file)
    {
        using var text = InputText.Utf8(stream, file);
        var events = new List<CrmEvent>();
        var chunk = new byte[1 << 16];
        var line = new byte[1 << 12];
        var length = 0;
        var number = 0;
        while (true)
        {
            var read = text.Read(chunk, 0, chunk.Length);
            var from = 0;
            for (var i = 0; i < read; i++)
            {
                if (chunk[i] != (byte)'\n')
                    continue;
                Append(chunk, from, i - from);
                Finish();
                from = i + 1;
            }

            Append(chunk, from, read - from);
            if (read == 0)
            {
                if (length > 0)
                    Finish();
                return events;
            }
        }

        void Append(byte[] bytes, int offset, int count)
        {
            if (length + count > MaxLineBytes)
                throw new InputFormatException(file, number + 1, string.Empty, $"the line is longer than {InputFile.Size(MaxLineBytes)}; an event is far shorter (is this a JSON Lines file?).");
            if (length + count > line.Length)
                Array.Resize(ref line, Math.Min(MaxLineBytes, Math.Max(line.Length * 2, length + count)));
            Buffer.BlockCopy(bytes, offset, line, length, count);
            length += count;
        }

        void Finish()
        {
            number++;
            var count = length > 0 && line[length - 1] == (byte)'\r' ? length - 1 : length;
            length = 0;
            if (IsBlank(line, count))
                return;
            try
            {
                StrictUtf8.GetCharCount(line, 0, count);
            }
            catch (DecoderFallbackException)
            {
                throw new InputFormatException(file, number, string.Empty, "is not valid UTF-8 text; save the file as UTF-8.");
            }

            events.Add(ParseLine(new ReadOnlySpan<byte>(line, 0, count), file, number));
        }
    }

    private static bool IsBlank(byte[] bytes, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (bytes[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                return false;
        }

        return true;
    }

    private static CrmEvent ParseLine(ReadOnlySpan<byte> text, string file, int line)
    {
        var fields = new JsonFields(JsonTree.Parse(text, file, line), file, string.Empty);
        var at = fields.Time("at") ?? throw fields.Error(null, "at", "is required.");
        var userId = fields.RequiredString("userId");
        var operation = fields.Enum("op", new Dictionary<string, GuardOperation> { ["create"] = GuardOperation.Create, ["update"] = GuardOperation.Update })
                        ?? throw fields.Error(null, "op", "is required (create or update).");
        var record = fields.Object("record");
        fields.RejectUnknown();
        var kind = record.Enum("kind", new Dictionary<string, RecordKind>
        {
            ["account"] = RecordKind.Account, ["contact"] = RecordKind.Contact, ["lead"] = RecordKind.Lead, ["activity"] = RecordKind.Activity,
        }) ?? throw record.Error(null, "kind", "is required (account, contact, lead or activity).");
        var id = record.String("id", 200);
        if (operation == GuardOperation.Update && id is null)
            throw record.Error(null, "id", "is required on an update.");
        if (operation == GuardOperation.Create && kind == RecordKind.Activity && !record.Has("type"))
            throw record.Error(null, "type", "is required when creating an activity.");
        return new CrmEvent(file, line, at, userId, operation, kind, id, record);
    }
}
