using System.ComponentModel.DataAnnotations;
using CrmGuardrails.Decisions;

namespace CrmGuardrails.DecisionLog.Tests;

/// <summary>What every <see cref="IDecisionLog"/> does, run against each implementation on an empty log.</summary>
public abstract class DecisionLogContract
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Creates an empty log (a new file, a new schema).</summary>
    protected abstract Task<IDecisionLog> CreateLogAsync();

    [DecisionLogFact]
    public async Task Append_ThenQuery_RoundTripsEveryField()
    {
        var log = await CreateLogAsync();
        var record = Decisions.Sample(Start.ToOffset(TimeSpan.FromHours(2)), "existing-customer", Verdict.Block) with { NotCheckedReason = null };

        await log.AppendAsync([record]);
        var page = await log.QueryAsync(new DecisionQuery());

        var back = Assert.Single(page.Records);
        Assert.Null(page.ContinuationToken);
        Assert.Equal(DecisionJson.Serialize(record), DecisionJson.Serialize(back));
        Assert.Equal(record.Time, back.Time);
    }

    [DecisionLogFact]
    public async Task Query_OrdersByTimeThenId_WhateverTheAppendOrder()
    {
        var log = await CreateLogAsync();
        var records = Enumerable.Range(0, 12).Select(i => Decisions.Sample(Start.AddMinutes(i % 4), "rep-collision", Verdict.Flag)).ToList();

        await log.AppendAsync(records.AsEnumerable().Reverse().ToList());
        var read = (await log.QueryAsync(new DecisionQuery())).Records;

        var expected = records.OrderBy(r => r.Time).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id);
        Assert.Equal(expected, read.Select(r => r.Id));
    }

    [DecisionLogFact]
    public async Task Query_Pages_EveryDecisionOnceInOrder()
    {
        var log = await CreateLogAsync();
        var records = Enumerable.Range(0, 25).Select(i => Decisions.Sample(Start.AddSeconds(i / 3), "duplicate-lead", Verdict.Allow)).ToList();
        await log.AppendAsync(records);

        var pages = new List<DecisionPage>();
        var query = new DecisionQuery { PageSize = 10 };
        do
        {
            pages.Add(await log.QueryAsync(query));
            query = query with { ContinuationToken = pages[^1].ContinuationToken };
        }
        while (pages[^1].ContinuationToken is not null && pages.Count < 10);

        Assert.Equal([10, 10, 5], pages.Select(p => p.Records.Count));
        var expected = records.OrderBy(r => r.Time).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList();
        Assert.Equal(expected, pages.SelectMany(p => p.Records).Select(r => r.Id));
        Assert.Equal(expected, await log.ReadAllAsync(new DecisionQuery { PageSize = 7 }).Select(r => r.Id).ToListAsync());
    }

    [DecisionLogFact]
    public async Task Query_Filters_ByTimeRuleVerdictAndHost()
    {
        var log = await CreateLogAsync();
        var early = Decisions.Sample(Start, "existing-customer", Verdict.Block);
        var middle = Decisions.Sample(Start.AddHours(1), "rep-collision", Verdict.Flag) with { Host = "web-2" };
        var late = Decisions.Sample(Start.AddHours(2), "existing-customer", Verdict.Flag);
        var custom = Decisions.Sample(Start.AddHours(3), "my_rule%", Verdict.Flag);
        await log.AppendAsync([early, middle, late, custom]);

        async Task<string[]> Ids(DecisionQuery q) => (await log.QueryAsync(q)).Records.Select(r => r.Id).ToArray();

        Assert.Equal([middle.Id, late.Id], await Ids(new DecisionQuery { From = Start.AddHours(1), To = Start.AddHours(3) }));
        Assert.Equal([early.Id, late.Id], await Ids(new DecisionQuery { RuleId = "existing-customer" }));
        Assert.Equal([custom.Id], await Ids(new DecisionQuery { RuleId = "my_rule%" }));
        Assert.Empty(await Ids(new DecisionQuery { RuleId = "existing" }));
        Assert.Equal([early.Id], await Ids(new DecisionQuery { Verdict = Verdict.Block }));
        Assert.Equal([middle.Id], await Ids(new DecisionQuery { Host = "web-2" }));
        Assert.Equal([late.Id], await Ids(new DecisionQuery { RuleId = "existing-customer", Verdict = Verdict.Flag }));
    }

    [DecisionLogFact]
    public async Task Append_SameIdTwice_KeepsOne()
    {
        var log = await CreateLogAsync();
        var record = Decisions.Sample(Start, "existing-customer", Verdict.Block);

        await log.AppendAsync([record]);
        await log.AppendAsync([record with { Host = "retried" }, Decisions.Sample(Start, "reschedule", Verdict.Flag)]);

        var read = (await log.QueryAsync(new DecisionQuery())).Records;
        Assert.Equal(2, read.Count);
        Assert.Equal(record.Host, read.Single(r => r.Id == record.Id).Host);
    }

    [DecisionLogFact]
    public async Task DeleteOlderThan_RemovesOnlyOlderDecisions()
    {
        var log = await CreateLogAsync();
        var records = Enumerable.Range(0, 10).Select(i => Decisions.Sample(Start.AddDays(i), "rep-collision", Verdict.Flag)).ToList();
        await log.AppendAsync(records);

        var deleted = await log.DeleteOlderThanAsync(Start.AddDays(4));

        Assert.Equal(4, deleted);
        Assert.Equal(records.Skip(4).Select(r => r.Id), (await log.QueryAsync(new DecisionQuery())).Records.Select(r => r.Id));
        Assert.Equal(0, await log.DeleteOlderThanAsync(Start.AddDays(4)));
    }

    [DecisionLogFact]
    public async Task Append_ConcurrentWriters_LoseNothing()
    {
        var log = await CreateLogAsync();
        const int writers = 6, batches = 10, perBatch = 5;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < batches; b++)
                await log.AppendAsync(Enumerable.Range(0, perBatch).Select(i => Decisions.Sample(Start.AddMilliseconds((w * batches + b) * perBatch + i), "rep-collision", Verdict.Flag) with { Host = $"web-{w}" }).ToList());
        })));

        var all = await log.ReadAllAsync(new DecisionQuery { PageSize = 100 }).ToListAsync();
        Assert.Equal(writers * batches * perBatch, all.Select(r => r.Id).Distinct().Count());
        Assert.All(Enumerable.Range(0, writers), w => Assert.Equal(batches * perBatch, all.Count(r => r.Host == $"web-{w}")));
    }

    [DecisionLogFact]
    public async Task Query_Invalid_SaysWhatIsWrong()
    {
        var log = await CreateLogAsync();

        var size = await Assert.ThrowsAsync<ValidationException>(() => log.QueryAsync(new DecisionQuery { PageSize = 0 }).AsTask());
        var range = await Assert.ThrowsAsync<ValidationException>(() => log.QueryAsync(new DecisionQuery { From = Start, To = Start.AddDays(-1) }).AsTask());
        var token = await Assert.ThrowsAsync<ArgumentException>(() => log.QueryAsync(new DecisionQuery { ContinuationToken = "page-2" }).AsTask());

        Assert.Contains("PageSize", size.Message, StringComparison.Ordinal);
        Assert.Contains("To", range.Message, StringComparison.Ordinal);
        Assert.Contains("page-2", token.Message, StringComparison.Ordinal);
    }
}

/// <summary>Decisions for the tests.</summary>
internal static class Decisions
{
    public static DecisionRecord Sample(DateTimeOffset time, string rule, Verdict verdict) => new()
    {
        Time = time,
        Host = "web-1",
        Operation = GuardOperation.Create,
        Record = new RecordRef(RecordKind.Lead, Guid.NewGuid().ToString("D")),
        Table = "lead",
        UserId = "u2",
        OwnerId = "u2",
        Verdict = verdict,
        AppliedVerdict = Verdict.Allow,
        ShadowMode = true,
        LatencyMs = 3.5,
        CorrelationId = "corr-1",
        Findings = verdict == Verdict.Allow ? [] :
        [
            new DecisionFinding
            {
                RuleId = rule, Code = "CRMG1001", Verdict = verdict, Shadow = true, Message = "Contoso is a customer owned by Maria Lopez.", Score = 0.98,
                Related = [new DecisionRelated(new RecordRef(RecordKind.Account, "a-contoso"), "u1") { OwnerName = "Maria Lopez", Name = "Contoso" }],
                Evidence = [new DecisionEvidence("domain", "contoso.com = contoso.com", 11.5)],
            },
        ],
    };
}
