using CrmGuardrails.Matching;
using CrmGuardrails.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmGuardrails;

/// <summary>Builds a <see cref="GuardPipeline"/>: which guards run, in what order, with which services.</summary>
/// <remarks>Options are validated when a guard is added; a builder cannot be changed after it has built a pipeline.</remarks>
public sealed class GuardPipelineBuilder
{
    private readonly List<(Func<GuardBuildContext, ICrmGuard> Factory, bool Shadow)> _factories = [];
    private bool _built;

    /// <summary>Gets or sets the clock. The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the logger factory. The default value is <see cref="NullLoggerFactory.Instance"/>.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>
    /// Gets or sets the matcher; <see langword="null"/> means the matcher of <see cref="Directory"/> when it is an
    /// <see cref="Embedded.InMemoryCrmDirectory"/>, else <see cref="RecordMatcher.CreateDefault"/>.
    /// </summary>
    public IRecordMatcher? Matcher { get; set; }

    /// <summary>Gets or sets who is told about findings. The default tells nobody.</summary>
    public IGuardNotifier Notifier { get; set; } = NullGuardNotifier.Instance;

    /// <summary>Gets or sets the directory used when a call does not pass its own.</summary>
    public ICrmDirectory? Directory { get; set; }

    /// <summary>Gets or sets the options of the whole check.</summary>
    public GuardPipelineOptions Options { get; set; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether the guards of one check run at the same time, so a remote directory's
    /// round trips overlap. Only for hosts outside a plug-in sandbox (which forbids parallel work).
    /// </summary>
    /// <value>The default value is <see langword="false"/>: one guard after another.</value>
    public bool RunGuardsConcurrently { get; set; }

    /// <summary>Gets or sets the factory of the pipeline's meter (<c>CrmGuardrails</c>); <see langword="null"/> uses a meter of its own.</summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>
    /// Gets or sets where each decision goes (for example a <see cref="Decisions.DecisionLogQueue"/> in front of the
    /// decision log); <see langword="null"/> records nothing. It is called on the save's path and must not wait.
    /// </summary>
    public Decisions.IDecisionRecorder? DecisionRecorder { get; set; }

    /// <summary>Adds a guard.</summary>
    /// <param name="factory">Creates the guard from the build context.</param>
    /// <param name="options">The guard's options, validated now.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The builder has already built a pipeline.</exception>
    public GuardPipelineBuilder AddGuard(Func<GuardBuildContext, ICrmGuard> factory, GuardOptions options)
    {
        if (factory is null)
            throw new ArgumentNullException(nameof(factory));
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        ThrowIfBuilt();
        OptionsValidation.ThrowIfInvalid(options);
        if (options.Enabled)
            _factories.Add((factory, options.Shadow));
        return this;
    }

    /// <summary>Adds a custom guard instance.</summary>
    /// <param name="guard">The guard.</param>
    /// <returns>This builder.</returns>
    public GuardPipelineBuilder AddGuard(ICrmGuard guard)
    {
        if (guard is null)
            throw new ArgumentNullException(nameof(guard));
        ThrowIfBuilt();
        _factories.Add((_ => guard, false));
        return this;
    }

    /// <summary>Builds the pipeline. The builder cannot be changed afterwards.</summary>
    /// <returns>An immutable, thread-safe pipeline.</returns>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The pipeline options are invalid.</exception>
    public GuardPipeline Build()
    {
        OptionsValidation.ThrowIfInvalid(Options);
        _built = true;
        var options = new GuardPipelineOptions { TimeBudget = Options.TimeBudget, OnLookupFailure = Options.OnLookupFailure, Redaction = Options.Redaction, Shadow = Options.Shadow };
        var matcher = Matcher ?? (Directory as Embedded.InMemoryCrmDirectory)?.Matcher ?? RecordMatcher.CreateDefault();
        var context = new GuardBuildContext(TimeProvider, LoggerFactory, matcher, options);
        var guards = _factories.Select(f => (Guard: f.Factory(context), f.Shadow)).ToList();
        var shadowRules = new HashSet<string>(guards.Where(g => g.Shadow).Select(g => g.Guard.RuleId), StringComparer.Ordinal);
        return new GuardPipeline(guards.Select(g => g.Guard).ToList(), shadowRules, context, Notifier, Directory, RunGuardsConcurrently, new GuardTelemetry(MeterFactory), DecisionRecorder);
    }

    private void ThrowIfBuilt()
    {
        if (_built)
            throw new InvalidOperationException("Cannot add guards to the builder after it has been used to build a pipeline.");
    }
}
