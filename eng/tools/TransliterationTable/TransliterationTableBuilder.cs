using System.Globalization;
using System.IO.Compression;
using System.Text;
using AnyAscii;

namespace CrmGuardrails.Tools;

/// <summary>
/// Builds the transliteration table the matcher embeds: for every non-ASCII code point, the ASCII text it folds to.
/// Letters, numbers and marks take AnyAscii's transliteration (letters and digits only); CJK ideographs become words of
/// their own, as they are written without spaces; format characters vanish; spaces, punctuation and symbols become a
/// word break, except the few the folder reads (ampersand, plus, dot, apostrophes). Code points left out of the table
/// are word breaks.
/// </summary>
/// <remarks>
/// Format (then gzip): "CGT1", the entry count (int32 LE), then per entry, in code point order: the gap from the
/// previous code point (LEB128), the byte length of the text (one byte) and the text in UTF-8.
/// </remarks>
public static class TransliterationTableBuilder
{
    public static IEnumerable<(int CodePoint, string Text)> Entries()
    {
        for (var cp = 0x80; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
                continue;
            var text = Map(cp);
            if (text != " ")
                yield return (cp, text);
        }
    }

    public static string Map(int cp)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(cp);
        if (category == UnicodeCategory.OtherNotAssigned)
            return " ";
        var raw = char.ConvertFromUtf32(cp);
        var ascii = raw.Transliterate();
        switch (category)
        {
            case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or
                 UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber or
                 UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.NonSpacingMark or
                 UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark:
                var kept = new string(ascii.Where(char.IsAsciiLetterOrDigit).ToArray());
                if (kept.Length == 0)
                {
                    // A letter AnyAscii has no reading for keeps itself (it still matches itself); marks and
                    // modifiers with no reading (accents, the katakana length mark) vanish.
                    return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or
                        UnicodeCategory.TitlecaseLetter or UnicodeCategory.OtherLetter && ascii.Length == 0 && !IsHan(cp) ? raw : string.Empty;
                }

                return IsHan(cp) ? " " + kept + " " : kept;
            case UnicodeCategory.Format:
                return string.Empty;
            default:
                return ascii is "&" or "+" or "." or "'" or "`" ? ascii : " ";
        }
    }

    /// <summary>CJK ideographs: each one is read as a word of its own.</summary>
    private static bool IsHan(int cp) =>
        cp is >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFF;

    public static byte[] Build()
    {
        var entries = Entries().ToList();
        using var raw = new MemoryStream();
        using (var writer = new BinaryWriter(raw, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("CGT1"u8.ToArray());
            writer.Write(entries.Count);
            var previous = 0;
            foreach (var (cp, text) in entries)
            {
                var gap = cp - previous;
                previous = cp;
                while (gap >= 0x80)
                {
                    writer.Write((byte)(gap | 0x80));
                    gap >>= 7;
                }

                writer.Write((byte)gap);
                var bytes = Encoding.UTF8.GetBytes(text);
                writer.Write(checked((byte)bytes.Length));
                writer.Write(bytes);
            }
        }

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(raw.ToArray());
        return compressed.ToArray();
    }
}
