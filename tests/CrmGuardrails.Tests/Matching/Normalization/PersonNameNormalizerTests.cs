using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class PersonNameNormalizerTests
{
    [Theory]
    [InlineData("William", "Bill")]
    [InlineData("bill", "WILLIAM")]
    [InlineData("Elizabeth", "Liz")]
    [InlineData("Beth", "Betsy")]
    [InlineData("José", "Jose")]
    public void SameGivenName_Nicknames_Match(string a, string b)
    {
        Assert.True(PersonNameNormalizer.SameGivenName(a, b));
    }

    [Theory]
    [InlineData("William", "Elizabeth")]
    [InlineData("", "")]
    [InlineData("Ann", null)]
    public void SameGivenName_DifferentOrMissing_DoNotMatch(string? a, string? b)
    {
        Assert.False(PersonNameNormalizer.SameGivenName(a, b));
    }
}
