using CrmGuardrails.Matching;

namespace CrmGuardrails.Tests.Matching;

/// <summary>Accuracy floors on the labelled development sets (not timed).</summary>
public class DevSetAccuracyTests
{
    // Scored as shared/tools/score_lead_bench.py does: a new site of a known organisation ("other_site") may be
    // flagged, never blocked.
    [Theory]
    [InlineData("dev", 0.99, 0.95, 0.01)]
    [InlineData("dev-sites", 0.98, 0.92, 0.01)]
    [InlineData("dev-realworld/fodors_zagat", 0.98, 0.85, 0.03)]
    public void MatchAll_DevelopmentSet_MeetsAccuracyFloors(string set, double minRecall, double minBlockRecall, double maxFalseFlagRate)
    {
        var folder = Path.Combine(FindShared(), "data", "lead-account-bench", set);
        var data = MatchingDataset.Load(Path.Combine(folder, "accounts.csv"), Path.Combine(folder, "contacts.csv"), Path.Combine(folder, "leads.csv"));
        var truth = File.ReadLines(Path.Combine(folder, "truth.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(p => p[0], p => (Account: p[1], Variant: p[2]));

        var decisions = new BulkMatcher(data.Accounts, data.Contacts).MatchAll(data.Leads);

        int existing = 0, found = 0, blocked = 0, fresh = 0, flaggedFresh = 0, falseBlocks = 0;
        foreach (var d in decisions)
        {
            var (account, variant) = truth[d.LeadId];
            if (account.Length > 0)
            {
                existing++;
                found += d.Verdict != Verdict.Allow && d.AccountId == account ? 1 : 0;
                blocked += d.Verdict == Verdict.Block && d.AccountId == account ? 1 : 0;
            }
            else if (variant != "other_site")
            {
                fresh++;
                flaggedFresh += d.Verdict != Verdict.Allow ? 1 : 0;
            }

            falseBlocks += d.Verdict == Verdict.Block && d.AccountId != account ? 1 : 0;
        }

        Assert.True((double)found / existing >= minRecall, $"recall {(double)found / existing:0.000}");
        Assert.True((double)blocked / existing >= minBlockRecall, $"block recall {(double)blocked / existing:0.000}");
        Assert.True((double)flaggedFresh / fresh <= maxFalseFlagRate, $"false-flag rate {(double)flaggedFresh / fresh:0.000}");
        Assert.True(1000.0 * falseBlocks / decisions.Count <= 1, $"{falseBlocks} false blocks");
    }

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "data", "lead-account-bench")))
                return candidate;
        }

        throw new DirectoryNotFoundException($"The benchmark data (shared/data/lead-account-bench) was not found above {AppContext.BaseDirectory}; it is expected next to the repository root.");
    }
}
