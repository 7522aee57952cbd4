using System.Diagnostics;
using System.Globalization;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Benchmarks;

/// <summary>Scores a labelled dataset folder (accounts, contacts, leads, truth) the way the benchmark README defines.</summary>
internal static class Accuracy
{
    public static int Run(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : Path.Combine(DataRoot.Find(), "data", "lead-account-bench", "dev");
        var mode = args.Length > 1 ? args[1] : "bulk";
        var verbose = args.Contains("--errors");
        var watch = Stopwatch.StartNew();
        var data = MatchingDataset.Load(Path.Combine(folder, "accounts.csv"), Path.Combine(folder, "contacts.csv"), Path.Combine(folder, "leads.csv"));
        IReadOnlyList<MatchDecision> decisions;
        if (mode == "guard")
        {
            decisions = GuardPathAccuracy.ThroughEmbedded(data);
        }
        else if (mode == "dataverse")
        {
            var run = GuardPathAccuracy.ThroughWebApiAsync(folder, data).GetAwaiter().GetResult();
            decisions = run.Decisions;
            Console.WriteLine($"Dataverse Web API directory over the emulator, rows as typed: backfill {run.Backfill.Records} records -> {run.KeyRows} key rows in {run.Seeding.TotalSeconds:0.0} s; " +
                              $"{data.Leads.Count} checks in {run.Checking.TotalSeconds:0.0} s, {(double)run.Requests / data.Leads.Count:0.00} requests per check");
        }
        else
        {
            decisions = new BulkMatcher(data.Accounts, data.Contacts).MatchAll(data.Leads);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var dump = Array.IndexOf(args, "--dump");
        if (dump >= 0 && dump + 1 < args.Length)
            MatchDecisionCsv.WriteFile(args[dump + 1], decisions);
        var truth = ReadTruth(Path.Combine(folder, "truth.csv"));
        var report = Evaluate(data.Leads, decisions, truth, verbose ? data : null);
        Console.WriteLine($"dataset {folder} mode {mode}: {data.Accounts.Count} accounts, {data.Leads.Count} leads, {seconds:0.00} s");
        Console.WriteLine(report);
        return 0;
    }

    public static Dictionary<string, (string Account, string Variant)> ReadTruth(string path)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var parts = line.Split(',');
            if (parts.Length >= 2)
                result[parts[0]] = (parts[1], parts.Length > 2 ? parts[2] : string.Empty);
        }

        return result;
    }

    public sealed record Tally
    {
        public int Existing { get; set; }
        public int Found { get; set; }
        public int Blocked { get; set; }
        public int New { get; set; }
        public int NewFlagged { get; set; }
        public int FalseBlocks { get; set; }
        public int Leads { get; set; }

        public double Recall => Existing == 0 ? double.NaN : (double)Found / Existing;
        public double BlockRecall => Existing == 0 ? double.NaN : (double)Blocked / Existing;
        public double FalseBlocksPer1000 => Leads == 0 ? double.NaN : 1000.0 * FalseBlocks / Leads;
        public double FalseFlagRate => New == 0 ? double.NaN : (double)NewFlagged / New;
    }

    public static string Evaluate(IReadOnlyList<Lead> leads, IReadOnlyList<MatchDecision> decisions, Dictionary<string, (string Account, string Variant)> truth, MatchingDataset? errors)
    {
        var tallies = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        var overall = new Tally();
        var lines = new List<string>();
        for (var i = 0; i < leads.Count; i++)
        {
            if (!truth.TryGetValue(leads[i].Id, out var t))
                continue;
            var d = decisions[i];
            var tally = tallies.TryGetValue(t.Variant, out var existing) ? existing : tallies[t.Variant] = new Tally();
            foreach (var x in new[] { tally, overall })
            {
                x.Leads++;
                var right = t.Account.Length > 0 && d.AccountId == t.Account;
                if (t.Account.Length > 0)
                {
                    x.Existing++;
                    if (right && d.Verdict != Verdict.Allow)
                        x.Found++;
                    if (right && d.Verdict == Verdict.Block)
                        x.Blocked++;
                }
                else
                {
                    x.New++;
                    if (d.Verdict != Verdict.Allow)
                        x.NewFlagged++;
                }

                if (d.Verdict == Verdict.Block && !right)
                    x.FalseBlocks++;
            }

            var wrong = (t.Account.Length > 0 && (d.Verdict == Verdict.Allow || d.AccountId != t.Account)) || (t.Account.Length == 0 && d.Verdict != Verdict.Allow);
            if (errors is not null && wrong && lines.Count < 400)
                lines.Add($"  {t.Variant,-11} {leads[i].Id} -> {d.Verdict} {d.AccountId} {d.Score:0.000} (truth {t.Account}) | {leads[i].Company} | {leads[i].Email} | {leads[i].Phone} | {leads[i].Website} | {leads[i].City}");
        }

        var sb = new System.Text.StringBuilder();
        sb.AppendLine("variant        leads  recall  block-recall  false-blocks/1000  false-flag-rate");
        foreach (var pair in tallies.Append(new KeyValuePair<string, Tally>("OVERALL", overall)))
        {
            var x = pair.Value;
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{pair.Key,-13} {x.Leads,6}  {Fmt(x.Recall),6}  {Fmt(x.BlockRecall),12}  {x.FalseBlocksPer1000,17:0.00}  {Fmt(x.FalseFlagRate),15}"));
        }

        foreach (var line in lines)
            sb.AppendLine(line);
        return sb.ToString();
    }

    private static string Fmt(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", CultureInfo.InvariantCulture);
}

/// <summary>Finds the shared/ folder (a sibling of the repository root) by walking up from the binaries.</summary>
internal static class DataRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "data")))
                return candidate;
        }

        throw new DirectoryNotFoundException("No shared/data folder above " + AppContext.BaseDirectory);
    }
}
