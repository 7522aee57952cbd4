namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// Names made of the first syllables of a name's words, as Latin America, Iberia, Italy, Germany and Russia make them
/// ("Hotucaribe" of "Hoteles y Turismo del Caribe", "Petrobras" of "Petróleo Brasileiro", "Univipe" of "Universidade
/// Vale do Ipê", "Gazprom"), and the registered names that carry both ("Hoteles y Turismo del Caribe HOTUCARIBE S.A.S.").
/// </summary>
internal static class SyllableAcronym
{
    /// <summary>The shortest word read as such a name: shorter ones are initials or words.</summary>
    public const int MinLength = 6;

    /// <summary>The small words such names skip, besides the matcher's connectors ("Universidade Vale do Ipê").</summary>
    private static readonly HashSet<string> SmallWords = new(StringComparer.Ordinal)
    {
        "del", "do", "da", "dos", "das", "di", "della", "dei", "degli", "el", "los", "las", "les", "al", "fur", "zur", "zum", "og", "och", "i",
    };

    /// <summary>The shortest and longest initials read as a name written beside its long form ("CBS", "AMLN").</summary>
    private const int MinInitials = 3;
    private const int MaxInitials = 8;

    /// <summary>
    /// Tells whether <paramref name="word"/> is the first letters of each word of <c>written[from..to)</c> in order: every
    /// word but a small one gives one letter or more, the first two or more; of two words, each gives a part of itself
    /// of two letters or more, so that a word cut in two by chance ("Carter" of "Car Terminal") is not read so. A word
    /// that is all the words run together is not such a name (that is the words written as one).
    /// </summary>
    /// <param name="word">The word, as written and folded.</param>
    /// <param name="written">The other words, as written and folded.</param>
    /// <param name="tokens">The other words as read (for connectors).</param>
    /// <param name="from">The first word of the run.</param>
    /// <param name="to">The end of the run (exclusive).</param>
    public static bool Spells(string word, string[] written, string[] tokens, int from, int to)
    {
        if (word.Length < MinLength || to - from < 2 || written[from].Length == 0 || written[from][0] != word[0])
            return false;
        var words = 0;
        for (var i = from; i < to; i++)
            words += IsSmall(tokens[i]) ? 0 : 1;
        if (words < 2)
            return false;
        return Match(word, 0, written, tokens, from, to, pair: words == 2, whole: true);
    }

    /// <summary>
    /// The words of a name that a syllable acronym in the same name stands for, as bits (bit i for word i), with the
    /// acronym's own index above <see cref="IndexShift"/>; 0 when it has none. Only the first 27 words are read.
    /// </summary>
    /// <param name="written">The words as written and folded.</param>
    /// <param name="tokens">The words as read.</param>
    public static int ExpansionIn(string[] written, string[] tokens)
    {
        var count = Math.Min(written.Length, 27);
        if (count < 3)
            return 0;
        for (var at = 0; at < count; at++)
        {
            var word = written[at];
            if (word.Length < MinInitials || !IsLetters(word) || IsSmall(tokens[at]))
                continue;

            // Initials beside the words they stand for: "Asociación Médica del Litoral Norte AMLN".
            if (word.Length <= MaxInitials && InitialsBefore(word, written, tokens, at) is var start and >= 0)
                return Bits(start, at) | ((at + 1) << IndexShift);
            if (word.Length <= MaxInitials && InitialsAfter(word, written, tokens, at + 1, count) is var end and >= 0)
                return Bits(at + 1, end) | ((at + 1) << IndexShift);
            if (word.Length < MinLength)
                continue;

            // The words before it ("Hoteles y Turismo del Caribe HOTUCARIBE"), or after it ("UNIVIPE Universidade Vale do Ipê").
            for (var from = 0; from + 1 < at; from++)
            {
                if (Spells(word, written, tokens, from, at))
                    return Bits(from, at) | ((at + 1) << IndexShift);
            }

            for (var to = count; to > at + 2; to--)
            {
                if (Spells(word, written, tokens, at + 1, to))
                    return Bits(at + 1, to) | ((at + 1) << IndexShift);
            }
        }

        return 0;
    }

    /// <summary>
    /// Where the run of words ending at <paramref name="end"/> starts whose initials, small words aside, spell
    /// <paramref name="word"/> (three to eight letters: "cbs" of "riken center for brain science"), or -1.
    /// </summary>
    /// <param name="word">The initials, folded.</param>
    /// <param name="written">The words as written and folded.</param>
    /// <param name="tokens">The words as read (for small words).</param>
    /// <param name="end">The end of the run (exclusive).</param>
    public static int InitialsBefore(string word, IReadOnlyList<string> written, IReadOnlyList<string> tokens, int end)
    {
        if (word.Length is < MinInitials or > MaxInitials)
            return -1;
        var letter = word.Length - 1;
        var i = end - 1;
        for (; i >= 0 && letter >= 0; i--)
        {
            if (IsSmall(tokens[i]))
                continue;
            if (written[i].Length == 0 || written[i][0] != word[letter])
                return -1;
            letter--;
        }

        return letter < 0 ? i + 1 : -1;
    }

    /// <summary>Where the run of words from <paramref name="start"/> ends (exclusive) whose initials spell <paramref name="word"/>, or -1.</summary>
    private static int InitialsAfter(string word, string[] written, string[] tokens, int start, int count)
    {
        var letter = 0;
        var i = start;
        for (; i < count && letter < word.Length; i++)
        {
            if (IsSmall(tokens[i]))
                continue;
            if (written[i].Length == 0 || written[i][0] != word[letter])
                return -1;
            letter++;
        }

        return letter == word.Length ? i : -1;
    }

    /// <summary>Where the acronym's index (plus one) starts in <see cref="ExpansionIn"/>'s value.</summary>
    public const int IndexShift = 27;

    /// <summary>The index of the acronym word in a value of <see cref="ExpansionIn"/>, or -1.</summary>
    public static int AcronymIndex(int expansion) => (int)((uint)expansion >> IndexShift) - 1;

    private static int Bits(int from, int to)
    {
        var bits = 0;
        for (var i = from; i < to; i++)
            bits |= 1 << i;
        return bits;
    }

    private static bool IsSmall(string token) => Scoring.TokenStatistics.IsStopWord(token) || SmallWords.Contains(token);

    private static bool Match(string word, int at, string[] written, string[] tokens, int i, int to, bool pair, bool whole)
    {
        if (i == to)
            return at == word.Length && !whole;
        var part = written[i];
        var small = IsSmall(tokens[i]);
        var longest = Math.Min(pair && !small ? part.Length - 1 : part.Length, word.Length - at);
        var least = small ? 1 : at == 0 || pair ? 2 : 1;
        for (var length = longest; length >= least; length--)
        {
            if (string.CompareOrdinal(word, at, part, 0, length) == 0 &&
                Match(word, at + length, written, tokens, i + 1, to, pair, whole && (length == part.Length || small)))
                return true;
        }

        return small && Match(word, at, written, tokens, i + 1, to, pair, whole);
    }

    private static bool IsLetters(string word)
    {
        foreach (var ch in word)
        {
            if (ch is < 'a' or > 'z')
                return false;
        }

        return true;
    }
}
