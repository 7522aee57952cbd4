using CrmGuardrails.Dataverse.Plugin;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Fakes;
using static CrmGuardrails.Dataverse.Plugin.Tests.DataverseOrg;

namespace CrmGuardrails.Dataverse.Plugin.Tests;

/// <summary>The five rules through IPlugin.Execute on the replay scenario: blocked at PreValidation, flagged at PreOperation.</summary>
public class GuardPluginTests
{
    private const int PreValidation = 10;
    private const int PreOperation = 20;
    private static readonly RecordRef OmarLead = new(RecordKind.Lead, "l-omar");
    private static readonly RecordRef AnnaContact = new(RecordKind.Contact, "c-anna");
    private static readonly RecordRef RajContact = new(RecordKind.Contact, "c-raj");

    private readonly DataverseOrg _org = new();
    private readonly LeadAndActivityGuardPlugin _plugin = new();

    private static InvalidPluginExecutionException AssertBlocked(Exception? thrown, string text, string code)
    {
        var blocked = Assert.IsType<InvalidPluginExecutionException>(thrown);
        Assert.Equal(OperationStatus.Canceled, blocked.Status);
        Assert.Equal(DataversePluginSettings.BlockedSubErrorCode, blocked.ErrorCode);
        Assert.Equal(0x43524D47, blocked.ErrorCode);
        Assert.Contains(text, blocked.Message, StringComparison.Ordinal);
        Assert.EndsWith($"[{code}]", blocked.Message, StringComparison.Ordinal);
        return blocked;
    }

    private static void AssertFlag(Entity target, string verdict, string rule, string text)
    {
        Assert.Equal(verdict, target.GetAttributeValue<string>("crmg_guardverdict"));
        Assert.Equal(rule, target.GetAttributeValue<string>("crmg_guardrule"));
        Assert.Contains(text, target.GetAttributeValue<string>("crmg_guardmessage"), StringComparison.Ordinal);
    }

    private static void AssertNoFlag(Entity target)
    {
        Assert.False(target.Contains("crmg_guardverdict"));
        Assert.False(target.Contains("crmg_guardmessage"));
        Assert.False(target.Contains("crmg_guardrule"));
    }

    [Fact]
    public void ExistingCustomer_LeadAtCustomer_BlockedAtPreValidation()
    {
        var target = NewLead("Tom", "Reed", "CONTOSO PHARMACEUTICALS", "tom.reed@contoso-pharma.co.uk");

        var (provider, thrown) = _org.Run(_plugin, Context("Create", PreValidation, "u2").WithTarget(target).Build());

        AssertBlocked(thrown, "Contoso Pharmaceuticals Ltd is an existing customer owned by Maria Lopez", GuardCodes.ExistingCustomer);
        AssertNoFlag(target);
        Assert.Equal([null], provider.ServiceUsers);
        Assert.Equal(1, _org.Service.Count("RetrieveMultiple", "contact"));
        Assert.Equal(1, _org.Service.Count("RetrieveMultiple", "account"));
        Assert.Equal(1, _org.Service.Count("RetrieveMultiple", "lead"));
        Assert.Equal(0, _org.Service.Count("Create") + _org.Service.Count("Update"));
        // The lead's keys in the match-key table, then the chosen accounts and contacts, two users (the owner's name and
        // another the rule reads; the core remembers users for the rest of the check), then open leads for duplicate-lead
        // (their keys, then the leads): one query per step.
        Assert.Equal(
            [
                "RetrieveMultiple crmg_matchkey", "RetrieveMultiple account", "RetrieveMultiple contact", "RetrieveMultiple systemuser",
                "RetrieveMultiple systemuser", "RetrieveMultiple crmg_matchkey", "RetrieveMultiple lead",
            ],
            _org.Service.Requests);
    }

    [Fact]
    public void ExistingCustomer_LeadAtProspect_FlaggedAtPreOperation()
    {
        var target = NewLead("Sam", "Lee", "Litware", "sam.lee@gmail.com");

        var (_, thrown) = _org.Run(_plugin, Context("Create", PreOperation, "u1").WithTarget(target).Build());

        Assert.Null(thrown);
        AssertFlag(target, "flag", RuleIds.ExistingCustomer, "Litware, Inc.");
    }

    [Fact]
    public void ExistingCustomer_AtPreOperation_BlockIsWrittenNotEnforced()
    {
        var target = NewLead("Tom", "Reed", "CONTOSO PHARMACEUTICALS", "tom.reed@contoso-pharma.co.uk");

        var (provider, thrown) = _org.Run(_plugin, Context("Create", PreOperation, "u2").WithTarget(target).Build());

        Assert.Null(thrown);
        AssertFlag(target, "block", RuleIds.ExistingCustomer, "existing customer");
        Assert.Contains(provider.Tracing.Lines, l => l.Contains("Register the PreValidation step to block", StringComparison.Ordinal));
    }

    [Fact]
    public void DuplicateLead_SamePersonAsAnotherUsersLead_BlockedAtPreValidation()
    {
        var target = NewLead("Omar", "Haddad", "Proseware Inc", "omar@proseware.io");

        var (_, thrown) = _org.Run(_plugin, Context("Create", PreValidation, "u3").WithTarget(target).Build());

        AssertBlocked(thrown, "Jon Berg", GuardCodes.DuplicateLead);
        Assert.Equal(1, _org.Service.Count("RetrieveMultiple", "lead"));
    }

    [Fact]
    public void DuplicateLead_SameCompanyOtherPerson_FlaggedAtPreOperation()
    {
        var target = NewLead("Lina", "Berg", "Proseware", "lina@proseware.io");

        var (_, thrown) = _org.Run(_plugin, Context("Create", PreOperation, "u3").WithTarget(target).Build());

        Assert.Null(thrown);
        AssertFlag(target, "flag", RuleIds.DuplicateLead, "Jon Berg");
    }

    [Fact]
    public void RepCollision_PlannedCallNearAnotherUsersMeeting_BlockedAtPreValidation()
    {
        var target = NewActivity(ActivityType.PhoneCall, ActivityDirection.Outbound, OmarLead, new DateTime(2026, 3, 3, 10, 0, 0, DateTimeKind.Utc), "u3");

        var (_, thrown) = _org.Run(_plugin, Context("Create", PreValidation, "u3").WithTarget(target).Build());

        AssertBlocked(thrown, "Jon Berg", GuardCodes.RepCollision);
        Assert.Equal(1, _org.Service.Count("RetrieveMultiple", "activitypointer"));
        Assert.Equal(1, _org.Service.Count("RetrieveMultiple", "activityparty"));
    }

    [Fact]
    public void RepCollision_CallLongAfterAnotherUsersMeeting_FlaggedAtPreOperation()
    {
        var target = NewActivity(ActivityType.PhoneCall, ActivityDirection.Outbound, OmarLead, new DateTime(2026, 3, 10, 10, 0, 0, DateTimeKind.Utc), "u3");

        var (_, thrown) = _org.Run(_plugin, Context("Create", PreOperation, "u3").WithTarget(target).Build());

        Assert.Null(thrown);
        AssertFlag(target, "flag", RuleIds.RepCollision, "Jon Berg");
    }

    [Fact]
    public void RepCollision_AccountTeamMember_Allowed()
    {
        var target = NewActivity(ActivityType.PhoneCall, ActivityDirection.Outbound, RajContact, new DateTime(2026, 3, 4, 10, 0, 0, DateTimeKind.Utc), "u2");

        var (_, thrown) = _org.Run(_plugin, Context("Create", PreOperation, "u2").WithTarget(target).Build());

        Assert.Null(thrown);
        AssertNoFlag(target);
        Assert.Equal(1, _org.Service.Count("RetrieveMultiple", "systemuser"));
    }

    [Fact]
    public void ChannelFanout_InboundEmailAfterChat_FlaggedAtPreOperation()
    {
        var target = NewActivity(ActivityType.Email, ActivityDirection.Inbound, AnnaContact, null, "u1");

        var (_, thrown) = _org.Run(_plugin, Context("Create", PreOperation, "u1", Now.AddMinutes(4)).WithTarget(target).Build());

        Assert.Null(thrown);
        AssertFlag(target, "flag", RuleIds.ChannelFanout, "Anna Kowalski already reached out by chat");
        Assert.Equal(1, _org.Service.Count("RetrieveMultiple", "activitypointer"));
        Assert.Contains(_org.Service.FetchXml, f => f.Contains("entityname=\"pc\" attribute=\"directioncode\"", StringComparison.Ordinal));
    }

    [Fact]
    public void ChannelFanout_InboundIsNeverBlocked_EvenFailClosedWhenTheOrgIsDown()
    {
        var plugin = new LeadAndActivityGuardPlugin("""{ "CrmGuardrails": { "OnLookupFailure": "Block" }, "Dataverse": { "ChatEntity": "crmg_chat" } }""", null);
        _org.Service.FailReadsWith = new FakeOrganizationServiceFault("Number of requests exceeded the limit");
        var target = NewActivity(ActivityType.Email, ActivityDirection.Inbound, AnnaContact, null, "u1");

        var (_, thrown) = _org.Run(plugin, Context("Create", PreValidation, "u1").WithTarget(target).Build());

        Assert.Null(thrown);
        Assert.True(_org.Service.Count("RetrieveMultiple") >= 1);
    }

    [Fact]
    public void Reschedule_SecondMoveWithPreImage_FlaggedAndCounted()
    {
        var id = Id("t-omar");
        var preImage = _org.Service.Find("appointment", id)!;
        preImage["crmg_reschedulecount"] = 1;
        var target = new Entity("appointment", id) { ["scheduledstart"] = new DateTime(2026, 3, 5, 14, 0, 0, DateTimeKind.Utc) };

        var (_, thrown) = _org.Run(_plugin, Context("Update", PreOperation, "u2").WithTarget(target).WithPreImage("PreImage", preImage).Build());

        Assert.Null(thrown);
        Assert.Equal(2, target.GetAttributeValue<int>("crmg_reschedulecount"));
        AssertFlag(target, "flag", RuleIds.Reschedule, "has now been moved 2 times");
        Assert.Equal(0, _org.Service.Count("Retrieve"));
    }

    [Fact]
    public void Reschedule_FirstMoveWithoutPreImage_RetrievesCountsAndAllows()
    {
        var id = Id("t-omar");
        var target = new Entity("appointment", id) { ["scheduledstart"] = new DateTime(2026, 3, 5, 14, 0, 0, DateTimeKind.Utc) };

        var (_, thrown) = _org.Run(_plugin, Context("Update", PreOperation, "u2").WithTarget(target).Build());

        Assert.Null(thrown);
        Assert.Equal(1, _org.Service.Count("Retrieve", "appointment"));
        Assert.Equal(1, target.GetAttributeValue<int>("crmg_reschedulecount"));
        AssertNoFlag(target);
    }

    [Fact]
    public void Reschedule_UpdateNotMovingTheStart_LeavesTheCountAlone()
    {
        var id = Id("t-omar");
        var preImage = _org.Service.Find("appointment", id)!;
        var target = new Entity("appointment", id) { ["subject"] = "Discovery meeting (agenda attached)" };

        var (_, thrown) = _org.Run(_plugin, Context("Update", PreOperation, "u2").WithTarget(target).WithPreImage("PreImage", preImage).Build());

        Assert.Null(thrown);
        Assert.False(target.Contains("crmg_reschedulecount"));
        AssertNoFlag(target);
    }

    [Fact]
    public void CreateMultiple_BlocksNamingTheRecord()
    {
        var ok = NewLead("Ana", "Silva", "Fabrikam Robotics", "ana@fabrikam-robotics.example");
        var bad = NewLead("Tom", "Reed", "CONTOSO PHARMACEUTICALS", "tom.reed@contoso-pharma.co.uk");

        var (_, thrown) = _org.Run(_plugin, Context("CreateMultiple", PreValidation, "u2").WithTargets(ok, bad).Build());

        var blocked = AssertBlocked(thrown, "existing customer", GuardCodes.ExistingCustomer);
        Assert.StartsWith("Record 2 of 2: ", blocked.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateMultiple_FlagsEachTargetOnItsOwn()
    {
        var ok = NewLead("Ana", "Silva", "Fabrikam Robotics", "ana@fabrikam-robotics.example");
        var prospect = NewLead("Sam", "Lee", "Litware", "sam.lee@gmail.com");

        var (_, thrown) = _org.Run(_plugin, Context("CreateMultiple", PreOperation, "u1").WithTargets(ok, prospect).Build());

        Assert.Null(thrown);
        AssertNoFlag(ok);
        AssertFlag(prospect, "flag", RuleIds.ExistingCustomer, "Litware, Inc.");
    }

    [Fact]
    public void NewCompany_Allowed_AtBothStages()
    {
        foreach (var stage in new[] { PreValidation, PreOperation })
        {
            var target = NewLead("Ana", "Silva", "Fabrikam Robotics", "ana@fabrikam-robotics.example");

            var (_, thrown) = _org.Run(_plugin, Context("Create", stage, "u3").WithTarget(target).Build());

            Assert.Null(thrown);
            AssertNoFlag(target);
        }
    }

    [Fact]
    public void FailClosed_OrgDown_BlocksOutboundButOnlyFlagsInbound()
    {
        var plugin = new LeadAndActivityGuardPlugin("""{ "CrmGuardrails": { "OnLookupFailure": "Block" }, "Dataverse": { "ChatEntity": "crmg_chat" } }""", null);
        _org.Service.FailReadsWith = new FakeOrganizationServiceFault("Number of requests exceeded the limit");
        var outbound = NewActivity(ActivityType.PhoneCall, ActivityDirection.Outbound, AnnaContact, Now.AddHours(1), "u3");
        var inbound = NewActivity(ActivityType.PhoneCall, ActivityDirection.Inbound, AnnaContact, Now.AddHours(1), "u3");

        var (_, outboundThrown) = _org.Run(plugin, Context("Create", PreValidation, "u3").WithTarget(outbound).Build());
        var (_, inboundThrown) = _org.Run(plugin, Context("Create", PreValidation, "u3").WithTarget(inbound).Build());
        var (_, flaggedThrown) = _org.Run(plugin, Context("Create", PreOperation, "u3").WithTarget(inbound).Build());

        AssertBlocked(outboundThrown, "Not checked", GuardCodes.NotChecked);
        Assert.Null(inboundThrown);
        Assert.Null(flaggedThrown);
        Assert.Equal("not-checked", inbound.GetAttributeValue<string>("crmg_guardverdict"));
    }
}
