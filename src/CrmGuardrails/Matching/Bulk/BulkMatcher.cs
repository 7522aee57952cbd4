using CrmGuardrails.Matching.Bulk;
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
/// Matches many leads against a set of accounts and contacts held in memory (the <c>crmguard match</c> command): the
/// accounts are normalised and indexed once under the matcher's blocking keys, then each lead is one set of exact
/// lookups plus Fellegi-Sunter scoring of the few candidates. Thread-safe once built.
/// </summary>
public sealed class BulkMatcher
{
    /// <summary>Keys shared by more accounts than this retrieve nothing: they would not tell the accounts apart.</summary>
    private const int MaxPostings = 300;

    /// <summary>A single word shared by more accounts than this is left to the whole-name and word-pair keys.</summary>
    private const int MaxWordPostings = 40;

    private readonly MatchEngine _engine;
    private readonly AccountFeatures[] _accounts;
    private readonly ContactFeatures[]?[] _contacts;
    /// <summary>The index in shards by key hash, so that every core builds one.</summary>
    private readonly KeyIndex[] _shards;
    private readonly Func<string, int> _share;

    /// <summary>Initializes a new instance of the <see cref="BulkMatcher"/> class and builds the index.</summary>
    /// <param name="accounts">The accounts.</param>
    /// <param name="contacts">The contacts (their emails, domains and phones tie leads to their accounts).</param>
    /// <param name="options">The options, or null for the defaults.</param>
    /// <param name="blockAtScore">The score from which a lead is blocked; <see cref="MatchScoreBands.Block"/> by default.</param>
    /// <param name="flagAtScore">The score from which a lead is flagged; <see cref="MatchScoreBands.Flag"/> by default.</param>
    public BulkMatcher(IReadOnlyList<Account> accounts, IReadOnlyList<Contact> contacts, MatchingOptions? options = null, double blockAtScore = MatchScoreBands.Block, double flagAtScore = MatchScoreBands.Flag)
    {
        if (accounts is null)
            throw new ArgumentNullException(nameof(accounts));
        contacts ??= [];
        BlockAtScore = blockAtScore;
        FlagAtScore = flagAtScore;
        options ??= MatchingOptions.Default;

#if NET8_0_OR_GREATER
        var pauses = GC.GetTotalPauseDuration();
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
#endif
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var seed = new MatchEngine(options, TokenStatistics.Default);
        var features = new AccountFeatures[accounts.Count];
        Parallel.For(0, accounts.Count, i => features[i] = seed.Features(accounts[i] ?? new Account()));
        var t1 = watch.Elapsed.TotalSeconds;
        _engine = new MatchEngine(options, TokenStatistics.FromNamesInParallel(Array.ConvertAll(features, f => f.Name)));
        var t2 = watch.Elapsed.TotalSeconds;
        _accounts = features;

        var byId = new Dictionary<string, int>(accounts.Count, StringComparer.Ordinal);
        for (var i = 0; i < features.Length; i++)
        {
            if (features[i].Account.Id.Length > 0)
                byId[features[i].Account.Id] = i;
        }

        // Name keys depend on the corpus statistics, so they are computed after them; only their hashes are kept,
        // computed without building the key strings, in blocks of accounts (not one small array per account).
        const int block = 512;
        var blocks = (features.Length + block - 1) / block;
        var blockKeys = new ulong[blocks][];
        var blockOffsets = new int[blocks][];
        Parallel.For(0, blocks, b =>
        {
            var from = b * block;
            var to = Math.Min(features.Length, from + block);
            var list = new List<ulong>((to - from) * 12);
            var offsets = new int[to - from + 1];
            for (var i = from; i < to; i++)
            {
                var f = features[i];
                _engine.NameKeyHashes(f.Name, list);
                foreach (var domain in f.Domains)
                    list.Add(KeyIndex.Hash("d:", domain));
                foreach (var phone in f.Phones)
                    KeyIndex.AddPhoneKeys(phone, list);
                if (f.Email.Length > 0)
                    list.Add(KeyIndex.Hash("e:", f.Email));
                offsets[i - from + 1] = list.Count;
            }

            blockKeys[b] = list.ToArray();
            blockOffsets[b] = offsets;
        });

        // Contacts: features and key hashes on every core; the index gets them after the accounts, in contact order.
        var t3 = watch.Elapsed.TotalSeconds;
        var contactFeatures = new ContactFeatures?[contacts.Count];
        var contactAccount = new int[contacts.Count];
        var contactBlocks = (contacts.Count + block - 1) / block;
        var contactKeys = new ulong[contactBlocks][];
        var contactOffsets = new int[contactBlocks][];
        Parallel.For(0, contactBlocks, b =>
        {
            var from = b * block;
            var to = Math.Min(contacts.Count, from + block);
            var list = new List<ulong>((to - from) * 4);
            var offsets = new int[to - from + 1];
            for (var i = from; i < to; i++)
            {
                var contact = contacts[i];
                if (contact?.AccountId is { } accountId && byId.TryGetValue(accountId, out var account))
                {
                    var c = _engine.Features(contact, features[account].Account.Country);
                    contactFeatures[i] = c;
                    contactAccount[i] = account;
                    if (c.Email.Length > 0)
                        list.Add(KeyIndex.Hash("e:", c.Email));
                    if (c.Domain.Length > 0)
                        list.Add(KeyIndex.Hash("d:", c.Domain));
                    KeyIndex.AddPhoneKeys(c.Phone, list);
                }

                offsets[i - from + 1] = list.Count;
            }

            contactKeys[b] = list.ToArray();
            contactOffsets[b] = offsets;
        });

        var t4 = watch.Elapsed.TotalSeconds;
        var shardCount = Math.Max(1, Math.Min(8, Environment.ProcessorCount));
        _shards = new KeyIndex[shardCount];
        Parallel.For(0, shardCount, shard =>
        {
            var mine = CountShard(blockKeys, shard, shardCount) + CountShard(contactKeys, shard, shardCount);
            // Most keys belong to one account: sized for all, the tables never grow (growing doubles them for a while).
            var index = new KeyIndex(mine, mine);
            AddBlocks(index, shard, shardCount, blockKeys, blockOffsets, block, null);
            AddBlocks(index, shard, shardCount, contactKeys, contactOffsets, block, contactAccount);
            _shards[shard] = index;
        });

        // The key blocks are no longer needed: drop them before the shards lay their postings out.
        blockKeys = [];
        blockOffsets = [];
        contactKeys = [];
        contactOffsets = [];
        Parallel.For(0, shardCount, shard => _shards[shard].Freeze());

        var t5 = watch.Elapsed.TotalSeconds;
        var contactLists = new List<ContactFeatures>?[features.Length];
        for (var i = 0; i < contactFeatures.Length; i++)
        {
            if (contactFeatures[i] is { } c)
                (contactLists[contactAccount[i]] ??= []).Add(c);
        }

        _contacts = contactLists.Select(l => l?.ToArray()).ToArray();
        _share = Share;
#if NET8_0_OR_GREATER
        var gc = $", GC pauses {(GC.GetTotalPauseDuration() - pauses).TotalSeconds:0.00} s, gen0/1/2 {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}";
#else
        var gc = string.Empty;
#endif
        BuildTimings = $"features {t1:0.00} s, statistics {t2 - t1:0.00} s, keys {t3 - t2:0.00} s, contacts {t4 - t3:0.00} s, index {t5 - t4:0.00} s, lists {watch.Elapsed.TotalSeconds - t5:0.00} s{gc}";
    }

    private static int CountShard(ulong[][] keys, int shard, int shardCount)
    {
        var count = 0;
        foreach (var hashes in keys)
        {
            foreach (var key in hashes)
            {
                if ((int)(key % (ulong)shardCount) == shard)
                    count++;
            }
        }

        return count;
    }

    /// <summary>Adds the key hashes of one shard, block by block in record order.</summary>
    /// <param name="accountOf">The account of each record (contacts), or null when records are the accounts.</param>
    private static void AddBlocks(KeyIndex index, int shard, int shardCount, ulong[][] keys, int[][] offsets, int block, int[]? accountOf)
    {
        for (var b = 0; b < keys.Length; b++)
        {
            var hashes = keys[b];
            var bounds = offsets[b];
            for (var r = 0; r + 1 < bounds.Length; r++)
            {
                var record = (b * block) + r;
                var account = accountOf is null ? record : accountOf[record];
                for (var k = bounds[r]; k < bounds[r + 1]; k++)
                {
                    var key = hashes[k];
                    if ((int)(key % (ulong)shardCount) == shard)
                        index.Add(key, account);
                }
            }
        }
    }

    private int Count(string key) => Count(KeyIndex.Hash(key));

    private int Count(ulong hash) => _shards[(int)(hash % (ulong)_shards.Length)].Count(hash);

    private void Collect(ulong hash, int max, HashSet<int> into) => _shards[(int)(hash % (ulong)_shards.Length)].Collect(hash, max, into);

    /// <summary>Gets where the index build spent its time (for benchmarks).</summary>
    internal string BuildTimings { get; } = string.Empty;

    /// <summary>Gets the score from which a lead is blocked.</summary>
    public double BlockAtScore { get; }

    /// <summary>Gets the score from which a lead is flagged.</summary>
    public double FlagAtScore { get; }

    /// <summary>Gets the number of indexed accounts.</summary>
    public int AccountCount => _accounts.Length;

    /// <summary>Finds the best account for a lead, with its evidence.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The best match, or null when no candidate has agreeing evidence.</returns>
    public AccountMatch? FindBestAccount(Lead lead)
    {
        var (best, features, _) = Best(lead);
        if (best < 0 || features is null)
            return null;
        var scored = _engine.Score(features, _accounts[best], (IReadOnlyList<ContactFeatures>?)_contacts[best] ?? [], _share, explain: true);
        return scored.Evidence!.Exists(e => e.Weight > 0) ? new AccountMatch(_accounts[best].Account, Math.Round(scored.Score, 4), scored.Evidence) : null;
    }

    /// <summary>Decides one lead.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The decision.</returns>
    public MatchDecision Match(Lead lead)
    {
        var id = lead?.Id ?? string.Empty;
        var (best, _, score) = Best(lead);
        if (best < 0)
            return new MatchDecision(id, Verdict.Allow, null, 0);
        var verdict = score >= BlockAtScore ? Verdict.Block : score >= FlagAtScore ? Verdict.Flag : Verdict.Allow;
        return new MatchDecision(id, verdict, verdict == Verdict.Allow ? null : _accounts[best].Account.Id, Math.Round(score, 3));
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

    /// <summary>Counts the candidates a lead retrieves (for benchmarks).</summary>
    internal int CandidateCount(Lead lead) => Candidates(_engine.Features(lead)).Count;

    /// <summary>Times the phases of one lead: features, candidates, scoring (Stopwatch ticks, for benchmarks).</summary>
    internal (int Candidates, long Features, long Retrieval, long Scoring) ProfileLead(Lead lead)
    {
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var features = _engine.Features(lead);
        var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        var candidates = Candidates(features);
        var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var candidate in candidates)
            _engine.Score(features, _accounts[candidate], (IReadOnlyList<ContactFeatures>?)_contacts[candidate] ?? [], _share, explain: false);
        var t3 = System.Diagnostics.Stopwatch.GetTimestamp();
        return (candidates.Count, t1 - t0, t2 - t1, t3 - t2);
    }

    /// <summary>Lists a lead's keys and how many accounts share each (for benchmarks).</summary>
    internal IEnumerable<(string Key, int Count)> KeyCounts(Lead lead)
    {
        var features = _engine.Features(lead);
        var keys = _engine.NameKeys(features.Name).Concat(features.Domains.Select(d => "d:" + d)).Concat(MatchEngine.PhoneKeys(features.Phone).Select(p => "p:" + p));
        return keys.Select(k => (k, Count(k))).ToList();
    }

    private HashSet<int> Candidates(LeadFeatures features)
    {
        var candidates = new HashSet<int>();
        var keys = new List<ulong>(16);
        var words = _engine.NameKeyHashes(features.Name, keys);
        for (var i = 0; i < keys.Count; i++)
            Collect(keys[i], i >= words ? MaxWordPostings : MaxPostings, candidates);
        keys.Clear();
        foreach (var domain in features.Domains)
            keys.Add(KeyIndex.Hash("d:", domain));
        KeyIndex.AddPhoneKeys(features.Phone, keys);
        if (features.Email.Length > 0)
            keys.Add(KeyIndex.Hash("e:", features.Email));
        foreach (var key in keys)
            Collect(key, MaxPostings, candidates);
        return candidates;
    }

    private (int Best, LeadFeatures? Features, double Score) Best(Lead? lead)
    {
        if (lead is null)
            return (-1, null, 0);
        try
        {
            var features = _engine.Features(lead);
            var candidates = Candidates(features);

            var best = -1;
            PairScore bestScore = default;
            foreach (var candidate in candidates)
            {
                var score = _engine.Score(features, _accounts[candidate], (IReadOnlyList<ContactFeatures>?)_contacts[candidate] ?? [], _share, explain: false);
                if (best < 0 || score.Weight > bestScore.Weight || (score.Weight == bestScore.Weight && candidate < best))
                {
                    best = candidate;
                    bestScore = score;
                }
            }

            return (best, features, best < 0 ? 0 : bestScore.Score);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One hostile lead must not stop a run of a hundred thousand.
            return (-1, null, 0);
        }
    }

    private int Share(string key)
    {
        if (key.Length == 0)
            return 1;
        var prefix = key[0] is '+' or '#' || key.StartsWith(PhoneNormalizer.SwitchboardPrefix, StringComparison.Ordinal) ? "p:" : "d:";
        return Math.Max(1, Count(KeyIndex.Hash(prefix, key)));
    }
}
