using CrmGuardrails.Matching;

namespace CrmGuardrails.Cli.Explain;

/// <summary>Why the existing-customer rule decides what it does about one lead, and what would change it.</summary>
internal sealed record LeadExplanation
{
    public required Lead Lead { get; init; }

    /// <summary>Gets the owner the lead is checked for (the one who would save it).</summary>
    public required string OwnerId { get; init; }

    /// <summary>Gets a value indicating whether the existing-customer rule is on in the policy.</summary>
    public bool RuleEnabled { get; init; }

    /// <summary>Gets the verdict of the existing-customer rule, as the pipeline gives it.</summary>
    public Verdict Verdict { get; init; }

    /// <summary>Gets the guard's sentence; empty on allow.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>Gets the account the matcher chose, with its score, or <see langword="null"/> when no candidate agrees.</summary>
    public AccountMatch? Match { get; init; }

    /// <summary>Gets a value indicating whether the owner is the matched account's owner or on its team (never in collision).</summary>
    public bool OwnerBelongsToAccount { get; init; }

    /// <summary>Gets the thresholds in force.</summary>
    public double BlockAtScore { get; init; }

    /// <summary>Gets the flag threshold in force.</summary>
    public double FlagAtScore { get; init; }

    /// <summary>Gets the candidate accounts, strongest first.</summary>
    public IReadOnlyList<CandidateAccount> Candidates { get; init; } = [];

    /// <summary>Gets the threshold changes that would change the verdict.</summary>
    public IReadOnlyList<ThresholdChange> Changes { get; init; } = [];

    /// <summary>Gets why no threshold changes the verdict, when none does.</summary>
    public string? Unchangeable { get; init; }
}

/// <summary>One candidate account: its weight (log-likelihood bits) and the evidence of each field.</summary>
internal sealed record CandidateAccount(Account Account, double Weight, IReadOnlyList<MatchEvidence> Evidence, bool Chosen);

/// <summary>A policy change that would turn the verdict into another: set every one of <see cref="Options"/> to <see cref="Value"/>.</summary>
/// <param name="Options">The options' paths in the policy file (<c>ExistingCustomer.BlockAtScore</c>); FlagAtScore may never exceed BlockAtScore, so some changes move both.</param>
/// <param name="Comparison">How the option must compare with the score (<c>&gt;</c> or <c>&lt;=</c>).</param>
/// <param name="Value">A value that makes the change (the boundary).</param>
/// <param name="Verdict">The verdict it would give.</param>
internal sealed record ThresholdChange(IReadOnlyList<string> Options, string Comparison, double Value, Verdict Verdict);
