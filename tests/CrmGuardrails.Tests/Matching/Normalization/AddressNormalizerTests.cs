using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class AddressNormalizerTests
{
    [Theory]
    [InlineData("8919 GARDEN STREET", "8919 Garden St.")]
    [InlineData("889 Queen Lane.", "889 Queen Ln")]
    [InlineData("435 s. la cienega blv.", "435 South La Cienega Boulevard")]
    [InlineData("1641 Maple Drive, Suite 200", "1641 MAPLE DR")]
    [InlineData("12 Main Street #4", "12 Main St")]
    public void Normalize_StreetVariants_AreEqual(string a, string b)
    {
        Assert.Equal(AddressNormalizer.Normalize(a, null, null, null).Street, AddressNormalizer.Normalize(b, null, null, null).Street);
    }

    [Fact]
    public void Normalize_Locality_IsFoldedAndCompact()
    {
        var address = AddressNormalizer.Normalize("1 High St", "São Paulo", "01310-100", "br");
        Assert.Equal("sao paulo", address.City);
        Assert.Equal("01310100", address.PostalCode);
        Assert.Equal("BR", address.Country);
        Assert.Equal("1", address.Number);
    }
}
