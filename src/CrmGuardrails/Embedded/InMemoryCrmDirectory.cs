using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Index;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Embedded;

/// <summary>
/// The embedded directory: an org held in memory (loaded from a snapshot), answering the same questions as a remote
/// host through exact-key indexes, never a scan. It is what the demo, the command line and the tests run on.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Upsert"/> changes the org (replays apply events with it). Accounts and contacts are
/// normalised once and indexed under the keys of <see cref="Matcher"/>; candidates for a lead come rarest key first,
/// exactly as <c>crmguard match</c> finds them.
/// </remarks>
public sealed class InMemoryCrmDirectory : ICrmDirectory, IMatchFeatureSource
{
    private readonly ReadWriteGate _gate = new();
    private readonly MatchIndex _index;
    private readonly Dictionary<string, CrmRecord> _records;
    private readonly Dictionary<string, HashSet<string>> _teams = new(StringComparer.Ordinal);
    private readonly RecordKeys _activities = new();
    private int _requestCount;

    /// <summary>Initializes a new instance of the <see cref="InMemoryCrmDirectory"/> class.</summary>
    /// <param name="snapshot">The org; <see langword="null"/> for an empty one.</param>
    /// <param name="matcher">
    /// The matcher whose keys index the records; <see langword="null"/> means the shipped matcher with name words
    /// weighed by how often the snapshot's accounts use them. Give the guards the same matcher (<see cref="Matcher"/>).
    /// </param>
    public InMemoryCrmDirectory(CrmSnapshot? snapshot = null, IRecordMatcher? matcher = null)
    {
        // Sized for the whole org at once: a million records are not rehashed on the way.
        _records = new Dictionary<string, CrmRecord>(
            snapshot is null ? 0 : snapshot.Users.Count + snapshot.Accounts.Count + snapshot.Contacts.Count + snapshot.Leads.Count + snapshot.Activities.Count,
            StringComparer.Ordinal);
        var engine = (matcher as FellegiSunterMatcher)?.Engine;
        if (matcher is not null && engine is null)
            engine = new MatchEngine(MatchingOptions.Default, TokenStatistics.Default);
        _index = MatchIndex.Build(engine, MatchingOptions.Default, snapshot?.Accounts ?? [], snapshot?.Contacts ?? [], snapshot?.Leads);
        Matcher = matcher ?? new FellegiSunterMatcher(_index.Engine);
        if (snapshot is null)
            return;
        foreach (var record in snapshot.Users.Cast<CrmRecord>().Concat(snapshot.Accounts).Concat(snapshot.Contacts).Concat(snapshot.Leads))
            _records[record.Id] = record;
        foreach (var activity in snapshot.Activities)
            Upsert(activity);
        foreach (var member in snapshot.AccountTeam)
            AddTeamMember(member.AccountId, member.UserId);
    }

    /// <summary>Gets the matcher whose keys index the records; the guards should use it too (<see cref="GuardPipelineBuilder.Matcher"/>).</summary>
    public IRecordMatcher Matcher { get; }

    /// <summary>Gets where building the index spent its time (for benchmarks).</summary>
    internal string IndexTimings => _index.BuildTimings;

    /// <summary>Gets how many questions the directory has been asked (each would be a request to a remote host).</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    MatchEngine IMatchFeatureSource.Engine => _index.Engine;

    /// <summary>Gets a record by id, whatever its kind, without counting a request.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    public CrmRecord? Find(string id)
    {
        using (_gate.Reading())
            return _records.TryGetValue(id, out var record) ? record : null;
    }

    /// <summary>Adds or replaces a record and re-indexes it.</summary>
    /// <param name="record">The record; its id must not be empty.</param>
    public void Upsert(CrmRecord record)
    {
        if (record is null)
            throw new ArgumentNullException(nameof(record));
        if (string.IsNullOrEmpty(record.Id))
            throw new ArgumentException("The record has no id.", nameof(record));
        using (_gate.Writing())
        {
            _records.TryGetValue(record.Id, out var old);
            _records[record.Id] = record;
            switch (record)
            {
                case Account account:
                    _index.Upsert(account);
                    break;
                case Contact contact:
                    _index.Upsert(contact);
                    break;
                case Lead lead:
                    _index.Upsert(lead);
                    break;
                case Activity activity:
                    _activities.Set(record.Id, old is Activity before2 ? before2.Participants.Select(p => "r:" + p.Id) : [], activity.Participants.Select(p => "r:" + p.Id));
                    break;
            }
        }
    }

    /// <summary>Puts a user on an account's team.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="userId">The user.</param>
    public void AddTeamMember(string accountId, string userId)
    {
        using (_gate.Writing())
        {
            if (!_teams.TryGetValue(accountId, out var team))
                _teams[accountId] = team = new HashSet<string>(StringComparer.Ordinal);
            team.Add(userId);
        }
    }

    /// <inheritdoc />
    public ValueTask<CrmRecord?> GetAsync(RecordRef record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _requestCount);
        using (_gate.Reading())
        {
            return new(_records.TryGetValue(record.Id, out var found) && (record.Kind == RecordKind.Unknown || found.Kind == record.Kind) ? found : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<MatchCandidates> FindMatchCandidatesAsync(MatchCandidateQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _requestCount);
        var accountKeys = new List<MatchKey>(query.Keys.NameKeys.Count + query.Keys.Emails.Count + query.Keys.Domains.Count + query.Keys.Phones.Count);
        AddNameKeys(accountKeys, query.Keys.NameKeys);
        var contactKeys = new List<MatchKey>(accountKeys.Count);
        AddKeys(contactKeys, query.Keys.Emails, query.Keys.Domains, query.Keys.Phones);

        // A phone typed with no country goes with the name keys (accounts' national numbers): it is a contact's too.
        foreach (var key in accountKeys)
        {
            if (key.Kind == KeyKind.Phone)
                contactKeys.Add(key);
        }

        accountKeys.AddRange(contactKeys);
        var contactSlots = new List<int>(SlotCapacity(query.MaxContacts));
        var accountSlots = new List<int>(SlotCapacity(query.MaxAccounts));
        using (_gate.Reading())
        {
            _index.FindContacts(contactKeys, Math.Max(0, query.MaxContacts), contactSlots);
            var contacts = contactSlots.ConvertAll(_index.Contact);

            // The accounts of contacts that share the lead's email, domain or phone come first.
            var first = new List<int>();
            foreach (var contact in contacts)
            {
                var slot = contact.AccountId is { Length: > 0 } accountId ? _index.AccountSlot(accountId) : -1;
                if (slot >= 0 && !first.Contains(slot))
                    first.Add(slot);
            }

            _index.FindAccounts(accountKeys, first, Math.Max(0, query.MaxAccounts), accountSlots);
            // Features and records in one pass: the candidates' memory is fetched together, not one miss per later access.
            var features = new AccountFeatures[accountSlots.Count];
            var records = new Account[features.Length];
            for (var i = 0; i < features.Length; i++)
                records[i] = (features[i] = _index.Account(accountSlots[i])).Account;
            var accounts = new FeaturedRecords<Account, AccountFeatures>(_index.Engine, features, records);
            return new(new MatchCandidates(accounts, contacts));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Contact>> FindContactsAsync(ContactQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _requestCount);
        var keys = new List<MatchKey>();
        foreach (var accountId in query.AccountIds)
            keys.Add(new MatchKey(KeyHash.Of("c:", accountId), KeyKind.Account));
        var slots = new List<int>();
        using (_gate.Reading())
        {
            _index.FindContacts(keys, Math.Max(0, query.MaxResults), slots);
            return new(slots.ConvertAll(_index.Contact));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Lead>> FindOpenLeadsAsync(LeadQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _requestCount);
        var keys = new List<MatchKey>(query.CompanyKeys.NameKeys.Count + query.Emails.Count + query.CompanyKeys.Emails.Count + query.CompanyKeys.Domains.Count + query.CompanyKeys.Phones.Count);
        AddNameKeys(keys, query.CompanyKeys.NameKeys);
        AddKeys(keys, query.Emails.Concat(query.CompanyKeys.Emails).Distinct(StringComparer.Ordinal).ToList(), query.CompanyKeys.Domains, query.CompanyKeys.Phones);
        var slots = new List<int>(SlotCapacity(query.MaxResults));
        using (_gate.Reading())
        {
            _index.FindLeads(keys, Math.Max(0, query.MaxResults), slots);
            var features = new LeadFeatures[slots.Count];
            var records = new Lead[features.Length];
            for (var i = 0; i < features.Length; i++)
                records[i] = (features[i] = _index.LeadFeatures(slots[i])).Lead;
            return new(new FeaturedRecords<Lead, LeadFeatures>(_index.Engine, features, records));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Activity>> FindOpenActivitiesAsync(ActivityQuery query, CancellationToken cancellationToken) =>
        Find<Activity>(
            cancellationToken,
            query.MaxResults,
            _activities,
            query.Participants.Select(p => "r:" + p.Id),
            a => a.Status == ActivityStatus.Open &&
                 (query.Direction is null || a.Direction == query.Direction) &&
                 (query.CreatedOnOrAfter is null || (a.CreatedOn ?? a.ScheduledStart) >= query.CreatedOnOrAfter));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> GetAccountTeamAsync(string accountId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _requestCount);
        using (_gate.Reading())
            return new(_teams.TryGetValue(accountId, out var team) ? team.ToList() : []);
    }

    AccountFeatures? IMatchFeatureSource.Find(Account account)
    {
        using (_gate.Reading())
            return _index.Find(account);
    }

    /// <summary>A lead's features, computed once when it was indexed and kept while the directory holds that very open lead.</summary>
    LeadFeatures? IMatchFeatureSource.Find(Lead lead)
    {
        if (lead is null || string.IsNullOrEmpty(lead.Id))
            return null;
        using (_gate.Reading())
            return _index.Find(lead);
    }

    /// <summary>The capacity of a list of at most <paramref name="max"/> slots: grown once, if ever.</summary>
    private static int SlotCapacity(int max) => Math.Min(Math.Max(0, max), 64);

    private static void AddNameKeys(List<MatchKey> keys, IReadOnlyList<string> nameKeys)
    {
        // The shipped matcher's keys come hashed already; keys a caller built as text are hashed here, the same way.
        if (nameKeys is NameKeyList written)
        {
            keys.AddRange(written.Hashed);
            return;
        }

        foreach (var key in nameKeys)
            keys.Add(new MatchKey(KeyHash.Of(key), MatchKey.KindOfNameKey(key)));
    }

    private static void AddKeys(List<MatchKey> keys, IReadOnlyList<string> emails, IReadOnlyList<string> domains, IReadOnlyList<string> phones)
    {
        foreach (var email in emails)
            keys.Add(new MatchKey(KeyHash.Of("e:", email), KeyKind.Email));
        foreach (var domain in domains)
            keys.Add(new MatchKey(KeyHash.Of("d:", domain), KeyKind.Domain));
        foreach (var phone in phones)
            keys.Add(new MatchKey(KeyHash.Of("p:", phone), KeyKind.Phone));
    }

    private ValueTask<IReadOnlyList<T>> Find<T>(CancellationToken cancellationToken, int max, RecordKeys index, IEnumerable<string> keys, Func<T, bool> filter)
        where T : CrmRecord
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _requestCount);
        using (_gate.Reading())
        {
            var found = index.Lookup(keys).Distinct(StringComparer.Ordinal)
                .Select(id => _records.TryGetValue(id, out var record) ? record as T : null)
                .OfType<T>()
                .Where(filter)
                .OrderBy(r => r.Id, StringComparer.Ordinal)
                .Take(Math.Max(0, max))
                .ToList();
            return new(found);
        }
    }

    /// <summary>Key → ids of activities (few, and changed often). Not thread-safe on its own: the directory's lock guards it.</summary>
    private sealed class RecordKeys
    {
        private readonly Dictionary<string, HashSet<string>> _byKey = new(StringComparer.Ordinal);

        public void Set(string id, IEnumerable<string> before, IEnumerable<string> after)
        {
            foreach (var key in before)
            {
                if (_byKey.TryGetValue(key, out var ids) && ids.Remove(id) && ids.Count == 0)
                    _byKey.Remove(key);
            }

            foreach (var key in after)
            {
                if (!_byKey.TryGetValue(key, out var ids))
                    _byKey[key] = ids = new HashSet<string>(StringComparer.Ordinal);
                ids.Add(id);
            }
        }

        public IEnumerable<string> Lookup(IEnumerable<string> keys)
        {
            foreach (var key in keys)
            {
                if (_byKey.TryGetValue(key, out var ids))
                {
                    foreach (var id in ids)
                        yield return id;
                }
            }
        }
    }
}
