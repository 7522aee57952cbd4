using CrmGuardrails.Benchmarks;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Dataverse.Tests;

/// <summary>
/// "Is this the same customer?" through the Dataverse Web API directory, against the strict emulator seeded with a
/// slice of the dev bench set exactly as typed and keyed by the package's own backfill: the same answers as the
/// embedded path (the figures on the whole sets: <c>bench accuracy FOLDER dataverse</c>, docs/matching.md).
/// </summary>
public sealed class WebApiAccuracyTests
{
    private const int Accounts = 1500;
    private const int Leads = 400;
    private const int KnownLeads = 250;

    [Fact]
    public async Task DevSlice_RowsAsTyped_WebApiDirectoryFindsWhatTheEmbeddedPathFinds()
    {
        var (folder, truth) = Slice(BenchData.Folder("dev"));
        var data = MatchingDataset.Load(Path.Combine(folder, "accounts.csv"), Path.Combine(folder, "contacts.csv"), Path.Combine(folder, "leads.csv"));

        var embedded = Score(GuardPathAccuracy.ThroughEmbedded(data), truth);
        var run = await GuardPathAccuracy.ThroughWebApiAsync(folder, data);
        var webApi = Score(run.Decisions, truth);

        Assert.True(embedded.Positives >= KnownLeads, $"the slice holds only {embedded.Positives} leads of known accounts");
        Assert.True(webApi.Recall >= embedded.Recall - 0.01, $"recall through the Web API {webApi.Recall:0.000}, embedded {embedded.Recall:0.000}");
        Assert.True(webApi.FalseBlocks <= embedded.FalseBlocks, $"false blocks through the Web API {webApi.FalseBlocks}, embedded {embedded.FalseBlocks}");
        Assert.True(run.KeyRows > Accounts, $"the backfill wrote {run.KeyRows} key rows for {Accounts} accounts and their contacts");

        // One check: the keys, then the candidates — at most two round trips.
        Assert.True(run.Requests <= 2 * Leads, $"{run.Requests} requests for {Leads} checks");
    }

    private static (double Recall, int FalseBlocks, int Positives) Score(IReadOnlyList<MatchDecision> decisions, IReadOnlyDictionary<string, string> truth)
    {
        int positives = 0, found = 0, falseBlocks = 0;
        foreach (var decision in decisions)
        {
            var expected = truth[decision.LeadId];
            var right = expected.Length > 0 && decision.AccountId == expected;
            if (expected.Length > 0)
            {
                positives++;
                if (right && decision.Verdict != Verdict.Allow)
                    found++;
            }

            if (decision.Verdict == Verdict.Block && !right)
                falseBlocks++;
        }

        return (positives == 0 ? 0 : (double)found / positives, falseBlocks, positives);
    }

    /// <summary>The first accounts with their contacts, and leads in bench order: of those accounts, and new companies (both kinds of near miss).</summary>
    private static (string Folder, Dictionary<string, string> Truth) Slice(string source)
    {
        var folder = Directory.CreateTempSubdirectory("crmg-accuracy-").FullName;
        var accounts = File.ReadLines(Path.Combine(source, "accounts.csv")).Take(Accounts + 1).ToList();
        var kept = accounts.Skip(1).Select(line => line[..line.IndexOf(',', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);
        File.WriteAllLines(Path.Combine(folder, "accounts.csv"), accounts);
        var contacts = File.ReadLines(Path.Combine(source, "contacts.csv")).ToList();
        File.WriteAllLines(Path.Combine(folder, "contacts.csv"), contacts.Take(1).Concat(contacts.Skip(1).Where(line => kept.Contains(line.Split(',')[1]))));

        var truth = File.ReadLines(Path.Combine(source, "truth.csv")).Skip(1)
            .Select(line => line.Split(','))
            .Where(parts => parts[1].Length == 0 || kept.Contains(parts[1]))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        var leads = File.ReadLines(Path.Combine(source, "leads.csv")).ToList();
        var inSlice = leads.Skip(1).Where(line => truth.ContainsKey(IdOf(line))).ToList();
        var chosen = inSlice.Where(line => truth[IdOf(line)].Length > 0).Take(KnownLeads)
            .Concat(inSlice.Where(line => truth[IdOf(line)].Length == 0).Take(Leads - KnownLeads));
        File.WriteAllLines(Path.Combine(folder, "leads.csv"), leads.Take(1).Concat(chosen));
        return (folder, truth);
    }

    private static string IdOf(string line) => line[..line.IndexOf(',', StringComparison.Ordinal)];
}
