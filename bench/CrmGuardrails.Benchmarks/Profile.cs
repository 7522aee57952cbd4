using System.Diagnostics;
using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Normalization;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Benchmarks;

/// <summary>Per-stage costs of normalisation and matching (microseconds per record), to find hot spots.</summary>
internal static class Profile
{
    public static int Run()
    {
        var (accounts, _) = new Synthetic(3).Accounts(100_000, contacts: false);
        var engine = new MatchEngine(MatchingOptions.Default, TokenStatistics.Default);
        Time("warm", accounts.Take(1000).ToList(), a => engine.Features(a));
        Time("company name", accounts, a => CompanyNameNormalizer.Normalize(a.Name));
        Time("website domain", accounts, a => DomainNormalizer.RegistrableDomain(DomainNormalizer.HostOfWebsite(a.Website)));
        Time("phone", accounts, a => PhoneNormalizer.ToE164(a.Phone, a.Country, "US"));
        Time("email", accounts, a => DomainNormalizer.NormalizeEmail(a.Email));
        Time("address", accounts, a => AddressNormalizer.Normalize(a.Street, a.City, a.PostalCode, a.Country));
        Time("features", accounts, a => engine.Features(a));
        var names = accounts.Select(a => CompanyNameNormalizer.Normalize(a.Name)).ToList();
        Time("name keys", names, n => engine.NameKeys(n));
        var corpus = TokenStatistics.FromNames(names);
        Time("bits per name", names, n => { double sum = 0; foreach (var t in n.Tokens) sum += corpus.Bits(t); return sum; });
        Time("edit distance", names, n => EditDistance.Within(n.Compact, "kamirologistics", 2));
        var features = accounts.Select(engine.Features).ToList();
        Time("score pair", features, f => engine.Score(engine.Features(new Lead { Company = "Kamiro Logistics", Phone = "+1 206 555 0101" }), f, [], _ => 1, false));
        var watch = Stopwatch.StartNew();
        var matcher = new BulkMatcher(accounts, []);
        Console.WriteLine($"bulk index: {watch.Elapsed.TotalSeconds:0.00} s");
        var gen = new Synthetic(5);
        var (acc2, con2) = gen.Accounts(200_000, contacts: true);
        var (leads, _) = gen.Leads(acc2, 10_000);
        watch.Restart();
        var m2 = new BulkMatcher(acc2, con2);
        Console.WriteLine($"bulk index 200k+contacts: {watch.Elapsed.TotalSeconds:0.00} s: {m2.BuildTimings}");
        watch.Restart();
        foreach (var lead in leads)
            m2.Match(lead);
        Console.WriteLine($"10k leads sequential: {watch.Elapsed.TotalSeconds:0.00} s");
        Time("lead features", leads, l => engine.Features(l));
        Time("lead candidates", leads, l => m2.CandidateCount(l));
        Time("lead match", leads, l => m2.Match(l));
        long f = 0, r = 0, sc = 0, n = 0;
        foreach (var lead in leads)
        {
            var p = m2.ProfileLead(lead);
            (f, r, sc, n) = (f + p.Features, r + p.Retrieval, sc + p.Scoring, n + p.Candidates);
        }

        var us = 1e6 / Stopwatch.Frequency / leads.Count;
        Console.WriteLine($"per lead: features {f * us:0.00} us, retrieval {r * us:0.00} us, scoring {sc * us:0.00} us over {(double)n / leads.Count:0.0} candidates");
        watch.Restart();
        m2.MatchAll(leads);
        Console.WriteLine($"10k leads parallel: {watch.Elapsed.TotalSeconds:0.00} s");
        var withCandidates = leads.Take(2000).Select(l => m2.CandidateCount(l)).OrderBy(c => c).ToList();
        foreach (var lead in leads.Take(300).Where(l => m2.CandidateCount(l) > 200).Take(3))
            Console.WriteLine(lead.Company + " | " + lead.Phone + " | " + string.Join("; ", m2.KeyCounts(lead).Select(k => k.Key + "=" + k.Count)));
        Console.WriteLine($"candidates p50 {withCandidates[1000]} p90 {withCandidates[1800]} max {withCandidates[^1]}");
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
                Console.WriteLine($"{what,-16} {watch.Elapsed.TotalMilliseconds * 1000 / items.Count,8:0.00} us {(GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)items.Count,8:0} B");
        }
    }
}
