using System.Text.Json;
using CrmGuardrails.Dataverse.Internal;
using CrmGuardrails.Dataverse.Keys;
using CrmGuardrails.Matching;
using Microsoft.Extensions.Options;
using Schema = CrmGuardrails.Dataverse.DataverseSchema;

namespace CrmGuardrails.Dataverse;

/// <summary>
/// An <see cref="ICrmDirectory"/> over the Dataverse Web API (<c>/api/data/v9.2/</c>): each call is one selective
/// <c>$filter</c> query (at most <see cref="DataverseDirectoryOptions.MaxPagesPerCall"/> requests, two by default).
/// </summary>
/// <remarks>
/// Thread-safe. Authentication, retries, throttling and the circuit breaker live in the <see cref="HttpClient"/>'s handlers
/// (see <c>AddCrmGuardrailsDataverse</c>). Failures surface as <see cref="DataverseException"/> (or
/// <see cref="OperationCanceledException"/> when the caller's token is cancelled), which the guard pipeline answers with its
/// "not checked" policy. Every value placed in a <c>$filter</c> is escaped (quotes doubled, GUIDs validated).
/// </remarks>
public sealed partial class DataverseDirectory : ICrmDirectory
{
    private readonly DataverseWebApi _api;
    private readonly RecordMapper _mapper;
    private readonly DataverseDirectoryOptions _options;
    private readonly DataverseKeyStore _keys;
    private const string PhoneSwitchboardPrefix = "sb:";

    /// <summary>Initializes a new instance of the <see cref="DataverseDirectory"/> class.</summary>
    /// <param name="httpClient">The client; its handlers add the bearer token and resilience (see <c>AddCrmGuardrailsDataverse</c>).</param>
    /// <param name="options">The options.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public DataverseDirectory(HttpClient httpClient, IOptions<DataverseDirectoryOptions> options)
        : this(httpClient is null ? throw new ArgumentNullException(nameof(httpClient)) : () => httpClient, options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DataverseDirectory"/> class that takes a client from the factory for each request, so it can live as long as the application.</summary>
    /// <param name="clients">Makes the clients; their handlers add the bearer token and resilience.</param>
    /// <param name="options">The options.</param>
    internal DataverseDirectory(Func<HttpClient> clients, IOptions<DataverseDirectoryOptions> options)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        _options = options.Value.Clone();
        _options.ThrowIfInvalid();
        _api = new DataverseWebApi(clients, _options);
        _mapper = new RecordMapper(_options.Mapping);
        _keys = new DataverseKeyStore(_api);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One GET by key; a <see cref="RecordKind.User"/> id that is not a systemuser is looked up among teams (owner teams), a
    /// second request; a <see cref="RecordKind.Unknown"/> kind asks accounts, contacts, leads, activitypointers and systemusers
    /// in one <c>$batch</c> request. An id that is not a GUID is answered <see langword="null"/> without a request.
    /// </remarks>
    public async ValueTask<CrmRecord?> GetAsync(RecordRef record, CancellationToken cancellationToken)
    {
        if (!ODataFilter.TryGuid(record.Id, out var id))
            return null;

        switch (record.Kind)
        {
            case RecordKind.Account:
                return await _api.GetAsync($"accounts({id})?$select={RecordMapper.AccountColumns}", r => _mapper.MapAccount(r), cancellationToken).ConfigureAwait(false);
            case RecordKind.Contact:
                return await _api.GetAsync($"contacts({id})?$select={RecordMapper.ContactColumns}", _mapper.MapContact, cancellationToken).ConfigureAwait(false);
            case RecordKind.Lead:
                return await _api.GetAsync($"leads({id})?$select={RecordMapper.LeadColumns}", _mapper.MapLead, cancellationToken).ConfigureAwait(false);
            case RecordKind.Activity:
                return await GetActivityAsync(id, cancellationToken).ConfigureAwait(false);
            case RecordKind.User:
                // Owners may be teams: the systemuser and the team of that id are asked in one $batch (one answers 404).
                return await FirstFoundAsync(
                    [$"systemusers({id})?$select={RecordMapper.UserColumns}", $"teams({id})?$select={RecordMapper.TeamColumns}"],
                    [r => _mapper.MapUser(r), r => _mapper.MapTeam(r)],
                    cancellationToken).ConfigureAwait(false);
            default:
                return await FindAnyKindAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Two round trips. With the match-key table (<see cref="DataverseCandidateSearch.MatchKeyTable"/>): one <c>$batch</c>
    /// of exact key lookups, then one <c>$batch</c> reading the chosen accounts, contacts and the accounts' teams — the
    /// candidates the embedded index would find, whatever the spelling or phone format the records were typed in. With
    /// <see cref="DataverseCandidateSearch.TextSearch"/>: name prefixes, exact emails and phones as given, then the
    /// accounts of the contacts found.
    /// </remarks>
    public async ValueTask<MatchCandidates> FindMatchCandidatesAsync(MatchCandidateQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        if (query.Keys.IsEmpty || query.MaxAccounts <= 0)
            return MatchCandidates.None;

        StoredKeyChoice choice;
        if (_options.CandidateSearch == DataverseCandidateSearch.MatchKeyTable)
        {
            var lookups = StoredMatchKeys.LookupsFor(query.Keys);
            var holders = await _keys.LookupAsync(lookups, cancellationToken).ConfigureAwait(false);
            choice = StoredMatchKeys.Choose(lookups, l => holders.TryGetValue(l.Key, out var found) ? found : [], query.MaxAccounts, query.MaxContacts);
        }
        else
        {
            choice = await SearchByTextAsync(query, cancellationToken).ConfigureAwait(false);
        }

        if (choice.AccountIds.Count == 0)
            return MatchCandidates.None;
        var accountIds = Guids(choice.AccountIds).ToList();
        var contactIds = Guids(choice.ContactIds).ToList();
        var parts = new List<BatchPart>
        {
            new(HttpMethod.Get, $"{Schema.Account.EntitySet}?$select={RecordMapper.AccountColumns}&$filter={Escape(ODataFilter.IdIn(Schema.Account.Id, false, accountIds))}"),
            new(HttpMethod.Get, TeamsUrl(accountIds)),
        };
        if (contactIds.Count > 0)
            parts.Add(new(HttpMethod.Get, $"{Schema.Contact.EntitySet}?$select={RecordMapper.ContactColumns}&$filter={Escape(ODataFilter.IdIn(Schema.Contact.Id, false, contactIds))}"));
        var answers = await _api.BatchAsync(parts, cancellationToken).ConfigureAwait(false);

        var accounts = InOrder(accountIds, Read(answers[0], r => _mapper.MapAccount(r)), a => a.Id);
        var teams = TeamsByAccount(Read(answers[1], ReadTeam));
        var contacts = contactIds.Count > 0 ? InOrder(contactIds, Read(answers[2], _mapper.MapContact), c => c.Id) : [];
        return new MatchCandidates(accounts, contacts)
        {
            AccountTeams = accountIds.ToDictionary(id => id, id => teams.TryGetValue(id, out var members) ? members : (IReadOnlyList<string>)[], StringComparer.OrdinalIgnoreCase),
        };
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Contact>> FindContactsAsync(ContactQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        var ids = Guids(query.AccountIds).Distinct().Take(_options.MaxInValues).ToList();
        if (ids.Count == 0 || query.MaxResults <= 0)
            return [];

        var filter = ODataFilter.And("statecode eq 0", ODataFilter.IdIn(Schema.Contact.ParentCustomer, true, ids));
        var url = $"{Schema.Contact.EntitySet}?$select={RecordMapper.ContactColumns}&$filter={Escape(filter)}";
        return await _api.QueryAsync(url, query.MaxResults, r => _mapper.MapContact(r), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Two round trips with the match-key table: the lead keys and the exact email in one <c>$batch</c>, then the chosen
    /// open leads; one with <see cref="DataverseCandidateSearch.TextSearch"/> (company-name prefixes and the email).
    /// </remarks>
    public async ValueTask<IReadOnlyList<Lead>> FindOpenLeadsAsync(LeadQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        if (query.MaxResults <= 0)
            return [];
        var emails = Lower(query.Emails).Distinct().Take(_options.MaxInValues).ToList();
        var byEmail = emails.Count == 0 ? string.Empty : EmailTerm(Schema.Lead.Email, emails);

        if (_options.CandidateSearch == DataverseCandidateSearch.TextSearch)
        {
            var terms = new FilterTerms(_options.MaxFilterTerms);
            terms.Add(byEmail);
            foreach (var name in NamePrefixes(query.CompanyKeys))
                terms.Add(ODataFilter.StartsWith(Schema.Lead.Company, name));
            if (terms.Count == 0)
                return [];
            return await QueryOpenLeadsAsync(terms.ToOr(), query.MaxResults, cancellationToken).ConfigureAwait(false);
        }

        var lookups = StoredMatchKeys.LeadLookupsFor(query.CompanyKeys with { Emails = emails });
        var parts = lookups.Select(l => new BatchPart(HttpMethod.Get, MatchKeyLookupUrl(l))).ToList();
        if (byEmail.Length > 0)
            parts.Add(new BatchPart(HttpMethod.Get, OpenLeadsUrl(byEmail)));
        if (parts.Count == 0)
            return [];
        var answers = await _api.BatchAsync(parts, cancellationToken).ConfigureAwait(false);
        var holders = new Dictionary<string, IReadOnlyList<StoredKeyHolder>>(StringComparer.Ordinal);
        for (var i = 0; i < lookups.Count; i++)
            holders[lookups[i].Key] = Read(answers[i], DataverseKeyStore.ReadHolder);
        var found = byEmail.Length > 0 ? Read(answers[lookups.Count], _mapper.MapLead) : [];
        var chosen = Guids(StoredMatchKeys.ChooseLeads(lookups, l => holders[l.Key], query.MaxResults))
            .Where(id => !found.Exists(l => string.Equals(l.Id, id, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (chosen.Count > 0 && found.Count < query.MaxResults)
            found.AddRange(await QueryOpenLeadsAsync(ODataFilter.IdIn(Schema.Lead.Id, false, chosen), query.MaxResults - found.Count, cancellationToken).ConfigureAwait(false));
        return found.Take(query.MaxResults).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Activity>> FindOpenActivitiesAsync(ActivityQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));

        var ids = Guids(query.Participants.Select(p => p.Id)).Distinct().Take(Math.Min(_options.MaxFilterTerms, _options.MaxInValues)).ToList();
        if (ids.Count == 0 || query.MaxResults <= 0)
            return [];

        // Regarding any of the records, or with any of them as a party (to, from, attendee, ...).
        var regarding = ODataFilter.IdIn(Schema.Activity.Regarding, true, ids);
        var party = $"{Schema.Activity.PartiesNavigation}/any(p:{ODataFilter.Or(ids.Select(id => ODataFilter.EqGuid("p/_partyid_value", id)))})";
        var filter = ODataFilter.And(
            "(statecode eq 0 or statecode eq 3)",
            ODataFilter.Or([regarding, party]),
            query.CreatedOnOrAfter is { } since ? ODataFilter.DateGe("createdon", since) : string.Empty);
        var url = $"activitypointers?$select={RecordMapper.ActivityColumns}&$expand={RecordMapper.PartiesExpand}&$filter={Escape(filter)}";

        // activitypointer has no direction column: direction comes from the parties (a customer Sender means inbound)
        // and is filtered here, after the query.
        var direction = query.Direction;
        return await _api.QueryAsync(
            url,
            query.MaxResults,
            r => _mapper.MapActivity(r) is { } a && (direction is null || a.Direction == direction) ? a : null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// An account's team is the members of its access teams (<c>teams</c> with <c>teamtype eq 1</c> whose
    /// <c>regardingobjectid</c> is the account, optionally of <see cref="DataverseDirectoryOptions.AccountTeamTemplateId"/>),
    /// read with <c>$expand=teammembership_association</c> in one request.
    /// </remarks>
    public async ValueTask<IReadOnlyList<string>> GetAccountTeamAsync(string accountId, CancellationToken cancellationToken)
    {
        if (!ODataFilter.TryGuid(accountId, out var id))
            return [];

        var teams = await _api.QueryAsync(TeamsUrl([id]), 50, ReadTeam, cancellationToken).ConfigureAwait(false);
        return TeamsByAccount(teams).TryGetValue(id, out var members) ? members : [];
    }

    /// <summary>
    /// An activity in one round trip: its <c>activitypointer</c> row with its parties, and the rows of the same id in each
    /// mapped activity table (all but one answer 404) for what the pointer lacks: <c>directioncode</c> and the reschedule count.
    /// </summary>
    private async Task<Activity?> GetActivityAsync(string id, CancellationToken cancellationToken)
    {
        var tables = _mapper.Mapping.ActivityTables.Keys.ToList();
        var urls = new List<string> { $"activitypointers({id})?$select={RecordMapper.ActivityColumns}&$expand={RecordMapper.PartiesExpand}" };
        urls.AddRange(tables.Select(t => $"{EntitySetOf(t)}({id})?$select={_mapper.OwnActivityColumns(t)}"));
        var documents = await _api.BatchGetAsync(urls, cancellationToken).ConfigureAwait(false);
        try
        {
            if (documents[0] is not { } pointer)
                return null;
            var own = documents.Skip(1).FirstOrDefault(d => d is not null);
            return _mapper.MapActivity(pointer.RootElement, own?.RootElement);
        }
        finally
        {
            foreach (var document in documents)
                document?.Dispose();
        }
    }

    private static string EntitySetOf(string table) => table.EndsWith("y", StringComparison.Ordinal) ? table.Substring(0, table.Length - 1) + "ies" : table + "s";

    // Dataverse ids do not say their table: ask every table the guards know in one $batch request.
    private Task<CrmRecord?> FindAnyKindAsync(string id, CancellationToken cancellationToken) => FirstFoundAsync(
        [
            $"accounts({id})?$select={RecordMapper.AccountColumns}",
            $"contacts({id})?$select={RecordMapper.ContactColumns}",
            $"leads({id})?$select={RecordMapper.LeadColumns}",
            $"activitypointers({id})?$select={RecordMapper.ActivityColumns}&$expand={RecordMapper.PartiesExpand}",
            $"systemusers({id})?$select={RecordMapper.UserColumns}",
        ],
        [r => _mapper.MapAccount(r), r => _mapper.MapContact(r), r => _mapper.MapLead(r), r => _mapper.MapActivity(r), r => _mapper.MapUser(r)],
        cancellationToken);

    private async Task<CrmRecord?> FirstFoundAsync(string[] urls, Func<JsonElement, CrmRecord?>[] maps, CancellationToken cancellationToken)
    {
        var documents = await _api.BatchGetAsync(urls, cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < documents.Count; i++)
            {
                if (documents[i] is { } document && document.RootElement.ValueKind == JsonValueKind.Object)
                    return maps[i](document.RootElement);
            }

            return null;
        }
        finally
        {
            foreach (var document in documents)
                document?.Dispose();
        }
    }

    /// <summary>
    /// Finds candidates by text, for organisations without the match-key table: contacts by exact email or phone as
    /// given, accounts by name prefix, exact email or phone (one <c>$batch</c>). Names typed differently, phones stored
    /// in another format and websites are not found this way.
    /// </summary>
    private async Task<StoredKeyChoice> SearchByTextAsync(MatchCandidateQuery query, CancellationToken cancellationToken)
    {
        var emails = Lower(query.Keys.Emails).Distinct().Take(_options.MaxInValues).ToList();
        var phones = PhoneVariants(query.Keys.Phones).Distinct().Take(_options.MaxInValues).ToList();
        var contactTerms = new FilterTerms(_options.MaxFilterTerms);
        var accountTerms = new FilterTerms(_options.MaxFilterTerms);
        foreach (var name in NamePrefixes(query.Keys))
            accountTerms.Add(ODataFilter.StartsWith(Schema.Account.Name, name));
        if (emails.Count > 0)
        {
            contactTerms.Add(EmailTerm(Schema.Contact.Email, emails));
            accountTerms.Add(EmailTerm(Schema.Account.Email, emails));
        }

        if (phones.Count > 0)
        {
            contactTerms.Add(phones.Count == 1 ? ODataFilter.Eq(Schema.Contact.Phone, phones[0]) : ODataFilter.In(Schema.Contact.Phone, phones));
            accountTerms.Add(phones.Count == 1 ? ODataFilter.Eq(Schema.Account.Phone, phones[0]) : ODataFilter.In(Schema.Account.Phone, phones));
        }

        var parts = new List<BatchPart>();
        if (accountTerms.Count > 0)
            parts.Add(new(HttpMethod.Get, $"{Schema.Account.EntitySet}?$select={Schema.Account.Id}&$top={query.MaxAccounts}&$filter={Escape(accountTerms.ToOr())}"));
        if (contactTerms.Count > 0)
            parts.Add(new(HttpMethod.Get, $"{Schema.Contact.EntitySet}?$select={Schema.Contact.Id},{Schema.LookupProperty(Schema.Contact.ParentCustomer)}&$top={query.MaxContacts}&$filter={Escape(ODataFilter.And("statecode eq 0", contactTerms.ToOr()))}"));
        if (parts.Count == 0)
            return new StoredKeyChoice([], []);
        var answers = await _api.BatchAsync(parts, cancellationToken).ConfigureAwait(false);
        var accounts = accountTerms.Count > 0 ? Read(answers[0], r => RecordMapper.Lookup(r, Schema.Account.Id)) : [];
        var contacts = contactTerms.Count > 0 ? Read(answers[^1], r => _mapper.MapContact(r)) : [];
        var accountIds = contacts.Select(c => c.AccountId).OfType<string>().Concat(accounts).Distinct(StringComparer.OrdinalIgnoreCase).Take(query.MaxAccounts).ToList();
        return new StoredKeyChoice(accountIds, contacts.Select(c => c.Id).ToList());
    }

    /// <summary>The name as typed (folded) and its distinctive words: prefixes of at least three characters.</summary>
    private static IEnumerable<string> NamePrefixes(MatchKeys keys) =>
        new[] { keys.NormalizedName }.Concat(keys.NameTerms).Where(k => k is { Length: >= 3 }).Distinct(StringComparer.OrdinalIgnoreCase).Take(4);

    private static string EmailTerm(string column, IReadOnlyList<string> emails) =>
        emails.Count == 1 ? ODataFilter.Eq(column, emails[0]) : ODataFilter.In(column, emails);

    private Task<List<Lead>> QueryOpenLeadsAsync(string filter, int max, CancellationToken cancellationToken) =>
        _api.QueryAsync(OpenLeadsUrl(filter), max, r => _mapper.MapLead(r), cancellationToken);

    private static string OpenLeadsUrl(string filter) =>
        $"{Schema.Lead.EntitySet}?$select={RecordMapper.LeadColumns}&$filter={Escape(ODataFilter.And("statecode eq 0", filter))}";

    private static string MatchKeyLookupUrl(StoredKeyLookup lookup) => DataverseKeyStore.LookupUrl(lookup);

    private string TeamsUrl(IReadOnlyList<string> accountIds)
    {
        var filter = ODataFilter.And(
            ODataFilter.IdIn("regardingobjectid", true, accountIds),
            "teamtype eq 1",
            _options.AccountTeamTemplateId is { } template ? ODataFilter.EqGuid("_teamtemplateid_value", template.ToString("D")) : string.Empty);
        return $"{Schema.User.TeamEntitySet}?$select=teamid,_regardingobjectid_value&$expand=teammembership_association($select=systemuserid)&$filter={Escape(filter)}";
    }

    private static Dictionary<string, IReadOnlyList<string>> TeamsByAccount(List<TeamRow> teams) =>
        teams.GroupBy(t => t.AccountId, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.SelectMany(t => t.Members).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), StringComparer.OrdinalIgnoreCase);

    private static TeamRow? ReadTeam(JsonElement team) =>
        RecordMapper.Lookup(team, "_regardingobjectid_value") is { } accountId ? new TeamRow(accountId, ReadMembers(team)) : null;

    private static List<string> ReadMembers(JsonElement team)
    {
        var members = new List<string>();
        if (team.TryGetProperty("teammembership_association", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var member in list.EnumerateArray())
            {
                if (RecordMapper.Lookup(member, "systemuserid") is { } userId)
                    members.Add(userId);
            }
        }

        return members;
    }

    /// <summary>Reads the rows of a batch answer.</summary>
    private static List<T> Read<T>(BatchAnswer answer, Func<JsonElement, T?> map)
    {
        using var document = answer.ThrowIfFailed().Json();
        var rows = new List<T>();
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
            throw new DataverseException("The Dataverse Web API answered a query without a 'value' array.");
        foreach (var row in value.EnumerateArray())
        {
            if (row.ValueKind == JsonValueKind.Object && map(row) is { } item)
                rows.Add(item);
        }

        return rows;
    }

    /// <summary>Orders records as their ids were chosen (the store answers in its own order).</summary>
    private static List<T> InOrder<T>(IReadOnlyList<string> ids, List<T> records, Func<T, string> id)
    {
        var byId = records.GroupBy(id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        return ids.Select(i => byId.TryGetValue(i, out var r) ? r : default).OfType<T>().ToList();
    }

    private static IEnumerable<string> Guids(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            if (ODataFilter.TryGuid(id, out var literal))
                yield return literal;
        }
    }

    private static IEnumerable<string> Lower(IEnumerable<string> values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim().ToLowerInvariant());

    /// <summary>
    /// Exact-match variants of an E.164 phone: as given, without the plus, and with <c>00</c> instead of the plus. The
    /// matcher's switchboard keys (<c>sb:+44…</c>) are its own and are never sent.
    /// </summary>
    private static IEnumerable<string> PhoneVariants(IEnumerable<string> phones)
    {
        foreach (var phone in phones.Where(p => !string.IsNullOrWhiteSpace(p) && !p.StartsWith(PhoneSwitchboardPrefix, StringComparison.Ordinal)).Select(p => p.Trim()))
        {
            yield return phone;
            if (phone.StartsWith("+", StringComparison.Ordinal))
            {
                yield return phone.Substring(1);
                yield return "00" + phone.Substring(1);
            }
        }
    }

    private static string Escape(string filter) => Uri.EscapeDataString(filter);

    private sealed record TeamRow(string AccountId, List<string> Members);
}
