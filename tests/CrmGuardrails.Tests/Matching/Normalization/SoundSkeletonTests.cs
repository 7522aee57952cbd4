using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class SoundSkeletonTests
{
    [Theory]
    [InlineData("abdulrahman", "bdlrhmn")]
    [InlineData("zhemchuzhina", "jemchoujina")]
    [InlineData("constantinou", "konstantinoy")]
    [InlineData("xatzigewrgiou", "chatzigeorgioy")]
    [InlineData("mahalaxmi", "mahalakshmi")]
    [InlineData("qasr", "kasr")]
    [InlineData("dhahabi", "dhhby")]
    [InlineData("foolad", "fwld")]
    public void Of_OneNameRomanisedTwoWays_IsOneSkeleton(string one, string other) =>
        Assert.Equal(SoundSkeleton.Of(one), SoundSkeleton.Of(other));

    [Theory]
    [InlineData("harbi", "hariri")]
    [InlineData("sharma", "verma")]
    [InlineData("petrov", "petrenko")]
    public void Of_DifferentNames_AreDifferentSkeletons(string one, string other) =>
        Assert.NotEqual(SoundSkeleton.Of(one), SoundSkeleton.Of(other));

    [Fact]
    public void AddReadings_WordFromAnotherScript_AlsoReadsWithoutTheArticleAndWithVAsAVowel()
    {
        var arabic = new List<string>();
        var hebrew = new List<string>();
        SoundSkeleton.AddReadings("lmnswry", otherScript: true, arabic);
        SoundSkeleton.AddReadings("smvny", otherScript: true, hebrew);

        Assert.Contains(SoundSkeleton.Of("mansouri"), arabic);
        Assert.Contains(SoundSkeleton.Of("shimoni"), hebrew);
    }

    [Fact]
    public void AddReadings_LookingUp_AlsoReadsWithoutH()
    {
        var armenian = new List<string>();
        var latin = new List<string>();
        SoundSkeleton.AddReadings("hovhannisyan", otherScript: true, armenian);
        SoundSkeleton.AddReadings("hovannisian", otherScript: false, latin, withoutH: true);

        Assert.Contains(latin, armenian.Contains);
    }

    [Fact]
    public void AddReadings_AbjadLettersThatLookLikeADigraph_AreAlsoReadApart()
    {
        // ز then ه, transliterated "zh": Al-Zahrani, not a ж.
        var readings = new List<string>();
        SoundSkeleton.AddReadings("lzhrny", otherScript: true, readings);

        Assert.Contains(SoundSkeleton.Of("zahrani"), readings);
    }

    [Fact]
    public void AddReadings_LatinWordWithJ_AlsoReadsJAsY()
    {
        var readings = new List<string>();
        SoundSkeleton.AddReadings("vostochnaja", otherScript: false, readings);

        Assert.Contains(SoundSkeleton.Of("vostochnaya"), readings);
    }

    [Fact]
    public void AddReadings_LatinWordWithCh_AlsoReadsItAsSh()
    {
        // French romanises ش as "ch": "Achour" is عاشور.
        var readings = new List<string>();
        SoundSkeleton.AddReadings("achour", otherScript: false, readings);

        Assert.Contains(SoundSkeleton.Of("ashour"), readings);
        Assert.Contains(SoundSkeleton.Of("akhour"), readings);
    }

    [Theory]
    [InlineData("lmnmh", true, "manama", false, true)]
    [InlineData("thrn", true, "tehran", false, true)]
    [InlineData("tehran", false, "teheran", false, false)]
    [InlineData("dby", true, "doha", false, false)]
    public void Alike_WholeTexts_OnlyAcrossScripts(string text, bool textOther, string other, bool otherOther, bool alike) =>
        Assert.Equal(alike, SoundSkeleton.Alike(text, textOther, other, otherOther));
}
