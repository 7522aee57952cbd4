using System.Net;

namespace CrmGuardrails.Dataverse;

/// <summary>The Dataverse Web API could not answer: an error status, an unreadable answer, or an unreachable organisation.</summary>
/// <remarks>The guard pipeline turns any exception from a directory into its "not checked" policy; this type lets hosts tell why.</remarks>
public sealed class DataverseException : CrmDirectoryException
{
    /// <summary>Initializes a new instance of the <see cref="DataverseException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status, if a response was received.</param>
    /// <param name="errorCode">The Dataverse error code (for example <c>0x80072322</c>), if the response had one.</param>
    /// <param name="retryAfter">The server's <c>Retry-After</c>, if any.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DataverseException(string message, HttpStatusCode? statusCode = null, string? errorCode = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the HTTP status, or <see langword="null"/> when no response was received.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the Dataverse error code from the error body (<c>error.code</c>), if any.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the wait the server asked for (<c>Retry-After</c>) when it throttled the request.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets a value indicating whether the organisation throttled the request (service protection limits, HTTP 429).</summary>
    public bool IsThrottled => StatusCode == (HttpStatusCode)429;
}
