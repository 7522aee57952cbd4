using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// Another company whose name is one letter away ("Hansen Joinery" beside "Hanson Joinery") or the same words in another
/// order ("Commerce Bank" beside "Bank of Commerce") is as common in a real org as a slip of the keyboard: with the city
/// alone such a lead is flagged, never blocked; with the account's own phone or street it is the account. The accounts
/// sit among the development set's 5,000, so that words weigh as they do in an org.
/// </summary>
public class NearNamesTests : IClassFixture<NearNamesTests.Org>
{
    private readonly BulkMatcher _matcher;

    public NearNamesTests(Org org) => _matcher = org.Matcher;

    [Theory]
    [InlineData("Hansen Joinery", "Hull", "GB", "N1")]
    [InlineData("Dane Electric", "Madison", "US", "N2")]
    [InlineData("Martin Immobilier", "Nice", "FR", "N3")]
    [InlineData("Commerce Bank", "Tulsa", "US", "N4")]
    [InlineData("Christ Church Springdale", "Springdale", "US", "N5")]
    public void Match_NearNameWithTheCityAlone_IsFlaggedNotBlocked(string company, string city, string country, string account)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, Email = "someone@gmail.com", City = city, Country = country });

        Assert.Equal(Verdict.Flag, decision.Verdict);
        Assert.Equal(account, decision.AccountId);
    }

    [Theory]
    [InlineData("Hansen Joinery", "+44 1482 220 114", null, "Hull", "GB", "N1")]
    [InlineData("Dane Electric", null, "1200 Regent St", "Madison", "US", "N2")]
    [InlineData("Commerce Bank", "(918) 555-0147", null, "Tulsa", "US", "N4")]
    public void Match_NearNameWithTheAccountsPhoneOrStreet_IsBlocked(string company, string? phone, string? street, string city, string country, string account)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, Phone = phone, Street = street, City = city, Country = country });

        Assert.Equal(Verdict.Block, decision.Verdict);
        Assert.Equal(account, decision.AccountId);
    }

    [Theory]
    [InlineData("Hanson Joinery", "Hull", "GB", "N1")]
    [InlineData("Bank of Commerce", "Tulsa", "US", "N4")]
    public void Match_TheNameAsSpelledWithTheCity_IsBlocked(string company, string city, string country, string account)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, City = city, Country = country });

        Assert.Equal(Verdict.Block, decision.Verdict);
        Assert.Equal(account, decision.AccountId);
    }

    [Theory]
    [InlineData("ann@gmail.com", Verdict.Flag)]
    [InlineData("ann@handleyforge.co.uk", Verdict.Allow)]
    public void Match_NearNameAtAnotherCompanysDomain_IsThatCompany(string email, Verdict expected)
    {
        // One letter away in the same city is flagged; from a domain of its own, other than the account's, it is another firm.
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Handley Forge", Email = email, City = "Stoke-on-Trent", Country = "GB" });

        Assert.Equal(expected, decision.Verdict);
    }

    [Theory]
    [InlineData("Kestrel Semiconductors", "Portland")]
    [InlineData("Marlow Sons", "Phoenix")]
    public void Match_AWordOfItsOwn_IsNoShortFormOfAnother(string company, string city)
    {
        // "Sons" has the letters of "Semiconductors", in order, but is a word of its own: two companies.
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, City = city, Country = "US" });

        Assert.Equal(Verdict.Allow, decision.Verdict);
    }

    [Theory]
    [InlineData("Corvnia Airlunes", "Lyon", "FR", "N9")]
    [InlineData("Tamrind Aeropace", "Denver", "US", "N10")]
    [InlineData("Quilfeather Motorz", "Berlin", "DE", "N11")]
    public void Match_ASlipInEveryWord_IsFlagged(string company, string city, string country, string account)
    {
        // No word is spelled as the account's, so no key of whole words finds it: the words' first letters and lengths do.
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, City = city, Country = country });

        Assert.Equal((Verdict.Flag, account), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_AnotherWordOfTheSameShape_IsAnotherCompany()
    {
        // "Movers" has the first letter and length of "Motors" but is two letters away: another firm.
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Quillfeather Movers", City = "Berlin", Country = "DE" });

        Assert.Equal(Verdict.Allow, decision.Verdict);
    }

    [Theory]
    [InlineData("Quilfeather Motors", false)]
    [InlineData("Qiulfaether Mtoors", true)]
    public void Candidates_OfTheNameShape_OnlyWhenNoNearSpellingFindsAnything(string company, bool shapeAsked)
    {
        // "Quicksilverx Mixers" has the shape of "Quillfeather Motors" (q12, m6) and nothing else in common with either lead.
        // One slip leaves "Motors" whole and finds the account by its near spelling; a slip in every word needs the shape.
        var candidates = _matcher.Candidates(new Lead { Id = "L", Company = company, City = "Berlin", Country = "DE" }).Select(c => c.Account.Id).ToList();

        Assert.Contains("N11", candidates);
        Assert.Equal(shapeAsked, candidates.Contains("N14"));
    }

    [Fact]
    public void Match_TwoWordsOfTheTables_AreNoSlipOfEachOther()
    {
        // "Services" is two letters from "Devices", but both are words of their own: another company.
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Larkspur Services", City = "Leeds", Country = "GB" });

        Assert.Equal(Verdict.Allow, decision.Verdict);
    }

    [Fact]
    public void Match_AWordOfTheTablesWithoutItsEnding_IsTheSameWord()
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Bodega Albarizo", City = "Jerez", Country = "ES" });

        Assert.Equal("N13", decision.AccountId);
        Assert.NotEqual(Verdict.Allow, decision.Verdict);
    }

    public sealed class Org
    {
        public Org()
        {
            Matcher = DevSetMatcher.With(
            [
                new() { Id = "N1", Name = "Hanson Joinery Ltd", Phone = "+44 1482 220 114", Street = "14 Spring Bank", City = "Hull", Country = "GB" },
                new() { Id = "N2", Name = "Dana Electric", Phone = "(608) 555-0190", Street = "1200 Regent St", City = "Madison", Country = "US" },
                new() { Id = "N3", Name = "Marin Immobilier", Phone = "+33 4 93 55 01 20", City = "Nice", Country = "FR" },
                new() { Id = "N4", Name = "Bank of Commerce", Phone = "(918) 555-0147", Street = "4500 S Garnett Rd", City = "Tulsa", Country = "US" },
                new() { Id = "N5", Name = "Church of Christ Springdale", City = "Springdale", Country = "US" },
                new() { Id = "N6", Name = "Kestrel & Sons Corp", City = "Boston", Country = "US" },
                new() { Id = "N7", Name = "Marlow Semiconductors LLC", City = "Atlanta", Country = "US" },
                new() { Id = "N8", Name = "Hanley Forge Ltd", Website = "https://www.hanleyforge.co.uk", City = "Stoke-on-Trent", Country = "GB" },
                new() { Id = "N9", Name = "Corvina Airlines SAS", City = "Lyon", Country = "FR" },
                new() { Id = "N10", Name = "Tamarind Aerospace Inc", City = "Denver", Country = "US" },
                new() { Id = "N11", Name = "Quillfeather Motors AG", City = "Berlin", Country = "DE" },
                new() { Id = "N12", Name = "Larkspur Devices Ltd", City = "Leeds", Country = "GB" },
                new() { Id = "N13", Name = "Bodegas Albarizo S.A.", City = "Jerez", Country = "ES" },
                new() { Id = "N14", Name = "Quicksilverx Mixers GmbH", City = "Hamburg", Country = "DE" },
            ]);
        }

        public BulkMatcher Matcher { get; }
    }
}
