using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CrmGuardrails.Dataverse;
using CrmGuardrails.Dataverse.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Cli;

/// <summary>
/// <c>crmguard dataverse keys --backfill</c>: writes the match keys of every account, contact and open lead into the
/// organisation's key table — resumable (a state file after every page), idempotent, throttle-aware (the client waits
/// out 429s as the organisation asks), with progress on standard error.
/// </summary>
internal static class KeysCommand
{
    public const string DefaultStateFile = "crmguard-keys.state.json";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = new OrgConnectionOptions();
        var backfill = new Option<bool>("--backfill") { Description = "Write the keys of every account, contact and open lead (what the webhook or plug-in keeps current afterwards)." };
        var state = new Option<string>("--state") { Description = "The file that records progress after every page; an unfinished run resumes from it.", DefaultValueFactory = _ => DefaultStateFile };
        var restart = new Option<bool>("--restart") { Description = "Ignore the state file and start from the first account." };
        var pageSize = new Option<int>("--page-size") { Description = "Records read per page (1 to 5000).", DefaultValueFactory = _ => 500 };
        var command = new Command(
            "keys",
            "Fill the match-key table that lets the guards find an account however its name, phone or website was typed.\n" +
            "Example: crmguard dataverse keys --backfill --org-url https://contoso.crm4.dynamics.com/")
        {
            backfill, state, restart, pageSize,
        };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var problems = new List<string>();
            var org = connection.Read(parse, problems);
            if (!parse.GetValue(backfill))
                problems.Add("--backfill: say what to do (the only action is --backfill).");
            var size = parse.GetValue(pageSize);
            if (size is < 1 or > 5000)
                problems.Add($"--page-size: {size} is not between 1 and 5000.");
            var statePath = parse.GetValue(state)!;
            var start = KeyBackfillState.Start;
            if (!parse.GetValue(restart) && File.Exists(statePath))
            {
                try
                {
                    start = JsonSerializer.Deserialize<KeyBackfillState>(await File.ReadAllTextAsync(statePath, cancellationToken).ConfigureAwait(false)) ?? start;
                }
                catch (JsonException ex)
                {
                    problems.Add($"--state: '{statePath}' is not a backfill state ({ex.Message}); remove it or pass --restart.");
                }
            }

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                    await error.WriteLineAsync("crmguard: " + problem).ConfigureAwait(false);
                return CrmGuardCommand.BadInput;
            }

            if (start.IsDone)
            {
                await error.WriteLineAsync($"crmguard: '{statePath}' says the backfill is finished; pass --restart to run it again.").ConfigureAwait(false);
                return CrmGuardCommand.Ok;
            }

            if (start.Records > 0)
                await error.WriteLineAsync($"Resuming at the {start.Table}s: {start.Records:N0} records already done.").ConfigureAwait(false);
            await using var provider = await org!.ConnectAsync(error).ConfigureAwait(false);
            if (provider is null)
                return CrmGuardCommand.BadInput;

            var writer = provider.GetRequiredService<DataverseMatchKeyWriter>();
            var clock = Stopwatch.StartNew();
            var progress = new SynchronousProgress(s =>
            {
                // Saved after every page, atomically: a stop loses at most the page in progress, which is written again.
                AtomicFile.WriteAllText(statePath, JsonSerializer.Serialize(s));
                var rate = (s.Records - start.Records) / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{(s.IsDone ? "done" : s.Table + "s"),-9} {s.Records,12:N0} records  {s.Written,12:N0} keys written  {s.Deleted,9:N0} deleted  {s.Unchanged,12:N0} unchanged  {rate,8:N0}/s "));
            });
            KeyBackfillState final;
            try
            {
                final = await writer.BackfillAsync(start, progress, size, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"{Environment.NewLine}Stopped; run the same command again to resume from '{statePath}'.").ConfigureAwait(false);
                return CrmGuardCommand.Failed;
            }
            catch (Exception ex) when (ex is DataverseException or TokenRequestFailedException)
            {
                await error.WriteLineAsync($"{Environment.NewLine}crmguard: the organisation refused or could not be reached: {ex.Message}{Environment.NewLine}Run the same command again to resume from '{statePath}'.").ConfigureAwait(false);
                return CrmGuardCommand.Failed;
            }

            await error.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{final.Records:N0} records: {final.Written:N0} keys written, {final.Deleted:N0} deleted, {final.Unchanged:N0} unchanged in {clock.Elapsed.TotalSeconds:N1} s.")).ConfigureAwait(false);
            return CrmGuardCommand.Ok;
        });
        return command;
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(Action<KeyBackfillState> report) : IProgress<KeyBackfillState>
    {
        public void Report(KeyBackfillState value) => report(value);
    }
}
