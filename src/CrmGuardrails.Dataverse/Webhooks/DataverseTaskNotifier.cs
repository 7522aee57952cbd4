using CrmGuardrails.Dataverse.Writing;
using CrmGuardrails.Notifications;

namespace CrmGuardrails.Dataverse.Webhooks;

/// <summary>
/// Tells people about findings with a Dataverse <c>task</c> each, owned by the recipient and regarding the record (or, for
/// an activity, the customer record it collides with). The pipeline's one notification path: register it as the
/// <see cref="IGuardNotifier"/>.
/// </summary>
/// <remarks>Repeated notifications of one operation, record, recipient and code create one task. Thread-safe.</remarks>
public sealed class DataverseTaskNotifier : IGuardNotifier
{
    private readonly DataverseRecordWriter _writer;

    /// <summary>Initializes a new instance of the <see cref="DataverseTaskNotifier"/> class.</summary>
    /// <param name="writer">The Web API writer (registered by <c>AddCrmGuardrailsDataverse</c>).</param>
    public DataverseTaskNotifier(DataverseRecordWriter writer)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
    }

    /// <inheritdoc />
    public async ValueTask NotifyAsync(GuardNotification notification, CancellationToken cancellationToken)
    {
        if (notification is null)
            throw new ArgumentNullException(nameof(notification));
        var request = notification.Request;
        var finding = notification.Finding;
        var record = request.Record.Ref;
        var table = request.Table ?? record.KindName;

        // An activity cannot be the regarding record of a task: the task then regards the customer record collided with.
        (string Table, string Id)? regarding = record.Kind is RecordKind.Lead or RecordKind.Account or RecordKind.Contact && record.Id.Length > 0
            ? (table, record.Id)
            : finding.Collision?.Record is { Kind: RecordKind.Lead or RecordKind.Account or RecordKind.Contact } other
                ? (other.KindName, other.Id)
                : null;
        await _writer.CreateTaskAsync(
            new DataverseTaskNotification(
                notification.RecipientUserId,
                $"{finding.RuleId} on a {table}",
                $"{finding.Message}{Environment.NewLine}{Environment.NewLine}Record: {table} {(record.Id.Length > 0 ? record.Id : "(being created)")}. Rule {finding.RuleId}, code {finding.Code}." +
                (request.CorrelationId is null ? string.Empty : $" Correlation {request.CorrelationId}."))
            {
                RegardingLogicalName = regarding?.Table,
                RegardingId = regarding?.Id,
                IdempotencyKey = $"{request.CorrelationId}|{table}|{record.Id}|{notification.RecipientUserId}|{finding.Code}",
            },
            cancellationToken).ConfigureAwait(false);
    }
}
