using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// A street line that also gives the building, the unit or the locality ("Unit 112, Building A5, Dubai Silicon Oasis",
/// "S. No. 61/2, Kharadi Bypass Road, Kharadi") is the same street as the bare one, not another street. A street that
/// only shares a word is still another; the same words in another order are the same street.
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

    public sealed class Org
    {
        public Org()
        {
            Matcher = DevSetMatcher.With(
            [
                new() { Id = "W1", Name = "Bluewave Water Treatment FZCO", Street = "Unit 112, Building A5, Dubai Silicon Oasis", City = "Dubai", Country = "AE" },
                new() { Id = "W2", Name = "Medvista Hospital Pune", Street = "S. No. 61/2, Kharadi Bypass Road, Kharadi", City = "Pune", PostalCode = "411014", Country = "IN" },
                new() { Id = "W3", Name = "Hoteles y Turismo del Caribe HOTUCARIBE S.A.S.", Street = "Cra. 1 # 10-10, Bocagrande", City = "Cartagena de Indias", Country = "CO" },
            ]);
        }

        public BulkMatcher Matcher { get; }
    }
}
