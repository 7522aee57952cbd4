using CrmGuardrails.Cli;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Cli;

public sealed class CrmGuardCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("crmguard-tests-");

    public void Dispose() => _work.Delete(recursive: true);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CrmGuardCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_work.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Replay_SharedExample_WritesOneVerdictPerEventAndExitsZero()
    {
        var outPath = Path.Combine(_work.FullName, "out", "verdicts.jsonl");

        var (code, _, err) = await Run("replay", "--snapshot", SharedFiles.Path("examples", "replay", "snapshot.json"),
            "--events", SharedFiles.Path("examples", "replay", "events.jsonl"), "--out", outPath);

        Assert.Equal(0, code);
        var lines = File.ReadAllLines(outPath);
        Assert.Equal(8, lines.Length);
        Assert.StartsWith("{\"event\":1,\"verdict\":\"block\",\"rules\":[\"existing-customer\"]", lines[0], StringComparison.Ordinal);
        Assert.Contains("8 events: 3 blocked, 2 flagged, 3 allowed.", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_BadEventLine_ExitsTwoNamingFileLineField_AndWritesNothing()
    {
        var events = Write("events.jsonl", File.ReadAllText(SharedFiles.Path("examples", "replay", "events.jsonl")) +
            "{\"at\": \"2026-03-02T10:00:00Z\", \"userId\": \"u2\", \"op\": \"create\", \"record\": {\"kind\": \"lead\", \"status\": \"hot\"}}\n");
        var outPath = Path.Combine(_work.FullName, "verdicts.jsonl");

        var (code, output, err) = await Run("replay", "-s", SharedFiles.Path("examples", "replay", "snapshot.json"), "-e", events, "-o", outPath);

        Assert.Equal(2, code);
        Assert.Contains($"{events}:9: record.status: 'hot' is not one of open, qualified, disqualified.", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.False(File.Exists(outPath));
        Assert.Empty(_work.GetFiles("*.tmp"));
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task Replay_MissingOption_ExitsTwo()
    {
        var (code, _, err) = await Run("replay", "--events", "e.jsonl");

        Assert.Equal(2, code);
        Assert.Contains("--snapshot", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_MissingFile_ExitsTwoNamingIt()
    {
        var (code, _, err) = await Run("replay", "--snapshot", "/nope/org.json", "--events", "/nope/e.jsonl");

        Assert.Equal(2, code);
        Assert.Contains("/nope/org.json: cannot be read", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_PolicyFile_ChangesTheDecision()
    {
        var policy = Write("policy.json", """{"CrmGuardrails": {"ExistingCustomer": {"Enabled": false}, "DuplicateLead": {"Enabled": false}}}""");

        var (code, output, _) = await Run("replay", "-s", SharedFiles.Path("examples", "replay", "snapshot.json"),
            "-e", SharedFiles.Path("examples", "replay", "events.jsonl"), "--policy", policy);

        Assert.Equal(0, code);
        var first = output.Split('\n')[0];
        Assert.StartsWith("{\"event\":1,\"verdict\":\"allow\"", first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"CrmGuardrails": {"TimeBudget": "00:00:00"}}""", "the policy is invalid")]
    [InlineData("""{"CrmGuardrails": {"TimeBuget": "00:00:01"}}""", "TimeBuget")]
    [InlineData("""{"CrmGuardrails": """, "is not a valid JSON policy")]
    public async Task Replay_BadPolicy_ExitsTwo(string json, string expected)
    {
        var policy = Write("policy.json", json);

        var (code, _, err) = await Run("replay", "-s", SharedFiles.Path("examples", "replay", "snapshot.json"),
            "-e", SharedFiles.Path("examples", "replay", "events.jsonl"), "--policy", policy);

        Assert.Equal(2, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_SmallOrg_WritesOneDecisionPerLead()
    {
        var accounts = Write("accounts.csv", "id,name,website,phone,email,street,city,postal_code,country,owner\nA1,Contoso Pharmaceuticals Ltd,https://contoso-pharma.co.uk,+44 20 7946 0000,,,London,,GB,u1\nA2,Litware Inc.,litware.com,,,,Seattle,,US,u3\n");
        var contacts = Write("contacts.csv", "id,account_id,first_name,last_name,email,phone,owner\nC1,A1,Anna,Kowalski,anna.kowalski@contoso-pharma.co.uk,,u1\n");
        var leads = Write("leads.csv", "company,id,email,first_name,last_name,phone,website,street,city,postal_code,country,owner,extra\n\"CONTOSO PHARMACEUTICALS\",L1,tom@contoso-pharma.co.uk,Tom,Reed,,,,,,GB,u2,x\nWingtip Toys,L2,lena@gmail.com,Lena,Voss,,,,,,,u2,y\n");
        var outPath = Path.Combine(_work.FullName, "decisions.csv");

        var (code, _, err) = await Run("match", "--accounts", accounts, "--contacts", contacts, "--leads", leads, "--out", outPath);

        Assert.Equal(0, code);
        var lines = File.ReadAllLines(outPath);
        Assert.Equal("lead_id,verdict,account_id,score", lines[0]);
        Assert.StartsWith("L1,block,A1,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("L2,allow,,", lines[2], StringComparison.Ordinal);
        Assert.Contains("2 leads against 2 accounts", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_RaggedRow_ExitsTwoNamingFileAndLine_AndWritesNothing()
    {
        var accounts = Write("accounts.csv", "id,name\nA1,Contoso\nA2,Litware,extra,cells\n");
        var leads = Write("leads.csv", "id,company\nL1,Contoso\n");
        var outPath = Path.Combine(_work.FullName, "decisions.csv");

        var (code, _, err) = await Run("match", "--accounts", accounts, "--leads", leads, "--out", outPath);

        Assert.Equal(2, code);
        Assert.Contains($"{accounts}:3", err, StringComparison.Ordinal);
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public async Task Match_MissingFile_ExitsTwoNamingIt()
    {
        var leads = Write("leads.csv", "id,company\nL1,Contoso\n");

        var (code, _, err) = await Run("match", "--accounts", "/nope/accounts.csv", "--leads", leads);

        Assert.Equal(2, code);
        Assert.Contains("/nope/accounts.csv", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DescribesTheCommands()
    {
        var (code, output, _) = await Run("--help");

        Assert.Equal(0, code);
        Assert.Contains("replay", output, StringComparison.Ordinal);
        Assert.Contains("match", output, StringComparison.Ordinal);
        Assert.Contains("Exit codes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ExitsTwo()
    {
        var (code, _, err) = await Run("replya");

        Assert.Equal(2, code);
        Assert.Contains("crmguard --help", err, StringComparison.Ordinal);
    }
}
