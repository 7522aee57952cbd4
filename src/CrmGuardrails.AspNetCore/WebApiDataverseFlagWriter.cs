using CrmGuardrails.Dataverse.Writing;

namespace CrmGuardrails.AspNetCore;

/// <summary>
/// Writes flags and notifications to the organisation over the Dataverse Web API with <see cref="DataverseRecordWriter"/>:
/// the flag columns (and the reschedule count) with one <c>PATCH</c> of the saved record, and one <c>task</c> per user a
/// finding names, owned by that user and regarding the record.
/// </summary>
/// <remarks>
/// Register it with <c>services.UseDataverseWebApiFlagWriter()</c> next to <c>AddCrmGuardrailsDataverse</c>. It is only
/// called for asynchronous (PostOperation) steps: a synchronous step runs inside the save's transaction, where a write to the
/// same row would wait on the row lock, so synchronous steps answer by status code only. Thread-safe.
/// </remarks>
public sealed class WebApiDataverseFlagWriter : IDataverseFlagWriter
{
    private readonly DataverseRecordWriter _writer;

    /// <summary>Initializes a new instance of the <see cref="WebApiDataverseFlagWriter"/> class.</summary>
    /// <param name="writer">The Web API writer (registered by <c>AddCrmGuardrailsDataverse</c>).</param>
    public WebApiDataverseFlagWriter(DataverseRecordWriter writer)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
    }

    /// <inheritdoc />
    /// <remarks>The verdict column gets <c>block</c> (a rule would have blocked the save), <c>flag</c>, or <c>not-checked</c> when every finding is a "not checked" one.</remarks>
    public async ValueTask WriteFlagAsync(RecordRef record, GuardResult result, DataverseFlagContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        var verdict = result.Findings.Count > 0 && result.Findings.All(f => f.NotChecked)
            ? "not-checked"
            : result.IsBlocked ? "block" : "flag";
        var flag = new DataverseFlag(verdict, result.Rules, result.Message) { RescheduleCount = context.RescheduleCount };
        await _writer.WriteFlagAsync(context.LogicalName, record.Id, flag, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The task regards the record itself for leads, accounts and contacts. An activity cannot be the regarding record of a
    /// task, so for activities the task regards the account, contact or lead the finding collides with, when there is one;
    /// the description always names the record's table and id. Repeated calls for the same operation, record, recipient and
    /// code create one task.
    /// </remarks>
    public async ValueTask NotifyOwnerAsync(string recipientUserId, RecordRef record, GuardFinding finding, DataverseFlagContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(context);
        (string Table, string Id)? regarding = record.Kind is RecordKind.Lead or RecordKind.Account or RecordKind.Contact
            ? (context.LogicalName, record.Id)
            : finding.Collision?.Record is { Kind: RecordKind.Lead or RecordKind.Account or RecordKind.Contact } other
                ? (other.KindName, other.Id)
                : null;
        var notification = new DataverseTaskNotification(
            recipientUserId,
            $"{finding.RuleId} on a {context.LogicalName}",
            $"{finding.Message}{Environment.NewLine}{Environment.NewLine}Record: {context.LogicalName} {record.Id}. Rule {finding.RuleId}, code {finding.Code}." +
            (context.CorrelationId is null ? string.Empty : $" Correlation {context.CorrelationId}."))
        {
            RegardingLogicalName = regarding?.Table,
            RegardingId = regarding?.Id,
            IdempotencyKey = $"{context.CorrelationId}|{context.LogicalName}|{record.Id}|{recipientUserId}|{finding.Code}",
        };
        await _writer.CreateTaskAsync(notification, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask WriteRescheduleCountAsync(RecordRef record, DataverseFlagContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.RescheduleCount is { } count)
            await _writer.WriteRescheduleCountAsync(context.LogicalName, record.Id, count, cancellationToken).ConfigureAwait(false);
    }
}
