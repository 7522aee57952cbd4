using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using CrmGuardrails.Hosting;
using Microsoft.AspNetCore.Http;

namespace CrmGuardrails.AspNetCore;

/// <summary>JSON in, a JSON verdict out: Dataverse webhooks and Salesforce Flow HTTP callouts.</summary>
internal sealed class JsonWebhookResponder : WebhookResponder
{
    public static readonly JsonWebhookResponder Instance = new();

    public override string ExpectedMediaType => "application/json";

    public override bool Accepts(string? contentType) => MediaTypeIs(contentType, mediaType =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
        mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase) ||
        mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    public override Task ErrorAsync(HttpContext http, int status, string error, string? field) =>
        WriteJsonAsync(http, status, w =>
        {
            w.WriteString("error", error);
            if (!string.IsNullOrEmpty(field))
                w.WriteString("field", field);
        });

    public override Task SkippedAsync(HttpContext http, GuardEvent saveEvent) =>
        WriteJsonAsync(http, StatusCodes.Status200OK, w =>
        {
            w.WriteString("verdict", "skipped");
            w.WriteString("reason", saveEvent.SkipReason);
            if (saveEvent.CorrelationId is not null)
                w.WriteString("correlationId", saveEvent.CorrelationId);
        });

    public override Task FailedAsync(HttpContext http, bool blocks, int blockStatus) =>
        WriteJsonAsync(http, blocks ? blockStatus : StatusCodes.Status200OK, w =>
        {
            w.WriteString("verdict", blocks ? "block" : "flag");
            w.WriteBoolean("notChecked", true);
            w.WriteString("message", "Not checked: the guard service failed. Try again or check by hand.");
        });

    public override Task CheckedAsync(HttpContext http, CheckedCall call)
    {
        var saveEvent = call.Event;
        return WriteJsonAsync(http, call.Status, w =>
        {
            w.WriteString("verdict", Name(call.Overall.Verdict));
            w.WriteString("message", call.Overall.Message);
            w.WriteString("mode", saveEvent.BeforeSave ? "sync" : "async");
            w.WriteString("event", saveEvent.Description);
            if (saveEvent.CorrelationId is not null)
                w.WriteString("correlationId", saveEvent.CorrelationId);
            if (call.Written is { } written)
            {
                w.WriteNumber("written", written.Written);
                w.WriteNumber("writesFailed", written.Failed);
            }

            w.WriteStartArray("records");
            foreach (var (request, result, _) in call.Records)
            {
                w.WriteStartObject();
                w.WriteString("table", request?.Table ?? request?.Record.Ref.KindName ?? string.Empty);
                w.WriteString("id", request?.Record.Id ?? string.Empty);
                w.WriteString("verdict", Name(result.Verdict));
                w.WriteString("message", result.Message);
                w.WriteStartArray("findings");
                foreach (var finding in result.Findings)
                {
                    w.WriteStartObject();
                    w.WriteString("rule", finding.RuleId);
                    w.WriteString("code", finding.Code);
                    w.WriteString("verdict", Name(finding.Verdict));
                    w.WriteString("message", finding.Message);
                    w.WriteBoolean("notChecked", finding.NotChecked);
                    if (finding.Collision is { } collision)
                    {
                        w.WriteStartObject("collision");
                        w.WriteString("kind", collision.Record.KindName);
                        w.WriteString("id", collision.Record.Id);
                        if (collision.OwnerId is not null)
                            w.WriteString("ownerId", collision.OwnerId);
                        if (collision.OwnerName is not null)
                            w.WriteString("ownerName", collision.OwnerName);
                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static Task WriteJsonAsync(HttpContext http, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return WriteAsync(http, status, "application/json; charset=utf-8", buffer.WrittenMemory);
    }

    private static string Name(Verdict verdict) => verdict switch
    {
        Verdict.Block => "block",
        Verdict.Flag => "flag",
        _ => "allow",
    };
}
