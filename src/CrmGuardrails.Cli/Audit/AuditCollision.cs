using CrmGuardrails.Matching;

namespace CrmGuardrails.Cli.Audit;

/// <summary>
/// One collision that already sits in the org (a line of <c>crmguard audit</c>'s JSON Lines, docs/admin.md): an open
/// record, what the guards would answer if it were saved now, and the record it collides with.
/// </summary>
/// <remarks>
/// Names only what a verdict may name: kinds, ids, owners, dates, account and person names, and the match evidence —
/// never an activity's subject or body (an activity is named by its kind).
/// </remarks>
internal sealed record AuditCollision
{
    /// <summary>Gets the rule whose verdict this is (<see cref="RuleIds"/>).</summary>
    public required string Rule { get; init; }

    /// <summary>Gets the finding's stable code (<see cref="GuardCodes"/>).</summary>
    public required string Code { get; init; }

    /// <summary>Gets the verdict the rule gives the open record.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>Gets a value indicating whether the rule could not ask the CRM (the verdict is the lookup-failure policy's).</summary>
    public bool NotChecked { get; init; }

    /// <summary>Gets when the check stands: the audit's time for a lead, an activity's creation.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Gets the open record that was checked.</summary>
    public required AuditParty Record { get; init; }

    /// <summary>Gets the existing record it collides with; <see langword="null"/> for a not-checked row.</summary>
    public AuditParty? Other { get; init; }

    /// <summary>Gets the customer the collision is about (an account, or the person reaching out), when known.</summary>
    public AuditParty? Customer { get; init; }

    /// <summary>Gets the match score (existing-customer).</summary>
    public double? Score { get; init; }

    /// <summary>Gets the evidence behind a match, per field.</summary>
    public IReadOnlyList<MatchEvidence> Evidence { get; init; } = [];

    /// <summary>Gets a value indicating whether content of the other record was withheld by the redaction rule.</summary>
    public bool Redacted { get; init; }

    /// <summary>Gets the check's time in milliseconds.</summary>
    public double LatencyMs { get; init; }

    /// <summary>Gets the guard's sentence, as the record's owner would read it with nothing of another user's content.</summary>
    public required string Message { get; init; }
}

/// <summary>A record named in a collision: kind, id, owner and a name a colleague may see.</summary>
internal sealed record AuditParty
{
    public required string Type { get; init; }

    public required string Id { get; init; }

    public string? OwnerId { get; init; }

    public string? OwnerName { get; init; }

    public string? Name { get; init; }

    public DateTimeOffset? Date { get; init; }
}
