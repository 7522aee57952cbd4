namespace CrmGuardrails.Decisions;

/// <summary>
/// One decision of the guards about one save, as the decision log keeps it: what was saved, what the guards decided,
/// what the host applied (shadow mode applies less), why, and how long it took.
/// </summary>
/// <remarks>
/// Built from a <see cref="GuardOutcome"/> by <see cref="From"/>, which redacts it: it never carries another user's
/// activity subject, description or body — only references, owners, scores and the match evidence of the record being
/// saved against the existing account or lead.
/// </remarks>
public sealed record DecisionRecord
{
    /// <summary>Gets the decision's unique id (a GUID without dashes): appending the same record twice keeps one.</summary>
    public string Id { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>Gets when the save was checked.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>Gets the name of the host that checked it (a machine or instance name; several webhook hosts may share one log).</summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>Gets whether the record was being created or changed.</summary>
    public GuardOperation Operation { get; init; }

    /// <summary>Gets the record saved: its kind and id (empty while being created).</summary>
    public RecordRef Record { get; init; }

    /// <summary>Gets the host's table of the record (<c>lead</c>, <c>phonecall</c>, <c>Task</c>), when it named one.</summary>
    public string? Table { get; init; }

    /// <summary>Gets the user who saved the record.</summary>
    public string UserId { get; init; } = string.Empty;

    /// <summary>Gets the owner of the record saved, when it names one.</summary>
    public string? OwnerId { get; init; }

    /// <summary>Gets what the guards decided, every rule counted (shadow rules included).</summary>
    public Verdict Verdict { get; init; }

    /// <summary>Gets what the host applied: rules in shadow mode are left out, so it may be weaker than <see cref="Verdict"/>.</summary>
    public Verdict AppliedVerdict { get; init; }

    /// <summary>Gets a value indicating whether every rule that applied could check; <see langword="false"/> when one answered "not checked".</summary>
    public bool Checked { get; init; } = true;

    /// <summary>Gets why the save (or one of its rules) was not checked, or <see langword="null"/>.</summary>
    public string? NotCheckedReason { get; init; }

    /// <summary>Gets a value indicating whether the whole policy ran in shadow mode: the host applied nothing and wrote nothing back.</summary>
    public bool ShadowMode { get; init; }

    /// <summary>Gets a value indicating whether at least one finding was decided but not applied (its rule, or the policy, is in shadow mode).</summary>
    public bool Shadowed => Findings.Any(f => f.Shadow);

    /// <summary>Gets the findings, strongest first.</summary>
    public IReadOnlyList<DecisionFinding> Findings { get; init; } = [];

    /// <summary>Gets how long the check took, in milliseconds.</summary>
    public double LatencyMs { get; init; }

    /// <summary>Gets the host's id of the operation, tying the decision to the CRM's logs.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>
    /// Gets the saved record's name as a colleague may see it, so a report names it: a lead's person or company, an
    /// account's name; an activity only by its kind ("inbound phone call"), never its subject. Null when the record has none.
    /// </summary>
    public string? RecordName { get; init; }

    /// <summary>Builds the redacted record of an outcome.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <param name="time">When the save was checked.</param>
    /// <param name="latency">How long the check took.</param>
    /// <param name="host">The host's name; empty lets the log's queue fill in its own.</param>
    /// <returns>The record.</returns>
    public static DecisionRecord From(GuardOutcome outcome, DateTimeOffset time, TimeSpan latency, string? host = null)
    {
        if (outcome is null)
            throw new ArgumentNullException(nameof(outcome));
        var findings = outcome.Result.Findings.Select(f => DecisionFinding.From(f, shadow: false))
            .Concat(outcome.Shadow.Findings.Select(f => DecisionFinding.From(f, shadow: true)))
            .OrderByDescending(f => f.Verdict)
            .ToList();
        var request = outcome.Request;
        var notChecked = findings.FirstOrDefault(f => f.NotChecked);
        return new DecisionRecord
        {
            Time = time,
            Host = host ?? string.Empty,
            Operation = request.Operation,
            Record = request.Record.Ref,
            Table = request.Table,
            UserId = request.UserId,
            OwnerId = string.IsNullOrEmpty(request.Record.OwnerId) ? null : request.Record.OwnerId,
            Verdict = outcome.Decided.Verdict,
            AppliedVerdict = outcome.Result.Verdict,
            Checked = notChecked is null,
            NotCheckedReason = notChecked is null ? null : notChecked.NotCheckedReason ?? "not checked",
            ShadowMode = outcome.ShadowMode,
            Findings = findings,
            LatencyMs = Math.Round(latency.TotalMilliseconds, 3),
            CorrelationId = request.CorrelationId,
            RecordName = ActivityText.VisibleName(request.Record) is { Length: > 0 } name ? name : null,
        };
    }
}

/// <summary>One rule's finding in the decision log.</summary>
public sealed record DecisionFinding
{
    /// <summary>Gets the rule's id (<c>existing-customer</c>, … or a custom guard's; <c>guardrails</c> for a save not checked at all).</summary>
    public string RuleId { get; init; } = string.Empty;

    /// <summary>Gets the finding's stable code (see <see cref="GuardCodes"/>).</summary>
    public string Code { get; init; } = string.Empty;

    /// <summary>Gets what the rule decided.</summary>
    public Verdict Verdict { get; init; }

    /// <summary>Gets a value indicating whether the finding was decided but not applied (shadow mode).</summary>
    public bool Shadow { get; init; }

    /// <summary>Gets a value indicating whether the rule could not ask the CRM and answered by the lookup-failure policy.</summary>
    public bool NotChecked { get; init; }

    /// <summary>Gets why the rule could not check (<c>the CRM did not answer in time</c>), or <see langword="null"/>.</summary>
    public string? NotCheckedReason { get; init; }

    /// <summary>Gets the message the user saw (or would have seen), with any other user's activity subject withheld.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>Gets the match score (0 to 1) for matching rules, else <see langword="null"/>.</summary>
    public double? Score { get; init; }

    /// <summary>Gets the existing records the finding names (the account, the other lead, the other rep's activity).</summary>
    public IReadOnlyList<DecisionRelated> Related { get; init; } = [];

    /// <summary>Gets the match evidence per field: the saved record's value against the existing account's or lead's.</summary>
    public IReadOnlyList<DecisionEvidence> Evidence { get; init; } = [];

    internal static DecisionFinding From(GuardFinding finding, bool shadow)
    {
        var collision = finding.Collision;
        return new DecisionFinding
        {
            RuleId = finding.RuleId,
            Code = finding.Code,
            Verdict = finding.Verdict,
            Shadow = shadow,
            NotChecked = finding.NotChecked,
            NotCheckedReason = finding.NotChecked && finding.MessageArguments.TryGetValue("Reason", out var reason) ? reason : null,
            Message = Redact(finding.Message, collision?.Subject),
            Score = collision?.Score,
            Related = collision is null ? [] : [new DecisionRelated(collision.Record, collision.OwnerId) { OwnerName = collision.OwnerName, Name = collision.Name, Date = collision.Date }],
            Evidence = collision is null ? [] : collision.Evidence.Select(e => new DecisionEvidence(e.Field, e.Detail, e.Weight)).ToList(),
        };
    }

    /// <summary>A message may quote the other activity's subject when the acting user may read it; the log never keeps it.</summary>
    private static string Redact(string message, string? subject) =>
        string.IsNullOrWhiteSpace(subject) ? message : message.Replace(subject, DecisionRedaction.Withheld);
}

/// <summary>An existing record a finding names, with its owner; never its subject or body.</summary>
/// <param name="Record">The record.</param>
/// <param name="OwnerId">Its owner's id, when known.</param>
public sealed record DecisionRelated(RecordRef Record, string? OwnerId)
{
    /// <summary>Gets the owner's display name, when known.</summary>
    public string? OwnerName { get; init; }

    /// <summary>Gets the record's name: an account's or a person's name, or an activity's kind (<c>phone call</c>) — never its subject.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the date that mattered: an activity's scheduled start or creation.</summary>
    public DateTimeOffset? Date { get; init; }
}

/// <summary>One field's contribution to a match, as the matcher explained it.</summary>
/// <param name="Field">The field (<c>name</c>, <c>domain</c>, <c>phone</c>, <c>contact-email</c>, …).</param>
/// <param name="Detail">The saved record's value against the existing account's or lead's (<c>"contoso" = "contoso"</c>).</param>
/// <param name="Weight">The weight (bits) the field added; negative when it counted against.</param>
public sealed record DecisionEvidence(string Field, string Detail, double Weight);

/// <summary>What the decision log writes in place of content it withholds.</summary>
public static class DecisionRedaction
{
    /// <summary>The text standing for a withheld subject: <c>[withheld]</c>.</summary>
    public const string Withheld = "[withheld]";
}
