using CrmGuardrails.Matching;
using CrmGuardrails.Testing.Internal;

namespace CrmGuardrails.Testing;

/// <summary>Cancellation, thread safety and selectivity: what every method owes whatever it is asked.</summary>
public abstract partial class CrmDirectoryContract
{
    private const int ConcurrentRounds = 4;

    /// <summary>Every method honours a cancelled token: it throws <see cref="OperationCanceledException"/> rather than answering.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task EveryMethod_CancelledToken_ThrowsOperationCanceled()
    {
        var expect = new Expect();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        foreach (var (name, call) in Questions())
        {
            try
            {
                await call(cancelled.Token);
                expect.Fail($"{name} with a cancelled token: expected OperationCanceledException, but it answered.");
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                expect.Fail($"{name} with a cancelled token: expected OperationCanceledException, but it threw {ex.GetType().Name}: {ex.Message}");
            }
        }

        expect.Verify();
    }

    /// <summary>Many calls at once (on the thread pool) give the same answers as the same calls one at a time.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task ConcurrentCalls_GiveTheSameAnswersAsOneAtATime()
    {
        var expect = new Expect();
        var questions = Questions();
        var expected = new List<string>();
        foreach (var (_, call) in questions)
            expected.Add(await call(CancellationToken.None));

        var pending = new List<Task<string>>();
        for (var round = 0; round < ConcurrentRounds; round++)
        {
            foreach (var (_, call) in questions)
                pending.Add(Task.Run(() => call(CancellationToken.None)));
        }

        var answers = await Task.WhenAll(pending);
        for (var i = 0; i < answers.Length; i++)
        {
            var q = i % questions.Count;
            expect.True(answers[i] == expected[q], $"{questions[q].Name}, asked concurrently (round {(i / questions.Count) + 1}): expected {expected[q]}, got {answers[i]}.");
        }

        expect.Verify();
    }

    /// <summary>
    /// Every method is a selective question: a few round trips to the host (<see cref="MaxRequestsPerCall"/>), and no
    /// more for more records (never one request per record). Checked when the directory's requests are counted
    /// (<see cref="RequestCount"/>).
    /// </summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task EveryMethod_AsksAFewRoundTrips_NotOnePerRecord()
    {
        if (RequestCount is null)
            return;
        var expect = new Expect();
        foreach (var (name, call) in Questions())
        {
            var cost = await CostAsync(call);
            expect.True(cost <= MaxRequestsPerCall, $"{name}: {cost} requests, more than {MaxRequestsPerCall}.");
        }

        var oneAccount = await CostAsync(ct => Answer(Directory.FindContactsAsync(new ContactQuery { AccountIds = [Org.RobertsWright.Id] }, ct)));
        var threeAccounts = await CostAsync(ct => Answer(Directory.FindContactsAsync(new ContactQuery { AccountIds = [Org.RobertsWright.Id, Org.CascadeCoffee.Id, Org.CascadePortland.Id] }, ct)));
        expect.True(threeAccounts <= oneAccount, $"FindContactsAsync: {oneAccount} requests for one account, {threeAccounts} for three (one per account?).");

        var oneParticipant = await CostAsync(ct => Answer(Directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [Org.RobertsWright.Ref] }, ct)));
        var fourParticipants = await CostAsync(ct => Answer(Directory.FindOpenActivitiesAsync(
            new ActivityQuery { Participants = [Org.RobertsWright.Ref, Org.SamLee.Ref, Org.CascadeCoffee.Ref, Org.JaneDoe.Ref] }, ct)));
        expect.True(fourParticipants <= oneParticipant, $"FindOpenActivitiesAsync: {oneParticipant} requests for one participant, {fourParticipants} for four (one per participant or activity?).");
        expect.Verify();
    }

    private async Task<int> CostAsync(Func<CancellationToken, Task<string>> call)
    {
        var before = RequestCount ?? 0;
        await call(CancellationToken.None);
        return (RequestCount ?? 0) - before;
    }

    /// <summary>One call of each method, with arguments that find something; each answer is reduced to a canonical text.</summary>
    private List<(string Name, Func<CancellationToken, Task<string>> Call)> Questions()
    {
        var lead = new Lead { Company = "Roberts and Wright", Email = "kim@wrightadvisory.net", Phone = "+1 206-555-0150" };
        var keys = KeysOf(lead);
        var leadKeys = KeysOf(new Lead { Company = "Roberts & Wright", Email = "tom.reed@robertswright.com.au" });
        return
        [
            ("GetAsync(account)", ct => Answer(Directory.GetAsync(Org.RobertsWright.Ref, ct))),
            ("GetAsync(activity)", ct => Answer(Directory.GetAsync(Org.OpenCall.Ref, ct))),
            ("GetAsync(user)", ct => Answer(Directory.GetAsync(Org.TomBaker.Ref, ct))),
            ("GetAsync(unknown kind)", ct => Answer(Directory.GetAsync(new RecordRef(RecordKind.Unknown, Org.JaneDoe.Id), ct))),
            ("FindMatchCandidatesAsync", ct => Answer(Directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = keys }, ct))),
            ("FindContactsAsync", ct => Answer(Directory.FindContactsAsync(new ContactQuery { AccountIds = [Org.RobertsWright.Id, Org.CascadeCoffee.Id] }, ct))),
            ("FindOpenLeadsAsync", ct => Answer(Directory.FindOpenLeadsAsync(new LeadQuery { Emails = leadKeys.Emails, CompanyKeys = leadKeys }, ct))),
            ("FindOpenActivitiesAsync", ct => Answer(Directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [Org.RobertsWright.Ref, Org.SamLee.Ref] }, ct))),
            ("GetAccountTeamAsync", ct => Answer(Directory.GetAccountTeamAsync(Org.RobertsWright.Id, ct))),
        ];
    }

    private static async Task<string> Answer(ValueTask<CrmRecord?> pending) => Expect.Describe(await pending.ConfigureAwait(false));

    private static async Task<string> Answer<T>(ValueTask<IReadOnlyList<T>> pending)
        where T : CrmRecord =>
        Ids(await pending.ConfigureAwait(false));

    private static async Task<string> Answer(ValueTask<IReadOnlyList<string>> pending) =>
        "[" + string.Join(", ", (await pending.ConfigureAwait(false)).Select(id => id.ToUpperInvariant()).Order(StringComparer.Ordinal)) + "]";

    private static async Task<string> Answer(ValueTask<MatchCandidates> pending)
    {
        var found = await pending.ConfigureAwait(false);
        return $"accounts {Ids(found.Accounts)}, contacts {Ids(found.Contacts)}";
    }

    private static string Ids(IEnumerable<CrmRecord> records) =>
        "[" + string.Join(", ", records.Select(r => r.Id.ToUpperInvariant()).Order(StringComparer.Ordinal)) + "]";
}
