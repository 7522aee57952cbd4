namespace CrmGuardrails.Matching.Normalization;

/// <summary>A company name reduced to the words that identify the company.</summary>
/// <param name="Tokens">The identifying words.</param>
/// <param name="Compact">The words run together ("nguyenandcollins"), so "BetaMotors" meets "Beta Motors".</param>
internal sealed record CompanyName(string[] Tokens, string Compact)
{
    public static CompanyName Empty { get; } = new([], string.Empty);

    /// <summary>Gets the identifying words, space separated ("nguyen and collins"); built on demand to save memory at scale.</summary>
    public string Core => string.Join(" ", Tokens);

    public bool IsEmpty => Tokens.Length == 0;
}

/// <summary>
/// Normalises company names: Unicode folding, "The", legal forms of every country (cleanco and rigour terms, from the
/// end, repeatedly, as in "GmbH &amp; Co. KG"), a few prefix forms ("PT", "OOO"), and division suffixes ("- EMEA", "(UK)").
/// </summary>
internal static class CompanyNameNormalizer
{
    private const int MaxFormWords = 5;

    private static readonly Lazy<HashSet<string>> FormSet = new(BuildForms);
    private static readonly Lazy<HashSet<string>> FormLastWords = new(() => new HashSet<string>(FormSet.Value.Select(f => f.Substring(f.LastIndexOf(' ') + 1)), StringComparer.Ordinal));

    /// <summary>Legal forms written before the name in some countries; only these are stripped at the start.</summary>
    private static readonly HashSet<string> PrefixForms = new(StringComparer.Ordinal)
    {
        "pt", "ooo", "oao", "zao", "pao", "tov", "cv", "pt tbk",
    };

    /// <summary>Region and division words that follow a company name without changing the company.</summary>
    private static readonly HashSet<string> DivisionWords = new(StringComparer.Ordinal)
    {
        "emea", "apac", "latam", "uk", "usa", "us", "europe", "asia", "americas", "america", "north", "south", "east",
        "west", "central", "nordics", "dach", "benelux", "anz", "division", "branch", "office", "hq", "headquarters",
    };

    private static readonly char[] DivisionSeparators = ['|', '(', '\u2013', '\u2014'];

    /// <summary>Gets the folded legal-form phrases.</summary>
    internal static HashSet<string> LegalForms => FormSet.Value;

    public static CompanyName Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return CompanyName.Empty;
        var text = MatchText.Sanitize(raw!);
        text = StripDivision(text);
        var tokens = new List<string>(MatchText.Tokens(MatchText.Fold(text)));
        StripEdges(tokens);
        if (tokens.Count == 0)
        {
            // A name that is only a legal form ("The Company") keeps its words rather than vanish.
            tokens.AddRange(MatchText.Tokens(MatchText.Fold(text)));
        }

        var array = tokens.ToArray();
        return new CompanyName(array, string.Concat(array));
    }

    private static string StripDivision(string text)
    {
        // "River Cloud - EMEA", "Acme (UK)", "Acme | Europe": the part before the separator names the company.
        var cut = text.IndexOfAny(DivisionSeparators);
        var dash = text.IndexOf(" - ", StringComparison.Ordinal);
        if (dash > 0 && (cut < 0 || dash < cut))
            cut = dash;
        if (cut > 0)
        {
            var head = text.Substring(0, cut);
            if (MatchText.Fold(head).Length > 0)
                return head;
        }

        return text;
    }

    private static void StripEdges(List<string> tokens)
    {
        var changed = true;
        while (changed && tokens.Count > 0)
        {
            changed = false;
            if (tokens.Count > 1 && tokens[0] == "the")
            {
                tokens.RemoveAt(0);
                changed = true;
            }

            // "apple pan  the", "Belvedere, The".
            if (tokens.Count > 1 && tokens[tokens.Count - 1] is "the" or "and")
            {
                tokens.RemoveAt(tokens.Count - 1);
                changed = true;
            }

            if (tokens.Count > 1 && DivisionWords.Contains(tokens[tokens.Count - 1]) && tokens.Count > 2)
            {
                tokens.RemoveAt(tokens.Count - 1);
                changed = true;
            }

            var suffix = LongestFormAtEnd(tokens);
            if (suffix > 0 && suffix < tokens.Count)
            {
                tokens.RemoveRange(tokens.Count - suffix, suffix);
                changed = true;
            }

            if (tokens.Count > 1 && PrefixForms.Contains(tokens[0]))
            {
                tokens.RemoveAt(0);
                changed = true;
            }
        }
    }

    private static int LongestFormAtEnd(List<string> tokens)
    {
        // Most names do not end in a form word: one lookup rules them out before any phrase is built.
        if (!FormLastWords.Value.Contains(tokens[tokens.Count - 1]))
            return 0;
        var forms = FormSet.Value;
#if NET9_0_OR_GREATER
        // The phrase is looked up from a stack buffer: no list and no string per candidate length.
        var lookup = forms.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[256];
#endif
        for (var n = Math.Min(MaxFormWords, tokens.Count - 1); n >= 1; n--)
        {
#if NET9_0_OR_GREATER
            var length = n - 1;
            for (var i = tokens.Count - n; i < tokens.Count; i++)
                length += tokens[i].Length;
            if (length <= buffer.Length)
            {
                var position = 0;
                for (var i = tokens.Count - n; i < tokens.Count; i++)
                {
                    if (position > 0)
                        buffer[position++] = ' ';
                    tokens[i].AsSpan().CopyTo(buffer.Slice(position));
                    position += tokens[i].Length;
                }

                if (lookup.Contains(buffer.Slice(0, position)))
                    return n;
                continue;
            }
#endif
            var phrase = string.Join(" ", tokens.GetRange(tokens.Count - n, n));
            if (forms.Contains(phrase))
                return n;
        }

        return 0;
    }

    private static HashSet<string> BuildForms()
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in ReferenceData.LegalForms)
        {
            var folded = MatchText.Fold(term);
            if (folded.Length == 0 || folded == "the")
                continue;
            forms.Add(folded);

            // "Co., Ltd." and "& Co." are written with and without their connector.
            if (folded.StartsWith("and ", StringComparison.Ordinal))
                forms.Add(folded.Substring(4));
        }

        // Informal forms people add that the lists treat as words.
        foreach (var extra in new[] { "co ltd", "and co", "company limited", "corp", "inc", "co", "company", "corporation", "incorporated", "limited", "ltd", "llc", "plc", "kk", "gk", "pty ltd", "pty", "pvt ltd", "private limited", "sa de cv", "ltda", "ek", "ek kfm",
                     "kabushiki kaisha", "kabushikigaisha", "godo kaisha", "yugen kaisha", "gesellschaft mit beschrankter haftung",
                     "aktiengesellschaft", "societe anonyme", "sociedad anonima", "sociedad limitada", "public limited company",
                     "besloten vennootschap", "naamloze vennootschap", "limited liability company", "limited partnership",
                     "limited liability partnership", "eingetragener kaufmann", "societa per azioni", "societa a responsabilita limitata",
                     "societe par actions simplifiee", "societe a responsabilite limitee", "proprietary limited", "sdn bhd", "bhd", "pte ltd", })
            forms.Add(extra);
        return forms;
    }
}
