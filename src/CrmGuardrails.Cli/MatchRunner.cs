using System.Diagnostics;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Bulk;

namespace CrmGuardrails.Cli;

/// <summary>Runs <c>crmguard match</c>: load the CSVs, index the accounts once, decide every lead, write decisions.csv.</summary>
internal static class MatchRunner
{
    public static async Task<int> RunAsync(FileInfo accounts, FileInfo? contacts, FileInfo leads, FileInfo? outFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();

        // Where the decisions go is checked before anything is read, and every input before any lead is matched.
        using var target = outFile is null ? null : AtomicFile.Create(outFile);
        using var memory = BatchMemory.Enter(SizeOf(accounts) + SizeOf(contacts) + SizeOf(leads));
        MatchingWarmUp.StartFor(SizeOf(accounts) + SizeOf(contacts) + SizeOf(leads));
        var dataset = MatchingDataset.Load(accounts.ToString(), contacts?.ToString(), leads.ToString());
        var read = clock.Elapsed;

        var matcher = new BulkMatcher(dataset.Accounts, dataset.Contacts);
        var indexed = clock.Elapsed;
        using var bar = ProgressBar.Create(error, dataset.Leads.Count, "matching", "leads");
        var decisions = matcher.MatchAll(dataset.Leads, bar, cancellationToken);
        bar?.Dispose();
        var matched = clock.Elapsed;

        if (target is null)
        {
            MatchDecisionCsv.Write(output, decisions);
        }
        else
        {
            target.Write(writer => MatchDecisionCsv.Write(writer, decisions));
            target.Commit();
        }

        await error.WriteLineAsync(
            $"{decisions.Count:N0} leads against {dataset.Accounts.Count:N0} accounts in {clock.Elapsed.TotalSeconds:0.0} s: " +
            $"{decisions.Count(d => d.Verdict == Verdict.Block):N0} blocked, {decisions.Count(d => d.Verdict == Verdict.Flag):N0} flagged, " +
            $"{decisions.Count(d => d.Verdict == Verdict.Allow):N0} allowed " +
            $"(reading {read.TotalSeconds:0.0} s, indexing {(indexed - read).TotalSeconds:0.0} s, matching {(matched - indexed).TotalSeconds:0.0} s, writing {(clock.Elapsed - matched).TotalSeconds:0.0} s).").ConfigureAwait(false);
        return CrmGuardCommand.Ok;
    }

    private static long SizeOf(FileInfo? file)
    {
        try
        {
            return file is { Exists: true } ? file.Length : 0;
        }
        catch (IOException)
        {
            // Reading the file reports what is wrong with it.
            return 0;
        }
    }
}
