using CrmGuardrails.Hosting;
using CrmGuardrails.Matching;
using CrmGuardrails.Salesforce.Http;
using Microsoft.Extensions.Options;
using Schema = CrmGuardrails.Salesforce.SalesforceSchema;

namespace CrmGuardrails.Salesforce.Keys;

/// <summary>
/// Keeps the match-key object current: the keys of saved accounts, contacts and open leads written (and the ones they
/// lost deleted), keys of deleted records deleted, and a backfill of the whole org that can stop and resume.
/// </summary>
/// <remarks>The keys are the core's <see cref="StoredMatchKeys"/> (version 1), as the Dataverse host stores them.</remarks>
public sealed class SalesforceMatchKeyWriter : IMatchKeyWriter
{
    /// <summary>The field path of a contact's account country, read with the contact (its keys depend on it).</summary>
    private const string AccountCountry = "Account." + Schema.Account.Country;

    private readonly SalesforceRestApi _api;
    private readonly SalesforceKeyStore _store;
    private readonly SalesforceRecordReader _reader;
    private readonly SalesforceDirectoryOptions _options;
    private readonly SalesforceApiUsage? _usage;

    /// <summary>Initializes a new instance of the <see cref="SalesforceMatchKeyWriter"/> class.</summary>
    /// <param name="httpClient">A client that signs in and retries (the one <c>AddCrmGuardrailsSalesforce</c> registers).</param>
    /// <param name="options">The org's options.</param>
    public SalesforceMatchKeyWriter(HttpClient httpClient, IOptions<SalesforceDirectoryOptions> options)
        : this(httpClient is null ? throw new ArgumentNullException(nameof(httpClient)) : () => httpClient, options)
    {
    }

    internal SalesforceMatchKeyWriter(Func<HttpClient> clients, IOptions<SalesforceDirectoryOptions> options, SalesforceApiUsage? usage = null)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        _options = options.Value.Clone();
        _options.ThrowIfInvalid();
        _api = new SalesforceRestApi(clients, _options);
        _store = new SalesforceKeyStore(_api);
        _reader = new SalesforceRecordReader(_options.Mapping.ToMapping());
        _usage = usage;
    }

    /// <summary>Writes the keys of saved records (accounts, contacts, leads; anything else is ignored); a closed lead's keys are deleted.</summary>
    /// <param name="records">The records as saved.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>What was written.</returns>
    public async Task<KeyWriteCounts> WriteAsync(IReadOnlyList<CrmRecord> records, CancellationToken cancellationToken = default)
    {
        if (records is null)
            throw new ArgumentNullException(nameof(records));
        var valid = records.Where(r => SalesforceIds.IsWellFormed(r.Id, _options.AcceptGuidIds)).ToList();
        var accountIds = SalesforceIds.WellFormed(valid.OfType<Contact>().Select(c => c.AccountId), _options.AcceptGuidIds, int.MaxValue);
        var countries = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var start = 0; start < accountIds.Count; start += Soql.MaxInValues)
        {
            var chunk = accountIds.Skip(start).Take(Soql.MaxInValues).ToList();
            var soql = Soql.Select([Schema.Id, Schema.Account.Country], Schema.Account.Object).Where(Soql.In(Schema.Id, chunk)).ToString();
            foreach (var account in await _api.QueryAsync(soql, chunk.Count, r => _reader.Read(Schema.Account.Object, r.Field) as Account, cancellationToken).ConfigureAwait(false))
                countries[account.Id] = account.Country;
        }

        return await _store.WriteAsync(valid.Select(r => KeysOf(r, c => c.AccountId is { } id && countries.TryGetValue(id, out var country) ? country : null)).OfType<RecordKeys>().ToList(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads records again and writes their keys: for a host that knows a record changed but not all its fields (a
    /// Change Data Capture update carries only the changed ones).
    /// </summary>
    /// <param name="records">The accounts, contacts and leads (other kinds are ignored).</param>
    /// <param name="cancellationToken">Cancels the refresh.</param>
    /// <returns>What was written.</returns>
    public async Task<KeyWriteCounts> RefreshAsync(IReadOnlyList<RecordRef> records, CancellationToken cancellationToken = default)
    {
        if (records is null)
            throw new ArgumentNullException(nameof(records));
        var read = new List<CrmRecord>();
        foreach (var (kind, sObject) in new[] { (RecordKind.Account, Schema.Account.Object), (RecordKind.Contact, Schema.Contact.Object), (RecordKind.Lead, Schema.Lead.Object) })
        {
            var ids = SalesforceIds.WellFormed(records.Where(r => r.Kind == kind).Select(r => r.Id), _options.AcceptGuidIds, int.MaxValue);
            for (var start = 0; start < ids.Count; start += Soql.MaxInValues)
            {
                var chunk = ids.Skip(start).Take(Soql.MaxInValues).ToList();
                var soql = Soql.Select(_reader.FieldsOf(sObject), sObject).Where(Soql.In(Schema.Id, chunk)).ToString();
                read.AddRange(await _api.QueryAsync(soql, chunk.Count, r => _reader.Read(sObject, r.Field), cancellationToken).ConfigureAwait(false));
            }
        }

        return await WriteAsync(read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the keys of deleted records.</summary>
    /// <param name="recordIds">The records.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>What was deleted.</returns>
    public Task<KeyWriteCounts> DeleteAsync(IReadOnlyList<string> recordIds, CancellationToken cancellationToken = default) =>
        _store.DeleteAsync(SalesforceIds.WellFormed(recordIds ?? throw new ArgumentNullException(nameof(recordIds)), _options.AcceptGuidIds, int.MaxValue), cancellationToken);

    /// <summary>
    /// Writes the keys of every account, contact and open lead, page by page (keyset on <c>Id</c>, so a stopped backfill
    /// resumes where it stopped, however long after). Idempotent: a key already right is left alone. Throttle-aware: it
    /// stops, and returns the state to resume from, when the org's API budget falls to <paramref name="reserveApiRequests"/>
    /// or Salesforce answers <c>REQUEST_LIMIT_EXCEEDED</c>.
    /// </summary>
    /// <param name="state">Where to start: <see cref="SalesforceKeyBackfillState.Start"/>, or a state a stopped run returned.</param>
    /// <param name="progress">Told after each page.</param>
    /// <param name="pageSize">Records a page (1 to 2,000).</param>
    /// <param name="reserveApiRequests">API requests to leave to the org's other work.</param>
    /// <param name="cancellationToken">Stops the backfill (the last reported state is where to resume).</param>
    /// <returns>The state at the end: done, or where to resume.</returns>
    public async Task<SalesforceKeyBackfillState> BackfillAsync(
        SalesforceKeyBackfillState state,
        IProgress<SalesforceKeyBackfillState>? progress = null,
        int pageSize = 200,
        long reserveApiRequests = 0,
        CancellationToken cancellationToken = default)
    {
        if (state is null)
            throw new ArgumentNullException(nameof(state));
        if (pageSize is < 1 or > 2000)
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "A page holds 1 to 2,000 records.");
        while (!state.IsDone)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_usage?.Remaining is { } remaining && remaining <= reserveApiRequests)
                return state with { StoppedBecause = $"the org has {remaining} API requests left, the reserve is {reserveApiRequests}" };
            try
            {
                var (keys, read, lastId) = await ReadPageAsync(state.Object, state.AfterId, pageSize, cancellationToken).ConfigureAwait(false);
                var counts = keys.Count == 0 ? default : await _store.WriteAsync(keys, cancellationToken).ConfigureAwait(false);
                state = state.After(read, counts, read < pageSize ? null : lastId);
            }
            catch (SalesforceException ex) when (ex.IsThrottled)
            {
                return state with { StoppedBecause = ex.Message };
            }

            progress?.Report(state);
        }

        return state;
    }

    private async Task<(List<RecordKeys> Keys, int Read, string? LastId)> ReadPageAsync(string sObject, string? afterId, int pageSize, CancellationToken cancellationToken)
    {
        var fields = _reader.FieldsOf(sObject).ToList();
        if (sObject == Schema.Contact.Object)
            fields.Add(AccountCountry);
        var after = afterId is null ? string.Empty : Schema.Id + " > " + Soql.Quote(afterId);
        var where = sObject == Schema.Lead.Object
            ? Soql.And(Soql.Eq(Schema.Lead.IsConverted, false), Soql.NotIn(Schema.Lead.Status, _reader.Mapping.DisqualifiedLeadStatuses.OrderBy(s => s, StringComparer.Ordinal).ToList()), after)
            : after;
        var query = Soql.Select(fields, sObject);
        if (where.Length > 0)
            query.Where(where);
        var soql = query.OrderBy(Schema.Id).Limit(pageSize).ToString();
        var rows = await _api.QueryAsync(soql, pageSize, r => (Record: _reader.Read(sObject, r.Field), Country: r.Field(AccountCountry)), cancellationToken).ConfigureAwait(false);
        var keys = rows.Where(r => r.Record is not null).Select(r => KeysOf(r.Record!, _ => r.Country is { Length: 2 } c ? c.ToUpperInvariant() : r.Country)).OfType<RecordKeys>().ToList();
        return (keys, rows.Count, rows.Count > 0 ? rows[^1].Record?.Id : null);
    }

    private static RecordKeys? KeysOf(CrmRecord record, Func<Contact, string?> countryOf) => record switch
    {
        Account account => new RecordKeys(account.Id, null, StoredMatchKeys.Of(account)),
        Contact contact => new RecordKeys(contact.Id, contact.AccountId, StoredMatchKeys.Of(contact, countryOf(contact))),

        // Only open leads are asked for by the duplicate-lead rule: a closed lead keeps no keys.
        Lead lead => new RecordKeys(lead.Id, null, lead.Status == LeadStatus.Open ? StoredMatchKeys.Of(lead) : []),
        _ => null,
    };
}

/// <summary>Where a key backfill is: the object being read and the last id done (keyset), with counts so far.</summary>
public sealed record SalesforceKeyBackfillState
{
    private static readonly string[] Order = [Schema.Account.Object, Schema.Contact.Object, Schema.Lead.Object];

    /// <summary>Gets the state of a backfill not started yet.</summary>
    public static SalesforceKeyBackfillState Start { get; } = new() { Object = Order[0] };

    /// <summary>Gets the object being read; empty when done.</summary>
    public string Object { get; init; } = string.Empty;

    /// <summary>Gets the last id written of <see cref="Object"/>, or <see langword="null"/> at its start.</summary>
    public string? AfterId { get; init; }

    /// <summary>Gets the records read.</summary>
    public long Records { get; init; }

    /// <summary>Gets the keys written.</summary>
    public long Written { get; init; }

    /// <summary>Gets the keys deleted.</summary>
    public long Deleted { get; init; }

    /// <summary>Gets the keys already right.</summary>
    public long Unchanged { get; init; }

    /// <summary>Gets why the backfill stopped before the end (API budget, limit), or <see langword="null"/>.</summary>
    public string? StoppedBecause { get; init; }

    /// <summary>Gets a value indicating whether every object is done.</summary>
    public bool IsDone => Object.Length == 0;

    internal SalesforceKeyBackfillState After(int records, KeyWriteCounts counts, string? lastId)
    {
        var sObject = Object;
        if (lastId is null)
        {
            var at = Array.IndexOf(Order, Object);
            sObject = at >= 0 && at + 1 < Order.Length ? Order[at + 1] : string.Empty;
        }

        return this with
        {
            Object = sObject,
            AfterId = lastId,
            Records = Records + records,
            Written = Written + counts.Written,
            Deleted = Deleted + counts.Deleted,
            Unchanged = Unchanged + counts.Unchanged,
            StoppedBecause = null,
        };
    }
}
