using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CrmGuardrails.Embedded;

/// <summary>Writes replay verdicts as JSON Lines (format 3 of docs/formats.md).</summary>
public static class ReplayJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Formats one verdict as one line of JSON (without the line break).</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>The line.</returns>
    public static string Format(ReplayVerdict verdict)
    {
        if (verdict is null)
            throw new ArgumentNullException(nameof(verdict));
        var result = verdict.Result;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("event", verdict.Event);
            json.WriteString("verdict", VerdictName(result.Verdict));
            json.WriteStartArray("rules");
            foreach (var rule in result.Rules)
                json.WriteStringValue(rule);
            json.WriteEndArray();
            json.WriteStartArray("collisions");
            foreach (var finding in result.Findings)
            {
                json.WriteStartObject();
                json.WriteString("rule", finding.RuleId);
                if (finding.Collision is { } collision)
                {
                    json.WriteString("recordType", collision.Record.KindName);
                    json.WriteString("recordId", collision.Record.Id);
                    if (collision.OwnerId is not null)
                        json.WriteString("ownerId", collision.OwnerId);
                    if (collision.Score is { } score)
                        json.WriteNumber("score", Math.Round(score, 3));
                }

                if (finding.NotChecked)
                    json.WriteBoolean("notChecked", true);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("message", result.Message);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Gets the lower-case name of a verdict, as the formats write it.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns><c>allow</c>, <c>flag</c> or <c>block</c>.</returns>
    public static string VerdictName(Verdict verdict) => verdict switch
    {
        Verdict.Block => "block",
        Verdict.Flag => "flag",
        _ => "allow",
    };
}
