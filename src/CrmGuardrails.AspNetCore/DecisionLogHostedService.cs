using CrmGuardrails.Decisions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CrmGuardrails.AspNetCore;

/// <summary>
/// Ties the decision log's queue to the host's life: created at start (so retention runs before the first save), flushed
/// at stop. Does nothing when no decision log is registered.
/// </summary>
internal sealed class DecisionLogHostedService(IServiceProvider services) : IHostedService
{
    private DecisionLogQueue? _queue;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _queue = services.GetService<DecisionLogQueue>();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The container disposes the queue after this, which writes anything queued meanwhile.
        if (_queue is not null)
        {
            try
            {
                await _queue.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }
}
