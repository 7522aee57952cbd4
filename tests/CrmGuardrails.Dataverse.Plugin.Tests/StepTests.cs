using CrmGuardrails.Dataverse.Plugin;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Fakes;
using static CrmGuardrails.Dataverse.Plugin.Tests.DataverseOrg;

namespace CrmGuardrails.Dataverse.Plugin.Tests;

/// <summary>Registration, re-entrancy, failures, configuration and tracing of the step.</summary>
public class StepTests
{
    private readonly DataverseOrg _org = new();
    private readonly LeadAndActivityGuardPlugin _plugin = new();

    private static Entity ContosoLead() => NewLead("Tom", "Reed", "CONTOSO PHARMACEUTICALS", "tom.reed@contoso-pharma.co.uk");

    [Theory]
    [InlineData("Delete", 10, 0, "lead", "message 'Delete'")]
    [InlineData("Create", 40, 0, "lead", "stage 40")]
    [InlineData("Create", 20, 1, "lead", "mode 1")]
    [InlineData("Create", 10, 0, "account", "table 'account'")]
    [InlineData("Update", 10, 0, "lead", "Update is guarded for activity tables only")]
    public void Misregistered_ThrowsAPlainMessageAndAsksNothing(string message, int stage, int mode, string table, string problem)
    {
        var context = Context(message, stage, "u2").WithTarget(new Entity(table, Guid.NewGuid())).WithMode(mode).Build();

        var (_, thrown) = _org.Run(_plugin, context);

        var error = Assert.IsType<InvalidPluginExecutionException>(thrown);
        Assert.StartsWith("CrmGuardrails is misregistered: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Empty(_org.Service.Requests);
    }

    [Fact]
    public void CustomActivityTable_NotConfigured_IsMisregistered()
    {
        var plugin = new LeadAndActivityGuardPlugin(null, null);
        var context = Context("Create", 10, "u1").WithTarget(new Entity(ChatTable)).Build();

        var (_, thrown) = _org.Run(plugin, context);

        Assert.Contains("table 'crmg_chat'", Assert.IsType<InvalidPluginExecutionException>(thrown).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChildOperation_Depth2_SkippedUnlessConfigured()
    {
        var (skipped, skippedThrown) = _org.Run(_plugin, Context("Create", 10, "u2").WithTarget(ContosoLead()).WithDepth(2).Build());
        Assert.Null(skippedThrown);
        Assert.Empty(_org.Service.Requests);
        Assert.Contains(skipped.Tracing.Lines, l => l.Contains("depth 2", StringComparison.Ordinal));

        var guarding = new LeadAndActivityGuardPlugin("""{ "Dataverse": { "GuardChildOperations": true } }""", null);
        var (_, thrown) = _org.Run(guarding, Context("Create", 10, "u2").WithTarget(ContosoLead()).WithDepth(2).Build());
        Assert.IsType<InvalidPluginExecutionException>(thrown);
        Assert.NotEmpty(_org.Service.Requests);
    }

    [Fact]
    public void ReentrantCall_SameStageAlreadyRunningInParent_Skipped()
    {
        var guarding = new LeadAndActivityGuardPlugin("""{ "Dataverse": { "GuardChildOperations": true } }""", null);
        var parent = Context("Create", 10, "u2").WithTarget(ContosoLead()).Build();
        Assert.IsType<InvalidPluginExecutionException>(_org.Run(guarding, parent).Thrown);
        Assert.True(parent.SharedVariables.Contains(GuardPluginBase.ExecutingKeyPrefix + "10|lead"));

        var child = Context("Create", 10, "u2").WithTarget(ContosoLead()).WithDepth(2).WithParent(parent).Build();
        var (provider, thrown) = _org.Run(guarding, child);

        Assert.Null(thrown);
        Assert.Empty(_org.Service.Requests);
        Assert.Contains(provider.Tracing.Lines, l => l.Contains("re-entrant", StringComparison.Ordinal));
    }

    [Fact]
    public void PreValidationMark_DoesNotSkipThePreOperationStep()
    {
        var preValidation = Context("Create", 10, "u1").WithTarget(NewLead("Sam", "Lee", "Litware", "sam.lee@gmail.com")).Build();
        Assert.Null(_org.Run(_plugin, preValidation).Thrown);
        var target = NewLead("Sam", "Lee", "Litware", "sam.lee@gmail.com");
        var preOperation = Context("Create", 20, "u1").WithTarget(target).WithParent(preValidation).Build();

        Assert.Null(_org.Run(_plugin, preOperation).Thrown);

        Assert.Equal("flag", target.GetAttributeValue<string>("crmg_guardverdict"));
    }

    [Fact]
    public void BothSteps_OneCheckPerSave_PreOperationWritesWhatPreValidationDecided()
    {
        var preValidation = Context("Create", 10, "u1").WithTarget(NewLead("Sam", "Lee", "Litware", "sam.lee@gmail.com")).Build();
        Assert.Null(_org.Run(_plugin, preValidation).Thrown);
        Assert.NotEmpty(_org.Service.Requests);
        _org.Service.ResetRequests();
        var target = NewLead("Sam", "Lee", "Litware", "sam.lee@gmail.com");

        Assert.Null(_org.Run(_plugin, Context("Create", 20, "u1").WithTarget(target).WithParent(preValidation).Build()).Thrown);

        Assert.Empty(_org.Service.Requests); // the organisation is not asked again
        Assert.Equal("flag", target.GetAttributeValue<string>("crmg_guardverdict"));
        Assert.False(string.IsNullOrEmpty(target.GetAttributeValue<string>("crmg_guardrule")));
        Assert.False(string.IsNullOrEmpty(target.GetAttributeValue<string>("crmg_guardmessage")));
    }

    [Fact]
    public void OrgDown_DefaultPolicy_FailsOpenWithANotCheckedFlag()
    {
        _org.Service.FailReadsWith = new FakeOrganizationServiceFault("Generic SQL error.");
        var blockedLead = ContosoLead();

        var (_, atPreValidation) = _org.Run(_plugin, Context("Create", 10, "u2").WithTarget(ContosoLead()).Build());
        var (provider, atPreOperation) = _org.Run(_plugin, Context("Create", 20, "u2").WithTarget(blockedLead).Build());

        Assert.Null(atPreValidation);
        Assert.Null(atPreOperation);
        Assert.Equal("not-checked", blockedLead.GetAttributeValue<string>("crmg_guardverdict"));
        Assert.StartsWith("Not checked", blockedLead.GetAttributeValue<string>("crmg_guardmessage"), StringComparison.Ordinal);
        Assert.Contains(RuleIds.ExistingCustomer, blockedLead.GetAttributeValue<string>("crmg_guardrule"), StringComparison.Ordinal);
        Assert.Contains(provider.Tracing.Lines, l => l.Contains("Generic SQL error", StringComparison.Ordinal));
    }

    [Fact]
    public void UnexpectedFailure_RetrievingTheRecordOnUpdate_IsTracedAndAllowed()
    {
        _org.Service.FailReadsWith = new InvalidCastException("boom");
        var target = new Entity("appointment", Id("t-omar")) { ["scheduledstart"] = Now.AddDays(3) };

        var (provider, thrown) = _org.Run(_plugin, Context("Update", 20, "u2").WithTarget(target).Build());

        Assert.Null(thrown);
        Assert.Contains(provider.Tracing.Lines, l => l.Contains("fail-open", StringComparison.Ordinal) && l.Contains("boom", StringComparison.Ordinal));
        Assert.False(target.Contains("crmg_guardverdict"));
    }

    [Fact]
    public void UnexpectedFailure_NoTarget_IsTracedAndAllowed()
    {
        var context = Context("Create", 10, "u2").WithPrimaryEntityName("lead").Build();

        var (provider, thrown) = _org.Run(_plugin, context);

        Assert.Null(thrown);
        Assert.Contains(provider.Tracing.Lines, l => l.Contains("without a Target", StringComparison.Ordinal));
    }

    [Fact]
    public void Tracing_CoreLogLinesReachTheTraceLog_AndTheCheckCompletesSynchronously()
    {
        var (provider, _) = _org.Run(_plugin, Context("Create", 10, "u2").WithTarget(ContosoLead()).Build());

        Assert.Contains(provider.Tracing.Lines, l => l.Contains("CrmGuardrails.GuardPipeline", StringComparison.Ordinal));
        Assert.Contains(provider.Tracing.Lines, l => l.StartsWith("CrmGuardrails: Create of lead at stage 10", StringComparison.Ordinal));
        Assert.DoesNotContain(provider.Tracing.Lines, l => l.Contains("did not complete synchronously", StringComparison.Ordinal));
    }

    [Fact]
    public void Configuration_DisablingARule_IsHonoured_AndSecureOverridesUnsecure()
    {
        var plugin = new LeadAndActivityGuardPlugin(
            """{ "CrmGuardrails": { "ExistingCustomer": { "Enabled": true } }, "Dataverse": { "VerdictColumn": "new_verdict" } }""",
            """{ "CrmGuardrails": { "ExistingCustomer": { "Enabled": false } } }""");

        Assert.DoesNotContain(RuleIds.ExistingCustomer, plugin.Pipeline.RuleIds);
        Assert.Equal("new_verdict", plugin.Settings.VerdictColumn);
        Assert.Null(_org.Run(plugin, Context("Create", 10, "u2").WithTarget(ContosoLead()).Build()).Thrown);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("""{ "Policy": { "TimeBudget": "00:00:01" } }""", "'Policy' is not a known section")]
    [InlineData("""{ "Dataverse": { "VerdictColum": "x" } }""", "VerdictColum")]
    [InlineData("""{ "CrmGuardrails": { "TimeBudget": "00:10:00" } }""", "TimeBudget")]
    public void Configuration_Invalid_ThrowsFromTheConstructor(string configuration, string expected)
    {
        var error = Assert.Throws<InvalidPluginExecutionException>(() => new LeadAndActivityGuardPlugin(configuration, null));

        Assert.StartsWith("CrmGuardrails: the", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneInstance_ManyThreads_SameVerdicts()
    {
        var verdicts = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 16, i =>
        {
            var org = new DataverseOrg();
            var target = i % 2 == 0 ? ContosoLead() : NewLead("Ana", "Silva", "Fabrikam Robotics", "ana@fabrikam-robotics.example");
            var (_, thrown) = org.Run(_plugin, Context("Create", 10, "u2").WithTarget(target).Build());
            verdicts.Add($"{i % 2}:{(thrown is InvalidPluginExecutionException ? "block" : "allow")}");
        });

        Assert.Equal(8, verdicts.Count(v => v == "0:block"));
        Assert.Equal(8, verdicts.Count(v => v == "1:allow"));
    }
}
