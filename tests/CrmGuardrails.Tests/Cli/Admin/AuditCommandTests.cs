using System.Text.RegularExpressions;
using CrmGuardrails.Cli;
using CrmGuardrails.Cli.Audit;

namespace CrmGuardrails.Tests.Cli.Admin;

public sealed class AuditCommandTests : AdminCli
{
    private async Task<List<AuditCollision>> AuditPlanted(params string[] more)
    {
        var snapshot = Write("org.json", PlantedOrg.Snapshot);
        var outPath = In("collisions.jsonl");
        var (code, _, err) = await Run(["audit", "-s", snapshot, "--at", PlantedOrg.At, "-o", outPath, .. more]);
        Assert.True(code == 0, err);
        using var reader = new StreamReader(outPath);
        return AuditJson.Read(reader, outPath);
    }

    [Fact]
    public async Task Audit_PlantedOrg_FindsEveryPlantedCollisionAndNothingElse()
    {
        var collisions = await AuditPlanted();

        var found = collisions.Select(c => (c.Rule, Verdict: CrmGuardrails.Embedded.ReplayJson.VerdictName(c.Verdict), Record: c.Record.Id, Other: c.Other!.Id)).ToList();
        Assert.Equal(PlantedOrg.Expected, found);
    }

    [Fact]
    public async Task Audit_PlantedOrg_EachLineNamesOwnersCustomerAndEvidence()
    {
        var collisions = await AuditPlanted();

        var existing = Assert.Single(collisions, c => c.Rule == RuleIds.ExistingCustomer);
        Assert.Equal(("lead", "u2", "Raj Patel"), (existing.Record.Type, existing.Record.OwnerId, existing.Record.OwnerName));
        Assert.Equal(("account", "a1", "u1", "Maria Lopez"), (existing.Other!.Type, existing.Other.Id, existing.Other.OwnerId, existing.Other.OwnerName));
        Assert.Equal("a1", existing.Customer!.Id);
        Assert.True(existing.Score >= 0.99);
        Assert.Contains(existing.Evidence, e => e.Field == "name" && e.Weight > 0);
        Assert.Equal(DateTimeOffset.Parse(PlantedOrg.At, System.Globalization.CultureInfo.InvariantCulture), existing.At);

        var rep = Assert.Single(collisions, c => c.Rule == RuleIds.RepCollision);
        Assert.Equal(("activity", "phone call", "appointment"), (rep.Record.Type, rep.Record.Name, rep.Other!.Name));
        Assert.Equal("a3", rep.Customer!.Id);
        Assert.True(rep.Redacted);
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), rep.At);
    }

    [Fact]
    public async Task Audit_ManagerOfTheOtherOwner_StillSeesNoSubject_InLinesOrReport()
    {
        // T6's owner manages T5's owner: the guard would show T5's subject to them; an audit shows no one's.
        var snapshot = Write("org.json", PlantedOrg.Snapshot);
        var outPath = In("c.jsonl");
        var report = In("report.html");

        var (code, stdout, err) = await Run("audit", "-s", snapshot, "--at", PlantedOrg.At, "-o", outPath, "-r", report);

        Assert.Equal(0, code);
        var everything = File.ReadAllText(outPath) + File.ReadAllText(report) + stdout + err;
        foreach (var secret in PlantedOrg.Secrets)
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        Assert.Contains("\"redacted\":true", File.ReadAllText(outPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_RuleSwitchedOffInThePolicy_IsNotReported()
    {
        var policy = Write("policy.json", """{"CrmGuardrails": {"DuplicateLead": {"Enabled": false}, "ChannelFanout": {"Enabled": false}}}""");

        var collisions = await AuditPlanted("-p", policy);

        Assert.Equal([RuleIds.ExistingCustomer, RuleIds.RepCollision], collisions.Select(c => c.Rule));
    }

    [Fact]
    public async Task Audit_ToStandardOutput_WritesTheSameLines()
    {
        var snapshot = Write("org.json", PlantedOrg.Snapshot);

        var (code, stdout, err) = await Run("audit", "-s", snapshot, "--at", PlantedOrg.At);

        Assert.Equal(0, code);
        Assert.Equal(4, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("16 open records checked", err, StringComparison.Ordinal);
        Assert.Contains("4 collisions", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_NoSnapshotAndNoOrg_ExitsTwoSayingWhatToGive()
    {
        var (code, stdout, err) = await Run("audit", "--org-url", string.Empty);

        Assert.Equal(CrmGuardCommand.BadInput, code);
        Assert.Contains("give --snapshot FILE, or a live organisation with --org-url", err, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }

    [Theory]
    [InlineData("--at", "yesterday", "--at: 'yesterday' is not an ISO 8601 time with an offset")]
    [InlineData("--at", "2026-12-01T12:00:00", "--at: '2026-12-01T12:00:00' is not an ISO 8601 time with an offset")]
    [InlineData("--parallel", "99", "--parallel: 99 is not between 1 and 64.")]
    [InlineData("--page-size", "0", "--page-size: 0 is not between 1 and 5000.")]
    public async Task Audit_BadOption_ExitsTwoNamingIt(string option, string value, string expected)
    {
        var snapshot = Write("org.json", PlantedOrg.Snapshot);

        var (code, _, err) = await Run("audit", "-s", snapshot, option, value);

        Assert.Equal(CrmGuardCommand.BadInput, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_BrokenSnapshot_ExitsTwoNamingFileLineAndField_AndWritesNothing()
    {
        var snapshot = Write("org.json", PlantedOrg.Snapshot.Replace("\"status\": \"qualified\"", "\"status\": \"won\"", StringComparison.Ordinal));
        var outPath = In("c.jsonl");

        var (code, _, err) = await Run("audit", "-s", snapshot, "-o", outPath, "-r", In("r.html"));

        Assert.Equal(CrmGuardCommand.BadInput, code);
        Assert.Matches($@"{Regex.Escape(snapshot)}:\d+: leads\[3\]\.status: 'won' is not one of open, qualified, disqualified", err);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.False(File.Exists(outPath));
        Assert.False(File.Exists(In("r.html")));
        Assert.Empty(Work.GetFiles(".*.tmp"));
    }

    [Fact]
    public async Task Audit_OutIsAFolder_ExitsTwoBeforeReadingAnything()
    {
        var (code, _, err) = await Run("audit", "-s", In("missing.json"), "-o", Work.FullName);

        Assert.Equal(CrmGuardCommand.BadInput, code);
        Assert.Contains("cannot be written: it is a folder", err, StringComparison.Ordinal);
        Assert.DoesNotContain("missing.json", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_MissingSnapshot_ExitsTwoNamingIt()
    {
        var (code, _, err) = await Run("audit", "-s", In("missing.json"));

        Assert.Equal(CrmGuardCommand.BadInput, code);
        Assert.Contains("missing.json: cannot be read", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Deduplicate_PairFoundFromBothSides_KeepsOneWithTheStrongerVerdict()
    {
        AuditCollision Row(string rule, string a, string b, Verdict verdict) => new()
        {
            Rule = rule, Code = "x", Verdict = verdict, Message = "m",
            Record = new AuditParty { Type = "lead", Id = a }, Other = new AuditParty { Type = "lead", Id = b },
        };

        var kept = OrgAudit.Deduplicate([Row("duplicate-lead", "L2", "L1", Verdict.Block), Row("duplicate-lead", "L1", "L2", Verdict.Flag), Row("duplicate-lead", "L1", "L3", Verdict.Flag)]);

        Assert.Equal([("L1", "L3", Verdict.Flag), ("L2", "L1", Verdict.Block)], kept.Select(k => (k.Record.Id, k.Other!.Id, k.Verdict)));
    }
}
