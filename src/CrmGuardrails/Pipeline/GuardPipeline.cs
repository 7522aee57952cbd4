using System.Diagnostics;
using CrmGuardrails.Notifications;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails;

/// <summary>
/// Runs the guards of one configuration on a save and answers allow, flag or block, with the findings behind it.
/// </summary>
/// <remarks>
/// Immutable and thread-safe once built. Guards run one after another (plug-in sandboxes forbid parallel work),
/// within one time budget for the whole check. A guard that throws or runs out of time is answered by the
/// lookup-failure policy; nothing but the caller's own cancellation escapes <see cref="EvaluateAsync(GuardRequest, ICrmDirectory, CancellationToken)"/>.
/// </remarks>
public sealed class GuardPipeline
{
    private readonly IReadOnlyList<ICrmGuard> _guards;
    private readonly GuardBuildContext _context;
    private readonly IGuardNotifier _notifier;
    private readonly ICrmDirectory? _directory;
    private readonly ILogger _logger;

    internal GuardPipeline(IReadOnlyList<ICrmGuard> guards, GuardBuildContext context, IGuardNotifier notifier, ICrmDirectory? directory)
    {
        _guards = guards;
        _context = context;
        _notifier = notifier;
        _directory = directory;
        _logger = context.LoggerFactory.CreateLogger("CrmGuardrails.GuardPipeline");
    }

    /// <summary>Gets the rule ids of the guards, in the order they run.</summary>
    public IReadOnlyList<string> RuleIds => _guards.Select(g => g.RuleId).ToList();

    /// <summary>Gets the options of the whole check.</summary>
    public GuardPipelineOptions Options => _context.PipelineOptions;

    /// <summary>Checks a save against the directory the pipeline was built with.</summary>
    /// <param name="request">The save.</param>
    /// <param name="cancellationToken">Cancels the check (the caller abandons the save).</param>
    /// <returns>The verdict and its findings.</returns>
    /// <exception cref="InvalidOperationException">The pipeline was built without a directory.</exception>
    public ValueTask<GuardResult> EvaluateAsync(GuardRequest request, CancellationToken cancellationToken = default) =>
        EvaluateAsync(request, _directory ?? throw new InvalidOperationException("This pipeline has no directory: pass one to EvaluateAsync or set GuardPipelineBuilder.Directory."), cancellationToken);

    /// <summary>Checks a save against the given directory.</summary>
    /// <param name="request">The save.</param>
    /// <param name="directory">The directory to ask (for example one bound to the plug-in's organisation service).</param>
    /// <param name="cancellationToken">Cancels the check (the caller abandons the save).</param>
    /// <returns>The verdict and its findings.</returns>
    /// <exception cref="ArgumentException">The request has no record or no user.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<GuardResult> EvaluateAsync(GuardRequest request, ICrmDirectory directory, CancellationToken cancellationToken = default)
    {
        if (request is null)
            throw new ArgumentNullException(nameof(request));
        if (directory is null)
            throw new ArgumentNullException(nameof(directory));
        if (request.Record is null)
            throw new ArgumentException("The request has no record.", nameof(request));
        if (string.IsNullOrWhiteSpace(request.UserId))
            throw new ArgumentException("The request names no user.", nameof(request));

        var time = _context.TimeProvider;
        var started = time.GetTimestamp();
        var budget = _context.PipelineOptions.TimeBudget;
        using var budgetSource = TimeCompat.CreateCancellationTokenSource(time, budget);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(budgetSource.Token, cancellationToken);
        var context = new GuardContext(request, new CrmLookups(directory), request.OccurredAt ?? time.GetUtcNow(), _context.PipelineOptions.Redaction, linked.Token);

        var findings = new List<GuardFinding>();
        foreach (var guard in _guards)
        {
            if (!AppliesTo(guard, context))
                continue;
            var remaining = budget - TimeCompat.GetElapsed(time, started);
            if (remaining <= TimeSpan.Zero)
            {
                findings.Add(NotChecked(guard, "the time budget ran out"));
                continue;
            }

            try
            {
                var evaluation = guard.EvaluateAsync(context).AsTask();
                ObserveLateFailure(evaluation);
                findings.AddRange(await TimeCompat.WaitAsync(evaluation, remaining, time, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && budgetSource.IsCancellationRequested))
            {
                Log.LookupTimedOut(_logger, guard.RuleId, budget.TotalMilliseconds, request.CorrelationId);
                findings.Add(NotChecked(guard, "the CRM did not answer in time"));
            }
            catch (Exception ex)
            {
                Log.LookupFailed(_logger, ex, guard.RuleId, request.CorrelationId);
                findings.Add(NotChecked(guard, "the CRM could not be asked"));
            }
        }

        var result = new GuardResult(ApplyPrinciples(request.Record, findings));
        Log.Checked(_logger, request.Record.Ref.KindName, request.Operation, result.Verdict, string.Join(",", result.Rules), TimeCompat.GetElapsed(time, started).TotalMilliseconds, request.CorrelationId);
        await NotifyAsync(result, request, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Never block history, never block the customer's voice: a block on such a record becomes a flag.</summary>
    private static IEnumerable<GuardFinding> ApplyPrinciples(CrmRecord record, List<GuardFinding> findings)
    {
        var neverBlock = record is Activity activity && (activity.IsHistory || activity.Direction == ActivityDirection.Inbound);
        return neverBlock ? findings.Select(f => f.Verdict == Verdict.Block ? f with { Verdict = Verdict.Flag } : f) : findings;
    }

    private bool AppliesTo(ICrmGuard guard, GuardContext context)
    {
        try
        {
            return guard.AppliesTo(context);
        }
        catch (Exception ex)
        {
            Log.LookupFailed(_logger, ex, guard.RuleId, context.Request.CorrelationId);
            return false;
        }
    }

    private GuardFinding NotChecked(ICrmGuard guard, string reason) => new()
    {
        RuleId = guard.RuleId,
        Code = GuardCodes.NotChecked,
        Verdict = _context.PipelineOptions.OnLookupFailure == LookupFailureVerdict.Block ? Verdict.Block : Verdict.Flag,
        NotChecked = true,
        Message = $"Not checked: {reason}, so the {guard.RuleId} rule could not look for collisions. Try again or check by hand.",
        MessageArguments = new Dictionary<string, string> { ["Reason"] = reason, ["RuleId"] = guard.RuleId },
    };

    private async ValueTask NotifyAsync(GuardResult result, GuardRequest request, CancellationToken cancellationToken)
    {
        foreach (var finding in result.Findings)
        {
            foreach (var recipient in finding.NotifyUserIds.Distinct(StringComparer.Ordinal))
            {
                try
                {
                    await _notifier.NotifyAsync(new GuardNotification(recipient, finding, request), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    Log.NotificationFailed(_logger, ex, finding.RuleId, request.CorrelationId);
                }
            }
        }
    }

    private static void ObserveLateFailure(Task task) =>
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
