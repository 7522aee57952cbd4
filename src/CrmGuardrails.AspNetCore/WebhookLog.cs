using Microsoft.Extensions.Logging;

namespace CrmGuardrails.AspNetCore;

/// <summary>Source-generated log messages of the webhook, with stable event ids (100+). Record field values (PII) are never logged.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 101, EventName = "WebhookUnauthorized", Level = LogLevel.Warning, Message = "Dataverse webhook call refused (401): {Reason}")]
    public static partial void Unauthorized(ILogger logger, string reason);

    [LoggerMessage(EventId = 102, EventName = "WebhookRejected", Level = LogLevel.Warning, Message = "Dataverse webhook call rejected ({StatusCode}): {Reason}")]
    public static partial void Rejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 103, EventName = "WebhookSkipped", Level = LogLevel.Information, Message = "Dataverse webhook call skipped: {Reason}. Correlation: {CorrelationId}")]
    public static partial void Skipped(ILogger logger, string reason, string? correlationId);

    [LoggerMessage(EventId = 104, EventName = "WebhookChecked", Level = LogLevel.Information,
        Message = "Dataverse {MessageName} of {Table} ({Mode}): {Verdict} for {Count} record(s), answered {StatusCode}. Correlation: {CorrelationId}")]
    public static partial void Checked(ILogger logger, string messageName, string table, string mode, Verdict verdict, int count, int statusCode, string? correlationId);

    [LoggerMessage(EventId = 105, EventName = "WebhookCheckFailed", Level = LogLevel.Error,
        Message = "Dataverse webhook check failed; answered as not checked. Correlation: {CorrelationId}")]
    public static partial void CheckFailed(ILogger logger, Exception exception, string? correlationId);

    [LoggerMessage(EventId = 106, EventName = "WebhookFlagWriteFailed", Level = LogLevel.Error,
        Message = "Writing the flag of {Table} {RecordId} back to Dataverse failed. Correlation: {CorrelationId}")]
    public static partial void FlagWriteFailed(ILogger logger, Exception exception, string table, string recordId, string? correlationId);

    [LoggerMessage(EventId = 107, EventName = "WebhookFlagLogged", Level = LogLevel.Information,
        Message = "Flag for {Table} {RecordId}: rules {Rules}, codes {Codes}. Correlation: {CorrelationId}")]
    public static partial void FlagLogged(ILogger logger, string table, string recordId, string rules, string codes, string? correlationId);

    [LoggerMessage(EventId = 108, EventName = "WebhookNotificationLogged", Level = LogLevel.Information,
        Message = "Notify user {RecipientUserId} about {Table} {RecordId} ({Code}). Correlation: {CorrelationId}")]
    public static partial void NotificationLogged(ILogger logger, string recipientUserId, string table, string recordId, string code, string? correlationId);

    [LoggerMessage(EventId = 109, EventName = "WebhookFlagSkipped", Level = LogLevel.Warning,
        Message = "A flagged {Table} has no id yet, so the flag could not be written (register the asynchronous step on PostOperation). Correlation: {CorrelationId}")]
    public static partial void FlagWithoutId(ILogger logger, string table, string? correlationId);
}
