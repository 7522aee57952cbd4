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

    [Theory]
    [InlineData("cbs", "riken center for brain science", 1)]
    [InlineData("amln", "asociacion medica del litoral norte", 0)]
    [InlineData("iit", "fondazione istituto italiano di tecnologia", 1)]
    [InlineData("dfw", "walmart supercenter", -1)]
    [InlineData("ab", "alpha beta", -1)]
    public void InitialsBefore_RunOfWordsTheInitialsStandFor_StartsWhereTheRunDoes(string word, string words, int expected)
    {
        var written = words.Split(' ');

        Assert.Equal(expected, SyllableAcronym.InitialsBefore(word, written, written, written.Length));
    }

    [Theory]
    [InlineData("RIKEN Center for Brain Science (CBS)", "cbs")]
    [InlineData("Asociación Médica del Litoral Norte - AMLN", "amln")]
    public void Normalize_InitialsInBracketsOrAfterADash_AreTheNameWrittenTwiceNotASite(string raw, string initials)
    {
        var name = CompanyNameNormalizer.Normalize(raw);

        Assert.False(name.HasSite);
        Assert.Equal(initials, name.Tokens[SyllableAcronym.AcronymIndex(name.Expansion)]);
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
