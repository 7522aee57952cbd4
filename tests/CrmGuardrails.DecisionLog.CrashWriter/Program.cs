using System.Globalization;
using CrmGuardrails;
using CrmGuardrails.DecisionLog.Sqlite;
using CrmGuardrails.Decisions;

// crashwriter <sqlite file> <batch size>: appends batches of decisions for ever, printing "batch N" after each commit.
// The crash test kills this process at a random moment, nearly always inside a batch's transaction.
if (args.Length != 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1)
{
    Console.Error.WriteLine("usage: crashwriter <sqlite file> <batch size>");
    return 2;
}

var log = new SqliteDecisionLog(args[0]);
var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
for (var batch = 1; batch <= 1_000_000; batch++)
{
    var records = new DecisionRecord[size];
    for (var i = 0; i < size; i++)
    {
        records[i] = new DecisionRecord
        {
            Time = start.AddSeconds(batch),
            Host = "crash-writer",
            Operation = GuardOperation.Create,
            Record = new RecordRef(RecordKind.Lead, $"b{batch}-{i}"),
            Table = "lead",
            UserId = "u1",
            OwnerId = "u1",
            Verdict = Verdict.Flag,
            AppliedVerdict = Verdict.Flag,
            LatencyMs = 1,
            CorrelationId = $"batch-{batch}",
            Findings = [new DecisionFinding { RuleId = "duplicate-lead", Code = "CRMG1002", Verdict = Verdict.Flag, Message = new string('x', 2000) }],
        };
    }

    await log.AppendAsync(records);
    Console.WriteLine($"batch {batch}");
}

return 0;
