using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CrmGuardrails.Decisions;

/// <summary>
/// The one JSON form of a <see cref="DecisionRecord"/>: what the decision logs store and what a JSON Lines export writes.
/// Field names are stable; enums are written as lower-case words (<c>block</c>, <c>update</c>, <c>lead</c>).
/// </summary>
public static class DecisionJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a decision as one line of JSON.</summary>
    /// <param name="record">The decision.</param>
    /// <returns>The JSON, without line breaks.</returns>
    public static string Serialize(DecisionRecord record)
    {
        if (record is null)
            throw new ArgumentNullException(nameof(record));
        using var buffer = new MemoryStream(1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("id", record.Id);
            w.WriteString("time", record.Time.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
            w.WriteString("host", record.Host);
            w.WriteString("operation", record.Operation == GuardOperation.Update ? "update" : "create");
            w.WriteString("kind", record.Record.KindName);
            w.WriteString("recordId", record.Record.Id);
            WriteOptional(w, "table", record.Table);
            w.WriteString("userId", record.UserId);
            WriteOptional(w, "ownerId", record.OwnerId);
            w.WriteString("verdict", Name(record.Verdict));
            w.WriteString("applied", Name(record.AppliedVerdict));
            w.WriteBoolean("checked", record.Checked);
            WriteOptional(w, "notCheckedReason", record.NotCheckedReason);
            w.WriteBoolean("shadowMode", record.ShadowMode);
            w.WriteNumber("latencyMs", record.LatencyMs);
            WriteOptional(w, "correlationId", record.CorrelationId);
            WriteOptional(w, "recordName", record.RecordName);
            w.WriteStartArray("findings");
            foreach (var f in record.Findings)
            {
                w.WriteStartObject();
                w.WriteString("rule", f.RuleId);
                w.WriteString("code", f.Code);
                w.WriteString("verdict", Name(f.Verdict));
                w.WriteBoolean("shadow", f.Shadow);
                w.WriteBoolean("notChecked", f.NotChecked);
                WriteOptional(w, "notCheckedReason", f.NotCheckedReason);
                w.WriteString("message", f.Message);
                if (f.Score is { } score)
                    w.WriteNumber("score", score);
                w.WriteStartArray("related");
                foreach (var r in f.Related)
                {
                    w.WriteStartObject();
                    w.WriteString("kind", r.Record.KindName);
                    w.WriteString("id", r.Record.Id);
                    WriteOptional(w, "ownerId", r.OwnerId);
                    WriteOptional(w, "ownerName", r.OwnerName);
                    WriteOptional(w, "name", r.Name);
                    if (r.Date is { } date)
                        w.WriteString("date", date.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("evidence");
                foreach (var e in f.Evidence)
                {
                    w.WriteStartObject();
                    w.WriteString("field", e.Field);
                    w.WriteString("detail", e.Detail);
                    w.WriteNumber("weight", e.Weight);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads a decision written by <see cref="Serialize"/>.</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="FormatException">The text is not a decision's JSON; the message names the field.</exception>
    public static DecisionRecord Deserialize(string json)
    {
        if (json is null)
            throw new ArgumentNullException(nameof(json));
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new DecisionRecord
            {
                Id = Text(root, "id"),
                Time = Time(root, "time"),
                Host = Text(root, "host"),
                Operation = Text(root, "operation") == "update" ? GuardOperation.Update : GuardOperation.Create,
                Record = new RecordRef(Kind(Text(root, "kind")), Text(root, "recordId")),
                Table = Optional(root, "table"),
                UserId = Text(root, "userId"),
                OwnerId = Optional(root, "ownerId"),
                Verdict = ParseVerdict(Text(root, "verdict"), "verdict"),
                AppliedVerdict = ParseVerdict(Text(root, "applied"), "applied"),
                Checked = root.GetProperty("checked").GetBoolean(),
                NotCheckedReason = Optional(root, "notCheckedReason"),
                ShadowMode = root.GetProperty("shadowMode").GetBoolean(),
                LatencyMs = root.GetProperty("latencyMs").GetDouble(),
                CorrelationId = Optional(root, "correlationId"),
                RecordName = Optional(root, "recordName"),
                Findings = root.GetProperty("findings").EnumerateArray().Select(f => new DecisionFinding
                {
                    RuleId = Text(f, "rule"),
                    Code = Text(f, "code"),
                    Verdict = ParseVerdict(Text(f, "verdict"), "findings.verdict"),
                    Shadow = f.GetProperty("shadow").GetBoolean(),
                    NotChecked = f.GetProperty("notChecked").GetBoolean(),
                    NotCheckedReason = Optional(f, "notCheckedReason"),
                    Message = Text(f, "message"),
                    Score = f.TryGetProperty("score", out var score) ? score.GetDouble() : null,
                    Related = f.GetProperty("related").EnumerateArray().Select(r => new DecisionRelated(new RecordRef(Kind(Text(r, "kind")), Text(r, "id")), Optional(r, "ownerId"))
                    {
                        OwnerName = Optional(r, "ownerName"),
                        Name = Optional(r, "name"),
                        Date = r.TryGetProperty("date", out _) ? Time(r, "date") : null,
                    }).ToList(),
                    Evidence = f.GetProperty("evidence").EnumerateArray().Select(e => new DecisionEvidence(Text(e, "field"), Text(e, "detail"), e.GetProperty("weight").GetDouble())).ToList(),
                }).ToList(),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"Not a decision record: {ex.Message}", ex);
        }
    }

    /// <summary>Gets the word a log stores for a verdict: <c>allow</c>, <c>flag</c> or <c>block</c>.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>The word.</returns>
    public static string Name(Verdict verdict) => verdict switch
    {
        Verdict.Block => "block",
        Verdict.Flag => "flag",
        _ => "allow",
    };

    private static Verdict ParseVerdict(string text, string field) => text switch
    {
        "block" => Verdict.Block,
        "flag" => Verdict.Flag,
        "allow" => Verdict.Allow,
        _ => throw new FormatException($"Not a decision record: {field} is '{text}', not allow, flag or block."),
    };

    private static RecordKind Kind(string name) => name switch
    {
        "account" => RecordKind.Account,
        "contact" => RecordKind.Contact,
        "lead" => RecordKind.Lead,
        "activity" => RecordKind.Activity,
        "user" => RecordKind.User,
        _ => RecordKind.Unknown,
    };

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString() ?? string.Empty;

    private static string? Optional(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static DateTimeOffset Time(JsonElement element, string name) =>
        DateTimeOffset.Parse(Text(element, name), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
            w.WriteString(name, value);
    }
}

/// <summary>Where a page of an <see cref="IDecisionLog"/> ended: the last decision's time and id, as a token for the next query.</summary>
public static class DecisionContinuation
{
    /// <summary>Makes the token that continues after a decision.</summary>
    /// <param name="last">The last decision of the page.</param>
    /// <returns>The token.</returns>
    public static string After(DecisionRecord last)
    {
        if (last is null)
            throw new ArgumentNullException(nameof(last));
        return last.Time.ToUniversalTime().UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + last.Id;
    }

    /// <summary>Reads a token made by <see cref="After"/>.</summary>
    /// <param name="token">The token.</param>
    /// <returns>The time (UTC ticks) and id to continue after.</returns>
    /// <exception cref="ArgumentException">The token was not made by <see cref="After"/>.</exception>
    public static (long UtcTicks, string Id) Parse(string token)
    {
        var colon = token?.IndexOf(':') ?? -1;
        if (colon <= 0 || !long.TryParse(token!.Substring(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || colon == token.Length - 1)
            throw new ArgumentException($"'{token}' is not a continuation token of the decision log.", nameof(token));
        return (ticks, token.Substring(colon + 1));
    }
}
