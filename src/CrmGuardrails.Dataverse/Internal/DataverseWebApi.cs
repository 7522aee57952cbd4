using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CrmGuardrails.Http;

namespace CrmGuardrails.Dataverse.Internal;

/// <summary>Sends Web API GETs, reads pages and turns error answers into <see cref="DataverseException"/>.</summary>
internal sealed class DataverseWebApi(Func<HttpClient> http, DataverseDirectoryOptions options)
{
    /// <summary>Initializes a new instance of the <see cref="DataverseWebApi"/> class over one client.</summary>
    public DataverseWebApi(HttpClient client, DataverseDirectoryOptions options)
        : this(() => client, options)
    {
    }

    private const string Annotations = "OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname";
    private readonly Uri _root = options.GetWebApiRoot();

    /// <summary>Reads rows of a collection query, following <c>@odata.nextLink</c> up to <paramref name="maxResults"/> rows and the page budget.</summary>
    public Task<List<T>> QueryAsync<T>(string relativeUrl, int maxResults, Func<JsonElement, T?> map, CancellationToken cancellationToken)
        where T : class =>
        QueryAsync(relativeUrl, maxResults, options.MaxPagesPerCall, map, cancellationToken);

    /// <summary>Reads rows of a collection query, following <c>@odata.nextLink</c> up to <paramref name="maxResults"/> rows and <paramref name="maxPages"/> pages.</summary>
    public async Task<List<T>> QueryAsync<T>(string relativeUrl, int maxResults, int maxPages, Func<JsonElement, T?> map, CancellationToken cancellationToken)
        where T : class
    {
        var results = new List<T>();
        if (maxResults <= 0)
            return results;

        var pageSize = Math.Min(options.PageSize, maxResults);
        Uri? url = new(_root, relativeUrl);
        var pages = 0;
        while (url is not null && results.Count < maxResults && pages < maxPages)
        {
            pages++;
            using var document = await GetJsonAsync(url, pageSize, allowNotFound: false, cancellationToken).ConfigureAwait(false);
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
                throw new DataverseException($"The Dataverse Web API answered {Describe(url)} without a 'value' array.");

            foreach (var row in value.EnumerateArray())
            {
                if (results.Count >= maxResults)
                    break;
                if (row.ValueKind == JsonValueKind.Object && map(row) is { } item)
                    results.Add(item);
            }

            url = root.TryGetProperty("@odata.nextLink", out var next) && next.ValueKind == JsonValueKind.String
                ? CheckNextLink(next.GetString()!)
                : null;
        }

        return results;
    }

    /// <summary>
    /// Reads one page of a collection query (<paramref name="url"/> is a relative query or a previous page's
    /// <c>@odata.nextLink</c>) and returns its rows and the next page's link, for readers that resume where they stopped.
    /// </summary>
    public async Task<(List<T> Rows, string? NextLink)> QueryPageAsync<T>(string url, int pageSize, Func<JsonElement, T?> map, CancellationToken cancellationToken)
        where T : class
    {
        var absolute = Uri.TryCreate(url, UriKind.Absolute, out _) ? CheckNextLink(url) : new Uri(_root, url);
        using var document = await GetJsonAsync(absolute, pageSize, allowNotFound: false, cancellationToken).ConfigureAwait(false);
        var root = document!.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
            throw new DataverseException($"The Dataverse Web API answered {Describe(absolute)} without a 'value' array.");
        var rows = new List<T>();
        foreach (var row in value.EnumerateArray())
        {
            if (row.ValueKind == JsonValueKind.Object && map(row) is { } item)
                rows.Add(item);
        }

        var next = root.TryGetProperty("@odata.nextLink", out var link) && link.ValueKind == JsonValueKind.String ? CheckNextLink(link.GetString()!).AbsoluteUri : null;
        return (rows, next);
    }

    /// <summary>Reads one row, or <see langword="null"/> when the organisation answers 404.</summary>
    public async Task<T?> GetAsync<T>(string relativeUrl, Func<JsonElement, T?> map, CancellationToken cancellationToken)
        where T : class
    {
        var url = new Uri(_root, relativeUrl);
        using var document = await GetJsonAsync(url, pageSize: null, allowNotFound: true, cancellationToken).ConfigureAwait(false);
        if (document is null)
            return null;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new DataverseException($"The Dataverse Web API answered {Describe(url)} with JSON that is not an object.");
        return map(document.RootElement);
    }

    /// <summary>
    /// Sends several GETs as one <c>$batch</c> request (one round trip) and returns, for each, its JSON body or
    /// <see langword="null"/> when it answered 404; any other failed part is a <see cref="DataverseException"/>.
    /// </summary>
    public async Task<List<JsonDocument?>> BatchGetAsync(IReadOnlyList<string> relativeUrls, CancellationToken cancellationToken)
    {
        var answers = await BatchAsync(relativeUrls.Select(u => new BatchPart(HttpMethod.Get, u)).ToList(), cancellationToken).ConfigureAwait(false);
        var results = new List<JsonDocument?>(answers.Count);
        try
        {
            foreach (var answer in answers)
                results.Add(answer.Status == 404 ? null : answer.ThrowIfFailed().Json());
            return results;
        }
        catch
        {
            foreach (var document in results)
                document?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends requests as one <c>$batch</c> (one HTTP request; parts run in order, outside change sets) with
    /// <c>Prefer: odata.continue-on-error</c>, so every part gets its own answer.
    /// </summary>
    /// <remarks>
    /// "When [continue-on-error] is applied, the batch request continues to process the remaining requests even when one or
    /// more requests fail." (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api).
    /// </remarks>
    public async Task<List<BatchAnswer>> BatchAsync(IReadOnlyList<BatchPart> parts, CancellationToken cancellationToken)
    {
        if (parts.Count == 0)
            return [];
        var url = new Uri(_root, "$batch");
        var boundary = "batch_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        foreach (var part in parts)
        {
            body.Append("--").Append(boundary).Append("\r\n")
                .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append(part.Method.Method).Append(' ').Append(new Uri(_root, part.RelativeUrl).AbsoluteUri).Append(" HTTP/1.1\r\n")
                .Append("Accept: application/json\r\n");
            if (part.Method == HttpMethod.Get)
                body.Append("Prefer: odata.include-annotations=\"").Append(Annotations).Append("\"\r\n");
            if (part.Condition is { } condition)
                body.Append(condition.Header).Append(": ").Append(condition.Value).Append("\r\n");
            if (part.Body is { } json)
                body.Append("Content-Type: application/json\r\n\r\n").Append(json.ToJsonString()).Append("\r\n");
            else
                body.Append("\r\n");
        }

        body.Append("--").Append(boundary).Append("--\r\n");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/mixed; boundary=" + boundary);
        AddODataHeaders(request);
        request.Headers.TryAddWithoutValidation("Prefer", "odata.continue-on-error");

        var (response, text) = await SendAsync(request, url, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw CreateError(url, response, text);
            var responseBoundary = response.Content.Headers.ContentType?.Parameters
                .FirstOrDefault(p => string.Equals(p.Name, "boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"')
                ?? throw new DataverseException("The Dataverse Web API answered a $batch without a multipart boundary.", response.StatusCode);
            var answers = text.Split(new[] { "--" + responseBoundary }, StringSplitOptions.None)
                .Skip(1)
                .Where(p => !p.StartsWith("--", StringComparison.Ordinal))
                .Select(ReadBatchPart)
                .ToList();
            if (answers.Count != parts.Count)
                throw new DataverseException($"The Dataverse Web API answered a $batch of {parts.Count} with {answers.Count} parts.", response.StatusCode);
            return answers;
        }
    }

    private static BatchAnswer ReadBatchPart(string part)
    {
        var statusLine = part.IndexOf("HTTP/1.1 ", StringComparison.Ordinal);
        if (statusLine < 0 || !int.TryParse(part.Substring(statusLine + 9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            throw new DataverseException("The Dataverse Web API answered a $batch part without an HTTP status line.");
        var blank = part.IndexOf("\r\n\r\n", statusLine, StringComparison.Ordinal);
        return new BatchAnswer(status, blank < 0 ? string.Empty : part.Substring(blank + 4).Trim());
    }

    /// <summary>Sends a JSON body (POST create, PATCH update); success is any 2xx.</summary>
    public Task SendJsonAsync(HttpMethod method, string relativeUrl, System.Text.Json.Nodes.JsonObject body, CancellationToken cancellationToken) =>
        SendJsonAsync(method, relativeUrl, body, condition: null, cancellationToken);

    /// <summary>
    /// Sends a JSON body with an optional precondition header (<c>If-Match: *</c> updates only an existing row,
    /// <c>If-None-Match: *</c> only creates). Returns <see langword="false"/> when the precondition failed (412), else
    /// <see langword="true"/>; any other non-2xx answer is a <see cref="DataverseException"/>.
    /// </summary>
    public async Task<bool> SendJsonAsync(
        HttpMethod method, string relativeUrl, System.Text.Json.Nodes.JsonObject body, (string Header, string Value)? condition, CancellationToken cancellationToken)
    {
        var url = new Uri(_root, relativeUrl);
        using var request = new HttpRequestMessage(method, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        AddODataHeaders(request);
        if (condition is { } header)
            request.Headers.TryAddWithoutValidation(header.Header, header.Value);
        var (response, text) = await SendAsync(request, url, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (condition is not null && response.StatusCode == HttpStatusCode.PreconditionFailed)
                return false;
            if (!response.IsSuccessStatusCode)
                throw CreateError(url, response, text);
            return true;
        }
    }

    /// <summary>Deletes a row; a row already gone (404) is not an error.</summary>
    public async Task DeleteAsync(string relativeUrl, CancellationToken cancellationToken)
    {
        var url = new Uri(_root, relativeUrl);
        using var request = new HttpRequestMessage(HttpMethod.Delete, url);
        AddODataHeaders(request);
        var (response, text) = await SendAsync(request, url, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
                throw CreateError(url, response, text);
        }
    }

    private Uri CheckNextLink(string link)
    {
        // The paging cookie is used unchanged, but only against the organisation we were configured for.
        if (!Uri.TryCreate(link, UriKind.Absolute, out var next) ||
            !string.Equals(next.GetLeftPart(UriPartial.Authority), _root.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            throw new DataverseException("The Dataverse Web API answered with an @odata.nextLink outside the organisation; it was not followed.");
        }

        return next;
    }

    private async Task<JsonDocument?> GetJsonAsync(Uri url, int? pageSize, bool allowNotFound, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        AddODataHeaders(request);
        request.Headers.TryAddWithoutValidation("If-None-Match", "null");
        var prefer = $"odata.include-annotations=\"{Annotations}\"";
        if (pageSize is { } size)
            prefer += $",odata.maxpagesize={size}";
        request.Headers.TryAddWithoutValidation("Prefer", prefer);

        var (response, body) = await SendAsync(request, url, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound && allowNotFound)
                return null;
            if (!response.IsSuccessStatusCode)
                throw CreateError(url, response, body);

            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw new DataverseException(
                    $"The Dataverse Web API answered {Describe(url)} with a body that is not valid JSON (HTTP {(int)response.StatusCode}, {body.Length} characters).",
                    response.StatusCode,
                    innerException: ex);
            }
        }
    }

    private static void AddODataHeaders(HttpRequestMessage request)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("OData-MaxVersion", "4.0");
        request.Headers.Add("OData-Version", "4.0");
    }

    private async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpRequestMessage request, Uri url, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http().SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not DataverseException)
        {
            throw new DataverseException($"The Dataverse Web API could not be asked {Describe(url)}: {ex.Message}", innerException: ex);
        }

        try
        {
            var body = response.Content is null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return (response, body);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            response.Dispose();
            throw new DataverseException($"The Dataverse Web API answer to {Describe(url)} could not be read: {ex.Message}", innerException: ex);
        }
    }

    internal static (string? Code, string? Message) TryReadError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (
                    error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null,
                    error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null);
            }
        }
        catch (JsonException)
        {
            // Not a Dataverse error body (a proxy page, an empty body): the status alone is reported.
        }

        return (null, null);
    }

    private static DataverseException CreateError(Uri url, HttpResponseMessage response, string body)
    {
        var (code, message) = TryReadError(body);

        var retryAfter = CrmHttpResilience.RetryAfter(response, TimeProvider.System);
        var status = (int)response.StatusCode;
        var text = $"The Dataverse Web API answered {Describe(url)} with HTTP {status} {response.ReasonPhrase}";
        if (code is not null)
            text += $" ({code})";
        if (message is not null)
            text += $": {message}";
        if (retryAfter is { } wait)
            text += $" Retry after {wait.TotalSeconds:0.#} s.";
        return new DataverseException(text, response.StatusCode, code, retryAfter);
    }

    private static string Describe(Uri url) => url.AbsolutePath.Split('/').LastOrDefault() ?? url.AbsolutePath;
}


/// <summary>One request of a <c>$batch</c>.</summary>
internal sealed record BatchPart(HttpMethod Method, string RelativeUrl, System.Text.Json.Nodes.JsonObject? Body = null, (string Header, string Value)? Condition = null);

/// <summary>One answer of a <c>$batch</c>: the part's status and body.</summary>
internal sealed record BatchAnswer(int Status, string Body)
{
    public bool IsSuccess => Status is >= 200 and <= 299;

    /// <summary>Throws a <see cref="DataverseException"/> naming the Dataverse error when the part failed.</summary>
    public BatchAnswer ThrowIfFailed()
    {
        if (IsSuccess)
            return this;
        var (code, message) = DataverseWebApi.TryReadError(Body);
        throw new DataverseException(
            $"The Dataverse Web API answered a $batch part with HTTP {Status}" + (code is null ? "." : $" ({code}): {message}"),
            (HttpStatusCode)Status,
            code);
    }

    /// <summary>Parses the body as JSON.</summary>
    public JsonDocument Json()
    {
        try
        {
            return JsonDocument.Parse(Body);
        }
        catch (JsonException ex)
        {
            throw new DataverseException("The Dataverse Web API answered a $batch part that is not valid JSON.", (HttpStatusCode)Status, innerException: ex);
        }
    }
}
