using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace CrmGuardrails.AspNetCore;

/// <summary>Answers one Dataverse webhook call: key, limits, context, guards, answer. Immutable; one instance per mapped endpoint.</summary>
internal sealed class DataverseWebhookHandler
{
    internal const string SizeExceededHeader = "x-ms-dynamics-msg-size-exceeded";
    private const string WebhookKeyHeader = "x-functions-key";
    private const string WebhookKeyQuery = "code";
    private const int ChunkSize = 16 * 1024;

    private readonly DataverseWebhookOptions _options;
    private readonly DataverseContextReader _reader;
    private readonly byte[][] _keyHashes;
    private readonly ILogger _logger;

    public DataverseWebhookHandler(DataverseWebhookOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _reader = new DataverseContextReader(options.Mapping);
        _keyHashes = new[] { options.SharedKey, options.PreviousSharedKey }.OfType<string>().Select(Hash).ToArray();
        _logger = loggerFactory.CreateLogger("CrmGuardrails.AspNetCore.DataverseWebhook");
    }

    public async Task HandleAsync(HttpContext http)
    {
        var aborted = http.RequestAborted;
        try
        {
            await HandleCoreAsync(http, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // Dataverse gave up (60 s timeout) or the connection closed: nobody is left to answer.
        }
        catch (Exception ex)
        {
            // The boundary: never a 500. What is left is answered as "not checked", by the lookup-failure policy.
            WebhookLog.CheckFailed(_logger, ex, null);
            if (!http.Response.HasStarted)
            {
                var pipeline = http.RequestServices.GetService<GuardPipeline>();
                var blocks = pipeline?.Options.OnLookupFailure == LookupFailureVerdict.Block;
                await WriteJsonAsync(http, blocks ? _options.BlockStatusCode : StatusCodes.Status200OK, w =>
                {
                    w.WriteString("verdict", blocks ? "block" : "flag");
                    w.WriteBoolean("notChecked", true);
                    w.WriteString("message", "Not checked: the guard service failed. Try again or check by hand.");
                }).ConfigureAwait(false);
            }
        }
    }

    private async Task HandleCoreAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var request = http.Request;

        // 1. The key, before a byte of the body is read.
        if (Authenticate(request) is { } refusal)
        {
            WebhookLog.Unauthorized(_logger, refusal);
            await WriteErrorAsync(http, StatusCodes.Status401Unauthorized, refusal).ConfigureAwait(false);
            return;
        }

        // 2. What Dataverse says about the body, then the body's type and size.
        var sizeExceeded = request.Headers.ContainsKey(SizeExceededHeader);
        if (sizeExceeded && _options.OversizedContext == DataverseOversizedContextResponse.Reject)
        {
            await RejectAsync(http, StatusCodes.Status413PayloadTooLarge,
                "the execution context exceeded 256 KB and Dataverse removed its data (x-ms-dynamics-msg-size-exceeded), so the record cannot be checked.").ConfigureAwait(false);
            return;
        }

        if (!IsJson(request.ContentType))
        {
            await RejectAsync(http, StatusCodes.Status400BadRequest,
                $"Content-Type must be application/json, not '{(string.IsNullOrEmpty(request.ContentType) ? "(none)" : request.ContentType)}'.").ConfigureAwait(false);
            return;
        }

        if (request.ContentLength > _options.MaxBodyBytes)
        {
            await RejectAsync(http, StatusCodes.Status413PayloadTooLarge, $"the body is {request.ContentLength} bytes; the limit is {_options.MaxBodyBytes}.").ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (body.Error is { } bodyError)
        {
            await RejectAsync(http, body.Status, bodyError).ConfigureAwait(false);
            return;
        }

        // 3. The context.
        DataverseExecutionContext context;
        try
        {
            context = _reader.ReadContext(body.Bytes);
        }
        catch (DataverseContextFormatException ex)
        {
            WebhookLog.Rejected(_logger, StatusCodes.Status400BadRequest, ex.Message);
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, ex.Message, ex.Field).ConfigureAwait(false);
            return;
        }

        if (context.Mode is not (0 or 1))
        {
            await RejectAsync(http, StatusCodes.Status400BadRequest, $"Mode: expected 0 (synchronous) or 1 (asynchronous), found {context.Mode}.", "Mode").ConfigureAwait(false);
            return;
        }

        if (context.Depth > _options.MaxDepth)
        {
            await SkipAsync(http, context, $"depth {context.Depth} is over the configured maximum of {_options.MaxDepth} (a save made by a plug-in, a flow or a flag write)").ConfigureAwait(false);
            return;
        }

        if (DataverseContextReader.OperationOf(context.MessageName) is null)
        {
            await SkipAsync(http, context, $"the {context.MessageName} message is not checked (register Create, CreateMultiple and Update)").ConfigureAwait(false);
            return;
        }

        if (!_reader.IsMapped(context.PrimaryEntityName))
        {
            await SkipAsync(http, context, $"the {context.PrimaryEntityName} table is not checked").ConfigureAwait(false);
            return;
        }

        var pipeline = http.RequestServices.GetRequiredService<GuardPipeline>();
        var directory = http.RequestServices.GetService<ICrmDirectory>();
        if (sizeExceeded || directory is null)
        {
            var reason = sizeExceeded
                ? "the execution context exceeded 256 KB and Dataverse removed the record from it"
                : "no CRM directory is registered";
            var notChecked = NotChecked(pipeline, reason);
            var records = context.PrimaryEntityId is { Length: > 0 } primaryId
                ? [(context.PrimaryEntityName, new RecordRef(_reader.KindOf(context.PrimaryEntityName), primaryId), notChecked, (int?)null)]
                : new List<(string, RecordRef, GuardResult, int?)> { (context.PrimaryEntityName, new RecordRef(_reader.KindOf(context.PrimaryEntityName), string.Empty), notChecked, null) };
            await AnswerAsync(http, context, records, cancellationToken).ConfigureAwait(false);
            return;
        }

        // 4. The guards.
        CrmRecord? current = null;
        if (context.MessageName == "Update" && context.PreImage is null && context.Targets is [{ Id.Length: > 0 } target])
        {
            // Bounded like the guards: a throttled or dead organisation must not hold the answer beyond the budget.
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(pipeline.Options.TimeBudget);
            try
            {
                current = await directory.GetAsync(new RecordRef(_reader.KindOf(target.LogicalName), target.Id), budget.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                WebhookLog.CheckFailed(_logger, ex, context.CorrelationId);
            }
        }

        IReadOnlyList<GuardRequest> requests;
        try
        {
            requests = _reader.ToRequests(context, _ => current);
        }
        catch (DataverseContextFormatException ex)
        {
            WebhookLog.Rejected(_logger, StatusCodes.Status400BadRequest, ex.Message);
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, ex.Message, ex.Field).ConfigureAwait(false);
            return;
        }

        if (requests.Count == 0)
        {
            await SkipAsync(http, context, "the context holds no record to check (no Target, or rows of tables that are not checked)").ConfigureAwait(false);
            return;
        }

        var results = new List<(string Table, RecordRef Record, GuardResult Result, int? RescheduleCount)>(requests.Count);
        var tables = context.Targets.Where(t => _reader.IsMapped(t.LogicalName)).Select(t => t.LogicalName).ToList();
        for (var i = 0; i < requests.Count; i++)
        {
            GuardResult result;
            try
            {
                result = await pipeline.EvaluateAsync(requests[i], directory, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                WebhookLog.CheckFailed(_logger, ex, context.CorrelationId);
                result = NotChecked(pipeline, "the guard service failed");
            }

            results.Add((i < tables.Count ? tables[i] : context.PrimaryEntityName, requests[i].Record.Ref, result, NewRescheduleCount(context, requests[i])));
        }

        await AnswerAsync(http, context, results, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The count to store when an Update moved an activity's scheduled start: the pre-image's count plus one. Only when the
    /// count column is mapped and the previous state came from the pre-image (the directory does not read the column).
    /// </summary>
    private int? NewRescheduleCount(DataverseExecutionContext context, GuardRequest request) =>
        _options.Mapping.RescheduleCountColumn is not null && context.PreImage is not null &&
        request is { Operation: GuardOperation.Update, Record: Activity { ScheduledStart: { } after }, Previous: Activity { ScheduledStart: { } before } previous } &&
        before != after
            ? previous.RescheduleCount + 1
            : null;

    private async Task AnswerAsync(HttpContext http, DataverseExecutionContext context, IReadOnlyList<(string Table, RecordRef Record, GuardResult Result, int? RescheduleCount)> results, CancellationToken cancellationToken)
    {
        var overall = GuardResult.Merge(results.Select(r => r.Result));
        int written = 0, failed = 0, unwritable = 0;
        int status;
        if (context.IsSynchronous)
        {
            // A non-2xx answer cancels (rolls back) the save; Dataverse shows its generic "Endpoint unavailable" dialog.
            status = overall.IsBlocked ? _options.BlockStatusCode : StatusCodes.Status200OK;
        }
        else
        {
            // After the save: nothing to cancel. Flags are written back; the answer is always 200 (non-2xx only makes Dataverse retry).
            status = StatusCodes.Status200OK;
            var writer = http.RequestServices.GetService<IDataverseFlagWriter>();
            foreach (var (table, record, result, rescheduleCount) in results)
            {
                if (writer is null || (result.Verdict == Verdict.Allow && rescheduleCount is null))
                    continue;
                if (record.Id.Length == 0)
                {
                    unwritable++;
                    WebhookLog.FlagWithoutId(_logger, table, context.CorrelationId);
                    continue;
                }

                var flagContext = new DataverseFlagContext(table, context.ActingUserId ?? string.Empty, context.CorrelationId) { RescheduleCount = rescheduleCount };
                if (result.Verdict == Verdict.Allow)
                {
                    // A move that raised no flag: only the count is stored, so that the next move is counted right.
                    try
                    {
                        await writer.WriteRescheduleCountAsync(record, flagContext, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        failed++;
                        WebhookLog.FlagWriteFailed(_logger, ex, table, record.Id, context.CorrelationId);
                    }

                    continue;
                }

                try
                {
                    await writer.WriteFlagAsync(record, result, flagContext, cancellationToken).ConfigureAwait(false);
                    foreach (var finding in result.Findings)
                    {
                        foreach (var recipient in finding.NotifyUserIds.Distinct(StringComparer.Ordinal))
                            await writer.NotifyOwnerAsync(recipient, record, finding, flagContext, cancellationToken).ConfigureAwait(false);
                    }

                    written++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failed++;
                    WebhookLog.FlagWriteFailed(_logger, ex, table, record.Id, context.CorrelationId);
                }
            }
        }

        WebhookLog.Checked(_logger, context.MessageName, context.PrimaryEntityName, context.IsSynchronous ? "sync" : "async", overall.Verdict, results.Count, status, context.CorrelationId);
        await WriteJsonAsync(http, status, w =>
        {
            w.WriteString("verdict", Name(overall.Verdict));
            w.WriteString("message", overall.Message);
            w.WriteString("mode", context.IsSynchronous ? "sync" : "async");
            w.WriteString("messageName", context.MessageName);
            if (context.CorrelationId is not null)
                w.WriteString("correlationId", context.CorrelationId);
            if (!context.IsSynchronous)
            {
                w.WriteNumber("flagsWritten", written);
                w.WriteNumber("flagsFailed", failed + unwritable);
            }

            w.WriteStartArray("records");
            foreach (var (table, record, result, _) in results)
            {
                w.WriteStartObject();
                w.WriteString("table", table);
                w.WriteString("id", record.Id);
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
        }).ConfigureAwait(false);
    }

    private string? Authenticate(HttpRequest request)
    {
        StringValues presented;
        string expected;
        switch (_options.AuthType)
        {
            case DataverseWebhookAuthType.HttpHeader:
                presented = request.Headers[_options.KeyName];
                expected = $"the header '{_options.KeyName}'";
                break;
            case DataverseWebhookAuthType.HttpQueryString:
                presented = request.Query[_options.KeyName];
                expected = $"the query parameter '{_options.KeyName}'";
                break;
            default:
                presented = request.Headers[WebhookKeyHeader];
                if (StringValues.IsNullOrEmpty(presented))
                    presented = request.Query[WebhookKeyQuery];
                expected = $"the query parameter '{WebhookKeyQuery}' or the header '{WebhookKeyHeader}'";
                break;
        }

        if (StringValues.IsNullOrEmpty(presented))
            return $"missing shared key: send it in {expected}.";
        if (presented.Count != 1)
            return $"the shared key was sent more than once in {expected}.";

        var hash = Hash(presented[0]!);
        var match = false;
        foreach (var key in _keyHashes)
            match |= CryptographicOperations.FixedTimeEquals(hash, key);
        return match ? null : "the shared key is not valid.";
    }

    private async Task<(byte[] Bytes, string? Error, int Status)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = _options.MaxBodyBytes;
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? ChunkSize, limit) + 1);
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(buffer.GetMemory(ChunkSize), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    break;
                buffer.Advance(read);
                if (buffer.WrittenCount > limit)
                    return ([], $"the body is larger than the limit of {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
            }
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException)
        {
            return ([], "the body could not be read (the connection broke or the body was shorter than its Content-Length).", StatusCodes.Status400BadRequest);
        }

        if (buffer.WrittenCount == 0)
            return ([], "the body is empty: expected a RemoteExecutionContext JSON object.", StatusCodes.Status400BadRequest);
        return (buffer.WrittenSpan.ToArray(), null, StatusCodes.Status200OK);
    }

    private async Task SkipAsync(HttpContext http, DataverseExecutionContext context, string reason)
    {
        WebhookLog.Skipped(_logger, reason, context.CorrelationId);
        await WriteJsonAsync(http, StatusCodes.Status200OK, w =>
        {
            w.WriteString("verdict", "skipped");
            w.WriteString("reason", reason);
            if (context.CorrelationId is not null)
                w.WriteString("correlationId", context.CorrelationId);
        }).ConfigureAwait(false);
    }

    private async Task RejectAsync(HttpContext http, int status, string reason, string? field = null)
    {
        WebhookLog.Rejected(_logger, status, reason);
        await WriteErrorAsync(http, status, reason, field).ConfigureAwait(false);
    }

    private static Task WriteErrorAsync(HttpContext http, int status, string error, string? field = null) =>
        WriteJsonAsync(http, status, w =>
        {
            w.WriteString("error", error);
            if (!string.IsNullOrEmpty(field))
                w.WriteString("field", field);
        });

    private static async Task WriteJsonAsync(HttpContext http, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = buffer.WrittenCount;
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
    }

    private static GuardResult NotChecked(GuardPipeline pipeline, string reason) => new(
    [
        new GuardFinding
        {
            RuleId = "dataverse-webhook",
            Code = GuardCodes.NotChecked,
            Verdict = pipeline.Options.OnLookupFailure == LookupFailureVerdict.Block ? Verdict.Block : Verdict.Flag,
            NotChecked = true,
            Message = $"Not checked: {reason}, so no rule could look for collisions. Try again or check by hand.",
            MessageArguments = new Dictionary<string, string> { ["Reason"] = reason },
        },
    ]);

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
            return false;
        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
               mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase) ||
               mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static string Name(Verdict verdict) => verdict switch
    {
        Verdict.Block => "block",
        Verdict.Flag => "flag",
        _ => "allow",
    };

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
