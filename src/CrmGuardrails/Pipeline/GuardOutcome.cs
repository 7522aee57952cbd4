namespace CrmGuardrails;

/// <summary>
/// What a host does about a checked save: refuse it or let it through, the flag to write on the record (or clear), the
/// message within the host's limit, and the activity's new reschedule count. Hosts apply it; they decide nothing.
/// </summary>
public sealed record GuardOutcome
{
    /// <summary>Initializes a new instance of the <see cref="GuardOutcome"/> class.</summary>
    /// <param name="request">The save as checked (its previous record resolved).</param>
    /// <param name="result">The verdict and its findings.</param>
    public GuardOutcome(GuardRequest request, GuardResult result)
    {
        Request = request ?? throw new ArgumentNullException(nameof(request));
        Result = result ?? throw new ArgumentNullException(nameof(result));
    }

    /// <summary>Gets the save as checked.</summary>
    public GuardRequest Request { get; }

    /// <summary>Gets the verdict and its findings.</summary>
    public GuardResult Result { get; }

    /// <summary>Gets the verdict.</summary>
    public Verdict Verdict => Result.Verdict;

    /// <summary>Gets a value indicating whether the save must be refused.</summary>
    public bool IsBlocked => Result.IsBlocked;

    /// <summary>Gets the record checked.</summary>
    public RecordRef Record => Request.Record.Ref;

    /// <summary>Gets the host's table of the record, as the request named it.</summary>
    public string? Table => Request.Table;

    /// <summary>
    /// Gets the flag to write on the record: <c>block</c>, <c>flag</c>, <c>not-checked</c> (every finding is a
    /// "not checked" one), or <see langword="null"/> when the save is allowed — a host then clears the flag it wrote for an
    /// earlier version of the record.
    /// </summary>
    public string? Flag => Result.Findings.Count == 0 ? null
        : Result.Findings.All(f => f.NotChecked) ? "not-checked"
        : Result.IsBlocked ? "block" : "flag";

    /// <summary>Gets the ids of the rules that fired, strongest first, comma-separated; empty when allowed.</summary>
    public string Rules => string.Join(",", Result.Rules);

    /// <summary>
    /// Gets the count to store when an update moved an activity's scheduled start: the previous count plus one; else
    /// <see langword="null"/> (leave the stored count as it is).
    /// </summary>
    public int? RescheduleCount =>
        Request is { Operation: GuardOperation.Update, Record: Activity { ScheduledStart: { } after }, Previous: Activity { ScheduledStart: { } before } previous } && before != after
            ? RescheduleCounting.After(previous.RescheduleCount, moved: true)
            : null;

    /// <summary>Gets the users the findings name to tell (the pipeline's notifier has told them).</summary>
    public IReadOnlyList<string> Recipients => Result.Findings.SelectMany(f => f.NotifyUserIds).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Gets the message of the strongest finding within a host's length limit (cut with an ellipsis).</summary>
    /// <param name="maxLength">The most characters the host keeps (at least 2).</param>
    /// <returns>The message.</returns>
    public string MessageWithin(int maxLength)
    {
        if (maxLength < 2)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "A message needs room for at least two characters.");
        var message = Result.Message;
        if (message.Length <= maxLength)
            return message;
        var cut = maxLength - 1;
        if (char.IsHighSurrogate(message[cut - 1]))
            cut--;
        return message.Substring(0, cut) + "…";
    }
}
