namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// The consonants of a word as it sounds, so that one name romanised two ways, or written in a script that leaves out
/// its vowels and read through a transliteration, is recognised: "Abdulrahman" and "عبدالرحمن" (read "bdlrhmn") are both
/// "bdlrmn", "Jemchoujina" and "Жемчужина" both "gmkgn", "Hovannisian" and "Հովհաննիսյան" both "bnsn".
/// </summary>
/// <remarks>
/// Vowels, w, y and a final h go (abjads write few vowels, and romanisations disagree on them); the pairs romanisations spell
/// differently fall together: sh/s, kh/ch/k/c/q, zh/j/dj/g, ph/f, v/b, dh/d, z/s, ts/s; doubled letters count once.
/// It is lossy on purpose, so it only compares names written in two different scripts, or two Latin spellings where
/// names are romanisations (records in a country of another script).
/// </remarks>
internal static class SoundSkeleton
{
    /// <summary>The shortest skeleton a word is indexed under; shorter ones are shared by too many words.</summary>
    public const int MinKeyLength = 3;

    /// <summary>The skeleton of a folded word (lower-case ASCII letters and digits).</summary>
    public static string Of(string word, SoundReading reading = SoundReading.AsWritten)
    {
        var skeleton = word.Length <= 64 ? stackalloc char[word.Length] : new char[word.Length];
        var length = Write(word, skeleton, reading);
        return skeleton.Slice(0, length).ToString();
    }

    /// <summary>Writes the skeleton of a word into <paramref name="into"/> (as long as the word) and returns its length.</summary>
    public static int Write(string word, Span<char> into, SoundReading reading = SoundReading.AsWritten)
    {
        var length = 0;
        for (var i = 0; i < word.Length;)
        {
            var (sound, read) = SoundAt(word, i, reading);
            i += read;
            if (sound != '\0' && (length == 0 || into[length - 1] != sound))
                into[length++] = sound;
        }

        return length;
    }

    /// <summary>
    /// Adds the skeletons a word may be read as to <paramref name="into"/>, each once: the word's own; when a Latin word has a
    /// "j", with "j" read as "y", and one with "ch" also with "sh" (French romanises ش so: "Achour" for عاشور); when it
    /// was transliterated from another script, with "v" read as a vowel, without "h" ("Hovannisian" for Հովհաննիսյան)
    /// and without a leading "l" (the Arabic article ال, written as one word with the name: "lmnswry" for Al-Mansouri).
    /// </summary>
    /// <param name="word">The folded word.</param>
    /// <param name="otherScript">Whether the word was transliterated from another script.</param>
    /// <param name="into">The readings.</param>
    /// <param name="withoutH">Whether a Latin word is also read without "h" (to look up, not to index: a lookup costs less than a key).</param>
    public static void AddReadings(string word, bool otherScript, List<string> into, bool withoutH = false)
    {
        Add(Of(word), otherScript, into);
        if (!otherScript && word.IndexOf('j') >= 0)
            Add(Of(word, SoundReading.JAsVowel), otherScript, into);
        if (!otherScript && word.Contains("ch"))
            Add(Of(word, SoundReading.ChAsSh), otherScript, into);
        if (otherScript && word.IndexOf('v') >= 0)
            Add(Of(word, SoundReading.VAsVowel), otherScript, into);
        if ((otherScript || withoutH) && word.IndexOf('h') >= 0)
            Add(Of(word, SoundReading.WithoutH), otherScript, into);
        if (otherScript && word.IndexOf('h') > 0)
            Add(Of(word, SoundReading.HApart), otherScript, into);
    }

    /// <summary>
    /// The sound a particle lends the name after it, or null: the Arabic article ("Al Sham" is "lsm", one word in Arabic)
    /// and the "son of" and "father of" of family names ("Ben Ashour", "Abu Ali"), which make a short name long enough
    /// to tell. Latin spellings, and the transliterations of بن, ابن, أبو and بو.
    /// </summary>
    public static string? ParticleSound(string token) => token switch
    {
        "al" or "el" => "l",
        "ben" or "bin" or "ibn" or "bn" or "abn" => "bn",
        "abu" or "abou" or "bou" or "bu" or "abw" or "bw" => "b",
        _ => null,
    };

    /// <summary>Tells whether two words of four letters or more have one skeleton of three sounds or more, as written.</summary>
    public static bool SoundAlike(string word, string other)
    {
        if (word.Length < 4 || other.Length < 4 || word.Length > 64 || other.Length > 64)
            return false;
        Span<char> one = stackalloc char[word.Length];
        Span<char> two = stackalloc char[other.Length];
        var length = Write(word, one);
        return length >= MinKeyLength && Write(other, two) == length && one.Slice(0, length).SequenceEqual(two.Slice(0, length));
    }

    /// <summary>Tells whether a country's own script is not Latin (ISO alpha-2), so that Latin names there are romanisations.</summary>
    public static bool IsOtherScriptCountry(string? country) => country is { Length: 2 } && OtherScriptCountries.Contains(country);

    private static readonly HashSet<string> OtherScriptCountries = new(StringComparer.Ordinal)
    {
        // Arabic, Hebrew, Persian and Urdu; Indic, Sinhala, Thai, Lao, Khmer, Burmese; Chinese, Japanese, Korean;
        // Cyrillic, Greek, Armenian, Georgian, Ethiopic.
        "AE", "SA", "QA", "KW", "BH", "OM", "YE", "IQ", "JO", "LB", "SY", "EG", "LY", "DZ", "MA", "TN", "SD", "PS", "IL",
        "IR", "AF", "PK", "IN", "BD", "LK", "NP", "TH", "LA", "KH", "MM", "CN", "TW", "HK", "MO", "JP", "KR", "KP", "RU",
        "UA", "BY", "BG", "RS", "MK", "KZ", "KG", "TJ", "MN", "GR", "CY", "AM", "GE", "ET",
    };

    /// <summary>
    /// Tells whether two texts, one written in another script, sound alike as a whole ("المنامة" and "Manama", "تهران"
    /// and "Tehran"), spaces aside.
    /// </summary>
    public static bool Alike(string text, bool textOtherScript, string other, bool otherOtherScript)
    {
        if (textOtherScript == otherOtherScript)
            return false;
        var readings = new List<string>(4);
        var others = new List<string>(4);
        AddReadings(text.Replace(" ", string.Empty), textOtherScript, readings, withoutH: true);
        AddReadings(other.Replace(" ", string.Empty), otherOtherScript, others, withoutH: true);
        foreach (var reading in readings)
        {
            if (others.Contains(reading))
                return true;
        }

        return false;
    }

    private static void Add(string skeleton, bool otherScript, List<string> into)
    {
        if (skeleton.Length >= 2 && !into.Contains(skeleton))
            into.Add(skeleton);
        if (otherScript && skeleton.Length >= 3 && skeleton[0] == 'l' && !into.Contains(skeleton.Substring(1)))
            into.Add(skeleton.Substring(1));
    }

    /// <summary>The consonant sound at <paramref name="i"/> ('\0' for a vowel) and how many letters spell it.</summary>
    private static (char Sound, int Read) SoundAt(string word, int i, SoundReading reading)
    {
        var ch = word[i];
        var next = i + 1 < word.Length ? word[i + 1] : '\0';
        if (next == 'h' && (reading & SoundReading.HApart) != 0)
            return (Single(ch, next, i == 0, reading), 1);
        switch (ch)
        {
            case 's' when next == 'h':
                return Starts(word, i, "shch") ? ('s', 4) : ('s', 2);
            case 's' when Starts(word, i, "sch"):
                return ('s', 3);
            case 't' when Starts(word, i, "tsch"):
                return ('k', 4);
            case 't' when Starts(word, i, "tch"):
                return ('k', 3);
            case 't' when next is 's' or 'z':
                return ('s', 2);
            case 't' when next == 'h':
                return ('t', 2);
            case 'd' when Starts(word, i, "dzh"):
                return ('g', 3);
            case 'd' when next == 'j':
                return ('g', 2);
            case 'd' when next == 'h':
                return ('d', 2);
            case 'z' when next == 'h':
                return ('g', 2);
            case 'p' when next == 'h':
                return ('f', 2);
            case 'k' when next == 'h':
                return ('k', 2);
            case 'k' when next == 's':
                return Starts(word, i, "ksh") ? ('x', 3) : ('x', 2);
            case 'g' when next == 'h':
                return ('g', 2);
            case 'c' when next == 'h':
                return ((reading & SoundReading.ChAsSh) != 0 ? 's' : 'k', 2);
            case 'c' when next == 'k':
                return ('k', 2);
            default:
                return (Single(ch, next, i == 0, reading), 1);
        }
    }

    /// <summary>The sound of one letter ('\0' for a vowel), <paramref name="next"/> the letter after it ('\0' at the end).</summary>
    private static char Single(char ch, char next, bool first, SoundReading reading)
    {
        switch (ch)
        {
            case 'c':
                return next is 'e' or 'i' or 'y' ? 's' : 'k';
            case 'a' or 'e' or 'i' or 'o' or 'u' or 'y' or 'w':
                return '\0';
            case 'h':
                // A final h is written for a vowel (ة, ה, "Abdullah").
                return next == '\0' || (reading & SoundReading.WithoutH) != 0 ? '\0' : 'h';
            case 'j':
                return (reading & SoundReading.JAsVowel) != 0 ? '\0' : 'g';
            case 'v':
                return (reading & SoundReading.VAsVowel) != 0 ? '\0' : 'b';
            case 'q':
                return 'k';
            case 'z':
                return 's';
            case 'x':
                // Greeklish writes χ as x ("Xatzis"); elsewhere x is ks.
                return first ? 'k' : 'x';
            default:
                return ch;
        }
    }

    private static bool Starts(string word, int at, string part) => string.CompareOrdinal(word, at, part, 0, part.Length) == 0;
}

/// <summary>How to read the letters romanisations disagree on (<see cref="SoundSkeleton"/>).</summary>
[Flags]
internal enum SoundReading
{
    /// <summary>As written: "j" a consonant, "v" a "b", "h" a consonant unless last.</summary>
    AsWritten = 0,

    /// <summary>"v" for a vowel (Hebrew ו, transliterated "v", is also o and u).</summary>
    VAsVowel = 1,

    /// <summary>"j" for "y" (scholarly and South Slavic romanisation: "Jugo", "Jovanović").</summary>
    JAsVowel = 2,

    /// <summary>Without "h" ("Hovannisian" for "Hovhannisyan", "Ordiienko" for a dropped Ukrainian h).</summary>
    WithoutH = 4,

    /// <summary>
    /// "h" after a letter as its own sound, not a digraph: a transliterated abjad writes "zh" for ز followed by ه
    /// ("lzhrny", Al-Zahrani), not for ж.
    /// </summary>
    HApart = 8,

    /// <summary>"ch" for "sh", as French romanises Arabic ("Achour", "Cherif"), not for "kh" as German and Russian do.</summary>
    ChAsSh = 16,
}
