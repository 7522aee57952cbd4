using System.Net;
using CrmGuardrails.Decisions;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.AspNetCore.Tests;

/// <summary>Shadow mode through the webhook: the guards decide and the decision is logged, but nothing is refused or written back.</summary>
public sealed class WebhookShadowTests
{
    [Fact]
    public async Task SyncLeadCreate_RuleInShadow_Allows200AndLogsTheBlock()
    {
        var log = new MemoryLog();
        var host = await WebhookHost.StartAsync(policy: o => o.ExistingCustomer.Shadow = true, services: s => AddLog(s, log));
        HttpResponseMessage response;
        await using (host)
            response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-existing-customer.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal("allow", json.GetProperty("verdict").GetString());
        Assert.Empty(host.Notifier.Sent);

        // Stopping the host flushed the queue: the decision is in the log.
        var record = Assert.Single(log.Records);
        Assert.Equal((Verdict.Block, Verdict.Allow), (record.Verdict, record.AppliedVerdict));
        Assert.Equal("5d2c7a3e-0000-4000-8000-000000000001", record.CorrelationId);
        Assert.True(Assert.Single(record.Findings).Shadow);
    }

    [Fact]
    public async Task AsyncLeadCreate_GlobalShadow_WritesNoFlagNoTaskAndClearsNothing()
    {
        await using var host = await WebhookHost.StartAsync(policy: o => o.Shadow = true);

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-async.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(host.Writer.Flags);
        var (_, outcome) = Assert.Single(host.Writer.All);
        Assert.Equal(Verdict.Block, outcome.Decided.Verdict);
        Assert.False(outcome.ClearsFlag);
        Assert.Null(outcome.RescheduleCount);
        Assert.Empty(host.Notifier.Sent);
    }

    [Fact]
    public async Task AsyncAppointmentMove_RescheduleInShadow_NoFlagAndNoCount()
    {
        await using var host = await WebhookHost.StartAsync(policy: o => o.Reschedule.Shadow = true);
        using var document = System.Text.Json.JsonDocument.Parse(WebhookHost.ReadFixture("appointment-update-reschedule.json"));
        var body = Json.Set(Json.Set(document.RootElement, "Mode", "1"), "Stage", "40");

        var response = await host.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("allow", (await WebhookHost.JsonAsync(response)).GetProperty("verdict").GetString());
        var (_, outcome) = Assert.Single(host.Writer.All);
        Assert.Equal(Verdict.Flag, outcome.Decided.Verdict);
        Assert.Null(outcome.Flag);
        Assert.Null(outcome.RescheduleCount);
        Assert.False(outcome.ClearsFlag);
    }

    [Fact]
    public async Task SyncLeadCreate_NotCheckedFailClosedInShadow_NeverBlocks()
    {
        var log = new MemoryLog();
        var host = await WebhookHost.StartAsync(
            policy: o => { o.Shadow = true; o.OnLookupFailure = LookupFailureVerdict.Block; },
            services: s => { s.AddSingleton<ICrmDirectory>(new FailingDirectory()); AddLog(s, log); });
        HttpResponseMessage response;
        await using (host)
            response = await host.PostAsync(WebhookHost.ReadFixture("lead-create-existing-customer.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = Assert.Single(log.Records);
        Assert.False(record.Checked);
        Assert.Equal(Verdict.Block, record.Verdict);
        Assert.Equal(Verdict.Allow, record.AppliedVerdict);
    }

    private static void AddLog(IServiceCollection services, MemoryLog log) =>
        services.AddCrmGuardrails().AddDecisionLog(_ => log, _ => new DecisionLogOptions { RetentionDays = 0 });

    private sealed class MemoryLog : IDecisionLog
    {
        private readonly List<DecisionRecord> _records = [];

        public IReadOnlyList<DecisionRecord> Records
        {
            get
            {
                lock (_records)
                    return [.. _records];
            }
        }

        public ValueTask AppendAsync(IReadOnlyList<DecisionRecord> records, CancellationToken cancellationToken = default)
        {
            lock (_records)
                _records.AddRange(records);
            return ValueTask.CompletedTask;
        }

        public ValueTask<DecisionPage> QueryAsync(DecisionQuery query, CancellationToken cancellationToken = default) => ValueTask.FromResult(new DecisionPage(Records, null));

        public ValueTask<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) => ValueTask.FromResult(0L);
    }

    /// <summary>A directory the CRM cannot answer for: every rule is "not checked".</summary>
    private sealed class FailingDirectory : ICrmDirectory
    {
        private static Exception Down() => new CrmDirectoryException("The CRM is down.");

        public ValueTask<CrmRecord?> GetAsync(RecordRef record, CancellationToken cancellationToken) => throw Down();
        public ValueTask<MatchCandidates> FindMatchCandidatesAsync(MatchCandidateQuery query, CancellationToken cancellationToken) => throw Down();
        public ValueTask<IReadOnlyList<Contact>> FindContactsAsync(ContactQuery query, CancellationToken cancellationToken) => throw Down();
        public ValueTask<IReadOnlyList<Lead>> FindOpenLeadsAsync(LeadQuery query, CancellationToken cancellationToken) => throw Down();
        public ValueTask<IReadOnlyList<Activity>> FindOpenActivitiesAsync(ActivityQuery query, CancellationToken cancellationToken) => throw Down();
        public ValueTask<IReadOnlyList<string>> GetAccountTeamAsync(string accountId, CancellationToken cancellationToken) => throw Down();
    }
}
