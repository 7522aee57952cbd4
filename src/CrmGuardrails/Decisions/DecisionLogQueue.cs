using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmGuardrails.Decisions;

/// <summary>
/// Keeps the decision log off the save's path: a pipeline hands each decision to a bounded queue, and a background
/// writer appends them to the <see cref="IDecisionLog"/> in batches, one transaction each. A full queue drops the
/// decision and counts it (<see cref="Dropped"/>, metric <c>crmguardrails.decisions.dropped</c>): a save never waits for
/// the log, so a slow disk never slows a save. Also deletes decisions past the retention, on a timer.
/// </summary>
/// <remarks>
/// Thread-safe. Works with or without a generic host: it starts writing when created, and <see cref="DisposeAsync"/>
/// writes what is still queued (within <see cref="DecisionLogOptions.ShutdownTimeout"/>) before it returns.
/// </remarks>
public sealed class DecisionLogQueue : IDecisionRecorder, IAsyncDisposable, IDisposable
{
    private readonly IDecisionLog _log;
    private readonly Channel<DecisionRecord> _channel;
    private readonly int _batchSize;
    private readonly string _host;
    private readonly TimeSpan _shutdownTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Counter<long> _droppedCounter;
    private readonly Counter<long> _writtenCounter;
    private readonly Counter<long> _failedCounter;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer? _retention;
    private readonly int _retentionDays;
    private readonly Task _writer;
    private readonly object _gate = new();
    private TaskCompletionSource<bool> _progress = NewProgress();
    private long _accepted;
    private long _done;
    private long _dropped;
    private long _written;
    private long _failed;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="DecisionLogQueue"/> class and starts its writer.</summary>
    /// <param name="log">The decision log written to.</param>
    /// <param name="options">The queue's options; <see langword="null"/> means the defaults.</param>
    /// <param name="timeProvider">The clock of the retention timer; <see langword="null"/> means the system's.</param>
    /// <param name="loggerFactory">Logs batches that could not be written.</param>
    /// <param name="meterFactory">The factory of the <c>CrmGuardrails</c> meter; <see langword="null"/> uses a meter of its own.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public DecisionLogQueue(IDecisionLog log, DecisionLogOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        _log = log ?? throw new ArgumentNullException(nameof(log));
        options ??= new DecisionLogOptions();
        OptionsValidation.ThrowIfInvalid(options);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("CrmGuardrails.DecisionLog");
        _batchSize = options.BatchSize;
        _host = string.IsNullOrWhiteSpace(options.HostName) ? Environment.MachineName : options.HostName!;
        _shutdownTimeout = options.ShutdownTimeout;
        _retentionDays = options.RetentionDays;
        _channel = Channel.CreateBounded<DecisionRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once instead of waiting: the drop is ours to count.
            SingleReader = true,
            SingleWriter = false,
        });

        var meter = meterFactory?.Create(GuardrailsDiagnostics.Name) ?? GuardTelemetry.SharedMeter;
        _droppedCounter = meter.CreateCounter<long>("crmguardrails.decisions.dropped", "{decision}", "Decisions not logged because the decision log's queue was full.");
        _writtenCounter = meter.CreateCounter<long>("crmguardrails.decisions.written", "{decision}", "Decisions written to the decision log.");
        _failedCounter = meter.CreateCounter<long>("crmguardrails.decisions.failed", "{decision}", "Decisions lost because the decision log refused their batch.");

        _writer = Task.Run(WriteLoopAsync);
        if (_retentionDays > 0)
            _retention = _time.CreateTimer(_ => _ = DeleteExpiredAsync(), null, TimeSpan.Zero, options.RetentionInterval);
    }

    /// <summary>Gets how many decisions were dropped because the queue was full (or the queue was disposed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets how many decisions were written to the log.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Gets how many decisions were lost because the log refused their batch.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Gets how many decisions wait to be written.</summary>
    public int Pending => Math.Max(0, (int)(Interlocked.Read(ref _accepted) - Interlocked.Read(ref _done)));

    /// <inheritdoc />
    public void Record(DecisionRecord record)
    {
        if (record is null)
            return;
        if (record.Host.Length == 0)
            record = record with { Host = _host };
        if (_channel.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _accepted);
            return;
        }

        Interlocked.Increment(ref _dropped);
        _droppedCounter.Add(1);
    }

    /// <summary>Waits until every decision queued before the call is written (or lost).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the queue has caught up.</returns>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _accepted);
        while (true)
        {
            Task progress;
            lock (_gate)
                progress = _progress.Task;
            if (Interlocked.Read(ref _done) >= target || _writer.IsCompleted)
                return;
            await progress.WaitAsync(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes decisions older than the retention now (the timer also does it).</summary>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many decisions were deleted; 0 when decisions are kept forever.</returns>
    public async Task<long> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        if (_retentionDays == 0)
            return 0;
        var cutoff = _time.GetUtcNow() - TimeSpan.FromDays(_retentionDays);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            return await _log.DeleteOlderThanAsync(cutoff, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.DecisionLogRetentionFailed(_logger, ex, cutoff);
            return 0;
        }
    }

    /// <summary>Stops taking decisions, writes those still queued (within the shutdown timeout) and stops the timer.</summary>
    /// <returns>A task that completes when the writer has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _retention?.Dispose();
        _channel.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(_shutdownTimeout, _time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The log is too slow to take the rest: what is left is counted as dropped, not waited for forever.
        }

        _stopping.Cancel();
        try
        {
            await _writer.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        while (_channel.Reader.TryRead(out _))
        {
            Interlocked.Increment(ref _dropped);
            _droppedCounter.Add(1);
        }

        _stopping.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteLoopAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<DecisionRecord>(_batchSize);
        while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _batchSize && reader.TryRead(out var record))
                batch.Add(record);
            try
            {
                await _log.AppendAsync(batch, _stopping.Token).ConfigureAwait(false);
                Interlocked.Add(ref _written, batch.Count);
                _writtenCounter.Add(batch.Count);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Shut down before the log took the batch: lost to the shutdown timeout, counted like a full queue.
                Interlocked.Add(ref _dropped, batch.Count);
                _droppedCounter.Add(batch.Count);
                throw;
            }
            catch (Exception ex)
            {
                Interlocked.Add(ref _failed, batch.Count);
                _failedCounter.Add(batch.Count);
                Log.DecisionLogWriteFailed(_logger, ex, batch.Count);
            }
            finally
            {
                Interlocked.Add(ref _done, batch.Count);
                TaskCompletionSource<bool> done;
                lock (_gate)
                {
                    done = _progress;
                    _progress = NewProgress();
                }

                done.TrySetResult(true);
            }
        }
    }

    private static TaskCompletionSource<bool> NewProgress() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
