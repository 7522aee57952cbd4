using System.Diagnostics;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;

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
        var dataset = MatchingDataset.Load(accounts.ToString(), contacts?.ToString(), leads.ToString());

        var matcher = new BulkMatcher(dataset.Accounts, dataset.Contacts);
        using var bar = ProgressBar.Create(error, dataset.Leads.Count);
        var decisions = matcher.MatchAll(dataset.Leads, bar, cancellationToken);
        bar?.Dispose();

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
            $"{decisions.Count(d => d.Verdict == Verdict.Allow):N0} allowed.").ConfigureAwait(false);
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

    /// <summary>A progress bar on standard error, drawn only when it is a terminal and the run is long enough to need one.</summary>
    private sealed class ProgressBar : IProgress<int>, IDisposable
    {
        private readonly TextWriter _error;
        private readonly int _total;
        private readonly Stopwatch _since = Stopwatch.StartNew();
        private int _drawn = -1;

        private ProgressBar(TextWriter error, int total)
        {
            _error = error;
            _total = total;
        }

        public static ProgressBar? Create(TextWriter error, int total) =>
            total >= 10_000 && ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? new ProgressBar(error, total) : null;

        public void Report(int value)
        {
            var percent = (int)(100L * Math.Min(value, _total) / Math.Max(1, _total));
            if (percent == Volatile.Read(ref _drawn) || _since.ElapsedMilliseconds < 200)
                return;
            Volatile.Write(ref _drawn, percent);
            lock (_error)
                _error.Write($"\r  matching [{new string('#', percent / 5),-20}] {percent,3}%  {value:N0}/{_total:N0} leads");
        }

        public void Dispose()
        {
            if (_drawn >= 0)
            {
                lock (_error)
                    _error.Write("\r" + new string(' ', 70) + "\r");
                _drawn = -1;
            }
        }
    }
}
