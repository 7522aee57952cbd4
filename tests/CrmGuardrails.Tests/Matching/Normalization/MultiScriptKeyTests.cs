using System.Globalization;
using System.Text;
using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Normalization;
using Xunit.Abstractions;

namespace CrmGuardrails.Tests.Matching.Normalization;

/// <summary>
/// Keys must be the same on every runtime the product runs on, or an account indexed by one host is not found by
/// another. tests/data/multiscript-keys.tsv holds the keys the net10.0 build gives for tests/data/multiscript-names.txt;
/// this class checks them with ICU (CrmGuardrails.Tests) and in invariant mode (CrmGuardrails.Tests.Invariant, which
/// links this file), and CrmGuardrails.Net462Smoke checks them on .NET Framework.
/// </summary>
public class MultiScriptKeyTests(ITestOutputHelper output)
{
    private static readonly string DataFolder = Path.Combine(AppContext.BaseDirectory, "data");

    [Fact]
    public void GetKeys_MultiScriptCorpus_EqualsExpectedKeys()
    {
        var names = ReadNames();
        var expected = File.ReadAllLines(Path.Combine(DataFolder, "multiscript-keys.tsv"), Encoding.UTF8);
        var matcher = RecordMatcher.CreateDefault();
        var mismatches = new List<string>();
        for (var i = 0; i < Math.Max(names.Count, expected.Length); i++)
        {
            // Compared without trailing tabs: an editor that trims whitespace drops the empty fields of a name without keys.
            var want = i < expected.Length ? expected[i].TrimEnd('\t') : "(no line)";
            var got = i < names.Count ? KeyLine(names[i], matcher.GetKeys(new Lead { Company = names[i] })).TrimEnd('\t') : "(no name)";
            if (got != want)
                mismatches.Add($"{Visible(i < names.Count ? names[i] : want.Split('\t')[0])}\n    expected: {Visible(want)}\n    actual:   {Visible(got)}");
        }

        // Every mismatch at once: a runtime difference usually hits a whole script, and one name at a time hides that.
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {names.Count} names have other keys than multiscript-keys.tsv ({Mode()}):\n{string.Join("\n", mismatches)}");
    }

    [Fact]
    public void Fold_DiacriticNameNfcOrNfd_IsTheSame()
    {
        var names = ReadNames().Where(HasLatinDiacritic).ToList();
        Assert.True(names.Count >= 30, $"only {names.Count} names with Latin diacritics in the corpus");
        var compared = 0;
        var mismatches = new List<string>();
        foreach (var name in names)
        {
            var nfc = name.Normalize(NormalizationForm.FormC);
            var nfd = name.Normalize(NormalizationForm.FormD);

            // Without ICU (invariant mode) string.Normalize returns non-ASCII text unchanged: there is no other form to
            // compare, and the corpus's own decomposed lines are checked by GetKeys_MultiScriptCorpus_EqualsExpectedKeys.
            if (nfc == name && nfd == name)
                continue;
            compared++;
            if (MatchText.Fold(nfc) != MatchText.Fold(nfd))
                mismatches.Add($"{Visible(name)}: NFC \"{MatchText.Fold(nfc)}\", NFD \"{MatchText.Fold(nfd)}\"");
        }

        output.WriteLine($"{compared} of {names.Count} diacritic names compared in NFC and NFD ({Mode()})");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} names fold differently in NFC and NFD:\n{string.Join("\n", mismatches)}");
        if (IcuNormalizes())
            Assert.True(compared >= 30, $"ICU normalises, yet only {compared} names had an NFD form");
    }

    [Theory]
    [InlineData("M\u00fcller GmbH", "Mu\u0308ller GmbH")]
    [InlineData("\u0160koda Auto", "S\u030Ckoda Auto")]
    [InlineData("Bj\u00f6rn \u00c5kesson", "Bjo\u0308rn A\u030Akesson")]
    [InlineData("Nguy\u1ec5n V\u0103n", "Nguye\u0302\u0303n Va\u0306n")]
    [InlineData("\u0130stanbul", "I\u0307stanbul")]
    public void Fold_DecomposedText_EqualsComposedText(string composed, string decomposed)
    {
        // Written out, so that invariant mode (no string.Normalize) checks decomposed input too.
        Assert.Equal(MatchText.Fold(composed), MatchText.Fold(decomposed));
        Assert.Equal(MatchText.FoldAlternative(composed), MatchText.FoldAlternative(decomposed));
    }

    /// <summary>The corpus names in file order: blank lines and '#' comments skipped, nothing trimmed.</summary>
    private static List<string> ReadNames() =>
        File.ReadAllLines(Path.Combine(DataFolder, "multiscript-names.txt"), Encoding.UTF8).Where(l => l.Length > 0 && l[0] != '#').ToList();

    /// <summary>One line of multiscript-keys.tsv (CrmGuardrails.Net462Smoke writes it the same way).</summary>
    private static string KeyLine(string name, MatchKeys keys) => $"{name}\t{keys.NormalizedName}\t{string.Join("|", keys.NameKeys)}";

    private static bool HasLatinDiacritic(string name) =>
        name.Any(ch => ch is >= '\u00C0' and <= '\u024F' and not '\u00D7' and not '\u00F7' or >= '\u0300' and <= '\u036F' or >= '\u1E00' and <= '\u1EFF');

    private static bool IcuNormalizes() => "\u00e9".Normalize(NormalizationForm.FormD) != "\u00e9";

    private static string Mode() => $"culture \"{CultureInfo.CurrentCulture.Name}\", {(IcuNormalizes() ? "normalisation available" : "no normalisation: invariant mode")}";

    /// <summary>Shows invisible characters and combining marks as \uXXXX, so that a failure says which one differs.</summary>
    private static string Visible(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
        {
            var category = char.GetUnicodeCategory(ch);
            if (ch > 127 && category is UnicodeCategory.Format or UnicodeCategory.SpaceSeparator or UnicodeCategory.NonSpacingMark or UnicodeCategory.Control)
                sb.Append("\\u").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture));
            else if (ch == '\t')
                sb.Append(" \u2192 ");
            else
                sb.Append(ch);
        }

        return sb.ToString();
    }
}
