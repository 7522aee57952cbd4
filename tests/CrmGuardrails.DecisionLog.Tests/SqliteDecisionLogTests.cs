using CrmGuardrails.DecisionLog.Sqlite;
using CrmGuardrails.Decisions;
using Microsoft.Data.Sqlite;

namespace CrmGuardrails.DecisionLog.Tests;

public sealed class SqliteDecisionLogTests : DecisionLogContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "crmg-sqlite-" + Guid.NewGuid().ToString("N")[..12]);

    protected override Task<IDecisionLog> CreateLogAsync() => Task.FromResult<IDecisionLog>(new SqliteDecisionLog(Path.Combine(_folder, "decisions.db")));

    [Fact]
    public async Task Append_CrashInsideTheTransaction_LeavesNoHalfBatch()
    {
        var path = Path.Combine(_folder, "crash.db");
        var before = Decisions.Sample(Start, "existing-customer", Verdict.Block);
        await new SqliteDecisionLog(path).AppendAsync([before]);
        var crashing = new SqliteDecisionLog(path) { AfterRow = i => { if (i == 2) throw new IOException("power cut"); } };
        var batch = Enumerable.Range(0, 5).Select(i => Decisions.Sample(Start.AddMinutes(i + 1), "rep-collision", Verdict.Flag)).ToList();

        await Assert.ThrowsAsync<IOException>(() => crashing.AppendAsync(batch).AsTask());

        // A new process would open the file afresh: read it with a log of its own.
        SqliteConnection.ClearAllPools();
        var read = (await new SqliteDecisionLog(path).QueryAsync(new DecisionQuery())).Records;
        Assert.Equal([before.Id], read.Select(r => r.Id));
    }

    [Fact]
    public async Task Append_ProcessKilledMidWrite_LeavesOnlyWholeBatches()
    {
        var path = Path.Combine(_folder, "killed.db");
        Directory.CreateDirectory(_folder);

        var committed = await CrashWriterProcess.KillMidWriteAsync("sqlite", path);

        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", await check.ExecuteScalarAsync());
        }

        await CrashWriterProcess.AssertOnlyWholeBatchesAsync(new SqliteDecisionLog(path), committed);
    }

    [Fact]
    public async Task OpenReadOnly_ReadsAHostsLog_AndNeitherWritesNorCreates()
    {
        var path = Path.Combine(_folder, "host.db");
        var written = Decisions.Sample(Start, "existing-customer", Verdict.Block);
        await new SqliteDecisionLog(path).AppendAsync([written]);
        SqliteConnection.ClearAllPools();
        File.SetAttributes(path, FileAttributes.ReadOnly);
        try
        {
            var log = SqliteDecisionLog.OpenReadOnly(path);

            Assert.True(log.IsReadOnly);
            Assert.Equal([written.Id], (await log.QueryAsync(new DecisionQuery())).Records.Select(r => r.Id));
            await Assert.ThrowsAsync<InvalidOperationException>(() => log.AppendAsync([Decisions.Sample(Start, "reschedule", Verdict.Flag)]).AsTask());
            await Assert.ThrowsAsync<InvalidOperationException>(() => log.DeleteOlderThanAsync(Start.AddDays(1)).AsTask());
        }
        finally
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }

        var missing = Path.Combine(_folder, "missing.db");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteDecisionLog.OpenReadOnly(missing).QueryAsync(new DecisionQuery()).AsTask());
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task Create_UsesWalAndSchemaVersion()
    {
        var path = Path.Combine(_folder, "wal.db");
        await new SqliteDecisionLog(path).AppendAsync([Decisions.Sample(Start, "reschedule", Verdict.Flag)]);

        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode; ";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "PRAGMA user_version;";
        Assert.Equal((long)SqliteDecisionLog.SchemaVersion, command.ExecuteScalar());
    }

    [Fact]
    public async Task Open_NewerSchema_SaysSo()
    {
        var path = Path.Combine(_folder, "newer.db");
        Directory.CreateDirectory(_folder);
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 7;";
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteDecisionLog(path).QueryAsync(new DecisionQuery()).AsTask());

        Assert.Contains("schema version 7", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}
