using System.Text.Json.Nodes;
using CrmGuardrails.Matching;
using CrmGuardrails.Salesforce.Emulator;
using CrmGuardrails.Salesforce.Keys;
using CrmGuardrails.Salesforce.Writing;
using CrmGuardrails.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmGuardrails.Salesforce.Tests;

/// <summary>
/// Every create rule through the guarded create against the emulated org seeded with the contract org: what is blocked
/// is never sent, what is flagged is created with its verdict and a task in one composite, and the requests each check
/// costs are counted. (The reschedule rule checks updates only: a create cannot move an activity.)
/// </summary>
public sealed class GuardedCreateEndToEndTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 3, 11, 20, 0, 0, TimeSpan.Zero);
    private readonly ContractOrg _contract = ContractOrg.Create();
    private readonly User _outsider = new() { Id = Guid.NewGuid().ToString("D"), Name = "Noah Field" };
    private TestOrg _org = null!;
    private SalesforceGuardedCreate _create = null!;

    private SalesforceEmulator Emulator => _org.Emulator;

    public async Task InitializeAsync()
    {
        _org = await TestOrg.StartAsync();
        Emulator.Seed([_outsider, .. _contract.Records]);
        Emulator.Deactivate(_contract.InactiveContacts.Select(c => c.Id));
        foreach (var team in _contract.AccountTeam.GroupBy(m => m.AccountId))
            Emulator.SeedAccountTeam(team.Key, team.Select(m => m.UserId));
        await _org.Services.GetRequiredService<SalesforceMatchKeyWriter>().WriteAsync([.. _contract.Accounts, .. _contract.Contacts, .. _contract.Leads]);

        var directory = _org.Services.GetRequiredService<SalesforceDirectory>();
        var pipeline = new GuardPipelineBuilder { Directory = directory, Matcher = StoredMatchKeys.Matcher, TimeProvider = new FakeTimeProvider(Now) }
            .AddExistingCustomerGuard()
            .AddDuplicateLeadGuard()
            .AddRepCollisionGuard()
            .AddChannelFanoutGuard()
            .AddRescheduleGuard()
            .Build();
        _create = new SalesforceGuardedCreate(pipeline, directory, SalesforceServiceCollectionExtensions.Clients(_org.Services), _org.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SalesforceDirectoryOptions>>(), new FakeTimeProvider(Now));
        Emulator.ClearRequests();
    }

    public async Task DisposeAsync() => await _org.DisposeAsync();

    [Fact]
    public async Task ExistingCustomer_LeadAtAnotherRepsCustomer_IsBlockedAndNeverSent()
    {
        var result = await _create.CreateAsync("Lead", Lead("Jane", "Roe", "Roberts & Wright Pty Ltd", "jane.roe@robertswright.com.au", _outsider.Id), _outsider.Id);

        Assert.True(result.Status == SalesforceCreateStatus.Blocked, Describe(result));
        Assert.Contains(result.Outcome.Result.Findings, f => f.RuleId == RuleIds.ExistingCustomer && f.Verdict == Verdict.Block);
        AssertNothingCreated();
        AssertRequestsAtMost(4);
    }

    [Fact]
    public async Task DuplicateLead_SamePersonAsAnotherRepsOpenLead_IsBlocked()
    {
        var result = await _create.CreateAsync("Lead", Lead("Olivia", "Brown", "Blue Heron Landscaping Ltd", "olivia.brown@outlook.com", _contract.TomBaker.Id), _contract.TomBaker.Id);

        Assert.Equal(SalesforceCreateStatus.Blocked, result.Status);
        Assert.Contains(result.Outcome.Result.Findings, f => f.RuleId == RuleIds.DuplicateLead && f.Verdict == Verdict.Block);
        AssertNothingCreated();
        AssertRequestsAtMost(4);
    }

    [Fact]
    public async Task RepCollision_CallPlannedBesideAnotherRepsMeeting_IsBlocked()
    {
        var fields = new Dictionary<string, object?>
        {
            ["Subject"] = "Pricing call", ["Type"] = "Call", ["WhatId"] = _contract.CascadeCoffee.Id, ["WhoId"] = _contract.SamLee.Id, ["OwnerId"] = _outsider.Id,
            ["StartDateTime"] = new DateTimeOffset(2025, 1, 20, 18, 0, 0, TimeSpan.Zero), ["EndDateTime"] = new DateTimeOffset(2025, 1, 20, 18, 30, 0, TimeSpan.Zero),
        };

        var result = await _create.CreateAsync("Event", fields, _outsider.Id);

        Assert.Equal(SalesforceCreateStatus.Blocked, result.Status);
        var finding = Assert.Single(result.Outcome.Result.Findings, f => f.RuleId == RuleIds.RepCollision);
        Assert.Equal(Verdict.Block, finding.Verdict);
        Assert.Equal(_contract.OldMeeting.Id, finding.Collision?.Record.Id);
        AssertNothingCreated();
        AssertRequestsAtMost(8);
    }

    [Fact]
    public async Task ChannelFanout_InboundCallAfterAnotherRepsInboundEmail_IsCreatedFlaggedWithATaskInOneComposite()
    {
        var fields = new Dictionary<string, object?>
        {
            ["Subject"] = "Missed call", ["TaskSubtype"] = "Call", ["CallType"] = "Inbound", ["WhoId"] = _contract.SamLee.Id, ["OwnerId"] = _contract.TomBaker.Id, ["Status"] = "Not Started",
        };

        var result = await _create.CreateAsync("Task", fields, _contract.TomBaker.Id);

        Assert.Equal(SalesforceCreateStatus.Created, result.Status);
        Assert.Contains(result.Outcome.Result.Findings, f => f.RuleId == RuleIds.ChannelFanout && f.Verdict == Verdict.Flag);
        var created = Emulator.Store.Find("Task", result.Id!)!;
        Assert.Equal("flag", created["CrmG_Flag__c"]);
        Assert.Contains(RuleIds.ChannelFanout, (string)created["CrmG_FlagRule__c"]!, StringComparison.Ordinal);
        var told = Emulator.Store.All("Task").Where(t => t.GetValueOrDefault("CrmG_NotificationKey__c") is not null).ToList();
        Assert.Equal(_contract.PriyaShah.Id, result.Outcome.Result.Findings[0].Collision?.OwnerId);
        var task = Assert.Single(told);
        Assert.Equal(_contract.PriyaShah.Id, task["OwnerId"]);
        Assert.DoesNotContain(_contract.InboundEmail.Subject!, (string)task["Description"]!, StringComparison.Ordinal);
        var writes = Emulator.Requests.Where(r => r.Method != "GET" && !r.Path.EndsWith("/composite/batch", StringComparison.Ordinal)).ToList();
        Assert.Equal("/services/data/v62.0/composite", Assert.Single(writes).Path);
        AssertRequestsAtMost(6);
    }

    [Fact]
    public async Task NewCompany_IsCreatedWithItsKeysInOneComposite()
    {
        var result = await _create.CreateAsync("Lead", Lead("Ada", "Quinn", "Quinn Marine Salvage", "ada@quinnmarine.example", _contract.TomBaker.Id), _contract.TomBaker.Id);

        Assert.Equal(SalesforceCreateStatus.Created, result.Status);
        Assert.Empty(result.Outcome.Result.Findings);
        Assert.Equal("Quinn Marine Salvage", Emulator.Store.Find("Lead", result.Id!)!["Company"]);
        Assert.Equal("/services/data/v62.0/composite", Assert.Single(Emulator.Requests, r => r.Method == "POST" && !r.Path.EndsWith("/batch", StringComparison.Ordinal)).Path);
        Assert.Contains(Emulator.Store.All("CrmG_MatchKey__c"), k => (string?)k["CrmG_RecordId__c"] == result.Id);
        AssertRequestsAtMost(4);
    }

    [Fact]
    public async Task SalesforceDuplicateRule_AnswersDuplicateDetected_WithTheRuleAndTheMatch()
    {
        Emulator.DuplicateRules.Add(new EmulatorDuplicateRule("Lead", f => f.GetValueOrDefault("Email") as string == "ada@quinnmarine.example" ? _contract.OpenLead.Id : null, AllowSave: true));

        var stopped = await _create.CreateAsync("Lead", Lead("Ada", "Quinn", "Quinn Marine Salvage", "ada@quinnmarine.example", _contract.TomBaker.Id), _contract.TomBaker.Id);
        var saved = await _create.CreateAsync("Lead", Lead("Ada", "Quinn", "Quinn Marine Salvage", "ada@quinnmarine.example", _contract.TomBaker.Id), _contract.TomBaker.Id, allowSaveOnDuplicateAlert: true);

        Assert.Equal(SalesforceCreateStatus.DuplicateDetected, stopped.Status);
        Assert.True(stopped.Duplicate!.AllowSave);
        Assert.Equal([_contract.OpenLead.Id], stopped.Duplicate.MatchIds);
        Assert.Equal("Use one of these records?", stopped.Duplicate.Message);
        Assert.Equal(SalesforceCreateStatus.Created, saved.Status);
    }

    [Theory]
    [InlineData("O'Brien\\", "100%_Co", "obrien@100pct.example")]
    [InlineData("Lee", "x' OR Name LIKE '%", "x' OR Name LIKE '%@x.example")]
    [InlineData("Null", "\\' OR Id != null OR Name = \\'", "a'b@c.example")]
    public async Task NamesThatLookLikeSoql_AreJustNames(string lastName, string company, string email)
    {
        var result = await _create.CreateAsync("Lead", Lead("Pat", lastName, company, email, _contract.TomBaker.Id), _contract.TomBaker.Id);
        var again = await _create.CreateAsync("Lead", Lead("Pat", lastName, company, email, _contract.MariaLopez.Id), _contract.MariaLopez.Id);

        Assert.Equal(SalesforceCreateStatus.Created, result.Status);
        var stored = Emulator.Store.Find("Lead", result.Id!)!;
        Assert.Equal(lastName, stored["LastName"]);
        Assert.Equal(company, stored["Company"]);

        // The second rep's lead is the same person as the first: found by the escaped email, so blocked.
        Assert.Equal(SalesforceCreateStatus.Blocked, again.Status);
        Assert.Contains(again.Outcome.Result.Findings, f => f.RuleId == RuleIds.DuplicateLead && f.Collision?.Record.Id == result.Id);
    }

    private static string Describe(SalesforceCreateResult result) =>
        $"{result.Status}: {string.Join("; ", result.Outcome.Result.Findings.Select(f => $"{f.RuleId} {f.Verdict} {f.Message}"))}";

    private static Dictionary<string, object?> Lead(string first, string last, string company, string email, string ownerId) => new()
    {
        ["FirstName"] = first, ["LastName"] = last, ["Company"] = company, ["Email"] = email, ["OwnerId"] = ownerId,
    };

    private void AssertNothingCreated() =>
        Assert.DoesNotContain(Emulator.Requests, r => r.Method is "POST" or "PATCH" && !r.Path.EndsWith("/composite/batch", StringComparison.Ordinal));

    private void AssertRequestsAtMost(int max) =>
        Assert.True(Emulator.RequestCount <= max, $"{Emulator.RequestCount} requests for one guarded create (at most {max}): {string.Join("; ", Emulator.Requests.Select(r => r.Method + " " + r.Path + " " + r.Query))}");
}
