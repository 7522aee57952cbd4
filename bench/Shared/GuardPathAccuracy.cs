using System.Diagnostics;
using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Dataverse.Keys;
using CrmGuardrails.Matching;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Benchmarks;

/// <summary>
/// The path a save takes, for a bench folder (accounts, contacts, leads): every account a customer owned by its rep, every
/// lead created by a prospector who owns nothing, checked by the existing-customer rule alone (as bench_to_replay.py sets
/// up <c>crmguard replay</c>), the verdict turned back into a decision. Once through the embedded directory, once through
/// the Dataverse Web API directory against the emulator seeded with the folder's rows exactly as typed and keyed by the
/// package's own backfill.
/// </summary>
/// <remarks>Shared source: the benchmarks print the figures, a test in CrmGuardrails.Dataverse.Tests holds them on a subset.</remarks>
internal static class GuardPathAccuracy
{
    /// <summary>How the Web API run went, besides its decisions.</summary>
    public sealed record WebApiRun(IReadOnlyList<MatchDecision> Decisions, KeyBackfillState Backfill, int KeyRows, int Requests, TimeSpan Seeding, TimeSpan Checking);

    /// <summary>The existing-customer rule alone.</summary>
    public static void OnlyExistingCustomer(CrmGuardrailsOptions policy)
    {
        policy.DuplicateLead.Enabled = false;
        policy.RepCollision.Enabled = false;
        policy.ChannelFanout.Enabled = false;
        policy.Reschedule.Enabled = false;
    }

    public static IReadOnlyList<MatchDecision> ThroughEmbedded(MatchingDataset data, int concurrency = 8)
    {
        var owners = data.Accounts.Select(a => a.OwnerId).Concat(data.Contacts.Select(c => c.OwnerId)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var snapshot = new Embedded.CrmSnapshot
        {
            Users = owners.Select(o => new User { Id = o, Name = "Rep " + o }).Append(new User { Id = "u-prospector", Name = "Pat Prospector" }).ToList(),
            Accounts = data.Accounts.Select(a => a with { Status = AccountStatus.Customer, OwnerId = a.OwnerId ?? owners.FirstOrDefault() }).ToList(),
            Contacts = data.Contacts,
        };
        var directory = new Embedded.InMemoryCrmDirectory(snapshot);
        var policy = new CrmGuardrailsOptions();
        OnlyExistingCustomer(policy);
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddDefaultGuards(policy).Build();
        return CheckAllAsync(pipeline, directory, data.Leads, "u-prospector", id => id, concurrency, CancellationToken.None).GetAwaiter().GetResult();
    }

    public static async Task<WebApiRun> ThroughWebApiAsync(string folder, MatchingDataset data, int concurrency = 8, CancellationToken cancellationToken = default)
    {
        await using var emulator = await DataverseEmulator.StartAsync();
        var seeding = Stopwatch.StartNew();
        emulator.SeedCsvFolder(folder);
        var prospector = Guid.NewGuid().ToString("D");
        emulator.Seed(new User { Id = prospector, Name = "Pat Prospector" });
        var accountIds = data.Accounts.ToDictionary(a => EmulatorIds.For("account", a.Id), a => a.Id, StringComparer.OrdinalIgnoreCase);

        var services = new ServiceCollection();
        services.AddCrmGuardrailsDataverse(emulator.OrgUrl, emulator.Credential);
        services.AddCrmGuardrails(OnlyExistingCustomer);
        await using var provider = services.BuildServiceProvider();
        var backfill = await provider.GetRequiredService<DataverseMatchKeyWriter>().BackfillAsync(KeyBackfillState.Start, pageSize: 1000, cancellationToken: cancellationToken).ConfigureAwait(false);
        seeding.Stop();

        emulator.ClearRequests();
        var checking = Stopwatch.StartNew();
        var decisions = await CheckAllAsync(provider.GetRequiredService<GuardPipeline>(), provider.GetRequiredService<ICrmDirectory>(), data.Leads, prospector,
            id => accountIds.TryGetValue(id, out var text) ? text : id, concurrency, cancellationToken).ConfigureAwait(false);
        checking.Stop();
        return new WebApiRun(decisions, backfill, emulator.Store.Count("crmg_matchkeys"), emulator.RequestCount, seeding.Elapsed, checking.Elapsed);
    }

    private static async Task<IReadOnlyList<MatchDecision>> CheckAllAsync(GuardPipeline pipeline, ICrmDirectory directory, IReadOnlyList<Lead> leads, string prospector, Func<string, string> accountId, int concurrency, CancellationToken cancellationToken)
    {
        var decisions = new MatchDecision[leads.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, leads.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var lead = leads[i] with { Id = string.Empty, OwnerId = prospector };
            var outcome = await pipeline.CheckAsync(GuardRequest.ForCreate(lead, prospector), directory, token).ConfigureAwait(false);
            var collision = outcome.Result.Findings.FirstOrDefault(f => f.RuleId == "existing-customer")?.Collision;
            if (outcome.Result.Findings.Any(f => f.NotChecked))
                throw new InvalidOperationException($"Lead {leads[i].Id} was not checked: {outcome.Result.Message}");
            decisions[i] = new MatchDecision(leads[i].Id, outcome.Verdict, collision is null ? null : accountId(collision.Record.Id), collision?.Score ?? 0);
        }).ConfigureAwait(false);
        return decisions;
    }
}
