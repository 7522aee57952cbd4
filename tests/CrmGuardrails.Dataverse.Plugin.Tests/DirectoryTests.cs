using System.Xml.Linq;
using CrmGuardrails.Dataverse.Plugin;
using CrmGuardrails.Matching;
using Microsoft.Xrm.Sdk;
using static CrmGuardrails.Dataverse.Plugin.Tests.DataverseOrg;

namespace CrmGuardrails.Dataverse.Plugin.Tests;

/// <summary>The FetchXML directory and the row mapper, asked directly.</summary>
public class DirectoryTests
{
    private static readonly DataversePluginSettings Settings = new() { ChatEntity = ChatTable };
    private readonly DataverseOrg _org = new();
    private readonly OrganizationServiceDirectory _directory;

    public DirectoryTests()
    {
        _directory = new OrganizationServiceDirectory(_org.Service, new DataverseRecordMapper(Settings), Settings);
    }

    [Fact]
    public void Every_Method_ReturnsACompletedTask_AskingAtMostThreeQueries()
    {
        var anna = new RecordRef(RecordKind.Contact, CoreId("c-anna"));
        var contoso = StoredMatchKeys.Matcher.GetKeys(new Lead { Company = "Contoso Pharmaceuticals", Email = "tom.reed@contoso-pharma.co.uk", Phone = "+44 20 7946 0000" });
        var calls = new Func<Task>[]
        {
            () => Check(_directory.GetAsync(anna, default), 1),
            () => Check(_directory.GetAsync(new RecordRef(RecordKind.Activity, CoreId("t-omar")), default), 2),

            // The keys, then the accounts, then the contacts: one query each, one after another.
            () => Check(_directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = contoso }, default), 3),
            () => Check(_directory.FindContactsAsync(new ContactQuery { AccountIds = [CoreId("a-contoso")] }, default), 1),
            () => Check(_directory.FindOpenLeadsAsync(new LeadQuery { Emails = ["omar@proseware.io"] }, default), 2),
            () => Check(_directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [anna] }, default), 2),
            () => Check(_directory.GetAccountTeamAsync(CoreId("a-litware"), default), 1),
        };
        foreach (var call in calls)
            call();

        Task Check<T>(ValueTask<T> pending, int queries)
        {
            Assert.True(pending.IsCompletedSuccessfully);
            Assert.Equal(queries, _org.Service.Requests.Count);
            _org.Service.ResetRequests();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task FindMatchCandidates_ByStoredKeys_FindsContosoInTheReplayOrg()
    {
        var byName = await _directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = StoredMatchKeys.Matcher.GetKeys(new Lead { Company = "CONTOSO PHARMACEUTICALS" }) }, default);
        var byDomain = await _directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = StoredMatchKeys.Matcher.GetKeys(new Lead { Website = "contoso-pharma.co.uk" }) }, default);

        var account = Assert.Single(byName.Accounts);
        Assert.Equal(CoreId("a-contoso"), account.Id);
        Assert.Equal(AccountStatus.Customer, account.Status);
        Assert.Equal(CoreId("u1"), account.OwnerId);
        Assert.Equal(CoreId("a-contoso"), Assert.Single(byDomain.Accounts).Id);
        Assert.Contains(byDomain.Contacts, c => c.Id == CoreId("c-anna"));
    }

    [Fact]
    public async Task Values_AreXmlEscaped()
    {
        var found = await _directory.FindOpenLeadsAsync(new LeadQuery { Emails = ["o'brien<&>\"co\"@example.com"] }, default);

        Assert.Empty(found);
        var fetch = Assert.Single(_org.Service.FetchXml, f => f.Contains("<entity name=\"lead\">", StringComparison.Ordinal));
        Assert.Contains("&lt;&amp;&gt;", fetch, StringComparison.Ordinal);
        var email = XElement.Parse(fetch).Descendants("condition").Single(c => (string?)c.Attribute("attribute") == "emailaddress1");
        Assert.Equal("o'brien<&>\"co\"@example.com", email.Element("value")?.Value);
    }

    [Fact]
    public async Task NonGuidIds_AreNotSent()
    {
        var record = await _directory.GetAsync(new RecordRef(RecordKind.Account, "a-contoso"), default);
        var team = await _directory.GetAccountTeamAsync("a-litware", default);
        var activities = await _directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [new RecordRef(RecordKind.Lead, "l-omar")] }, default);

        Assert.Null(record);
        Assert.Empty(team);
        Assert.Empty(activities);
        Assert.Empty(_org.Service.Requests);
    }

    [Fact]
    public async Task AccountTeam_IsTheAccessTeamRegardingTheAccount()
    {
        var team = await _directory.GetAccountTeamAsync(CoreId("a-litware"), default);
        var none = await _directory.GetAccountTeamAsync(CoreId("a-contoso"), default);

        Assert.Equal([CoreId("u2")], team);
        Assert.Empty(none);
    }

    [Fact]
    public async Task OpenActivities_ByParty_WithDirectionTypeAndCustomerPartiesOnly()
    {
        var omar = new RecordRef(RecordKind.Lead, CoreId("l-omar"));
        _org.Service.Seed(new Entity("phonecall", Id("t-done"))
        {
            ["ownerid"] = Ref("systemuser", "u1"), ["statecode"] = new OptionSetValue(1), ["directioncode"] = true,
            ["to"] = Parties(Ref(new RecordRef(RecordKind.Lead, "l-omar"))),
        });
        _org.Service.Seed(new Entity("phonecall", Id("t-in"))
        {
            ["ownerid"] = Ref("systemuser", "u1"), ["statecode"] = new OptionSetValue(0), ["directioncode"] = false,
            ["from"] = Parties(Ref(new RecordRef(RecordKind.Lead, "l-omar")), Ref("systemuser", "u1")!),
        });

        var all = await _directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [omar] }, default);
        var inbound = await _directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [omar], Direction = ActivityDirection.Inbound }, default);
        var outbound = await _directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [omar], Direction = ActivityDirection.Outbound }, default);

        Assert.Equal([CoreId("t-in"), CoreId("t-omar")], all.Select(a => a.Id).Order());
        var call = Assert.Single(inbound);
        Assert.Equal(ActivityType.PhoneCall, call.Type);
        Assert.Equal([omar], call.Parties);
        var meeting = Assert.Single(outbound);
        Assert.Equal(ActivityType.Appointment, meeting.Type);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 14, 0, 0, TimeSpan.Zero), meeting.ScheduledStart);
        Assert.Equal(CoreId("u2"), meeting.OwnerId);
    }

    [Fact]
    public async Task OpenActivities_CreatedSince_FiltersOnCreatedOn()
    {
        var anna = new RecordRef(RecordKind.Contact, CoreId("c-anna"));

        var recent = await _directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [anna], CreatedOnOrAfter = new DateTimeOffset(Now.AddHours(-2)) }, default);
        var later = await _directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [anna], CreatedOnOrAfter = new DateTimeOffset(Now) }, default);

        var chat = Assert.Single(recent);
        Assert.Equal(ActivityType.Chat, chat.Type);
        Assert.Equal(ActivityDirection.Inbound, chat.Direction);
        Assert.Empty(later);
    }

    [Fact]
    public void Mapper_ActivityTarget_ReadsPartiesDirectionStatusAndLookups()
    {
        var mapper = new DataverseRecordMapper(Settings);
        var lead = Ref(new RecordRef(RecordKind.Lead, "l-omar"));
        var email = new Entity("email")
        {
            ["directioncode"] = false,
            ["statecode"] = new OptionSetValue(1),
            ["regardingobjectid"] = new EntityReference("opportunity", Guid.NewGuid()),
            ["from"] = Parties(lead, Ref("systemuser", "u1")!),
            ["to"] = Parties(lead, Ref(new RecordRef(RecordKind.Contact, "c-anna"))),
            ["scheduledstart"] = Now,
            ["crmg_reschedulecount"] = 3,
        };

        var activity = Assert.IsType<Activity>(mapper.ToRecord(email));

        Assert.Equal(ActivityType.Email, activity.Type);
        Assert.Equal(ActivityDirection.Inbound, activity.Direction);
        Assert.Equal(ActivityStatus.Completed, activity.Status);
        Assert.Equal(RecordKind.Unknown, activity.Regarding!.Value.Kind);
        Assert.Equal([new RecordRef(RecordKind.Contact, CoreId("c-anna")), new RecordRef(RecordKind.Lead, CoreId("l-omar"))], activity.Parties.OrderBy(p => p.Kind));
        Assert.Equal(new DateTimeOffset(Now), activity.ScheduledStart);
        Assert.Equal(3, activity.RescheduleCount);
        Assert.Equal(string.Empty, activity.Id);
    }

    [Fact]
    public void Mapper_Lead_ReadsColumnsTrimmedAndCountriesAsTheSharedSchemaDoes()
    {
        var mapper = new DataverseRecordMapper(Settings);
        var lead = new Entity("lead", Id("x"))
        {
            ["firstname"] = " Tom ", ["lastname"] = "Reed", ["companyname"] = "Contoso", ["mobilephone"] = "+44 7700 900123",
            ["address1_country"] = "gb", ["statecode"] = new OptionSetValue(2), ["ownerid"] = new EntityReference("systemuser", Id("u1")) { Name = "Maria Lopez" },
        };

        var mapped = Assert.IsType<Lead>(mapper.ToRecord(lead));
        var other = mapper.ToLead(new Entity("lead") { ["address1_country"] = "United Kingdom" });

        Assert.Equal("Tom", mapped.FirstName);
        Assert.Equal("+44 7700 900123", mapped.Phone);
        Assert.Equal("GB", mapped.Country);
        Assert.Equal(LeadStatus.Disqualified, mapped.Status);
        Assert.Equal("Maria Lopez", mapped.OwnerName);
        Assert.Equal(CoreId("x"), mapped.Id);
        Assert.Equal("United Kingdom", other.Country); // free text is kept as typed (DataverseSchema.CountryOf), as the Web API and webhook hosts do
    }
}
