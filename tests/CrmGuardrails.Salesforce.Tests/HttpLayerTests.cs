using System.Net;
using CrmGuardrails.Salesforce.Emulator;
using CrmGuardrails.Salesforce.Http;
using CrmGuardrails.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Salesforce.Tests;

/// <summary>Sign-in, re-sign-in, resilience per Salesforce's error semantics, the API budget gauge and paging, against the emulated org.</summary>
public sealed class HttpLayerTests : IAsyncLifetime
{
    private readonly ContractOrg _contract = ContractOrg.Create();
    private TestOrg _org = null!;

    public async Task InitializeAsync()
    {
        _org = await TestOrg.StartAsync();
        _org.Emulator.Seed(_contract.Records);
        _org.Emulator.Deactivate(_contract.InactiveContacts.Select(c => c.Id));
    }

    public async Task DisposeAsync() => await _org.DisposeAsync();

    [Fact]
    public async Task JwtBearer_SignsInOnce_AndReusesTheSession()
    {
        var directory = _org.Services.GetRequiredService<ICrmDirectory>();

        Assert.NotNull(await directory.GetAsync(_contract.RobertsWright.Ref, default));
        Assert.NotNull(await directory.GetAsync(_contract.JaneDoe.Ref, default));

        Assert.Equal(1, _org.Emulator.TokensIssued);
    }

    [Fact]
    public async Task ExpiredSession_SignsInAgainOnce_AndTheCallSucceeds()
    {
        var directory = _org.Services.GetRequiredService<ICrmDirectory>();
        await directory.GetAsync(_contract.RobertsWright.Ref, default);
        _org.Emulator.ExpireSessions();

        var found = await directory.GetAsync(_contract.JaneDoe.Ref, default);

        Assert.Equal(_contract.JaneDoe.Id, found?.Id);
        Assert.Equal(2, _org.Emulator.TokensIssued);
    }

    [Fact]
    public async Task SignInRefused_IsASalesforceExceptionNamingTheReason()
    {
        _org.Emulator.ApprovedUsers.Clear();
        var directory = _org.Services.GetRequiredService<ICrmDirectory>();

        var error = await Assert.ThrowsAsync<SalesforceException>(async () => await directory.GetAsync(_contract.RobertsWright.Ref, default));

        Assert.Equal("invalid_grant", error.ErrorCode);
        Assert.Contains("hasn't approved", error.Message, StringComparison.Ordinal);
        Assert.Contains("pre-approve", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCredentials_SignsIn()
    {
        await using var services = _org.BuildServices(o =>
        {
            o.Authentication = SalesforceAuthentication.ClientCredentials;
            o.ClientSecret = _org.Emulator.ClientSecret;
        });

        Assert.NotNull(await services.GetRequiredService<ICrmDirectory>().GetAsync(_contract.RobertsWright.Ref, default));
    }

    [Theory]
    [InlineData("locked-row")]
    [InlineData("concurrent-limit")]
    [InlineData("unavailable")]
    [InlineData("internal-error")]
    [InlineData("throttle")]
    public async Task PassingFailures_AreRetried(string fault)
    {
        _org.Emulator.Faults.Next(Fault(fault));
        var directory = _org.Services.GetRequiredService<ICrmDirectory>();

        var found = await directory.GetAsync(_contract.RobertsWright.Ref, default);

        Assert.Equal(_contract.RobertsWright.Id, found?.Id);
        Assert.Equal(2, _org.Emulator.RequestCount);
    }

    [Fact]
    public async Task DailyLimit_FailsAtOnce_WithTheErrorCode()
    {
        _org.Emulator.Faults.Next(EmulatorFault.DailyLimit());
        var directory = _org.Services.GetRequiredService<ICrmDirectory>();

        var error = await Assert.ThrowsAsync<SalesforceException>(async () => await directory.GetAsync(_contract.RobertsWright.Ref, default));

        Assert.Equal("REQUEST_LIMIT_EXCEEDED", error.ErrorCode);
        Assert.True(error.IsThrottled);
        Assert.Equal(1, _org.Emulator.RequestCount);
    }

    [Fact]
    public async Task ACreate_IsNotRetriedAfterA500_ForItMayHaveBeenSaved()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/services/data/v62.0/sobjects/Lead/") { Content = new StringContent("{}") };
        using var response = new HttpResponseMessage(HttpStatusCode.InternalServerError);

        Assert.False(SalesforceResilience.IsIdempotent(request));
        Assert.False(await SalesforceResilience.IsPassingAsync(response, idempotent: false));
        Assert.True(await SalesforceResilience.IsPassingAsync(response, idempotent: true));
    }

    [Fact]
    public async Task OrgDown_AnswersNotCheckedWithinTheBudget_FailOpenOrClosedAsThePolicySays()
    {
        _org.Emulator.Faults.Always(EmulatorFault.Unavailable());
        await using var services = _org.BuildServices(o => o.MaxRetryAttempts = 1);
        var pipeline = new GuardPipelineBuilder { Directory = services.GetRequiredService<ICrmDirectory>(), Options = { OnLookupFailure = LookupFailureVerdict.Block } }.AddExistingCustomerGuard().Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(new Lead { Company = "Roberts & Wright", Email = "a@robertswright.com.au" }, _contract.TomBaker.Id));

        var finding = Assert.Single(result.Findings);
        Assert.True(finding.NotChecked);
        Assert.True(result.IsBlocked);
    }

    [Fact]
    public async Task SforceLimitInfo_IsTheRemainingBudgetGauge()
    {
        _org.Emulator.DailyApiLimit = 1000;
        var directory = _org.Services.GetRequiredService<ICrmDirectory>();
        await directory.GetAsync(_contract.RobertsWright.Ref, default);
        await directory.GetAsync(_contract.JaneDoe.Ref, default);

        var usage = _org.Services.GetRequiredService<SalesforceApiUsage>();

        Assert.Equal(1000, usage.Limit);
        Assert.Equal(1000 - _org.Emulator.ApiUsed, usage.Remaining);
    }

    [Fact]
    public async Task Paging_FollowsNextRecordsUrl_UpToTheLimit()
    {
        _org.Emulator.PageSize = 1;
        var directory = _org.Services.GetRequiredService<ICrmDirectory>();

        var contacts = await directory.FindContactsAsync(new ContactQuery { AccountIds = [_contract.RobertsWright.Id] }, default);

        Assert.Equal(2, contacts.Count);
        Assert.Contains(_org.Emulator.Requests, r => r.Path.StartsWith("/services/data/v62.0/query/01g", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SELECT Id, Name FROM Account WHERE Name = 'x' OR Name LIKE '%'")]
    [InlineData("SELECT Id FROM Account WHERE Id = 'x' OR Name LIKE '%' LIMIT 1")]
    [InlineData("SELECT Id FROM Account WHERE Id IN ('a\\%b')")]
    [InlineData("SELECT Id FROM Account")]
    public void TheEmulatedOrg_RefusesQueriesTheDirectoryDoesNotSend(string soql)
    {
        var error = Assert.Throws<EmulatorQueryException>(() => _org.Emulator.Query(soql));

        Assert.Equal("MALFORMED_QUERY", error.ErrorCode);
    }

    private static EmulatorFault Fault(string name) => name switch
    {
        "locked-row" => EmulatorFault.LockedRow(),
        "concurrent-limit" => EmulatorFault.ConcurrentLimit(),
        "unavailable" => EmulatorFault.Unavailable(),
        "internal-error" => EmulatorFault.InternalError(),
        _ => EmulatorFault.Throttle(0),
    };
}
