// CrmGuardrails.Dataverse.Plugin (source package): compiled into your plug-in assembly.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using CrmGuardrails;
using CrmGuardrails.Matching;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmGuardrails.Dataverse.Plugin;

/// <summary>
/// Answers the guards' questions with FetchXML through the plug-in's <see cref="IOrganizationService"/>: one query per
/// question, two for questions about activities (the rows, then their parties).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="IOrganizationService"/> is synchronous, so every method does its work before returning and returns an
/// already-completed <see cref="ValueTask{TResult}"/>. That is what lets <see cref="GuardPluginBase"/> run the async core
/// inside the synchronous <c>IPlugin.Execute</c> without blocking on unfinished work or starting threads (the sandbox
/// forbids parallel work). A failure is thrown from inside the check, where the pipeline turns it into its "not checked"
/// verdict.
/// </para>
/// <para>
/// Queries are built with <see cref="XElement"/>, so every value is XML-escaped; values used in <c>like</c> patterns are
/// also escaped for SQL wildcards. Ids that are not GUIDs cannot exist in Dataverse and are not sent.
/// </para>
/// <para>
/// Candidates come from the match-key table (<c>crmg_matchkey</c>): exact, indexed lookups of the lead's keys, which
/// find an account however its name, phone or website was typed. The plug-in keeps the table current for the accounts,
/// contacts and leads it sees saved; <c>crmguard dataverse keys --backfill</c> fills it for existing records.
/// </para>
/// <para>
/// An account's team is its access team(s): users who are members (<c>teammembership</c>) of a <c>team</c> with
/// <c>teamtype</c> 1 (Access) whose <c>regardingobjectid</c> is the account, the rows Dataverse creates for access team
/// templates on the account form. Owner teams are not read.
/// </para>
/// </remarks>
public sealed class OrganizationServiceDirectory : ICrmDirectory
{
    private const int MaxRows = 5000;
    private readonly IOrganizationService _service;
    private readonly DataverseRecordMapper _mapper;
    private readonly DataversePluginSettings _settings;

    /// <summary>Initializes a new instance of the <see cref="OrganizationServiceDirectory"/> class.</summary>
    /// <param name="service">The organisation service of the execution in progress.</param>
    /// <param name="mapper">The row mapper.</param>
    /// <param name="settings">The adapter's settings.</param>
    public OrganizationServiceDirectory(IOrganizationService service, DataverseRecordMapper mapper, DataversePluginSettings settings)
    {
        _service = service ?? throw new ArgumentNullException(nameof(service));
        _mapper = mapper ?? throw new ArgumentNullException(nameof(mapper));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
    }

    /// <inheritdoc />
    /// <remarks>A <see cref="RecordKind.Unknown"/> kind answers <see langword="null"/> without asking: the adapter maps every lookup with its table, so the kind is always known.</remarks>
    public ValueTask<CrmRecord?> GetAsync(RecordRef record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!Guid.TryParse(record.Id, out var id))
            return new ValueTask<CrmRecord?>((CrmRecord?)null);
        switch (record.Kind)
        {
            case RecordKind.Account:
                return One("account", "accountid", id, DataverseRecordMapper.AccountColumns);
            case RecordKind.Contact:
                return One("contact", "contactid", id, DataverseRecordMapper.ContactColumns);
            case RecordKind.Lead:
                return One("lead", "leadid", id, DataverseRecordMapper.LeadColumns);
            case RecordKind.User:
                return One("systemuser", "systemuserid", id, DataverseRecordMapper.UserColumns);
            case RecordKind.Activity:
                var activities = Activities(new[] { Condition("activityid", "eq", id) }, 1);
                return new ValueTask<CrmRecord?>(activities.FirstOrDefault());
            case RecordKind.Unknown:
                // The port lets a caller ask without the kind (a party or a regarding record read from text): each table in turn.
                foreach (var kind in new[] { RecordKind.Account, RecordKind.Contact, RecordKind.Lead, RecordKind.Activity, RecordKind.User })
                {
                    var found = GetAsync(new RecordRef(kind, record.Id), cancellationToken).Result;
                    if (found is not null)
                        return new ValueTask<CrmRecord?>(found);
                }

                return new ValueTask<CrmRecord?>((CrmRecord?)null);
            default:
                return new ValueTask<CrmRecord?>((CrmRecord?)null);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The lead's keys are looked up in the match-key table with one query (per key only when more than 5,000 rows come
    /// back), the candidates are chosen by the embedded index's rule, then the accounts and contacts are read: three
    /// queries, one after another, as the sandbox wants.
    /// </remarks>
    public ValueTask<MatchCandidates> FindMatchCandidatesAsync(MatchCandidateQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var lookups = StoredMatchKeys.LookupsFor(query.Keys);
        if (lookups.Count == 0 || query.MaxAccounts <= 0)
            return new ValueTask<MatchCandidates>(MatchCandidates.None);
        var holders = Holders(lookups);
        var choice = StoredMatchKeys.Choose(lookups, l => holders.TryGetValue(l.Key, out var found) ? found : new List<StoredKeyHolder>(), query.MaxAccounts, query.MaxContacts);
        var accounts = InOrder(choice.AccountIds, FetchByIds(DataverseSchema.Account.Table, DataverseSchema.Account.Id, DataverseRecordMapper.AccountColumns, choice.AccountIds).Select(_mapper.ToAccount));
        var contacts = InOrder(choice.ContactIds, FetchByIds(DataverseSchema.Contact.Table, DataverseSchema.Contact.Id, DataverseRecordMapper.ContactColumns, choice.ContactIds).Select(_mapper.ToContact));
        return new ValueTask<MatchCandidates>(new MatchCandidates(accounts, contacts));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Contact>> FindContactsAsync(ContactQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var ids = Guids(query.AccountIds).ToArray();
        if (ids.Length == 0)
            return new ValueTask<IReadOnlyList<Contact>>(Array.Empty<Contact>());
        var rows = Fetch("contact", query.MaxResults, DataverseRecordMapper.ContactColumns, Filter("and", Condition("statecode", "eq", 0), ConditionIn(DataverseSchema.Contact.ParentCustomer, ids)));
        return new ValueTask<IReadOnlyList<Contact>>(rows.Select(_mapper.ToContact).ToList());
    }

    /// <inheritdoc />
    /// <remarks>Open leads with the same email, or holding one of the lead's stored keys (company name, domain, phone).</remarks>
    public ValueTask<IReadOnlyList<Lead>> FindOpenLeadsAsync(LeadQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var emails = query.Emails.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim().ToLowerInvariant()).Distinct().ToList();
        var lookups = StoredMatchKeys.LeadLookupsFor(query.CompanyKeys with { Emails = emails });
        var holders = Holders(lookups);
        var ids = StoredMatchKeys.ChooseLeads(lookups, l => holders.TryGetValue(l.Key, out var found) ? found : new List<StoredKeyHolder>(), query.MaxResults);
        var any = new List<XElement>();
        any.AddRange(In(DataverseSchema.Lead.Email, emails));
        any.AddRange(In(DataverseSchema.Lead.Id, Guids(ids)));
        if (any.Count == 0)
            return new ValueTask<IReadOnlyList<Lead>>(Array.Empty<Lead>());
        var rows = Fetch("lead", query.MaxResults, DataverseRecordMapper.LeadColumns, Filter("and", Condition("statecode", "eq", 0), Filter("or", any)));
        return new ValueTask<IReadOnlyList<Lead>>(rows.Select(_mapper.ToLead).ToList());
    }

    /// <summary>The holders of each key: one query for all of them, and one per key only if that query hit the row limit.</summary>
    private Dictionary<string, List<StoredKeyHolder>> Holders(IReadOnlyList<StoredKeyLookup> lookups)
    {
        var result = new Dictionary<string, List<StoredKeyHolder>>(StringComparer.Ordinal);
        if (lookups.Count == 0)
            return result;
        var columns = new[] { DataverseSchema.MatchKey.Key, DataverseSchema.MatchKey.RecordId, DataverseSchema.MatchKey.AccountId };
        var rows = Fetch(DataverseSchema.MatchKey.Table, MaxRows, columns, Filter("and", ConditionIn(DataverseSchema.MatchKey.Key, lookups.Select(l => (object)l.Key).ToArray())));
        if (rows.Count >= MaxRows)
        {
            rows = new List<Entity>();
            foreach (var lookup in lookups)
                rows.AddRange(Fetch(DataverseSchema.MatchKey.Table, lookup.MaxHolders + 1, columns, Filter("and", Condition(DataverseSchema.MatchKey.Key, "eq", lookup.Key))));
        }

        foreach (var row in rows)
        {
            if (DataverseRecordMapper.Value(row, DataverseSchema.MatchKey.Key) is not string key || DataverseRecordMapper.Value(row, DataverseSchema.MatchKey.RecordId) is not string id)
                continue;
            if (!result.TryGetValue(key, out var list))
                result[key] = list = new List<StoredKeyHolder>();
            list.Add(new StoredKeyHolder(id, DataverseRecordMapper.Value(row, DataverseSchema.MatchKey.AccountId) as string));
        }

        return result;
    }

    private List<Entity> FetchByIds(string table, string key, IReadOnlyList<string> columns, IReadOnlyList<string> ids)
    {
        var guids = Guids(ids).ToArray();
        return guids.Length == 0 ? new List<Entity>() : Fetch(table, guids.Length, columns, Filter("and", ConditionIn(key, guids)));
    }

    private static List<T> InOrder<T>(IReadOnlyList<string> ids, IEnumerable<T> records)
        where T : CrmRecord
    {
        var byId = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in records)
            byId[record.Id] = record;
        return ids.Select(id => byId.TryGetValue(id, out var r) ? r : null).OfType<T>().ToList();
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Activity>> FindOpenActivitiesAsync(ActivityQuery query, CancellationToken cancellationToken)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var ids = Guids(query.Participants.Select(p => p.Id)).ToList();
        if (ids.Count == 0)
            return new ValueTask<IReadOnlyList<Activity>>(Array.Empty<Activity>());

        // Regarding one of them, or with one of them as a party (an outer join on activityparty, filtered in the main filter).
        var conditions = new List<XElement>
        {
            ConditionIn("statecode", new object[] { 0, 3 }),
            Filter("or", new[] { ConditionIn("regardingobjectid", ids.ToArray()), ConditionIn("partyid", ids.ToArray(), "party") }),
        };
        if (query.CreatedOnOrAfter is { } since)
            conditions.Add(Condition("createdon", "ge", since.UtcDateTime));
        if (query.Direction is { } direction)
            conditions.Add(DirectionFilter(direction));
        IReadOnlyList<Activity> found = Activities(conditions, query.MaxResults);
        return new ValueTask<IReadOnlyList<Activity>>(found);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> GetAccountTeamAsync(string accountId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!Guid.TryParse(accountId, out var id))
            return new ValueTask<IReadOnlyList<string>>(Array.Empty<string>());
        var fetch = new XElement(
            "fetch",
            new XAttribute("distinct", "true"),
            new XAttribute("top", MaxRows),
            new XElement(
                "entity",
                new XAttribute("name", "systemuser"),
                new XElement("attribute", new XAttribute("name", "systemuserid")),
                new XElement(
                    "link-entity",
                    new XAttribute("name", "teammembership"),
                    new XAttribute("from", "systemuserid"),
                    new XAttribute("to", "systemuserid"),
                    new XAttribute("intersect", "true"),
                    new XElement(
                        "link-entity",
                        new XAttribute("name", "team"),
                        new XAttribute("from", "teamid"),
                        new XAttribute("to", "teamid"),
                        new XAttribute("alias", "accessteam"),
                        Filter("and", Condition("regardingobjectid", "eq", id), Condition("teamtype", "eq", 1))))));
        var rows = _service.RetrieveMultiple(new FetchExpression(fetch.ToString(SaveOptions.DisableFormatting))).Entities;
        IReadOnlyList<string> team = rows.Select(r => DataverseRecordMapper.Id(r.Id)).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return new ValueTask<IReadOnlyList<string>>(team);
    }

    private ValueTask<CrmRecord?> One(string entity, string key, Guid id, IReadOnlyList<string> columns)
    {
        var row = Fetch(entity, 1, columns, Filter("and", Condition(key, "eq", id))).FirstOrDefault();
        return new ValueTask<CrmRecord?>(row is null ? null : _mapper.ToRecord(row));
    }

    /// <summary>Open-activity rows with their direction and reschedule count (from the specific tables), then their parties.</summary>
    private List<Activity> Activities(IEnumerable<XElement> conditions, int max)
    {
        var entity = new XElement("entity", new XAttribute("name", "activitypointer"));
        foreach (var column in new[] { "activityid", "activitytypecode", "subject", "scheduledstart", "createdon", "statecode", "ownerid", "regardingobjectid" })
            entity.Add(new XElement("attribute", new XAttribute("name", column)));
        entity.Add(Filter("and", conditions));
        entity.Add(Link("activityparty", "party"));
        var count = _settings.RescheduleCountColumn;
        entity.Add(Link("phonecall", "pc", string.IsNullOrEmpty(count) ? new[] { "directioncode" } : new[] { "directioncode", count }));
        entity.Add(Link("email", "em", "directioncode"));
        if (!string.IsNullOrEmpty(count))
            entity.Add(Link("appointment", "ap", count));
        var fetch = new XElement("fetch", new XAttribute("top", Top(max)), new XAttribute("distinct", "true"), entity);
        var rows = _service.RetrieveMultiple(new FetchExpression(fetch.ToString(SaveOptions.DisableFormatting))).Entities.ToList();
        if (rows.Count == 0)
            return new List<Activity>();

        // activitypointer has no directioncode: copy it (and the reschedule count) from whichever specific table joined.
        foreach (var row in rows)
        {
            foreach (var alias in new[] { "pc", "em", "ap" })
            {
                foreach (var column in new[] { "directioncode", count })
                {
                    if (!string.IsNullOrEmpty(column) && DataverseRecordMapper.Value(row, alias + "." + column) is { } value)
                        row[column!] = value;
                }
            }
        }

        var partyFetch = new XElement(
            "fetch",
            new XAttribute("top", MaxRows),
            new XElement(
                "entity",
                new XAttribute("name", "activityparty"),
                new XElement("attribute", new XAttribute("name", "activityid")),
                new XElement("attribute", new XAttribute("name", "partyid")),
                Filter("and", ConditionIn("activityid", rows.Select(r => (object)r.Id).ToArray()))));
        var parties = new Dictionary<Guid, List<RecordRef>>();
        foreach (var party in _service.RetrieveMultiple(new FetchExpression(partyFetch.ToString(SaveOptions.DisableFormatting))).Entities)
        {
            var activityId = party.GetAttributeValue<EntityReference>("activityid")?.Id ?? Guid.Empty;
            if (_mapper.ToRef(party.GetAttributeValue<EntityReference>("partyid")) is not { } reference || !DataverseRecordMapper.IsCustomer(reference.Kind))
                continue;
            if (!parties.TryGetValue(activityId, out var list))
                parties[activityId] = list = new List<RecordRef>();
            if (!list.Contains(reference))
                list.Add(reference);
        }

        return rows.Select(r => _mapper.ToActivity(r, parties.TryGetValue(r.Id, out var list) ? list : new List<RecordRef>())).ToList();
    }

    /// <summary>Phone calls and emails carry <c>directioncode</c> (false = incoming); other tables have a fixed direction.</summary>
    private XElement DirectionFilter(ActivityDirection direction)
    {
        var code = direction == ActivityDirection.Outbound ? 1 : 0;
        var any = new List<XElement>
        {
            Condition("directioncode", "eq", code, entityName: "pc"),
            Condition("directioncode", "eq", code, entityName: "em"),
        };
        var fixedTables = _settings.ActivityTables()
            .Where(t => t.Key != "phonecall" && t.Key != "email")
            .Where(t => (t.Value is ActivityType.Chat or ActivityType.Voicemail ? ActivityDirection.Inbound : ActivityDirection.Outbound) == direction)
            .Select(t => (object)t.Key)
            .ToArray();
        if (fixedTables.Length > 0)
            any.Add(ConditionIn("activitytypecode", fixedTables));
        return Filter("or", any);
    }

    private List<Entity> Fetch(string entity, int max, IEnumerable<string> columns, XElement filter)
    {
        var element = new XElement("entity", new XAttribute("name", entity));
        foreach (var column in columns)
            element.Add(new XElement("attribute", new XAttribute("name", column)));
        element.Add(filter);
        var fetch = new XElement("fetch", new XAttribute("top", Top(max)), element);
        return _service.RetrieveMultiple(new FetchExpression(fetch.ToString(SaveOptions.DisableFormatting))).Entities.ToList();
    }

    private static XElement Link(string entity, string alias, params string[] columns)
    {
        var link = new XElement(
            "link-entity",
            new XAttribute("name", entity),
            new XAttribute("from", "activityid"),
            new XAttribute("to", "activityid"),
            new XAttribute("alias", alias),
            new XAttribute("link-type", "outer"));
        foreach (var column in columns)
            link.Add(new XElement("attribute", new XAttribute("name", column)));
        return link;
    }

    private static XElement Filter(string type, IEnumerable<XElement> children) => new("filter", new XAttribute("type", type), children);

    private static XElement Filter(string type, params XElement[] children) => new("filter", new XAttribute("type", type), children);

    private static XElement Condition(string attribute, string op, object value, string? entityName = null)
    {
        var condition = Start(attribute, op, entityName);
        condition.Add(new XAttribute("value", Format(value)));
        return condition;
    }

    private static XElement ConditionIn(string attribute, object[] values, string? entityName = null)
    {
        var condition = Start(attribute, "in", entityName);
        condition.Add(values.Select(v => new XElement("value", Format(v))));
        return condition;
    }

    private static XElement Start(string attribute, string op, string? entityName)
    {
        var condition = new XElement("condition");
        if (entityName is not null)
            condition.Add(new XAttribute("entityname", entityName));
        condition.Add(new XAttribute("attribute", attribute), new XAttribute("operator", op));
        return condition;
    }

    private static IEnumerable<XElement> In(string attribute, IEnumerable<object> values)
    {
        var list = values.Distinct().ToArray();
        if (list.Length > 0)
            yield return ConditionIn(attribute, list);
    }

    private static IEnumerable<XElement> In(string attribute, IEnumerable<string> values) =>
        In(attribute, values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => (object)v));

    private static IEnumerable<object> Guids(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            if (Guid.TryParse(id, out var guid))
                yield return guid;
        }
    }

    private static IEnumerable<string> PhoneForms(IEnumerable<string> digits) =>
        digits.Where(d => d.Length > 0).SelectMany(d => new[] { "+" + d.TrimStart('+'), d.TrimStart('+') });

    private static string Format(object value) => value switch
    {
        Guid g => g.ToString("D"),
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Escapes SQL LIKE wildcards the way FetchXML reads them: <c>[%]</c>, <c>[_]</c>, <c>[[]</c>.</summary>
    private static string EscapeLike(string value) => value.Replace("[", "[[]").Replace("%", "[%]").Replace("_", "[_]");

    private static int Top(int max) => Math.Max(1, Math.Min(MaxRows, max));
}
