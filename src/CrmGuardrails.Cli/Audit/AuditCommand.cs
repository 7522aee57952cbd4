using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using CrmGuardrails.Cli.Reporting;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching.Bulk;

namespace CrmGuardrails.Cli.Audit;

/// <summary><c>crmguard audit</c>: the collisions that already sit in an org, from a snapshot or, read-only, a live Dataverse org.</summary>
internal static class AuditCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var snapshot = FileOption.Optional(
            "--snapshot", "-s", $"The org: a snapshot JSON file (format 1), UTF-8 or UTF-16; at most {InputFile.Size(CrmSnapshot.MaxFileBytes)}. Without it, the live organisation of --org-url is read.");
        var outFile = FileOption.Optional(
            "--out", "-o", "Where to write the collisions as JSON Lines (one per line, docs/admin.md), whole or not at all; standard output when omitted.");
        var report = FileOption.Optional(
            "--report", "-r", "Also write the HTML report of the collisions there (one self-contained file), whole or not at all.");
        var policy = FileOption.Optional(
            "--policy", "-p", $"A JSON policy overriding the defaults (the 'CrmGuardrails' section; see docs/configuration.md); at most {InputFile.Size(PolicyFile.MaxFileBytes)}.");
        var at = new Option<string?>("--at") { Description = "The time the audit stands at, ISO 8601 with an offset (leads are checked as if saved then; activities at their creation). Default: now." };
        var parallel = new Option<int>("--parallel") { Description = "How many checks run at once (1 to 64). Default: the number of processors (snapshot), 4 (live org).", DefaultValueFactory = _ => 0 };
        var pageSize = new Option<int>("--page-size") { Description = "Live org: rows per page when reading open leads and activities (1 to 5000).", DefaultValueFactory = _ => 500 };
        var connection = new OrgConnectionOptions();
        var command = new Command(
            "audit",
            "List the collisions that already sit in an org — open leads of existing customers owned by other reps, duplicate open leads, " +
            "two reps with open work on one customer, one customer's conversation split across channels — as the guards would decide them.\n" +
            "Examples: crmguard audit -s org.json -o collisions.jsonl -r report.html\n" +
            "          crmguard audit --org-url https://contoso.crm4.dynamics.com/ -o collisions.jsonl (read-only, paged)")
        {
            snapshot, outFile, report, policy, at, parallel, pageSize,
        };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            var problems = new List<string>();
            var auditAt = ParseAt(parse.GetValue(at), problems);
            var degree = parse.GetValue(parallel);
            if (degree is < 0 or > 64)
                problems.Add($"--parallel: {degree} is not between 1 and 64.");
            var rows = parse.GetValue(pageSize);
            if (rows is < 1 or > 5000)
                problems.Add($"--page-size: {rows} is not between 1 and 5000.");
            var snapshotFile = parse.GetValue(snapshot);
            OrgConnection? org = null;
            if (snapshotFile is null)
            {
                org = connection.Read(parse, problems);
                if (org is null)
                    problems.Insert(0, "give --snapshot FILE, or a live organisation with --org-url and its credentials.");
            }

            if (problems.Count > 0)
                throw new BadInputException(problems);

            // Where the results go is checked before anything is read, and every input before any record is checked.
            using var target = parse.GetValue(outFile) is { } file ? AtomicFile.Create(file) : null;
            using var html = parse.GetValue(report) is { } reportFile ? AtomicFile.Create(reportFile) : null;
            var options = PolicyFile.Load(parse.GetValue(policy));
            var when = auditAt ?? TimeProvider.System.GetUtcNow();

            List<AuditCollision> collisions;
            int checkedCount;
            string? phases = null;
            if (snapshotFile is not null)
            {
                var result = await RunOnSnapshotAsync(snapshotFile, options, when, degree == 0 ? Environment.ProcessorCount : degree, error, cancellationToken).ConfigureAwait(false);
                (collisions, checkedCount, phases) = result;
            }
            else
            {
                var (code, found, count) = await LiveOrgAudit.RunAsync(org!, options, when, degree == 0 ? 4 : degree, rows, error, cancellationToken).ConfigureAwait(false);
                if (code != CrmGuardCommand.Ok)
                    return code;
                (collisions, checkedCount) = (found, count);
            }

            // The report is written on another core while the JSON Lines are: both only read the collisions.
            var source = snapshotFile is not null ? snapshotFile.ToString() : org!.OrgUrl.ToString();
            var reportWritten = html is null ? null : Task.Run(
                () => html.Write(writer => HtmlReport.Write(writer, ReportData.FromAudit(collisions, $"Audit of {source} at {when.ToUniversalTime():yyyy-MM-dd HH:mm} UTC", checkedCount))),
                cancellationToken);
            try
            {
                if (target is not null)
                {
                    target.Write(writer => AuditJson.WriteLines(writer, collisions, cancellationToken));
                    target.Commit();
                }
                else
                {
                    AuditJson.WriteLines(output, collisions, cancellationToken);
                }
            }
            catch
            {
                // Never leave the report writing into a file that is being thrown away.
                if (reportWritten is not null)
                    await Task.WhenAny(reportWritten).ConfigureAwait(false);
                throw;
            }

            if (reportWritten is not null)
            {
                await reportWritten.ConfigureAwait(false);
                html!.Commit();
            }

            await error.WriteLineAsync(Summary(collisions, checkedCount, clock.Elapsed, phases)).ConfigureAwait(false);
            return CrmGuardCommand.Ok;
        });
        return command;
    }

    /// <summary>The time budget of a check on a snapshot: the largest the options allow.</summary>
    public static readonly TimeSpan SnapshotTimeBudget = TimeSpan.FromMinutes(5);

    /// <summary>Loads the snapshot, indexes it once and checks every open lead and activity in it.</summary>
    public static async Task<(List<AuditCollision> Collisions, int Checked, string Phases)> RunOnSnapshotAsync(
        FileInfo snapshotFile, CrmGuardrailsOptions options, DateTimeOffset at, int parallelism, TextWriter error, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        MatchingWarmUp.StartFor(snapshotFile.Exists ? snapshotFile.Length : 0);
        var org = CrmSnapshot.Load(snapshotFile.ToString());
        var read = clock.Elapsed;
        var directory = new InMemoryCrmDirectory(org);
        var indexed = clock.Elapsed;

        // A snapshot never keeps a check waiting on a CRM: only a busy machine could run out of the save's budget, which
        // would report "not checked" for no reason of the org's. The budget does not change any rule's decision.
        options.TimeBudget = SnapshotTimeBudget;
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddDefaultGuards(options).Build();
        var audit = new OrgAudit(pipeline, directory, at);
        var open = org.Leads.Cast<CrmRecord>().Concat(org.Activities).Where(OrgAudit.IsOpenWork).ToList();
        using var bar = ProgressBar.Create(error, open.Count, "auditing", "open records");
        var collisions = await audit.RunAsync(Once(open), parallelism, bar, cancellationToken).ConfigureAwait(false);
        var phases = $"reading {read.TotalSeconds:0.0} s, indexing {(indexed - read).TotalSeconds:0.0} s, checking {(clock.Elapsed - indexed).TotalSeconds:0.0} s";
        return (collisions, audit.Checked, phases);
    }

    private static async IAsyncEnumerable<IReadOnlyList<CrmRecord>> Once(IReadOnlyList<CrmRecord> records, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Task.CompletedTask.ConfigureAwait(false);
        yield return records;
    }

    private static DateTimeOffset? ParseAt(string? text, List<string> problems)
    {
        if (text is null)
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) && (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 9))
            return at;
        problems.Add($"--at: '{text}' is not an ISO 8601 time with an offset (e.g. 2026-12-01T09:00:00Z).");
        return null;
    }

    private static string Summary(List<AuditCollision> collisions, int checkedCount, TimeSpan elapsed, string? phases)
    {
        var byRule = collisions.GroupBy(c => c.Rule, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count():N0}");
        var notChecked = collisions.Count(c => c.NotChecked);
        return $"{checkedCount:N0} open records checked in {elapsed.TotalSeconds:0.0} s{(phases is null ? string.Empty : $" ({phases})")}: {collisions.Count:N0} collisions" +
               (collisions.Count > 0 ? $" ({string.Join(", ", byRule)})" : string.Empty) +
               (notChecked > 0 ? $"; {notChecked:N0} not checked" : string.Empty) + ".";
    }
}
