using System.Diagnostics;
using System.Text;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

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

    private static string Written(params MatchDecision[] decisions)
    {
        var writer = new StringWriter();
        MatchDecisionCsv.Write(writer, decisions);
        return writer.ToString();
    }

    [Theory]
    [InlineData("=1+1", "\"'=1+1\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-1+cmd|' /C calc'!A0", "\"'-1+cmd|' /C calc'!A0\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\t=1+1", "\"'\t=1+1\"")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("'=1", "\"''=1\"")]
    public void Write_CellASpreadsheetWouldRun_IsQuotedAfterASingleQuote(string id, string cell)
    {
        var text = Written(new MatchDecision(id, Verdict.Block, id, 1));

        Assert.Equal($"lead_id,verdict,account_id,score\n{cell},block,{cell},1.000\n", text);
    }

    [Fact]
    public void Write_OrdinaryIds_AreUnchanged()
    {
        Assert.Equal("lead_id,verdict,account_id,score\nL000123,flag,A000001,0.612\n", Written(new MatchDecision("L000123", Verdict.Flag, "A000001", 0.612)));
    }

    [Fact]
    public void Read_WhatWriteWrote_ComesBack()
    {
        MatchDecision[] decisions =
        [
            new("L000123", Verdict.Block, "A000001", 0.99), new("=1+1", Verdict.Flag, "@A", 0.5), new("\t=1+1", Verdict.Allow, null, 0),
            new("'quoted", Verdict.Block, "'=x", 1), new("a,b\"c\nd", Verdict.Flag, "-", 0.123), new("'", Verdict.Allow, null, 0.1),
        ];

        var read = MatchDecisionCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(Written(decisions))), "decisions.csv");

        Assert.Equal(decisions, read);
    }

    [Theory]
    [InlineData("lead_id,verdict\nL1,maybe\n", "decisions.csv:2: verdict: 'maybe' is not one of allow, flag, block")]
    [InlineData("lead_id,verdict,account_id\nL1,allow,A1\n", "decisions.csv:2: account_id: an allow names no account: the column must be empty")]
    [InlineData("lead_id,verdict,score\nL1,flag,2\n", "decisions.csv:2: score: '2' is not a score from 0 to 1")]
    [InlineData("lead_id,verdict\nL1,flag\nL1,block\n", "decisions.csv:3: lead_id: lead 'L1' has a decision on line 2 already")]
    [InlineData("verdict\nflag\n", "decisions.csv:1: lead_id: required column 'lead_id' is missing from the header")]
    public void Read_BadFile_NamesLineAndColumn(string csv, string expected)
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchDecisionCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "decisions.csv"));

        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Write_HostileIds_AreReadByTheBenchScorer()
    {
        // The shared scorer reads lead_id, verdict and account_id with Python's csv module and strip(): ordinary ids must
        // match the truth, and defused cells (quoted, a quote, line breaks) must not break the file for it.
        using var folder = new TempFolder();
        var truth = folder.Write("truth.csv", "lead_id,account_id,variant\nL000001,A000001,exact\nL000002,,new\n");
        var decisions = folder.Path("decisions.csv");
        MatchDecisionCsv.WriteFile(decisions, [
            new MatchDecision("L000001", Verdict.Block, "A000001", 1), new MatchDecision("L000002", Verdict.Allow, null, 0.1),
            new MatchDecision("=1+1", Verdict.Flag, "A000002", 0.6), new MatchDecision("\t-2,\"x\"\n", Verdict.Allow, null, 0),
        ]);

        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { SharedFiles.Path("tools", "score_lead_bench.py"), truth, decisions })
            start.ArgumentList.Add(argument);
        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEnd() + python.StandardError.ReadToEnd();
        python.WaitForExit();

        Assert.True(python.ExitCode == 0, output);
        Assert.Contains("recall=1.0000 block_recall=1.0000 false_block_per_1k=0.00 false_flag_rate=0.0000", output, StringComparison.Ordinal);
    }
}
