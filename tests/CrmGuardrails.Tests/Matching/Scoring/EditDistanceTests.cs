using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Tests.Matching.Scoring;

public class EditDistanceTests
{
    [Theory]
    [InlineData("stone", "stsne", 1, true)]
    [InlineData("consulting", "coesulting", 1, true)]
    [InlineData("rural", "rurral", 1, true)]
    [InlineData("form", "from", 1, true)]
    [InlineData("kasy", "zoti", 1, false)]
    [InlineData("abc", "abcdef", 2, false)]
    public void Within_Typos_AreWithinBound(string a, string b, int max, bool expected)
    {
        Assert.Equal(expected, EditDistance.Within(a, b, max));
    }
}
