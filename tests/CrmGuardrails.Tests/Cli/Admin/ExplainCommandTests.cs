using System.Globalization;
using System.Text.Json;
using CrmGuardrails.Cli;
using CrmGuardrails.Cli.Explain;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Cli.Admin;

public sealed class ExplainCommandTests : AdminCli
{
    private const string Prospector = "u-prospector";

    /// <summary>The shared development set as an org; its leads are checked for a rep who owns nothing.</summary>
    private static (InMemoryCrmDirectory Directory, IReadOnlyList<Lead> Leads) DevOrg()
    {
        var folder = SharedFiles.Path("data", "lead-account-bench", "dev");
        var data = MatchingDataset.Load(Path.Combine(folder, "accounts.csv"), Path.Combine(folder, "contacts.csv"), Path.Combine(folder, "leads.csv"));
        var snapshot = new CrmSnapshot
        {
            Users = [new User { Id = Prospector, Name = "Pat Prospector" }],
            Accounts = data.Accounts.Select(a => a with { Status = AccountStatus.Customer }).ToList(),
            Contacts = data.Contacts,
        };
        return (new InMemoryCrmDirectory(snapshot), data.Leads);
    }

    private static async Task<(Verdict Verdict, GuardFinding? Finding)> GuardVerdict(InMemoryCrmDirectory directory, CrmGuardrailsOptions policy, Lead lead, string owner)
    {
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddDefaultGuards(policy).Build();
        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(lead with { OwnerId = owner }, owner));
        var finding = result.Findings.FirstOrDefault(f => f.RuleId == RuleIds.ExistingCustomer);
        return (finding?.Verdict ?? Verdict.Allow, finding);
    }

    [Fact]
    public async Task Explain_MatchesTheGuardsVerdict_AndEveryThresholdItNamesChangesIt()
    {
        var (directory, leads) = DevOrg();
        var policy = new CrmGuardrailsOptions();
        var explainer = new LeadExplainer(directory, policy);
        var seen = new HashSet<Verdict>();
        var changesChecked = 0;

        // Leads until every verdict was seen among enough of them (a flag is the rarest).
        foreach (var lead in leads.Take(400))
        {
            if (seen.Count == 3 && changesChecked >= 40)
                break;
            var explanation = await explainer.ExplainAsync(lead, Prospector, CancellationToken.None);
            var (verdict, finding) = await GuardVerdict(directory, policy, lead, Prospector);

            Assert.Equal(verdict, explanation.Verdict);
            seen.Add(verdict);
            if (finding?.Collision is { } collision)
            {
                Assert.Equal(collision.Record.Id, explanation.Match!.Account.Id);
                Assert.Equal(collision.Score, explanation.Match.Score);
                Assert.Equal(collision.Record.Id, explanation.Candidates[0].Account.Id);
                Assert.True(explanation.Candidates[0].Chosen);
            }

            // The thresholds explain names: set them, and the guard must give the verdict explain promised.
            foreach (var change in explanation.Changes)
            {
                var changed = new CrmGuardrailsOptions();
                foreach (var option in change.Options)
                {
                    if (option == "ExistingCustomer.BlockAtScore")
                        changed.ExistingCustomer.BlockAtScore = change.Value;
                    else
                        changed.ExistingCustomer.FlagAtScore = change.Value;
                }

                var (after, _) = await GuardVerdict(directory, changed, lead, Prospector);
                Assert.True(change.Verdict == after, $"{lead.Id}: {string.Join(",", change.Options)} {change.Comparison} {change.Value} should give {change.Verdict}, the guard gave {after}.");
                changesChecked++;
            }
        }

        Assert.Equal([Verdict.Allow, Verdict.Flag, Verdict.Block], seen.Order());
        Assert.True(changesChecked >= 40, $"only {changesChecked} threshold changes were checked");
    }

    [Fact]
    public async Task Explain_LeadOfTheSnapshot_ByIdAsJson()
    {
        var snapshot = Write("org.json", PlantedOrg.Snapshot);

        var (code, stdout, err) = await Run("explain", "-s", snapshot, "--lead", "L-ec", "--json");

        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("block", root.GetProperty("verdict").GetString());
        Assert.Equal("a1", root.GetProperty("accountId").GetString());
        Assert.Equal("u2", root.GetProperty("ownerId").GetString());
        var first = root.GetProperty("candidates")[0];
        Assert.Equal("a1", first.GetProperty("accountId").GetString());
        Assert.True(first.GetProperty("evidence").GetArrayLength() > 0);
        // A score of 1 is blocked under any thresholds (none can be set above it).
        Assert.Equal(1.0, root.GetProperty("score").GetDouble());
        Assert.Equal(0, root.GetProperty("changes").GetArrayLength());
        Assert.StartsWith("the score is 1", root.GetProperty("unchangeable").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_OwnLead_SaysNoThresholdChangesIt()
    {
        var snapshot = Write("org.json", PlantedOrg.Snapshot);

        var (code, stdout, _) = await Run("explain", "-s", snapshot, "--lead", "L-ec-own");

        Assert.Equal(0, code);
        Assert.Contains("Verdict of existing-customer: allow", stdout, StringComparison.Ordinal);
        Assert.Contains("owns the account or is on its team", stdout, StringComparison.Ordinal);
        Assert.Contains("a3 Northwind Traders  [chosen]", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_LeadGivenAsJson_ForAnotherOwner()
    {
        var snapshot = Write("org.json", PlantedOrg.Snapshot);

        var (code, stdout, err) = await Run("explain", "-s", snapshot, "--lead-json", """{"firstName": "Zoe", "company": "Contoso Pharmaceuticals", "email": "zoe@contoso.com"}""", "--owner", "u3");

        Assert.True(code == 0, err);
        Assert.Contains("Verdict of existing-customer: block", stdout, StringComparison.Ordinal);
        Assert.Contains("Checked as saved by Lee Chen (u3).", stdout, StringComparison.Ordinal);
        Assert.Contains("(score 1.0000 for a1 Contoso Pharmaceuticals, owned by Maria Lopez (u1))", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_NearSpellingOfTheName_SaysWhyItIsCappedBelowABlock()
    {
        var snapshot = Write("org.json", """
            {"users": [{"id": "u1", "name": "Maria Lopez"}, {"id": "u3", "name": "Lee Chen"}],
             "accounts": [{"id": "a1", "name": "Hanson Ironworks Ltd", "phone": "+44 1482 220 114", "city": "Hull", "country": "GB", "ownerId": "u1", "status": "customer"}]}
            """);

        var (code, stdout, err) = await Run("explain", "-s", snapshot, "--lead-json", """{"firstName": "Zoe", "company": "Hansen Ironworks", "email": "zoe@gmail.com", "city": "Hull", "country": "GB"}""", "--owner", "u3");

        Assert.True(code == 0, err);
        Assert.True(stdout.Contains("Verdict of existing-customer: flag", StringComparison.Ordinal), stdout);
        Assert.True(stdout.Contains("neither the name as spelled nor a domain or email agrees strongly: capped below a block", StringComparison.Ordinal), stdout);
    }

    [Theory]
    [InlineData(new[] { "--lead", "L-nope" }, "--lead: the snapshot has no lead with the id 'L-nope'.")]
    [InlineData(new[] { "--lead", "T1" }, "--lead: the snapshot has no lead with the id 'T1'.")]
    [InlineData(new string[0], "give exactly one of --lead ID")]
    [InlineData(new[] { "--lead", "L-ec", "--lead-json", "{}" }, "give exactly one of --lead ID")]
    [InlineData(new[] { "--lead-json", "{\"company\": 5}" }, "--lead-json:1: company:")]
    [InlineData(new[] { "--lead-json", "{\"compnay\": \"Contoso\"}" }, "compnay: is not a field of this format")]
    [InlineData(new[] { "--lead-json", "{\"company\": " }, "--lead-json:1:")]
    [InlineData(new[] { "--lead", "L-ec", "--owner", "u9" }, "--owner: the snapshot has no user with the id 'u9'.")]
    [InlineData(new[] { "--lead", "L-ec", "--top", "0" }, "--top: 0 is not between 1 and 50.")]
    public async Task Explain_BadInput_ExitsTwoNamingWhatWasWrong(string[] args, string expected)
    {
        var snapshot = Write("org.json", PlantedOrg.Snapshot);

        var (code, stdout, err) = await Run(["explain", "-s", snapshot, .. args]);

        Assert.Equal(CrmGuardCommand.BadInput, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }
}
