namespace CrmGuardrails.Cli;

internal static class MatchRunner
{
    public static async Task<int> RunAsync(FileInfo accounts, FileInfo? contacts, FileInfo leads, FileInfo? outFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await error.WriteLineAsync("crmguard match: bulk matching lands with the matching engine.").ConfigureAwait(false);
        return CrmGuardCommand.Failed;
    }
}
