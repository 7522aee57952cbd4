using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// A phone typed as a national number on a lead whose country is empty or unreadable ("2545 3318", "053 275100"): it is
/// read with the default region, which is a guess, so it is also compared with each account's number without its
/// country code; and a company typed as its trade, which says nothing against the account the phone names. The
/// accounts sit among the development set's 5,000.
/// </summary>
public class PhoneWithoutCountryTests : IClassFixture<PhoneWithoutCountryTests.Org>
{
    private readonly Org _org;

    public PhoneWithoutCountryTests(Org org) => _org = org;

    [Theory]
    [InlineData("Lee Hing Trading Co. Ltd", "2545 3318", "P1")]
    [InlineData("Chiang Mai Riverside Hotel", "053 275100", "P2")]
    [InlineData("Tipografia Rossi", "02 8765 4321", "P3")]
    [InlineData("ИП Жаксыбеков", "8 701 555 48 21", "P6")]
    public void FindBestAccount_NationalNumberWithoutCountry_AgreesWithTheAccountsNumber(string company, string phone, string account)
    {
        var match = _org.Matcher.FindBestAccount(new Lead { Id = "L", Company = company, Phone = phone, City = "Somewhere" });

        Assert.Equal(account, match?.Account.Id);
        Assert.Contains(match!.Evidence, e => e.Field == "phone" && e.Weight > 0);
    }

    [Theory]
    [InlineData("Lee Hing Trading Co. Ltd", "2545 3318", "P1")]
    [InlineData("Chiang Mai Riverside Hotel", "053 275100", "P2")]
    [InlineData("Tipografia Rossi", "02 8765 4321", "P3")]
    [InlineData("ИП Жаксыбеков", "8 701 555 48 21", "P6")]
    public async Task Directory_NationalNumberWithoutCountry_FindsTheAccountAsMatchDoes(string company, string phone, string account)
    {
        // The path a save takes asks the directory with the guards' keys: the national number is among them.
        var lead = new Lead { Id = "L", Company = company, Phone = phone, City = "Somewhere" };

        var candidates = await _org.Directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = _org.Directory.Matcher.GetKeys(lead) }, CancellationToken.None);

        Assert.Contains(candidates.Accounts, a => a.Id == account);
        Assert.Equal(account, _org.Matcher.FindBestAccount(lead)?.Account.Id);
    }

    [Fact]
    public async Task ExistingCustomerRule_TradeAndNationalNumberWithoutCountry_FlagsTheAccountAsMatchDoes()
    {
        // "Kanzlei" names no firm and the number has no country: only the national number finds Bergmann & Partner.
        var lead = new Lead { Id = "L", FirstName = "Claudia", LastName = "Bergmann", Company = "Kanzlei", Phone = "030 8871440", City = "Berlin", OwnerId = "u2" };
        var pipeline = new GuardPipelineBuilder { Directory = _org.Directory }.AddExistingCustomerGuard().Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(lead, "u2"));

        var finding = Assert.Single(result.Findings);
        var bulk = _org.Matcher.Match(lead);
        Assert.Equal((Verdict.Flag, "P4"), (bulk.Verdict, bulk.AccountId));
        Assert.Equal((bulk.Verdict, bulk.AccountId), (finding.Verdict, finding.Collision?.Record.Id));
    }

    [Fact]
    public async Task DuplicateLeadRule_OnePersonAtOneNumberTypedWithoutCountry_IsOneLeadWhateverTheCompany()
    {
        // The open lead's number has its country, the new one's not: one person, whatever company each typed.
        var open = new Lead { Id = "L1", FirstName = "Mei", LastName = "Chan", Company = "Lee Hing", Phone = "+852 2545 3318", Country = "HK", OwnerId = "u1", Status = LeadStatus.Open };
        var directory = new InMemoryCrmDirectory(new CrmSnapshot { Leads = [open], Users = [new User { Id = "u1" }, new User { Id = "u2" }] });
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddDuplicateLeadGuard().Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(new Lead { Id = "L2", FirstName = "Mei", LastName = "Chan", Company = "LH Trading", Phone = "25453318", OwnerId = "u2" }, "u2"));

        var finding = Assert.Single(result.Findings);
        Assert.Equal((Verdict.Block, "L1"), (finding.Verdict, finding.Collision?.Record.Id));
    }

    [Fact]
    public async Task ExistingCustomerRule_AContactsMobileTypedWithoutCountry_FlagsItsAccountAsMatchDoes()
    {
        // No company, a personal email, and the contact's own mobile with no country: only the contact finds the account.
        var lead = new Lead { Id = "L", FirstName = "Rhys", LastName = "Dawson", Email = "rhys.dawson@gmail.com", Phone = "07700 900123", OwnerId = "u2" };
        var pipeline = new GuardPipelineBuilder { Directory = _org.Directory }.AddExistingCustomerGuard().Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(lead, "u2"));

        var bulk = _org.Matcher.Match(lead);
        Assert.Equal("P5", bulk.AccountId);
        Assert.NotEqual(Verdict.Allow, bulk.Verdict);
        var finding = Assert.Single(result.Findings);
        Assert.Equal((bulk.Verdict, bulk.AccountId), (finding.Verdict, finding.Collision?.Record.Id));
    }

    [Fact]
    public void FindBestAccount_NationalNumberOfAnotherLine_DoesNotAgree()
    {
        var match = _org.Matcher.FindBestAccount(new Lead { Id = "L", Company = "Lee Hing Trading Co. Ltd", Phone = "2545 3319" });

        Assert.DoesNotContain(match?.Evidence ?? [], e => e.Field == "phone" && e.Weight > 0);
    }

    [Fact]
    public void FindBestAccount_CountryGiven_ReadsTheNumberWithIt()
    {
        // With a country the number is read as that country's: the Thai number typed in a lead from Hong Kong differs.
        var match = _org.Matcher.FindBestAccount(new Lead { Id = "L", Company = "Chiang Mai Riverside Hotel", Phone = "053 275100", Country = "HK" });

        Assert.DoesNotContain(match?.Evidence ?? [], e => e.Field == "phone" && e.Weight > 0);
    }

    [Theory]
    [InlineData("Steuerkanzlei")]
    [InlineData("Kanzlei")]
    public void Match_CompanyTypedAsItsTrade_LetsTheAccountsPhoneFlagIt(string company)
    {
        // "Steuerkanzlei" (a tax office) names a trade, not a firm: it says nothing against "Bergmann & Partner".
        var decision = _org.Matcher.Match(new Lead { Id = "L", FirstName = "Claudia", LastName = "Bergmann", Company = company, Phone = "030 8871440", City = "Berlin", Country = "DE" });

        Assert.Equal((Verdict.Flag, "P4"), (decision.Verdict, decision.AccountId));
    }

    public sealed class Org
    {
        public Org()
        {
            Account[] planted =
            [
                new() { Id = "P1", Name = "利興貿易有限公司", Phone = "+852 2545 3318", City = "香港", Country = "HK", OwnerId = "u1" },
                new() { Id = "P2", Name = "โรงแรมเชียงใหม่ริเวอร์ไซด์", Phone = "053-275-100", City = "เชียงใหม่", Country = "TH", OwnerId = "u1" },
                new() { Id = "P3", Name = "Stamperia Lombarda S.r.l.", Phone = "+39 02 8765 4321", City = "Milano", Country = "IT", OwnerId = "u1" },
                new() { Id = "P4", Name = "Bergmann & Partner Steuerberater mbB", Phone = "030 8871440", City = "Berlin", Country = "DE", OwnerId = "u1" },
                new() { Id = "P5", Name = "Holmfirth Precision Engineering Ltd", Phone = "+44 1484 600100", City = "Holmfirth", Country = "GB", OwnerId = "u1" },
                new() { Id = "P6", Name = "ИП Жақсыбеков Ерлан", Phone = "+7 701 555 48 21", City = "Караганда", Country = "KZ", OwnerId = "u1" },
            ];
            var data = DevSetMatcher.Load();
            Account[] accounts = [.. data.Accounts, .. planted];
            Contact[] contacts = [.. data.Contacts, new() { Id = "P5-C1", AccountId = "P5", FirstName = "Rhys", LastName = "Dawson", Phone = "+44 7700 900123", OwnerId = "u1" }];
            Matcher = new BulkMatcher(accounts, contacts);
            Directory = new InMemoryCrmDirectory(new CrmSnapshot { Accounts = accounts, Contacts = contacts, Users = [new User { Id = "u1" }, new User { Id = "u2" }] });
        }

        public BulkMatcher Matcher { get; }

        /// <summary>Gets the same accounts and contacts in an embedded directory (the path a save takes).</summary>
        public InMemoryCrmDirectory Directory { get; }
    }
}
