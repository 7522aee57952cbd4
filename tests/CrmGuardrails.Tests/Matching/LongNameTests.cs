using CrmGuardrails.Matching;

namespace CrmGuardrails.Tests.Matching;

/// <summary>Names of more words than the matcher keeps on the stack take the heap path, with the same keys and answers.</summary>
public class LongNameTests
{
    private static readonly string LongName = string.Join(" ", Enumerable.Range(0, 70).Select(i => "Word" + (char)('a' + (i % 26)) + (char)('a' + (i / 26))));

    [Fact]
    public void A_name_of_seventy_words_gets_sorted_and_run_together_keys()
    {
        var keys = StoredMatchKeys.Matcher.GetKeys(new Lead { Company = LongName }).NameKeys;

        Assert.Contains(keys, k => k.StartsWith("s:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("b:wordaawordba", StringComparison.Ordinal));
    }

    [Fact]
    public void A_lead_with_the_same_seventy_word_name_is_found()
    {
        var matcher = new BulkMatcher([new Account { Id = "a1", Name = LongName + " Ltd", City = "Leeds" }], []);

        var decision = matcher.Match(new Lead { Id = "l1", Company = LongName, City = "Leeds" });

        Assert.Equal("a1", decision.AccountId);
        Assert.NotEqual(Verdict.Allow, decision.Verdict);
    }
}
