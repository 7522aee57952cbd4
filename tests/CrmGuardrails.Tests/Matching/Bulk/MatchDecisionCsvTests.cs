using CrmGuardrails.Matching;

namespace CrmGuardrails.Tests.Matching.Bulk;

public class MatchDecisionCsvTests
{
    [Fact]
    public void Write_Decisions_FollowTheFormat()
    {
        var writer = new StringWriter();
        MatchDecisionCsv.Write(writer, [
            new MatchDecision("L1", Verdict.Block, "A1", 0.99951),
            new MatchDecision("L2", Verdict.Allow, "ignored", 0.1),
            new MatchDecision("L,3", Verdict.Flag, "A\"2", 0.5),
        ]);
        Assert.Equal("lead_id,verdict,account_id,score\nL1,block,A1,1.000\nL2,allow,,0.100\n\"L,3\",flag,\"A\"\"2\",0.500\n", writer.ToString());
    }
}
