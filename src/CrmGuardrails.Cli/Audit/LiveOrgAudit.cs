using System.Runtime.CompilerServices;
using CrmGuardrails.Dataverse;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Cli.Audit;

/// <summary>
/// The audit of a live Dataverse organisation: its open leads and activities read page by page (GET only), each checked
/// by the guards through the Web API directory, as a save would be.
/// </summary>
internal static class LiveOrgAudit
{
    /// <summary>Runs the audit; the exit code is <see cref="CrmGuardCommand.Ok"/> with the collisions, else why not (already told on <paramref name="error"/>).</summary>
    public static async Task<(int Code, List<AuditCollision> Collisions, int Checked)> RunAsync(
        OrgConnection org, CrmGuardrailsOptions options, DateTimeOffset at, int parallelism, int pageSize, TextWriter error, CancellationToken cancellationToken)
    {
        await using var provider = await org.ConnectAsync(error).ConfigureAwait(false);
        if (provider is null)
            return (CrmGuardCommand.BadInput, [], 0);

        var directory = provider.GetRequiredService<DataverseDirectory>();
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddDefaultGuards(options).Build();
        var audit = new OrgAudit(pipeline, directory, at);
        var read = 0;
        try
        {
            var collisions = await audit.RunAsync(Pages(directory, pageSize, n => read += n, cancellationToken), parallelism, null, cancellationToken).ConfigureAwait(false);
            return (CrmGuardCommand.Ok, collisions, audit.Checked);
        }
        catch (Exception ex) when (ex is DataverseException or TokenRequestFailedException)
        {
            await error.WriteLineAsync($"crmguard: the organisation refused or could not be reached after {read:N0} open records: {ex.Message}").ConfigureAwait(false);
            return (CrmGuardCommand.Failed, [], 0);
        }
    }

    private static async IAsyncEnumerable<IReadOnlyList<CrmRecord>> Pages(DataverseDirectory directory, int pageSize, Action<int> counted, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = DataverseOpenWorkPage.Start;
        while (!page.IsDone)
        {
            page = await directory.ReadOpenWorkAsync(page, pageSize, cancellationToken).ConfigureAwait(false);
            counted(page.Records.Count);
            yield return page.Records;
        }
    }
}
