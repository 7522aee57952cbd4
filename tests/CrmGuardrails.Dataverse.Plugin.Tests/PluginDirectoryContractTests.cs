using CrmGuardrails.Dataverse.Plugin;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Testing;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Fakes;

namespace CrmGuardrails.Dataverse.Plugin.Tests;

/// <summary>
/// The directory contract against the plug-in's <see cref="OrganizationServiceDirectory"/>, over the fake organisation
/// service seeded with the contract org as Dataverse rows, and with the match-key rows the plug-in keeps
/// (<see cref="StoredMatchKeys"/>: accounts, contacts with their account's country, open leads).
/// </summary>
public sealed class PluginDirectoryContractTests : CrmDirectoryContract
{
    private static readonly DataversePluginSettings Settings = new();
    private readonly FakeOrganizationService _service = new();

    protected override int? RequestCount => _service.Requests.Count;

    protected override Task<ICrmDirectory> CreateDirectoryAsync(ContractOrg org)
    {
        ContractRows.Seed(_service, org);
        return Task.FromResult<ICrmDirectory>(new OrganizationServiceDirectory(_service, new DataverseRecordMapper(Settings), Settings));
    }
}

/// <summary>The contract org as the rows a Dataverse organisation holds (SDK entities), with its match keys.</summary>
internal static class ContractRows
{
    public static void Seed(FakeOrganizationService service, ContractOrg org)
    {
        foreach (var user in org.Users)
            service.Seed(new Entity("systemuser", Guid.Parse(user.Id)) { ["fullname"] = user.Name, ["parentsystemuserid"] = Ref("systemuser", user.ManagerId) });
        foreach (var account in org.Accounts)
        {
            service.Seed(new Entity("account", Guid.Parse(account.Id))
            {
                ["name"] = account.Name, ["websiteurl"] = account.Website, ["telephone1"] = account.Phone, ["emailaddress1"] = account.Email,
                ["address1_line1"] = account.Street, ["address1_city"] = account.City, ["address1_postalcode"] = account.PostalCode,
                ["address1_country"] = account.Country, ["parentaccountid"] = Ref("account", account.ParentId), ["ownerid"] = Owner(org, account.OwnerId),
                ["statecode"] = new OptionSetValue(account.Status == AccountStatus.Former ? 1 : 0),
                ["customertypecode"] = account.Status switch { AccountStatus.Prospect => new OptionSetValue(8), AccountStatus.Unknown => null, _ => new OptionSetValue(3) },
            });
            Keys(service, account.Id, null, StoredMatchKeys.Of(account));
        }

        foreach (var (contact, active) in org.Contacts.Select(c => (c, true)).Concat(org.InactiveContacts.Select(c => (c, false))))
        {
            service.Seed(new Entity("contact", Guid.Parse(contact.Id))
            {
                ["parentcustomerid"] = Ref("account", contact.AccountId), ["firstname"] = contact.FirstName, ["lastname"] = contact.LastName,
                ["emailaddress1"] = contact.Email, ["telephone1"] = contact.Phone, ["ownerid"] = Owner(org, contact.OwnerId),
                ["statecode"] = new OptionSetValue(active ? 0 : 1),
            });
            var country = contact.AccountId is { } accountId ? org.AccountOf(accountId).Country : null;
            Keys(service, contact.Id, contact.AccountId, StoredMatchKeys.Of(contact, country));
        }

        foreach (var lead in org.Leads)
        {
            service.Seed(new Entity("lead", Guid.Parse(lead.Id))
            {
                ["firstname"] = lead.FirstName, ["lastname"] = lead.LastName, ["companyname"] = lead.Company, ["emailaddress1"] = lead.Email,
                ["telephone1"] = lead.Phone, ["websiteurl"] = lead.Website, ["address1_country"] = lead.Country, ["ownerid"] = Owner(org, lead.OwnerId),
                ["statecode"] = new OptionSetValue((int)lead.Status),
            });

            // Only open leads keep keys (a qualified or disqualified lead loses them).
            if (lead.Status == LeadStatus.Open)
                Keys(service, lead.Id, null, StoredMatchKeys.Of(lead));
        }

        foreach (var activity in org.Activities)
            service.Seed(ActivityRow(org, activity));

        foreach (var team in org.AccountTeam.GroupBy(m => m.AccountId))
        {
            var teamId = Guid.NewGuid();
            service.Seed(new Entity("team", teamId) { ["name"] = "Account team " + team.Key, ["regardingobjectid"] = Ref("account", team.Key), ["teamtype"] = new OptionSetValue(1) });
            foreach (var member in team)
                service.Seed(new Entity("teammembership", Guid.NewGuid()) { ["teamid"] = teamId, ["systemuserid"] = Guid.Parse(member.UserId) });
        }
    }

    private static Entity ActivityRow(ContractOrg org, Activity activity)
    {
        var table = activity.Type switch
        {
            ActivityType.PhoneCall => "phonecall",
            ActivityType.Appointment => "appointment",
            ActivityType.Email => "email",
            ActivityType.Task => "task",
            _ => throw new ArgumentOutOfRangeException(nameof(activity), activity.Type, "The contract org has no such activity."),
        };
        var row = new Entity(table, Guid.Parse(activity.Id))
        {
            ["subject"] = activity.Subject,
            ["description"] = activity.Description,
            ["regardingobjectid"] = activity.Regarding is { } regarding ? new EntityReference(LogicalName(regarding.Kind), Guid.Parse(regarding.Id)) : null,
            ["scheduledstart"] = activity.ScheduledStart?.UtcDateTime,
            ["createdon"] = activity.CreatedOn?.UtcDateTime,
            ["ownerid"] = Owner(org, activity.OwnerId),
            ["statecode"] = new OptionSetValue(activity.Status switch { ActivityStatus.Completed => 1, ActivityStatus.Canceled => 2, _ => 0 }),
        };
        if (activity.Type is ActivityType.PhoneCall or ActivityType.Email)
            row["directioncode"] = activity.Direction == ActivityDirection.Outbound;
        if (activity.Parties.Count > 0)
        {
            // The customer is a recipient of what goes out, the sender of what comes in, an attendee of a meeting.
            var list = activity.Type == ActivityType.Appointment ? "requiredattendees" : activity.Direction == ActivityDirection.Inbound ? "from" : "to";
            row[list] = new EntityCollection(activity.Parties.Select(p => new Entity("activityparty") { ["partyid"] = new EntityReference(LogicalName(p.Kind), Guid.Parse(p.Id)) }).ToList());
        }

        return row;
    }

    private static void Keys(FakeOrganizationService service, string recordId, string? accountId, IReadOnlyList<string> keys)
    {
        foreach (var key in keys)
            service.Seed(new Entity("crmg_matchkey", Guid.NewGuid()) { ["crmg_key"] = key, ["crmg_recordid"] = recordId, ["crmg_accountid"] = accountId });
    }

    private static EntityReference? Owner(ContractOrg org, string? userId) =>
        userId is null ? null : new EntityReference("systemuser", Guid.Parse(userId)) { Name = org.Users.FirstOrDefault(u => u.Id == userId)?.Name };

    private static EntityReference? Ref(string logicalName, string? id) => id is null ? null : new EntityReference(logicalName, Guid.Parse(id));

    private static string LogicalName(RecordKind kind) => kind switch
    {
        RecordKind.Account => "account",
        RecordKind.Contact => "contact",
        RecordKind.Lead => "lead",
        RecordKind.User => "systemuser",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
