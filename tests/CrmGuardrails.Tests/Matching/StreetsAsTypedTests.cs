using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// A street line that also gives the building, the unit or the locality ("Unit 112, Building A5, Dubai Silicon Oasis",
/// "S. No. 61/2, Kharadi Bypass Road, Kharadi") is the same street as the bare one, not another street. A street that
/// only shares a word is still another; the same words in another order are the same street. The same suite tells one
/// tenant of a building from another, and a short name at the account's own address is a flag.
/// </summary>
public class StreetsAsTypedTests : IClassFixture<StreetsAsTypedTests.Org>
{
    private readonly BulkMatcher _matcher;

    public StreetsAsTypedTests(Org org) => _matcher = org.Matcher;

    [Theory]
    [InlineData("Dubai Silicon Oasis", "W1", false)]
    [InlineData("Silicon Oasis Road 4", "W1", true)]
    [InlineData("Kharadi Bypass Rd", "W2", false)]
    [InlineData("Kharadi Road", "W2", true)]
    public void Score_StreetInsideTheOthersStreetLine_IsNoOtherStreet(string street, string account, bool disagrees)
    {
        var match = _matcher.FindBestAccount(new Lead { Id = "L", Company = account == "W1" ? "Bluewave Water Treatment" : "Medvista Hospital", Street = street, City = account == "W1" ? "Dubai" : "Pune" });

        Assert.Equal(account, match?.Account.Id);
        Assert.Equal(disagrees, match!.Evidence.Any(e => e.Field == "street" && e.Weight < 0));
    }

    [Fact]
    public void Score_StreetWithItsWordsInAnotherOrder_Agrees()
    {
        var match = _matcher.FindBestAccount(new Lead { Id = "L", Company = "Hotucaribe", Street = "Bocagrande Cra 1 10-10", City = "Cartagena", Country = "CO" });

        Assert.Equal("W3", match?.Account.Id);
        Assert.Contains(match!.Evidence, e => e.Field == "street" && e.Weight > 0);
    }

    [Fact]
    public void Match_TenantNamedShortAtItsSuite_IsFlaggedOnThatTenantNotItsNeighbour()
    {
        // Two sites at one street address; the suite says which.
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Mercy Cardiology", Street = "5500 N High St, Suite 400", City = "Columbus", PostalCode = "43214", Country = "US" });

        Assert.Equal((Verdict.Flag, "W5"), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_NameHeldInTheAccountsAtItsOwnAddress_IsAFlag()
    {
        // "Tubman Elementary" at the house number and street of "Harriet Tubman Elementary School": that school, called
        // short. A flag, never a block: nothing but the address and a shared name says so.
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Tubman Elementary", Street = "1600 King Drive", City = "Oakmont", Country = "US" });

        Assert.Equal((Verdict.Flag, "W6"), (decision.Verdict, decision.AccountId));
    }

    public sealed class Org
    {
        public Org()
        {
            Matcher = DevSetMatcher.With(
            [
                new() { Id = "W1", Name = "Bluewave Water Treatment FZCO", Street = "Unit 112, Building A5, Dubai Silicon Oasis", City = "Dubai", Country = "AE" },
                new() { Id = "W2", Name = "Medvista Hospital Pune", Street = "S. No. 61/2, Kharadi Bypass Road, Kharadi", City = "Pune", PostalCode = "411014", Country = "IN" },
                new() { Id = "W3", Name = "Hoteles y Turismo del Caribe HOTUCARIBE S.A.S.", Street = "Cra. 1 # 10-10, Bocagrande", City = "Cartagena de Indias", Country = "CO" },
                new() { Id = "W4", Name = "Mercy Northside Medical Center", Website = "mercyvalley.org", Street = "5500 N High St", City = "Columbus", PostalCode = "43214", Country = "US" },
                new() { Id = "W5", Name = "Mercy Physician Partners - Northside Cardiology", Website = "mercyvalley.org", Street = "5500 N High St Ste 400", City = "Columbus", PostalCode = "43214", Country = "US" },
                new() { Id = "W6", Name = "Harriet Tubman Elementary School", Street = "1600 King Dr", City = "Oakmont", PostalCode = "62401", Country = "US" },
            ]);
        }

        public BulkMatcher Matcher { get; }
    }
}
