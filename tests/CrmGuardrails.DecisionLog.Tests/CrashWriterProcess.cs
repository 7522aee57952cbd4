using System.Diagnostics;
using System.Globalization;
using CrmGuardrails.Decisions;

namespace CrmGuardrails.DecisionLog.Tests;

/// <summary>Runs the crash writer (a real process writing batches to a log) and kills it mid-batch.</summary>
internal static class CrashWriterProcess
{
    public const int BatchSize = 200;

    /// <summary>The message of every decision the writer writes: long, so that most of its time is spent inside a batch.</summary>
    public const int MessageLength = 2000;

    /// <summary>Starts the writer with <paramref name="log"/> (its arguments after the batch size), waits until it has committed a few batches, and kills it.</summary>
    /// <returns>The number of batches it said were committed.</returns>
    public static async Task<int> KillMidWriteAsync(params string[] log)
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "CrmGuardrails.DecisionLog.CrashWriter.dll");
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(writer);
        start.ArgumentList.Add(BatchSize.ToString(CultureInfo.InvariantCulture));
        foreach (var argument in log)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();

        // A few batches committed (bounded in time), then a kill at once: the writer spends nearly all its time inside a
        // batch's transaction, so the kill lands mid-batch.
        var committed = 0;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (committed < 5 && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                committed = int.Parse(line["batch ".Length..], CultureInfo.InvariantCulture);
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Assert.True(committed >= 5, "the writer committed " + committed + " batches: " + await errors);
        return committed;
    }

    /// <summary>Asserts that the log holds only whole batches, at least the committed ones, every row readable.</summary>
    public static async Task AssertOnlyWholeBatchesAsync(IDecisionLog log, int committed)
    {
        var rows = new List<DecisionRecord>();
        await foreach (var decision in log.ReadAllAsync(new DecisionQuery { PageSize = DecisionQuery.MaxPageSize }))
            rows.Add(decision);
        Assert.True(rows.Count >= committed * BatchSize, $"{rows.Count} rows after {committed} committed batches");
        Assert.All(rows.GroupBy(r => r.CorrelationId), batch => Assert.Equal(BatchSize, batch.Count()));
        Assert.All(rows, r => Assert.Equal(MessageLength, Assert.Single(r.Findings).Message.Length));
    }
}
