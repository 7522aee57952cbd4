using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Cli.Audit;

/// <summary>Writes and reads the audit's JSON Lines: one collision per line (docs/admin.md, "Audit output").</summary>
internal static class AuditJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The largest audit file read by <c>crmguard report</c>.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>The longest line read.</summary>
    public const int MaxLineChars = 1 << 20;

    /// <summary>Writes collisions as JSON Lines through one buffer, not a string and a stream per line (an audit writes a hundred thousand).</summary>
    public static void WriteLines(TextWriter writer, IEnumerable<AuditCollision> collisions, CancellationToken cancellationToken)
    {
        var bytes = new ArrayBufferWriter<byte>(4096);
        var chars = new char[4096];
        using var json = new Utf8JsonWriter(bytes, Options);
        foreach (var collision in collisions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bytes.ResetWrittenCount();
            json.Reset(bytes);
            WriteCollision(json, collision);
            json.Flush();
            if (chars.Length < bytes.WrittenCount)
                chars = new char[Math.Max(bytes.WrittenCount, chars.Length * 2)];
            var count = Encoding.UTF8.GetChars(bytes.WrittenSpan, chars);
            writer.Write(chars, 0, count);
            writer.Write('\n');
        }

        writer.Flush();
    }

    private static void WriteCollision(Utf8JsonWriter json, AuditCollision collision)
    {
        json.WriteStartObject();
        json.WriteString("rule", collision.Rule);
        json.WriteString("code", collision.Code);
        json.WriteString("verdict", ReplayJson.VerdictName(collision.Verdict));
        if (collision.NotChecked)
            json.WriteBoolean("notChecked", true);
        json.WriteString("at", collision.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        WriteParty(json, "record", collision.Record);
        if (collision.Other is { } other)
            WriteParty(json, "other", other);
        if (collision.Customer is { } customer)
            WriteParty(json, "customer", customer);
        if (collision.Score is { } score)
            json.WriteNumber("score", Math.Round(score, 4));
        if (collision.Evidence.Count > 0)
            WriteEvidence(json, collision.Evidence);

        if (collision.Redacted)
            json.WriteBoolean("redacted", true);
        json.WriteNumber("latencyMs", Math.Round(collision.LatencyMs, 3));
        json.WriteString("message", collision.Message);
        json.WriteEndObject();
    }

    /// <summary>Writes the evidence of a decision as the "evidence" array, field by field (the audit's and explain's format).</summary>
    public static void WriteEvidence(Utf8JsonWriter json, IEnumerable<MatchEvidence> evidence)
    {
        json.WriteStartArray("evidence");
        foreach (var item in evidence)
        {
            json.WriteStartObject();
            json.WriteString("field", item.Field);
            json.WriteString("detail", item.Detail);
            json.WriteNumber("weight", Math.Round(item.Weight, 2));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteParty(Utf8JsonWriter json, string name, AuditParty party)
    {
        json.WriteStartObject(name);
        json.WriteString("type", party.Type);
        json.WriteString("id", party.Id);
        if (party.OwnerId is not null)
            json.WriteString("ownerId", party.OwnerId);
        if (party.OwnerName is not null)
            json.WriteString("ownerName", party.OwnerName);
        if (party.Name is not null)
            json.WriteString("name", party.Name);
        if (party.Date is { } date)
            json.WriteString("date", date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteEndObject();
    }

    /// <summary>Reads an audit file; a line that does not follow the format stops the read, naming the file, the line and the field.</summary>
    /// <exception cref="BadInputException">The file cannot be read or a line is not a collision.</exception>
    public static List<AuditCollision> Read(TextReader reader, string file)
    {
        var collisions = new List<AuditCollision>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length > MaxLineChars)
                throw new BadInputException($"{file}:{number}: the line is longer than {MaxLineChars:N0} characters.");
            if (line.Trim().Length == 0)
                continue;
            collisions.Add(ReadLine(line, file, number));
        }

        return collisions;
    }

    private static AuditCollision ReadLine(string line, string file, int number)
    {
        string Where(string field) => $"{file}:{number}: {field}";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            throw new BadInputException($"{file}:{number}: not a JSON object (each line of an audit is one collision, see docs/admin.md).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new BadInputException($"{file}:{number}: not a JSON object (each line of an audit is one collision, see docs/admin.md).");
            var verdictText = RequiredString(root, "verdict", Where);
            var verdict = verdictText switch
            {
                "block" => Verdict.Block,
                "flag" => Verdict.Flag,
                "allow" => Verdict.Allow,
                _ => throw new BadInputException($"{Where("verdict")}: '{Cut(verdictText)}' is not one of allow, flag, block."),
            };
            var atText = RequiredString(root, "at", Where);
            if (!DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                throw new BadInputException($"{Where("at")}: '{Cut(atText)}' is not an ISO 8601 time.");
            var evidence = new List<MatchEvidence>();
            if (root.TryGetProperty("evidence", out var list))
            {
                if (list.ValueKind != JsonValueKind.Array)
                    throw new BadInputException($"{Where("evidence")}: must be an array.");
                var i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    var path = $"evidence[{i++}]";
                    if (item.ValueKind != JsonValueKind.Object)
                        throw new BadInputException($"{Where(path)}: must be an object.");
                    evidence.Add(new MatchEvidence(
                        RequiredString(item, "field", f => Where($"{path}.{f}")),
                        OptionalString(item, "detail", f => Where($"{path}.{f}")) ?? string.Empty,
                        OptionalNumber(item, "weight", f => Where($"{path}.{f}")) ?? 0));
                }
            }

            return new AuditCollision
            {
                Rule = RequiredString(root, "rule", Where),
                Code = OptionalString(root, "code", Where) ?? string.Empty,
                Verdict = verdict,
                NotChecked = OptionalBool(root, "notChecked", Where),
                At = at,
                Record = ReadParty(root, "record", Where) ?? throw new BadInputException($"{Where("record")}: is required."),
                Other = ReadParty(root, "other", Where),
                Customer = ReadParty(root, "customer", Where),
                Score = OptionalNumber(root, "score", Where),
                Evidence = evidence,
                Redacted = OptionalBool(root, "redacted", Where),
                LatencyMs = OptionalNumber(root, "latencyMs", Where) ?? 0,
                Message = OptionalString(root, "message", Where) ?? string.Empty,
            };
        }
    }

    private static AuditParty? ReadParty(JsonElement root, string name, Func<string, string> where)
    {
        if (!root.TryGetProperty(name, out var party) || party.ValueKind == JsonValueKind.Null)
            return null;
        if (party.ValueKind != JsonValueKind.Object)
            throw new BadInputException($"{where(name)}: must be an object.");
        Func<string, string> inner = f => where($"{name}.{f}");
        var dateText = OptionalString(party, "date", inner);
        DateTimeOffset? date = null;
        if (dateText is not null)
        {
            if (!DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                throw new BadInputException($"{inner("date")}: '{Cut(dateText)}' is not an ISO 8601 time.");
            date = parsed;
        }

        return new AuditParty
        {
            Type = RequiredString(party, "type", inner),
            Id = RequiredString(party, "id", inner),
            OwnerId = OptionalString(party, "ownerId", inner),
            OwnerName = OptionalString(party, "ownerName", inner),
            Name = OptionalString(party, "name", inner),
            Date = date,
        };
    }

    private static string RequiredString(JsonElement element, string name, Func<string, string> where) =>
        OptionalString(element, name, where) ?? throw new BadInputException($"{where(name)}: is required.");

    private static string? OptionalString(JsonElement element, string name, Func<string, string> where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new BadInputException($"{where(name)}: must be a string.");
        return value.GetString();
    }

    private static double? OptionalNumber(JsonElement element, string name, Func<string, string> where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            throw new BadInputException($"{where(name)}: must be a number.");
        return number;
    }

    private static bool OptionalBool(JsonElement element, string name, Func<string, string> where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return false;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new BadInputException($"{where(name)}: must be true or false."),
        };
    }

    private static string Cut(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
