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
            var expected = MatchText.FoldDecomposed(MatchText.Sanitize(text));
            var actual = MatchText.Fold(text);
            if (string.IsNullOrWhiteSpace(text))
                expected = string.Empty;
            if (expected != actual && failures++ < 10)
                Console.WriteLine($"'{text}': general '{expected}', fast '{actual}'");
        }

        Console.WriteLine($"fold check: {failures} differences in 1,000,000 random ASCII strings");
        return failures == 0 ? 0 : 1;
    }
}
