using System.Globalization;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Benchmarks;

/// <summary><c>explain FOLDER LEAD_ID...</c>: the candidates of leads of a bench folder, each with its weight and evidence.</summary>
internal static class Explain
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: explain FOLDER LEAD_ID...");
            return 2;
        }

        var folder = args[0];
        var data = MatchingDataset.Load(Path.Combine(folder, "accounts.csv"), Path.Combine(folder, "contacts.csv"), Path.Combine(folder, "leads.csv"));
        var matcher = new BulkMatcher(data.Accounts, data.Contacts);
        var truth = Accuracy.ReadTruth(Path.Combine(folder, "truth.csv"));
        foreach (var id in args.Skip(1))
        {
            var lead = data.Leads.FirstOrDefault(l => l.Id == id);
            if (lead is null)
                continue;
            Console.WriteLine($"{id}: {lead.Company} | {lead.Email} | {lead.Phone} | {lead.Website} | {lead.Street} | {lead.City} | {lead.Country}   truth {(truth.TryGetValue(id, out var t) ? t.Account + " " + t.Variant : "?")}");
            var decision = matcher.Match(lead);
            Console.WriteLine($"  decision {decision.Verdict} {decision.AccountId} {decision.Score}");
            foreach (var (account, weight, pair) in matcher.Candidates(lead).OrderByDescending(c => c.Weight).Take(8))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {weight,7:0.00} {account.Id} {account.Name} | {account.Website} | {account.Phone} | {account.Street} | {account.City} [{pair}]"));
            }
        }

        return 0;
    }
}
