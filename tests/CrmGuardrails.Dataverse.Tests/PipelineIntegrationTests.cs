using System.Diagnostics;
using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Dataverse.Tests;

/// <summary>The core pipeline over the Dataverse directory: answers within its budget whatever the org does.</summary>
public sealed class PipelineIntegrationTests
{
    /// <summary>A minimal guard: flags a lead whose company starts like an existing account's name.</summary>
    private sealed class AccountExistsGuard : ICrmGuard
    {
        public string RuleId => "test-account-exists";

        public bool AppliesTo(GuardContext context) => context.Record is Lead;

        public async ValueTask<IReadOnlyList<GuardFinding>> EvaluateAsync(GuardContext context)
        {
            var lead = (Lead)context.Record;
            var keys = StoredMatchKeys.Matcher.GetKeys(lead);
            var accounts = (await context.Lookups.Directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = keys }, context.CancellationToken)).Accounts;
            return accounts.Select(a => new GuardFinding { RuleId = RuleId, Code = "TEST", Verdict = Verdict.Flag, Message = "exists: " + a.Name }).ToList();
        }
    }

    [Fact]
    public async Task Evaluate_HealthyOrg_FindsTheAccount()
    {
        await using var emulator = await DataverseEmulator.StartAsync();
        emulator.Seed(new Account { Id = Guid.NewGuid().ToString("D"), Name = "Fabrikam Ltd" });
        await using var org = new EmulatorOrg(emulator);
        var pipeline = new GuardPipelineBuilder { Directory = org.CreateDirectory() }.AddGuard(new AccountExistsGuard()).Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(new Lead { Company = "Fabrikam" }, "user"));

        var finding = Assert.Single(result.Findings);
        Assert.False(finding.NotChecked);
        Assert.Equal("exists: Fabrikam Ltd", finding.Message);
    }

    [Theory]
    [InlineData("slow")]
    [InlineData("unavailable")]
    [InlineData("throttled")]
    public async Task Evaluate_SickOrg_AnswersNotCheckedWithinBudget(string sickness)
    {
        await using var emulator = await DataverseEmulator.StartAsync();
        emulator.Faults.Always(sickness switch
        {
            "slow" => EmulatorFault.Slow(TimeSpan.FromSeconds(30)),
            "unavailable" => EmulatorFault.Unavailable(),
            _ => EmulatorFault.Throttle(5),
        });
        await using var org = new EmulatorOrg(emulator);
        var pipeline = new GuardPipelineBuilder { Directory = org.CreateDirectory(o => o.MaxRetryAttempts = 10) }.AddGuard(new AccountExistsGuard()).Build();
        var watch = Stopwatch.StartNew();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(new Lead { Company = "Fabrikam" }, "user"));

        Assert.True(Assert.Single(result.Findings).NotChecked);
        // Not a speed goal: answered by the budget, not after the fault (30 s slow, 10 retries of 5 s), on a loaded machine too.
        Assert.True(watch.Elapsed < pipeline.Options.TimeBudget + TimeSpan.FromSeconds(6), $"took {watch.Elapsed}");
    }
}
