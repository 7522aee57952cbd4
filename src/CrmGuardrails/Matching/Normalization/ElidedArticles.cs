namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// The articles and prepositions that elide before a vowel, read as words of their own: French "d'", "l'", Italian
/// "dell'", "dall'", "nell'", "sull'" ("all'" is an English word too). A name's connectors and stop words. Kept apart,
/// with no other dependency, so that every table may read it while the others are built.
/// </summary>
internal static class ElidedArticles
{
    /// <summary>The words, folded.</summary>
    public static readonly string[] Words = ["d", "l", "dell", "dall", "nell", "sull"];
}
