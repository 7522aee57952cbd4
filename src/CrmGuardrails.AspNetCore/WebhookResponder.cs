using CrmGuardrails.Hosting;
using Microsoft.AspNetCore.Http;

namespace CrmGuardrails.AspNetCore;

/// <summary>One record of a checked call: the request (none when the call named no record), its verdict, and the outcome to write (none when the check failed).</summary>
internal readonly record struct CheckedRecord(GuardRequest? Request, GuardResult Result, GuardOutcome? Outcome);

/// <summary>A checked call as the endpoint answers it.</summary>
/// <param name="Event">The call as read.</param>
/// <param name="Records">Each record's verdict and outcome.</param>
/// <param name="Written">What the writer wrote back (calls after the save), or <see langword="null"/> (calls before it).</param>
/// <param name="Status">The status the endpoint's options call for (the block status for a blocked save the CRM waits for, else 200).</param>
internal sealed record CheckedCall(GuardEvent Event, IReadOnlyList<CheckedRecord> Records, GuardWriteCounts? Written, int Status)
{
    /// <summary>Gets the verdict of the whole call.</summary>
    public GuardResult Overall { get; } = GuardResult.Merge(Records.Select(r => r.Result));

    /// <summary>
    /// Gets a value indicating whether what the call asked for is done for good: a call after the save whose every
    /// record was checked (no "not checked" finding, no failed check) and whose outcomes were all written back.
    /// </summary>
    public bool Recorded =>
        !Event.BeforeSave && Written is { Failed: 0 } &&
        Records.All(r => r.Outcome is not null && !r.Result.Findings.Any(f => f.NotChecked));
}

/// <summary>
/// The protocol of an endpoint: which bodies it takes and how it answers each case. The handler decides what happens;
/// the responder only says it in the CRM's terms. Stateless.
/// </summary>
internal abstract class WebhookResponder
{
    /// <summary>Gets the media type the CRM sends, for the error message about a wrong one.</summary>
    public abstract string ExpectedMediaType { get; }

    /// <summary>Gets the responder of a format.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The responder.</returns>
    public static WebhookResponder For(WebhookResponseFormat format) => format switch
    {
        WebhookResponseFormat.SalesforceOutboundMessage => SalesforceOutboundMessageResponder.Instance,
        _ => JsonWebhookResponder.Instance,
    };

    /// <summary>Whether a body of this Content-Type is read.</summary>
    /// <param name="contentType">The request's Content-Type.</param>
    /// <returns><see langword="true"/> when it is the CRM's.</returns>
    public abstract bool Accepts(string? contentType);

    /// <summary>Answers a call refused (401) or rejected (4xx) before it was checked.</summary>
    public abstract Task ErrorAsync(HttpContext http, int status, string error, string? field);

    /// <summary>Answers a call the reader said is not checked.</summary>
    public abstract Task SkippedAsync(HttpContext http, GuardEvent saveEvent);

    /// <summary>Answers a checked call.</summary>
    public abstract Task CheckedAsync(HttpContext http, CheckedCall call);

    /// <summary>Answers a call whose check failed unexpectedly, by the lookup-failure policy.</summary>
    /// <param name="http">The call.</param>
    /// <param name="blocks">Whether the policy blocks what could not be checked.</param>
    /// <param name="blockStatus">The status of a block.</param>
    public abstract Task FailedAsync(HttpContext http, bool blocks, int blockStatus);

    /// <summary>Whether the media type of a Content-Type is one of these.</summary>
    protected static bool MediaTypeIs(string? contentType, Func<string, bool> accepted)
    {
        if (string.IsNullOrEmpty(contentType))
            return false;
        return accepted(contentType.Split(';')[0].Trim());
    }

    /// <summary>Writes a whole answer.</summary>
    protected static async Task WriteAsync(HttpContext http, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }
}
