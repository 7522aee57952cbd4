using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class SyllableAcronymTests
{
    [Theory]
    [InlineData("hotucaribe", "hoteles y turismo del caribe", true)]
    [InlineData("univipe", "universidade vale do ipe", true)]
    [InlineData("petrobras", "petroleo brasileiro", true)]
    [InlineData("gazprom", "gazovaya promyshlennost", true)]
    [InlineData("carter", "car terminal", false)]
    [InlineData("sunbelt", "sun belt", false)]
    [InlineData("hotucaribe", "hoteles del caribe", false)]
    public void Spells_FirstSyllablesOfEachWord(string word, string words, bool expected)
    {
        var written = words.Split(' ');
        var tokens = Array.ConvertAll(written, w => w is "y" or "e" ? "and" : w);

        Assert.Equal(expected, SyllableAcronym.Spells(word, written, tokens, 0, written.Length));
    }

    [Fact]
    public void Normalize_RegisteredNameWithItsSyllableAcronym_KnowsWhichWordsItStandsFor()
    {
        var name = CompanyNameNormalizer.Normalize("Hoteles y Turismo del Caribe HOTUCARIBE S.A.S.");

        var acronym = SyllableAcronym.AcronymIndex(name.Expansion);
        Assert.Equal("hotucaribe", name.Tokens[acronym]);
        Assert.Equal(acronym, Enumerable.Range(0, acronym).Count(i => (name.Expansion & (1 << i)) != 0));
    }
}
