using System.Diagnostics;
using DiagnosticActivity = System.Diagnostics.Activity;
using System.Diagnostics.Metrics;

namespace CrmGuardrails;

/// <summary>
/// Metrics and traces of checks, for OpenTelemetry or <c>dotnet-counters</c>: the meter and the activity source are both
/// named <see cref="Name"/>. Checks are counted by verdict and record kind, findings by rule, and durations recorded.
/// </summary>
public static class GuardrailsDiagnostics
{
    /// <summary>The name of the meter and of the activity source: <c>CrmGuardrails</c>.</summary>
    public const string Name = "CrmGuardrails";
}

/// <summary>The instruments of one pipeline (from the host's <see cref="IMeterFactory"/> when it has one).</summary>
internal sealed class GuardTelemetry
{
    // One source for the process: listeners subscribe by name, and a source has no state of its own to share.
    private static readonly ActivitySource Source = new(GuardrailsDiagnostics.Name);
    internal static readonly Meter SharedMeter = new(GuardrailsDiagnostics.Name);

    private readonly Counter<long> _checks;
    private readonly Counter<long> _findings;
    private readonly Histogram<double> _duration;

    public GuardTelemetry(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(GuardrailsDiagnostics.Name) ?? SharedMeter;
        _checks = meter.CreateCounter<long>("crmguardrails.checks", "{check}", "Saves checked, by verdict, record kind and operation.");
        _findings = meter.CreateCounter<long>("crmguardrails.findings", "{finding}", "Findings, by rule, verdict and whether the rule could not check.");
        _duration = meter.CreateHistogram<double>("crmguardrails.check.duration", "s", "How long a check took, directory included.");
    }

    public DiagnosticActivity? StartCheck(GuardRequest request)
    {
        var activity = Source.StartActivity("crmguardrails.check", ActivityKind.Internal);
        activity?.SetTag("crmguardrails.record_kind", request.Record.Ref.KindName);
        activity?.SetTag("crmguardrails.operation", request.Operation.ToString());
        return activity;
    }

    public void Checked(DiagnosticActivity? activity, GuardRequest request, GuardOutcome outcome, TimeSpan elapsed)
    {
        var result = outcome.Result;
        var verdict = result.Verdict.ToString();
        var notChecked = result.Findings.Any(f => f.NotChecked);
        var kind = new KeyValuePair<string, object?>("crmguardrails.record_kind", request.Record.Ref.KindName);
        var verdictTag = new KeyValuePair<string, object?>("crmguardrails.verdict", verdict);
        _checks.Add(1, kind, verdictTag, new("crmguardrails.operation", request.Operation.ToString()), new("crmguardrails.not_checked", notChecked));
        _duration.Record(elapsed.TotalSeconds, kind, verdictTag);
        foreach (var finding in result.Findings)
            _findings.Add(1, new("crmguardrails.rule", finding.RuleId), new("crmguardrails.verdict", finding.Verdict.ToString()), new("crmguardrails.not_checked", finding.NotChecked), new("crmguardrails.shadow", false));
        foreach (var finding in outcome.Shadow.Findings)
            _findings.Add(1, new("crmguardrails.rule", finding.RuleId), new("crmguardrails.verdict", finding.Verdict.ToString()), new("crmguardrails.not_checked", finding.NotChecked), new("crmguardrails.shadow", true));
        if (activity is null)
            return;
        activity.SetTag("crmguardrails.verdict", verdict);
        activity.SetTag("crmguardrails.rules", string.Join(",", result.Rules));
        if (notChecked)
            activity.SetStatus(ActivityStatusCode.Error, "not checked");
    }
}
