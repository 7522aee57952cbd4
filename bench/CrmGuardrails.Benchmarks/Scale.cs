using System.Diagnostics;
using System.Globalization;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Benchmarks;

/// <summary>End-to-end and index-size runs on seeded synthetic data.</summary>
internal static class Scale
{
    public static int Run(string[] args)
    {
        var accounts = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var leads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var big = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
        var withContacts = args.Contains("--contacts");
        Console.WriteLine($"load average at start: {LoadAverage()}");
        if (accounts > 0)
            EndToEnd(accounts, leads);
        if (big > 0)
            Index(big, withContacts);
        Console.WriteLine($"load average at end: {LoadAverage()}");
        return 0;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static void EndToEnd(int accountCount, int leadCount)
    {
        var generator = new Synthetic(42);
        var (accounts, contacts) = generator.Accounts(accountCount, contacts: true);
        var (leads, truth) = generator.Leads(accounts, leadCount);
        var folder = Path.Combine(Path.GetTempPath(), "crmguard-scale-" + accountCount.ToString(CultureInfo.InvariantCulture));
        Synthetic.WriteCsv(folder, accounts, contacts, leads);
        accounts = null!;
        contacts = null!;
        GC.Collect();

        // Warm the reference data and the JIT on a tiny run so the timing is of the work, not of start-up.
        _ = new BulkMatcher([new Account { Id = "w", Name = "Warm Up Inc", Phone = "+1 206 555 0100", Website = "warm.example.com" }], []).MatchAll([new Lead { Id = "w", Company = "Warm Up", Phone = "020 7946 0000", Country = "GB" }]);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var pause = GC.GetTotalPauseDuration();
        var watch = Stopwatch.StartNew();
        var data = MatchingDataset.Load(Path.Combine(folder, "accounts.csv"), Path.Combine(folder, "contacts.csv"), Path.Combine(folder, "leads.csv"));
        var loaded = watch.Elapsed.TotalSeconds;
        var matcher = new BulkMatcher(data.Accounts, data.Contacts);
        var indexed = watch.Elapsed.TotalSeconds;
        var decisions = matcher.MatchAll(data.Leads);
        var matched = watch.Elapsed.TotalSeconds;
        MatchDecisionCsv.WriteFile(Path.Combine(folder, "decisions.csv"), decisions);
        var total = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;

        int existing = 0, found = 0, blocked = 0, fresh = 0, falseFlags = 0, falseBlocks = 0;
        foreach (var d in decisions)
        {
            var account = truth[d.LeadId];
            if (account.Length > 0)
            {
                existing++;
                if (d.Verdict != Verdict.Allow && d.AccountId == account)
                    found++;
                if (d.Verdict == Verdict.Block && d.AccountId == account)
                    blocked++;
            }
            else
            {
                fresh++;
                if (d.Verdict != Verdict.Allow)
                    falseFlags++;
            }

            if (d.Verdict == Verdict.Block && d.AccountId != account)
                falseBlocks++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"end-to-end: {accountCount:N0} accounts + {data.Contacts.Count:N0} contacts, {leadCount:N0} leads: load {loaded:0.00} s, index {indexed - loaded:0.00} s, match {matched - indexed:0.00} s, write {total - matched:0.00} s, TOTAL {total:0.00} s (GC pauses {(GC.GetTotalPauseDuration() - pause).TotalSeconds:0.00} s, gen0/1/2 collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}; CPU {cpuSeconds:0.00} s on {Environment.ProcessorCount} cores; index: {matcher.BuildTimings})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  recall {(double)found / existing:0.000}, block recall {(double)blocked / existing:0.000}, false blocks/1000 {1000.0 * falseBlocks / decisions.Count:0.00}, false-flag rate {(double)falseFlags / fresh:0.000}"));
    }

    /// <summary>
    /// The path a save takes at scale: an embedded org of <paramref name="accountCount"/> accounts (with their contacts
    /// when asked: <c>--contacts</c>),
    /// built as <see cref="InMemoryCrmDirectory"/> builds it, then one lead at a time through every default rule.
    /// </summary>
    private static void Index(int accountCount, bool withContacts)
    {
        var generator = new Synthetic(7);
        var (accounts, contacts) = generator.Accounts(accountCount, contacts: withContacts);
        var (leads, truth) = generator.Leads(accounts, 20_000);
        var users = Enumerable.Range(0, 40).Select(i => new User { Id = "u" + i.ToString(CultureInfo.InvariantCulture), Name = "Rep " + i.ToString(CultureInfo.InvariantCulture) })
            .Append(new User { Id = "prospector", Name = "Pat Prospector" }).ToList();
        var snapshot = new Embedded.CrmSnapshot
        {
            Users = users,
            Accounts = accounts.Select((a, i) => a with { OwnerId = users[i % 40].Id, Status = AccountStatus.Customer }).ToList(),
            Contacts = contacts.Select((c, i) => c with { OwnerId = users[i % 40].Id }).ToList(),
        };
        accounts = null!;
        contacts = null!;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var pause = GC.GetTotalPauseDuration();
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        var watch = Stopwatch.StartNew();
        var directory = new Embedded.InMemoryCrmDirectory(snapshot);
        var seconds = watch.Elapsed.TotalSeconds;
        var collections = $"GC pauses {(GC.GetTotalPauseDuration() - pause).TotalSeconds:0.00} s, gen0/1/2 {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}";
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        var peak = process.PeakWorkingSet64;
        var after = GC.GetTotalMemory(true);
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"embedded org: {snapshot.Accounts.Count:N0} accounts + {snapshot.Contacts.Count:N0} contacts indexed in {seconds:0.00} s (CPU {cpuSeconds:0.00} s; {collections}; {directory.IndexTimings}); managed heap {after / 1048576.0:0} MB (records alone {before / 1048576.0:0} MB, index {(after - before) / 1048576.0:0} MB); working set {process.WorkingSet64 / 1048576.0:0} MB, peak {peak / 1048576.0:0} MB"));

        // One check at a time on one thread, after a warm-up: every default rule, as a save is checked.
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddDefaultGuards().Build();
        Check(pipeline, leads[0]);
        for (var i = 0; i < 1000; i++)
            Check(pipeline, leads[i]);
        var times = new double[leads.Count - 1000];
        int found = 0, existing = 0;
        for (var i = 1000; i < leads.Count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var result = Check(pipeline, leads[i]);
            times[i - 1000] = (Stopwatch.GetTimestamp() - start) * 1000.0 / Stopwatch.Frequency;
            if (truth[leads[i].Id].Length > 0)
            {
                existing++;
                if (result.Verdict != Verdict.Allow && result.Findings.Any(f => f.Collision?.Record.Id == truth[leads[i].Id]))
                    found++;
            }
        }

        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one check (all rules, embedded org of {snapshot.Accounts.Count:N0}): p50 {times[times.Length / 2]:0.000} ms, p99 {times[(int)(times.Length * 0.99)]:0.000} ms, max {times[^1]:0.000} ms over {times.Length:N0} leads; recall {(double)found / existing:0.000}"));
        GC.KeepAlive(directory);
    }

    private static GuardResult Check(GuardPipeline pipeline, Lead lead) =>
        pipeline.EvaluateAsync(GuardRequest.ForCreate(lead with { Id = string.Empty, OwnerId = "prospector" }, "prospector")).AsTask().GetAwaiter().GetResult();
}
