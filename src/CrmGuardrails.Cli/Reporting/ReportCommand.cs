using System.CommandLine;
using System.Text;
using CrmGuardrails.Cli.Audit;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Cli.Reporting;

/// <summary><c>crmguard report</c>: one self-contained HTML file from an audit (JSON Lines) or a decision log (SQLite).</summary>
internal static class ReportCommand
{
    /// <summary>The first bytes of every SQLite database file (https://www.sqlite.org/fileformat.html, "The Database Header").</summary>
    private static readonly byte[] SqliteHeader = Encoding.ASCII.GetBytes("SQLite format 3\0");

    public static Command Create(TextWriter output, TextWriter error)
    {
        var input = FileOption.Required(
            "--in", "-i", $"What to report on: the JSON Lines of 'crmguard audit' (at most {InputFile.Size(AuditJson.MaxFileBytes)}) or a decision log (a SQLite file), told apart by their content.");
        var outFile = FileOption.Required(
            "--out", "-o", "Where to write the report: one HTML file with its styles, script and charts inside (nothing is fetched when it is opened), whole or not at all.");
        var title = new Option<string?>("--title") { Description = "The report's heading (default: names the input)." };
        var command = new Command(
            "report",
            "Write one HTML report: verdicts per rule per day, the not-checked rate and latency percentiles, the accounts and rep pairs that collide most, and a filterable table that explains each decision.\n" +
            "Example: crmguard report --in collisions.jsonl --out report.html")
        {
            input, outFile, title,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var target = AtomicFile.Create(parse.GetValue(outFile)!);
            var file = parse.GetValue(input)!.ToString();
            var data = Load(file, parse.GetValue(title));
            target.Write(writer => HtmlReport.Write(writer, data));
            target.Commit();
            await error.WriteLineAsync($"{data.Rows.Count:N0} rows from {file} ({data.Source}) reported in {parse.GetValue(outFile)}.").ConfigureAwait(false);
            return CrmGuardCommand.Ok;
        });
        return command;
    }

    /// <summary>Reads the input, whichever kind it is.</summary>
    /// <exception cref="BadInputException">The file cannot be read or follows neither format.</exception>
    public static ReportData Load(string file, string? title)
    {
        using var raw = OpenRead(file);
        var head = new byte[SqliteHeader.Length];
        var read = raw.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read == head.Length && head.AsSpan().SequenceEqual(SqliteHeader))
            return DecisionLogSource.Load(file, title);

        raw.Position = 0;
        using var text = new StreamReader(InputText.Utf8(raw, file), new UTF8Encoding(false, throwOnInvalidBytes: true));
        List<AuditCollision> rows;
        try
        {
            rows = AuditJson.Read(text, file);
        }
        catch (DecoderFallbackException)
        {
            throw new BadInputException($"{file}: not UTF-8 text, nor a SQLite decision log.");
        }

        return ReportData.FromAudit(rows, title ?? $"Audit {Path.GetFileName(file)}");
    }

    private static Stream OpenRead(string file)
    {
        var stream = InputFile.OpenRead(file, AuditJson.MaxFileBytes);
        if (stream.CanSeek)
            return stream;
        var copy = new MemoryStream();
        using (stream)
            stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }
}
