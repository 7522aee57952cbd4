using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CrmGuardrails.Dataverse.Internal;

/// <summary>Sends Web API GETs, reads pages and turns error answers into <see cref="DataverseException"/>.</summary>
internal sealed class DataverseWebApi(HttpClient http, DataverseDirectoryOptions options)
{
    private const string Annotations = "OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname";
    private readonly Uri _root = options.GetWebApiRoot();

    /// <summary>Reads rows of a collection query, following <c>@odata.nextLink</c> up to <paramref name="maxResults"/> rows and the page budget.</summary>
    public async Task<List<T>> QueryAsync<T>(string relativeUrl, int maxResults, Func<JsonElement, T?> map, CancellationToken cancellationToken)
        where T : class
    {
        var results = new List<T>();
        if (maxResults <= 0)
            return results;

        var pageSize = Math.Min(options.PageSize, maxResults);
        Uri? url = new(_root, relativeUrl);
        var pages = 0;
        while (url is not null && results.Count < maxResults && pages < options.MaxPagesPerCall)
        {
            pages++;
            using var document = await GetJsonAsync(url, pageSize, allowNotFound: false, cancellationToken).ConfigureAwait(false);
            var root = document!.RootElement;
            if (!root.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
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
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("OData-MaxVersion", "4.0");
        request.Headers.Add("OData-Version", "4.0");
        request.Headers.TryAddWithoutValidation("If-None-Match", "null");
        var prefer = $"odata.include-annotations=\"{Annotations}\"";
        if (pageSize is { } size)
            prefer += $",odata.maxpagesize={size}";
        request.Headers.TryAddWithoutValidation("Prefer", prefer);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not DataverseException)
        {
            throw new DataverseException($"The Dataverse Web API could not be asked {Describe(url)}: {ex.Message}", innerException: ex);
        }

        using (response)
        {
            var body = response.Content is null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
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

    private DataverseException CreateError(Uri url, HttpResponseMessage response, string body)
    {
        string? code = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not a Dataverse error body (a proxy page, an empty body): the status alone is reported.
        }

        var retryAfter = RetryAfter.Get(response, null);
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

/// <summary>Reads <c>Retry-After</c> in either form (seconds or an HTTP date).</summary>
internal static class RetryAfter
{
    public static TimeSpan? Get(HttpResponseMessage response, TimeProvider? time)
    {
        var header = response.Headers.RetryAfter;
        if (header is null)
            return null;
        if (header.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date)
        {
            var now = (time ?? TimeProvider.System).GetUtcNow();
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
