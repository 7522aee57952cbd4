using CrmGuardrails.Decisions;
using CrmGuardrails.Notifications;
using CrmGuardrails.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace CrmGuardrails.Tests.Pipeline;

/// <summary>Shadow mode in the embedded pipeline: decided and recorded, never blocking, flagging, notifying or counting.</summary>
public class ShadowModeTests
{
    // The lead of Org's Contoso account, owned by u1: blocked for u2 when enforced.
    private static readonly Lead ContosoLead = new() { Id = "l-new", FirstName = "Tom", Company = "Contoso Pharmaceuticals", Email = "tom@contoso-pharma.co.uk" };

    [Fact]
    public async Task Check_RuleInShadow_DecidesBlockButAppliesNothing()
    {
        var org = new Org();
        var notifier = new Mock<IGuardNotifier>();
        var recorded = new List<DecisionRecord>();
        var pipeline = Build(org, o => o.ExistingCustomer.Shadow = true, notifier.Object, recorded);

        var outcome = await pipeline.CheckAsync(GuardRequest.ForCreate(ContosoLead, "u2") with { Table = "lead" }, org.Directory);

        Assert.False(outcome.IsBlocked);
        Assert.Equal(Verdict.Allow, outcome.Verdict);
        Assert.Null(outcome.Flag);
        Assert.Empty(outcome.Recipients);
        Assert.False(outcome.ClearsFlag); // the rule in shadow would have flagged it: an earlier flag stays
        Assert.Equal(Verdict.Block, outcome.Shadow.Verdict);
        Assert.Equal(Verdict.Block, outcome.Decided.Verdict);
        Assert.Equal(["existing-customer"], outcome.Shadow.Rules);
        notifier.Verify(n => n.NotifyAsync(It.IsAny<GuardNotification>(), It.IsAny<CancellationToken>()), Times.Never);

        var record = Assert.Single(recorded);
        Assert.Equal(Verdict.Block, record.Verdict);
        Assert.Equal(Verdict.Allow, record.AppliedVerdict);
        Assert.False(record.ShadowMode);
        var finding = Assert.Single(record.Findings);
        Assert.True(finding.Shadow);
        Assert.Equal("a-contoso", finding.Related.Single().Record.Id);
        Assert.Equal("u1", finding.Related.Single().OwnerId);
        Assert.NotEmpty(finding.Evidence);
    }

    [Fact]
    public async Task Check_OtherRuleInShadow_StillEnforcesThisOne()
    {
        var org = new Org();
        var pipeline = Build(org, o => o.DuplicateLead.Shadow = true);

        var outcome = await pipeline.CheckAsync(GuardRequest.ForCreate(ContosoLead, "u2"), org.Directory);

        Assert.True(outcome.IsBlocked);
        Assert.Equal("block", outcome.Flag);
        Assert.Equal(["u1"], outcome.Recipients);
    }

    [Fact]
    public async Task Check_GlobalShadow_AppliesNothingAndWritesNothingBack()
    {
        var org = new Org();
        var notifier = new Mock<IGuardNotifier>();
        var recorded = new List<DecisionRecord>();
        var pipeline = Build(org, o => o.Shadow = true, notifier.Object, recorded);

        var blocked = await pipeline.CheckAsync(GuardRequest.ForCreate(ContosoLead, "u2"), org.Directory);
        var allowed = await pipeline.CheckAsync(GuardRequest.ForCreate(ContosoLead, "u1"), org.Directory);

        Assert.False(blocked.IsBlocked);
        Assert.Null(blocked.Flag);
        Assert.True(blocked.ShadowMode);
        Assert.Equal(Verdict.Block, blocked.Decided.Verdict);
        Assert.False(allowed.ClearsFlag); // nothing is written back in shadow mode, a cleared flag included
        notifier.Verify(n => n.NotifyAsync(It.IsAny<GuardNotification>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.All(recorded, r => Assert.True(r.ShadowMode));
        Assert.Equal([Verdict.Block, Verdict.Allow], recorded.Select(r => r.Verdict));
    }

    [Fact]
    public async Task Check_EnforcedAllow_ClearsAnEarlierFlag()
    {
        var org = new Org();

        var outcome = await Build(org, _ => { }).CheckAsync(GuardRequest.ForCreate(ContosoLead, "u1"), org.Directory);

        Assert.True(outcome.ClearsFlag);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task RescheduleCount_RescheduleRuleInShadow_IsNotCounted(bool globalShadow, bool ruleShadow)
    {
        var start = Org.Now.AddDays(3);
        var before = Org.Call("a1", "u2", Org.Account("a-litware"), start, type: ActivityType.Appointment) with { RescheduleCount = 1 };
        var org = new Org().With(before);
        var pipeline = Build(org, o => { o.Shadow = globalShadow; o.Reschedule.Shadow = ruleShadow; });

        var outcome = await pipeline.CheckAsync(GuardRequest.ForUpdate(before, before with { ScheduledStart = start.AddDays(1) }, "u2") with { OccurredAt = Org.Now }, org.Directory);

        Assert.Null(outcome.RescheduleCount);
        Assert.Null(outcome.Flag);
        Assert.Equal(Verdict.Flag, outcome.Decided.Verdict); // the second move is still decided and logged
        Assert.True(pipeline.IsShadow(RuleIds.Reschedule));
    }

    [Fact]
    public void NotChecked_GlobalShadowFailClosed_AppliesNothingButLogsTheBlock()
    {
        var recorded = new List<DecisionRecord>();
        var pipeline = new GuardPipelineBuilder { Options = new GuardPipelineOptions { Shadow = true, OnLookupFailure = LookupFailureVerdict.Block }, DecisionRecorder = new ListRecorder(recorded) }.Build();

        var result = pipeline.NotChecked("the CRM is down");
        var outcome = pipeline.NotCheckedOutcome(GuardRequest.ForCreate(ContosoLead, "u2"), "the CRM is down");

        Assert.Same(GuardResult.Allowed, result);
        Assert.False(outcome.IsBlocked);
        var record = Assert.Single(recorded);
        Assert.False(record.Checked);
        Assert.Equal("the CRM is down", record.NotCheckedReason);
        Assert.Equal(Verdict.Block, record.Verdict);
        Assert.Equal(Verdict.Allow, record.AppliedVerdict);
    }

    [Fact]
    public void Options_ShadowBindsFromConfiguration_PerRuleAndGlobal()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CrmGuardrails:Shadow"] = "false",
            ["CrmGuardrails:RepCollision:Shadow"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddCrmGuardrails().Configure(configuration.GetSection(CrmGuardrailsOptions.SectionName));

        var pipeline = services.BuildServiceProvider().GetRequiredService<GuardPipeline>();

        Assert.True(pipeline.IsShadow(RuleIds.RepCollision));
        Assert.False(pipeline.IsShadow(RuleIds.ExistingCustomer));
    }

    [Fact]
    public async Task Recorder_Throws_SaveStillChecked()
    {
        var org = new Org();
        var recorder = new Mock<IDecisionRecorder>();
        recorder.Setup(r => r.Record(It.IsAny<DecisionRecord>())).Throws(new InvalidOperationException("disk full"));
        var pipeline = new GuardPipelineBuilder { Directory = org.Directory, DecisionRecorder = recorder.Object }.AddDefaultGuards().Build();

        var outcome = await pipeline.CheckAsync(GuardRequest.ForCreate(ContosoLead, "u2"), org.Directory);

        Assert.True(outcome.IsBlocked);
    }

    private static GuardPipeline Build(Org org, Action<CrmGuardrailsOptions> configure, IGuardNotifier? notifier = null, List<DecisionRecord>? recorded = null)
    {
        var options = new CrmGuardrailsOptions();
        configure(options);
        return new GuardPipelineBuilder
        {
            Directory = org.Directory,
            Notifier = notifier ?? NullGuardNotifier.Instance,
            DecisionRecorder = recorded is null ? null : new ListRecorder(recorded),
        }.AddDefaultGuards(options).Build();
    }

    private sealed class ListRecorder(List<DecisionRecord> records) : IDecisionRecorder
    {
        public void Record(DecisionRecord record)
        {
            lock (records)
                records.Add(record);
        }
    }
}
