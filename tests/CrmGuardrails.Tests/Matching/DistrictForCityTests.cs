using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Scoring;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// People type the district or town for the city ("Tân Bình" for Ho Chi Minh City, "Nanshan" for Shenzhen) and the
/// account's address names it: that is not another city. A city the address does not name still disagrees.
/// </summary>
public class DistrictForCityTests : IClassFixture<DistrictForCityTests.Org>
{
    private readonly BulkMatcher _matcher;

    public DistrictForCityTests(Org org) => _matcher = org.Matcher;

    [Theory]
    [InlineData("Tân Bình", Verdict.Flag)]
    [InlineData("Đà Nẵng", Verdict.Allow)]
    public void Match_TheDistrictTheAddressNames_IsNoOtherCity(string city, Verdict expected)
    {
        // The account's own mobile and a short name: evidence enough for a flag, unless the city says another place.
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Thiên Ân", Phone = "+84 903 812 445", City = city });

        Assert.Equal(expected, decision.Verdict);
    }

    [Theory]
    [InlineData("Bình Dương", Verdict.Flag)]
    [InlineData("Đà Nẵng", Verdict.Allow)]
    public void Match_TheTownAfterTheCitysComma_IsNoOtherCity(string city, Verdict expected)
    {
        // The account's phone alone flags, unless the city says another place.
        var decision = _matcher.Match(new Lead { Id = "L", LastName = "Lâm", Phone = "0274 3767 112", City = city });

        Assert.Equal(expected, decision.Verdict);
    }

    [Theory]
    [InlineData("guang dong sheng shen zhen shi nan shan qu", "nanshan", true)]
    [InlineData("112 5 cong hoa phuong 4 quan tan binh", "tan binh", true)]
    [InlineData("12 binhthanh road", "binh", false)]
    [InlineData("nan shan qu", "nans", false)]
    public void HasWordRun_WholeWordsSpacesAside(string text, string words, bool expected)
    {
        Assert.Equal(expected, MatchEngine.HasWordRun(text, words));
    }

    public sealed class Org
    {
        public Org()
        {
            Matcher = DevSetMatcher.With(
            [
                new() { Id = "D1", Name = "Công ty TNHH Thương mại Kỹ thuật Thiên Ân", Phone = "0903 812 445", Street = "112/5 Cộng Hòa, Phường 4, Quận Tân Bình", City = "TP. Hồ Chí Minh", Country = "VN" },
                new() { Id = "D2", Name = "Công ty TNHH Linh Kiện Điện Tử Phước Thành", Phone = "0274 3767 112", Street = "Lô C-12, KCN VSIP II, Phường Hòa Phú", City = "Thủ Dầu Một, Bình Dương", Country = "VN" },
            ]);
        }

        public BulkMatcher Matcher { get; }
    }
}
