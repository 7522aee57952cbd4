using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class MatchTextTests
{
    [Theory]
    [InlineData("Crème Brûlée & Co.", "creme brulee and co")]
    [InlineData("Morton's", "mortons")]
    [InlineData("L.L.C.", "llc")]
    [InlineData("  a\t b  ", "a b")]
    public void Fold_Text_IsLowerAsciiWords(string raw, string expected)
    {
        Assert.Equal(expected, MatchText.Fold(raw));
    }

    [Fact]
    public void Fold_LoneSurrogatesAndControls_DoNotThrow()
    {
        var hostile = "Acme\uD800 Corp\u0000\uDC00 \u202E";
        Assert.Equal("acme corp", MatchText.Fold(hostile));
    }

    [Fact]
    public void Fold_HugeText_IsCut()
    {
        var folded = MatchText.Fold(new string('a', 1_000_000));
        Assert.Equal(MatchText.MaxInputLength, folded.Length);
    }
}
