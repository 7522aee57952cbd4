namespace CrmGuardrails.Hosting;

/// <summary>What a write of stored match keys changed.</summary>
/// <param name="Written">Keys created or updated.</param>
/// <param name="Deleted">Keys deleted (the record no longer has them, or they are of an older format).</param>
/// <param name="Unchanged">Keys already stored as they should be.</param>
public readonly record struct KeyWriteCounts(int Written, int Deleted, int Unchanged)
{
    /// <summary>Adds two counts.</summary>
    /// <param name="a">The first.</param>
    /// <param name="b">The second.</param>
    /// <returns>The sum.</returns>
    public static KeyWriteCounts operator +(KeyWriteCounts a, KeyWriteCounts b) => new(a.Written + b.Written, a.Deleted + b.Deleted, a.Unchanged + b.Unchanged);
}

/// <summary>
/// Keeps a CRM's stored match keys (<see cref="Matching.StoredMatchKeys"/>) current, so that its directory finds
/// candidates by exact lookups. One per host; every write is idempotent.
/// </summary>
public interface IMatchKeyWriter
{
    /// <summary>Writes the keys of saved records (accounts, contacts, leads; anything else is ignored); a closed lead's keys are deleted.</summary>
    /// <param name="records">The records as saved.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>What was written.</returns>
    Task<KeyWriteCounts> WriteAsync(IReadOnlyList<CrmRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Reads records again and writes their keys: for a save whose call did not carry the whole record.</summary>
    /// <param name="records">The accounts, contacts and leads (other kinds are ignored).</param>
    /// <param name="cancellationToken">Cancels the refresh.</param>
    /// <returns>What was written.</returns>
    Task<KeyWriteCounts> RefreshAsync(IReadOnlyList<RecordRef> records, CancellationToken cancellationToken = default);

    /// <summary>Deletes the keys of deleted records.</summary>
    /// <param name="recordIds">The records.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>What was deleted.</returns>
    Task<KeyWriteCounts> DeleteAsync(IReadOnlyList<string> recordIds, CancellationToken cancellationToken = default);
}

/// <summary>What an <see cref="IGuardOutcomeWriter"/> does with the records a call saved or deleted.</summary>
public static class MatchKeyWriterExtensions
{
    /// <summary>Keeps the keys of a call's records current: writes <see cref="GuardEvent.Saved"/>, re-reads <see cref="GuardEvent.Reread"/>, deletes <see cref="GuardEvent.Deleted"/>.</summary>
    /// <param name="keys">The host's key writer.</param>
    /// <param name="saveEvent">The call, as read.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>A task that completes when the keys are written.</returns>
    public static async Task KeepCurrentAsync(this IMatchKeyWriter keys, GuardEvent saveEvent, CancellationToken cancellationToken)
    {
        if (keys is null)
            throw new ArgumentNullException(nameof(keys));
        if (saveEvent is null)
            throw new ArgumentNullException(nameof(saveEvent));
        if (saveEvent.Saved.Count > 0)
            await keys.WriteAsync(saveEvent.Saved, cancellationToken).ConfigureAwait(false);
        if (saveEvent.Reread.Count > 0)
            await keys.RefreshAsync(saveEvent.Reread, cancellationToken).ConfigureAwait(false);
        if (saveEvent.Deleted.Count > 0)
            await keys.DeleteAsync(saveEvent.Deleted.Select(d => d.Id).ToList(), cancellationToken).ConfigureAwait(false);
    }
}
