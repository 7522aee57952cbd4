using System.Text.RegularExpressions;
using CrmGuardrails.Cli;
using CrmGuardrails.DecisionLog.Sqlite;
using CrmGuardrails.Decisions;
using Microsoft.Data.Sqlite;

namespace CrmGuardrails.Tests.Cli.Admin;

public sealed class ReportFromDecisionLogTests : AdminCli
{
    private static DecisionRecord Decision(string id, int day, Verdict verdict, double latencyMs, params DecisionFinding[] findings) => new()
    {
        Id = id,
        Time = new DateTimeOffset(2026, 12, day, 9, 0, 0, TimeSpan.Zero),
        Host = "dataverse",
        Operation = GuardOperation.Create,
        Record = new RecordRef(RecordKind.Lead, "lead-" + id),
        RecordName = "Jo Park & Co #" + id,
        UserId = "u2",
        OwnerId = "u2",
        Verdict = verdict,
        AppliedVerdict = verdict,
        Checked = !findings.Any(f => f.NotChecked),
        Findings = findings,
        LatencyMs = latencyMs,
    };

    [Fact]
    public async Task Report_FromASqliteDecisionLog_CountsChecksNotCheckedAndLatencyPerCheck()
    {
        var path = In("decisions.db");
        var log = new SqliteDecisionLog(path);
        var account = new DecisionRelated(new RecordRef(RecordKind.Account, "a1"), "u1") { OwnerName = "Maria Lopez", Name = "Contoso <Ltd>" };
        await log.AppendAsync(
        [
            Decision("1", 1, Verdict.Block, 10, new DecisionFinding { RuleId = "existing-customer", Code = "CRMG1001", Verdict = Verdict.Block, Score = 0.995, Related = [account], Evidence = [new DecisionEvidence("name", "\"contoso\" = \"contoso\"", 12)], Message = "Contoso is a customer." }),
            Decision("2", 1, Verdict.Allow, 20),
            Decision("3", 2, Verdict.Allow, 30),
            Decision("4", 2, Verdict.Flag, 40, new DecisionFinding { RuleId = "rep-collision", Code = "CRMG9001", Verdict = Verdict.Flag, NotChecked = true, Message = "Not checked." }),
        ]);
        SqliteConnection.ClearAllPools();
        var report = In("r.html");

        var (code, _, err) = await Run("report", "--in", path, "--out", report);

        Assert.True(code == 0, err);
        var html = File.ReadAllText(report);
        Assert.Contains("4 checks; 4 decisions", html, StringComparison.Ordinal);
        Assert.Contains("1 of 4 checks (25 %)", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>Latency p50</th><td class=\"num\">20 ms</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>Latency max</th><td class=\"num\">40 ms</td></tr>", html, StringComparison.Ordinal);
        Assert.Equal(4, Regex.Matches(html, "<tr data-rule=").Count);
        Assert.Contains("Contoso &lt;Ltd&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Jo Park &amp; Co #1 <span class=\"muted\">lead lead-1</span>", html, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(html, "<figure class=\"chart\"").Count);
        Assert.Contains("decision log", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_SqliteFileThatIsNotADecisionLog_ExitsTwoNamingIt()
    {
        var path = In("other.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE decisions (junk TEXT); INSERT INTO decisions VALUES ('x');";
            await command.ExecuteNonQueryAsync();
        }

        var (code, _, err) = await Run("report", "--in", path, "--out", In("r.html"));

        Assert.Equal(CrmGuardCommand.BadInput, code);
        Assert.Contains($"{Path.GetFullPath(path)} is a SQLite file but not a decision log (it has no crmg_decisions table).", err, StringComparison.Ordinal);
        Assert.False(File.Exists(In("r.html")));
        await using var check = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await check.OpenAsync();
        await using var tables = check.CreateCommand();
        tables.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
        Assert.Equal(1L, await tables.ExecuteScalarAsync()); // the file was not changed
    }
}
