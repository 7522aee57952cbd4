using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Dataverse.Internal;

/// <summary>Source-generated log messages of the Dataverse host, with stable event ids. Record values (PII) are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 101, EventName = "DataverseRetry", Level = LogLevel.Warning,
        Message = "Dataverse request failed ({Failure}); retry {Attempt} in {DelayMs:0} ms.")]
    public static partial void Retrying(ILogger logger, string failure, int attempt, double delayMs);

    [LoggerMessage(EventId = 102, EventName = "DataverseCircuitOpened", Level = LogLevel.Error,
        Message = "Dataverse organisation looks sick ({Failure}); requests fail at once for {BreakMs:0} ms.")]
    public static partial void CircuitOpened(ILogger logger, string failure, double breakMs);

    [LoggerMessage(EventId = 103, EventName = "DataverseCircuitClosed", Level = LogLevel.Information,
        Message = "Dataverse organisation answers again; circuit closed.")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 104, EventName = "DataverseWriteBackFailed", Level = LogLevel.Error,
        Message = "Writing the outcome of {Table} {RecordId} back to Dataverse failed. Correlation: {CorrelationId}")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string table, string recordId, string? correlationId);

    [LoggerMessage(EventId = 105, EventName = "DataverseMatchKeysFailed", Level = LogLevel.Error,
        Message = "Keeping the match keys of saved records current failed; crmguard dataverse keys --backfill repairs them. Correlation: {CorrelationId}")]
    public static partial void KeysFailed(ILogger logger, Exception exception, string? correlationId);
}
