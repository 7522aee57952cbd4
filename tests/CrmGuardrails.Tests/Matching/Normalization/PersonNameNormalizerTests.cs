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

    [Theory]
    [InlineData("Dr. Jane", "Jane")]
    [InlineData("Mr John", "john")]
    [InlineData("Jane M.", "Jane")]
    [InlineData("Frau Anna", "Anna")]
    [InlineData("Prof. Dr. William", "Bill")]
    public void SameGivenName_TitlesAndInitials_AreNotPartOfTheName(string a, string b)
    {
        Assert.True(PersonNameNormalizer.SameGivenName(a, b));
    }

    [Theory]
    [InlineData("Smith Jr.", "smith")]
    [InlineData("Lee, PhD", "lee")]
    [InlineData("Ford III", "ford")]
    [InlineData("Mary-Jane", "mary jane")]
    [InlineData("Dr", "dr")]
    [InlineData("De la Cruz", "de la cruz")]
    public void Fold_SuffixesDropped_WordsOfTheNameKept(string typed, string expected)
    {
        Assert.Equal(expected, PersonNameNormalizer.Fold(typed));
    }
}
