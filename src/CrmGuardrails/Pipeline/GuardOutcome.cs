namespace CrmGuardrails;

/// <summary>
/// What a host does about a checked save: refuse it or let it through, the flag to write on the record (or clear), the
/// message within the host's limit, and the activity's new reschedule count. Hosts apply it; they decide nothing.
/// </summary>
/// <remarks>
/// Shadow mode lives here, so every host honours it by applying the outcome as it always does: findings of rules in
/// shadow are in <see cref="Shadow"/>, never in <see cref="Result"/>, so they block, flag and notify nobody; when the whole
/// policy is in shadow (<see cref="ShadowMode"/>) the outcome also clears no flag and counts no reschedule. The decision
/// log records <see cref="Decided"/>: what would have happened.
/// </remarks>
public sealed record GuardOutcome
{
    /// <summary>Initializes a new instance of the <see cref="GuardOutcome"/> class, every finding applied.</summary>
    /// <param name="request">The save as checked (its previous record resolved).</param>
    /// <param name="result">The verdict and its findings.</param>
    public GuardOutcome(GuardRequest request, GuardResult result)
        : this(request, result, GuardResult.Allowed, shadowMode: false)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GuardOutcome"/> class with findings held back by shadow mode.</summary>
    /// <param name="request">The save as checked (its previous record resolved).</param>
    /// <param name="result">The findings applied: the verdict the host enforces.</param>
    /// <param name="shadow">The findings of rules in shadow mode: decided and logged, never applied.</param>
    /// <param name="shadowMode">Whether the whole policy is in shadow mode (the host then writes nothing back).</param>
    public GuardOutcome(GuardRequest request, GuardResult result, GuardResult shadow, bool shadowMode)
    {
        Request = request ?? throw new ArgumentNullException(nameof(request));
        Result = result ?? throw new ArgumentNullException(nameof(result));
        Shadow = shadow ?? throw new ArgumentNullException(nameof(shadow));
        ShadowMode = shadowMode;
    }

    /// <summary>Gets the save as checked.</summary>
    public GuardRequest Request { get; }

    /// <summary>Gets the verdict the host applies and its findings (rules in shadow mode left out).</summary>
    public GuardResult Result { get; }

    /// <summary>Gets the findings of rules in shadow mode: decided and logged, but neither blocking, flagging nor notifying.</summary>
    public GuardResult Shadow { get; }

    /// <summary>Gets what the guards decided, every rule counted: what would have happened with every rule enforced.</summary>
    public GuardResult Decided => Shadow.Findings.Count == 0 ? Result : GuardResult.Merge([Result, Shadow]);

    /// <summary>Gets a value indicating whether the whole policy is in shadow mode: the host writes nothing to the CRM about this save.</summary>
    public bool ShadowMode { get; }

    /// <summary>
    /// Gets a value indicating whether the host clears a flag it wrote for an earlier version of the record: the save is
    /// allowed, no rule in shadow would have flagged it, and the policy is not in shadow mode.
    /// </summary>
    public bool ClearsFlag => Flag is null && Shadow.Findings.Count == 0 && !ShadowMode;

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
    /// earlier version of the record when <see cref="ClearsFlag"/>.
    /// </summary>
    public string? Flag => Result.Findings.Count == 0 ? null
        : Result.Findings.All(f => f.NotChecked) ? "not-checked"
        : Result.IsBlocked ? "block" : "flag";

    /// <summary>Gets the ids of the rules that fired, strongest first, comma-separated; empty when allowed.</summary>
    public string Rules => string.Join(",", Result.Rules);

    /// <summary>
    /// Gets the count to store when an update moved an activity's scheduled start: the previous count plus one; else
    /// <see langword="null"/> (leave the stored count as it is) — always in shadow mode, or when the <c>reschedule</c>
    /// rule is in shadow.
    /// </summary>
    public int? RescheduleCount =>
        !CountsReschedules ? null :
        Request is { Operation: GuardOperation.Update, Record: Activity { ScheduledStart: { } after }, Previous: Activity { ScheduledStart: { } before } previous } && before != after
            ? RescheduleCounting.After(previous.RescheduleCount, moved: true)
            : null;

    /// <summary>Gets a value indicating whether the reschedule count is kept: neither the policy nor the <c>reschedule</c> rule is in shadow mode.</summary>
    internal bool CountsReschedules { get; init; } = true;

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
