namespace CrmGuardrails.Matching;

/// <summary>Settings of the matching engine.</summary>
public sealed record MatchingOptions
{
    /// <summary>Gets the default options.</summary>
    public static MatchingOptions Default { get; } = new();

    /// <summary>Gets the region (ISO 3166 alpha-2) used to read phones of records with no country. The default value is <c>US</c>.</summary>
    public string DefaultRegion { get; init; } = "US";

    /// <summary>
    /// Gets registrable domains that count as company domains even though the free-mail lists name them (for example
    /// <c>yahoo.com</c> when Yahoo is a customer).
    /// </summary>
    public IReadOnlyCollection<string> FreeMailAllowList { get; init; } = [];
}

/// <summary>The calibrated default score bands of the matching engine.</summary>
/// <remarks>Tuned on the synthetic development set and Fodors-Zagat (see docs/matching.md) so that blocks are rare
/// mistakes and flags catch nearly every lead of an existing account.</remarks>
public static class MatchScoreBands
{
    /// <summary>At or above this score a lead is blocked as an existing account.</summary>
    public const double Block = 0.99;

    /// <summary>At or above this score (and below <see cref="Block"/>) a lead is flagged.</summary>
    public const double Flag = 0.5;

    /// <summary>Maps a score to a verdict with the default bands.</summary>
    /// <param name="score">The match probability.</param>
    /// <returns>The verdict.</returns>
    public static Verdict ToVerdict(double score) => score >= Block ? Verdict.Block : score >= Flag ? Verdict.Flag : Verdict.Allow;
}
