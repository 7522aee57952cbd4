using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Matching.Scoring;

/// <summary>
/// How much a company-name word tells (bits = -log2 of the share of companies whose name has it), for term-frequency
/// adjusted name weights. Without a corpus, built-in frequencies of common business words are used.
/// </summary>
internal sealed class TokenStatistics
{
    /// <summary>Information of a word never seen: a distinctive word.</summary>
    public const double RareBits = 11;

    /// <summary>Words worth less than this are not used as blocking keys.</summary>
    public const double KeyBits = 6.5;

    private const double MaxBits = 16;
    private const double MinBits = 0.5;

    /// <summary>Words common in company names everywhere (industries, generic nouns); worth about 4 bits by default.</summary>
    private static readonly HashSet<string> GenericWords = new(StringComparer.Ordinal)
    {
        "global", "systems", "system", "solutions", "solution", "services", "service", "group", "holdings", "holding",
        "international", "intl", "consulting", "consultants", "partners", "partner", "associates", "technologies",
        "technology", "tech", "industries", "industry", "enterprises", "enterprise", "capital", "management", "media",
        "digital", "software", "energy", "pharma", "pharmaceuticals", "health", "healthcare", "medical", "clinic",
        "clinics", "financial", "finance", "bank", "insurance", "realty", "real", "estate", "properties", "property",
        "construction", "builders", "engineering", "manufacturing", "motors", "auto", "automotive", "logistics",
        "transport", "travel", "foods", "food", "restaurant", "cafe", "hotel", "bakery", "studios", "studio", "design",
        "marketing", "labs", "lab", "research", "networks", "network", "communications", "telecom", "wireless", "cloud",
        "data", "analytics", "security", "education", "learning", "academy", "school", "university", "foundation",
        "trust", "fund", "investments", "investment", "ventures", "venture", "trading", "supply", "supplies", "products",
        "retail", "store", "stores", "shop", "farms", "farm", "agri", "mining", "metals", "steel", "oil", "gas", "power",
        "electric", "water", "wind", "solar", "chemicals", "plastics", "textiles", "apparel", "fashion", "entertainment",
        "sports", "games", "airlines", "air", "aviation", "marine", "shipping", "semiconductors", "electronics",
        "instruments", "devices", "robotics", "dynamics", "labs", "biotech", "bio", "life", "sciences", "care",
        "home", "homes", "house", "world", "national", "american", "european", "asia", "pacific", "atlantic", "united",
        "general", "first", "new", "north", "south", "east", "west", "central", "city", "company", "co", "corp",
        "hospitality", "legal", "law", "accounting", "advisors", "advisory", "agency", "works", "center", "centre",
        "institute", "association", "society", "club", "union", "the", "de", "du", "des", "la", "le", "et", "und",
        "y", "e", "of", "for", "and", "in", "at", "on", "by", "a", "an", "creative", "smart", "pro", "plus", "one",
    };

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "and", "of", "the", "de", "du", "des", "la", "le", "et", "und", "y", "e", "for", "in", "at", "on", "by", "a", "an", "van", "von", "der", "den",
    };

    private readonly Dictionary<string, int>? _counts;
    private readonly int _documents;

    private TokenStatistics(Dictionary<string, int>? counts, int documents)
    {
        _counts = counts;
        _documents = documents;
    }

    /// <summary>Gets statistics with built-in frequencies only.</summary>
    public static TokenStatistics Default { get; } = new(null, 0);

    /// <summary>Gets a value indicating whether the frequencies come from a corpus.</summary>
    public bool IsCorpusAware => _counts is not null;

    /// <summary>Counts name words over a corpus of company names (already normalised).</summary>
    public static TokenStatistics FromNames(IEnumerable<CompanyName> names)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var documents = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            documents++;
            seen.Clear();
            foreach (var token in name.Tokens)
            {
                if (seen.Add(token))
                    counts[token] = counts.TryGetValue(token, out var c) ? c + 1 : 1;
            }
        }

        // Tiny corpora say little about frequency: below 200 names keep the built-in figures.
        return documents < 200 ? Default : new TokenStatistics(counts, documents);
    }

    /// <summary>Tells whether a word is a connector ("and", "of") that never identifies a company.</summary>
    public static bool IsStopWord(string token) => StopWords.Contains(token);

    /// <summary>Returns the information of a word in bits.</summary>
    public double Bits(string token)
    {
        if (StopWords.Contains(token))
            return MinBits;
        var builtIn = token.Length <= 2 ? 3 : GenericWords.Contains(token) ? 4 : RareBits;
        if (_counts is null)
            return builtIn;
        _counts.TryGetValue(token, out var count);

        // Smoothed document frequency; a word unseen in the corpus is as rare as the corpus can tell.
        var bits = Math.Log((_documents + 2.0) / (count + 1.0), 2);
        if (count <= 1)
            bits = Math.Max(bits, builtIn);
        return Math.Max(MinBits, Math.Min(MaxBits, Math.Min(bits, builtIn + 4)));
    }
}
