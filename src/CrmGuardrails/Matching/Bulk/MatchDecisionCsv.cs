using System.Globalization;
using System.Text;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching.Bulk;

namespace CrmGuardrails.Matching;

/// <summary>
/// Writes and reads <c>decisions.csv</c>: <c>lead_id,verdict,account_id,score</c> (docs/formats.md, section 4).
/// </summary>
/// <remarks>
/// The file is opened in spreadsheets, so a cell that a spreadsheet would run as a formula — one that starts with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return (or their full-width forms) — is written as OWASP
/// advises against CSV injection: quoted, with a single quote before it. A cell that starts with a single quote gets
/// one more, so the reader can take exactly one off and give back what was written. Ordinary ids come out unchanged.
/// </remarks>
public static class MatchDecisionCsv
{
    /// <summary>The header row.</summary>
    public const string Header = "lead_id,verdict,account_id,score";

    /// <summary>Writes the decisions: verdict in lower case, account empty on allow, score with 3 decimals.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="decisions">The decisions, in the order to write.</param>
    public static void Write(TextWriter writer, IEnumerable<MatchDecision> decisions)
    {
        if (writer is null)
            throw new ArgumentNullException(nameof(writer));
        if (decisions is null)
            throw new ArgumentNullException(nameof(decisions));
        writer.Write(Header);
        writer.Write('\n');
        foreach (var decision in decisions)
        {
            writer.Write(Cell(decision.LeadId));
            writer.Write(',');
            writer.Write(ReplayJson.VerdictName(decision.Verdict));
            writer.Write(',');
            if (decision.Verdict != Verdict.Allow)
                writer.Write(Cell(decision.AccountId ?? string.Empty));
            writer.Write(',');
            writer.Write(decision.Score.ToString("0.000", CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }

    /// <summary>Writes the decisions to a UTF-8 file (without BOM), replacing it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="decisions">The decisions.</param>
    public static void WriteFile(string path, IEnumerable<MatchDecision> decisions)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        Write(writer, decisions);
    }

    /// <summary>Reads decisions as <see cref="Write"/> writes them: what was written comes back.</summary>
    /// <param name="csv">The CSV (UTF-8, or UTF-16 with a byte-order mark); columns <c>lead_id</c> and <c>verdict</c> are required, <c>account_id</c> and <c>score</c> optional.</param>
    /// <param name="file">The file name used in error messages.</param>
    /// <returns>The decisions, in file order; the score is 0 where the file has none.</returns>
    /// <exception cref="InputFormatException">
    /// The content breaks the format: an empty or repeated lead id, a verdict other than allow, flag or block, an account
    /// on an allow, a score that is not a number from 0 to 1. The message names the file, line and column.
    /// </exception>
    public static IReadOnlyList<MatchDecision> Read(Stream csv, string file)
    {
        using var table = CsvReader.Open(csv ?? throw new ArgumentNullException(nameof(csv)), file);
        var leadColumn = table.RequiredColumn("lead_id");
        var verdictColumn = table.RequiredColumn("verdict");
        var accountColumn = table.Column("account_id");
        var scoreColumn = table.Column("score");
        var decisions = new List<MatchDecision>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        while (table.Read())
        {
            var leadId = Uncell(table[leadColumn]);
            if (leadId.Trim().Length == 0)
                throw new InputFormatException(file, table.Line, "lead_id", "lead id is empty");
            if (seen.TryGetValue(leadId, out var first))
                throw new InputFormatException(file, table.Line, "lead_id", $"lead '{leadId}' has a decision on line {first} already");
            seen[leadId] = table.Line;

            var verdictText = table[verdictColumn].Trim();
            var verdict = verdictText.ToLowerInvariant() switch
            {
                "allow" => Verdict.Allow,
                "flag" => Verdict.Flag,
                "block" => Verdict.Block,
                _ => throw new InputFormatException(file, table.Line, "verdict", $"'{verdictText}' is not one of allow, flag, block"),
            };

            var accountId = accountColumn < 0 ? null : Uncell(table[accountColumn]);
            if (accountId?.Length == 0)
                accountId = null;
            if (verdict == Verdict.Allow && accountId is not null)
                throw new InputFormatException(file, table.Line, "account_id", "an allow names no account: the column must be empty");

            var score = 0d;
            var scoreText = scoreColumn < 0 ? string.Empty : table[scoreColumn].Trim();
            if (scoreText.Length > 0 &&
                !(double.TryParse(scoreText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out score) && score is >= 0 and <= 1))
                throw new InputFormatException(file, table.Line, "score", $"'{scoreText}' is not a score from 0 to 1");
            decisions.Add(new MatchDecision(leadId, verdict, accountId, score));
        }

        return decisions;
    }

    /// <summary>A value as a CSV cell: quoted when it must be, and defused when a spreadsheet would run it.</summary>
    internal static string Cell(string value)
    {
        if (value.Length > 0 && (IsFormulaStart(value[0]) || value[0] == '\''))
            return "\"'" + value.Replace("\"", "\"\"") + "\"";
        if (value.IndexOfAny([',', '"', '\r', '\n']) < 0)
            return value;
        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>The value a cell holds: the single quote <see cref="Cell"/> put before it taken off.</summary>
    internal static string Uncell(string cell) =>
        cell.Length >= 2 && cell[0] == '\'' && (IsFormulaStart(cell[1]) || cell[1] == '\'') ? cell.Substring(1) : cell;

    /// <summary>What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP: CSV injection).</summary>
    private static bool IsFormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r' or '\uFF1D' or '\uFF0B' or '\uFF0D' or '\uFF20';
}
