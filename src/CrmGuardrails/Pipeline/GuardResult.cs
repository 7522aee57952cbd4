using CrmGuardrails.Matching;

namespace CrmGuardrails;

/// <summary>The existing record a new or changed record collides with.</summary>
public sealed record Collision
{
    /// <summary>Gets the colliding record.</summary>
    public RecordRef Record { get; init; }

    /// <summary>Gets the colliding record's owner.</summary>
    public string? OwnerId { get; init; }

    /// <summary>Gets the owner's display name, when known.</summary>
    public string? OwnerName { get; init; }

    /// <summary>Gets the colliding record's name as a user may see it (an account or person name; an activity's kind).</summary>
    public string? Name { get; init; }

    /// <summary>Gets the date that matters: an activity's scheduled start or creation.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>Gets the colliding activity's subject, or <see langword="null"/> when the acting user may not read it.</summary>
    public string? Subject { get; init; }

    /// <summary>Gets a value indicating whether content was withheld from this collision by the redaction rule.</summary>
    public bool Redacted { get; init; }

    /// <summary>Gets the match score (0 to 1) for matching rules, else <see langword="null"/>.</summary>
    public double? Score { get; init; }

    /// <summary>Gets the evidence behind a match: which fields agreed and how much each counted.</summary>
    public IReadOnlyList<MatchEvidence> Evidence { get; init; } = [];
}

/// <summary>One rule's finding about a save.</summary>
public sealed record GuardFinding
{
    /// <summary>Gets the id of the rule (<c>existing-customer</c>, <c>duplicate-lead</c>, <c>rep-collision</c>, <c>channel-fanout</c>, <c>reschedule</c>), or of a custom guard.</summary>
    public required string RuleId { get; init; }

    /// <summary>Gets the stable code of the finding (see <see cref="GuardCodes"/>).</summary>
    public required string Code { get; init; }

    /// <summary>Gets what the finding decides.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>Gets the one plain sentence the user sees.</summary>
    public required string Message { get; init; }

    /// <summary>Gets the record the finding collides with, if any.</summary>
    public Collision? Collision { get; init; }

    /// <summary>Gets a value indicating whether the rule could not ask the CRM and answered by the lookup-failure policy.</summary>
    public bool NotChecked { get; init; }

    /// <summary>Gets the users to tell about this finding (an account owner, a manager).</summary>
    public IReadOnlyList<string> NotifyUserIds { get; init; } = [];

    /// <summary>Gets the values placed in <see cref="Message"/>, so hosts can localise or re-render it.</summary>
    public IReadOnlyDictionary<string, string> MessageArguments { get; init; } = EmptyArguments;

    internal static IReadOnlyDictionary<string, string> EmptyArguments { get; } = new Dictionary<string, string>();
}

/// <summary>The outcome of the guards for one save: the strongest verdict and every finding behind it.</summary>
public sealed record GuardResult
{
    /// <summary>Gets the result of a save nothing objects to.</summary>
    public static GuardResult Allowed { get; } = new([]);

    /// <summary>Initializes a new instance of the <see cref="GuardResult"/> class.</summary>
    /// <param name="findings">The findings; they are ordered strongest first.</param>
    public GuardResult(IEnumerable<GuardFinding> findings)
    {
        if (findings is null)
            throw new ArgumentNullException(nameof(findings));
        Findings = findings.Select((f, i) => (f, i)).OrderByDescending(x => x.f.Verdict).ThenBy(x => x.i).Select(x => x.f).ToList();
        Verdict = Findings.Count == 0 ? Verdict.Allow : Findings[0].Verdict;
        Rules = Findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Gets the strongest verdict of the findings; <see cref="Verdict.Allow"/> when there are none.</summary>
    public Verdict Verdict { get; }

    /// <summary>Gets the findings, strongest first.</summary>
    public IReadOnlyList<GuardFinding> Findings { get; }

    /// <summary>Gets a value indicating whether the save must be refused.</summary>
    public bool IsBlocked => Verdict == Verdict.Block;

    /// <summary>Gets a value indicating whether the save goes ahead but is flagged.</summary>
    public bool IsFlagged => Verdict == Verdict.Flag;

    /// <summary>Gets the message of the strongest finding, or an empty string when allowed.</summary>
    public string Message => Findings.Count == 0 ? string.Empty : Findings[0].Message;

    /// <summary>Gets the ids of the rules that fired, strongest first, without repeats.</summary>
    public IReadOnlyList<string> Rules { get; }

    /// <summary>Merges several results into one.</summary>
    /// <param name="results">The results.</param>
    /// <returns>A result holding every finding.</returns>
    public static GuardResult Merge(IEnumerable<GuardResult> results) => new(results.SelectMany(r => r.Findings));

    /// <summary>Throws <see cref="GuardBlockedException"/> when the save is blocked; for callers that prefer exceptions at their boundary.</summary>
    /// <returns>This result, when not blocked.</returns>
    /// <exception cref="GuardBlockedException">The result is a block.</exception>
    public GuardResult EnsureNotBlocked() => IsBlocked ? throw new GuardBlockedException(this) : this;
}

/// <summary>The stable codes of the built-in findings. Codes are public API and are never reused.</summary>
public static class GuardCodes
{
    /// <summary>A lead belongs to an existing account.</summary>
    public const string ExistingCustomer = "CRMG1001";

    /// <summary>A lead duplicates another user's open lead.</summary>
    public const string DuplicateLead = "CRMG1002";

    /// <summary>An outbound activity collides with another rep's open work or account.</summary>
    public const string RepCollision = "CRMG1003";

    /// <summary>An inbound activity continues a conversation open on another channel.</summary>
    public const string ChannelFanout = "CRMG1004";

    /// <summary>A meeting or call was moved again, or at the last minute.</summary>
    public const string Reschedule = "CRMG1005";

    /// <summary>A rule could not ask the CRM (throttled, down, out of time).</summary>
    public const string NotChecked = "CRMG9001";
}

/// <summary>The base of the exceptions CrmGuardrails throws at host boundaries.</summary>
public class GuardrailsException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="GuardrailsException"/> class.</summary>
    /// <param name="message">The message.</param>
    public GuardrailsException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GuardrailsException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause, if any.</param>
    public GuardrailsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Thrown by <see cref="GuardResult.EnsureNotBlocked"/> when a save is blocked.</summary>
public sealed class GuardBlockedException : GuardrailsException
{
    /// <summary>Initializes a new instance of the <see cref="GuardBlockedException"/> class.</summary>
    /// <param name="result">The blocking result.</param>
    public GuardBlockedException(GuardResult result)
        : base(result?.Message ?? string.Empty)
    {
        Result = result ?? throw new ArgumentNullException(nameof(result));
    }

    /// <summary>Gets the blocking result.</summary>
    public GuardResult Result { get; }
}
