using System.Text;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// Hangul syllables in the Revised Romanization of Korean, as Korean firms romanise their names ("이화식품" =
/// "ihwasikpum", "산업" = "saneop"): a final ㄱ, ㄷ or ㅂ is "k", "t", "p" before a consonant and at the end, and
/// carries over as "g", "d", "b" to a syllable that begins with a vowel ("한국어" = "hangugeo"). A letter-by-letter
/// table writes every final as before a vowel ("sigpum"), which no one types. Computed from the Unicode arithmetic of
/// the syllables, so the same on every runtime.
/// </summary>
/// <remarks>
/// The alternative reading is McCune-Reischauer without its diacritics, as older names and cities are still written
/// ("Pusan", "Cheju", "Taehan" for 부산, 제주, 대한): ㄱ, ㄷ, ㅂ, ㅈ are k, t, p, ch at the start of a word, and ㅓ, ㅡ
/// are o, u ("ŏ", "ŭ" without their marks).
/// </remarks>
internal static class Hangul
{
    private const int First = 0xAC00;
    private const int Last = 0xD7A3;

    /// <summary>The initial consonants, in Unicode order (ㅇ, silent, is empty).</summary>
    private static readonly string[] Initials =
        ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"];

    private static readonly string[] Vowels =
        ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"];

    /// <summary>The final consonants before a consonant or at the end of a word (index 0: none).</summary>
    private static readonly string[] Finals =
        ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"];

    /// <summary>The final consonants before a syllable that begins with a vowel: they are read with it.</summary>
    private static readonly string[] FinalsBeforeVowel =
        ["", "g", "kk", "ks", "n", "nj", "n", "d", "r", "lg", "lm", "lb", "ls", "lt", "lp", "r", "m", "b", "bs", "s", "ss", "ng", "j", "ch", "k", "t", "p", ""];

    /// <summary>The initial consonants in McCune-Reischauer at the start of a word (elsewhere they are read as in <see cref="Initials"/>).</summary>
    private static readonly string[] WordInitials =
        ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch", "k", "t", "p", "h"];

    /// <summary>The vowels in McCune-Reischauer, without the breve ("ŏ", "ŭ").</summary>
    private static readonly string[] VowelsMcCuneReischauer =
        ["a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"];

    /// <summary>Tells whether a code point is a precomposed Hangul syllable.</summary>
    public static bool IsSyllable(int codePoint) => codePoint is >= First and <= Last;

    /// <summary>
    /// Appends the romanisation of syllable <paramref name="codePoint"/>, given the code point after it (-1 for none):
    /// the Revised Romanization, or McCune-Reischauer when <paramref name="mcCuneReischauer"/> is set.
    /// </summary>
    public static void Romanise(int codePoint, int next, StringBuilder into, bool mcCuneReischauer = false)
    {
        var index = codePoint - First;
        var final = index % 28;
        var initial = index / (21 * 28);
        var wordStart = into.Length == 0 || !char.IsLetter(into[into.Length - 1]);
        into.Append(mcCuneReischauer && wordStart ? WordInitials[initial] : Initials[initial]);
        into.Append((mcCuneReischauer ? VowelsMcCuneReischauer : Vowels)[(index / 28) % 21]);
        if (final == 0)
            return;
        // The next syllable begins with the silent ㅇ: composed, or decomposed (its leading letter, U+110B, comes first).
        var beforeVowel = (IsSyllable(next) && (next - First) / (21 * 28) == 11) || next == 0x110B;
        into.Append(beforeVowel ? FinalsBeforeVowel[final] : Finals[final]);
    }
}
