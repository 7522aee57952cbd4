using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmGuardrails.Salesforce.Http;

namespace CrmGuardrails.Salesforce;

/// <summary>A record of a REST answer, read by field API name or relationship path (<c>Owner.Name</c>).</summary>
internal readonly struct SalesforceRow(JsonElement record)
{
    /// <summary>Gets the record's object (its <c>attributes.type</c>).</summary>
    public string? Type => record.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object &&
                           attributes.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    /// <summary>A field's value as text (booleans and numbers as JSON writes them), or <see langword="null"/>.</summary>
    public string? Field(string path)
    {
        var current = record;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !TryGetIgnoringCase(current, part, out current))
                return null;
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => current.GetRawText(),
            _ => null,
        };
    }

    private static bool TryGetIgnoringCase(JsonElement element, string name, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value))
            return true;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }
}

/// <summary>One subrequest of a <c>composite/batch</c>: a URL relative to <c>/services/data/</c> and, for writes, a body.</summary>
internal sealed record BatchCall(string Method, string Url, JsonObject? Body = null)
{
    public static BatchCall Query(string apiVersion, string soql) => new("GET", "v" + apiVersion + "/query?q=" + Uri.EscapeDataString(soql));
}

/// <summary>One answer of a <c>composite/batch</c>: its status and result (an object, an error array, or nothing).</summary>
internal sealed record BatchAnswer(int StatusCode, JsonElement Result)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public BatchAnswer ThrowIfFailed(string what) =>
        IsSuccess ? this : throw SalesforceRestApi.ErrorOf((HttpStatusCode)StatusCode, Result, what);
}

/// <summary>The result of a create: the new id, or the errors (<c>DUPLICATES_DETECTED</c> with its <c>duplicateResult</c> among them).</summary>
internal sealed record SaveAnswer(string? Id, HttpStatusCode StatusCode, JsonElement Errors);

/// <summary>
/// The thin REST client of the package: queries with paging, <c>composite/batch</c>, creates and updates — every
/// answer checked, every error turned into a <see cref="SalesforceException"/> naming Salesforce's <c>errorCode</c>.
/// </summary>
/// <remarks>
/// Shapes (salesforce.md §3.1–3.4): a query answers <c>totalSize</c>, <c>done</c>, <c>records[]</c> and, when not done,
/// <c>nextRecordsUrl</c> ("GET it with no parameters, repeat until done"); "Composite Batch: ≤25 subrequests ...
/// independent; each subrequest counts against rate limits"; errors are "JSON array
/// <c>[{"message":…, "errorCode":…, "fields":[…]?}]</c>".
/// </remarks>
internal sealed class SalesforceRestApi(Func<HttpClient> clients, SalesforceDirectoryOptions options)
{
    /// <summary>"≤25 subrequests" per <c>composite/batch</c>.</summary>
    public const int MaxBatchCalls = 25;

    public string ApiVersion => options.ApiVersion;

    public string Root => "/services/data/v" + options.ApiVersion + "/";

    /// <summary>Runs a query and reads up to <paramref name="max"/> records, following <c>nextRecordsUrl</c>.</summary>
    public async Task<List<T>> QueryAsync<T>(string soql, int max, Func<SalesforceRow, T?> map, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(HttpMethod.Get, Root + "query?q=" + Uri.EscapeDataString(soql), null, idempotent: true, "the query", cancellationToken).ConfigureAwait(false);
        return await ReadQueryAsync(document!.RootElement, max, map, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a query answer (of a query or a batch), following <c>nextRecordsUrl</c> while more are wanted.</summary>
    public async Task<List<T>> ReadQueryAsync<T>(JsonElement answer, int max, Func<SalesforceRow, T?> map, CancellationToken cancellationToken)
    {
        var found = new List<T>();
        var next = Read(answer, found, max, map);
        for (var page = 1; next is not null && found.Count < max && page < options.MaxPagesPerCall; page++)
        {
            using var more = await SendAsync(HttpMethod.Get, next, null, idempotent: true, "the next page of a query", cancellationToken).ConfigureAwait(false);
            next = Read(more!.RootElement, found, max, map);
        }

        return found;
    }

    /// <summary>Reads one page of a query and gives its <c>nextRecordsUrl</c> (for a resumable read such as the backfill).</summary>
    public async Task<(List<T> Records, string? Next)> QueryPageAsync<T>(string soqlOrNextUrl, Func<SalesforceRow, T?> map, CancellationToken cancellationToken)
    {
        var url = soqlOrNextUrl.StartsWith("/services/data/", StringComparison.Ordinal) ? soqlOrNextUrl : Root + "query?q=" + Uri.EscapeDataString(soqlOrNextUrl);
        using var document = await SendAsync(HttpMethod.Get, url, null, idempotent: true, "the query", cancellationToken).ConfigureAwait(false);
        var found = new List<T>();
        var next = Read(document!.RootElement, found, int.MaxValue, map);
        return (found, next);
    }

    /// <summary>Sends calls by <c>composite/batch</c> (25 a request), answers in order.</summary>
    public async Task<IReadOnlyList<BatchAnswer>> BatchAsync(IReadOnlyList<BatchCall> calls, CancellationToken cancellationToken, bool idempotent = true)
    {
        var answers = new List<BatchAnswer>(calls.Count);
        for (var start = 0; start < calls.Count; start += MaxBatchCalls)
        {
            var chunk = calls.Skip(start).Take(MaxBatchCalls).ToList();
            var requests = new JsonArray();
            foreach (var call in chunk)
            {
                var request = new JsonObject { ["method"] = call.Method, ["url"] = call.Url };
                if (call.Body is not null)
                    request["richInput"] = call.Body.DeepClone();
                requests.Add(request);
            }

            using var document = await SendAsync(HttpMethod.Post, Root + "composite/batch", new JsonObject { ["batchRequests"] = requests, ["haltOnError"] = false }, idempotent, "the composite batch", cancellationToken).ConfigureAwait(false);
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array || results.GetArrayLength() != chunk.Count)
                throw new SalesforceException("Salesforce answered a composite batch without one result per subrequest.");
            foreach (var result in results.EnumerateArray())
            {
                var status = result.TryGetProperty("statusCode", out var code) && code.TryGetInt32(out var s) ? s : 0;
                answers.Add(new BatchAnswer(status, result.TryGetProperty("result", out var body) ? body.Clone() : default));
            }
        }

        return answers;
    }

    /// <summary>Creates a record; a refusal comes back as errors, not as an exception (the caller maps <c>DUPLICATES_DETECTED</c>).</summary>
    public async Task<SaveAnswer> CreateAsync(string sObject, JsonObject fields, string? duplicateRuleHeader, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Root + "sobjects/" + Soql.Field(sObject) + "/")
        {
            Content = Json(fields),
        };
        if (duplicateRuleHeader is not null)
            request.Headers.TryAddWithoutValidation("Sforce-Duplicate-Rule-Header", duplicateRuleHeader);
        using var response = await SendRawAsync(request, "the create", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        using var document = Parse(body, response.StatusCode, "the create");
        var root = document.RootElement;
        if (response.IsSuccessStatusCode)
        {
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? new SaveAnswer(id.GetString(), response.StatusCode, default)
                : throw new SalesforceException("Salesforce answered a create without the new record's id.", response.StatusCode);
        }

        if (response.StatusCode == HttpStatusCode.BadRequest && root.ValueKind == JsonValueKind.Array)
            return new SaveAnswer(null, response.StatusCode, root.Clone());
        throw ErrorOf(response.StatusCode, root, "the create");
    }

    /// <summary>Updates fields of a record (PATCH, 204).</summary>
    public async Task UpdateAsync(string sObject, string id, JsonObject fields, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(new HttpMethod("PATCH"), Root + "sobjects/" + Soql.Field(sObject) + "/" + Uri.EscapeDataString(id), fields, idempotent: true, "the update", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request and parses its JSON answer (<see langword="null"/> for 204).</summary>
    public async Task<JsonDocument?> SendAsync(HttpMethod method, string url, JsonNode? body, bool idempotent, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = Json(body);
        if (idempotent)
            SalesforceResilience.MarkIdempotent(request);
        using var response = await SendRawAsync(request, what, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
            return null;
        var document = Parse(text, response.StatusCode, what);
        if (response.IsSuccessStatusCode)
            return document;
        using (document)
            throw ErrorOf(response.StatusCode, document.RootElement, what);
    }

    /// <summary>The exception of an error answer: its first <c>errorCode</c> (or <c>statusCode</c>) and message.</summary>
    public static SalesforceException ErrorOf(HttpStatusCode status, JsonElement body, string what)
    {
        var first = body.ValueKind == JsonValueKind.Array && body.GetArrayLength() > 0 ? body[0] : body;
        var code = first.ValueKind == JsonValueKind.Object ? Text(first, "errorCode") ?? Text(first, "statusCode") : null;
        var message = first.ValueKind == JsonValueKind.Object ? Text(first, "message") : null;
        var hint = code switch
        {
            SalesforceErrors.RequestLimitExceeded => " The org's API limit is reached; checks are 'not checked' until it frees up.",
            SalesforceErrors.InvalidType or SalesforceErrors.InvalidField => " Deploy the CrmGuardrails metadata (crmguard salesforce metadata) or fix the mapping; crmguard salesforce check lists what is missing.",
            _ => string.Empty,
        };
        return new SalesforceException($"Salesforce refused {what} (HTTP {(int)status} {code ?? "no error code"}): {message ?? "no message"}.{hint}", status, code);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await clients().SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new SalesforceException($"Salesforce could not be reached for {what}: {ex.Message}", innerException: ex);
        }
        catch (Polly.Timeout.TimeoutRejectedException ex)
        {
            throw new SalesforceException($"Salesforce did not answer {what} within the time budget.", HttpStatusCode.GatewayTimeout, innerException: ex);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException ex)
        {
            throw new SalesforceException($"Salesforce failed too often; {what} was not sent while the circuit is open.", HttpStatusCode.ServiceUnavailable, innerException: ex);
        }
    }

    private static string? Read<T>(JsonElement answer, List<T> found, int max, Func<SalesforceRow, T?> map)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
            throw new SalesforceException("Salesforce answered a query without a 'records' array.");
        foreach (var record in records.EnumerateArray())
        {
            if (found.Count >= max)
                break;
            if (record.ValueKind == JsonValueKind.Object && map(new SalesforceRow(record)) is { } item)
                found.Add(item);
        }

        var done = !answer.TryGetProperty("done", out var d) || d.ValueKind != JsonValueKind.False;
        return !done && answer.TryGetProperty("nextRecordsUrl", out var next) && next.ValueKind == JsonValueKind.String && next.GetString() is { } url && url.StartsWith("/services/data/", StringComparison.Ordinal)
            ? url
            : null;
    }

    private static JsonDocument Parse(string text, HttpStatusCode status, string what)
    {
        try
        {
            return JsonDocument.Parse(text.Length == 0 ? "null" : text);
        }
        catch (JsonException ex)
        {
            throw new SalesforceException($"Salesforce answered {what} with HTTP {(int)status} and a body that is not JSON.", status, innerException: ex);
        }
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
