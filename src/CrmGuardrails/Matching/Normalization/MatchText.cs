using System.Text;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>Unicode folding shared by every normaliser, so that both sides of a comparison fold the same way.</summary>
internal static class MatchText
{
    /// <summary>Longer values are cut: nobody types a 1 MB company name, and matching cost must stay bounded.</summary>
    public const int MaxInputLength = 512;

    private static readonly char[] Space = [' '];

    /// <summary>
    /// Folds text to lower-case ASCII words: every script transliterated (<see cref="Transliteration"/>), accents and
    /// case dropped, '.' and apostrophes joined, '&amp;' and '+' as "and", anything else a word break. It reads no
    /// globalization data, so the result is the same on every runtime and in invariant mode.
    /// </summary>
    public static string Fold(string? text) => Fold(text, alternative: false);

    /// <summary>
    /// Folds text with the customary alternative spellings (ä, ö, ü = ae, oe, ue; ø = oe; å = aa; đ = dj; ō, ū = ou, uu; Cyrillic and Greek as
    /// companies romanise their own names in English), or returns null when the text has none. People write "Müller"
    /// as "Mueller" as often as "Muller", and "Яндекс" as "Yandex" where a transliteration table gives "Yandeks".
    /// </summary>
    public static string? FoldAlternative(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var script = ScriptOf(text!, out var umlauts);
        if (script == Script.Latin && !umlauts)
            return null;
        var folded = Fold(text, alternative: true);
        return script switch
        {
            Script.Cyrillic => RomaniseCyrillic(folded),
            Script.Greek => RomaniseGreek(folded),
            _ => folded,
        };
    }

    /// <summary>
    /// Whether a text has more letters of scripts other than Latin (Cyrillic, Greek, Han, kana, Hangul, Arabic, Hebrew…)
    /// than Latin letters; accented and full-width Latin letters are Latin.
    /// </summary>
    public static bool IsMostlyOtherScript(string text)
    {
        int latin = 0, other = 0;
        foreach (var ch in text)
        {
            if (ch < 128)
            {
                latin += ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z' ? 1 : 0;
            }
            else if (char.IsLetter(ch))
            {
                if (ch is <= '\u024F' or >= '\u1E00' and <= '\u1EFF' or >= '\uFF21' and <= '\uFF5A')
                    latin++;
                else
                    other++;
            }
        }

        return other > latin;
    }

    private enum Script
    {
        Latin,
        Cyrillic,
        Greek,
    }

    /// <summary>
    /// The script of a text's first Cyrillic or Greek letter (Latin when it has none), and whether it has a letter with
    /// another customary spelling (ä, ö, ü, ø, å, đ): one pass, as every name asks.
    /// </summary>
    private static Script ScriptOf(string text, out bool umlauts)
    {
        umlauts = false;
        foreach (var ch in text)
        {
            if (ch < 128)
                continue;
            if (ch is >= '\u0400' and <= '\u04FF')
                return Script.Cyrillic;
            if (ch is >= '\u0370' and <= '\u03FF' or >= '\u1F00' and <= '\u1FFF')
                return Script.Greek;
            // Hangul has a second romanisation too (McCune-Reischauer: "Pusan" for 부산, "Busan" in the Revised one).
            umlauts |= ch is 'ä' or 'ö' or 'ü' or 'Ä' or 'Ö' or 'Ü' or 'ø' or 'Ø' or 'å' or 'Å' or 'ō' or 'Ō' or 'ū' or 'Ū' or 'đ' or 'Đ' or '\u0308' or '\u030A' or '\u0304' || Hangul.IsSyllable(ch);
        }

        return Script.Latin;
    }

    /// <summary>
    /// Transliterated Russian or Ukrainian as companies write it in English: "кс" as x ("yandeks" = "yandex"), "й" after a
    /// vowel before a consonant as i ("lukoyl" = "lukoil"), "-ий"/"-ый" at the end of a word as y ("norilskiy" = "norilsky").
    /// </summary>
    internal static string RomaniseCyrillic(string folded)
    {
        var sb = new StringBuilder(folded.Length);
        for (var i = 0; i < folded.Length; i++)
        {
            var ch = folded[i];
            var next = i + 1 < folded.Length ? folded[i + 1] : ' ';
            var after = i + 2 < folded.Length ? folded[i + 2] : ' ';
            if (ch == 'k' && next == 's')
            {
                sb.Append('x');
                i++;
            }
            else if (ch is 'i' or 'y' && next == 'y' && after == ' ' && i > 0 && folded[i - 1] != ' ')
            {
                sb.Append('y');
                i++;
            }
            else if (ch == 'y' && i > 0 && IsVowel(folded[i - 1]) && next is not (' ' or 'a' or 'e' or 'i' or 'o' or 'u' or 'y'))
            {
                sb.Append('i');
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Transliterated Greek as companies write it in English: "μπ", "ντ", "γκ", "τζ" as b, d, g, j at the start of a word
    /// (mb, nd, ng inside it), "αι", "ει", "οι" as e, i, i, and "ου" as ou ("mytilinaios" = "mytilineos", "tzampo" =
    /// "jambo", "papadopoylos" = "papadopoulos").
    /// </summary>
    internal static string RomaniseGreek(string folded)
    {
        var sb = new StringBuilder(folded.Length);
        for (var i = 0; i < folded.Length; i++)
        {
            var ch = folded[i];
            var next = i + 1 < folded.Length ? folded[i + 1] : ' ';
            var start = i == 0 || folded[i - 1] == ' ';
            var pair = (ch, next) switch
            {
                ('m', 'p') => start ? "b" : "mb",
                ('n', 't') => start ? "d" : "nd",
                ('g', 'k') => start ? "g" : "ng",
                ('t', 'z') => start ? "j" : null,
                ('a', 'i') => "e",
                ('e', 'i') or ('o', 'i') => "i",
                ('o', 'y') => "ou",
                _ => null,
            };
            if (pair is null)
            {
                sb.Append(ch);
                continue;
            }

            sb.Append(pair);
            i++;
        }

        return sb.ToString();
    }

    private static bool IsVowel(char ch) => ch is 'a' or 'e' or 'i' or 'o' or 'u';

    private static string Fold(string? text, bool alternative)
    {
        if (string.IsNullOrWhiteSpace(text))
            return string.Empty;
        var clean = Sanitize(text!);
        return FoldAsciiRules(IsAscii(clean) ? clean : Transliterate(clean, alternative));
    }

    /// <summary>
    /// Replaces every non-ASCII character by its ASCII reading (a space where it is a word break). A letter followed by
    /// combining marks that compose with it (decomposed text) is read as the one letter they make.
    /// </summary>
    internal static string Transliterate(string clean, bool alternative)
    {
        var table = Transliteration.Instance;
        var sb = new StringBuilder(clean.Length + 8);
        var pending = -1;
        for (var i = 0; i < clean.Length; i++)
        {
            var codePoint = (int)clean[i];
            if (char.IsHighSurrogate(clean[i]) && i + 1 < clean.Length && char.IsLowSurrogate(clean[i + 1]))
                codePoint = char.ConvertToUtf32(clean[i], clean[++i]);
            if (pending >= 0 && codePoint >= 0x300 && table.Compose(pending, codePoint) is var composed and >= 0)
            {
                pending = composed;
                continue;
            }

            Read(pending, codePoint, alternative, table, sb);
            pending = codePoint;
        }

        Read(pending, -1, alternative, table, sb);
        return sb.ToString();

        static void Read(int codePoint, int next, bool alternative, Transliteration table, StringBuilder sb)
        {
            if (codePoint < 0)
                return;
            if (codePoint < 128)
                sb.Append((char)codePoint);
            else if (Hangul.IsSyllable(codePoint))
                Hangul.Romanise(codePoint, next, sb, mcCuneReischauer: alternative);
            else if (alternative && codePoint < 0x10000 && AlternativeSpelling((char)codePoint) is { } spelled)
                sb.Append(spelled);
            else
                table.Append(codePoint, sb);
        }
    }

    /// <summary>The alternative spelling of a letter (decomposed letters are composed before they get here).</summary>
    private static string? AlternativeSpelling(char ch) => ch switch
    {
        'ä' or 'Ä' => "ae",
        'ö' or 'Ö' or 'ø' or 'Ø' => "oe",
        'ü' or 'Ü' => "ue",
        'å' or 'Å' => "aa",

        // Serbian Latin "Đorđević" as its Cyrillic "Ђорђевић" is romanised: "Djordjevic".
        'đ' or 'Đ' => "dj",

        // Japanese long vowels: "Kōyō" is written "Kouyou" as often as "Koyo"; "ū" "uu".
        'ō' or 'Ō' => "ou",
        'ū' or 'Ū' => "uu",
        _ => null,
    };

    /// <summary>
    /// The folding rules on transliterated text: ASCII letters and digits lower-cased (the few letters the table keeps
    /// as they are stay too), '.', apostrophes and '`' joined, '&amp;' and '+' as "and", any other character one space,
    /// ends trimmed.
    /// </summary>
    internal static string FoldAsciiRules(string text)
    {
#if NET8_0_OR_GREATER
        // Each character adds at most 5 ("&amp;" after a word = " and "): one allocation, from a stack buffer.
        var size = (text.Length * 5) + 1;
        var buffer = size <= 1024 ? stackalloc char[size] : new char[size];
#else
        var buffer = new char[(text.Length * 5) + 1];
#endif
        var length = 0;
        var lastSpace = true;
        foreach (var ch in text)
        {
            if (ch is >= 'a' and <= 'z' or >= '0' and <= '9' || ch > 127)
            {
                buffer[length++] = ch;
                lastSpace = false;
            }
            else if (ch is >= 'A' and <= 'Z')
            {
                buffer[length++] = (char)(ch | 0x20);
                lastSpace = false;
            }
            else if (ch is '.' or '\'' or '`')
            {
                // "L.L.C." = "LLC", "Morton's" = "Mortons".
            }
            else if (ch is '&' or '+')
            {
                if (!lastSpace)
                    buffer[length++] = ' ';
                buffer[length++] = 'a';
                buffer[length++] = 'n';
                buffer[length++] = 'd';
                buffer[length++] = ' ';
                lastSpace = true;
            }
            else if (!lastSpace)
            {
                buffer[length++] = ' ';
                lastSpace = true;
            }
        }

        while (length > 0 && buffer[length - 1] == ' ')
            length--;
        if (length == 0)
            return string.Empty;
#if NET8_0_OR_GREATER
        return length == text.Length && text.AsSpan().SequenceEqual(buffer.Slice(0, length)) ? text : new string(buffer.Slice(0, length));
#else
        return new string(buffer, 0, length);
#endif
    }

    /// <summary>Splits folded text into words.</summary>
    public static string[] Tokens(string folded) =>
        folded.Length == 0 ? [] : folded.Split(Space, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Adds the words of folded text to a list, as <see cref="Tokens"/> splits it, without an array between.</summary>
    public static List<string> AddTokens(string folded, List<string> into)
    {
        var start = 0;
        for (var i = 0; i <= folded.Length; i++)
        {
            if (i < folded.Length && folded[i] != ' ')
                continue;
            if (i > start)
                into.Add(start == 0 && i == folded.Length ? folded : folded.Substring(start, i - start));
            start = i + 1;
        }

        return into;
    }

    /// <summary>Tells whether <paramref name="word"/> is one of the words of folded text, as <see cref="Tokens"/> splits it, without splitting it.</summary>
    public static bool HasToken(string folded, string word)
    {
        if (word.Length == 0 || word.IndexOf(' ') >= 0)
            return false;
        for (var at = folded.IndexOf(word, StringComparison.Ordinal); at >= 0; at = folded.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var end = at + word.Length;
            if ((at == 0 || folded[at - 1] == ' ') && (end == folded.Length || folded[end] == ' '))
                return true;
        }

        return false;
    }

    /// <summary>
    /// Cuts huge values, undoes HTML entities and mojibake (<see cref="TypedText"/>), and replaces lone surrogates and
    /// control characters, which break normalisation.
    /// </summary>
    public static string Sanitize(string text)
    {
        if (text.Length > MaxInputLength)
            text = text.Substring(0, MaxInputLength);
        text = TypedText.Repair(text);
        char[]? copy = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            var bad = char.IsControl(ch);
            if (char.IsHighSurrogate(ch))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                bad = true;
            }
            else if (char.IsLowSurrogate(ch))
            {
                bad = true;
            }

            if (bad)
            {
                copy ??= text.ToCharArray();
                copy[i] = ' ';
            }
        }

        return copy is null ? text : new string(copy);
    }

    /// <summary>Keeps only the digits, as ASCII digits (full-width and other scripts' digits included).</summary>
    public static string Digits(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return string.Empty;
        Span<char> digits = stackalloc char[32];
        var length = 0;
        foreach (var ch in text!)
        {
            var digit = ch is >= '0' and <= '9' ? ch - '0' : ch > 127 ? System.Globalization.CharUnicodeInfo.GetDecimalDigitValue(ch) : -1;
            if (digit >= 0)
            {
                digits[length++] = (char)('0' + digit);
                if (length == digits.Length)
                    break;
            }
        }

        return length == 0 ? string.Empty : digits.Slice(0, length).ToString();
    }

    private static bool IsAscii(string text)
    {
        foreach (var ch in text)
        {
            if (ch > 127)
                return false;
        }

        return true;
    }
}
