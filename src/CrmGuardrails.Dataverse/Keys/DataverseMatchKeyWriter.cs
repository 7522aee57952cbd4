using CrmGuardrails.Hosting;
using System.Text.Json;
using CrmGuardrails.Dataverse.Internal;
using CrmGuardrails.Matching;
using Microsoft.Extensions.Options;
using Schema = CrmGuardrails.Dataverse.DataverseSchema;

namespace CrmGuardrails.Dataverse.Keys;

/// <summary>
/// Keeps the match-key table current: writes the keys of saved accounts, contacts and open leads, deletes those of
/// deleted records, and fills the table for existing records (<see cref="BackfillAsync"/>).
/// </summary>
/// <remarks>
/// Thread-safe; every write is idempotent (upserts by alternate key, deletes by id), so retries and resumed backfills are
/// safe. Uses the directory's <see cref="HttpClient"/> (token, retries honouring <c>Retry-After</c>, circuit breaker).
/// </remarks>
public sealed class DataverseMatchKeyWriter : IMatchKeyWriter
{
    private readonly DataverseWebApi _api;
    private readonly DataverseKeyStore _store;
    private readonly RecordMapper _mapper;

    /// <summary>Initializes a new instance of the <see cref="DataverseMatchKeyWriter"/> class.</summary>
    /// <param name="httpClient">The client (the directory's, from <c>AddCrmGuardrailsDataverse</c>).</param>
    /// <param name="options">The organisation's options.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public DataverseMatchKeyWriter(HttpClient httpClient, IOptions<DataverseDirectoryOptions> options)
        : this(httpClient is null ? throw new ArgumentNullException(nameof(httpClient)) : () => httpClient, options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DataverseMatchKeyWriter"/> class that takes a client from the factory for each request.</summary>
    internal DataverseMatchKeyWriter(Func<HttpClient> clients, IOptions<DataverseDirectoryOptions> options)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        var org = options.Value.Clone();
        org.ThrowIfInvalid();
        _api = new DataverseWebApi(clients, org);
        _store = new DataverseKeyStore(_api);
        _mapper = new RecordMapper(org.Mapping);
    }

    /// <summary>
    /// Writes the keys of saved records: accounts, contacts (their phones read with their account's country, asked in one
    /// query) and leads (an open lead gets keys; a qualified or disqualified one loses them). Other records are ignored.
    /// </summary>
    /// <param name="records">The records as saved.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>What changed.</returns>
    public async Task<KeyWriteCounts> WriteAsync(IReadOnlyList<CrmRecord> records, CancellationToken cancellationToken = default)
    {
        if (records is null)
            throw new ArgumentNullException(nameof(records));
        var contacts = records.OfType<Contact>().Where(c => c.AccountId is { Length: > 0 }).ToList();
        var countries = contacts.Count == 0 ? new Dictionary<string, string?>() : await AccountCountriesAsync(contacts, cancellationToken).ConfigureAwait(false);
        return await _store.WriteAsync(records.Select(r => KeysOf(r, countries)).OfType<RecordKeys>().ToList(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads saved records again (their whole rows) and writes their keys: for saves that sent only the changed columns.</summary>
    /// <param name="records">The accounts, contacts and leads saved.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>What changed.</returns>
    public async Task<KeyWriteCounts> RefreshAsync(IReadOnlyList<RecordRef> records, CancellationToken cancellationToken = default)
    {
        if (records is null)
            throw new ArgumentNullException(nameof(records));
        var rows = new List<CrmRecord>();
        foreach (var group in records.GroupBy(r => r.Kind))
        {
            var ids = group.Select(r => ODataFilter.TryGuid(r.Id, out var id) ? id : null).OfType<string>().Distinct().ToList();
            if (ids.Count == 0)
                continue;
            switch (group.Key)
            {
                case RecordKind.Account:
                    rows.AddRange(await _api.QueryAsync(ByIds(Schema.Account.EntitySet, RecordMapper.AccountColumns, Schema.Account.Id, ids), ids.Count, r => _mapper.MapAccount(r), cancellationToken).ConfigureAwait(false));
                    break;
                case RecordKind.Contact:
                    rows.AddRange(await _api.QueryAsync(ByIds(Schema.Contact.EntitySet, RecordMapper.ContactColumns, Schema.Contact.Id, ids), ids.Count, r => _mapper.MapContact(r), cancellationToken).ConfigureAwait(false));
                    break;
                case RecordKind.Lead:
                    rows.AddRange(await _api.QueryAsync(ByIds(Schema.Lead.EntitySet, RecordMapper.LeadColumns, Schema.Lead.Id, ids), ids.Count, r => _mapper.MapLead(r), cancellationToken).ConfigureAwait(false));
                    break;
            }
        }

        return await WriteAsync(rows, cancellationToken).ConfigureAwait(false);

        static string ByIds(string set, string columns, string key, IReadOnlyList<string> ids) =>
            $"{set}?$select={columns}&$filter={Uri.EscapeDataString(ODataFilter.IdIn(key, false, ids))}";
    }

    /// <summary>Deletes the keys of deleted records.</summary>
    /// <param name="recordIds">The records' ids.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>What changed.</returns>
    public Task<KeyWriteCounts> DeleteAsync(IReadOnlyList<string> recordIds, CancellationToken cancellationToken = default) =>
        _store.DeleteAsync((recordIds ?? throw new ArgumentNullException(nameof(recordIds))).Where(id => ODataFilter.TryGuid(id, out _)).ToList(), cancellationToken);

    /// <summary>
    /// Writes the keys of every account, contact and open lead, a page at a time (accounts, then contacts, then leads), and
    /// reports after each page. Resumable: the state after each page says where to go on; give it back to continue.
    /// Idempotent: a record whose keys are stored as they should be costs a read, not a write.
    /// </summary>
    /// <param name="state">Where to start (<see cref="KeyBackfillState.Start"/> for the beginning).</param>
    /// <param name="progress">Told after each page, with the state to save to resume from there.</param>
    /// <param name="pageSize">Records per page (at most 5,000).</param>
    /// <param name="cancellationToken">Stops after the page in progress; resume from the last reported state.</param>
    /// <returns>The final state (<see cref="KeyBackfillState.IsDone"/>).</returns>
    public async Task<KeyBackfillState> BackfillAsync(KeyBackfillState state, IProgress<KeyBackfillState>? progress = null, int pageSize = 500, CancellationToken cancellationToken = default)
    {
        if (state is null)
            throw new ArgumentNullException(nameof(state));
        if (pageSize is < 1 or > 5000)
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "A page holds 1 to 5,000 records.");
        while (!state.IsDone)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var url = state.NextLink ?? FirstPage(state.Table);
            var (keys, next) = await ReadPageAsync(state.Table, url, pageSize, cancellationToken).ConfigureAwait(false);
            var counts = await _store.WriteAsync(keys, cancellationToken).ConfigureAwait(false);
            state = state.After(keys.Count, counts, next);
            progress?.Report(state);
        }

        return state;
    }

    private async Task<(List<RecordKeys> Keys, string? Next)> ReadPageAsync(string table, string url, int pageSize, CancellationToken cancellationToken)
    {
        switch (table)
        {
            case Schema.Account.Table:
                var (accounts, a) = await _api.QueryPageAsync(url, pageSize, r => _mapper.MapAccount(r), cancellationToken).ConfigureAwait(false);
                return (accounts.ConvertAll(r => KeysOf(r, null)!), a);
            case Schema.Contact.Table:
                var (contacts, c) = await _api.QueryPageAsync(url, pageSize, ReadContact, cancellationToken).ConfigureAwait(false);
                return (contacts.ConvertAll(x => new RecordKeys(x.Contact.Id, x.Contact.AccountId, StoredMatchKeys.Of(x.Contact, x.Country))), c);
            default:
                var (leads, l) = await _api.QueryPageAsync(url, pageSize, r => _mapper.MapLead(r), cancellationToken).ConfigureAwait(false);
                return (leads.ConvertAll(r => KeysOf(r, null)!), l);
        }
    }

    private static string FirstPage(string table) => table switch
    {
        Schema.Account.Table => $"{Schema.Account.EntitySet}?$select={RecordMapper.AccountColumns}",
        Schema.Contact.Table => $"{Schema.Contact.EntitySet}?$select={RecordMapper.ContactColumns}&$expand={Schema.Contact.ParentAccountNavigation}($select={Schema.Account.Country})",

        // Only open leads are asked for by the duplicate-lead rule.
        _ => $"{Schema.Lead.EntitySet}?$select={RecordMapper.LeadColumns}&$filter=statecode eq 0",
    };

    private ContactRow? ReadContact(JsonElement row)
    {
        var contact = _mapper.MapContact(row);
        var country = row.TryGetProperty(Schema.Contact.ParentAccountNavigation, out var account) && account.ValueKind == JsonValueKind.Object &&
                      account.TryGetProperty(Schema.Account.Country, out var value) && value.ValueKind == JsonValueKind.String
            ? Schema.CountryOf(value.GetString())
            : null;
        return new ContactRow(contact, country);
    }

    private static RecordKeys? KeysOf(CrmRecord record, IReadOnlyDictionary<string, string?>? countries) => record switch
    {
        Account account => new RecordKeys(account.Id, null, StoredMatchKeys.Of(account)),
        Contact contact => new RecordKeys(
            contact.Id,
            contact.AccountId,
            StoredMatchKeys.Of(contact, contact.AccountId is { } id && countries is not null && countries.TryGetValue(id, out var country) ? country : null)),
        Lead lead => new RecordKeys(lead.Id, null, lead.Status == LeadStatus.Open ? StoredMatchKeys.Of(lead) : []),
        _ => null,
    };

    private async Task<Dictionary<string, string?>> AccountCountriesAsync(List<Contact> contacts, CancellationToken cancellationToken)
    {
        var ids = contacts.Select(c => ODataFilter.TryGuid(c.AccountId, out var id) ? id : null).OfType<string>().Distinct().ToList();
        var url = $"{Schema.Account.EntitySet}?$select={Schema.Account.Id},{Schema.Account.Country}&$filter={Uri.EscapeDataString(ODataFilter.IdIn(Schema.Account.Id, false, ids))}";
        var rows = await _api.QueryAsync(url, ids.Count, r => _mapper.MapAccount(r), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(a => a.Id, a => a.Country, StringComparer.OrdinalIgnoreCase);
    }

    private sealed record ContactRow(Contact Contact, string? Country);
}

/// <summary>
/// Where a match-key backfill stands: the table being read, the link to its next page, and what was done so far.
/// Serialise it (System.Text.Json) to resume a backfill after a stop.
/// </summary>
public sealed record KeyBackfillState
{
    private static readonly string[] Order = [Schema.Account.Table, Schema.Contact.Table, Schema.Lead.Table];

    /// <summary>Gets the state of a backfill that has not started.</summary>
    public static KeyBackfillState Start { get; } = new() { Table = Order[0] };

    /// <summary>Gets the table being read: <c>account</c>, <c>contact</c>, <c>lead</c>, or empty when done.</summary>
    public string Table { get; init; } = string.Empty;

    /// <summary>Gets the link to the table's next page (the organisation's <c>@odata.nextLink</c>), or <see langword="null"/> for its first page.</summary>
    public string? NextLink { get; init; }

    /// <summary>Gets the records read so far.</summary>
    public long Records { get; init; }

    /// <summary>Gets the keys written (created or changed) so far.</summary>
    public long Written { get; init; }

    /// <summary>Gets the stale keys deleted so far.</summary>
    public long Deleted { get; init; }

    /// <summary>Gets the keys found already as they should be.</summary>
    public long Unchanged { get; init; }

    /// <summary>Gets a value indicating whether every table has been read.</summary>
    public bool IsDone => Table.Length == 0;

    internal KeyBackfillState After(int records, KeyWriteCounts counts, string? nextLink)
    {
        var table = Table;
        if (nextLink is null)
        {
            var at = Array.IndexOf(Order, Table);
            table = at >= 0 && at + 1 < Order.Length ? Order[at + 1] : string.Empty;
        }

        return this with
        {
            Table = table,
            NextLink = nextLink,
            Records = Records + records,
            Written = Written + counts.Written,
            Deleted = Deleted + counts.Deleted,
            Unchanged = Unchanged + counts.Unchanged,
        };
    }
}
