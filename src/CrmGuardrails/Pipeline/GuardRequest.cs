namespace CrmGuardrails;

/// <summary>A save to check: what is being created or changed, and by whom.</summary>
public sealed record GuardRequest
{
    /// <summary>Gets whether the record is being created or changed.</summary>
    public GuardOperation Operation { get; init; }

    /// <summary>Gets the record as it will be saved (for an update: the whole record after the change).</summary>
    public required CrmRecord Record { get; init; }

    /// <summary>
    /// Gets the record before the change (updates only). When missing and <see cref="CanReadPrevious"/>, the pipeline
    /// asks the directory for it, inside the check's time budget.
    /// </summary>
    public CrmRecord? Previous { get; init; }

    /// <summary>
    /// Gets a value indicating whether the directory still holds the record as it was before this update, so the pipeline
    /// may read it there when <see cref="Previous"/> is missing. A host checking after the save (an asynchronous
    /// post-operation step) sets <see langword="false"/>: the directory would answer the record as saved.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CanReadPrevious { get; init; } = true;

    /// <summary>
    /// Gets, for an update whose host sent only the columns being set and no previous record, the function that applies
    /// those columns to the previous record once the pipeline has read it: <see cref="Record"/> then becomes the record as
    /// saved. <see langword="null"/> when <see cref="Record"/> is already whole.
    /// </summary>
    public Func<CrmRecord, CrmRecord>? ApplyChanges { get; init; }

    /// <summary>Gets the host's name for the record's table (<c>phonecall</c>, <c>Task</c>), carried to the outcome; <see langword="null"/> when the host has none.</summary>
    public string? Table { get; init; }

    /// <summary>Gets the id of the user saving the record.</summary>
    public required string UserId { get; init; }

    /// <summary>Gets when the save happens; <see langword="null"/> means now, by the pipeline's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>Gets an id that ties logs and notifications to the host's operation.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Creates a request for a new record.</summary>
    /// <param name="record">The record being created.</param>
    /// <param name="userId">The user saving it.</param>
    /// <returns>The request.</returns>
    public static GuardRequest ForCreate(CrmRecord record, string userId) =>
        new() { Operation = GuardOperation.Create, Record = record, UserId = userId };

    /// <summary>Creates a request for a change.</summary>
    /// <param name="previous">The record before the change.</param>
    /// <param name="updated">The whole record after the change.</param>
    /// <param name="userId">The user saving it.</param>
    /// <returns>The request.</returns>
    public static GuardRequest ForUpdate(CrmRecord previous, CrmRecord updated, string userId) =>
        new() { Operation = GuardOperation.Update, Record = updated, Previous = previous, UserId = userId };
}
