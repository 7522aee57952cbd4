using System.Globalization;
using CrmGuardrails;
using CrmGuardrails.DecisionLog.PostgreSql;
using CrmGuardrails.DecisionLog.Sqlite;
using CrmGuardrails.Decisions;

// crashwriter <batch size> sqlite <file> | <batch size> postgresql <connection string> <schema>: appends batches of
// decisions for ever, printing "batch N" after each commit. The crash tests kill this process at a random moment, nearly
// always inside a batch's transaction.
if (args.Length < 3 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1 ||
    !(args is [_, "sqlite", _] or [_, "postgresql", _, _]))
{
    Console.Error.WriteLine("usage: crashwriter <batch size> sqlite <file> | <batch size> postgresql <connection string> <schema>");
    return 2;
}

IDecisionLog log = args[1] == "sqlite"
    ? new SqliteDecisionLog(args[2])
    : new PostgreSqlDecisionLog(new PostgreSqlDecisionLogOptions { ConnectionString = args[2], Schema = args[3] });
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
