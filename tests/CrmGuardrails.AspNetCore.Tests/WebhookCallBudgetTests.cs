using System.Net;

namespace CrmGuardrails.AspNetCore.Tests;

/// <summary>One budget per webhook call, however many records it carries: the answer comes before the CRM gives up.</summary>
public sealed class WebhookCallBudgetTests
{
    [Theory]
    [InlineData(LookupFailureVerdict.Flag, HttpStatusCode.OK, "flag")]
    [InlineData(LookupFailureVerdict.Block, HttpStatusCode.Conflict, "block")]
    public async Task BulkCall_OrgNeverAnswers_EveryRecordAnsweredNotCheckedByThePolicy(LookupFailureVerdict policy, HttpStatusCode status, string verdict)
    {
        // The call's budget (1 s) ends well before the pipeline's own (10 s, so that a loaded machine cannot let the
        // pipeline's end first): the call's budget is what ends the wait.
        await using var host = await WebhookHost.StartAsync(
            directory: new SilentDirectory(),
            configure: o => { o.CallBudget = TimeSpan.FromSeconds(1); o.MaxConcurrentRecords = 1; },
            policy: p => { p.OnLookupFailure = policy; p.TimeBudget = TimeSpan.FromSeconds(10); });

        var response = await host.PostAsync(WebhookHost.ReadFixture("lead-createmultiple.json"));

        Assert.Equal(status, response.StatusCode);
        var json = await WebhookHost.JsonAsync(response);
        Assert.Equal(verdict, json.GetProperty("verdict").GetString());
        var records = json.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r =>
        {
            var finding = Assert.Single(r.GetProperty("findings").EnumerateArray());
            Assert.True(finding.GetProperty("notChecked").GetBoolean());
            Assert.Contains("the call's time budget", finding.GetProperty("message").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void CallBudget_OutOfRange_IsRejectedWhenMapped()
    {
        var options = new WebhookEndpointOptions { SharedKey = WebhookHost.Key, CallBudget = TimeSpan.FromMilliseconds(10) };

        var errors = CrmGuardrails.OptionsValidation.Validate(options);

        Assert.Contains(errors, e => e.Contains("CallBudget", StringComparison.Ordinal));
    }

    /// <summary>An org that takes every question and never answers.</summary>
    private sealed class SilentDirectory : ICrmDirectory
    {
        public ValueTask<CrmRecord?> GetAsync(RecordRef record, CancellationToken cancellationToken) => Never<CrmRecord?>(cancellationToken);

        public ValueTask<MatchCandidates> FindMatchCandidatesAsync(MatchCandidateQuery query, CancellationToken cancellationToken) => Never<MatchCandidates>(cancellationToken);

        public ValueTask<IReadOnlyList<Contact>> FindContactsAsync(ContactQuery query, CancellationToken cancellationToken) => Never<IReadOnlyList<Contact>>(cancellationToken);

        public ValueTask<IReadOnlyList<Lead>> FindOpenLeadsAsync(LeadQuery query, CancellationToken cancellationToken) => Never<IReadOnlyList<Lead>>(cancellationToken);

        public ValueTask<IReadOnlyList<Activity>> FindOpenActivitiesAsync(ActivityQuery query, CancellationToken cancellationToken) => Never<IReadOnlyList<Activity>>(cancellationToken);

        public ValueTask<IReadOnlyList<string>> GetAccountTeamAsync(string accountId, CancellationToken cancellationToken) => Never<IReadOnlyList<string>>(cancellationToken);

        private static async ValueTask<T> Never<T>(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
