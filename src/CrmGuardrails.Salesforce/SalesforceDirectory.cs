using CrmGuardrails.Matching;
using CrmGuardrails.Salesforce.Keys;
using Microsoft.Extensions.Options;
using Schema = CrmGuardrails.Salesforce.SalesforceSchema;

namespace CrmGuardrails.Salesforce;

/// <summary>
/// The guards' directory over the Salesforce REST API: selective SOQL on indexed fields (Id, lookups, Email, the
/// match-key External Ids), several lookups per round trip by <c>composite/batch</c>, and every literal escaped by one
/// builder.
/// </summary>
/// <remarks>
/// <para>
/// Round trips per call: <see cref="GetAsync"/> one; <see cref="FindMatchCandidatesAsync"/> two (the stored keys, then
/// the accounts, their teams and the contacts); <see cref="FindOpenLeadsAsync"/> one or two; the others one.
/// </para>
/// <para>
/// Why the match-key object: "Indexed by default: ... Name, Email (contacts and leads), lookups, Id; External ID fields
/// get an index ... ⇒ Website, Phone, Lead.Company are not in that list" (salesforce.md §10.F): a query on them scans.
/// </para>
/// <para>Thread-safe; the HTTP client brings sign-in and resilience (<c>AddCrmGuardrailsSalesforce</c>).</para>
/// </remarks>
public sealed class SalesforceDirectory : ICrmDirectory
{
    private const int MaxIds = 100;

    private readonly SalesforceRestApi _api;
    private readonly SalesforceRecordReader _reader;
    private readonly SalesforceDirectoryOptions _options;

    /// <summary>Initializes a new instance of the <see cref="SalesforceDirectory"/> class.</summary>
    /// <param name="httpClient">A client that signs in and retries (the one <c>AddCrmGuardrailsSalesforce</c> registers).</param>
    /// <param name="options">The org's options.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public SalesforceDirectory(HttpClient httpClient, IOptions<SalesforceDirectoryOptions> options)
        : this(httpClient is null ? throw new ArgumentNullException(nameof(httpClient)) : () => httpClient, options)
    {
    }

    internal SalesforceDirectory(Func<HttpClient> clients, IOptions<SalesforceDirectoryOptions> options)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        _options = options.Value.Clone();
        _options.ThrowIfInvalid();
        _api = new SalesforceRestApi(clients, _options);
        _reader = new SalesforceRecordReader(_options.Mapping.ToMapping());
    }

    /// <summary>Gets the reader this directory maps records with.</summary>
    public SalesforceRecordReader Reader => _reader;

    /// <inheritdoc />
    public async ValueTask<CrmRecord?> GetAsync(RecordRef record, CancellationToken cancellationToken)
    {
        if (!SalesforceIds.IsWellFormed(record.Id, _options.AcceptGuidIds))
            return null;
        var objects = record.Kind switch
        {
            RecordKind.Account => [Schema.Account.Object],
            RecordKind.Contact => [Schema.Contact.Object],
            RecordKind.Lead => [Schema.Lead.Object],
            RecordKind.User => [Schema.User.Object, Schema.User.QueueObject],
            RecordKind.Activity => [Schema.Task.Object, Schema.Event.Object],
            _ => new[] { Schema.Account.Object, Schema.Contact.Object, Schema.Lead.Object, Schema.Task.Object, Schema.Event.Object, Schema.User.Object, Schema.User.QueueObject },
        };

        // A real id says its object by its key prefix: ask that object only, or nothing when it is of another kind.
        if (Schema.ObjectOfId(record.Id) is { } known)
        {
            if (!objects.Contains(known, StringComparer.Ordinal))
                return null;
            objects = [known];
        }

        var queries = objects.Select(o => ById(o, record.Id)).ToList();
        if (queries.Count == 1)
            return (await _api.QueryAsync(queries[0], 1, r => _reader.Read(objects[0], r.Field), cancellationToken).ConfigureAwait(false)).FirstOrDefault();

        var answers = await _api.BatchAsync(queries.ConvertAll(q => BatchCall.Query(_api.ApiVersion, q)), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < answers.Count; i++)
        {
            var found = await _api.ReadQueryAsync(answers[i].ThrowIfFailed("a lookup by id").Result, 1, r => _reader.Read(objects[i], r.Field), cancellationToken).ConfigureAwait(false);
            if (found.Count > 0)
                return found[0];
        }

        return null;
    }

    /// <inheritdoc />
    public async ValueTask<MatchCandidates> FindMatchCandidatesAsync(MatchCandidateQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        if (query.Keys.IsEmpty || query.MaxAccounts <= 0)
            return MatchCandidates.None;

        var choice = _options.CandidateSearch == SalesforceCandidateSearch.MatchKeyObject
            ? await ChooseByKeysAsync(query, cancellationToken).ConfigureAwait(false)
            : await SearchAsync(query, cancellationToken).ConfigureAwait(false);
        var accountIds = SalesforceIds.WellFormed(choice.AccountIds, _options.AcceptGuidIds, Math.Min(query.MaxAccounts, MaxIds));
        if (accountIds.Count == 0)
            return MatchCandidates.None;
        var contactIds = SalesforceIds.WellFormed(choice.ContactIds, _options.AcceptGuidIds, Math.Min(query.MaxContacts, MaxIds));

        var calls = new List<BatchCall>
        {
            BatchCall.Query(_api.ApiVersion, Select(Schema.Account.Object).Where(Soql.In(Schema.Id, accountIds)).ToString()),
            BatchCall.Query(_api.ApiVersion, TeamQuery(accountIds)),
        };
        if (contactIds.Count > 0)
            calls.Add(BatchCall.Query(_api.ApiVersion, Select(Schema.Contact.Object).Where(Soql.In(Schema.Id, contactIds)).ToString()));
        var answers = await _api.BatchAsync(calls, cancellationToken).ConfigureAwait(false);

        var accounts = InOrder(accountIds, await ReadAsync<Account>(answers[0], Schema.Account.Object, accountIds.Count, cancellationToken).ConfigureAwait(false));
        var members = await _api.ReadQueryAsync(answers[1].ThrowIfFailed("the account teams").Result, 2000, ReadMember, cancellationToken).ConfigureAwait(false);
        var contacts = contactIds.Count > 0 ? InOrder(contactIds, await ReadAsync<Contact>(answers[2], Schema.Contact.Object, contactIds.Count, cancellationToken).ConfigureAwait(false)) : [];
        return new MatchCandidates(accounts, contacts)
        {
            AccountTeams = accountIds.ToDictionary(
                id => id,
                id => (IReadOnlyList<string>)members.Where(m => m.AccountId == id).Select(m => m.UserId).Distinct(StringComparer.Ordinal).ToList(),
                StringComparer.Ordinal),
        };
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Contact>> FindContactsAsync(ContactQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        var ids = SalesforceIds.WellFormed(query.AccountIds, _options.AcceptGuidIds, MaxIds);
        if (ids.Count == 0 || query.MaxResults <= 0)
            return [];
        var soql = Select(Schema.Contact.Object).Where(Soql.And(Soql.In(Schema.Contact.AccountId, ids), ActiveContact())).Limit(query.MaxResults).ToString();
        return await _api.QueryAsync(soql, query.MaxResults, r => _reader.Read(Schema.Contact.Object, r.Field) as Contact, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Lead>> FindOpenLeadsAsync(LeadQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        if (query.MaxResults <= 0)
            return [];
        var emails = query.Emails.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim().ToLowerInvariant()).Distinct().Take(MaxIds).ToList();
        var lookups = _options.CandidateSearch == SalesforceCandidateSearch.MatchKeyObject ? StoredMatchKeys.LeadLookupsFor(query.CompanyKeys with { Emails = emails }) : [];
        var calls = lookups.Select(l => BatchCall.Query(_api.ApiVersion, SalesforceKeyStore.LookupQuery(l))).ToList();

        // Email is indexed on leads (salesforce.md §10.F), and SOQL compares text ignoring case.
        if (emails.Count > 0)
            calls.Add(BatchCall.Query(_api.ApiVersion, OpenLeads(Soql.In(Schema.Lead.Email, emails), query.MaxResults)));
        if (calls.Count == 0)
            return [];
        var answers = await _api.BatchAsync(calls, cancellationToken).ConfigureAwait(false);
        var holders = new Dictionary<string, IReadOnlyList<StoredKeyHolder>>(StringComparer.Ordinal);
        for (var i = 0; i < lookups.Count; i++)
            holders[lookups[i].Key] = await ReadHoldersAsync(answers[i], cancellationToken).ConfigureAwait(false);
        var found = emails.Count > 0 ? await ReadAsync<Lead>(answers[lookups.Count], Schema.Lead.Object, query.MaxResults, cancellationToken).ConfigureAwait(false) : [];
        var chosen = SalesforceIds.WellFormed(StoredMatchKeys.ChooseLeads(lookups, l => holders[l.Key], query.MaxResults), _options.AcceptGuidIds, MaxIds)
            .Where(id => !found.Exists(l => l.Id == id))
            .ToList();
        if (chosen.Count > 0 && found.Count < query.MaxResults)
        {
            var more = await _api.QueryAsync(OpenLeads(Soql.In(Schema.Id, chosen), query.MaxResults - found.Count), query.MaxResults - found.Count, r => _reader.Read(Schema.Lead.Object, r.Field) as Lead, cancellationToken).ConfigureAwait(false);
            found.AddRange(more);
        }

        return found.Take(query.MaxResults).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Activity>> FindOpenActivitiesAsync(ActivityQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        var ids = SalesforceIds.WellFormed(query.Participants.Select(p => p.Id), _options.AcceptGuidIds, MaxIds);
        if (ids.Count == 0 || query.MaxResults <= 0)
            return [];

        // Regarding (WhatId), with (WhoId) or at the account of (AccountId, derived) any of the records: all lookups, indexed.
        var with = Soql.Or([Soql.In(Schema.Activity.WhatId, ids), Soql.In(Schema.Activity.WhoId, ids), Soql.In(Schema.Activity.AccountId, ids)]);
        var since = query.CreatedOnOrAfter is { } from ? Soql.OnOrAfter(Schema.CreatedDate, from) : string.Empty;

        // CallType Inbound is inbound; SOQL's != keeps the tasks without a CallType (nulls compare unequal).
        var direction = query.Direction switch
        {
            ActivityDirection.Inbound => Soql.Eq(Schema.Task.CallType, "Inbound"),
            ActivityDirection.Outbound => Schema.Task.CallType + " != " + Soql.Quote("Inbound"),
            _ => string.Empty,
        };
        var queries = new List<(string Object, string Soql)>
        {
            (Schema.Task.Object, Select(Schema.Task.Object).Where(Soql.And(Soql.Eq(Schema.Task.IsClosed, false), with, direction, since)).OrderBy(Schema.CreatedDate, descending: true).Limit(query.MaxResults).ToString()),
        };

        // Events have no status and no direction (salesforce.md §4.4): open, and outbound.
        if (query.Direction != ActivityDirection.Inbound)
            queries.Add((Schema.Event.Object, Select(Schema.Event.Object).Where(Soql.And(with, since)).OrderBy(Schema.CreatedDate, descending: true).Limit(query.MaxResults).ToString()));

        var found = new List<Activity>();
        if (queries.Count == 1)
        {
            found.AddRange(await _api.QueryAsync(queries[0].Soql, query.MaxResults, r => _reader.Read(queries[0].Object, r.Field) as Activity, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            var answers = await _api.BatchAsync(queries.ConvertAll(q => BatchCall.Query(_api.ApiVersion, q.Soql)), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < answers.Count; i++)
                found.AddRange(await ReadAsync<Activity>(answers[i], queries[i].Object, query.MaxResults, cancellationToken).ConfigureAwait(false));
        }

        return found
            .Where(a => a.Status == ActivityStatus.Open && (query.Direction is null || a.Direction == query.Direction))
            .OrderByDescending(a => a.CreatedOn ?? DateTimeOffset.MinValue)
            .Take(query.MaxResults)
            .ToList();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> GetAccountTeamAsync(string accountId, CancellationToken cancellationToken)
    {
        if (!SalesforceIds.IsWellFormed(accountId, _options.AcceptGuidIds))
            return [];
        var members = await _api.QueryAsync(TeamQuery([accountId]), 2000, ReadMember, cancellationToken).ConfigureAwait(false);
        return members.Select(m => m.UserId).Distinct(StringComparer.Ordinal).ToList();
    }

    internal SoqlQuery Select(string sObject) => Soql.Select(_reader.FieldsOf(sObject), sObject);

    private string ById(string sObject, string id) => Select(sObject).Where(Soql.Eq(Schema.Id, id)).Limit(1).ToString();

    private string OpenLeads(string condition, int max) =>
        Select(Schema.Lead.Object)
            .Where(Soql.And(Soql.Eq(Schema.Lead.IsConverted, false), Soql.NotIn(Schema.Lead.Status, _reader.Mapping.DisqualifiedLeadStatuses.OrderBy(s => s, StringComparer.Ordinal).ToList()), condition))
            .Limit(max)
            .ToString();

    private string ActiveContact() => _reader.Mapping.InactiveContactField is { } inactive ? Soql.Eq(inactive, false) : string.Empty;

    private static string TeamQuery(IReadOnlyCollection<string> accountIds) =>
        Soql.Select([Schema.AccountTeamMember.AccountId, Schema.AccountTeamMember.UserId], Schema.AccountTeamMember.Object).Where(Soql.In(Schema.AccountTeamMember.AccountId, accountIds)).ToString();

    private static TeamMember? ReadMember(SalesforceRow row) =>
        row.Field(Schema.AccountTeamMember.AccountId) is { } account && row.Field(Schema.AccountTeamMember.UserId) is { } user ? new TeamMember(account, user) : null;

    private async Task<StoredKeyChoice> ChooseByKeysAsync(MatchCandidateQuery query, CancellationToken cancellationToken)
    {
        var lookups = StoredMatchKeys.LookupsFor(query.Keys);
        if (lookups.Count == 0)
            return new StoredKeyChoice([], []);
        var answers = await _api.BatchAsync(lookups.Select(l => BatchCall.Query(_api.ApiVersion, SalesforceKeyStore.LookupQuery(l))).ToList(), cancellationToken).ConfigureAwait(false);
        var holders = new Dictionary<string, IReadOnlyList<StoredKeyHolder>>(StringComparer.Ordinal);
        for (var i = 0; i < lookups.Count; i++)
            holders[lookups[i].Key] = await ReadHoldersAsync(answers[i], cancellationToken).ConfigureAwait(false);
        return StoredMatchKeys.Choose(lookups, l => holders.TryGetValue(l.Key, out var found) ? found : [], query.MaxAccounts, query.MaxContacts);
    }

    /// <summary>SOSL over the search index: the lead's emails, phones and name in one search of accounts and contacts.</summary>
    private async Task<StoredKeyChoice> SearchAsync(MatchCandidateQuery query, CancellationToken cancellationToken)
    {
        var terms = query.Keys.Emails.Concat(query.Keys.Phones.Where(p => !p.StartsWith("sb:", StringComparison.Ordinal)))
            .Concat(new[] { query.Keys.NormalizedName }.Where(n => n.Length >= 3))
            .Where(t => t.Trim().Length > 0)
            .Take(10)
            .ToList();
        if (terms.Count == 0)
            return new StoredKeyChoice([], []);
        var contactWhere = ActiveContact() is { Length: > 0 } active ? " WHERE " + active : string.Empty;
        var sosl = Sosl.Find(
            terms,
            "ALL",
            [$"{Schema.Account.Object}({Schema.Id} LIMIT {query.MaxAccounts})", $"{Schema.Contact.Object}({Schema.Id}, {Schema.Contact.AccountId}{contactWhere} LIMIT {query.MaxContacts})"]);
        using var document = await _api.SendAsync(HttpMethod.Get, _api.Root + "search?q=" + Uri.EscapeDataString(sosl), null, idempotent: true, "the search", cancellationToken).ConfigureAwait(false);

        // "response {"searchRecords":[…]} (v68 doc) vs bare array in v35 doc" (salesforce.md §10.F): both are read.
        var root = document!.RootElement;
        var records = root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("searchRecords", out var list) ? list : root;
        var accounts = new List<string>();
        var contacts = new List<(string Id, string? AccountId)>();
        if (records.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            foreach (var record in records.EnumerateArray())
            {
                var row = new SalesforceRow(record);
                if (row.Field(Schema.Id) is not { } id)
                    continue;
                if (string.Equals(row.Type, Schema.Account.Object, StringComparison.OrdinalIgnoreCase))
                    accounts.Add(id);
                else if (string.Equals(row.Type, Schema.Contact.Object, StringComparison.OrdinalIgnoreCase))
                    contacts.Add((id, row.Field(Schema.Contact.AccountId)));
            }
        }

        var accountIds = contacts.Select(c => c.AccountId).OfType<string>().Concat(accounts).Distinct(StringComparer.Ordinal).Take(query.MaxAccounts).ToList();
        return new StoredKeyChoice(accountIds, contacts.Select(c => c.Id).Take(query.MaxContacts).ToList());
    }

    private async Task<IReadOnlyList<StoredKeyHolder>> ReadHoldersAsync(BatchAnswer answer, CancellationToken cancellationToken)
    {
        if (!answer.IsSuccess && SalesforceRestApi.ErrorOf((System.Net.HttpStatusCode)answer.StatusCode, answer.Result, "a match-key lookup") is { ErrorCode: SalesforceErrors.InvalidType } missing)
            throw new SalesforceException(SalesforceKeyStore.MissingObject, missing.StatusCode, missing.ErrorCode, missing);
        return await _api.ReadQueryAsync(answer.ThrowIfFailed("a match-key lookup").Result, int.MaxValue, SalesforceKeyStore.ReadHolder, cancellationToken).ConfigureAwait(false);
    }

    private Task<List<T>> ReadAsync<T>(BatchAnswer answer, string sObject, int max, CancellationToken cancellationToken)
        where T : CrmRecord =>
        _api.ReadQueryAsync(answer.ThrowIfFailed("a query").Result, max, r => _reader.Read(sObject, r.Field) as T, cancellationToken);

    private static List<T> InOrder<T>(IReadOnlyList<string> ids, List<T> records)
        where T : CrmRecord
    {
        var byId = records.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return ids.Select(i => byId.TryGetValue(i, out var r) ? r : null).OfType<T>().ToList();
    }

    private sealed record TeamMember(string AccountId, string UserId);
}
