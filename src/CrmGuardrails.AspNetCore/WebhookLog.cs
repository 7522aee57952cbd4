using Microsoft.Extensions.Logging;

namespace CrmGuardrails.AspNetCore;

/// <summary>Source-generated log messages of webhook endpoints, with stable event ids (100+). Record field values (PII) are never logged.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 101, EventName = "WebhookUnauthorized", Level = LogLevel.Warning, Message = "{Host} webhook call refused (401): {Reason}")]
    public static partial void Unauthorized(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 102, EventName = "WebhookRejected", Level = LogLevel.Warning, Message = "{Host} webhook call rejected ({StatusCode}): {Reason}")]
    public static partial void Rejected(ILogger logger, string host, int statusCode, string reason);

    [LoggerMessage(EventId = 103, EventName = "WebhookSkipped", Level = LogLevel.Information, Message = "{Host} webhook call skipped: {Reason}. Correlation: {CorrelationId}")]
    public static partial void Skipped(ILogger logger, string host, string reason, string? correlationId);

    // Debug: the pipeline already logs one line per decision (GuardChecked); this one per call is for tracing a call.
    [LoggerMessage(EventId = 104, EventName = "WebhookChecked", Level = LogLevel.Debug,
        Message = "{Host} {Event} ({Mode}): {Verdict} for {Count} record(s), answered {StatusCode}. Correlation: {CorrelationId}")]
    public static partial void Checked(ILogger logger, string host, string @event, string mode, Verdict verdict, int count, int statusCode, string? correlationId);

    [LoggerMessage(EventId = 105, EventName = "WebhookCheckFailed", Level = LogLevel.Error,
        Message = "{Host} webhook check failed; answered as not checked. Correlation: {CorrelationId}")]
    public static partial void CheckFailed(ILogger logger, Exception exception, string host, string? correlationId);

    [LoggerMessage(EventId = 106, EventName = "WebhookWriteBackFailed", Level = LogLevel.Error,
        Message = "{Host} webhook: writing the outcome back failed. Correlation: {CorrelationId}")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string host, string? correlationId);
}
