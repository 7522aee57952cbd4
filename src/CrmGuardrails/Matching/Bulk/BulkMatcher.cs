using CrmGuardrails.Matching.Index;
using CrmGuardrails.Matching.Normalization;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Matching;

/// <summary>The decision for one lead of a bulk run.</summary>
/// <param name="LeadId">The lead's id.</param>
/// <param name="Verdict">Allow, flag or block under the <c>existing-customer</c> rule alone.</param>
/// <param name="AccountId">The matched account, or null on allow.</param>
/// <param name="Score">The best candidate's match probability (0 when there was no candidate).</param>
public sealed record MatchDecision(string LeadId, Verdict Verdict, string? AccountId, double Score);

/// <summary>
/// Matches many leads against a set of accounts and contacts held in memory (the <c>crmguard match</c> command). It
/// decides exactly as the <c>existing-customer</c> rule does against the embedded directory: the same index, the same
/// candidates (contacts that share the lead's email, domain or phone, then accounts by the rarest keys, at most
/// <see cref="MaxCandidates"/>), the same decision; only the records are not copied out. Thread-safe once built.
/// </summary>
public sealed class BulkMatcher
{
    /// <summary>The most contacts and accounts asked for per lead, as the guards ask the directory (<see cref="AccountQuery.MaxResults"/>).</summary>
    internal const int MaxCandidates = 50;

    private readonly MatchIndex _index;
    private readonly ThreadLocal<Workspace> _workspaces = new(() => new Workspace());

    /// <summary>Initializes a new instance of the <see cref="BulkMatcher"/> class and builds the index.</summary>
    /// <param name="accounts">The accounts.</param>
    /// <param name="contacts">The contacts (their emails, domains and phones tie leads to their accounts).</param>
    /// <param name="options">The options, or null for the defaults.</param>
    /// <param name="blockAtScore">The score from which a lead is blocked; <see cref="MatchScoreBands.Block"/> by default.</param>
    /// <param name="flagAtScore">The score from which a lead is flagged; <see cref="MatchScoreBands.Flag"/> by default.</param>
    public BulkMatcher(IReadOnlyList<Account> accounts, IReadOnlyList<Contact> contacts, MatchingOptions? options = null, double blockAtScore = MatchScoreBands.Block, double flagAtScore = MatchScoreBands.Flag)
    {
        BlockAtScore = blockAtScore;
        FlagAtScore = flagAtScore;
        _index = MatchIndex.Build(null, options ?? MatchingOptions.Default, accounts ?? throw new ArgumentNullException(nameof(accounts)), contacts ?? []);
    }

    /// <summary>Gets where the index build spent its time (for benchmarks).</summary>
    internal string BuildTimings => _index.BuildTimings;

    /// <summary>Gets the score from which a lead is blocked.</summary>
    public double BlockAtScore { get; }

    /// <summary>Gets the score from which a lead is flagged.</summary>
    public double FlagAtScore { get; }

    /// <summary>Gets the number of indexed accounts.</summary>
    public int AccountCount => _index.AccountCount;

    /// <summary>Finds the best account for a lead, with its evidence.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The best match, or null when no candidate has agreeing evidence.</returns>
    public AccountMatch? FindBestAccount(Lead lead)
    {
        if (lead is null)
            return null;
        var work = _workspaces.Value!;
        var features = _index.Engine.Features(lead);
        Candidates(features, work);
        return FellegiSunterMatcher.Explain(_index.Engine, features, work.Accounts, work.Contacts);
    }

    /// <summary>Decides one lead.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The decision.</returns>
    public MatchDecision Match(Lead lead)
    {
        var id = lead?.Id ?? string.Empty;
        if (lead is null)
            return new MatchDecision(id, Verdict.Allow, null, 0);
        try
        {
            var work = _workspaces.Value!;
            var features = _index.Engine.Features(lead);
            Candidates(features, work);
            var resolution = _index.Engine.Resolve(features, work.Accounts, work.Contacts);
            if (resolution.Best < 0)
                return new MatchDecision(id, Verdict.Allow, null, 0);
            var score = Math.Round(resolution.Score, 4);
            var verdict = score >= BlockAtScore && !resolution.IsOrganisation ? Verdict.Block : score >= FlagAtScore ? Verdict.Flag : Verdict.Allow;
            return new MatchDecision(id, verdict, verdict == Verdict.Allow ? null : work.Accounts[resolution.Best].Account.Id, Math.Round(score, 3));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One hostile lead must not stop a run of a hundred thousand.
            return new MatchDecision(id, Verdict.Allow, null, 0);
        }
    }

    /// <summary>Decides many leads on every core; the decisions come back in the order of the leads.</summary>
    /// <param name="leads">The leads.</param>
    /// <param name="progress">Receives the number of leads done so far, now and then (optional).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>One decision per lead, in input order.</returns>
    public IReadOnlyList<MatchDecision> MatchAll(IReadOnlyList<Lead> leads, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (leads is null)
            throw new ArgumentNullException(nameof(leads));
        var results = new MatchDecision[leads.Count];
        var done = 0;
        const int chunk = 256;
        var chunks = (leads.Count + chunk - 1) / chunk;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, chunks, parallel, c =>
        {
            var end = Math.Min(leads.Count, (c + 1) * chunk);
            for (var i = c * chunk; i < end; i++)
                results[i] = Match(leads[i]);
            var total = Interlocked.Add(ref done, end - (c * chunk));
            progress?.Report(total);
        });
        return results;
    }

    /// <summary>Lists a lead's candidates with their weights and what agreed (for benchmarks).</summary>
    internal IEnumerable<(Account Account, double Weight, string Detail)> Candidates(Lead lead)
    {
        var work = new Workspace();
        var features = _index.Engine.Features(lead);
        Candidates(features, work);
        var share = ShareCounts.Of(features, work.Accounts, work.Contacts);
        for (var i = 0; i < work.Accounts.Count; i++)
        {
            var pair = _index.Engine.Score(features, work.Accounts[i], work.Contacts[i] ?? [], share, explain: true);
            var detail = $"{pair.Name} site={pair.SiteAgrees} against={pair.LocationDisagrees}: " + string.Join("; ", pair.Evidence!.Select(e => $"{e.Field} {e.Weight}"));
            yield return (work.Accounts[i].Account, pair.Weight, detail);
        }
    }

    /// <summary>Times the phases of one lead: features, candidates, decision (Stopwatch ticks, for benchmarks).</summary>
    internal (int Candidates, long Features, long Retrieval, long Decision) ProfileLead(Lead lead)
    {
        var work = _workspaces.Value!;
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var features = _index.Engine.Features(lead);
        var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        Candidates(features, work);
        var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
        _index.Engine.Resolve(features, work.Accounts, work.Contacts);
        var t3 = System.Diagnostics.Stopwatch.GetTimestamp();
        return (work.Accounts.Count, t1 - t0, t2 - t1, t3 - t2);
    }

    /// <summary>Gets a lead's features and candidates (for benchmarks).</summary>
    internal (LeadFeatures Lead, List<AccountFeatures> Accounts, List<IReadOnlyList<ContactFeatures>?> Contacts) Gather(Lead lead)
    {
        var work = new Workspace();
        var features = _index.Engine.Features(lead);
        Candidates(features, work);
        return (features, work.Accounts, work.Contacts);
    }

    internal MatchEngine Engine => _index.Engine;

    /// <summary>Counts the candidates a lead retrieves (for benchmarks).</summary>
    internal int CandidateCount(Lead lead)
    {
        var work = _workspaces.Value!;
        Candidates(_index.Engine.Features(lead), work);
        return work.Accounts.Count;
    }

    /// <summary>
    /// The candidates of a lead, as <c>AccountMatchLookup</c> asks the embedded directory: contacts sharing its email,
    /// domains or phone; then their accounts and the accounts sharing its keys, rarest first.
    /// </summary>
    private void Candidates(LeadFeatures lead, Workspace work)
    {
        work.Clear();
        var writer = work.Writer;
        MatchEngine.WriteContactKeys(lead, writer);
        if (writer.Keys.Count > 0)
            _index.FindContacts(writer.Keys, MaxCandidates, work.ContactSlots);
        foreach (var slot in work.ContactSlots)
        {
            var accountId = _index.Contact(slot).AccountId;
            var account = string.IsNullOrEmpty(accountId) ? -1 : _index.AccountSlot(accountId!);
            if (account >= 0 && !work.FirstAccounts.Contains(account))
                work.FirstAccounts.Add(account);
        }

        writer.Clear();
        _index.Engine.WriteAccountKeys(lead, writer);
        _index.FindAccounts(writer.Keys, work.FirstAccounts, MaxCandidates, work.AccountSlots);
        foreach (var slot in work.AccountSlots)
        {
            work.Accounts.Add(_index.Account(slot));
            work.Contacts.Add(null);
        }

        foreach (var slot in work.ContactSlots)
        {
            var at = _index.Contact(slot).AccountId is { Length: > 0 } id ? work.AccountSlots.IndexOf(_index.AccountSlot(id)) : -1;
            if (at >= 0)
                ((List<ContactFeatures>?)work.Contacts[at] ?? (List<ContactFeatures>)(work.Contacts[at] = new List<ContactFeatures>())).Add(_index.ContactFeatures(slot));
        }
    }

    /// <summary>The lists one thread reuses from lead to lead.</summary>
    private sealed class Workspace
    {
        public HashKeyWriter Writer { get; } = new();

        public List<int> ContactSlots { get; } = [];

        public List<int> FirstAccounts { get; } = [];

        public List<int> AccountSlots { get; } = [];

        public List<AccountFeatures> Accounts { get; } = [];

        public List<IReadOnlyList<ContactFeatures>?> Contacts { get; } = [];

        public void Clear()
        {
            Writer.Clear();
            ContactSlots.Clear();
            FirstAccounts.Clear();
            AccountSlots.Clear();
            Accounts.Clear();
            Contacts.Clear();
        }
    }
}
