using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Salesforce;

/// <summary>Source-generated log messages of the Salesforce host, with stable event ids. Record values (PII) are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 201, EventName = "SalesforceRetry", Level = LogLevel.Warning,
        Message = "Salesforce request failed ({Failure}); retry {Attempt} in {DelayMs:0} ms.")]
    public static partial void Retrying(ILogger logger, string failure, int attempt, double delayMs);

    [LoggerMessage(EventId = 202, EventName = "SalesforceCircuitOpened", Level = LogLevel.Error,
        Message = "Salesforce org looks sick ({Failure}); requests fail at once for {BreakMs:0} ms.")]
    public static partial void CircuitOpened(ILogger logger, string failure, double breakMs);

    [LoggerMessage(EventId = 203, EventName = "SalesforceCircuitClosed", Level = LogLevel.Information,
        Message = "Salesforce org answers again; circuit closed.")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 204, EventName = "SalesforceWriteBackFailed", Level = LogLevel.Error,
        Message = "Writing the outcome of {SObject} {RecordId} back to Salesforce failed. Correlation: {CorrelationId}")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string sObject, string recordId, string? correlationId);

    [LoggerMessage(EventId = 205, EventName = "SalesforceMatchKeysFailed", Level = LogLevel.Error,
        Message = "Keeping the match keys of saved records current failed; crmguard salesforce keys --backfill repairs them. Correlation: {CorrelationId}")]
    public static partial void KeysFailed(ILogger logger, Exception exception, string? correlationId);
}
