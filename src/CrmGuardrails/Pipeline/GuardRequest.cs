namespace CrmGuardrails;

/// <summary>A save to check: what is being created or changed, and by whom.</summary>
public sealed record GuardRequest
{
    /// <summary>Gets whether the record is being created or changed.</summary>
    public GuardOperation Operation { get; init; }

    /// <summary>Gets the record as it will be saved (for an update: the whole record after the change).</summary>
    public required CrmRecord Record { get; init; }

    /// <summary>Gets the record before the change (updates only); when missing, the pipeline asks the directory.</summary>
    public CrmRecord? Previous { get; init; }

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
