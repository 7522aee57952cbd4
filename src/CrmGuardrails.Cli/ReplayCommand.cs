using System.CommandLine;
using System.Text;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Cli;

/// <summary><c>crmguard replay</c>: verdicts for a stream of saves on an org snapshot (formats 1, 2 and 3).</summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var snapshot = new Option<FileInfo>("--snapshot", "-s") { Description = "The org: a snapshot JSON file (format 1).", Required = true };
        var events = new Option<FileInfo>("--events", "-e") { Description = "The saves to replay: a JSON Lines file (format 2).", Required = true };
        var outFile = new Option<FileInfo?>("--out", "-o") { Description = "Where to write the verdicts (format 3); standard output when omitted." };
        var policy = new Option<FileInfo?>("--policy", "-p") { Description = "A JSON policy overriding the defaults (the 'CrmGuardrails' section; see docs/configuration.md)." };
        var command = new Command("replay", "Replay saves on an org snapshot and print each save's verdict as JSON Lines.\nExample: crmguard replay -s org.json -e events.jsonl -o verdicts.jsonl")
        {
            snapshot, events, outFile, policy,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var verdicts = await RunAsync(
                parse.GetValue(snapshot)!, parse.GetValue(events)!, PolicyFile.Load(parse.GetValue(policy)), cancellationToken).ConfigureAwait(false);
            var lines = verdicts.Select(ReplayJson.Format).ToList();
            if (parse.GetValue(outFile) is { } target)
                await AtomicFile.WriteLinesAsync(target, lines, cancellationToken).ConfigureAwait(false);
            else
                foreach (var line in lines)
                    await output.WriteLineAsync(line).ConfigureAwait(false);
            await error.WriteLineAsync(Summary(verdicts)).ConfigureAwait(false);
            return CrmGuardCommand.Ok;
        });
        return command;
    }

    /// <summary>Loads everything first, so a bad file stops the run before any verdict is written.</summary>
    public static async Task<IReadOnlyList<ReplayVerdict>> RunAsync(FileInfo snapshotFile, FileInfo eventsFile, CrmGuardrailsOptions policy, CancellationToken cancellationToken)
    {
        var org = CrmSnapshot.Load(snapshotFile.FullName);
        var events = CrmEvent.Load(eventsFile.FullName);
        var directory = new InMemoryCrmDirectory(org);
        var session = new ReplaySession(new GuardPipelineBuilder { Directory = directory }.AddDefaultGuards(policy).Build(), directory);
        var verdicts = new List<ReplayVerdict>(events.Count);
        for (var i = 0; i < events.Count; i++)
            verdicts.Add(await session.ApplyAsync(i + 1, events[i], cancellationToken).ConfigureAwait(false));
        return verdicts;
    }

    private static string Summary(IReadOnlyList<ReplayVerdict> verdicts)
    {
        var text = new StringBuilder();
        text.Append(verdicts.Count).Append(verdicts.Count == 1 ? " event: " : " events: ")
            .Append(verdicts.Count(v => v.Result.IsBlocked)).Append(" blocked, ")
            .Append(verdicts.Count(v => v.Result.IsFlagged)).Append(" flagged, ")
            .Append(verdicts.Count(v => v.Result.Verdict == Verdict.Allow)).Append(" allowed.");
        return text.ToString();
    }
}
