using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// Company names as people write them in real records: two names joined by an ampersand and known by their initials,
/// "St." and "Mt." for "Saint" and "Mount", a hyphenated name typed as one word, a Japanese long vowel written "ou",
/// a legal form in another romanisation, a Chinese company without the city its registered name starts with. The accounts sit among the
/// development set's 5,000, so that words weigh as they do in an org.
/// </summary>
public class NamesAsPeopleWriteThemTests : IClassFixture<NamesAsPeopleWriteThemTests.Org>
{
    private readonly BulkMatcher _matcher;

    public NamesAsPeopleWriteThemTests(Org org) => _matcher = org.Matcher;

    [Theory]
    [InlineData("P&G", "Cincinnati", "R1")]
    [InlineData("J&J", "New Brunswick", "R2")]
    [InlineData("St. Joseph Hospital", "Milwaukee", "R3")]
    [InlineData("Mt. Sinai Medical Ctr", "New York", "R4")]
    [InlineData("Walmart", "Bentonville", "R5")]
    [InlineData("WalMart", "Bentonville", "R5")]
    [InlineData("Kouyou Denki Co Ltd", "Osaka", "R6", "JP")]
    [InlineData("Matsuda Kogyo Kabushiki Gaisha", "Hiroshima", "R7", "JP")]
    [InlineData("Yongda Machinery", "Ningbo", "R8", "CN")]
    public void Match_NameAsPeopleWriteIt_FindsTheAccount(string company, string city, string account, string country = "US")
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, City = city, Country = country });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal(account, decision.AccountId);
    }

    [Theory]
    [InlineData("P&Q", "Cincinnati")]
    [InlineData("Peterson & Green", "Cincinnati")]
    [InlineData("St. Mary Hospital", "Milwaukee")]
    public void Match_OtherInitialsOrOtherName_IsNotBlocked(string company, string city)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, City = city, Country = "US" });

        Assert.NotEqual(Verdict.Block, decision.Verdict);
    }

    public sealed class Org
    {
        public Org()
        {
            Matcher = DevSetMatcher.With(
            [
                new() { Id = "R1", Name = "Procter & Gamble Co", Website = "pg.com", City = "Cincinnati", Country = "US" },
                new() { Id = "R2", Name = "Johnson & Johnson", Website = "jnj.com", City = "New Brunswick", Country = "US" },
                new() { Id = "R3", Name = "Saint Joseph's Hospital", Website = "sjh.org", City = "Milwaukee", Country = "US" },
                new() { Id = "R4", Name = "Mount Sinai Medical Center", Website = "mountsinai.org", City = "New York", Country = "US" },
                new() { Id = "R5", Name = "Wal-Mart Stores Inc", Website = "walmart.com", City = "Bentonville", Country = "US" },
                new() { Id = "R6", Name = "Kōyō Denki K.K.", City = "Osaka", Country = "JP" },
                new() { Id = "R7", Name = "Matsuda Kogyo Co., Ltd.", City = "Hiroshima", Country = "JP" },
                new() { Id = "R8", Name = "Ningbo Yongda Machinery Co., Ltd.", City = "Ningbo", Country = "CN" },
            ]);
        }

        public BulkMatcher Matcher { get; }
    }
}
