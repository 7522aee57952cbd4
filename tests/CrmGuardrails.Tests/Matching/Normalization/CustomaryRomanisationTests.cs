using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Normalization;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching.Normalization;

/// <summary>Cyrillic and Greek names against the spelling their companies use in English.</summary>
public class CustomaryRomanisationTests : IClassFixture<CustomaryRomanisationTests.Org>
{
    private readonly BulkMatcher _matcher;

    public CustomaryRomanisationTests(Org org) => _matcher = org.Matcher;

    [Theory]
    [InlineData("Яндекс", "yandex")]
    [InlineData("Лукойл", "lukoil")]
    [InlineData("Норильский", "norilsky")]
    [InlineData("Роснефть", "rosneft")]
    public void FoldAlternative_Cyrillic_IsTheEnglishSpelling(string name, string expected)
    {
        Assert.Equal(expected, MatchText.FoldAlternative(name));
    }

    [Theory]
    [InlineData("Μυτιληναίος", "mytilineos")]
    [InlineData("Τζάμπο", "jambo")]
    [InlineData("Μπαμπάκος", "bambakos")]
    [InlineData("Παπαδόπουλος", "papadopoulos")]
    public void FoldAlternative_Greek_IsTheEnglishSpelling(string name, string expected)
    {
        Assert.Equal(expected, MatchText.FoldAlternative(name));
    }

    [Fact]
    public void FoldAlternative_LatinWithoutAccents_HasNone()
    {
        Assert.Null(MatchText.FoldAlternative("Yandex"));
    }

    [Theory]
    [InlineData("ООО «Яндекс»", "Москва", "R1")]
    [InlineData("ПАО «Лукойл»", "Москва", "R2")]
    [InlineData("Лукойл-Украина", "Киев", "R3")]
    [InlineData("Μυτιληναίος", "Αθήνα", "R4")]
    public void Match_CyrillicOrGreekLead_FindsTheAccountSpelledInEnglish(string company, string city, string account)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, City = city });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal(account, decision.AccountId);
    }

    public sealed class Org
    {
        public Org()
        {
            Matcher = DevSetMatcher.With(
            [
                new() { Id = "R1", Name = "Yandex LLC", City = "Moscow", Country = "RU" },
                new() { Id = "R2", Name = "Lukoil PJSC", City = "Moscow", Country = "RU" },
                new() { Id = "R3", Name = "Lukoil-Ukraine", City = "Kyiv", Country = "UA" },
                new() { Id = "R4", Name = "Mytilineos S.A.", City = "Athens", Country = "GR" },
            ]);
        }

        public BulkMatcher Matcher { get; }
    }
}
