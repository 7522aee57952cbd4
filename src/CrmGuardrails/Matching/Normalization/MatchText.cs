using System.Globalization;
using System.Text;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>Unicode folding shared by every normaliser, so that both sides of a comparison fold the same way.</summary>
internal static class MatchText
{
    /// <summary>Longer values are cut: nobody types a 1 MB company name, and matching cost must stay bounded.</summary>
    public const int MaxInputLength = 512;

    private static readonly char[] Space = [' '];

    /// <summary>Folds text to lower-case ASCII-ish words: NFKD, accents dropped, '.' and apostrophes joined, '&amp;' as "and".</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return string.Empty;
        var clean = Sanitize(text!);
        string decomposed;
        if (IsAscii(clean))
        {
#if NET8_0_OR_GREATER
            return FoldAscii(clean);
#else
            // Plain ASCII is already in normal form; skipping NFKD halves the cost of a million names.
            decomposed = clean;
#endif
        }
        else
        {
            try
            {
                decomposed = clean.Normalize(NormalizationForm.FormKD);
            }
            catch (ArgumentException)
            {
                // Sanitize removes what Normalize rejects; this is belt and braces for unassigned code points.
                decomposed = clean;
            }
        }

        return FoldDecomposed(decomposed);
    }

    /// <summary>The general path of <see cref="Fold"/>, on text already sanitized and decomposed (NFKD).</summary>
    internal static string FoldDecomposed(string decomposed)
    {
        var sb = new StringBuilder(decomposed.Length + 8);
        var lastSpace = true;
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
                continue;
            if (char.IsLetterOrDigit(ch))
            {
                AppendLetter(sb, ch);
                lastSpace = false;
            }
            else if (ch is '.' or '\'' or '\u2019' or '`' or '\u00B4')
            {
                // "L.L.C." = "LLC", "Morton's" = "Mortons".
            }
            else if (ch == '&' || ch == '+')
            {
                if (!lastSpace)
                    sb.Append(' ');
                sb.Append("and ");
                lastSpace = true;
            }
            else if (!lastSpace)
            {
                sb.Append(' ');
                lastSpace = true;
            }
        }

        return sb.ToString().Trim();
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// <see cref="Fold"/> of sanitized ASCII text, into a stack buffer: the same rules (letters and digits lower-cased,
    /// '.', apostrophes and '`' joined, '&amp;' and '+' as "and", other characters one space, ends trimmed) with one allocation.
    /// </summary>
    private static string FoldAscii(string clean)
    {
        // Each character adds at most 5 ("&amp;" after a word = " and ").
        var size = (clean.Length * 5) + 1;
        var buffer = size <= 1024 ? stackalloc char[size] : new char[size];
        var length = 0;
        var lastSpace = true;
        foreach (var ch in clean)
        {
            if (ch is >= 'a' and <= 'z' or >= '0' and <= '9')
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
                "and ".AsSpan().CopyTo(buffer.Slice(length));
                length += 4;
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
        return length == 0 ? string.Empty : length == clean.Length && clean.AsSpan().SequenceEqual(buffer.Slice(0, length)) ? clean : new string(buffer.Slice(0, length));
    }
#endif

    /// <summary>Splits folded text into words.</summary>
    public static string[] Tokens(string folded) =>
        folded.Length == 0 ? [] : folded.Split(Space, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Cuts huge values and replaces lone surrogates and control characters, which break normalisation.</summary>
    public static string Sanitize(string text)
    {
        if (text.Length > MaxInputLength)
            text = text.Substring(0, MaxInputLength);
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

    /// <summary>Keeps only ASCII digits.</summary>
    public static string Digits(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return string.Empty;
        var sb = new StringBuilder(Math.Min(text!.Length, 32));
        foreach (var ch in text)
        {
            if (ch is >= '0' and <= '9')
            {
                sb.Append(ch);
                if (sb.Length >= 32)
                    break;
            }
        }

        return sb.ToString();
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

    private static void AppendLetter(StringBuilder sb, char ch)
    {
        // Letters NFKD does not decompose.
        switch (ch)
        {
            case 'ß':
                sb.Append("ss");
                return;
            case 'æ' or 'Æ':
                sb.Append("ae");
                return;
            case 'œ' or 'Œ':
                sb.Append("oe");
                return;
            case 'ø' or 'Ø':
                sb.Append('o');
                return;
            case 'ł' or 'Ł':
                sb.Append('l');
                return;
            case 'đ' or 'Đ':
                sb.Append('d');
                return;
            case 'ı':
                sb.Append('i');
                return;
            case 'þ' or 'Þ':
                sb.Append("th");
                return;
            default:
                sb.Append(char.ToLowerInvariant(ch));
                return;
        }
    }
}
