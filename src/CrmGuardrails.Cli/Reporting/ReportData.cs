using CrmGuardrails.Cli.Audit;

namespace CrmGuardrails.Cli.Reporting;

/// <summary>
/// What a report shows, whatever it was made from: decisions (rows in the audit's shape — an audit's collisions, or a
/// decision log's verdicts, allows included) and how many checks were made in all.
/// </summary>
/// <param name="Title">The report's heading.</param>
/// <param name="Rows">The decisions, each explained by its evidence.</param>
/// <param name="Checks">How many checks were made (the not-checked rate is counted against it).</param>
/// <param name="Source">What the report was made from, in words (<c>audit</c>, <c>decision log</c>).</param>
internal sealed record ReportData(string Title, IReadOnlyList<AuditCollision> Rows, int Checks, string Source)
{
    /// <summary>Gets the latency of each check, in milliseconds; <see langword="null"/> means each row's.</summary>
    public IReadOnlyList<double>? Latencies { get; init; }

    /// <summary>Gets how many checks could not ask the CRM; <see langword="null"/> means the rows marked not checked.</summary>
    public int? NotChecked { get; init; }

    /// <summary>An audit: every row is a collision; the checks are the open records checked (all of the file's rows when unknown).</summary>
    public static ReportData FromAudit(IReadOnlyList<AuditCollision> collisions, string title, int? checks = null) =>
        new(title, collisions, checks ?? collisions.Select(c => c.Record.Type + ":" + c.Record.Id).Distinct(StringComparer.Ordinal).Count(), "audit");
}
