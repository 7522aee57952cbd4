using System.Globalization;
using System.IO.Compression;
using System.Text;
using AnyAscii;

namespace CrmGuardrails.Tools;

/// <summary>
/// Builds the transliteration table the matcher embeds: for every non-ASCII code point, the ASCII text it folds to;
/// and the pairs (letter, combining mark) that compose into one letter, so that decomposed text (NFD, as copied from
/// some systems) folds like composed text without the runtime's normalisation.
/// </summary>
/// <remarks>
/// Readings: letters, numbers and marks take AnyAscii's transliteration (letters and digits only); CJK ideographs
/// become words of their own, as they are written without spaces; the vowel points of Hebrew and Arabic vanish (names
/// are written with and without them); a letter of a script AnyAscii does not read keeps itself; CJK compatibility
/// symbols read as words ("㍿" = "inc", "㈜" = "ju"); format characters vanish; spaces, punctuation and other symbols
/// become a word break, except the few the folder reads (ampersand, plus, dot, apostrophes). Code points left out of
/// the table are word breaks.
/// Format (then gzip): "CGT2", the entry count (int32 LE), then per entry, in code point order: the gap from the
/// previous code point (LEB128), the byte length of the text (one byte) and the text in UTF-8; then the composition
/// count (int32 LE) and per composition the base, the mark and the composed code point (LEB128 each).
/// </remarks>
public static class TransliterationTableBuilder
{
    public static IEnumerable<(int CodePoint, string Text)> Entries()
    {
        var readBlocks = ReadBlocks();
        for (var cp = 0x80; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
                continue;
            var text = Map(cp, readBlocks);
            if (text != " ")
                yield return (cp, text);
        }
    }

    /// <summary>The blocks of 128 code points where AnyAscii reads at least one letter: there, a letter it does not read is silent.</summary>
    private static HashSet<int> ReadBlocks()
    {
        var blocks = new HashSet<int>();
        for (var cp = 0x80; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF || !IsLetter(CharUnicodeInfo.GetUnicodeCategory(cp)))
                continue;
            if (char.ConvertFromUtf32(cp).Transliterate().Any(char.IsAsciiLetterOrDigit))
                blocks.Add(cp >> 7);
        }

        return blocks;
    }

    private static string Map(int cp, HashSet<int> readBlocks)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(cp);
        if (category == UnicodeCategory.OtherNotAssigned)
            return " ";
        var raw = char.ConvertFromUtf32(cp);
        var ascii = raw.Transliterate();
        var kept = new string(ascii.Where(char.IsAsciiLetterOrDigit).ToArray());
        if (IsLetter(category) || category is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber)
        {
            if (kept.Length == 0)
                return IsLetter(category) && category != UnicodeCategory.ModifierLetter && !readBlocks.Contains(cp >> 7) && !IsHan(cp) ? raw : string.Empty;
            return IsHan(cp) ? " " + kept + " " : kept;
        }

        switch (category)
        {
            case UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark:
                return IsVowelPoint(cp) ? string.Empty : kept;
            case UnicodeCategory.Format:
                return string.Empty;
            case UnicodeCategory.OtherSymbol when cp is >= 0x3200 and <= 0x33FF && kept.Length > 0:
                return " " + kept + " ";
            default:
                return ascii is "&" or "+" or "." or "'" or "`" ? ascii : " ";
        }
    }

    private static bool IsLetter(UnicodeCategory category) =>
        category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or
            UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;

    /// <summary>Hebrew points and cantillation, Arabic harakat: optional marks a name is as often written without.</summary>
    private static bool IsVowelPoint(int cp) =>
        cp is >= 0x0591 and <= 0x05C7 or >= 0x0610 and <= 0x061A or >= 0x064B and <= 0x065F or 0x0670 or >= 0x06D6 and <= 0x06ED;

    /// <summary>CJK ideographs: each one is read as a word of its own.</summary>
    private static bool IsHan(int cp) =>
        cp is >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFF;

    /// <summary>
    /// Every (base, mark) pair that canonical composition (NFC) makes one code point, found by composing each letter's
    /// decomposition step by step; and half-width katakana with their (semi-)voiced marks, which NFKC composes.
    /// Hangul syllables compose by arithmetic at run time and are not listed.
    /// </summary>
    public static IEnumerable<(int Base, int Mark, int Composed)> Compositions()
    {
        var pairs = new SortedDictionary<(int, int), int>();
        for (var cp = 0x80; cp <= 0x2FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF or >= 0xAC00 and <= 0xD7A3 || CharUnicodeInfo.GetUnicodeCategory(cp) == UnicodeCategory.OtherNotAssigned)
                continue;
            var text = char.ConvertFromUtf32(cp);
            var decomposed = CodePoints(text.Normalize(NormalizationForm.FormD));
            if (decomposed.Count < 2)
                continue;
            var current = decomposed[0];
            for (var i = 1; i < decomposed.Count; i++)
            {
                var composed = CodePoints((char.ConvertFromUtf32(current) + char.ConvertFromUtf32(decomposed[i])).Normalize(NormalizationForm.FormC));
                if (composed.Count != 1)
                    break;
                pairs[(current, decomposed[i])] = composed[0];
                current = composed[0];
            }
        }

        for (var cp = 0xFF61; cp <= 0xFF9D; cp++)
        {
            foreach (var mark in new[] { 0xFF9E, 0xFF9F })
            {
                var composed = CodePoints((char.ConvertFromUtf32(cp) + char.ConvertFromUtf32(mark)).Normalize(NormalizationForm.FormKC));
                if (composed.Count == 1)
                    pairs[(cp, mark)] = composed[0];
            }
        }

        return pairs.Select(p => (p.Key.Item1, p.Key.Item2, p.Value));
    }

    private static List<int> CodePoints(string text)
    {
        var list = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            list.Add(char.ConvertToUtf32(text, i));
            if (char.IsHighSurrogate(text[i]))
                i++;
        }

        return list;
    }

    public static byte[] Build()
    {
        var entries = Entries().ToList();
        var compositions = Compositions().ToList();
        using var raw = new MemoryStream();
        using (var writer = new BinaryWriter(raw, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("CGT2"u8.ToArray());
            writer.Write(entries.Count);
            var previous = 0;
            foreach (var (cp, text) in entries)
            {
                Varint(writer, cp - previous);
                previous = cp;
                var bytes = Encoding.UTF8.GetBytes(text);
                writer.Write(checked((byte)bytes.Length));
                writer.Write(bytes);
            }

            writer.Write(compositions.Count);
            foreach (var (first, mark, composed) in compositions)
            {
                Varint(writer, first);
                Varint(writer, mark);
                Varint(writer, composed);
            }
        }

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(raw.ToArray());
        return compressed.ToArray();
    }

    private static void Varint(BinaryWriter writer, int value)
    {
        while (value >= 0x80)
        {
            writer.Write((byte)(value | 0x80));
            value >>= 7;
        }

        writer.Write((byte)value);
    }
}
