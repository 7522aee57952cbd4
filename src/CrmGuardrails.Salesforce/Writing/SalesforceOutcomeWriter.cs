using System.Text.Json.Nodes;
using CrmGuardrails.Hosting;
using CrmGuardrails.Salesforce.Keys;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Schema = CrmGuardrails.Salesforce.SalesforceSchema;

namespace CrmGuardrails.Salesforce.Writing;

/// <summary>
/// Writes the outcomes of checked Salesforce saves back to the org (the <c>salesforce</c> host's
/// <see cref="IGuardOutcomeWriter"/>): the verdict on the record and one Task for each person to tell, in one
/// <c>composite</c> call a record; and keeps the match keys of saved, re-read and deleted records current.
/// </summary>
/// <remarks>
/// Idempotent, as an at-least-once delivery (Outbound Messages: "can be delivered ... more than once", salesforce.md
/// §2.6) needs: the verdict is set, not added; each task is upserted by a key made of the save, the record, the
/// recipient and the finding. A record whose verdict is allowed has an earlier flag cleared.
/// </remarks>
public sealed class SalesforceOutcomeWriter : IGuardOutcomeWriter
{
    /// <summary>The key the writer is registered under (<c>AddKeyedSingleton</c>), as the webhook endpoint names hosts.</summary>
    public const string HostKey = "salesforce";

    private readonly SalesforceRestApi _api;
    private readonly SalesforceMatchKeyWriter _keys;
    private readonly SalesforceDirectoryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="SalesforceOutcomeWriter"/> class.</summary>
    /// <param name="httpClient">A client that signs in and retries (the one <c>AddCrmGuardrailsSalesforce</c> registers).</param>
    /// <param name="keys">The match-key writer.</param>
    /// <param name="options">The org's options.</param>
    /// <param name="logger">Logs failed writes.</param>
    /// <param name="time">The clock; the system's when <see langword="null"/>.</param>
    public SalesforceOutcomeWriter(HttpClient httpClient, SalesforceMatchKeyWriter keys, IOptions<SalesforceDirectoryOptions> options, ILogger<SalesforceOutcomeWriter> logger, TimeProvider? time = null)
        : this(httpClient is null ? throw new ArgumentNullException(nameof(httpClient)) : () => httpClient, keys, options, logger, time)
    {
    }

    internal SalesforceOutcomeWriter(Func<HttpClient> clients, SalesforceMatchKeyWriter keys, IOptions<SalesforceDirectoryOptions> options, ILogger logger, TimeProvider? time)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        _options = options.Value.Clone();
        _options.ThrowIfInvalid();
        _api = new SalesforceRestApi(clients, _options);
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async ValueTask<GuardWriteCounts> WriteAsync(GuardEvent saveEvent, IReadOnlyList<GuardOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (saveEvent is null)
            throw new ArgumentNullException(nameof(saveEvent));
        if (outcomes is null)
            throw new ArgumentNullException(nameof(outcomes));
        int written = 0, failed = 0;
        foreach (var outcome in outcomes)
        {
            var sObject = SalesforceFlagWriter.ObjectOf(outcome) ?? outcome.Record.KindName;
            var id = outcome.Record.Id;
            try
            {
                if (await WriteOneAsync(saveEvent, outcome, sObject, id, cancellationToken).ConfigureAwait(false))
                    written++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed++;
                Log.WriteFailed(_logger, ex, sObject, id, saveEvent.CorrelationId);
            }
        }

        try
        {
            await _keys.KeepCurrentAsync(saveEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Counted once: the records' flags were written; what failed is keeping their keys current.
            failed++;
            Log.KeysFailed(_logger, ex, saveEvent.CorrelationId);
        }

        return new GuardWriteCounts(written, failed);
    }

    private async Task<bool> WriteOneAsync(GuardEvent saveEvent, GuardOutcome outcome, string sObject, string id, CancellationToken cancellationToken)
    {
        if (!SalesforceIds.IsWellFormed(id, _options.AcceptGuidIds))
        {
            if (outcome.Flag is not null)
                throw new SalesforceException($"The flagged {sObject} has no Salesforce id ('{id}'): only a saved record can be flagged.");
            return false;
        }

        var calls = new JsonArray();
        var flagged = SalesforceFlagWriter.HasFlagFields(sObject);
        // Shadow mode clears nothing (ClearsFlag): a flag a rule in shadow would still raise stays as it is.
        var clearing = outcome.ClearsFlag && saveEvent.FlaggedBefore.Contains(id, StringComparer.OrdinalIgnoreCase);
        if (flagged && (outcome.Flag is not null || clearing || outcome.RescheduleCount is not null))
        {
            calls.Add(Call("PATCH", $"{_api.Root}sobjects/{sObject}/{Uri.EscapeDataString(id)}", "flag", SalesforceFlagWriter.FlagFields(outcome, _time.GetUtcNow(), _options.Mapping.RescheduleCountField)));
        }

        // Only a save that happened is worth telling anyone about.
        if (outcome.Flag is not null)
        {
            var scope = saveEvent.CorrelationId ?? outcome.Request.CorrelationId ?? string.Empty;
            var n = 0;
            foreach (var (key, fields) in SalesforceFlagWriter.Tasks(outcome, sObject, id, scope + "|" + id))
                calls.Add(Call("PATCH", "/services/data/" + SalesforceFlagWriter.TaskUpsertUrl(_api.ApiVersion, key), "task" + n++, fields));
        }

        if (calls.Count == 0)
            return false;
        using var answer = await _api.SendAsync(HttpMethod.Post, _api.Root + "composite", new JsonObject { ["allOrNone"] = false, ["compositeRequest"] = calls }, idempotent: true, "the verdict write-back", cancellationToken).ConfigureAwait(false);
        SalesforceComposite.ThrowIfAnyFailed(answer!.RootElement, "the verdict write-back");
        return true;
    }

    private static JsonObject Call(string method, string url, string reference, JsonObject body) =>
        new() { ["method"] = method, ["url"] = url, ["referenceId"] = reference, ["body"] = body };
}

/// <summary>Reads <c>composite</c> answers: <c>{"compositeResponse":[{body, httpHeaders, httpStatusCode, referenceId}]}</c> (salesforce.md §3.3).</summary>
internal static class SalesforceComposite
{
    public static IEnumerable<(string Reference, int Status, System.Text.Json.JsonElement Body)> Responses(System.Text.Json.JsonElement root)
    {
        if (root.ValueKind != System.Text.Json.JsonValueKind.Object || !root.TryGetProperty("compositeResponse", out var list) || list.ValueKind != System.Text.Json.JsonValueKind.Array)
            throw new SalesforceException("Salesforce answered a composite request without 'compositeResponse'.");
        foreach (var item in list.EnumerateArray())
        {
            var reference = item.TryGetProperty("referenceId", out var r) ? r.GetString() ?? string.Empty : string.Empty;
            var status = item.TryGetProperty("httpStatusCode", out var s) && s.TryGetInt32(out var code) ? code : 0;
            yield return (reference, status, item.TryGetProperty("body", out var body) ? body : default);
        }
    }

    public static void ThrowIfAnyFailed(System.Text.Json.JsonElement root, string what)
    {
        foreach (var (_, status, body) in Responses(root))
        {
            if (status >= 400)
                throw SalesforceRestApi.ErrorOf((System.Net.HttpStatusCode)status, body, what);
        }
    }
}
