using CrmGuardrails.DecisionLog.PostgreSql;
using CrmGuardrails.Decisions;

namespace CrmGuardrails.DecisionLog.Tests;

[RequiresPostgreSql]
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlDecisionLogTests(PostgreSqlServer server) : DecisionLogContract, IAsyncDisposable
{
    private readonly List<PostgreSqlDecisionLog> _logs = [];

    protected override Task<IDecisionLog> CreateLogAsync() => Task.FromResult<IDecisionLog>(Create(NewSchema()));

    [DecisionLogFact]
    public async Task Append_CrashBeforeCommit_LeavesNoHalfBatch()
    {
        var schema = NewSchema();
        var before = Decisions.Sample(Start, "existing-customer", Verdict.Block);
        await Create(schema).AppendAsync([before]);
        var crashing = Track(new PostgreSqlDecisionLog(Options(schema)) { BeforeCommit = () => throw new IOException("connection lost") });

        await Assert.ThrowsAsync<IOException>(() => crashing.AppendAsync(Enumerable.Range(0, 5).Select(i => Decisions.Sample(Start.AddMinutes(i + 1), "rep-collision", Verdict.Flag)).ToList()).AsTask());

        Assert.Equal([before.Id], (await Create(schema).QueryAsync(new DecisionQuery())).Records.Select(r => r.Id));
    }

    [DecisionLogFact]
    public async Task Append_ProcessKilledMidWrite_LeavesOnlyWholeBatches()
    {
        var schema = NewSchema();

        var committed = await CrashWriterProcess.KillMidWriteAsync("postgresql", server.Require(), schema);

        await CrashWriterProcess.AssertOnlyWholeBatchesAsync(Create(schema), committed);
    }

    [DecisionLogFact]
    public async Task TwoHosts_ShareOneLog()
    {
        var schema = NewSchema();
        var (first, second) = (Create(schema), Create(schema));

        await Task.WhenAll(
            first.AppendAsync([Decisions.Sample(Start, "rep-collision", Verdict.Flag) with { Host = "web-1" }]).AsTask(),
            second.AppendAsync([Decisions.Sample(Start, "rep-collision", Verdict.Flag) with { Host = "web-2" }]).AsTask());

        Assert.Equal(["web-1", "web-2"], (await first.QueryAsync(new DecisionQuery())).Records.Select(r => r.Host).Order());
    }

    [Fact]
    public void Options_Invalid_ListsEveryError()
    {
        var error = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => new PostgreSqlDecisionLog(new PostgreSqlDecisionLogOptions { Schema = "x; drop table" }));

        Assert.Contains("ConnectionString is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Schema must be a plain identifier", error.Message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _logs)
            await log.DisposeAsync();
    }

    private static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..16];

    private PostgreSqlDecisionLogOptions Options(string schema) => new() { ConnectionString = server.Require(), Schema = schema };

    private PostgreSqlDecisionLog Create(string schema) => Track(new PostgreSqlDecisionLog(Options(schema)));

    private PostgreSqlDecisionLog Track(PostgreSqlDecisionLog log)
    {
        _logs.Add(log);
        return log;
    }
}
