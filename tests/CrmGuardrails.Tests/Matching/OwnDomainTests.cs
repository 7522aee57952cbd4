using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// A lead at a company's own email domain whose company name does not agree: written in the company's own script
/// ("桜精密株式会社" for Sakura Precision), or a brand, a subsidiary or a trading name ("Joe's Pizza" at
/// castellanoholdings.com). The domain is found; the name neither hides it nor, alone, blocks. The accounts sit among
/// the development set's 5,000, so that words weigh as they do in an org.
/// </summary>
public class OwnDomainTests : IClassFixture<OwnDomainTests.Org>
{
    private readonly BulkMatcher _matcher;

    public OwnDomainTests(Org org) => _matcher = org.Matcher;

    [Theory]
    [InlineData("桜精密株式会社", "henry.ward@sakura-precision.co.jp", "Nagoya", "JP", "D1")]
    [InlineData("한국파스너", "mason.price@hkfasteners.co.kr", "Ulsan", "KR", "D2")]
    [InlineData("Αθηνά Ναυτιλιακή Α.Ε.", "mia.price@athenamarine.gr", "Piraeus", "GR", "D3")]
    [InlineData("النور للمقاولات", "zoe.russell@alnoorcontracting.ae", "Dubai", "AE", "D4")]
    [InlineData("Joe's Pizza", "ruby.west@castellanoholdings.com", "New York", "US", "D5")]
    public void Match_OtherNameAtTheAccountsOwnDomain_FindsTheAccount(string company, string email, string city, string country, string account)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, Email = email, City = city, Country = country });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal(account, decision.AccountId);
    }

    [Fact]
    public void Match_OtherNameAtTheAccountsOwnDomain_IsNotBlockedOnTheDomainAlone()
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Joe's Pizza", Email = "ruby.west@castellanoholdings.com", Country = "US" });

        Assert.Equal(Verdict.Flag, decision.Verdict);
    }

    [Theory]
    [InlineData("LASD - Facilities Services Bureau", "rdelgado@lasd.org", "(323) 526-5000", "1000 S Fremont Ave, Bldg A-9", "Alhambra", "D6")]
    [InlineData("Gaeltacht Authority", "peadar.macdonncha@udaras.ie", null, null, "Furbo, Co. Galway", "D7")]
    public void Match_AnotherPartOfTheOrganisationElsewhereAtItsOwnDomain_IsFlaggedOnIt(string company, string email, string? phone, string? street, string city, string account)
    {
        // Another name, another address, another number: still writing from the organisation's own domain.
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, Email = email, Phone = phone, Street = street, City = city });

        Assert.Equal(Verdict.Flag, decision.Verdict);
        Assert.Equal(account, decision.AccountId);
    }

    [Theory]
    [InlineData("桜精密株式会社", "henry.ward@gmail.com", "Nagoya", "JP")]
    [InlineData("Joe's Pizza", "ruby.west@gmail.com", "New York", "US")]
    public void Match_OtherNameWithoutTheDomain_IsAllowed(string company, string email, string city, string country)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, Email = email, City = city, Country = country });

        Assert.Equal(Verdict.Allow, decision.Verdict);
    }

    [Fact]
    public void Match_AnotherSiteAtTheDomainOnlyTheOrganisationsSitesUse_IsFlaggedAsPartOfIt()
    {
        // Three hospitals of one group on the group's domain: a fourth, named for itself, writes from that domain.
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Hôpital Jean Moulin", Email = "c.faure@chu-valmont.fr", Street = "28 avenue du Doyen Lépine", City = "Bron", Country = "France" });

        Assert.Equal(Verdict.Flag, decision.Verdict);
        Assert.StartsWith("D8", decision.AccountId, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_DepartmentNamedAtItsOrganisationsDomain_IsThatDepartmentNotTheOrganisation()
    {
        // Every account of the university is raised to the organisation's floor; the one the lead names best still wins.
        var decision = _matcher.Match(new Lead { Id = "L", Company = "UW Chemistry Department", Email = "gturner@westmark.edu", City = "Ann Arbor", Country = "US" });

        Assert.Equal("D11b", decision.AccountId);
    }

    [Fact]
    public void Match_AnotherNameAtADomainUnrelatedAccountsShare_IsAllowed()
    {
        // Two unrelated firms at one host's domain: the domain is neither's own.
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Gamma Bookkeeping", Email = "office@shared-host-mail.com", City = "Leeds", Country = "GB" });

        Assert.Equal(Verdict.Allow, decision.Verdict);
    }

    [Theory]
    [InlineData("(415) 555-0182", Verdict.Flag)]
    [InlineData("(415) 555-0109", Verdict.Block)]
    public void Match_TheAccountsNameWrittenFromAnotherCompanysDomain_IsBlockedOnlyWithItsOwnNumber(string phone, Verdict verdict)
    {
        // An agency or a consultant writes for its client from its own domain: the name says which customer, not whose
        // employee the lead is; the client's own number does.
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Lumen Arc", Email = "lauren@northfoldcreative.com", Phone = phone, City = "San Francisco", Country = "US" });

        Assert.Equal((verdict, "D10"), (decision.Verdict, decision.AccountId));
    }

    public sealed class Org
    {
        public Org()
        {
            Matcher = DevSetMatcher.With(
            [
                new() { Id = "D1", Name = "Sakura Precision Co., Ltd.", Website = "https://www.sakura-precision.co.jp", City = "Nagoya", Country = "JP" },
                new() { Id = "D2", Name = "Hankook Fasteners Co., Ltd.", Website = "hkfasteners.co.kr", City = "Ulsan", Country = "KR" },
                new() { Id = "D3", Name = "Athena Marine S.A.", Website = "athenamarine.gr", City = "Piraeus", Country = "GR" },
                new() { Id = "D4", Name = "Al Noor Contracting LLC", Website = "alnoorcontracting.ae", City = "Dubai", Country = "AE" },
                new() { Id = "D5", Name = "Castellano Holdings LLC", Website = "castellanoholdings.com", City = "New York", Country = "US" },
                new() { Id = "D6", Name = "Los Angeles County Sheriff's Department", Website = "lasd.org", Phone = "(213) 229-1700", Street = "211 W Temple St", City = "Los Angeles", PostalCode = "90012", Country = "US" },
                new() { Id = "D7", Name = "Údarás na Gaeltachta", Website = "udaras.ie", Phone = "091 503 100", Street = "Na Forbacha", City = "Gaillimh", PostalCode = "H91 TY22", Country = "Éire" },
                new() { Id = "D8a", Name = "HCV - Hôpital Édouard Herriot", Website = "chu-valmont.fr", Phone = "04 72 11 73 11", Street = "5 place d'Arsonval", City = "Lyon", PostalCode = "69003", Country = "France" },
                new() { Id = "D8b", Name = "HCV - Hôpital de la Croix-Rousse", Website = "chu-valmont.fr", Phone = "04 26 10 92 99", Street = "103 grande rue de la Croix-Rousse", City = "Lyon", PostalCode = "69004", Country = "France" },
                new() { Id = "D8c", Name = "HCV - Groupement Hospitalier Est", Website = "chu-valmont.fr", Phone = "04 72 35 71 11", Street = "59 boulevard Pinel", City = "Bron", PostalCode = "69500", Country = "France" },
                new() { Id = "D9a", Name = "Alpha Dental Care", Website = "shared-host-mail.com", City = "Leeds", Country = "GB" },
                new() { Id = "D9b", Name = "Beta Plumbing Services", Website = "shared-host-mail.com", City = "Leeds", Country = "GB" },
                new() { Id = "D11a", Name = "University of Westmark", Website = "https://www.westmark.edu", Email = "info@westmark.edu", Street = "500 S State St", City = "Ann Arbor", Country = "US" },
                new() { Id = "D11b", Name = "University of Westmark - Department of Chemistry", Website = "https://www.westmark.edu", Street = "930 N University Ave", City = "Ann Arbor", Country = "US", ParentId = "D11a" },
                new() { Id = "D11c", Name = "University of Westmark - School of Dentistry", Website = "https://www.westmark.edu", Street = "1011 N University Ave", City = "Ann Arbor", Country = "US", ParentId = "D11a" },
                new() { Id = "D10", Name = "Lumen Arc, Inc.", Website = "https://lumenarc.ai", Phone = "(415) 555-0109", Street = "535 Mission St", City = "San Francisco", PostalCode = "94105", Country = "US" },
            ]);
        }

        public BulkMatcher Matcher { get; }
    }
}
