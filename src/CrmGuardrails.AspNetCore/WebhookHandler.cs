using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using CrmGuardrails.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace CrmGuardrails.AspNetCore;

/// <summary>
/// Answers one webhook call from any CRM: key, limits, the CRM's reader, the guards, the outcome written back, the answer.
/// Immutable; one instance per mapped endpoint. Everything CRM-specific is in the reader and the writer.
/// </summary>
internal sealed class WebhookHandler
{
    private const string FunctionsKeyHeader = "x-functions-key";
    private const string FunctionsKeyQuery = "code";
    private const int ChunkSize = 16 * 1024;

    private readonly string _host;
    private readonly WebhookEndpointOptions _options;
    private readonly IGuardEventReader _reader;
    private readonly Func<IServiceProvider, IGuardOutcomeWriter?> _writer;
    private readonly GuardPipeline _pipeline;
    private readonly ICrmDirectory? _directory;
    private readonly byte[][] _keyHashes;
    private readonly ILogger _logger;
    private readonly WebhookResponder _responder;

    public WebhookHandler(string host, WebhookEndpointOptions options, IGuardEventReader reader, Func<IServiceProvider, IGuardOutcomeWriter?> writer, GuardPipeline pipeline, ICrmDirectory? directory, ILogger logger)
    {
        _host = host;
        _options = options;
        _reader = reader;
        _writer = writer;
        _pipeline = pipeline;
        _directory = directory;
        _keyHashes = new[] { options.SharedKey, options.PreviousSharedKey }.OfType<string>().Select(Hash).ToArray();
        _logger = logger;
        _responder = WebhookResponder.For(options.ResponseFormat);
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
            // The CRM gave up (Dataverse waits 60 s) or the connection closed: nobody is left to answer.
        }
        catch (Exception ex)
        {
            // The boundary: never a 500. What is left is answered as "not checked", by the lookup-failure policy.
            WebhookLog.CheckFailed(_logger, ex, _host, null);
            if (!http.Response.HasStarted)
            {
                var blocks = _pipeline.Options.OnLookupFailure == LookupFailureVerdict.Block;
                await _responder.FailedAsync(http, blocks, _options.BlockStatusCode).ConfigureAwait(false);
            }
        }
    }

    private async Task HandleCoreAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var request = http.Request;

        // 1. The key, before a byte of the body is read.
        if (Authenticate(request) is { } refusal)
        {
            WebhookLog.Unauthorized(_logger, _host, refusal);
            await _responder.ErrorAsync(http, StatusCodes.Status401Unauthorized, refusal, null).ConfigureAwait(false);
            return;
        }

        // 2. The body's type and size.
        if (!_responder.Accepts(request.ContentType))
        {
            await RejectAsync(http, StatusCodes.Status400BadRequest,
                $"Content-Type must be {_responder.ExpectedMediaType}, not '{(string.IsNullOrEmpty(request.ContentType) ? "(none)" : request.ContentType)}'.").ConfigureAwait(false);
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

        // 3. The CRM's call.
        GuardEvent saveEvent;
        try
        {
            saveEvent = _reader.Read(body.Bytes, name => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null);
        }
        catch (GuardEventFormatException ex)
        {
            await RejectAsync(http, StatusCodes.Status400BadRequest, ex.Message, ex.Field).ConfigureAwait(false);
            return;
        }

        if (saveEvent.SkipReason is { } skip)
        {
            WebhookLog.Skipped(_logger, _host, skip, saveEvent.CorrelationId);
            await _responder.SkippedAsync(http, saveEvent).ConfigureAwait(false);
            return;
        }

        // 4. The guards, then what the CRM keeps of their outcome: each within the call's budget, however many records.
        IReadOnlyList<(GuardRequest? Request, GuardResult Result, GuardOutcome? Outcome)> outcomes;
        using (var checking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            checking.CancelAfter(_options.CallBudget);
            outcomes = await CheckAsync(saveEvent, checking.Token, cancellationToken).ConfigureAwait(false);
        }

        GuardWriteCounts? counts = null;
        if (!saveEvent.BeforeSave)
        {
            using var writing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            writing.CancelAfter(_options.CallBudget);
            counts = await WriteBackAsync(http.RequestServices, saveEvent, outcomes, writing.Token).ConfigureAwait(false);
        }

        await AnswerAsync(http, saveEvent, outcomes, counts).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<(GuardRequest? Request, GuardResult Result, GuardOutcome? Outcome)>> CheckAsync(GuardEvent saveEvent, CancellationToken budget, CancellationToken aborted)
    {
        var requests = saveEvent.Requests;
        var notChecked = saveEvent.NotCheckedReason ?? (_directory is null ? "no CRM directory is registered" : null);
        if (notChecked is not null)
            return NotChecked(requests, notChecked);

        var outOfTime = $"the call's time budget of {_options.CallBudget.TotalSeconds:0.#} s ran out before this record's turn";
        var results = new (GuardRequest?, GuardResult, GuardOutcome?)[requests.Count];
        async ValueTask CheckOneAsync(int i, CancellationToken token)
        {
            if (budget.IsCancellationRequested)
            {
                var outcome = _pipeline.NotCheckedOutcome(requests[i], outOfTime);
                results[i] = (requests[i], outcome.Result, outcome);
                return;
            }

            try
            {
                var outcome = await _pipeline.CheckAsync(requests[i], _directory!, budget).ConfigureAwait(false);
                results[i] = (requests[i], outcome.Result, outcome);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !aborted.IsCancellationRequested)
            {
                var outcome = _pipeline.NotCheckedOutcome(requests[i], outOfTime);
                results[i] = (requests[i], outcome.Result, outcome);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !aborted.IsCancellationRequested)
            {
                WebhookLog.CheckFailed(_logger, ex, _host, saveEvent.CorrelationId);
                results[i] = (requests[i], _pipeline.NotCheckedOutcome(requests[i], "the guard service failed").Result, null);
            }
        }

        if (requests.Count == 1)
            await CheckOneAsync(0, aborted).ConfigureAwait(false);
        else if (requests.Count > 1)
            await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentRecords, CancellationToken = aborted }, CheckOneAsync).ConfigureAwait(false);
        return results;
    }

    private IReadOnlyList<(GuardRequest? Request, GuardResult Result, GuardOutcome? Outcome)> NotChecked(IReadOnlyList<GuardRequest> requests, string reason)
    {
        if (requests.Count == 0)
            return [(null, _pipeline.NotChecked(reason), null)];
        return requests.Select(r => _pipeline.NotCheckedOutcome(r, reason)).Select(o => ((GuardRequest?)o.Request, o.Result, (GuardOutcome?)o)).ToList();
    }

    private async Task<GuardWriteCounts> WriteBackAsync(IServiceProvider services, GuardEvent saveEvent, IReadOnlyList<(GuardRequest? Request, GuardResult Result, GuardOutcome? Outcome)> results, CancellationToken cancellationToken)
    {
        var outcomes = results.Select(r => r.Outcome).OfType<GuardOutcome>().ToList();
        var hasWork = outcomes.Count > 0 || saveEvent.Saved.Count > 0 || saveEvent.Reread.Count > 0 || saveEvent.Deleted.Count > 0;
        if (!hasWork)
            return default;
        try
        {
            var writer = _writer(services);
            if (writer is null)
            {
                // Nothing to write with: flags of saves already made are lost, and the answer says so.
                var lost = outcomes.Count(o => o.Flag is not null);
                if (lost > 0)
                    WebhookLog.WriteFailed(_logger, new InvalidOperationException($"No outcome writer is registered for '{_host}'."), _host, saveEvent.CorrelationId);
                return new GuardWriteCounts(0, lost);
            }

            return await writer.WriteAsync(saveEvent, outcomes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            WebhookLog.WriteFailed(_logger, ex, _host, saveEvent.CorrelationId);
            return new GuardWriteCounts(0, Math.Max(1, outcomes.Count(o => o.Flag is not null)));
        }
    }

    private async Task AnswerAsync(HttpContext http, GuardEvent saveEvent, IReadOnlyList<(GuardRequest? Request, GuardResult Result, GuardOutcome? Outcome)> results, GuardWriteCounts? counts)
    {
        var records = results.Select(r => new CheckedRecord(r.Request, r.Result, r.Outcome)).ToList();
        var overall = GuardResult.Merge(records.Select(r => r.Result));

        // Before the save a non-2xx answer cancels it (Dataverse rolls back); after it, non-2xx only makes the CRM retry.
        var status = saveEvent.BeforeSave && overall.IsBlocked ? _options.BlockStatusCode : StatusCodes.Status200OK;
        var call = new CheckedCall(saveEvent, records, counts, status);
        WebhookLog.Checked(_logger, _host, saveEvent.Description, saveEvent.BeforeSave ? "sync" : "async", overall.Verdict, records.Count, status, saveEvent.CorrelationId);
        await _responder.CheckedAsync(http, call).ConfigureAwait(false);
    }

    private string? Authenticate(HttpRequest request)
    {
        StringValues presented;
        string expected;
        switch (_options.KeyLocation)
        {
            case WebhookKeyLocation.Header:
                presented = request.Headers[_options.KeyName];
                expected = $"the header '{_options.KeyName}'";
                break;
            case WebhookKeyLocation.Query:
                presented = request.Query[_options.KeyName];
                expected = $"the query parameter '{_options.KeyName}'";
                break;
            default:
                presented = request.Headers[FunctionsKeyHeader];
                if (StringValues.IsNullOrEmpty(presented))
                    presented = request.Query[FunctionsKeyQuery];
                expected = $"the query parameter '{FunctionsKeyQuery}' or the header '{FunctionsKeyHeader}'";
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
            return ([], $"the body is empty: expected the {_responder.ExpectedMediaType} body the CRM sends.", StatusCodes.Status400BadRequest);
        return (buffer.WrittenSpan.ToArray(), null, StatusCodes.Status200OK);
    }

    private async Task RejectAsync(HttpContext http, int status, string reason, string? field = null)
    {
        WebhookLog.Rejected(_logger, _host, status, reason);
        await _responder.ErrorAsync(http, status, reason, field).ConfigureAwait(false);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
