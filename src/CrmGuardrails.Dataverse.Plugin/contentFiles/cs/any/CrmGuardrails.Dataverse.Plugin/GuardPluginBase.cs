// CrmGuardrails.Dataverse.Plugin (source package): compiled into your plug-in assembly.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CrmGuardrails;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmGuardrails.Dataverse.Plugin;

/// <summary>
/// The CrmGuardrails plug-in: checks new leads and activities (and moved activities) against the organisation and blocks
/// (PreValidation) or flags (PreOperation) them. Derive a public sealed class with the
/// <c>(string unsecureConfiguration, string secureConfiguration)</c> constructor and register it; see docs/dataverse-plugin.md.
/// </summary>
/// <remarks>
/// <para>
/// Dataverse caches plug-in instances and runs one instance on several threads at once. Everything this class keeps is
/// built once in the constructor and never changed (the configuration, the guard pipeline, the row mapper), and every
/// execution's data lives on the stack, so instances are thread-safe. The configuration is read only in the constructor.
/// </para>
/// <para>
/// The core is asynchronous; <see cref="IPlugin.Execute"/> is not and must not start parallel work. The directory asks
/// the synchronous <see cref="IOrganizationService"/> and returns completed tasks (see <see cref="OrganizationServiceDirectory"/>),
/// so the check completes before <c>EvaluateAsync</c> returns and its result is read without waiting. If a custom directory
/// ever returns unfinished work, the step traces it and waits for it on the calling thread (the sandbox has no
/// synchronisation context, so this cannot deadlock).
/// </para>
/// <para>
/// Failures: a misregistered step and an invalid configuration throw <see cref="InvalidPluginExecutionException"/> with
/// a plain message. A lookup the organisation could not answer is a "not checked" finding, flagged or blocked by the
/// policy's <c>OnLookupFailure</c>. Any other failure is traced and the save is allowed (fail-open): the step never lets
/// a non-ISV exception escape.
/// </para>
/// </remarks>
public abstract class GuardPluginBase : IPlugin
{
    /// <summary>Stage value of PreValidation.</summary>
    public const int PreValidationStage = 10;

    /// <summary>Stage value of PreOperation.</summary>
    public const int PreOperationStage = 20;

    /// <summary>The prefix of the <c>SharedVariables</c> key that marks a check in progress (re-entrancy guard).</summary>
    public const string ExecutingKeyPrefix = "CrmGuardrails.Executing|";

    /// <summary>The prefix of the <c>SharedVariables</c> key under which the PreValidation step leaves its outcome for the PreOperation step of the same save.</summary>
    public const string OutcomeKeyPrefix = "CrmGuardrails.Outcome|";

    private static readonly string[] Messages = { "Create", "CreateMultiple", "Update" };

    private readonly GuardPipeline _pipeline;
    private readonly DataverseRecordMapper _mapper;
    private readonly DataversePluginSettings _settings;
    private readonly TracingServiceLoggerFactory _loggers;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="GuardPluginBase"/> class from the step's configuration.</summary>
    /// <param name="unsecureConfiguration">The unsecure configuration (JSON), or null/empty for the default policy.</param>
    /// <param name="secureConfiguration">The secure configuration (JSON), read after the unsecure one; or null/empty.</param>
    /// <exception cref="InvalidPluginExecutionException">The configuration is invalid.</exception>
    protected GuardPluginBase(string? unsecureConfiguration, string? secureConfiguration)
        : this(unsecureConfiguration, secureConfiguration, TimeProvider.System)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GuardPluginBase"/> class with a clock (tests).</summary>
    /// <param name="unsecureConfiguration">The unsecure configuration (JSON).</param>
    /// <param name="secureConfiguration">The secure configuration (JSON).</param>
    /// <param name="timeProvider">The clock for the check's time budget and trace timings.</param>
    /// <exception cref="InvalidPluginExecutionException">The configuration is invalid.</exception>
    protected GuardPluginBase(string? unsecureConfiguration, string? secureConfiguration, TimeProvider timeProvider)
    {
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        var (policy, settings) = GuardPluginConfiguration.Parse(unsecureConfiguration, secureConfiguration);
        _settings = settings;
        _mapper = new DataverseRecordMapper(settings);
        _loggers = new TracingServiceLoggerFactory();
        try
        {
            _pipeline = new GuardPipelineBuilder { LoggerFactory = _loggers, TimeProvider = timeProvider }.AddDefaultGuards(policy).Build();
        }
        catch (Exception ex) when (ex is System.ComponentModel.DataAnnotations.ValidationException or InvalidOperationException)
        {
            throw new InvalidPluginExecutionException("CrmGuardrails: the step configuration is invalid: " + ex.Message, ex);
        }
    }

    /// <summary>Gets the guard pipeline built from the configuration.</summary>
    public GuardPipeline Pipeline => _pipeline;

    /// <summary>Gets the adapter's settings.</summary>
    public DataversePluginSettings Settings => _settings;

    /// <inheritdoc />
    public void Execute(IServiceProvider serviceProvider)
    {
        if (serviceProvider is null)
            throw new InvalidPluginExecutionException("CrmGuardrails: no service provider was passed to Execute.");
        var context = serviceProvider.GetService(typeof(IPluginExecutionContext)) as IPluginExecutionContext
                      ?? throw new InvalidPluginExecutionException("CrmGuardrails: the service provider has no IPluginExecutionContext.");
        var tracing = serviceProvider.GetService(typeof(ITracingService)) as ITracingService;
        using var scope = _loggers.Use(tracing);
        var started = _time.GetTimestamp();
        Trace(tracing, "CrmGuardrails: {0} of {1} at stage {2}, depth {3}, correlation {4}, initiating user {5}.", context.MessageName, context.PrimaryEntityName, context.Stage, context.Depth, context.CorrelationId, context.InitiatingUserId);
        ThrowIfMisregistered(context);
        try
        {
            if (ShouldSkip(context, tracing))
                return;
            context.SharedVariables[ExecutingKey(context)] = true;
            Guard(serviceProvider, context, tracing);
        }
        finally
        {
            Trace(tracing, "CrmGuardrails: done in {0:N0} ms.", _time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private void Guard(IServiceProvider serviceProvider, IPluginExecutionContext context, ITracingService? tracing)
    {
        List<Entity> targets;
        IOrganizationService service;
        try
        {
            targets = Targets(context);
            var factory = serviceProvider.GetService(typeof(IOrganizationServiceFactory)) as IOrganizationServiceFactory
                          ?? throw new InvalidOperationException("The service provider has no IOrganizationServiceFactory.");

            // As SYSTEM (null): the guards must see other reps' records even where the saving user cannot; verdicts redact their content.
            service = factory.CreateOrganizationService(null);
        }
        catch (Exception ex) when (ex is not InvalidPluginExecutionException)
        {
            TraceFailure(tracing, ex);
            return;
        }

        var directory = new OrganizationServiceDirectory(service, _mapper, _settings);
        for (var i = 0; i < targets.Count; i++)
        {
            var prefix = targets.Count > 1 ? string.Format(CultureInfo.InvariantCulture, "Record {0} of {1}: ", i + 1, targets.Count) : string.Empty;
            try
            {
                var request = Request(context, targets[i], service);
                if (request is null)
                    continue;
                if (context.Stage == PreOperationStage)
                    CountReschedule(request, targets[i], tracing);

                // One check per save: when the PreValidation step of this save checked the record, its outcome is applied here.
                if (context.Stage == PreOperationStage && CheckedAtPreValidation(context, i) is { } earlier)
                {
                    Trace(tracing, "CrmGuardrails: {0}checked at PreValidation: {1}", prefix, earlier.Length == 0 ? "allowed" : earlier);
                    if (earlier.Length > 0)
                        WriteFlag(targets[i], earlier);
                    continue;
                }

                var outcome = Check(request, directory, tracing);
                Apply(context, targets[i], i, outcome, prefix, tracing);
            }
            catch (Exception ex) when (ex is not InvalidPluginExecutionException)
            {
                TraceFailure(tracing, ex);
            }
        }
    }

    private GuardOutcome Check(GuardRequest request, ICrmDirectory directory, ITracingService? tracing)
    {
        var pending = _pipeline.CheckAsync(request, directory, CancellationToken.None);
        if (pending.IsCompleted)
            return pending.Result;
        Trace(tracing, "CrmGuardrails: the check did not complete synchronously; waiting for it on this thread.");
        return pending.AsTask().GetAwaiter().GetResult();
    }

    private void Apply(IPluginExecutionContext context, Entity target, int index, GuardOutcome outcome, string prefix, ITracingService? tracing)
    {
        var result = outcome.Result;
        var code = result.Findings.Count == 0 ? string.Empty : result.Findings[0].Code;
        Trace(tracing, "CrmGuardrails: {0}{1} [{2}] {3} {4}", prefix, result.Verdict, outcome.Rules, code, result.Message);
        var flag = outcome.Flag is { } f ? FlagText(f, outcome.Rules, outcome.MessageWithin(_settings.MessageMaxLength)) : string.Empty;
        if (context.Stage == PreValidationStage)
        {
            if (result.IsBlocked)
                throw new InvalidPluginExecutionException(OperationStatus.Canceled, DataversePluginSettings.BlockedSubErrorCode, $"{prefix}{result.Message} [{code}]");

            // The PreOperation step of the same save applies this outcome instead of checking again.
            context.SharedVariables[OutcomeKey(context, index)] = flag;
            if (flag.Length > 0)
                Trace(tracing, "CrmGuardrails: flags are written by the PreOperation step.");
            return;
        }

        if (result.IsBlocked)
            Trace(tracing, "CrmGuardrails: a block is not enforced at PreOperation (it would roll the transaction back); it is written as a flag. Register the PreValidation step to block.");
        if (flag.Length > 0)
            WriteFlag(target, flag);
    }

    /// <summary>The flag as a shared variable holds it (values must be strings or other simple types): verdict, rules and message on three lines.</summary>
    private static string FlagText(string verdict, string rules, string message) => verdict + "\n" + rules + "\n" + message;

    private void WriteFlag(Entity target, string flagText)
    {
        var parts = flagText.Split(new[] { '\n' }, 3);
        SetText(target, _settings.VerdictColumn, parts[0]);
        SetText(target, _settings.RuleColumn, parts.Length > 1 ? parts[1] : string.Empty);
        SetText(target, _settings.MessageColumn, parts.Length > 2 ? parts[2] : string.Empty);
    }

    /// <summary>The outcome the PreValidation step of this save left (empty when it allowed the record), or <see langword="null"/> when it did not check it.</summary>
    private static string? CheckedAtPreValidation(IPluginExecutionContext context, int index)
    {
        var key = OutcomeKeyPrefix + PreValidationStage.ToString(CultureInfo.InvariantCulture) + "|" + context.MessageName + "|" + context.PrimaryEntityName + "|" + index.ToString(CultureInfo.InvariantCulture);
        for (var c = context.ParentContext; c is not null; c = c.ParentContext)
        {
            if (c.SharedVariables.Contains(key) && c.SharedVariables[key] is string outcome)
                return outcome;
        }

        return null;
    }

    private static string OutcomeKey(IPluginExecutionContext context, int index) =>
        OutcomeKeyPrefix + context.Stage.ToString(CultureInfo.InvariantCulture) + "|" + context.MessageName + "|" + context.PrimaryEntityName + "|" + index.ToString(CultureInfo.InvariantCulture);

    private void SetText(Entity target, string column, string value)
    {
        if (string.IsNullOrEmpty(column))
            return;
        target[column] = value.Length > _settings.MessageMaxLength ? value.Substring(0, _settings.MessageMaxLength) : value;
    }

    /// <summary>Counts a move of the scheduled start on the Target, so the reschedule rule can tell a second move from a first.</summary>
    private void CountReschedule(GuardRequest request, Entity target, ITracingService? tracing)
    {
        // Shadow mode writes nothing to the CRM, counts included (GuardOutcome.RescheduleCount says the same to other hosts).
        if (string.IsNullOrEmpty(_settings.RescheduleCountColumn) || _pipeline.IsShadow(RuleIds.Reschedule) || request.Operation != GuardOperation.Update ||
            request.Record is not Activity updated || request.Previous is not Activity previous || !target.Contains("scheduledstart") ||
            previous.ScheduledStart == updated.ScheduledStart)
            return;
        target[_settings.RescheduleCountColumn] = previous.RescheduleCount + 1;
        Trace(tracing, "CrmGuardrails: scheduled start moved; {0} = {1}.", _settings.RescheduleCountColumn, previous.RescheduleCount + 1);
    }

    private GuardRequest? Request(IPluginExecutionContext context, Entity target, IOrganizationService service)
    {
        var userId = DataverseRecordMapper.Id(context.InitiatingUserId);
        if (userId.Length == 0)
            userId = DataverseRecordMapper.Id(context.UserId);
        var occurredAt = context.OperationCreatedOn == default
            ? (DateTimeOffset?)null
            : new DateTimeOffset(DateTime.SpecifyKind(context.OperationCreatedOn, DateTimeKind.Utc));
        var correlation = context.CorrelationId.ToString("D");

        if (context.MessageName != "Update")
        {
            var record = _mapper.ToRecord(target);
            return record is null ? null : GuardRequest.ForCreate(record, userId) with { OccurredAt = occurredAt, CorrelationId = correlation };
        }

        var id = target.Id != Guid.Empty ? target.Id : context.PrimaryEntityId;
        Entity before;
        if (context.PreEntityImages.Contains(_settings.PreImageAlias) && context.PreEntityImages[_settings.PreImageAlias] is { } image)
            before = image;
        else
            before = service.Retrieve(target.LogicalName, id, new ColumnSet(Columns(target.LogicalName)));
        var after = new Entity(target.LogicalName, id);
        foreach (var attribute in before.Attributes)
            after[attribute.Key] = attribute.Value;
        foreach (var attribute in target.Attributes)
            after[attribute.Key] = attribute.Value;
        before.Id = id;
        var previous = _mapper.ToRecord(before);
        var updated = _mapper.ToRecord(after);
        return previous is null || updated is null
            ? null
            : GuardRequest.ForUpdate(previous, updated, userId) with { OccurredAt = occurredAt, CorrelationId = correlation };
    }

    private string[] Columns(string logicalName) =>
        logicalName == "lead" ? DataverseRecordMapper.LeadColumns.ToArray() : _mapper.ActivityColumns().ToArray();

    private static List<Entity> Targets(IPluginExecutionContext context)
    {
        if (context.MessageName == "CreateMultiple")
        {
            return context.InputParameters.Contains("Targets") && context.InputParameters["Targets"] is EntityCollection targets
                ? targets.Entities.ToList()
                : throw new InvalidOperationException("CreateMultiple without a Targets EntityCollection.");
        }

        return context.InputParameters.Contains("Target") && context.InputParameters["Target"] is Entity target
            ? new List<Entity> { target }
            : throw new InvalidOperationException($"{context.MessageName} without a Target Entity.");
    }

    private bool ShouldSkip(IPluginExecutionContext context, ITracingService? tracing)
    {
        var key = ExecutingKey(context);
        for (var c = context; c is not null; c = c.ParentContext)
        {
            if (c.SharedVariables.Contains(key))
            {
                Trace(tracing, "CrmGuardrails: skipped, a check of this stage is already running in this operation (re-entrant call).");
                return true;
            }
        }

        if (context.Depth > 1 && !_settings.GuardChildOperations)
        {
            Trace(tracing, "CrmGuardrails: skipped, depth {0}: the save comes from another plug-in or workflow (Dataverse:GuardChildOperations is off).", context.Depth);
            return true;
        }

        return false;
    }

    private static string ExecutingKey(IPluginExecutionContext context) =>
        ExecutingKeyPrefix + context.Stage.ToString(CultureInfo.InvariantCulture) + "|" + context.PrimaryEntityName;

    private void ThrowIfMisregistered(IPluginExecutionContext context)
    {
        string? problem = null;
        if (!Messages.Contains(context.MessageName))
            problem = $"message '{context.MessageName}' is not Create, CreateMultiple or Update";
        else if (context.Stage != PreValidationStage && context.Stage != PreOperationStage)
            problem = $"stage {context.Stage} is not PreValidation (10) or PreOperation (20)";
        else if (context.Mode != 0)
            problem = $"mode {context.Mode} is not synchronous (0)";
        else if (context.PrimaryEntityName != "lead" && !_mapper.IsActivity(context.PrimaryEntityName))
            problem = $"table '{context.PrimaryEntityName}' is not lead or a configured activity table";
        else if (context.MessageName == "Update" && !_mapper.IsActivity(context.PrimaryEntityName))
            problem = $"Update is guarded for activity tables only, not '{context.PrimaryEntityName}'";
        if (problem is null)
            return;
        var activities = string.Join(", ", _settings.ActivityTables().Select(t => t.Key));
        throw new InvalidPluginExecutionException(
            $"CrmGuardrails is misregistered: {problem}. Register it synchronously on Create or CreateMultiple of lead and {activities}, and on Update of the activity tables, at PreValidation (10) to block and PreOperation (20) to flag.");
    }

    private static void TraceFailure(ITracingService? tracing, Exception ex) =>
        Trace(tracing, "CrmGuardrails: not checked, the save is allowed (fail-open) after an unexpected error: {0}", ex);

    private static void Trace(ITracingService? tracing, string format, params object?[] args)
    {
        if (tracing is null)
            return;
        try
        {
            tracing.Trace(format, args!);
        }
        catch (FormatException)
        {
            tracing.Trace("{0}", format);
        }
    }
}
