using CrmGuardrails.Hosting;
using CrmGuardrails.Salesforce.Keys;
using CrmGuardrails.Salesforce.Writing;
using CrmGuardrails.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Salesforce.Tests;

/// <summary>The "salesforce" outcome writer: the verdict and one task a recipient, the same however often it is delivered; match keys kept current.</summary>
public sealed class OutcomeWriterTests : IAsyncLifetime
{
    private readonly ContractOrg _contract = ContractOrg.Create();
    private TestOrg _org = null!;

    public async Task InitializeAsync()
    {
        _org = await TestOrg.StartAsync();
        _org.Emulator.Seed(_contract.Records);
    }

    public async Task DisposeAsync() => await _org.DisposeAsync();

    [Fact]
    public async Task AFlaggedLead_GetsItsVerdictAndOneTaskPerRecipient_HoweverOftenDelivered()
    {
        var writer = _org.Services.GetRequiredKeyedService<IGuardOutcomeWriter>(SalesforceOutcomeWriter.HostKey);
        var lead = _contract.SecondOpenLead;
        var finding = new GuardFinding
        {
            RuleId = RuleIds.DuplicateLead, Code = GuardCodes.DuplicateLead, Verdict = Verdict.Flag, Message = "Roberts & Wright already has an open lead owned by Tom Baker.",
            NotifyUserIds = [_contract.TomBaker.Id],
        };
        var outcome = new GuardOutcome(GuardRequest.ForCreate(lead, lead.OwnerId!) with { Table = "Lead" }, new GuardResult([finding]));
        var saveEvent = new GuardEvent { CorrelationId = "notification-1", Saved = [lead] };

        var first = await writer.WriteAsync(saveEvent, [outcome], default);
        var again = await writer.WriteAsync(saveEvent, [outcome], default);

        Assert.Equal(new GuardWriteCounts(1, 0), first);
        Assert.Equal(new GuardWriteCounts(1, 0), again);
        var stored = _org.Emulator.Store.Find("Lead", lead.Id)!;
        Assert.Equal("flag", stored["CrmG_Flag__c"]);
        Assert.Equal(RuleIds.DuplicateLead, stored["CrmG_FlagRule__c"]);
        var task = Assert.Single(_org.Emulator.Store.All("Task"), t => t.GetValueOrDefault("CrmG_NotificationKey__c") is not null);
        Assert.Equal(_contract.TomBaker.Id, task["OwnerId"]);
        Assert.Equal(lead.Id, task["WhoId"]);
        Assert.Contains(_org.Emulator.Store.All("CrmG_MatchKey__c"), k => (string?)k["CrmG_RecordId__c"] == lead.Id);
    }

    [Fact]
    public async Task AnAllowedSave_ClearsAnEarlierFlag_AndADeletedRecordLosesItsKeys()
    {
        var writer = _org.Services.GetRequiredKeyedService<IGuardOutcomeWriter>(SalesforceOutcomeWriter.HostKey);
        var lead = _contract.OtherOpenLead;
        await _org.Services.GetRequiredService<SalesforceMatchKeyWriter>().WriteAsync([lead]);
        _org.Emulator.Store.Patch("Lead", lead.Id, new Dictionary<string, object?> { ["CrmG_Flag__c"] = "flag" });
        var outcome = new GuardOutcome(GuardRequest.ForCreate(lead, lead.OwnerId!) with { Table = "Lead" }, new GuardResult([]));

        await writer.WriteAsync(new GuardEvent { FlaggedBefore = [lead.Id] }, [outcome], default);
        await writer.WriteAsync(new GuardEvent { Deleted = [lead.Ref] }, [], default);

        Assert.Null(_org.Emulator.Store.Find("Lead", lead.Id)!["CrmG_Flag__c"]);
        Assert.DoesNotContain(_org.Emulator.Store.All("CrmG_MatchKey__c"), k => (string?)k["CrmG_RecordId__c"] == lead.Id);
    }

    [Fact]
    public async Task InShadowMode_AnAllowedSave_LeavesAnEarlierFlagAlone()
    {
        var writer = _org.Services.GetRequiredKeyedService<IGuardOutcomeWriter>(SalesforceOutcomeWriter.HostKey);
        var lead = _contract.OtherOpenLead;
        _org.Emulator.Store.Patch("Lead", lead.Id, new Dictionary<string, object?> { ["CrmG_Flag__c"] = "flag" });
        var outcome = new GuardOutcome(GuardRequest.ForCreate(lead, lead.OwnerId!) with { Table = "Lead" }, GuardResult.Allowed, GuardResult.Allowed, shadowMode: true);

        var counts = await writer.WriteAsync(new GuardEvent { FlaggedBefore = [lead.Id] }, [outcome], default);

        Assert.Equal(new GuardWriteCounts(0, 0), counts);
        Assert.Equal("flag", _org.Emulator.Store.Find("Lead", lead.Id)!["CrmG_Flag__c"]);
    }

    [Fact]
    public async Task ARereadRecord_GetsItsKeysFromTheOrg_AndAClosedLeadLosesThem()
    {
        var writer = _org.Services.GetRequiredKeyedService<IGuardOutcomeWriter>(SalesforceOutcomeWriter.HostKey);
        var lead = _contract.OtherOpenLead;
        await writer.WriteAsync(new GuardEvent { Reread = [lead.Ref, _contract.BlueHeron.Ref] }, [], default);
        var written = _org.Emulator.Store.All("CrmG_MatchKey__c").Count(k => (string?)k["CrmG_RecordId__c"] == lead.Id);
        _org.Emulator.Store.Patch("Lead", lead.Id, new Dictionary<string, object?> { ["Status"] = "Closed - Not Converted" });

        await writer.WriteAsync(new GuardEvent { Reread = [lead.Ref] }, [], default);

        Assert.True(written > 0);
        Assert.Contains(_org.Emulator.Store.All("CrmG_MatchKey__c"), k => (string?)k["CrmG_RecordId__c"] == _contract.BlueHeron.Id);
        Assert.DoesNotContain(_org.Emulator.Store.All("CrmG_MatchKey__c"), k => (string?)k["CrmG_RecordId__c"] == lead.Id);
    }

    [Fact]
    public async Task TheBackfill_WritesEveryKey_ResumesAfterAStop_AndChangesNothingWhenRunAgain()
    {
        var keys = _org.Services.GetRequiredService<SalesforceMatchKeyWriter>();

        var first = await keys.BackfillAsync(SalesforceKeyBackfillState.Start, pageSize: 2);
        _org.Emulator.Faults.Next(Emulator.EmulatorFault.DailyLimit());
        var stopped = await keys.BackfillAsync(SalesforceKeyBackfillState.Start, pageSize: 2);
        var resumed = await keys.BackfillAsync(stopped, pageSize: 2);

        Assert.True(first.IsDone);
        Assert.True(first.Written > 0);
        Assert.False(stopped.IsDone);
        Assert.Contains("REQUEST_LIMIT_EXCEEDED", stopped.StoppedBecause, StringComparison.Ordinal);
        Assert.True(resumed.IsDone);
        Assert.Equal(0, resumed.Written);
        Assert.Equal(first.Written, resumed.Unchanged);
    }

    [LiveOrgFact]
    public async Task LiveOrg_SignsIn_AndAnUnknownIdIsNull()
    {
        var settings = LiveOrgSettings.Load()!;
        var services = new ServiceCollection();
        services.AddCrmGuardrailsSalesforce(settings.Configure);
        await using var provider = services.BuildServiceProvider();

        var found = await provider.GetRequiredService<ICrmDirectory>().GetAsync(new RecordRef(RecordKind.Account, "001000000000000AAA"), default);

        Assert.Null(found);
    }
}
