using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

/// <summary>Korean names in Hangul against their Revised Romanization, as Korean firms and their contacts write them.</summary>
public class HangulTests
{
    [Theory]
    [InlineData("이화식품", "ihwasikpum")]
    [InlineData("산업", "saneop")]
    [InlineData("한국어", "hangugeo")]
    [InlineData("부산해운", "busanhaeun")]
    [InlineData("엘지화학", "eljihwahak")]
    [InlineData("삼성전자", "samseongjeonja")]
    public void Fold_Hangul_IsRevisedRomanization(string name, string expected)
    {
        Assert.Equal(expected, MatchText.Fold(name));
    }

    [Theory]
    [InlineData("부산해운", "pusanhaeun")]
    [InlineData("대한제강", "taehanjegang")]
    [InlineData("청해진", "chonghaejin")]
    [InlineData("제주 감귤", "cheju kamgyul")]
    public void FoldAlternative_Hangul_IsMcCuneReischauerWithoutItsMarks(string name, string expected)
    {
        Assert.Equal(expected, MatchText.FoldAlternative(name));
    }

    [Fact]
    public void Fold_DecomposedHangul_IsTheSameAsComposed()
    {
        // 식 typed as its three letters (ᄉ ᅵ ᆨ), as some keyboards and imports leave it.
        Assert.Equal(MatchText.Fold("이화식품"), MatchText.Fold("이화\u1109\u1175\u11A8품"));
        Assert.Equal(MatchText.Fold("한국어"), MatchText.Fold("한국\u110B\u1165"));
    }

    [Theory]
    [InlineData("주식회사 이화식품", "Ihwa Sikpum")]
    [InlineData("주식회사 청해진수산", "Cheonghaejin Susan")]
    [InlineData("(주)엘지화학", "Elji Hwahak")]
    [InlineData("부산해운 주식회사", "Pusan Haeun Co., Ltd.")]
    [InlineData("대한제강", "Taehan Chegang")]
    public void MatchAccount_RomanisedLead_FindsTheAccountInHangulWhateverSideItsLegalFormIs(string account, string lead)
    {
        var matcher = RecordMatcher.CreateDefault();
        var korean = new Account { Id = "kr", Name = account, City = "서울", Country = "KR", OwnerId = "u1" };

        var match = matcher.MatchAccount(new Lead { Company = lead, City = "Seoul", Country = "KR" }, [korean], []);

        Assert.Equal("kr", match?.Account.Id);
    }
}
