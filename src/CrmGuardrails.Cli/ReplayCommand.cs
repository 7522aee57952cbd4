using System.CommandLine;
using System.Text;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching.Bulk;

namespace CrmGuardrails.Cli;

/// <summary><c>crmguard replay</c>: verdicts for a stream of saves on an org snapshot (formats 1, 2 and 3).</summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var snapshot = FileOption.Required(
            "--snapshot", "-s", $"The org: a snapshot JSON file (format 1), UTF-8 or UTF-16; at most {InputFile.Size(CrmSnapshot.MaxFileBytes)}.");
        var events = FileOption.Required(
            "--events", "-e", $"The saves to replay: a JSON Lines file (format 2), UTF-8 or UTF-16; at most {InputFile.Size(CrmEvent.MaxFileBytes)}, each line at most {InputFile.Size(CrmEvent.MaxLineBytes)}.");
        var outFile = FileOption.Optional(
            "--out", "-o", "Where to write the verdicts (format 3), whole or not at all (a hidden file beside it, then renamed); standard output when omitted.");
        var policy = FileOption.Optional(
            "--policy", "-p", $"A JSON policy overriding the defaults (the 'CrmGuardrails' section; see docs/configuration.md); at most {InputFile.Size(PolicyFile.MaxFileBytes)}. Unknown keys and values of the wrong type are refused.");
        var command = new Command("replay", "Replay saves on an org snapshot and print each save's verdict as JSON Lines.\nExample: crmguard replay -s org.json -e events.jsonl -o verdicts.jsonl")
        {
            snapshot, events, outFile, policy,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Where the verdicts go is checked before anything is read, and every input before any event is replayed.
            using var target = parse.GetValue(outFile) is { } file ? AtomicFile.Create(file) : null;
            var verdicts = await RunAsync(
                parse.GetValue(snapshot)!, parse.GetValue(events)!, PolicyFile.Load(parse.GetValue(policy)), cancellationToken).ConfigureAwait(false);
            var lines = verdicts.Select(ReplayJson.Format);
            if (target is not null)
            {
                target.Write(writer =>
                {
                    foreach (var line in lines)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        writer.Write(line);
                        writer.Write('\n');
                    }
                });
                target.Commit();
            }
            else
            {
                foreach (var line in lines)
                    await output.WriteLineAsync(line).ConfigureAwait(false);
            }

            await error.WriteLineAsync(Summary(verdicts)).ConfigureAwait(false);
            return CrmGuardCommand.Ok;
        });
        return command;
    }

    /// <summary>Loads everything first, so a bad file stops the run before any verdict is written.</summary>
    public static async Task<IReadOnlyList<ReplayVerdict>> RunAsync(FileInfo snapshotFile, FileInfo eventsFile, CrmGuardrailsOptions policy, CancellationToken cancellationToken)
    {
        MatchingWarmUp.StartFor(snapshotFile.Exists ? snapshotFile.Length : 0);
        var org = CrmSnapshot.Load(snapshotFile.ToString());
        var events = CrmEvent.Load(eventsFile.ToString());
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
