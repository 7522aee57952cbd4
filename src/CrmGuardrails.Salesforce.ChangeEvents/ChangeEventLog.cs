using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Salesforce.ChangeEvents;

/// <summary>Source-generated log messages of the change event subscriber (event ids 300+). Record field values are never logged.</summary>
internal static partial class ChangeEventLog
{
    [LoggerMessage(EventId = 301, EventName = "ChangeEventSubscribed", Level = LogLevel.Information, Message = "Subscribed to {Topic} from {Start}")]
    public static partial void Subscribed(ILogger logger, string topic, string start);

    [LoggerMessage(EventId = 302, EventName = "ChangeEventStreamBroken", Level = LogLevel.Warning, Message = "The {Topic} subscription broke; reconnecting in {Delay} from the last recorded event")]
    public static partial void StreamBroken(ILogger logger, Exception exception, string topic, TimeSpan delay);

    [LoggerMessage(EventId = 303, EventName = "ChangeEventSkipped", Level = LogLevel.Debug, Message = "{Topic} change skipped: {Reason}. Transaction: {TransactionKey}")]
    public static partial void Skipped(ILogger logger, string topic, string reason, string? transactionKey);

    [LoggerMessage(EventId = 304, EventName = "ChangeEventChecked", Level = LogLevel.Debug, Message = "{Topic} {ChangeType} of {Count} record(s) checked: {Written} written. Transaction: {TransactionKey}")]
    public static partial void Checked(ILogger logger, string topic, string changeType, int count, int written, string? transactionKey);

    [LoggerMessage(EventId = 305, EventName = "ChangeEventNotRecorded", Level = LogLevel.Warning,
        Message = "{Topic} change not recorded ({Failed} write(s) failed, {NotChecked} record(s) not checked): the subscription resumes before it. Transaction: {TransactionKey}")]
    public static partial void NotRecorded(ILogger logger, string topic, int failed, int notChecked, string? transactionKey);

    [LoggerMessage(EventId = 306, EventName = "ChangeEventUnreadable", Level = LogLevel.Error, Message = "{Topic} event {EventId} cannot be read and is skipped")]
    public static partial void Unreadable(ILogger logger, Exception exception, string topic, string eventId);
}
