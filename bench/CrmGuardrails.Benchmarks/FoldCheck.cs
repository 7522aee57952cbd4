using System.Globalization;
using System.Text;
using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Benchmarks;

/// <summary>Checks that the ASCII fast path of <see cref="MatchText.Fold"/> gives what the general path gives, on random text.</summary>
internal static class FoldCheck
{
    public static int Run()
    {
        var random = new Random(11);
        const string alphabet = "abcXYZ019 .'`&+-_/,()#@!?\t\u007f";
        var failures = 0;
        for (var n = 0; n < 1_000_000; n++)
        {
            var chars = new char[random.Next(0, 24)];
            for (var i = 0; i < chars.Length; i++)
                chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 128) : alphabet[random.Next(alphabet.Length)];
            var text = new string(chars);
            var expected = General(MatchText.Sanitize(text));
            var actual = MatchText.Fold(text);
            if (string.IsNullOrWhiteSpace(text))
                expected = string.Empty;
            if (expected != actual && failures++ < 10)
                Console.WriteLine($"'{text}': general '{expected}', fast '{actual}'");
        }

        Console.WriteLine($"fold check: {failures} differences in 1,000,000 random ASCII strings");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The general path of Fold (as before the fast path), for ASCII input.</summary>
    private static string General(string decomposed)
    {
        var sb = new StringBuilder();
        var lastSpace = true;
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
                continue;
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(char.ToLowerInvariant(ch));
                lastSpace = false;
            }
            else if (ch is '.' or '\'' or '\u2019' or '`' or '\u00B4')
            {
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
}
