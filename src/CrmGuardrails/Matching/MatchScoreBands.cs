namespace CrmGuardrails.Matching;

/// <summary>The calibrated default score bands of the default matcher.</summary>
public static class MatchScoreBands
{
    /// <summary>A match at or above this score is high-confidence: the <c>existing-customer</c> rule blocks.</summary>
    public const double Block = 0.9;

    /// <summary>A match at or above this score (and below <see cref="Block"/>) is medium-confidence: the rule flags.</summary>
    public const double Flag = 0.6;
}
