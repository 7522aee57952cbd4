using CrmGuardrails.Matching;

namespace CrmGuardrails.Embedded;

/// <summary>
/// The embedded directory: an org held in memory (loaded from a snapshot), answering the same questions as a remote
/// host through exact-key indexes, never a scan. It is what the demo, the command line and the tests run on.
/// </summary>
/// <remarks>Thread-safe. <see cref="Upsert"/> changes the org (replays apply events with it).</remarks>
public sealed class InMemoryCrmDirectory : ICrmDirectory
{
    private readonly object _gate = new();
    private readonly IRecordMatcher _matcher;
    private readonly Dictionary<string, CrmRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _teams = new(StringComparer.Ordinal);
    private readonly KeyIndex _accounts = new();
    private readonly KeyIndex _contacts = new();
    private readonly KeyIndex _leads = new();
    private readonly KeyIndex _activities = new();
    private int _requestCount;

    /// <summary>Initializes a new instance of the <see cref="InMemoryCrmDirectory"/> class.</summary>
    /// <param name="snapshot">The org; <see langword="null"/> for an empty one.</param>
    /// <param name="matcher">The matcher whose keys index the records; <see langword="null"/> means the default.</param>
    public InMemoryCrmDirectory(CrmSnapshot? snapshot = null, IRecordMatcher? matcher = null)
    {
        _matcher = matcher ?? RecordMatcher.CreateDefault();
        if (snapshot is null)
            return;
        foreach (var record in snapshot.Users.Cast<CrmRecord>().Concat(snapshot.Accounts).Concat(snapshot.Contacts).Concat(snapshot.Leads).Concat(snapshot.Activities))
            Upsert(record);
        foreach (var member in snapshot.AccountTeam)
            AddTeamMember(member.AccountId, member.UserId);
    }

    /// <summary>Gets how many questions the directory has been asked (each would be a request to a remote host).</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Gets a record by id, whatever its kind, without counting a request.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    public CrmRecord? Find(string id)
    {
        lock (_gate)
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
        lock (_gate)
        {
            if (_records.TryGetValue(record.Id, out var old))
                Index(old, remove: true);
            _records[record.Id] = record;
            Index(record, remove: false);
        }
    }

    /// <summary>Puts a user on an account's team.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="userId">The user.</param>
    public void AddTeamMember(string accountId, string userId)
    {
        lock (_gate)
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
        lock (_gate)
        {
            return new(_records.TryGetValue(record.Id, out var found) && (record.Kind == RecordKind.Unknown || found.Kind == record.Kind) ? found : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Account>> FindAccountsAsync(AccountQuery query, CancellationToken cancellationToken) =>
        Find<Account>(cancellationToken, query.MaxResults, _accounts.Lookup(Keys(query.Keys, includeEmails: false)).Concat(query.Ids));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Contact>> FindContactsAsync(ContactQuery query, CancellationToken cancellationToken)
    {
        var keys = query.Emails.Select(e => "e:" + e).Concat(query.EmailDomains.Select(d => "d:" + d)).Concat(query.Phones.Select(p => "p:" + p))
            .Concat(query.AccountIds.Select(a => "a:" + a));
        return Find<Contact>(cancellationToken, query.MaxResults, _contacts.Lookup(keys));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Lead>> FindOpenLeadsAsync(LeadQuery query, CancellationToken cancellationToken)
    {
        var keys = query.Emails.Select(e => "e:" + e).Concat(Keys(query.CompanyKeys, includeEmails: false));
        return Find<Lead>(cancellationToken, query.MaxResults, _leads.Lookup(keys), l => l.Status == LeadStatus.Open);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Activity>> FindOpenActivitiesAsync(ActivityQuery query, CancellationToken cancellationToken) =>
        Find<Activity>(
            cancellationToken,
            query.MaxResults,
            _activities.Lookup(query.Participants.Select(p => "r:" + p.Id)),
            a => a.Status == ActivityStatus.Open &&
                 (query.Direction is null || a.Direction == query.Direction) &&
                 (query.CreatedOnOrAfter is null || (a.CreatedOn ?? a.ScheduledStart) >= query.CreatedOnOrAfter));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> GetAccountTeamAsync(string accountId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _requestCount);
        lock (_gate)
            return new(_teams.TryGetValue(accountId, out var team) ? team.ToList() : []);
    }

    private ValueTask<IReadOnlyList<T>> Find<T>(CancellationToken cancellationToken, int max, IEnumerable<string> ids, Func<T, bool>? filter = null)
        where T : CrmRecord
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _requestCount);
        lock (_gate)
        {
            var found = ids.Distinct(StringComparer.Ordinal)
                .Select(id => _records.TryGetValue(id, out var record) ? record as T : null)
                .OfType<T>()
                .Where(r => filter is null || filter(r))
                .OrderBy(r => r.Id, StringComparer.Ordinal)
                .Take(Math.Max(0, max))
                .ToList();
            return new(found);
        }
    }

    private static IEnumerable<string> Keys(MatchKeys keys, bool includeEmails) =>
        keys.NameKeys.Select(k => "n:" + k)
            .Concat(keys.Domains.Select(d => "d:" + d))
            .Concat(keys.Phones.Select(p => "p:" + p))
            .Concat(includeEmails ? keys.Emails.Select(e => "e:" + e) : []);

    private void Index(CrmRecord record, bool remove)
    {
        switch (record)
        {
            case Account account:
                _accounts.Set(record.Id, Keys(_matcher.GetKeys(account), includeEmails: true), remove);
                break;
            case Contact contact:
                var keys = _matcher.GetKeys(contact);
                var contactKeys = keys.Emails.Select(e => "e:" + e).Concat(keys.Domains.Select(d => "d:" + d)).Concat(keys.Phones.Select(p => "p:" + p));
                if (contact.AccountId is { Length: > 0 } accountId)
                    contactKeys = contactKeys.Append("a:" + accountId);
                _contacts.Set(record.Id, contactKeys, remove);
                break;
            case Lead lead:
                _leads.Set(record.Id, Keys(_matcher.GetKeys(lead), includeEmails: true), remove);
                break;
            case Activity activity:
                _activities.Set(record.Id, activity.Participants.Select(p => "r:" + p.Id), remove);
                break;
        }
    }

    /// <summary>Key → record ids. Not thread-safe on its own: the directory's lock guards it.</summary>
    private sealed class KeyIndex
    {
        private readonly Dictionary<string, HashSet<string>> _byKey = new(StringComparer.Ordinal);

        public void Set(string id, IEnumerable<string> keys, bool remove)
        {
            foreach (var key in keys)
            {
                if (remove)
                {
                    if (_byKey.TryGetValue(key, out var ids) && ids.Remove(id) && ids.Count == 0)
                        _byKey.Remove(key);
                }
                else
                {
                    if (!_byKey.TryGetValue(key, out var ids))
                        _byKey[key] = ids = new HashSet<string>(StringComparer.Ordinal);
                    ids.Add(id);
                }
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
