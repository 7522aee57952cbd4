using System.Text.RegularExpressions;
using CrmGuardrails.Cli;
using CrmGuardrails.Cli.Audit;
using CrmGuardrails.Cli.Reporting;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Tests.Cli.Admin;

public sealed class ReportCommandTests : AdminCli
{
    [Fact]
    public async Task Report_FromAnAudit_IsOneSelfContainedFile()
    {
        var audit = In("c.jsonl");
        Assert.Equal(0, (await Run("audit", "-s", Write("org.json", PlantedOrg.Snapshot), "--at", PlantedOrg.At, "-o", audit)).Code);
        var report = In("out/report.html");

        var (code, _, err) = await Run("report", "--in", audit, "--out", report);

        Assert.True(code == 0, err);
        var html = File.ReadAllText(report);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
        Assert.Equal(4, Regex.Matches(html, "<figure class=\"chart\"").Count);
        Assert.Equal(4, Regex.Matches(html, "<tr data-rule=").Count);
        Assert.Contains("Maria Lopez", html, StringComparison.Ordinal);
        Assert.Contains("4 rows from", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HostileValues_AreEncodedAndNeverRunnable()
    {
        var hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>\"'&";
        var row = new AuditCollision
        {
            Rule = "existing-customer\"><script>", Code = "CRMG1001", Verdict = Verdict.Block, At = DateTimeOffset.UnixEpoch, Message = hostile,
            Record = new AuditParty { Type = "lead", Id = hostile, OwnerId = "u<1>", OwnerName = hostile, Name = hostile },
            Other = new AuditParty { Type = "account", Id = "a1", OwnerId = "u2", OwnerName = hostile, Name = hostile },
            Customer = new AuditParty { Type = "account", Id = "a1", Name = hostile },
            Evidence = [new MatchEvidence(hostile, hostile, 1.5)],
        };
        using var writer = new StringWriter();

        HtmlReport.Write(writer, ReportData.FromAudit([row], hostile));

        var html = writer.ToString();
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"><script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<script>")); // the report's own
    }

    [Theory]
    [InlineData("not json", "c.jsonl:2: not a JSON object")]
    [InlineData("{\"rule\": \"existing-customer\", \"verdict\": \"maybe\", \"at\": \"2026-12-01T00:00:00Z\", \"record\": {\"type\": \"lead\", \"id\": \"l\"}}", "c.jsonl:2: verdict: 'maybe' is not one of allow, flag, block.")]
    [InlineData("{\"rule\": \"existing-customer\", \"verdict\": \"flag\", \"at\": \"soon\", \"record\": {\"type\": \"lead\", \"id\": \"l\"}}", "c.jsonl:2: at: 'soon' is not an ISO 8601 time.")]
    [InlineData("{\"rule\": \"existing-customer\", \"verdict\": \"flag\", \"at\": \"2026-12-01T00:00:00Z\"}", "c.jsonl:2: record: is required.")]
    [InlineData("{\"rule\": \"existing-customer\", \"verdict\": \"flag\", \"at\": \"2026-12-01T00:00:00Z\", \"record\": {\"type\": \"lead\", \"id\": 7}}", "c.jsonl:2: record.id: must be a string.")]
    [InlineData("{\"rule\": \"existing-customer\", \"verdict\": \"flag\", \"at\": \"2026-12-01T00:00:00Z\", \"record\": {\"type\": \"lead\", \"id\": \"l\"}, \"evidence\": [{\"field\": \"name\", \"weight\": \"high\"}]}", "c.jsonl:2: evidence[0].weight: must be a number.")]
    public async Task Report_BadLine_ExitsTwoNamingFileLineAndField_AndWritesNothing(string line, string expected)
    {
        var good = "{\"rule\": \"existing-customer\", \"verdict\": \"flag\", \"at\": \"2026-12-01T00:00:00Z\", \"record\": {\"type\": \"lead\", \"id\": \"l\"}}";
        var input = Write("c.jsonl", good + "\n" + line + "\n");
        var report = In("r.html");

        var (code, _, err) = await Run("report", "--in", input, "--out", report);

        Assert.Equal(CrmGuardCommand.BadInput, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.False(File.Exists(report));
    }

    [Fact]
    public async Task Report_InputIsAFolder_ExitsTwo()
    {
        var (code, _, err) = await Run("report", "--in", Work.FullName, "--out", In("r.html"));

        Assert.Equal(CrmGuardCommand.BadInput, code);
        Assert.Contains("it is a folder", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_MissingOut_ExitsTwoNamingTheOption()
    {
        var (code, _, err) = await Run("report", "--in", In("c.jsonl"));

        Assert.Equal(CrmGuardCommand.BadInput, code);
        Assert.Contains("--out", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Percentile_NearestRank()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        Assert.Equal((5.0, 9.0, 10.0), (HtmlReport.Percentile(sorted, 0.5), HtmlReport.Percentile(sorted, 0.9), HtmlReport.Percentile(sorted, 0.99)));
    }
}
