namespace CrmGuardrails.Salesforce;

/// <summary>The Salesforce error codes the package acts on (salesforce.md §3.4–3.5).</summary>
internal static class SalesforceErrors
{
    /// <summary>401: "Session expired or invalid" — sign in again, once.</summary>
    public const string InvalidSession = "INVALID_SESSION_ID";

    /// <summary>403: "If the error code is REQUEST_LIMIT_EXCEEDED, you've exceeded API request limits".</summary>
    public const string RequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";

    /// <summary>A record lock: brief; "might be able to handle the problem by adding retry logic" (§10.G).</summary>
    public const string UnableToLockRow = "UNABLE_TO_LOCK_ROW";

    /// <summary>A duplicate rule stopped the save (§3.5).</summary>
    public const string DuplicatesDetected = "DUPLICATES_DETECTED";

    /// <summary>Bad SOQL/SOSL.</summary>
    public const string MalformedQuery = "MALFORMED_QUERY";

    /// <summary>A record id of the wrong shape.</summary>
    public const string MalformedId = "MALFORMED_ID";

    /// <summary>No such object or field.</summary>
    public const string InvalidType = "INVALID_TYPE";

    /// <summary>A field the org does not have.</summary>
    public const string InvalidField = "INVALID_FIELD";

    /// <summary>The record or resource does not exist.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>
    /// The daily allocation, not the concurrency limit, is spent: "TotalRequests Limit exceeded." (§3.4) — waiting
    /// seconds will not help, so it is not retried.
    /// </summary>
    public static bool IsDailyLimit(string? message) => message is not null && message.IndexOf("TotalRequests", StringComparison.OrdinalIgnoreCase) >= 0;
}
