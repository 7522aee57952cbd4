using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Tests.Matching;

/// <summary>A numbered street address is a key: a lead whose name was mistyped still meets the account at its address.</summary>
public class AddressKeyTests
{
    private static readonly Account Hawthorn = new()
    {
        Id = "A1", Name = "Hawthorn Capital LP", Street = "4582 Maple Boulevard", City = "Chicago", PostalCode = "96092", Country = "US", OwnerId = "u1",
    };

    // Forty other firms whose names share nothing with the lead, so only the address can find the account.
    private static readonly Account[] Others = Enumerable.Range(0, 40)
        .Select(i => new Account { Id = $"B{i:00}", Name = $"Zephyr Quill {i} Studios", Street = $"{100 + i} Lake Street", City = "Chicago", Country = "US", OwnerId = "u2" })
        .ToArray();

    [Theory]
    [InlineData("4582 Maple Blvd", "Chicago", "96092-1705")]
    [InlineData("4582 Maple Boulevard", "Chicago", "")]
    [InlineData("4582 maple blvd.", "", "96092")]
    public void Match_MistypedNameAtTheAccountsAddress_FindsTheAccount(string street, string city, string postalCode)
    {
        var matcher = new BulkMatcher([Hawthorn, .. Others], []);

        var decision = matcher.Match(new Lead { Id = "L1", Company = "Hawthonr Capital", Street = street, City = city, PostalCode = postalCode, Country = "US" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("A1", decision.AccountId);
    }

    [Fact]
    public void Match_MistypedNameWithoutTheAddress_IsNotFoundByItAlone()
    {
        // The same lead without a street: what found the account above was the address.
        var matcher = new BulkMatcher([Hawthorn, .. Others], []);

        var decision = matcher.Match(new Lead { Id = "L1", Company = "Hawthonr Capital", City = "Chicago", Country = "US" });

        Assert.NotEqual("A1", decision.Verdict == Verdict.Block ? decision.AccountId : null);
    }

    [Fact]
    public void Match_AnotherFirmInTheSameBuilding_IsNotBlocked()
    {
        var matcher = new BulkMatcher([Hawthorn, .. Others], []);

        var decision = matcher.Match(new Lead { Id = "L1", Company = "Bluebird Dental Care", Street = "4582 Maple Blvd", City = "Chicago", PostalCode = "96092", Country = "US" });

        Assert.Equal(Verdict.Allow, decision.Verdict);
    }

    [Theory]
    [InlineData("#02-17", Verdict.Block)]
    [InlineData("#03-05", Verdict.Flag)]
    public void Match_ANearNameInAnotherUnitOfTheBuilding_IsNotBlocked(string unit, Verdict expected)
    {
        // "Asia Circuits" at the unit of "Asia Circuit Technologies" is that firm; in another unit of the building (one
        // Singapore postcode), a neighbour as often as the account.
        var matcher = TestSupport.DevSetMatcher.With(new Account
        {
            Id = "A1", Name = "Asia Circuit Technologies Pte Ltd", Phone = "+65 6863 1145", Street = "2 Woodlands Sector 1 #02-17 Woodlands Spectrum",
            City = "Singapore", PostalCode = "738068", Country = "SG",
        });

        var decision = matcher.Match(new Lead
        {
            Id = "L1", Company = "Asia Circuits Pte Ltd", Phone = "+65 6368 2211", Street = $"2 Woodlands Sector 1 {unit} Woodlands Spectrum",
            City = "Singapore", PostalCode = "738068", Country = "SG",
        });

        Assert.Equal((expected, "A1"), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public async Task GuardPath_MistypedNameAtTheAccountsAddress_NamesTheAccount()
    {
        var directory = new InMemoryCrmDirectory(new CrmSnapshot
        {
            Users = [new User { Id = "u1", Name = "Rep One" }, new User { Id = "u2", Name = "Rep Two" }, new User { Id = "prospector", Name = "Pat" }],
            Accounts = [Hawthorn with { Status = AccountStatus.Customer }, .. Others],
        });
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddExistingCustomerGuard().Build();
        var lead = new Lead { Company = "Hawthonr Capital", Street = "4582 Maple Blvd", City = "Chicago", PostalCode = "96092-1705", Country = "US", OwnerId = "prospector" };

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(lead, "prospector"));

        Assert.NotEqual(Verdict.Allow, result.Verdict);
        Assert.Equal("A1", result.Findings.First().Collision?.Record.Id);
    }

    [Fact]
    public void StoredKeys_NumberedStreet_AddsAddressKeys_AndAStreetWithoutNumberAddsNone()
    {
        var numbered = StoredMatchKeys.Of(Hawthorn);
        var unnumbered = StoredMatchKeys.Of(Hawthorn with { Street = "Maple Boulevard" });

        // One key with the postal code, one with the city.
        Assert.Equal(2, numbered.Count(k => k[2] == 'h'));
        Assert.DoesNotContain(unnumbered, k => k[2] == 'h');
        Assert.Equal(numbered.Where(k => k[2] != 'h'), unnumbered);
    }

    [Fact]
    public void StoredKeys_LeadAndAccountAtOneAddress_ShareAnAddressKey()
    {
        var account = StoredMatchKeys.Of(Hawthorn).Where(k => k[2] == 'h').Select(k => k.Substring(2));
        var lead = StoredMatchKeys.Of(new Lead { Company = "Hawthonr Capital", Street = "4582 maple blvd.", PostalCode = "96092-1705", Country = "US" }).Where(k => k[2] == 'h').Select(k => k.Substring(2));

        Assert.NotEmpty(account.Intersect(lead));
    }
}
