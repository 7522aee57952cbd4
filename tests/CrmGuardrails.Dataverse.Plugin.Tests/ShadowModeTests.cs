using CrmGuardrails.Dataverse.Plugin;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Fakes;
using static CrmGuardrails.Dataverse.Plugin.Tests.DataverseOrg;

namespace CrmGuardrails.Dataverse.Plugin.Tests;

/// <summary>Shadow mode in the plug-in: the step decides and traces, but never cancels a save nor writes a column.</summary>
public class ShadowModeTests
{
    private const int PreValidation = 10;
    private const int PreOperation = 20;

    private readonly DataverseOrg _org = new();

    private static void AssertUntouched(Entity target)
    {
        Assert.False(target.Contains("crmg_guardverdict"));
        Assert.False(target.Contains("crmg_guardmessage"));
        Assert.False(target.Contains("crmg_guardrule"));
        Assert.False(target.Contains("crmg_reschedulecount"));
    }

    [Theory]
    [InlineData("""{ "CrmGuardrails": { "Shadow": true } }""")]
    [InlineData("""{ "CrmGuardrails": { "ExistingCustomer": { "Shadow": true } } }""")]
    public void ExistingCustomer_InShadow_NeitherBlocksNorFlags(string configuration)
    {
        var plugin = new LeadAndActivityGuardPlugin(configuration, null);
        var target = NewLead("Tom", "Reed", "CONTOSO PHARMACEUTICALS", "tom.reed@contoso-pharma.co.uk");

        var (provider, atPreValidation) = _org.Run(plugin, Context("Create", PreValidation, "u2").WithTarget(target).Build());
        var (_, atPreOperation) = _org.Run(plugin, Context("Create", PreOperation, "u2").WithTarget(target).Build());

        Assert.Contains(provider.Tracing.Lines, l => l.Contains("shadow (not applied): Block [existing-customer]", StringComparison.Ordinal));
        Assert.Null(atPreValidation);
        Assert.Null(atPreOperation);
        AssertUntouched(target);
        Assert.Equal(0, _org.Service.Count("Create") + _org.Service.Count("Update"));
    }

    [Fact]
    public void FailClosed_OrgDownInShadow_NeverBlocks()
    {
        var plugin = new LeadAndActivityGuardPlugin("""{ "CrmGuardrails": { "Shadow": true, "OnLookupFailure": "Block" } }""", null);
        _org.Service.FailReadsWith = new FakeOrganizationServiceFault("Number of requests exceeded the limit");
        var target = NewLead("Tom", "Reed", "CONTOSO PHARMACEUTICALS", "tom.reed@contoso-pharma.co.uk");

        var (_, thrown) = _org.Run(plugin, Context("Create", PreValidation, "u2").WithTarget(target).Build());

        Assert.Null(thrown);
        AssertUntouched(target);
    }

    [Fact]
    public void Reschedule_InShadow_SecondMoveNeitherFlaggedNorCounted()
    {
        var plugin = new LeadAndActivityGuardPlugin("""{ "CrmGuardrails": { "Reschedule": { "Shadow": true } } }""", null);
        var id = Id("t-omar");
        var preImage = _org.Service.Find("appointment", id)!;
        preImage["crmg_reschedulecount"] = 1;
        var target = new Entity("appointment", id) { ["scheduledstart"] = new DateTime(2026, 3, 5, 14, 0, 0, DateTimeKind.Utc) };

        var (provider, thrown) = _org.Run(plugin, Context("Update", PreOperation, "u2").WithTarget(target).WithPreImage("PreImage", preImage).Build());

        Assert.Null(thrown);
        AssertUntouched(target);
        Assert.True(plugin.Pipeline.IsShadow(RuleIds.Reschedule));
        Assert.Equal(0, _org.Service.Count("Create") + _org.Service.Count("Update"));
    }

    [Fact]
    public void OtherRuleInShadow_ExistingCustomerStillBlocks()
    {
        var plugin = new LeadAndActivityGuardPlugin("""{ "CrmGuardrails": { "RepCollision": { "Shadow": true } } }""", null);
        var target = NewLead("Tom", "Reed", "CONTOSO PHARMACEUTICALS", "tom.reed@contoso-pharma.co.uk");

        var (_, thrown) = _org.Run(plugin, Context("Create", PreValidation, "u2").WithTarget(target).Build());

        Assert.IsType<InvalidPluginExecutionException>(thrown);
    }
}
