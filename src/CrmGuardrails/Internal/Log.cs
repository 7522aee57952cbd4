using Microsoft.Extensions.Logging;

namespace CrmGuardrails;

/// <summary>Source-generated log messages with stable event ids. Record field values (PII) are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "GuardChecked", Level = LogLevel.Information,
        Message = "Checked {RecordKind} {Operation}: {Verdict} (rules: {Rules}) in {ElapsedMs:0.0} ms. Correlation: {CorrelationId}")]
    public static partial void Checked(ILogger logger, string recordKind, GuardOperation operation, Verdict verdict, string rules, double elapsedMs, string? correlationId);

    [LoggerMessage(EventId = 2, EventName = "LookupTimedOut", Level = LogLevel.Warning,
        Message = "Rule {RuleId} did not get an answer from the CRM within the {BudgetMs} ms budget; answered by the lookup-failure policy. Correlation: {CorrelationId}")]
    public static partial void LookupTimedOut(ILogger logger, string ruleId, double budgetMs, string? correlationId);

    [LoggerMessage(EventId = 3, EventName = "LookupFailed", Level = LogLevel.Warning,
        Message = "Rule {RuleId} could not ask the CRM; answered by the lookup-failure policy. Correlation: {CorrelationId}")]
    public static partial void LookupFailed(ILogger logger, Exception exception, string ruleId, string? correlationId);

    [LoggerMessage(EventId = 4, EventName = "NotificationFailed", Level = LogLevel.Warning,
        Message = "A notification for rule {RuleId} could not be delivered. Correlation: {CorrelationId}")]
    public static partial void NotificationFailed(ILogger logger, Exception exception, string ruleId, string? correlationId);

    [LoggerMessage(EventId = 5, EventName = "GuardFailed", Level = LogLevel.Error,
        Message = "Rule {RuleId} failed unexpectedly (a defect, not the CRM); answered by the lookup-failure policy. Correlation: {CorrelationId}")]
    public static partial void GuardFailed(ILogger logger, Exception exception, string ruleId, string? correlationId);

    [LoggerMessage(EventId = 6, EventName = "DecisionNotRecorded", Level = LogLevel.Warning,
        Message = "A decision could not be handed to the decision log; the save goes on. Correlation: {CorrelationId}")]
    public static partial void DecisionNotRecorded(ILogger logger, Exception exception, string? correlationId);

    [LoggerMessage(EventId = 7, EventName = "DecisionLogWriteFailed", Level = LogLevel.Error,
        Message = "A batch of {Count} decisions could not be written to the decision log; they are counted as lost.")]
    public static partial void DecisionLogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 8, EventName = "DecisionLogRetentionFailed", Level = LogLevel.Warning,
        Message = "Decisions older than {Cutoff:o} could not be deleted from the decision log; retrying at the next interval.")]
    public static partial void DecisionLogRetentionFailed(ILogger logger, Exception exception, DateTimeOffset cutoff);
}
