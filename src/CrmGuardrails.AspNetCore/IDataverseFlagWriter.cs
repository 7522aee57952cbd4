using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails.AspNetCore;

/// <summary>Where and for whom a flag is written: the Dataverse table of the record, the user who saved it, the operation.</summary>
/// <param name="LogicalName">The record's table (<c>lead</c>, <c>phonecall</c>, …): activities share one <see cref="RecordKind"/> but not one table.</param>
/// <param name="UserId">The user who saved the record (the context's <c>InitiatingUserId</c>).</param>
/// <param name="CorrelationId">The operation's correlation id.</param>
public sealed record DataverseFlagContext(string LogicalName, string UserId, string? CorrelationId)
{
    /// <summary>
    /// Gets the activity's new reschedule count when this save moved its scheduled start (asynchronous Update steps with a
    /// pre-image holding the count column, see <see cref="DataverseMappingOptions.RescheduleCountColumn"/>); else <see langword="null"/>.
    /// </summary>
    public int? RescheduleCount { get; init; }
}

/// <summary>
/// Writes the outcome of an asynchronous (PostOperation) check back to Dataverse: a webhook cannot change the record it
/// is called for, so flags and notifications are written afterwards, through the Web API or the organisation service.
/// </summary>
/// <remarks>
/// Called once per flagged record, then once per user a finding asks to tell. Implementations must be thread-safe and
/// honour the token. An exception is logged and counted in the answer; the webhook still answers 200 (a non-2xx answer
/// would only make Dataverse retry the whole call). Writes made through Dataverse arrive back at the webhook with
/// <c>Depth</c> 2 and are skipped by the default <see cref="DataverseWebhookOptions.MaxDepth"/>.
/// </remarks>
public interface IDataverseFlagWriter
{
    /// <summary>Marks a saved record as flagged (for example a choice column and a note with the message and rules).</summary>
    /// <param name="record">The record.</param>
    /// <param name="result">The verdict and its findings (a block seen after the save is written as a flag).</param>
    /// <param name="context">The record's table, the saving user and the correlation id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the flag is written.</returns>
    ValueTask WriteFlagAsync(RecordRef record, GuardResult result, DataverseFlagContext context, CancellationToken cancellationToken);

    /// <summary>Tells a user about a finding (for example a task or an in-app notification for the account owner).</summary>
    /// <param name="recipientUserId">The user to tell (from <see cref="GuardFinding.NotifyUserIds"/>).</param>
    /// <param name="record">The flagged record.</param>
    /// <param name="finding">The finding.</param>
    /// <param name="context">The record's table, the saving user and the correlation id.</param>
    /// <param name="cancellationToken">Cancels the notification.</param>
    /// <returns>A task that completes when the notification is handed over.</returns>
    ValueTask NotifyOwnerAsync(string recipientUserId, RecordRef record, GuardFinding finding, DataverseFlagContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Stores an activity's new reschedule count after a move that raised no flag (a flagged move carries the count in
    /// <see cref="DataverseFlagContext.RescheduleCount"/> of <see cref="WriteFlagAsync"/> instead). Asynchronous steps only.
    /// </summary>
    /// <param name="record">The activity.</param>
    /// <param name="context">The table, user, correlation id and the new count.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the count is written. The default does nothing.</returns>
    ValueTask WriteRescheduleCountAsync(RecordRef record, DataverseFlagContext context, CancellationToken cancellationToken) => default;
}

/// <summary>A flag written by <see cref="InMemoryDataverseFlagWriter"/>.</summary>
/// <param name="Record">The record.</param>
/// <param name="Result">The verdict.</param>
/// <param name="Context">The table, user and correlation id.</param>
public sealed record DataverseFlagWrite(RecordRef Record, GuardResult Result, DataverseFlagContext Context);

/// <summary>A notification sent by <see cref="InMemoryDataverseFlagWriter"/>.</summary>
/// <param name="RecipientUserId">The user told.</param>
/// <param name="Record">The record.</param>
/// <param name="Finding">The finding.</param>
/// <param name="Context">The table, user and correlation id.</param>
public sealed record DataverseOwnerNotification(string RecipientUserId, RecordRef Record, GuardFinding Finding, DataverseFlagContext Context);

/// <summary>A flag writer that keeps flags and notifications in memory, for tests, samples and the embedded org.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryDataverseFlagWriter : IDataverseFlagWriter
{
    private readonly ConcurrentQueue<DataverseFlagWrite> _flags = new();
    private readonly ConcurrentQueue<DataverseOwnerNotification> _notifications = new();

    /// <summary>Gets the flags written so far, oldest first.</summary>
    public IReadOnlyList<DataverseFlagWrite> Flags => [.. _flags];

    /// <summary>Gets the notifications sent so far, oldest first.</summary>
    public IReadOnlyList<DataverseOwnerNotification> Notifications => [.. _notifications];

    /// <inheritdoc />
    public ValueTask WriteFlagAsync(RecordRef record, GuardResult result, DataverseFlagContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _flags.Enqueue(new DataverseFlagWrite(record, result, context));
        return default;
    }

    /// <inheritdoc />
    public ValueTask NotifyOwnerAsync(string recipientUserId, RecordRef record, GuardFinding finding, DataverseFlagContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _notifications.Enqueue(new DataverseOwnerNotification(recipientUserId, record, finding, context));
        return default;
    }
}

/// <summary>A flag writer that only logs (record references, rules and codes; never record content). The default until a Dataverse writer is registered.</summary>
public sealed class LoggingDataverseFlagWriter : IDataverseFlagWriter
{
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="LoggingDataverseFlagWriter"/> class.</summary>
    /// <param name="logger">The logger.</param>
    public LoggingDataverseFlagWriter(ILogger<LoggingDataverseFlagWriter> logger)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public ValueTask WriteFlagAsync(RecordRef record, GuardResult result, DataverseFlagContext context, CancellationToken cancellationToken)
    {
        if (result is null)
            throw new ArgumentNullException(nameof(result));
        if (context is null)
            throw new ArgumentNullException(nameof(context));
        WebhookLog.FlagLogged(_logger, context.LogicalName, record.Id, string.Join(",", result.Rules), string.Join(",", result.Findings.Select(f => f.Code).Distinct()), context.CorrelationId);
        return default;
    }

    /// <inheritdoc />
    public ValueTask NotifyOwnerAsync(string recipientUserId, RecordRef record, GuardFinding finding, DataverseFlagContext context, CancellationToken cancellationToken)
    {
        if (finding is null)
            throw new ArgumentNullException(nameof(finding));
        if (context is null)
            throw new ArgumentNullException(nameof(context));
        WebhookLog.NotificationLogged(_logger, recipientUserId, context.LogicalName, record.Id, finding.Code, context.CorrelationId);
        return default;
    }
}
