using System.Diagnostics;
using DiagnosticActivity = System.Diagnostics.Activity;
using CrmGuardrails.Decisions;
using CrmGuardrails.Notifications;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails;

/// <summary>
/// Runs the guards of one configuration on a save and answers allow, flag or block, with the findings behind it.
/// </summary>
/// <remarks>
/// Immutable and thread-safe once built. Guards run one after another (plug-in sandboxes forbid parallel work) unless
/// the pipeline was built with <see cref="GuardPipelineBuilder.RunGuardsConcurrently"/>, within one time budget for the
/// whole check — the previous record of an update included. A guard that cannot ask the CRM, runs out of time or fails
/// is answered by the lookup-failure policy; nothing but the caller's own cancellation escapes
/// <see cref="EvaluateAsync(GuardRequest, ICrmDirectory, CancellationToken)"/>.
/// </remarks>
public sealed class GuardPipeline
{
    private readonly IReadOnlyList<ICrmGuard> _guards;
    private readonly GuardBuildContext _context;
    private readonly IGuardNotifier _notifier;
    private readonly ICrmDirectory? _directory;
    private readonly bool _concurrent;
    private readonly ILogger _logger;
    private readonly GuardTelemetry _telemetry;
    private readonly IReadOnlyCollection<string> _shadowRules;
    private readonly IDecisionRecorder? _recorder;
    private readonly IShadowSwitch? _shadowSwitch;

    internal GuardPipeline(IReadOnlyList<ICrmGuard> guards, IReadOnlyCollection<string> shadowRules, GuardBuildContext context, IGuardNotifier notifier, ICrmDirectory? directory, bool concurrent, GuardTelemetry telemetry, IDecisionRecorder? recorder, IShadowSwitch? shadowSwitch)
    {
        _shadowSwitch = shadowSwitch;
        _guards = guards;
        _shadowRules = shadowRules;
        _recorder = recorder;
        _context = context;
        _notifier = notifier;
        _directory = directory;
        _concurrent = concurrent;
        _telemetry = telemetry;
        _logger = context.LoggerFactory.CreateLogger("CrmGuardrails.GuardPipeline");
    }

    /// <summary>Gets the rule ids of the guards, in the order they run.</summary>
    public IReadOnlyList<string> RuleIds => _guards.Select(g => g.RuleId).ToList();

    /// <summary>Gets the options of the whole check.</summary>
    public GuardPipelineOptions Options => _context.PipelineOptions;

    /// <summary>Tells whether a rule's decisions are only logged, not applied: the rule or the whole policy is in shadow mode.</summary>
    /// <param name="ruleId">The rule id.</param>
    /// <returns><see langword="true"/> when the rule is in shadow mode.</returns>
    public bool IsShadow(string ruleId) => _shadowSwitch?.IsShadow(ruleId) ?? (_context.PipelineOptions.Shadow || _shadowRules.Contains(ruleId));

    /// <summary>Gets a value indicating whether the whole policy is in shadow mode now.</summary>
    public bool IsShadowMode => _shadowSwitch?.IsShadowMode ?? _context.PipelineOptions.Shadow;

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
    public async ValueTask<GuardResult> EvaluateAsync(GuardRequest request, ICrmDirectory directory, CancellationToken cancellationToken = default) =>
        (await CheckAsync(request, directory, cancellationToken).ConfigureAwait(false)).Result;

    /// <summary>
    /// Checks a save and says what the host has to do about it: the verdict, the flag to write, the message, the new
    /// reschedule count. Hosts call this; they only apply the outcome.
    /// </summary>
    /// <param name="request">The save.</param>
    /// <param name="directory">The directory to ask.</param>
    /// <param name="cancellationToken">Cancels the check (the caller abandons the save).</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException">The request has no record or no user.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<GuardOutcome> CheckAsync(GuardRequest request, ICrmDirectory directory, CancellationToken cancellationToken = default)
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
        using var activity = _telemetry.StartCheck(request);
        using var budgetSource = TimeCompat.CreateCancellationTokenSource(time, budget);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(budgetSource.Token, cancellationToken);
        var lookups = new CrmLookups(directory);
        var findings = new List<GuardFinding>();

        var applicable = new List<ICrmGuard>(_guards.Count);
        foreach (var guard in _guards)
        {
            try
            {
                if (guard.AppliesTo(new GuardContext(request, lookups, default, false, linked.Token)))
                    applicable.Add(guard);
            }
            catch (Exception ex)
            {
                // A guard that cannot say whether it applies did not check: the failure policy answers, fail-closed included.
                findings.Add(Failure(guard, ex, request, budgetSource));
            }
        }

        // The record before an update, once for every rule and inside the budget (a host without a pre-image asks here).
        if (applicable.Count > 0 && request is { Operation: GuardOperation.Update, Previous: null, CanReadPrevious: true } && request.Record.Id.Length > 0)
        {
            try
            {
                var previous = await TimeCompat.WaitAsync(lookups.GetAsync(request.Record.Ref, linked.Token).AsTask(), budget, time, cancellationToken).ConfigureAwait(false);
                request = request with
                {
                    Previous = previous,
                    Record = previous is not null && request.ApplyChanges is { } apply ? apply(previous) : request.Record,
                    ApplyChanges = null,
                };
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                findings.AddRange(applicable.Select(g => Failure(g, ex, request, budgetSource)));
                return Finish(request, findings, started, activity);
            }
        }

        var context = new GuardContext(request, lookups, request.OccurredAt ?? time.GetUtcNow(), _context.PipelineOptions.Redaction, linked.Token);
        if (_concurrent)
        {
            var all = await Task.WhenAll(applicable.Select(g => RunAsync(g, context, started, budgetSource, cancellationToken))).ConfigureAwait(false);
            findings.AddRange(all.SelectMany(f => f));
        }
        else
        {
            foreach (var guard in applicable)
                findings.AddRange(await RunAsync(guard, context, started, budgetSource, cancellationToken).ConfigureAwait(false));
        }

        var outcome = Finish(request, findings, started, activity);
        await NotifyAsync(outcome.Result, request, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// The result of a save that could not be checked at all (the host could not read it, the CRM could not be reached
    /// before the guards ran): one "not checked" finding, flagged or blocked by the lookup-failure policy — or, when the
    /// whole policy is in shadow mode, <see cref="GuardResult.Allowed"/> (nothing is applied).
    /// </summary>
    /// <param name="reason">Why, in words the user understands ("the record was too large to be sent").</param>
    /// <returns>The result to apply.</returns>
    /// <remarks>A host that has the request uses <see cref="NotCheckedOutcome"/> instead, which also logs the decision.</remarks>
    public GuardResult NotChecked(string reason) => IsShadowMode ? GuardResult.Allowed : new([NotCheckedFinding(NotCheckedRuleId, reason)]);

    /// <summary>
    /// The outcome of a save that could not be checked at all, as <see cref="NotChecked(string)"/> decides it (shadow mode
    /// honoured), handed to the decision log like every checked save.
    /// </summary>
    /// <param name="request">The save.</param>
    /// <param name="reason">Why, in words the user understands.</param>
    /// <returns>The outcome.</returns>
    public GuardOutcome NotCheckedOutcome(GuardRequest request, string reason)
    {
        if (request is null)
            throw new ArgumentNullException(nameof(request));
        var outcome = Split(request, [NotCheckedFinding(NotCheckedRuleId, reason)]);
        Record(outcome, TimeSpan.Zero);
        return outcome;
    }

    private async Task<IReadOnlyList<GuardFinding>> RunAsync(ICrmGuard guard, GuardContext context, long started, CancellationTokenSource budgetSource, CancellationToken cancellationToken)
    {
        var time = _context.TimeProvider;
        var remaining = _context.PipelineOptions.TimeBudget - TimeCompat.GetElapsed(time, started);
        if (remaining <= TimeSpan.Zero)
            return [NotCheckedFinding(guard.RuleId, "the time budget ran out")];

        try
        {
            // A guard that answered at once (every rule on an embedded org) needs no task, no wait and no watcher.
            var pending = guard.EvaluateAsync(context);
            if (pending.IsCompletedSuccessfully)
                return pending.Result;
            var evaluation = pending.AsTask();
            ObserveLateFailure(evaluation);
            return await TimeCompat.WaitAsync(evaluation, remaining, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return [Failure(guard, ex, context.Request, budgetSource)];
        }
    }

    /// <summary>Sorts a failure: the CRM too slow, the CRM unreachable, or a bug — each logged as what it is.</summary>
    private GuardFinding Failure(ICrmGuard guard, Exception ex, GuardRequest request, CancellationTokenSource budgetSource)
    {
        if (ex is TimeoutException || (ex is OperationCanceledException && budgetSource.IsCancellationRequested))
        {
            Log.LookupTimedOut(_logger, guard.RuleId, _context.PipelineOptions.TimeBudget.TotalMilliseconds, request.CorrelationId);
            return NotCheckedFinding(guard.RuleId, "the CRM did not answer in time");
        }

        if (CrmDirectoryException.IsDirectoryFailure(ex))
        {
            Log.LookupFailed(_logger, ex, guard.RuleId, request.CorrelationId);
            return NotCheckedFinding(guard.RuleId, "the CRM could not be asked");
        }

        Log.GuardFailed(_logger, ex, guard.RuleId, request.CorrelationId);
        return NotCheckedFinding(guard.RuleId, "the rule failed unexpectedly");
    }

    private GuardOutcome Finish(GuardRequest request, List<GuardFinding> findings, long started, DiagnosticActivity? activity)
    {
        var outcome = Split(request, ApplyPrinciples(request.Record, findings));
        var elapsed = TimeCompat.GetElapsed(_context.TimeProvider, started);
        var result = outcome.Result;
        Log.Checked(_logger, request.Record.Ref.KindName, request.Operation, result.Verdict, string.Join(",", result.Rules), elapsed.TotalMilliseconds, request.CorrelationId);
        _telemetry.Checked(activity, request, outcome, elapsed);
        Record(outcome, elapsed);
        return outcome;
    }

    /// <summary>Shadow mode: findings of rules in shadow are decided and logged, never applied.</summary>
    private GuardOutcome Split(GuardRequest request, IEnumerable<GuardFinding> findings)
    {
        var shadowMode = IsShadowMode;
        if (!shadowMode && _shadowSwitch is null && _shadowRules.Count == 0)
            return new GuardOutcome(request, new GuardResult(findings));
        var all = findings.Select(f => (Finding: f, Shadow: shadowMode || IsShadow(f.RuleId))).ToList();
        var applied = all.Where(f => !f.Shadow).Select(f => f.Finding).ToList();
        var shadow = all.Where(f => f.Shadow).Select(f => f.Finding).ToList();
        return new GuardOutcome(request, new GuardResult(applied), new GuardResult(shadow), shadowMode) { CountsReschedules = !IsShadow(CrmGuardrails.RuleIds.Reschedule) };
    }

    private void Record(GuardOutcome outcome, TimeSpan elapsed)
    {
        if (_recorder is null)
            return;
        try
        {
            _recorder.Record(DecisionRecord.From(outcome, _context.TimeProvider.GetUtcNow(), elapsed));
        }
        catch (Exception ex)
        {
            // The log is never worth a save: a recorder that throws is logged and ignored.
            Log.DecisionNotRecorded(_logger, ex, outcome.Request.CorrelationId);
        }
    }

    /// <summary>Never block history, never block the customer's voice: a block on such a record becomes a flag.</summary>
    private static IEnumerable<GuardFinding> ApplyPrinciples(CrmRecord record, List<GuardFinding> findings)
    {
        var neverBlock = record is Activity activity && (activity.IsHistory || activity.Direction == ActivityDirection.Inbound);
        return neverBlock ? findings.Select(f => f.Verdict == Verdict.Block ? f with { Verdict = Verdict.Flag } : f) : findings;
    }

    /// <summary>The rule id of a "not checked" finding about the whole save rather than one rule.</summary>
    private const string NotCheckedRuleId = "guardrails";

    private GuardFinding NotCheckedFinding(string ruleId, string reason) => new()
    {
        RuleId = ruleId,
        Code = GuardCodes.NotChecked,
        Verdict = _context.PipelineOptions.OnLookupFailure == LookupFailureVerdict.Block ? Verdict.Block : Verdict.Flag,
        NotChecked = true,
        Message = ruleId == NotCheckedRuleId
            ? $"Not checked: {reason}, so nothing could look for collisions. Try again or check by hand."
            : $"Not checked: {reason}, so the {ruleId} rule could not look for collisions. Try again or check by hand.",
        MessageArguments = new Dictionary<string, string> { ["Reason"] = reason, ["RuleId"] = ruleId },
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
