using CrmGuardrails.Cli.Audit;
using CrmGuardrails.DecisionLog.Sqlite;
using CrmGuardrails.Decisions;
using CrmGuardrails.Matching;
using Microsoft.Data.Sqlite;

namespace CrmGuardrails.Cli.Reporting;

/// <summary>
/// A decision log (the SQLite file of <see cref="SqliteDecisionLog"/>) as report rows: one row per finding (a decision
/// without findings is one allowed row), its latency and not-checked state counted once per check.
/// </summary>
internal static class DecisionLogSource
{
    /// <summary>The rule a decision without findings is shown under.</summary>
    public const string NoRule = "(no rule fired)";

    /// <exception cref="BadInputException">The log cannot be read.</exception>
    public static ReportData Load(string file, string? title)
    {
        var rows = new List<AuditCollision>();
        var latencies = new List<double>();
        var checks = 0;
        var notChecked = 0;
        try
        {
            // A report only reads: the log is opened read-only, never created or migrated.
            var log = SqliteDecisionLog.OpenReadOnly(file);
            foreach (var decision in log.ReadAllAsync(new DecisionQuery { PageSize = DecisionQuery.MaxPageSize }).ToBlockingEnumerable())
            {
                checks++;
                latencies.Add(decision.LatencyMs);
                if (!decision.Checked || decision.Findings.Any(f => f.NotChecked))
                    notChecked++;
                rows.AddRange(Rows(decision));
            }
        }
        catch (InvalidOperationException ex)
        {
            // Not a decision log, or one of a newer schema: the log says which.
            throw new BadInputException(ex.Message);
        }
        catch (SqliteException ex)
        {
            throw new BadInputException($"{file}: cannot be read as a decision log ({ex.Message.TrimEnd('.')}).");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new BadInputException($"{file}: a decision in the log is not readable (its findings are not the decision log's JSON).");
        }

        return new ReportData(title ?? $"Decision log {Path.GetFileName(file)}", rows, checks, "decision log") { Latencies = latencies, NotChecked = notChecked };
    }

    private static IEnumerable<AuditCollision> Rows(DecisionRecord decision)
    {
        var record = new AuditParty { Type = decision.Record.KindName, Id = decision.Record.Id, OwnerId = decision.OwnerId, Name = decision.RecordName };
        if (decision.Findings.Count == 0)
        {
            yield return new AuditCollision
            {
                Rule = NoRule, Code = string.Empty, Verdict = decision.Verdict, NotChecked = !decision.Checked, At = decision.Time, Record = record,
                LatencyMs = decision.LatencyMs, Message = decision.NotCheckedReason ?? string.Empty,
            };
            yield break;
        }

        foreach (var finding in decision.Findings)
        {
            var related = finding.Related.FirstOrDefault();
            var other = related is null ? null : new AuditParty
            {
                Type = related.Record.KindName, Id = related.Record.Id, OwnerId = related.OwnerId, OwnerName = related.OwnerName, Name = related.Name, Date = related.Date,
            };
            yield return new AuditCollision
            {
                Rule = finding.RuleId,
                Code = finding.Code,
                Verdict = finding.Verdict,
                NotChecked = finding.NotChecked,
                At = decision.Time,
                Record = record,
                Other = other,
                Customer = other is { Type: "account" } ? other : null,
                Score = finding.Score,
                Evidence = finding.Evidence.Select(e => new MatchEvidence(e.Field, e.Detail, e.Weight)).ToList(),
                Redacted = finding.Message.Contains(DecisionRedaction.Withheld, StringComparison.Ordinal),
                LatencyMs = decision.LatencyMs,
                Message = finding.Message,
            };
        }
    }
}
