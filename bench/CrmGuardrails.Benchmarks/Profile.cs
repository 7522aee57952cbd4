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
        if (args.Length > 1 && args[1] == "--decisions-only")
        {
            var set = MatchingDataset.Load(Path.Combine(folder, "accounts.csv"), Path.Combine(folder, "contacts.csv"), Path.Combine(folder, "leads.csv"));
            var m = new BulkMatcher(set.Accounts, set.Contacts);
            var w = Stopwatch.StartNew();
            for (var round = 0; round < 3; round++)
            {
                foreach (var lead in set.Leads.Take(30_000))
                    m.ProfileLead(lead);
            }

            Console.WriteLine($"3 x 30,000 leads on one thread: {w.Elapsed.TotalSeconds:0.00} s");
            var gathered = set.Leads.Take(20_000).Select(m.Gather).ToList();
            var e = m.Engine;
            Time("shares", gathered, g => CrmGuardrails.Matching.Scoring.ShareCounts.Of(g.Lead, g.Accounts, g.Contacts));
            var shares = gathered.Select(g => CrmGuardrails.Matching.Scoring.ShareCounts.Of(g.Lead, g.Accounts, g.Contacts)).ToList();
            var k = 0;
            Time("scores", gathered, g => { var sh = shares[k++ % shares.Count]; double t = 0; for (var i = 0; i < g.Accounts.Count; i++) t += e.Score(g.Lead, g.Accounts[i], g.Contacts[i] ?? [], sh, false).Weight; return t; });
            Time("names", gathered, g => { double t = 0; for (var i = 0; i < g.Accounts.Count; i++) t += e.CompareNames(g.Lead.Name, g.Accounts[i].Name, false).Weight; return t; });
            Time("resolve", gathered, g => e.Resolve(g.Lead, g.Accounts, g.Contacts));
            var pairs = gathered.SelectMany(g => g.Accounts.Select(a => (g.Lead.Name, a.Name))).Take(200_000).ToList();
            Time("1 name pair", pairs, p => e.CompareNames(p.Item1, p.Item2, false).Weight);
            var few = pairs.Take(12).ToList();
            foreach (var (x, y) in few)
                Console.WriteLine($"  {x.Core} | {y.Core} | {e.CompareNames(x, y, false)}");
            {
                var g0 = gathered.First(g => g.Accounts.Count >= 20);
                var sh0 = CrmGuardrails.Matching.Scoring.ShareCounts.Of(g0.Lead, g0.Accounts, g0.Contacts);
                var nopair = g0.Accounts.Select(a => (a, 0)).ToList();
                Time("score x", nopair, p => e.Score(g0.Lead, p.a, Array.Empty<CrmGuardrails.Matching.Scoring.ContactFeatures>(), sh0, false).Weight);
                Time("name x", nopair, p => e.CompareNames(g0.Lead.Name, p.a.Name, false).Weight);
                var many = Enumerable.Repeat(nopair, 5000).SelectMany(x => x).ToList();
                Time("score xx", many, p => e.Score(g0.Lead, p.a, Array.Empty<CrmGuardrails.Matching.Scoring.ContactFeatures>(), sh0, false).Weight);
                Time("name xx", many, p => e.CompareNames(g0.Lead.Name, p.a.Name, false).Weight);
                Console.WriteLine($"{g0.Lead.Lead.Company} {g0.Lead.Lead.Phone} {g0.Lead.Lead.Email} {g0.Lead.Lead.Street}");
            }

            var useful = new List<int>();
            var rankOfBest = new List<int>();
            foreach (var g in gathered)
            {
                var sh = CrmGuardrails.Matching.Scoring.ShareCounts.Of(g.Lead, g.Accounts, g.Contacts);
                var ws = g.Accounts.Select((a, i) => e.Score(g.Lead, a, g.Contacts[i] ?? [], sh, false).Weight).ToList();
                if (ws.Count == 0)
                    continue;
                var top = ws.Max();
                useful.Add(ws.Count(w => w >= top - 12));
                rankOfBest.Add(ws.IndexOf(top));
            }

            Console.WriteLine($"useful candidates (within 12 bits of the best): mean {useful.Average():0.00}, p90 {useful.OrderBy(x => x).ElementAt(useful.Count * 9 / 10)}; position of the best in retrieval order: mean {rankOfBest.Average():0.0}, p90 {rankOfBest.OrderBy(x => x).ElementAt(rankOfBest.Count * 9 / 10)}, p99 {rankOfBest.OrderBy(x => x).ElementAt(rankOfBest.Count * 99 / 100)}");
            Console.WriteLine($"candidates {gathered.Average(g => g.Accounts.Count):0.0}, contacts {gathered.Average(g => g.Contacts.Sum(c => c?.Count ?? 0)):0.0}");
            return 0;
        }

        var process = Process.GetCurrentProcess();
        var phases = new List<(string Name, double Wall, double Cpu, double Gb)>();
        var watch = Stopwatch.StartNew();
        var cpu = process.TotalProcessorTime;
        var gb = GC.GetTotalAllocatedBytes() / 1e9;
        void Phase(string name)
        {
            process.Refresh();
            var nowCpu = process.TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes() / 1e9;
            phases.Add((name, watch.Elapsed.TotalSeconds, (nowCpu - cpu).TotalSeconds, allocated - gb));
            watch.Restart();
            cpu = nowCpu;
            gb = allocated;
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

        var engine = new CrmGuardrails.Matching.Scoring.MatchEngine(MatchingOptions.Default, CrmGuardrails.Matching.Scoring.TokenStatistics.Default);

        var accounts = data.Accounts.Take(50_000).ToList();
        Time("name", accounts, a => CrmGuardrails.Matching.Normalization.CompanyNameNormalizer.Normalize(a.Name));
        Time("website", accounts, a => engine.CompanyDomain(CrmGuardrails.Matching.Normalization.DomainNormalizer.HostOfWebsite(a.Website)));
        Time("phone", accounts, a => CrmGuardrails.Matching.Normalization.PhoneNormalizer.ToE164(a.Phone, a.Country, "US"));
        Time("address", accounts, a => CrmGuardrails.Matching.Normalization.AddressNormalizer.Normalize(a.Street, a.City, a.PostalCode, a.Country));
        Time("features", accounts, a => engine.Features(a));
        var features = accounts.Select(a => engine.Features(a)).ToList();
        Time("keys", features, f => { var w = new CrmGuardrails.Matching.Index.HashKeyWriter(); engine.WriteKeys(f, w); return w; });
        foreach (var (name, wall, seconds, allocated) in phases)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-8} wall {wall,6:0.00} s  cpu {seconds,6:0.00} s  allocated {allocated,5:0.00} GB"));
        Console.WriteLine($"index: {matcher.BuildTimings}");
        long f = 0, r = 0, d = 0, n = 0;
        var sample = data.Leads.Take(20_000).ToList();
        foreach (var lead in sample)
        {
            var p = matcher.ProfileLead(lead);
            (f, r, d, n) = (f + p.Features, r + p.Retrieval, d + p.Decision, n + p.Candidates);
        }

        var us = 1e6 / Stopwatch.Frequency / sample.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per lead, one thread: features {f * us:0.0} us, candidates {r * us:0.0} us, decision {d * us:0.0} us over {(double)n / sample.Count:0.0} candidates"));
        var counts = data.Leads.Take(5000).Select(matcher.CandidateCount).OrderBy(c => c).ToList();
        Console.WriteLine($"candidates per lead (first 5,000): p50 {counts[counts.Count / 2]}, p90 {counts[counts.Count * 9 / 10]}, max {counts[^1]}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated {GC.GetTotalAllocatedBytes() / 1e9:0.00} GB; GC: pauses {GC.GetTotalPauseDuration().TotalSeconds:0.00} s, gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, peak working set {process.PeakWorkingSet64 / 1e6:0} MB"));
        return 0;
    }

    private static void Time<T>(string what, IReadOnlyList<T> items, Func<T, object> action)
    {
        // Twice: the first pass pays for tiered JIT; the second is the figure.
        for (var pass = 0; pass < 2; pass++)
        {
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            object? last = null;
            foreach (var item in items)
                last = action(item);
            GC.KeepAlive(last);
            if (pass == 1)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-10} {watch.Elapsed.TotalMilliseconds * 1000 / items.Count,8:0.00} us {(GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)items.Count,8:0} B"));
        }
    }
}
