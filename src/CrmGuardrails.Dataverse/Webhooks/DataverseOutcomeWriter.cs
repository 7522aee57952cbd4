using CrmGuardrails.Dataverse.Internal;
using CrmGuardrails.Dataverse.Keys;
using CrmGuardrails.Dataverse.Writing;
using CrmGuardrails.Hosting;
using CrmGuardrails.Notifications;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Dataverse.Webhooks;

/// <summary>
/// Writes back what the guards decided about saves Dataverse has already made (asynchronous PostOperation steps): the
/// flag columns — set, or cleared when a later update is allowed — the reschedule count, and the match keys of saved
/// or deleted accounts, contacts and leads.
/// </summary>
/// <remarks>
/// Only for calls after the save: a synchronous step runs inside the save's transaction, where a write to the same row
/// would wait on the row lock. Writes made here reach the webhook again with <c>Depth</c> 2 and are skipped. Every write
/// is idempotent, so a call Dataverse sends twice changes nothing the second time. Shadow mode is in the outcome: a rule
/// in shadow writes no flag, no task and no count; in global shadow no flag is cleared either. Match keys are kept
/// current in shadow mode too (an index, not a decision). Thread-safe.
/// </remarks>
public sealed class DataverseOutcomeWriter : IGuardOutcomeWriter
{
    private readonly DataverseRecordWriter _records;
    private readonly DataverseMatchKeyWriter _keys;
    private readonly IGuardNotifier _notifier;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="DataverseOutcomeWriter"/> class.</summary>
    /// <param name="records">Writes flag columns and counts.</param>
    /// <param name="keys">Keeps the match-key table current.</param>
    /// <param name="logger">Logs writes that failed.</param>
    /// <param name="notifier">Tells the people a written flag names; <see langword="null"/> for a Dataverse task each (<see cref="DataverseTaskNotifier"/>).</param>
    public DataverseOutcomeWriter(DataverseRecordWriter records, DataverseMatchKeyWriter keys, ILogger<DataverseOutcomeWriter> logger, IGuardNotifier? notifier = null)
    {
        _records = records ?? throw new ArgumentNullException(nameof(records));
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _notifier = notifier ?? new DataverseTaskNotifier(records);
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public async ValueTask<GuardWriteCounts> WriteAsync(GuardEvent saveEvent, IReadOnlyList<GuardOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (saveEvent is null)
            throw new ArgumentNullException(nameof(saveEvent));
        if (outcomes is null)
            throw new ArgumentNullException(nameof(outcomes));
        int written = 0, failed = 0;
        foreach (var outcome in outcomes)
        {
            var table = outcome.Table ?? outcome.Record.KindName;
            var id = outcome.Record.Id;
            try
            {
                if (id.Length == 0)
                {
                    if (outcome.Flag is not null)
                        throw new DataverseException($"The flagged {table} has no id yet: register the asynchronous step on PostOperation.");
                    continue;
                }

                if (outcome.Flag is { } flag)
                {
                    await _records.WriteFlagAsync(table, id, new DataverseFlag(flag, outcome.Result.Rules, outcome.Result.Message) { RescheduleCount = outcome.RescheduleCount }, cancellationToken).ConfigureAwait(false);

                    // Only a save that happened is worth telling anyone about; the notifier makes one task per recipient and finding, however often Dataverse retries.
                    foreach (var finding in outcome.Result.Findings)
                    {
                        foreach (var recipient in finding.NotifyUserIds.Distinct(StringComparer.Ordinal))
                            await _notifier.NotifyAsync(new GuardNotification(recipient, finding, outcome.Request), cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (outcome.ClearsFlag && saveEvent.FlaggedBefore.Contains(id, StringComparer.OrdinalIgnoreCase))
                    await _records.ClearFlagAsync(table, id, outcome.RescheduleCount, cancellationToken).ConfigureAwait(false);
                else if (outcome.RescheduleCount is { } count)
                    await _records.WriteRescheduleCountAsync(table, id, count, cancellationToken).ConfigureAwait(false);
                else
                    continue;
                written++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed++;
                Log.WriteFailed(_logger, ex, table, id, saveEvent.CorrelationId);
            }
        }

        try
        {
            await _keys.KeepCurrentAsync(saveEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Counted once: the records' flags were written; what failed is keeping their keys current.
            failed++;
            Log.KeysFailed(_logger, ex, saveEvent.CorrelationId);
        }

        return new GuardWriteCounts(written, failed);
    }
}
