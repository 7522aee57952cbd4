namespace CrmGuardrails.Decisions;

/// <summary>
/// The decision log: every decision of the guards, kept for the admin's report. The embedded default is a SQLite file
/// (<c>CrmGuardrails.DecisionLog.Sqlite</c>); several webhook hosts share one PostgreSQL log (<c>CrmGuardrails.DecisionLog.PostgreSql</c>).
/// </summary>
/// <remarks>
/// Implementations are thread-safe and may be written by several processes at once. A batch is appended whole or not at
/// all (no half row after a crash); appending a record whose <see cref="DecisionRecord.Id"/> is already there keeps the
/// first. Hosts never call <see cref="AppendAsync"/> on the save's path: a <see cref="DecisionLogQueue"/> does, off it.
/// </remarks>
public interface IDecisionLog
{
    /// <summary>Appends a batch of decisions in one transaction.</summary>
    /// <param name="records">The decisions.</param>
    /// <param name="cancellationToken">Cancels the write (the batch is then not written).</param>
    /// <returns>A task that completes when the batch is durable.</returns>
    ValueTask AppendAsync(IReadOnlyList<DecisionRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of decisions, oldest first (by <see cref="DecisionRecord.Time"/>, then <see cref="DecisionRecord.Id"/>).</summary>
    /// <param name="query">What to read: time range, rule, verdict, page size, where the previous page ended.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page, and where the next one starts (<see langword="null"/> after the last).</returns>
    /// <exception cref="ArgumentException">The query's continuation token is not one this log gave out.</exception>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The query is invalid (<see cref="OptionsValidation"/>).</exception>
    ValueTask<DecisionPage> QueryAsync(DecisionQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes decisions older than a time (retention).</summary>
    /// <param name="cutoff">Decisions before it are deleted.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many were deleted.</returns>
    ValueTask<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}

/// <summary>Which decisions to read from an <see cref="IDecisionLog"/>. Every filter left <see langword="null"/> matches everything.</summary>
public sealed record DecisionQuery : System.ComponentModel.DataAnnotations.IValidatableObject
{
    /// <summary>The largest page a log returns.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>Gets the earliest time included.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the time before which decisions are included (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets a rule id: only decisions with a finding of that rule (applied or shadow).</summary>
    public string? RuleId { get; init; }

    /// <summary>Gets a verdict: only decisions the guards decided so (<see cref="DecisionRecord.Verdict"/>).</summary>
    public Verdict? Verdict { get; init; }

    /// <summary>Gets a host name: only decisions of that host.</summary>
    public string? Host { get; init; }

    /// <summary>Gets how many decisions a page holds at most.</summary>
    /// <value>The default value is 500. It must be between 1 and <see cref="MaxPageSize"/>.</value>
    [System.ComponentModel.DataAnnotations.Range(1, MaxPageSize)]
    public int PageSize { get; init; } = 500;

    /// <summary>Gets where the previous page ended (<see cref="DecisionPage.ContinuationToken"/>), or <see langword="null"/> for the first page.</summary>
    public string? ContinuationToken { get; init; }

    /// <inheritdoc />
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (From is { } from && To is { } to && to < from)
            yield return new($"To ({to:o}) must not be before From ({from:o}).", [nameof(To)]);
    }
}

/// <summary>One page of decisions.</summary>
/// <param name="Records">The decisions, oldest first.</param>
/// <param name="ContinuationToken">Where the next page starts, or <see langword="null"/> when this is the last.</param>
public sealed record DecisionPage(IReadOnlyList<DecisionRecord> Records, string? ContinuationToken);

/// <summary>Reads a whole decision log, page by page.</summary>
public static class DecisionLogExtensions
{
    /// <summary>Streams every decision the query matches, oldest first, one page at a time.</summary>
    /// <param name="log">The log.</param>
    /// <param name="query">The query; its <see cref="DecisionQuery.ContinuationToken"/> says where to start.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The decisions.</returns>
    public static async IAsyncEnumerable<DecisionRecord> ReadAllAsync(this IDecisionLog log, DecisionQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (log is null)
            throw new ArgumentNullException(nameof(log));
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        while (true)
        {
            var page = await log.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Records)
                yield return record;
            if (page.ContinuationToken is null)
                yield break;
            query = query with { ContinuationToken = page.ContinuationToken };
        }
    }
}

/// <summary>Hands each decision of a pipeline to the decision log; must return at once (it runs on the save's path).</summary>
public interface IDecisionRecorder
{
    /// <summary>Takes a decision without waiting for it to be written; never throws.</summary>
    /// <param name="record">The decision.</param>
    void Record(DecisionRecord record);
}
