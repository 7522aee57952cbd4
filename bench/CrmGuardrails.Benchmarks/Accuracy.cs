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
        if (mode == "directory")
        {
            var directory = new InMemoryDirectory(RecordMatcher.CreateDefault(), data.Accounts, data.Contacts);
            decisions = data.Leads.Select(directory.Decide).ToList();
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

/// <summary>
/// A stand-in for the owner's in-memory directory: exact equality on each key string, as IRecordMatcher documents,
/// then MatchAccount on the candidates and the contacts sharing an email, domain or phone.
/// </summary>
internal sealed class InMemoryDirectory
{
    private readonly IRecordMatcher _matcher;
    private readonly Dictionary<string, List<Account>> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Contact>> _contacts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Account> _byId = new(StringComparer.Ordinal);

    public InMemoryDirectory(IRecordMatcher matcher, IReadOnlyList<Account> accounts, IReadOnlyList<Contact> contacts)
    {
        _matcher = matcher;
        foreach (var account in accounts)
        {
            _byId[account.Id] = account;
            var keys = matcher.GetKeys(account);
            foreach (var key in Flatten(keys))
                Add(_accounts, key, account);
        }

        foreach (var contact in contacts)
        {
            var keys = matcher.GetKeys(contact);
            foreach (var key in Flatten(keys).Where(k => !k.StartsWith("n|", StringComparison.Ordinal)))
                Add(_contacts, key, contact);
        }
    }

    public MatchDecision Decide(Lead lead)
    {
        var keys = _matcher.GetKeys(lead);
        var flat = Flatten(keys).ToList();
        var candidates = flat.SelectMany(k => _accounts.TryGetValue(k, out var l) ? l.Take(50) : []).Distinct().ToList();
        var contacts = flat.SelectMany(k => _contacts.TryGetValue(k, out var l) ? l.Take(50) : []).Distinct().ToList();
        foreach (var contact in contacts)
        {
            if (contact.AccountId is { } id && _byId.TryGetValue(id, out var account) && !candidates.Contains(account))
                candidates.Add(account);
        }

        var match = _matcher.MatchAccount(lead, candidates, contacts);
        if (match is null)
            return new MatchDecision(lead.Id, Verdict.Allow, null, 0);
        var verdict = MatchScoreBands.ToVerdict(match.Score);
        return new MatchDecision(lead.Id, verdict, verdict == Verdict.Allow ? null : match.Account.Id, match.Score);
    }

    private static IEnumerable<string> Flatten(MatchKeys keys) =>
        keys.NameKeys.Select(k => "n|" + k).Concat(keys.Domains.Select(k => "d|" + k)).Concat(keys.Phones.Select(k => "p|" + k)).Concat(keys.Emails.Select(k => "e|" + k));

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list))
            map[key] = list = [];
        list.Add(value);
    }
}
