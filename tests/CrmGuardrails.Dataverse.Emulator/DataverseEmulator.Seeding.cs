using System.Globalization;
using System.Text.Json.Nodes;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>Seeding the emulated organisation from the core record model.</summary>
public sealed partial class DataverseEmulator
{
    /// <summary>
    /// Gets or sets a value indicating whether <see cref="Seed(CrmRecord[])"/> also stores the match keys of the accounts,
    /// contacts and leads it seeds, as an org whose key backfill has run holds them. Turn it off to test the backfill.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SeedMatchKeys { get; set; } = true;

    /// <summary>Stores records as Dataverse rows (accounts, contacts, leads, systemusers, activitypointers with activityparties).</summary>
    /// <param name="records">The records; their ids must be GUIDs.</param>
    /// <returns>This emulator.</returns>
    public DataverseEmulator Seed(params CrmRecord[] records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var accountCountries = records.OfType<Account>().ToDictionary(a => a.Id, a => a.Country, StringComparer.OrdinalIgnoreCase);
        foreach (var record in records)
        {
            switch (record)
            {
                case User user:
                    Store.Upsert("systemusers", Row(("systemuserid", user.Id), ("fullname", user.Name))
                        .WithLookup("parentsystemuserid", "systemuser", user.ManagerId));
                    break;
                case Account account:
                    Store.Upsert("accounts", Row(
                            ("accountid", account.Id), ("name", account.Name), ("websiteurl", account.Website), ("telephone1", account.Phone),
                            ("emailaddress1", account.Email), ("address1_line1", account.Street), ("address1_city", account.City),
                            ("address1_postalcode", account.PostalCode), ("address1_country", account.Country))
                        .With("statecode", account.Status == AccountStatus.Former ? 1 : 0)
                        .With("customertypecode", account.Status switch { AccountStatus.Customer => 3, AccountStatus.Prospect => 8, _ => null })
                        .WithLookup("parentaccountid", "account", account.ParentId)
                        .WithLookup("ownerid", null, account.OwnerId));
                    StoreKeys(account.Id, null, StoredMatchKeys.Of(account));
                    break;
                case Contact contact:
                    Store.Upsert("contacts", Row(
                            ("contactid", contact.Id), ("firstname", contact.FirstName), ("lastname", contact.LastName),
                            ("fullname", $"{contact.FirstName} {contact.LastName}".Trim()), ("emailaddress1", contact.Email), ("telephone1", contact.Phone))
                        .With("statecode", 0)
                        .WithLookup("parentcustomerid", "account", contact.AccountId)
                        .WithLookup("ownerid", null, contact.OwnerId));
                    StoreKeys(contact.Id, contact.AccountId, StoredMatchKeys.Of(contact, contact.AccountId is { } accountId ? accountCountries.GetValueOrDefault(accountId) ?? (string?)Store.Find("accounts", accountId)?["address1_country"] : null));
                    break;
                case Lead lead:
                    Store.Upsert("leads", Row(
                            ("leadid", lead.Id), ("firstname", lead.FirstName), ("lastname", lead.LastName), ("fullname", $"{lead.FirstName} {lead.LastName}".Trim()),
                            ("companyname", lead.Company), ("emailaddress1", lead.Email), ("telephone1", lead.Phone), ("websiteurl", lead.Website),
                            ("address1_line1", lead.Street), ("address1_city", lead.City), ("address1_postalcode", lead.PostalCode), ("address1_country", lead.Country))
                        .With("statecode", (int)lead.Status)
                        .WithLookup("ownerid", null, lead.OwnerId));
                    if (lead.Status == LeadStatus.Open)
                        StoreKeys(lead.Id, null, StoredMatchKeys.Of(lead));
                    break;
                case Activity activity:
                    SeedActivity(activity);
                    break;
                default:
                    throw new ArgumentException($"Cannot seed a {record.GetType().Name}.", nameof(records));
            }
        }

        return this;
    }

    private void StoreKeys(string recordId, string? accountId, IReadOnlyList<string> keys)
    {
        if (!SeedMatchKeys)
            return;
        foreach (var key in keys)
        {
            Store.Upsert("crmg_matchkeys", Row(("crmg_matchkeyid", EmulatorIds.For("crmg_matchkey", key + "|" + recordId)), ("crmg_key", key),
                ("crmg_recordid", recordId), ("crmg_accountid", accountId)));
        }
    }

    /// <summary>Stores a scenario: its owner teams, records and account teams.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <returns>This emulator.</returns>
    public DataverseEmulator Seed(EmulatorScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        foreach (var (teamId, name) in scenario.OwnerTeams)
            SeedOwnerTeam(teamId, name);
        Seed(scenario.Records.ToArray());
        foreach (var (accountId, members) in scenario.AccountTeams)
            SeedAccountTeam(accountId, members);
        return this;
    }

    /// <summary>Stores an owner team (a team that can own records, presented to guards as a user).</summary>
    /// <param name="teamId">The team's id.</param>
    /// <param name="name">The team's name.</param>
    /// <returns>This emulator.</returns>
    public DataverseEmulator SeedOwnerTeam(string teamId, string name)
    {
        Store.Upsert("teams", Row(("teamid", teamId), ("name", name)).With("teamtype", 0));
        return this;
    }

    /// <summary>Stores an access team on an account (team template optional) and its members.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="memberUserIds">The members' systemuser ids.</param>
    /// <param name="teamTemplateId">The access-team template, if any.</param>
    /// <returns>The access team's id.</returns>
    public string SeedAccountTeam(string accountId, IEnumerable<string> memberUserIds, Guid? teamTemplateId = null)
    {
        var teamId = Guid.NewGuid().ToString("D");
        Store.Upsert("teams", Row(("teamid", teamId), ("name", $"{accountId}+{teamTemplateId}"))
            .With("teamtype", 1)
            .WithLookup("regardingobjectid", "account", accountId)
            .WithLookup("teamtemplateid", "teamtemplate", teamTemplateId?.ToString("D")));
        foreach (var userId in memberUserIds)
            Store.Upsert("teammemberships", Row(("teamid", teamId), ("systemuserid", userId)));
        return teamId;
    }

    private void SeedActivity(Activity activity)
    {
        var regarding = activity.Regarding;
        var typeCode = TypeCode(activity.Type);
        var pointer = Row(
                ("activityid", activity.Id), ("activitytypecode", typeCode), ("subject", activity.Subject), ("description", activity.Description),
                ("scheduledstart", activity.ScheduledStart?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                ("createdon", activity.CreatedOn?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)))
            .With("statecode", (int)activity.Status)
            .WithLookup("regardingobjectid", regarding is { } r ? LogicalName(r.Kind) : null, regarding?.Id)
            .WithLookup("ownerid", null, activity.OwnerId);
        Store.Upsert("activitypointers", pointer);

        // "Every activity row has an activitypointer row with the same activityid" (docs/platform/dataverse.md §5.3): the row of
        // the activity's own table too, when the emulator knows that table.
        if (Schema.Table(typeCode) is { IsActivity: true } table)
        {
            var own = (JsonObject)pointer.DeepClone();
            own.Remove("activitytypecode");
            if (table.Column("directioncode") is not null && activity.Type is ActivityType.PhoneCall or ActivityType.Email)
                own["directioncode"] = activity.Direction == ActivityDirection.Outbound;
            Store.Upsert(table.EntitySet, own);
        }
        foreach (var party in activity.Parties)
        {
            var mask = activity.Direction == ActivityDirection.Inbound ? 1 : activity.Type == ActivityType.Appointment ? 5 : 2;
            Store.Upsert("activityparties", Row(("activitypartyid", Guid.NewGuid().ToString("D")))
                .WithLookup("activityid", "activitypointer", activity.Id)
                .WithLookup("partyid", LogicalName(party.Kind), party.Id)
                .With("participationtypemask", mask));
        }
    }

    private static string LogicalName(RecordKind kind) => kind switch
    {
        RecordKind.Account => "account",
        RecordKind.Contact => "contact",
        RecordKind.Lead => "lead",
        RecordKind.User => "systemuser",
        RecordKind.Activity => "activitypointer",
        _ => "unknown",
    };

    private static string TypeCode(ActivityType type) => type switch
    {
        ActivityType.PhoneCall => "phonecall",
        ActivityType.Appointment => "appointment",
        ActivityType.Email => "email",
        ActivityType.Chat => "msdyn_ocliveworkitem",
        ActivityType.Sms => "msdyn_ocsms",
        ActivityType.Voicemail => "voicemail",
        _ => "task",
    };

    private static JsonObject Row(params (string Name, string? Value)[] columns)
    {
        var row = new JsonObject();
        foreach (var (name, value) in columns)
        {
            if (!string.IsNullOrEmpty(value))
                row[name] = value;
        }

        return row;
    }
}

internal static class JsonRowExtensions
{
    public static JsonObject With(this JsonObject row, string name, int? value)
    {
        if (value is { } v)
            row[name] = v;
        return row;
    }

    public static JsonObject WithLookup(this JsonObject row, string column, string? logicalName, string? id)
    {
        if (string.IsNullOrEmpty(id))
            return row;
        row[$"_{column}_value"] = id;
        if (logicalName is not null)
            row[$"_{column}_value{EmulatorStore.LookupLogicalName}"] = logicalName;
        return row;
    }
}
