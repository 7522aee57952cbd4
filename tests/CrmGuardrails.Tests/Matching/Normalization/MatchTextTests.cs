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

    [Theory]
    [InlineData("new york", "york", true)]
    [InlineData("new york", "new", true)]
    [InlineData("new york", "yor", false)]
    [InlineData("newyork", "york", false)]
    [InlineData("york york", "york", true)]
    [InlineData("", "york", false)]
    [InlineData("new york", "", false)]
    [InlineData("new york", "new york", false)]
    public void HasToken_IsWhatTokensSplits(string folded, string word, bool expected)
    {
        Assert.Equal(expected, MatchText.HasToken(folded, word));
        Assert.Equal(Array.IndexOf(MatchText.Tokens(folded), word) >= 0, MatchText.HasToken(folded, word));
    }

    [Theory]
    [InlineData("")]
    [InlineData("acme")]
    [InlineData("acme  corp ")]
    [InlineData(" a b  c ")]
    public void AddTokens_SplitsAsTokensDoes(string folded)
    {
        Assert.Equal(MatchText.Tokens(folded), MatchText.AddTokens(folded, []));
    }

    [Theory]
    [InlineData("+1 (425) 555-0100", "14255550100")]
    [InlineData("０２０ ７９４６", "0207946")]
    [InlineData("no digits", "")]
    public void Digits_KeepsOnlyDigits(string text, string expected)
    {
        Assert.Equal(expected, MatchText.Digits(text));
    }

    [Fact]
    public void Digits_StopAtThirtyTwo()
    {
        Assert.Equal(new string('7', 32), MatchText.Digits(new string('7', 100)));
    }
}
