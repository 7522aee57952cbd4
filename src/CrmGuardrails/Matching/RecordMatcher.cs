using CrmGuardrails.Matching.Normalization;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Matching;

/// <summary>Creates the record matchers that ship with CrmGuardrails.</summary>
public static class RecordMatcher
{
    /// <summary>Creates the default matcher, with the embedded reference data and built-in word frequencies.</summary>
    /// <returns>A thread-safe matcher.</returns>
    public static IRecordMatcher CreateDefault() => new FellegiSunterMatcher(new MatchEngine(MatchingOptions.Default, TokenStatistics.Default));

    /// <summary>Creates the default matcher with options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>A thread-safe matcher.</returns>
    public static IRecordMatcher Create(MatchingOptions options) =>
        new FellegiSunterMatcher(new MatchEngine(options ?? throw new ArgumentNullException(nameof(options)), TokenStatistics.Default));

    /// <summary>
    /// Creates a matcher whose name weights use the word frequencies of a corpus of accounts (for bulk runs), so that a
    /// word common in this CRM counts little.
    /// </summary>
    /// <param name="corpus">The accounts (typically all of them).</param>
    /// <param name="options">The options, or null for the defaults.</param>
    /// <returns>A thread-safe matcher.</returns>
    public static IRecordMatcher Create(IEnumerable<Account> corpus, MatchingOptions? options = null)
    {
        if (corpus is null)
            throw new ArgumentNullException(nameof(corpus));
        var names = corpus.Select(a => CompanyNameNormalizer.Normalize(a?.Name)).ToList();
        return new FellegiSunterMatcher(new MatchEngine(options ?? MatchingOptions.Default, TokenStatistics.FromNamesInParallel(names)));
    }
}
