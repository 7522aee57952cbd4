using System.Net;

namespace CrmGuardrails.Salesforce;

/// <summary>
/// Salesforce could not answer: a sign-in that failed, a request the org refused (its <c>errorCode</c>, e.g.
/// <c>REQUEST_LIMIT_EXCEEDED</c>, <c>MALFORMED_QUERY</c>), or an org that is down. The pipeline turns it into the
/// configured "not checked" verdict.
/// </summary>
public sealed class SalesforceException : CrmDirectoryException
{
    /// <summary>Initializes a new instance of the <see cref="SalesforceException"/> class.</summary>
    /// <param name="message">What failed, in words an administrator can act on.</param>
    /// <param name="statusCode">The HTTP status, when Salesforce answered.</param>
    /// <param name="errorCode">Salesforce's <c>errorCode</c> (or OAuth <c>error</c>), when it sent one.</param>
    /// <param name="innerException">The cause.</param>
    public SalesforceException(string message, HttpStatusCode? statusCode = null, string? errorCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>Gets the HTTP status, when Salesforce answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets Salesforce's error code (<c>REQUEST_LIMIT_EXCEEDED</c>, <c>INVALID_SESSION_ID</c>, <c>invalid_grant</c>, ...).</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets a value indicating whether the org refused for its API limits (<c>REQUEST_LIMIT_EXCEEDED</c>, HTTP 429).</summary>
    public bool IsThrottled => ErrorCode == SalesforceErrors.RequestLimitExceeded || StatusCode == (HttpStatusCode)429;
}
