using System.Text.Json;
using CrmGuardrails.Dataverse.Internal;
using CrmGuardrails.Matching;
using Microsoft.Extensions.Options;

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
public sealed class DataverseDirectory : ICrmDirectory
{
    private readonly DataverseWebApi _api;
    private readonly RecordMapper _mapper;
    private readonly DataverseDirectoryOptions _options;

    /// <summary>Initializes a new instance of the <see cref="DataverseDirectory"/> class.</summary>
    /// <param name="httpClient">The client; its handlers add the bearer token and resilience (see <c>AddCrmGuardrailsDataverse</c>).</param>
    /// <param name="options">The options.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public DataverseDirectory(HttpClient httpClient, IOptions<DataverseDirectoryOptions> options)
    {
        if (httpClient is null)
            throw new ArgumentNullException(nameof(httpClient));
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        _options = options.Value.Clone();
        _options.ThrowIfInvalid();
        _api = new DataverseWebApi(httpClient, _options);
        _mapper = new RecordMapper(_options);
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
                return await _api.GetAsync($"contacts({id})?$select={RecordMapper.ContactColumns}", RecordMapper.MapContact, cancellationToken).ConfigureAwait(false);
            case RecordKind.Lead:
                return await _api.GetAsync($"leads({id})?$select={RecordMapper.LeadColumns}", RecordMapper.MapLead, cancellationToken).ConfigureAwait(false);
            case RecordKind.Activity:
                return await _api.GetAsync(
                    $"activitypointers({id})?$select={RecordMapper.ActivityColumns},description&$expand={RecordMapper.PartiesExpand}",
                    RecordMapper.MapActivity,
                    cancellationToken).ConfigureAwait(false);
            case RecordKind.User:
                // Owners may be teams: a user id that is not a systemuser is looked up among teams (second request).
                return await _api.GetAsync($"systemusers({id})?$select={RecordMapper.UserColumns}", RecordMapper.MapUser, cancellationToken).ConfigureAwait(false)
                    ?? await _api.GetAsync($"teams({id})?$select={RecordMapper.TeamColumns}", RecordMapper.MapTeam, cancellationToken).ConfigureAwait(false);
            default:
                return await FindAnyKindAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Account>> FindAccountsAsync(AccountQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));

        var terms = new FilterTerms(_options.MaxFilterTerms);
        AddIn(terms, "accountid", Guids(query.Ids));
        AddAccountKeyTerms(terms, query.Keys, nameColumn: "name");
        if (terms.Count == 0 || query.MaxResults <= 0)
            return [];

        var url = $"accounts?$select={RecordMapper.AccountColumns}&$filter={Escape(terms.ToOr())}";
        return await _api.QueryAsync(url, query.MaxResults, r => _mapper.MapAccount(r), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Contact>> FindContactsAsync(ContactQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));

        var terms = new FilterTerms(_options.MaxFilterTerms);
        AddIn(terms, "_parentcustomerid_value", Guids(query.AccountIds));
        AddIn(terms, "emailaddress1", Lower(query.Emails));
        foreach (var domain in Lower(query.EmailDomains))
            terms.Add(ODataFilter.EndsWith("emailaddress1", "@" + domain));
        AddIn(terms, "telephone1", PhoneVariants(query.Phones));
        if (terms.Count == 0 || query.MaxResults <= 0)
            return [];

        var filter = ODataFilter.And("statecode eq 0", terms.ToOr());
        var url = $"contacts?$select={RecordMapper.ContactColumns}&$filter={Escape(filter)}";
        return await _api.QueryAsync(url, query.MaxResults, r => RecordMapper.MapContact(r), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Lead>> FindOpenLeadsAsync(LeadQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));

        var terms = new FilterTerms(_options.MaxFilterTerms);
        AddIn(terms, "emailaddress1", Lower(query.Emails));
        AddAccountKeyTerms(terms, query.CompanyKeys, nameColumn: "companyname");
        if (terms.Count == 0 || query.MaxResults <= 0)
            return [];

        var filter = ODataFilter.And("statecode eq 0", terms.ToOr());
        var url = $"leads?$select={RecordMapper.LeadColumns}&$filter={Escape(filter)}";
        return await _api.QueryAsync(url, query.MaxResults, r => RecordMapper.MapLead(r), cancellationToken).ConfigureAwait(false);
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
        var regarding = ODataFilter.In("_regardingobjectid_value", ids);
        var party = $"{RecordMapper.PartiesNavigation}/any(p:{ODataFilter.Or(ids.Select(id => ODataFilter.EqGuid("p/_partyid_value", id)))})";
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
            r => RecordMapper.MapActivity(r) is { } a && (direction is null || a.Direction == direction) ? a : null,
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

        var filter = ODataFilter.And(
            ODataFilter.EqGuid("_regardingobjectid_value", id),
            "teamtype eq 1",
            _options.AccountTeamTemplateId is { } template ? ODataFilter.EqGuid("_teamtemplateid_value", template.ToString("D")) : string.Empty);
        var url = $"teams?$select=teamid&$expand=teammembership_association($select=systemuserid)&$filter={Escape(filter)}";
        var teams = await _api.QueryAsync(url, 50, ReadMembers, cancellationToken).ConfigureAwait(false);
        return teams.SelectMany(t => t).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        static List<string>? ReadMembers(JsonElement team)
        {
            var members = new List<string>();
            if (team.TryGetProperty("teammembership_association", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var member in list.EnumerateArray())
                {
                    if (member.TryGetProperty("systemuserid", out var value) && value.ValueKind == JsonValueKind.String &&
                        ODataFilter.TryGuid(value.GetString(), out var userId))
                    {
                        members.Add(userId);
                    }
                }
            }

            return members;
        }
    }

    private async Task<CrmRecord?> FindAnyKindAsync(string id, CancellationToken cancellationToken)
    {
        // Dataverse ids do not say their table: ask every table the guards know in one $batch request.
        var urls = new[]
        {
            $"accounts({id})?$select={RecordMapper.AccountColumns}",
            $"contacts({id})?$select={RecordMapper.ContactColumns}",
            $"leads({id})?$select={RecordMapper.LeadColumns}",
            $"activitypointers({id})?$select={RecordMapper.ActivityColumns},description&$expand={RecordMapper.PartiesExpand}",
            $"systemusers({id})?$select={RecordMapper.UserColumns}",
        };
        var maps = new Func<JsonElement, CrmRecord?>[] { _mapper.MapAccount, RecordMapper.MapContact, RecordMapper.MapLead, RecordMapper.MapActivity, RecordMapper.MapUser };
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
    /// Turns blocking keys into terms: <c>startswith(name, key)</c> for the normalised name and its distinctive keys
    /// (Dataverse compares strings case-insensitively), <c>contains(websiteurl, domain)</c> and
    /// <c>endswith(emailaddress1, '@domain')</c> per domain, exact emails and phone variants with <c>In</c>.
    /// </summary>
    private void AddAccountKeyTerms(FilterTerms terms, MatchKeys keys, string nameColumn)
    {
        foreach (var name in new[] { keys.NormalizedName }.Concat(keys.NameTerms).Where(k => k is { Length: >= 3 }).Distinct(StringComparer.OrdinalIgnoreCase).Take(4))
            terms.Add(ODataFilter.StartsWith(nameColumn, name));
        foreach (var domain in Lower(keys.Domains).Take(5))
        {
            terms.Add(ODataFilter.Contains("websiteurl", domain));
            terms.Add(ODataFilter.EndsWith("emailaddress1", "@" + domain));
        }

        AddIn(terms, "emailaddress1", Lower(keys.Emails));
        AddIn(terms, "telephone1", PhoneVariants(keys.Phones));
    }

    private void AddIn(FilterTerms terms, string column, IEnumerable<string> values)
    {
        var list = values.Distinct(StringComparer.OrdinalIgnoreCase).Take(_options.MaxInValues).ToList();
        if (list.Count == 1)
            terms.Add(ODataFilter.Eq(column, list[0]));
        else if (list.Count > 1)
            terms.Add(ODataFilter.In(column, list));
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

    /// <summary>Exact-match variants of an E.164 phone: as given, without the plus, and with <c>00</c> instead of the plus.</summary>
    private static IEnumerable<string> PhoneVariants(IEnumerable<string> phones)
    {
        foreach (var phone in phones.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()))
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
}
