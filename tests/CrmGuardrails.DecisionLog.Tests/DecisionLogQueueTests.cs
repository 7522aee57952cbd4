using System.Diagnostics.Metrics;
using CrmGuardrails.DecisionLog.Sqlite;
using CrmGuardrails.Decisions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmGuardrails.DecisionLog.Tests;

public sealed class DecisionLogQueueTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "crmg-queue-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Record_QueueFull_DropsAndCountsWithoutWaiting()
    {
        var log = new GatedLog();
        var dropped = 0L;
        using var listener = Listen("crmguardrails.decisions.dropped", v => Interlocked.Add(ref dropped, v));
        await using var queue = new DecisionLogQueue(log, new DecisionLogOptions { QueueCapacity = 2, BatchSize = 1, RetentionDays = 0 });

        queue.Record(Decisions.Sample(Start, "rep-collision", Verdict.Flag));
        await log.Entered.Task.WaitAsync(Patience); // the writer holds the first decision; the log does not answer
        var saves = Task.Run(() =>
        {
            for (var i = 0; i < 10; i++)
                queue.Record(Decisions.Sample(Start, "rep-collision", Verdict.Flag));
        });
        await saves.WaitAsync(Patience); // a save never waits for the log

        Assert.Equal(8, queue.Dropped);
        Assert.Equal(8, Interlocked.Read(ref dropped));
        log.Release.SetResult();
        await queue.FlushAsync().WaitAsync(Patience);
        Assert.Equal(3, queue.Written);
        Assert.Equal(3, log.Appended.Count);
    }

    [Fact]
    public async Task Writer_LogFails_CountsTheBatchAndGoesOn()
    {
        var log = new GatedLog { FailFirst = true };
        log.Release.SetResult();
        await using var queue = new DecisionLogQueue(log, new DecisionLogOptions { BatchSize = 1, RetentionDays = 0 });

        queue.Record(Decisions.Sample(Start, "rep-collision", Verdict.Flag));
        await queue.FlushAsync().WaitAsync(Patience);
        queue.Record(Decisions.Sample(Start, "rep-collision", Verdict.Flag));
        await queue.FlushAsync().WaitAsync(Patience);

        Assert.Equal(1, queue.Failed);
        Assert.Equal(1, queue.Written);
    }

    [Fact]
    public async Task Dispose_WritesWhatIsQueuedAndStampsTheHost()
    {
        var path = Path.Combine(_folder, "flush.db");
        var queue = new DecisionLogQueue(new SqliteDecisionLog(path), new DecisionLogOptions { HostName = "web-7", RetentionDays = 0, BatchSize = 16 });
        for (var i = 0; i < 100; i++)
            queue.Record(Decisions.Sample(Start.AddSeconds(i), "existing-customer", Verdict.Block) with { Host = string.Empty });

        await queue.DisposeAsync();

        var read = await new SqliteDecisionLog(path).ReadAllAsync(new DecisionQuery()).ToListAsync();
        Assert.Equal(100, read.Count);
        Assert.All(read, r => Assert.Equal("web-7", r.Host));
        Assert.Equal(0, queue.Dropped);
    }

    [Fact]
    public async Task Retention_OnTheTimer_DeletesOlderThanTheDays()
    {
        var time = new FakeTimeProvider(Start);
        var log = new GatedLog();
        log.Release.SetResult();
        await using var queue = new DecisionLogQueue(log, new DecisionLogOptions { RetentionDays = 30, RetentionInterval = TimeSpan.FromHours(1) }, time);

        await log.Deleted.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        time.Advance(TimeSpan.FromHours(1));
        var second = await log.Deleted.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(Start.AddHours(1).AddDays(-30), second);
    }

    [Fact]
    public void Options_Invalid_ListsEveryError()
    {
        var error = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            new DecisionLogQueue(new GatedLog(), new DecisionLogOptions { QueueCapacity = 0, RetentionInterval = TimeSpan.Zero }));

        Assert.Contains("QueueCapacity", error.Message, StringComparison.Ordinal);
        Assert.Contains("RetentionInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_WithSqliteLog_LogsEveryDecisionOffThePath()
    {
        var path = Path.Combine(_folder, "pipeline.db");
        var services = new ServiceCollection();
        services.AddSingleton<ICrmDirectory>(Org.Directory());
        services.AddCrmGuardrails(o => o.ExistingCustomer.Shadow = true).AddSqliteDecisionLog(o => { o.Path = path; o.HostName = "embedded"; });
        var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<GuardPipeline>();

        var blocked = await pipeline.EvaluateAsync(GuardRequest.ForCreate(Org.ContosoLead, "u2") with { CorrelationId = "c-1" });
        await provider.DisposeAsync(); // the container disposes the queue, which writes what is queued

        Assert.False(blocked.IsBlocked);
        var record = Assert.Single(await new SqliteDecisionLog(path).ReadAllAsync(new DecisionQuery()).ToListAsync());
        Assert.Equal(("embedded", "c-1", Verdict.Block, Verdict.Allow), (record.Host, record.CorrelationId, record.Verdict, record.AppliedVerdict));
        Assert.Equal("existing-customer", Assert.Single(record.Findings).RuleId);
        Assert.True(record.Findings[0].Shadow);
        Assert.Equal("a-contoso", record.Findings[0].Related[0].Record.Id);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private static MeterListener Listen(string instrument, Action<long> measured)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == GuardrailsDiagnostics.Name && i.Name == instrument)
                    l.EnableMeasurementEvents(i);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => measured(value));
        listener.Start();
        return listener;
    }

    /// <summary>A log that answers only when released, and fails its first batch when asked to.</summary>
    private sealed class GatedLog : IDecisionLog
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<DecisionRecord> Appended { get; } = [];

        public System.Threading.Channels.Channel<DateTimeOffset> Deleted { get; } = System.Threading.Channels.Channel.CreateUnbounded<DateTimeOffset>();

        public bool FailFirst { get; set; }

        public async ValueTask AppendAsync(IReadOnlyList<DecisionRecord> records, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            if (FailFirst)
            {
                FailFirst = false;
                throw new IOException("disk full");
            }

            lock (Appended)
                Appended.AddRange(records);
        }

        public ValueTask<DecisionPage> QueryAsync(DecisionQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
        {
            Deleted.Writer.TryWrite(cutoff);
            return ValueTask.FromResult(0L);
        }
    }
}

/// <summary>A one-account org: Contoso, owned by u1.</summary>
internal static class Org
{
    public static readonly Lead ContosoLead = new() { Id = "l-new", FirstName = "Tom", Company = "Contoso Pharmaceuticals", Email = "tom@contoso-pharma.co.uk" };

    public static CrmGuardrails.Embedded.InMemoryCrmDirectory Directory() => new(new CrmGuardrails.Embedded.CrmSnapshot
    {
        Users = [new User { Id = "u1", Name = "Maria Lopez" }, new User { Id = "u2", Name = "Jon Berg" }],
        Accounts = [new Account { Id = "a-contoso", Name = "Contoso Pharmaceuticals Ltd", Website = "https://contoso-pharma.co.uk", City = "London", Country = "GB", OwnerId = "u1", Status = AccountStatus.Customer }],
    });
}
