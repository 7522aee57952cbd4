using CrmGuardrails.Cli;
using CrmGuardrails.Embedded;
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
    [InlineData("""{"CrmGuardrails": {"TimeBudget": "00:00:00"}}""", "CrmGuardrails.TimeBudget: 00:00:00 is out of range: it must be from 00:00:00.01 to 00:05:00.")]
    [InlineData("""{"CrmGuardrails": {"TimeBuget": "00:00:01"}}""", "TimeBuget")]
    [InlineData("""{"CrmGuardrails": """, "policy.json:1: not valid JSON")]
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

    private (string Accounts, string Leads) SmallMatch() => (
        Write("accounts.csv", "id,name\nA1,Contoso Pharmaceuticals Ltd\n=A2,Litware Inc.\n"),
        Write("leads.csv", "id,company\n\"\t=1+1\",Contoso Pharmaceuticals\n@L2,Litware Inc\nL3,Wingtip Toys\n"));

    private void AssertNothingHiddenLeft()
    {
        Assert.Empty(_work.GetFiles(".*.tmp", SearchOption.AllDirectories));
    }

    private static void AssertPlainError(string err)
    {
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", err, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected failure", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_FormulaLikeIds_AreDefusedInDecisionsCsv_AndTheTabIsKept()
    {
        var (accounts, leads) = SmallMatch();
        var outPath = Path.Combine(_work.FullName, "decisions.csv");

        var (code, _, _) = await Run("match", "--accounts", accounts, "--leads", leads, "--out", outPath);

        Assert.Equal(0, code);
        var lines = File.ReadAllLines(outPath);
        Assert.StartsWith("\"'\t=1+1\",block,A1,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("\"'@L2\",", lines[2], StringComparison.Ordinal);
        Assert.Contains(",\"'=A2\",", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("L3,allow,,", lines[3], StringComparison.Ordinal);
        using var file = File.OpenRead(outPath);
        Assert.Equal(["\t=1+1", "@L2", "L3"], CrmGuardrails.Matching.MatchDecisionCsv.Read(file, outPath).Select(d => d.LeadId));
    }

    [Fact]
    public async Task Match_FormulaLikeIds_AreDefusedOnStandardOutputToo()
    {
        var (accounts, leads) = SmallMatch();

        var (code, output, _) = await Run("match", "--accounts", accounts, "--leads", leads);

        Assert.Equal(0, code);
        Assert.Contains("\n\"'\t=1+1\",block,A1,", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--accounts")]
    [InlineData("--contacts")]
    [InlineData("--leads")]
    public async Task Match_CsvPathIsAFolder_ExitsTwoNamingIt(string option)
    {
        var (accounts, leads) = SmallMatch();
        var contacts = Write("contacts.csv", "id,account_id\nC1,A1\n");
        var args = new Dictionary<string, string> { ["--accounts"] = accounts, ["--contacts"] = contacts, ["--leads"] = leads };
        args[option] = _work.FullName;

        var (code, _, err) = await Run(["match", .. args.SelectMany(a => new[] { a.Key, a.Value })]);

        Assert.Equal(2, code);
        Assert.Contains($"{_work.FullName}: cannot be read: it is a folder, not a file.", err, StringComparison.Ordinal);
        AssertPlainError(err);
    }

    [Fact]
    public async Task Match_LeadsFromDevZero_ExitsTwoBeforeReading()
    {
        var (accounts, _) = SmallMatch();

        var (code, _, err) = await Run("match", "--accounts", accounts, "--leads", "/dev/zero");

        Assert.Equal(2, code);
        Assert.Contains("/dev/zero: cannot be read: it is a device, pipe or socket, not a file", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_OutIsAFolder_ExitsTwoNamingIt_AndLeavesNothing()
    {
        var (accounts, leads) = SmallMatch();

        var (code, _, err) = await Run("match", "--accounts", accounts, "--leads", leads, "--out", _work.FullName);

        Assert.Equal(2, code);
        Assert.Equal($"crmguard: {_work.FullName}: cannot be written: it is a folder; give a file name.\n", err.Replace("\r", string.Empty, StringComparison.Ordinal));
        AssertNothingHiddenLeft();
    }

    [Fact]
    public async Task Match_OutUnderAFile_ExitsTwoBeforeMatching()
    {
        var (accounts, leads) = SmallMatch();
        var outPath = Path.Combine(accounts, "decisions.csv");

        var (code, _, err) = await Run("match", "--accounts", accounts, "--leads", leads, "--out", outPath);

        Assert.Equal(2, code);
        Assert.Contains($"{outPath}: cannot be written: {accounts} is a file, not a folder.", err, StringComparison.Ordinal);
        Assert.DoesNotContain("leads against", err, StringComparison.Ordinal);
        AssertPlainError(err);
    }

    [Fact]
    public async Task Match_OutIsANamedPipe_ExitsTwoAndLeavesItAlone()
    {
        var (accounts, leads) = SmallMatch();
        using var folder = new TempFolder();
        var fifo = folder.Fifo("decisions.csv");

        var (code, _, err) = await Run("match", "--accounts", accounts, "--leads", leads, "--out", fifo);

        Assert.Equal(2, code);
        Assert.Contains($"{fifo}: cannot be written: it is a device, pipe or socket, not a file", err, StringComparison.Ordinal);
        Assert.Equal(FileKind.Device, InputFile.KindOf(fifo));
        Assert.Single(folder.Info.GetFileSystemInfos());
    }

    [Fact]
    public async Task Match_OutWhereNoFileCanBeMade_ExitsTwoNamingTheGivenPath()
    {
        // /proc holds no files of ours: as a read-only place would, it refuses the temporary file.
        var (accounts, leads) = SmallMatch();

        var (code, _, err) = await Run("match", "--accounts", accounts, "--leads", leads, "--out", "/proc/crmguard-decisions.csv");

        Assert.Equal(2, code);
        Assert.StartsWith("crmguard: /proc/crmguard-decisions.csv: cannot be written: ", err, StringComparison.Ordinal);
        AssertPlainError(err);
    }

    [Fact]
    public async Task Match_EmptyOut_ExitsTwoInWords()
    {
        var (accounts, leads) = SmallMatch();

        var (code, _, err) = await Run("match", "--accounts", accounts, "--leads", leads, "--out", string.Empty);

        Assert.Equal(2, code);
        Assert.Contains("--out: no file name was given.", err, StringComparison.Ordinal);
        Assert.DoesNotContain("System.IO", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_DuplicateLeadId_ExitsTwoNamingFileRowAndColumn()
    {
        var (accounts, _) = SmallMatch();
        var leads = Write("leads.csv", "id,company\nL1,Contoso\nL1,Litware\n");

        var (code, _, err) = await Run("match", "--accounts", accounts, "--leads", leads);

        Assert.Equal(2, code);
        Assert.Contains($"{leads}:3: id: 'L1' is the id of the row on line 2 too; ids must be unique", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_ContactOfUnknownAccount_ExitsTwoNamingFileRowAndColumn()
    {
        var (accounts, leads) = SmallMatch();
        var contacts = Write("contacts.csv", "id,account_id\nC1,A1\nC2,A404\n");

        var (code, _, err) = await Run("match", "--accounts", accounts, "--contacts", contacts, "--leads", leads);

        Assert.Equal(2, code);
        Assert.Contains($"{contacts}:3: account_id: no account in {accounts} has the id 'A404'", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_OutIsAFolder_ExitsTwoBeforeReplaying()
    {
        var (code, output, err) = await Run("replay", "-s", SharedFiles.Path("examples", "replay", "snapshot.json"),
            "-e", SharedFiles.Path("examples", "replay", "events.jsonl"), "-o", _work.FullName);

        Assert.Equal(2, code);
        Assert.Contains($"{_work.FullName}: cannot be written: it is a folder; give a file name.", err, StringComparison.Ordinal);
        Assert.DoesNotContain("events:", err, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
        AssertNothingHiddenLeft();
    }

    [Fact]
    public async Task Replay_PolicyIsAFolder_ExitsTwoSayingSo()
    {
        var (code, _, err) = await Run("replay", "-s", SharedFiles.Path("examples", "replay", "snapshot.json"),
            "-e", SharedFiles.Path("examples", "replay", "events.jsonl"), "--policy", _work.FullName);

        Assert.Equal(2, code);
        Assert.Contains($"{_work.FullName}: cannot be read: it is a folder, not a file.", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--snapshot")]
    [InlineData("--events")]
    public async Task Replay_InputFromDevZero_ExitsTwoBeforeReading(string option)
    {
        var snapshot = option == "--snapshot" ? "/dev/zero" : SharedFiles.Path("examples", "replay", "snapshot.json");
        var events = option == "--events" ? "/dev/zero" : SharedFiles.Path("examples", "replay", "events.jsonl");

        var (code, _, err) = await Run("replay", "--snapshot", snapshot, "--events", events);

        Assert.Equal(2, code);
        Assert.Contains("/dev/zero: cannot be read: it is a device, pipe or socket, not a file", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_Utf16SnapshotAndEvents_AreBothRead()
    {
        var snapshot = Path.Combine(_work.FullName, "org.json");
        var events = Path.Combine(_work.FullName, "events.jsonl");
        File.WriteAllText(snapshot, File.ReadAllText(SharedFiles.Path("examples", "replay", "snapshot.json")), System.Text.Encoding.Unicode);
        File.WriteAllText(events, File.ReadAllText(SharedFiles.Path("examples", "replay", "events.jsonl")), System.Text.Encoding.Unicode);

        var (code, _, err) = await Run("replay", "-s", snapshot, "-e", events);

        Assert.Equal(0, code);
        Assert.Contains("8 events: 3 blocked, 2 flagged, 3 allowed.", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_UnknownPolicyKeys_ExitTwoListingEachOnceWithFileAndLine()
    {
        var policy = Write("policy.json", "{\n  \"CrmGuardrails\": {\n    \"RepCollision\": 5,\n    \"Foo\": true\n  }\n}\n");

        var (code, _, err) = await Run("replay", "-s", SharedFiles.Path("examples", "replay", "snapshot.json"),
            "-e", SharedFiles.Path("examples", "replay", "events.jsonl"), "--policy", policy);

        Assert.Equal(2, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"crmguard: {policy}:3: CrmGuardrails.RepCollision: is a section", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"crmguard: {policy}:4: CrmGuardrails.Foo: is not a setting", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("CrmGuardrailsOptions", err, StringComparison.Ordinal);
        AssertPlainError(err);
    }

    [Theory]
    [InlineData("replay", "2 GB")]
    [InlineData("replay", "1 MB")]
    [InlineData("match", "2 GB")]
    public async Task Help_DocumentsTheInputLimits(string command, string limit)
    {
        var (code, output, _) = await Run(command, "--help");

        Assert.Equal(0, code);
        Assert.Contains(limit, output, StringComparison.Ordinal);
    }
}
