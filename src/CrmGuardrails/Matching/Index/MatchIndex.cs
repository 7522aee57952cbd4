using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Matching.Index;

/// <summary>
/// Accounts and contacts normalised once and indexed under their match keys, and the one way candidates are found
/// for a lead: keys taken rarest first (an email, a domain, a phone before a common word), so that a common word
/// never crowds out the account that shares the lead's domain. The embedded directory and <c>crmguard match</c>
/// both ask it, so the guards and the bulk run see the same candidates.
/// </summary>
/// <remarks>
/// Built in bulk on every core, then changed record by record (<see cref="Upsert(Account)"/>). Not thread-safe for
/// writers: the embedded directory serialises access; the bulk matcher only reads.
/// </remarks>
internal sealed class MatchIndex
{
    /// <summary>Records per block of keys: small enough that a block's key list stays off the large-object heap.</summary>
    private const int Block = 128;

    private readonly List<AccountFeatures?> _accounts = [];
    private readonly Dictionary<string, int> _accountSlots;
    // Contacts are kept as records: a lead meets few of them, and their features are quicker to make again than to
    // keep for every contact of a large org.
    private readonly List<Contact?> _contacts = [];
    private readonly Dictionary<string, int> _contactSlots;
    // Open leads only: a duplicate is looked for among them alone, and a closed lead leaves its slot empty.
    private readonly List<LeadFeatures?> _leads = [];
    private readonly Dictionary<string, int> _leadSlots = new(StringComparer.Ordinal);
    private readonly KeyIndex[] _accountKeys;
    private readonly KeyIndex[] _contactKeys;
    private readonly KeyIndex[] _leadKeys;
    private readonly Func<int, bool> _liveAccount;
    private readonly Func<int, bool> _liveContact;
    private readonly Func<int, bool> _liveLead;
    // The keys of one lookup, ranked: a list per thread, reused from lookup to lookup (a run makes hundreds of thousands).
    private readonly ThreadLocal<List<(int Count, MatchKey Key, KeyIndex.Postings Postings)>> _ranked = new(() => []);
    private int _deadAccounts;
    private int _deadContacts;
    private int _deadLeads;

    private MatchIndex(MatchEngine engine, int shardCount, Dictionary<string, int>? accountSlots = null, int contactCount = 0)
    {
        Engine = engine;
        _accountSlots = accountSlots ?? new(StringComparer.Ordinal);
        _contactSlots = new(contactCount, StringComparer.Ordinal);
        _accountKeys = new KeyIndex[shardCount];
        _contactKeys = new KeyIndex[shardCount];
        _leadKeys = new KeyIndex[shardCount];
        _liveAccount = slot => _accounts[slot] is not null;
        _liveContact = slot => _contacts[slot] is not null;
        _liveLead = slot => _leads[slot] is not null;
    }

    public MatchEngine Engine { get; }

    /// <summary>Gets the number of accounts.</summary>
    public int AccountCount => _accountSlots.Count;

    /// <summary>Gets where building spent its time (for benchmarks).</summary>
    public string BuildTimings { get; private set; } = string.Empty;

    public AccountFeatures Account(int slot) => _accounts[slot] ?? throw new ArgumentOutOfRangeException(nameof(slot));

    public Contact Contact(int slot) => _contacts[slot] ?? throw new ArgumentOutOfRangeException(nameof(slot));

    public LeadFeatures LeadFeatures(int slot) => _leads[slot] ?? throw new ArgumentOutOfRangeException(nameof(slot));

    /// <summary>Normalises a contact as its keys were made: phones read with its account's country.</summary>
    public ContactFeatures ContactFeatures(int slot)
    {
        var contact = Contact(slot);
        return Engine.Features(contact, CountryOf(contact, _accountSlots, _accounts));
    }

    /// <summary>The country of a contact's account (its phone is read with it), or null.</summary>
    private static string? CountryOf(Contact contact, Dictionary<string, int> slots, IReadOnlyList<AccountFeatures?> accounts) =>
        contact.AccountId is { } accountId && slots.TryGetValue(accountId, out var account) ? accounts[account]?.Account.Country : null;

    /// <summary>The keys of a contact: its email, domain and phone, and its account.</summary>
    private static void WriteContactKeys(Contact contact, ContactFeatures features, KeyWriter writer)
    {
        MatchEngine.WriteKeys(features, writer);
        writer.Add("c:", contact.AccountId ?? string.Empty, KeyKind.Account);
    }

    /// <summary>Gets the live slot of an account, or -1.</summary>
    public int AccountSlot(string id) => _accountSlots.TryGetValue(id, out var slot) ? slot : -1;

    /// <summary>Gets the features of an account if this index holds that very record.</summary>
    public AccountFeatures? Find(Account account) =>
        _accountSlots.TryGetValue(account.Id, out var slot) && _accounts[slot] is { } found && ReferenceEquals(found.Account, account) ? found : null;

    /// <summary>Gets the features of a lead if this index holds that very record (an open lead).</summary>
    public LeadFeatures? Find(Lead lead) =>
        _leadSlots.TryGetValue(lead.Id, out var slot) && _leads[slot] is { } found && ReferenceEquals(found.Lead, lead) ? found : null;

    /// <summary>Normalises and indexes accounts and contacts on every core.</summary>
    /// <param name="engine">
    /// The engine whose keys and features the index holds, or null for one that weighs name words by how often the
    /// accounts use them (<see cref="RecordMatcher.Create(IEnumerable{Account}, MatchingOptions)"/>).
    /// </param>
    /// <param name="options">The options of the engine made when <paramref name="engine"/> is null.</param>
    /// <param name="accounts">The accounts (ids should be unique; a repeated id keeps the last).</param>
    /// <param name="contacts">The contacts; their phones are read with their account's country.</param>
    /// <param name="leads">The leads; the open ones are indexed under the keys that find a lead's accounts.</param>
    public static MatchIndex Build(MatchEngine? engine, MatchingOptions options, IReadOnlyList<Account> accounts, IReadOnlyList<Contact> contacts, IReadOnlyList<Lead>? leads = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var shardCount = Math.Max(1, Math.Min(8, Environment.ProcessorCount));

        // Features do not depend on word statistics, and the statistics come from the features' names: normalise once.
        var reader = engine ?? new MatchEngine(options, TokenStatistics.Default);
        var accountFeatures = new AccountFeatures[accounts.Count];
        var parentNames = ParentNames(accounts);
        Parallel.For(0, accounts.Count, i =>
            accountFeatures[i] = reader.Features(accounts[i] ?? new Account(), ParentNameOf(accounts[i], parentNames)));
        var t0 = watch.Elapsed.TotalSeconds;
        engine ??= new MatchEngine(options, TokenStatistics.FromNamesInParallel(Array.ConvertAll(accountFeatures, f => f.Name)));
        var ts = watch.Elapsed.TotalSeconds;
        var accountBlocks = Blocks(accounts.Count, 40, (i, writer) => engine.WriteKeys(accountFeatures[i], writer));
        var t1 = watch.Elapsed.TotalSeconds;

        var byId = new Dictionary<string, int>(accounts.Count, StringComparer.Ordinal);
        for (var i = 0; i < accountFeatures.Length; i++)
            byId[accountFeatures[i].Account.Id] = i;
        foreach (var features in accountFeatures)
        {
            if (features.ParentId is { } parentId && byId.TryGetValue(parentId, out var parent))
                features.ParentDomains = accountFeatures[parent].Domains;
        }

        var contactBlocks = Blocks(contacts.Count, 6, (i, writer) =>
        {
            if (contacts[i] is { } contact)
                WriteContactKeys(contact, engine.Features(contact, CountryOf(contact, byId, accountFeatures)), writer);
        });
        var t2 = watch.Elapsed.TotalSeconds;

        var openLeads = (leads ?? []).Where(IsOpen).ToList();
        var leadFeatures = new LeadFeatures[openLeads.Count];
        var leadBlocks = Blocks(openLeads.Count, 40, (i, writer) => engine.WriteOpenLeadKeys(leadFeatures[i] = engine.Features(openLeads[i]), writer));
        var t3 = watch.Elapsed.TotalSeconds;

        var index = new MatchIndex(engine, shardCount, byId, contacts.Count);
        var kinds = new[] { (accountBlocks, index._accountKeys), (contactBlocks, index._contactKeys), (leadBlocks, index._leadKeys) };
        Parallel.For(0, shardCount * kinds.Length, task =>
        {
            var (blocks, shards) = kinds[task / shardCount];
            var shard = task % shardCount;
            shards[shard] = Fill(blocks, shard, shardCount);
        });

        // The slots by id are byId as it stands: the last account of an id is the live one.
        index._accounts.AddRange(accountFeatures);
        for (var i = 0; i < accountFeatures.Length; i++)
        {
            if (byId[accountFeatures[i].Account.Id] != i)
            {
                index._accounts[i] = null;
                index._deadAccounts++;
            }
        }

        index._contacts.AddRange(contacts);
        for (var i = 0; i < contacts.Count; i++)
        {
            if (contacts[i] is { } contact)
            {
                if (index._contactSlots.TryGetValue(contact.Id, out var earlier))
                {
                    index._contacts[earlier] = null;
                    index._deadContacts++;
                }

                index._contactSlots[contact.Id] = i;
            }
            else
            {
                index._deadContacts++;
            }
        }

        index._leads.AddRange(leadFeatures);
        for (var i = 0; i < leadFeatures.Length; i++)
        {
            if (index._leadSlots.TryGetValue(leadFeatures[i].Lead.Id, out var earlier))
            {
                index._leads[earlier] = null;
                index._deadLeads++;
            }

            index._leadSlots[leadFeatures[i].Lead.Id] = i;
        }

        index.BuildTimings = $"account features {t0:0.00} s, statistics {ts - t0:0.00} s, account keys {t1 - ts:0.00} s, accounts {t1:0.00} s, contacts {t2 - t1:0.00} s, leads {t3 - t2:0.00} s, index {watch.Elapsed.TotalSeconds - t3:0.00} s";
        return index;
    }

    /// <summary>The names of the accounts that are some account's parent, by id (null when no account has a parent).</summary>
    private static Dictionary<string, string>? ParentNames(IReadOnlyList<Account> accounts)
    {
        HashSet<string>? parents = null;
        foreach (var account in accounts)
        {
            if (account is { ParentId.Length: > 0, ParentName: null })
                (parents ??= new HashSet<string>(StringComparer.Ordinal)).Add(account.ParentId);
        }

        if (parents is null)
            return null;
        var names = new Dictionary<string, string>(parents.Count, StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            if (account is not null && parents.Contains(account.Id))
                names[account.Id] = account.Name;
        }

        return names;
    }

    /// <summary>The name of an account's parent among the accounts, when the account does not give it; else null.</summary>
    private static string? ParentNameOf(Account? account, Dictionary<string, string>? parentNames) =>
        parentNames is not null && account is { ParentId.Length: > 0, ParentName: null } && parentNames.TryGetValue(account.ParentId, out var name) ? name : null;

    /// <summary>
    /// The keys of records in blocks (one array per block, not one per record, cut to size from one writer per thread),
    /// computed on every core.
    /// </summary>
    private static (MatchKey[] Keys, int[] Offsets)[] Blocks(int count, int keysPerRecord, Action<int, HashKeyWriter> write)
    {
        var blocks = new (MatchKey[], int[])[(count + Block - 1) / Block];
        Parallel.For(
            0,
            blocks.Length,
            () => new HashKeyWriter(Block * keysPerRecord),
            (b, _, writer) =>
            {
                writer.Clear();
                var from = b * Block;
                var to = Math.Min(count, from + Block);
                var offsets = new int[to - from + 1];
                for (var i = from; i < to; i++)
                {
                    writer.NextRecord();
                    write(i, writer);
                    offsets[i - from + 1] = writer.Keys.Count;
                }

                blocks[b] = (writer.Keys.ToArray(), offsets);
                return writer;
            },
            _ => { });
        return blocks;
    }

    /// <summary>Builds one shard (the keys whose hash falls to it), block by block in record order.</summary>
    private static KeyIndex Fill((MatchKey[] Keys, int[] Offsets)[] blocks, int shard, int shardCount)
    {
        var mine = 0;
        foreach (var (keys, _) in blocks)
        {
            foreach (var key in keys)
            {
                if (ShardOf(key.Hash, shardCount) == shard)
                    mine++;
            }
        }

        // Sized for three quarters of the postings (about 70 % of keys are distinct: 2.3 million keys for 3.2 million
        // postings of the large set's accounts), grown only if more are: a table sized for every posting doubles (a
        // power of two) when a few more keys per record push the count past one.
        var index = new KeyIndex(mine * 3 / 4, mine);
        for (var b = 0; b < blocks.Length; b++)
        {
            var (keys, offsets) = blocks[b];
            for (var r = 0; r + 1 < offsets.Length; r++)
            {
                for (var k = offsets[r]; k < offsets[r + 1]; k++)
                {
                    if (ShardOf(keys[k].Hash, shardCount) == shard)
                        index.Add(keys[k].Hash, (b * Block) + r);
                }
            }
        }

        index.Freeze();
        return index;
    }

    /// <summary>Adds or replaces an account.</summary>
    public void Upsert(Account account)
    {
        var parent = account.ParentId is { Length: > 0 } parentId && _accountSlots.TryGetValue(parentId, out var slot) ? _accounts[slot] : null;
        var features = Engine.Features(account, account.ParentName is null ? parent?.Account.Name : null);
        features.ParentDomains = parent?.Domains ?? [];
        if (_accountSlots.TryGetValue(account.Id, out var old))
        {
            _accounts[old] = null;
            _deadAccounts++;
        }

        _accountSlots[account.Id] = _accounts.Count;
        AddKeys(_accountKeys, _accounts.Count, writer => Engine.WriteKeys(features, writer));
        _accounts.Add(features);
    }

    /// <summary>Adds or replaces a contact.</summary>
    public void Upsert(Contact contact)
    {
        var features = Engine.Features(contact, CountryOf(contact, _accountSlots, _accounts));
        if (_contactSlots.TryGetValue(contact.Id, out var old))
        {
            _contacts[old] = null;
            _deadContacts++;
        }

        _contactSlots[contact.Id] = _contacts.Count;
        AddKeys(_contactKeys, _contacts.Count, writer => WriteContactKeys(contact, features, writer));
        _contacts.Add(contact);
    }

    /// <summary>Adds, replaces or (when it is no longer open) removes a lead.</summary>
    public void Upsert(Lead lead)
    {
        if (_leadSlots.TryGetValue(lead.Id, out var old))
        {
            _leads[old] = null;
            _deadLeads++;
            _leadSlots.Remove(lead.Id);
        }

        if (!IsOpen(lead))
            return;
        var features = Engine.Features(lead);
        _leadSlots[lead.Id] = _leads.Count;
        AddKeys(_leadKeys, _leads.Count, writer => Engine.WriteOpenLeadKeys(features, writer));
        _leads.Add(features);
    }

    /// <summary>Indexes one record added after the build under the keys <paramref name="write"/> writes.</summary>
    private static void AddKeys(KeyIndex[] shards, int slot, Action<HashKeyWriter> write)
    {
        var writer = new HashKeyWriter();
        write(writer);
        foreach (var key in writer.Keys)
            Shard(shards, key.Hash).Add(key.Hash, slot);
    }

    /// <summary>Finds open leads sharing a key with the query, rarest keys first, at most <paramref name="max"/>.</summary>
    public void FindLeads(IReadOnlyList<MatchKey> keys, int max, List<int> into) =>
        Collect(_leadKeys, _deadLeads == 0 ? null : _liveLead, keys, max, into);

    private static bool IsOpen(Lead? lead) => lead is { Status: LeadStatus.Open } && !string.IsNullOrEmpty(lead.Id);

    /// <summary>Finds contacts sharing a key with the query, rarest keys first, at most <paramref name="max"/>.</summary>
    public void FindContacts(IReadOnlyList<MatchKey> keys, int max, List<int> into) =>
        Collect(_contactKeys, _deadContacts == 0 ? null : _liveContact, keys, max, into);

    /// <summary>
    /// Finds candidate accounts: <paramref name="first"/> (accounts of contacts that share a key with the lead), then
    /// accounts sharing the rarest keys, at most <paramref name="max"/> in all.
    /// </summary>
    public void FindAccounts(IReadOnlyList<MatchKey> keys, IReadOnlyList<int> first, int max, List<int> into)
    {
        foreach (var slot in first)
        {
            if (into.Count >= max)
                return;
            if (_accounts[slot] is not null && !into.Contains(slot))
                into.Add(slot);
        }

        Collect(_accountKeys, _deadAccounts == 0 ? null : _liveAccount, keys, max, into);
    }

    /// <summary>
    /// The retrieval rule: keys ordered by how many live records share them (fewest first; kind, then hash, break ties),
    /// keys shared by more than their kind allows skipped, near spellings and shapes asked only as
    /// <see cref="MatchKey.Asks"/> says, and records added key by key, in index order, while a key's records all fit under
    /// <paramref name="max"/>. It depends on the keys as a set, not on the order they came in.
    /// </summary>
    private void Collect(KeyIndex[] shards, Func<int, bool>? live, IReadOnlyList<MatchKey> keys, int max, List<int> into)
    {
        var ranked = _ranked.Value!;
        ranked.Clear();
        bool nameFound = false, nearFound = false;
        for (var pass = 0; pass < MatchKey.Passes && MatchKey.Asks(pass, nameFound, nearFound); pass++)
        {
            for (var k = 0; k < keys.Count; k++)
            {
                var key = keys[k];
                if (key.Pass != pass)
                    continue;
                var postings = Shard(shards, key.Hash).Find(key.Hash);
                if (postings.Count == 0)
                    continue;
                var count = postings.CountLive(live, key.MaxPostings);
                if (count == 0 || Contains(ranked, key.Hash))
                    continue;
                nameFound |= key.Kind == KeyKind.Name;
                if (count <= key.MaxPostings)
                {
                    ranked.Add((count, key, postings));
                    nearFound |= key.Kind == KeyKind.Typo;
                }
            }
        }

        ranked.Sort(static (a, b) => a.Count != b.Count ? a.Count.CompareTo(b.Count) : a.Key.Kind != b.Key.Kind ? ((int)a.Key.Kind).CompareTo((int)b.Key.Kind) : a.Key.Hash.CompareTo(b.Key.Hash));
        foreach (var (count, _, postings) in ranked)
        {
            // A key is taken whole or not at all (past the first): part of a common word's accounts is an arbitrary part.
            if (into.Count > 0 && count > max - into.Count)
                break;
            for (var i = 0; i < postings.Count; i++)
            {
                if (into.Count >= max)
                    return;
                var slot = postings[i];
                if ((live is null || live(slot)) && !into.Contains(slot))
                    into.Add(slot);
            }
        }

        static bool Contains(List<(int Count, MatchKey Key, KeyIndex.Postings Postings)> ranked, ulong hash)
        {
            foreach (var entry in ranked)
            {
                if (entry.Key.Hash == hash)
                    return true;
            }

            return false;
        }
    }

    private static KeyIndex Shard(KeyIndex[] shards, ulong hash) => shards[ShardOf(hash, shards.Length)];

    /// <summary>The shard of a key: its hash's high half scaled to the count (a multiply, where a 64-bit remainder is a slow divide).</summary>
    private static int ShardOf(ulong hash, int shardCount) => (int)(((hash >> 32) * (ulong)shardCount) >> 32);
}
