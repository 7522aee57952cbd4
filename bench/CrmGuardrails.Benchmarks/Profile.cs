using System.Diagnostics;
using System.Globalization;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Benchmarks;

/// <summary>
/// Where a bulk run spends its time, phase by phase (parse, features and keys, index, candidates and scoring, write),
/// on a bench folder: <c>profile FOLDER</c>. Prints wall and CPU seconds per phase and the candidates per lead.
/// </summary>
internal static class Profile
{
    public static int Run(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: profile FOLDER (accounts.csv, contacts.csv, leads.csv)");
            return 2;
        }

        var folder = args[0];
        var process = Process.GetCurrentProcess();
        var phases = new List<(string Name, double Wall, double Cpu)>();
        var watch = Stopwatch.StartNew();
        var cpu = process.TotalProcessorTime;
        void Phase(string name)
        {
            process.Refresh();
            var nowCpu = process.TotalProcessorTime;
            phases.Add((name, watch.Elapsed.TotalSeconds, (nowCpu - cpu).TotalSeconds));
            watch.Restart();
            cpu = nowCpu;
        }

        var data = MatchingDataset.Load(Path.Combine(folder, "accounts.csv"), Path.Combine(folder, "contacts.csv"), Path.Combine(folder, "leads.csv"));
        Phase("parse");
        var matcher = new BulkMatcher(data.Accounts, data.Contacts);
        Phase("index");
        var decisions = matcher.MatchAll(data.Leads);
        Phase("match");
        var output = Path.Combine(Path.GetTempPath(), "crmguard-profile-decisions.csv");
        MatchDecisionCsv.WriteFile(output, decisions);
        Phase("write");

        foreach (var (name, wall, seconds) in phases)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-8} wall {wall,6:0.00} s  cpu {seconds,6:0.00} s"));
        Console.WriteLine($"index: {matcher.BuildTimings}");
        var counts = data.Leads.Take(5000).Select(matcher.CandidateCount).OrderBy(c => c).ToList();
        Console.WriteLine($"candidates per lead (first 5,000): p50 {counts[counts.Count / 2]}, p90 {counts[counts.Count * 9 / 10]}, max {counts[^1]}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GC: pauses {GC.GetTotalPauseDuration().TotalSeconds:0.00} s, gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, peak working set {process.PeakWorkingSet64 / 1e6:0} MB"));
        return 0;
    }
}
