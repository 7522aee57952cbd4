using CrmGuardrails.Matching.Normalization;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Tests.Matching.Scoring;

public class TokenStatisticsTests
{
    [Fact]
    public void Bits_DefaultFrequencies_RankCommonWordsBelowRareOnes()
    {
        var stats = TokenStatistics.Default;
        Assert.True(stats.Bits("and") < stats.Bits("global"));
        Assert.True(stats.Bits("global") < stats.Bits("smith"));
        Assert.True(stats.Bits("smith") < stats.Bits("zoxiqua"));
    }

    [Fact]
    public void FromNames_Corpus_MakesFrequentWordsCheap()
    {
        var names = Enumerable.Range(0, 1000).Select(i => CompanyNameNormalizer.Normalize($"Acme{i} Zorblax")).ToList();
        var stats = TokenStatistics.FromNames(names);
        Assert.True(stats.IsCorpusAware);
        Assert.True(stats.Bits("zorblax") < 2, $"zorblax is in every name but worth {stats.Bits("zorblax")} bits");
        Assert.True(stats.Bits("acme5") > 9);
    }

    [Fact]
    public void FromNames_TinyCorpus_KeepsDefaults()
    {
        var stats = TokenStatistics.FromNames([CompanyNameNormalizer.Normalize("Acme")]);
        Assert.False(stats.IsCorpusAware);
    }
}
