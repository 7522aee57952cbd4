using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary><c>$batch</c>: parts run in process, in order, outside change sets.</summary>
public sealed partial class DataverseEmulator
{
    /// <summary>"Batch requests can contain up to 1000 individual requests and can't contain other batch requests." (P: execute-batch-operations-using-web-api.md).</summary>
    private const int MaxBatchParts = 1000;

    /// <summary>
    /// Answers a <c>$batch</c> (multipart/mixed) of GET, POST, PATCH and DELETE parts: "These operations will be performed
    /// sequentially in the order they're specified. The order of the responses will match the order of the requests in the batch
    /// operation." Without <c>Prefer: odata.continue-on-error</c>: "When an error occurs for a request within a batch, the error for
    /// that request will be returned for the batch request and more requests won't be processed." — documented answer
    /// "HTTP/1.1 400 BadRequest" whose body holds the failing part ("The batch error represents the error of the first failing
    /// request"). With it: "The batch request will return 200 OK and individual response errors will be returned in the batch
    /// response body." (P: webapi/execute-batch-operations-using-web-api.md, ms.date 01/14/2023; /tmp/research/dataverse-facts.md §4).
    /// Assumed: the parts that succeeded before the failing one are answered too (they ran; the documented sample fails on its first part).
    /// </summary>
    private EmulatorHttpResponse Batch(EmulatorHttpRequest request)
    {
        var contentType = request.Header("Content-Type") ?? string.Empty;
        var boundaryMatch = Regex.Match(contentType, "boundary=\"?([^\";]+)\"?");
        if (!contentType.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase) || !boundaryMatch.Success)
            throw new EmulatorException(400, EmulatorErrors.QueryCode, "A $batch request must be multipart/mixed with a boundary.");
        var parts = SplitMultipart(request.Body, boundaryMatch.Groups[1].Value);
        if (parts.Count > MaxBatchParts)
            throw new EmulatorException(400, EmulatorErrors.QueryCode, $"The batch has {parts.Count} requests; batch requests can contain up to {MaxBatchParts} individual requests.");
        var continueOnError = request.Header("Prefer")?.Contains("odata.continue-on-error", StringComparison.OrdinalIgnoreCase) ?? false;

        var responseBoundary = "batchresponse_" + Guid.NewGuid().ToString("D");
        var output = new StringBuilder();
        var failed = false;
        foreach (var part in parts)
        {
            Stats.BatchPart();
            var answer = RunPart(part, request);
            output.Append("--").Append(responseBoundary).Append("\r\n")
                .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
            if (part.ContentId is { } contentId)
                output.Append("Content-ID: ").Append(contentId).Append("\r\n");
            output.Append("\r\n")
                .Append("HTTP/1.1 ").Append(answer.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrase(answer.Status)).Append("\r\n");
            if (answer.ContentType is not null)
                output.Append("Content-Type: ").Append(answer.ContentType).Append("\r\n");
            foreach (var (name, value) in answer.Headers)
                output.Append(name).Append(": ").Append(value).Append("\r\n");
            output.Append("\r\n");
            if (answer.Body.Length > 0)
                output.Append(answer.BodyText).Append("\r\n");
            if (answer.Status >= 400 && !continueOnError)
            {
                failed = true;
                break;
            }
        }

        output.Append("--").Append(responseBoundary).Append("--\r\n");
        var response = new EmulatorHttpResponse
        {
            Status = failed ? 400 : 200,
            ContentType = "multipart/mixed; boundary=" + responseBoundary,
            Body = Encoding.UTF8.GetBytes(output.ToString()),
        };
        response.Headers["OData-Version"] = "4.0";
        return response;
    }

    private EmulatorHttpResponse RunPart(BatchPart part, EmulatorHttpRequest batch)
    {
        try
        {
            if (part.IsChangeSet)
                throw new EmulatorException(400, EmulatorErrors.QueryCode, "The emulator does not support change sets in a $batch; send the requests as separate parts.");
            var (method, url, headers, body) = part.Request!.Value;
            var path = url;
            var query = string.Empty;
            if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
            {
                path = absolute.AbsolutePath;
                query = absolute.Query;
            }
            else
            {
                var question = url.IndexOf('?', StringComparison.Ordinal);
                if (question >= 0)
                {
                    query = url.Substring(question);
                    path = url.Substring(0, question);
                }

                if (!path.StartsWith('/'))
                    path = ApiPrefix + path;
            }

            path = Uri.UnescapeDataString(path);
            if (path.EndsWith("/$batch", StringComparison.Ordinal))
                throw new EmulatorException(400, EmulatorErrors.QueryCode, "Batch requests can't contain other batch requests.");

            // The part inherits the batch's authentication; its own headers (Prefer, If-Match, Content-Type) apply to it alone.
            if (batch.Header("Authorization") is { } authorization && !headers.ContainsKey("Authorization"))
                headers["Authorization"] = authorization;
            return Dispatch(new EmulatorHttpRequest
            {
                Method = method,
                Path = path,
                Query = EmulatorHttpRequest.ParseQuery(query),
                Headers = headers,
                Body = body,
            });
        }
        catch (EmulatorException ex)
        {
            return Error(ex.Status, ex.Code, ex.Message);
        }
    }

    private static List<BatchPart> SplitMultipart(string text, string boundary)
    {
        var parts = new List<BatchPart>();
        var delimiter = "--" + boundary;
        var sections = text.Split(delimiter);
        for (var i = 1; i < sections.Length; i++)
        {
            var section = sections[i];
            if (section.StartsWith("--", StringComparison.Ordinal))
                break;
            section = section.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\n');
            var blank = section.IndexOf("\n\n", StringComparison.Ordinal);
            var partHeaders = ReadHeaders(blank < 0 ? section : section.Substring(0, blank));
            var rest = blank < 0 ? string.Empty : section.Substring(blank + 2);
            var contentId = partHeaders.TryGetValue("Content-ID", out var id) ? id : null;
            if (partHeaders.TryGetValue("Content-Type", out var type) && type.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
            {
                parts.Add(new BatchPart(null, contentId, IsChangeSet: true));
                continue;
            }

            var lines = rest.Split('\n');
            var requestLine = lines.FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? string.Empty;
            var pieces = requestLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (pieces.Length < 2)
            {
                parts.Add(new BatchPart(("BAD", string.Empty, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), string.Empty), contentId, IsChangeSet: false));
                continue;
            }

            var afterRequestLine = rest.Substring(rest.IndexOf(requestLine, StringComparison.Ordinal) + requestLine.Length).TrimStart('\n');
            var headerEnd = afterRequestLine.IndexOf("\n\n", StringComparison.Ordinal);
            var headerText = headerEnd < 0 ? afterRequestLine : afterRequestLine.Substring(0, headerEnd);
            var body = headerEnd < 0 ? string.Empty : afterRequestLine.Substring(headerEnd + 2).TrimEnd('\n', '\r', ' ');
            parts.Add(new BatchPart((pieces[0], pieces[1], ReadHeaders(headerText), body), contentId, IsChangeSet: false));
        }

        return parts;
    }

    private static Dictionary<string, string> ReadHeaders(string text)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
                headers[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
        }

        return headers;
    }

    private sealed record BatchPart(
        (string Method, string Url, Dictionary<string, string> Headers, string Body)? Request, string? ContentId, bool IsChangeSet);
}
