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

    /// <summary>Reads an events file (JSON Lines); blank lines are skipped.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The events, in order.</returns>
    /// <exception cref="InputFormatException">The file is unreadable or a line does not follow the format.</exception>
    public static IReadOnlyList<CrmEvent> Load(string path)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException)
        {
            throw new InputFormatException(path, 0, string.Empty, "is not valid UTF-8 text.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputFormatException(path, 0, string.Empty, $"cannot be read ({ex.Message}).");
        }

        return Parse(text, path);
    }

    /// <summary>Parses events (JSON Lines).</summary>
    /// <param name="jsonLines">The text.</param>
    /// <param name="fileName">The name to use in error messages.</param>
    /// <returns>The events, in order.</returns>
    /// <exception cref="InputFormatException">A line does not follow the format.</exception>
    public static IReadOnlyList<CrmEvent> Parse(string jsonLines, string fileName)
    {
        var events = new List<CrmEvent>();
        var lines = jsonLines.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (i == 0)
                line = line.TrimStart('\uFEFF');
            if (line.Trim().Length == 0)
                continue;
            events.Add(ParseLine(line, fileName, i + 1));
        }

        return events;
    }

    private static CrmEvent ParseLine(string text, string file, int line)
    {
        var fields = new JsonFields(JsonTree.Parse(Encoding.UTF8.GetBytes(text), file, line), file, string.Empty);
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
