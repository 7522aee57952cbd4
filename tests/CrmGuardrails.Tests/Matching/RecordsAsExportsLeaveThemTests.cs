using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// Records as imports, exports and other scripts leave them: HTML entities and mojibake in names, a city written in
/// another script or romanised another way, a trade word said or left out, Serbian written in Latin or Cyrillic. The
/// accounts sit among the development set's 5,000, so that words weigh as they do in an org.
/// </summary>
public class RecordsAsExportsLeaveThemTests : IClassFixture<RecordsAsExportsLeaveThemTests.Org>
{
    private readonly BulkMatcher _matcher;

    public RecordsAsExportsLeaveThemTests(Org org) => _matcher = org.Matcher;

    [Theory]
    [InlineData("Pinnacle Title &amp; Escrow", null, "Scottsdale", "US", "E1")]
    [InlineData("DÃºn Laoghaire Harbour Yacht Services", "+353 (0)1 280 4471", "Dublin", "IE", "E2")]
    [InlineData("BÃ¤ckerei SchÃ¤fer GmbH &amp; Co. KG", "0221-9123345", "Köln", "DE", "E3")]
    public void Match_NameWithEntitiesOrMojibake_FindsTheAccount(string company, string? phone, string city, string country, string account)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, Phone = phone, City = city, Country = country });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal(account, decision.AccountId);
    }

    [Theory]
    [InlineData("Riyadh")]
    [InlineData("الرياض")]
    [InlineData("Ar Riyad")]
    public void Match_TheAccountsPhoneWithTheCityWrittenAnotherWay_FindsTheAccount(string city)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Al Noor Trading", Phone = "+966 11 465 2200", City = city, Country = "SA" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("E4", decision.AccountId);
    }

    [Fact]
    public void Score_CityRomanisedAnotherWay_IsNotADisagreement()
    {
        var isfahan = _matcher.FindBestAccount(new Lead { Id = "L", Company = "Foolad Sepahan", City = "Isfahan", Country = "IR" });
        var tehran = _matcher.FindBestAccount(new Lead { Id = "L", Company = "Foolad Sepahan", City = "Tehran", Country = "IR" });

        Assert.Equal("E5", isfahan?.Account.Id);
        Assert.Contains(isfahan!.Evidence, e => e.Field == "city" && e.Weight >= 0);
        Assert.Contains(tehran!.Evidence, e => e.Field == "city" && e.Weight < 0);
    }

    [Theory]
    [InlineData("Quayside Dental", "Newcastle upon Tyne", "GB", "E6")]
    [InlineData("Westgate Dental", "Wakefield", "GB", "E7")]
    [InlineData("Millbrook Legal", "Exeter", "GB", "E8")]
    public void Match_TheTradeWordLeftOut_FlagsTheAccount(string company, string city, string country, string account)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, City = city, Country = country });

        Assert.Equal((Verdict.Flag, account), (decision.Verdict, decision.AccountId));
    }

    [Theory]
    [InlineData("Đorđević Inženjering d.o.o.")]
    [InlineData("Djordjevic Inzenjering")]
    public void Match_SerbianInLatinAgainstCyrillic_FindsTheAccount(string company)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, City = "Beograd", Country = "RS" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("E9", decision.AccountId);
    }

    public sealed class Org
    {
        public Org()
        {
            Matcher = DevSetMatcher.With(
            [
                new() { Id = "E1", Name = "Pinnacle Title & Escrow, Inc.", City = "Scottsdale", Country = "US" },
                new() { Id = "E2", Name = "Dún Laoghaire Harbour Yacht Services", Phone = "01 280 4471", City = "Dublin", Country = "IE" },
                new() { Id = "E3", Name = "Bäckerei Schäfer GmbH & Co. KG", Phone = "0221 9123345", City = "Köln", Country = "DE" },
                new() { Id = "E4", Name = "شركة النور للتجارة", Phone = "011 465 2200", City = "الرياض", Country = "SA" },
                new() { Id = "E5", Name = "Foolad Sepahan Co.", City = "Esfahan", Country = "IR" },
                new() { Id = "E6", Name = "Quayside Dental Practice", City = "Newcastle upon Tyne", Country = "GB" },
                new() { Id = "E7", Name = "Westgate Dental Surgery", City = "Wakefield", Country = "GB" },
                new() { Id = "E8", Name = "Millbrook Legal Partnership", City = "Exeter", Country = "GB" },
                new() { Id = "E9", Name = "Ђорђевић Инжењеринг д.о.о.", City = "Београд", Country = "RS" },
            ]);
        }

        public BulkMatcher Matcher { get; }
    }
}
