using System.Security.Cryptography;
using System.Text;
using CrmGuardrails.Dataverse.Plugin;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Fakes;

namespace CrmGuardrails.Dataverse.Plugin.Tests;

/// <summary>
/// The replay scenario of shared/examples/replay/snapshot.json, loaded into the fake organisation service as Dataverse
/// rows (ids become deterministic GUIDs; the chat is a custom activity table), and a way to run the plug-in on it.
/// </summary>
internal sealed class DataverseOrg
{
    public const string ChatTable = "crmg_chat";
    public static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    public DataverseOrg()
    {
        Service.ActivityLogicalNames.Add(ChatTable);
        var snapshot = CrmSnapshot.Load(SharedFiles.Path("examples", "replay", "snapshot.json"));
        foreach (var user in snapshot.Users)
            Service.Seed(new Entity("systemuser", Id(user.Id)) { ["fullname"] = user.Name, ["parentsystemuserid"] = Ref("systemuser", user.ManagerId) });
        foreach (var account in snapshot.Accounts)
        {
            Service.Seed(new Entity("account", Id(account.Id))
            {
                ["name"] = account.Name, ["websiteurl"] = account.Website, ["telephone1"] = account.Phone, ["emailaddress1"] = account.Email,
                ["address1_city"] = account.City, ["address1_country"] = account.Country, ["ownerid"] = Ref("systemuser", account.OwnerId),
                ["statecode"] = new OptionSetValue(account.Status == AccountStatus.Former ? 1 : 0),
                ["customertypecode"] = new OptionSetValue(account.Status == AccountStatus.Customer ? 3 : 8),
            });
        }

        foreach (var member in snapshot.AccountTeam)
        {
            var team = Id("team:" + member.AccountId);
            Service.Seed(new Entity("team", team) { ["regardingobjectid"] = Ref("account", member.AccountId), ["teamtype"] = new OptionSetValue(1) });
            Service.Seed(new Entity("teammembership", Guid.NewGuid()) { ["teamid"] = team, ["systemuserid"] = Id(member.UserId) });
        }

        foreach (var contact in snapshot.Contacts)
        {
            Service.Seed(new Entity("contact", Id(contact.Id))
            {
                ["parentcustomerid"] = Ref("account", contact.AccountId), ["firstname"] = contact.FirstName, ["lastname"] = contact.LastName,
                ["emailaddress1"] = contact.Email, ["telephone1"] = contact.Phone, ["ownerid"] = Ref("systemuser", contact.OwnerId), ["statecode"] = new OptionSetValue(0),
            });
        }

        foreach (var lead in snapshot.Leads)
        {
            Service.Seed(new Entity("lead", Id(lead.Id))
            {
                ["firstname"] = lead.FirstName, ["lastname"] = lead.LastName, ["companyname"] = lead.Company, ["emailaddress1"] = lead.Email,
                ["websiteurl"] = lead.Website, ["ownerid"] = Ref("systemuser", lead.OwnerId), ["statecode"] = new OptionSetValue(0),
            });
        }

        foreach (var activity in snapshot.Activities)
            Service.Seed(ActivityRow(activity));

        // The match-key rows the plug-in keeps for accounts, contacts (read with their account's country) and open leads.
        var countries = snapshot.Accounts.ToDictionary(a => a.Id, a => a.Country);
        foreach (var account in snapshot.Accounts)
            SeedKeys(account.Id, null, StoredMatchKeys.Of(account));
        foreach (var contact in snapshot.Contacts)
            SeedKeys(contact.Id, contact.AccountId, StoredMatchKeys.Of(contact, contact.AccountId is { } a && countries.TryGetValue(a, out var country) ? country : null));
        foreach (var lead in snapshot.Leads.Where(l => l.Status == LeadStatus.Open))
            SeedKeys(lead.Id, null, StoredMatchKeys.Of(lead));
    }

    /// <summary>Stores a record's match keys (crmg_matchkey rows: key, record id, account id) by scenario ids.</summary>
    public void SeedKeys(string recordId, string? accountId, IReadOnlyList<string> keys)
    {
        foreach (var key in keys)
            Service.Seed(new Entity("crmg_matchkey", Guid.NewGuid()) { ["crmg_key"] = key, ["crmg_recordid"] = CoreId(recordId), ["crmg_accountid"] = accountId is null ? null : CoreId(accountId) });
    }

    public FakeOrganizationService Service { get; } = new();

    /// <summary>A deterministic GUID for a scenario id ("u1", "a-contoso"…).</summary>
    public static Guid Id(string id) => new(MD5.HashData(Encoding.UTF8.GetBytes(id)));

    public static string CoreId(string id) => Id(id).ToString("D");

    public static EntityReference? Ref(string logicalName, string? id) => id is null ? null : new EntityReference(logicalName, Id(id));

    public static EntityReference Ref(RecordRef record) => new(LogicalName(record.Kind), Id(record.Id));

    public static string LogicalName(RecordKind kind) => kind switch
    {
        RecordKind.Account => "account",
        RecordKind.Contact => "contact",
        RecordKind.Lead => "lead",
        RecordKind.User => "systemuser",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string TableOf(ActivityType type) => type switch
    {
        ActivityType.PhoneCall => "phonecall",
        ActivityType.Appointment => "appointment",
        ActivityType.Email => "email",
        ActivityType.Task => "task",
        ActivityType.Chat => ChatTable,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static EntityCollection Parties(params EntityReference[] parties) =>
        new(parties.Select(p => new Entity("activityparty") { ["partyid"] = p }).ToList());

    /// <summary>A Target for a new activity: parties in the table's party list, direction where the table has one.</summary>
    public static Entity NewActivity(ActivityType type, ActivityDirection direction, RecordRef customer, DateTime? scheduledStart, string owner, string? subject = null)
    {
        var table = TableOf(type);
        var target = new Entity(table)
        {
            ["regardingobjectid"] = Ref(customer),
            ["ownerid"] = Ref("systemuser", owner),
            ["subject"] = subject,
        };
        if (scheduledStart is { } start)
            target["scheduledstart"] = start;
        if (type is ActivityType.PhoneCall or ActivityType.Email)
            target["directioncode"] = direction == ActivityDirection.Outbound;
        if (type != ActivityType.Task)
            target[type == ActivityType.Appointment ? "requiredattendees" : "to"] = Parties(Ref(customer));
        return target;
    }

    public static Entity NewLead(string first, string last, string company, string email) =>
        new("lead") { ["firstname"] = first, ["lastname"] = last, ["companyname"] = company, ["emailaddress1"] = email };

    private static Entity ActivityRow(Activity activity)
    {
        var row = NewActivity(activity.Type, activity.Direction, activity.Parties[0], activity.ScheduledStart?.UtcDateTime, activity.OwnerId!, activity.Subject);
        row.Id = Id(activity.Id);
        row["regardingobjectid"] = activity.Regarding is { } regarding ? Ref(regarding) : null;
        row["createdon"] = activity.CreatedOn?.UtcDateTime;
        row["statecode"] = new OptionSetValue(activity.Status switch { ActivityStatus.Completed => 1, ActivityStatus.Canceled => 2, _ => 0 });
        row["crmg_reschedulecount"] = activity.RescheduleCount;
        return row;
    }

    /// <summary>Runs the plug-in; returns the services it saw and what it threw, if anything.</summary>
    public (FakeServiceProvider Provider, Exception? Thrown) Run(GuardPluginBase plugin, FakePluginExecutionContext context)
    {
        var provider = new FakeServiceProvider(context, Service);
        Service.ResetRequests();
        var thrown = Record.Exception(() => plugin.Execute(provider));
        return (provider, thrown);
    }

    public static PluginExecutionContextBuilder Context(string message, int stage, string user, DateTime? at = null) =>
        new PluginExecutionContextBuilder().WithMessage(message).WithStage(stage).WithUser(Id(user)).WithOperationCreatedOn(at ?? Now);
}

/// <summary>The plug-in as a customer derives it.</summary>
public sealed class LeadAndActivityGuardPlugin : GuardPluginBase
{
    public const string DefaultConfiguration = """{ "Dataverse": { "ChatEntity": "crmg_chat" } }""";

    public LeadAndActivityGuardPlugin(string? unsecureConfiguration, string? secureConfiguration)
        : base(unsecureConfiguration, secureConfiguration)
    {
    }

    public LeadAndActivityGuardPlugin()
        : this(DefaultConfiguration, null)
    {
    }
}

internal static class SharedFiles
{
    /// <summary>Finds shared/ (beside the repository in development and CI) by walking up from the test binaries.</summary>
    public static string Path(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared");
            if (System.IO.Directory.Exists(System.IO.Path.Combine(candidate, "examples")))
                return System.IO.Path.Combine([candidate, .. parts]);
        }

        throw new InvalidOperationException($"shared/ was not found above {AppContext.BaseDirectory}; it must sit beside the repository.");
    }
}
