namespace CrmGuardrails.Matching;

/// <summary>
/// Blocking keys: the normalised values under which records are indexed and looked up, so that finding candidates is
/// a handful of exact lookups (or one selective remote query), never a scan.
/// </summary>
public sealed record MatchKeys
{
    /// <summary>Gets keys with nothing in them.</summary>
    public static MatchKeys Empty { get; } = new();

    /// <summary>Gets the normalised company name (legal forms, punctuation and case removed), or empty.</summary>
    public string NormalizedName { get; init; } = string.Empty;

    /// <summary>
    /// Gets the blocking keys of the name, of a numbered street address and of a phone typed nationally with no country,
    /// for exact-key indexes (opaque strings: compare them only for equality).
    /// </summary>
    public IReadOnlyList<string> NameKeys { get; init; } = [];

    /// <summary>
    /// Gets plain-text name terms for hosts that search names by text (<c>startswith</c>, <c>like 'x%'</c>): the normalised
    /// name, then its distinctive words, rarest first. Common words ("global", "systems") are never among them.
    /// </summary>
    public IReadOnlyList<string> NameTerms { get; init; } = [];

    /// <summary>Gets registrable web and email domains (free-mail providers excluded), lower case.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>Gets phones in E.164 form (or digits when the country is unknown).</summary>
    public IReadOnlyList<string> Phones { get; init; } = [];

    /// <summary>Gets full email addresses, lower case.</summary>
    public IReadOnlyList<string> Emails { get; init; } = [];

    /// <summary>Gets a value indicating whether there is no key at all.</summary>
    public bool IsEmpty => (NameKeys is NameKeyList written ? written.Hashed.Count == 0 : NameKeys.Count == 0) && NameTerms.Count == 0 && Domains.Count == 0 && Phones.Count == 0 && Emails.Count == 0;
}
