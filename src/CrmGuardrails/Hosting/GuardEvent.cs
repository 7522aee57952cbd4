namespace CrmGuardrails.Hosting;

/// <summary>
/// Reads what a CRM sends when a record is saved (a Dataverse execution context, a Salesforce event) into the saves to
/// check. One reader per CRM; the endpoint that receives the call is the same for all (<c>CrmGuardrails.AspNetCore</c>).
/// </summary>
/// <remarks>Implementations are immutable and thread-safe. A body that is not what the CRM sends is a <see cref="GuardEventFormatException"/> naming the field.</remarks>
public interface IGuardEventReader
{
    /// <summary>Reads one call.</summary>
    /// <param name="body">The body as received (UTF-8).</param>
    /// <param name="header">Gets a request header by name (case-insensitive), or <see langword="null"/>.</param>
    /// <returns>The saves to check, or why there is nothing to check.</returns>
    /// <exception cref="GuardEventFormatException">The body is not what the CRM sends; the message names the field.</exception>
    GuardEvent Read(ReadOnlyMemory<byte> body, Func<string, string?> header);
}

/// <summary>
/// Applies what the guards decided about saves the CRM has already made (a call after the save cannot refuse it): flags,
/// reschedule counts, and the match keys of saved accounts, contacts and leads.
/// </summary>
/// <remarks>Implementations are thread-safe, honour the token, and are idempotent (the CRM may send a call twice).</remarks>
public interface IGuardOutcomeWriter
{
    /// <summary>Writes the outcomes of one call.</summary>
    /// <param name="saveEvent">The call, as read.</param>
    /// <param name="outcomes">One outcome per request of <paramref name="saveEvent"/>, in order.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>How many writes succeeded and failed.</returns>
    ValueTask<GuardWriteCounts> WriteAsync(GuardEvent saveEvent, IReadOnlyList<GuardOutcome> outcomes, CancellationToken cancellationToken);
}

/// <summary>How many records an <see cref="IGuardOutcomeWriter"/> wrote, and how many it could not.</summary>
/// <param name="Written">Records written.</param>
/// <param name="Failed">Records that could not be written (logged by the writer).</param>
public readonly record struct GuardWriteCounts(int Written, int Failed);

/// <summary>One call from a CRM about saved records, as an <see cref="IGuardEventReader"/> read it.</summary>
public sealed record GuardEvent
{
    /// <summary>Gets the saves to check, one per record.</summary>
    public IReadOnlyList<GuardRequest> Requests { get; init; } = [];

    /// <summary>
    /// Gets a value indicating whether the CRM waits for the answer before saving, so a refusal cancels the save; when
    /// <see langword="false"/>, the records are saved and the outcome is written back by an <see cref="IGuardOutcomeWriter"/>.
    /// </summary>
    public bool BeforeSave { get; init; }

    /// <summary>Gets what was saved, in words for logs (<c>Create of lead</c>); never record content.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Gets the CRM's id of the operation, for logs and answers.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Gets why the call is not checked (a message or table the guards do not check, a save made by automation), or <see langword="null"/>.</summary>
    public string? SkipReason { get; init; }

    /// <summary>
    /// Gets why the call could not be checked although it should have been (the CRM left the record out), or
    /// <see langword="null"/>: it is answered by the lookup-failure policy, and <see cref="Requests"/> then only name the
    /// records (by id) that the "not checked" flag is written on.
    /// </summary>
    public string? NotCheckedReason { get; init; }

    /// <summary>Gets accounts, contacts and leads saved by this call, whose match keys the writer keeps current.</summary>
    public IReadOnlyList<CrmRecord> Saved { get; init; } = [];

    /// <summary>Gets records saved by this call whose whole row the call did not carry: the writer reads them again to keep their match keys current.</summary>
    public IReadOnlyList<RecordRef> Reread { get; init; } = [];

    /// <summary>Gets records deleted by this call, whose match keys the writer removes.</summary>
    public IReadOnlyList<RecordRef> Deleted { get; init; } = [];

    /// <summary>Gets the ids of records that carried a flag from an earlier check, so an allowed update clears it.</summary>
    public IReadOnlyCollection<string> FlaggedBefore { get; init; } = [];
}

/// <summary>A call's body is not what the CRM sends: the message names the field.</summary>
public class GuardEventFormatException : GuardrailsException
{
    /// <summary>Initializes a new instance of the <see cref="GuardEventFormatException"/> class.</summary>
    /// <param name="field">The path of the offending field (for example <c>InputParameters[0].value.Attributes[2].value</c>); empty for the whole body.</param>
    /// <param name="problem">What is wrong with it.</param>
    public GuardEventFormatException(string field, string problem)
        : base(string.IsNullOrEmpty(field) ? problem : $"{field}: {problem}")
    {
        Field = field ?? string.Empty;
        Problem = problem ?? string.Empty;
    }

    /// <summary>Gets the path of the offending field; empty for the whole body.</summary>
    public string Field { get; }

    /// <summary>Gets what is wrong with the field.</summary>
    public string Problem { get; }
}
