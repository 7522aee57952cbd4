using System.Globalization;
using System.Text;

namespace CrmGuardrails.Matching;

/// <summary>Writes <c>decisions.csv</c>: <c>lead_id,verdict,account_id,score</c> (docs/formats.md, section 4).</summary>
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
            writer.Write(Escape(decision.LeadId));
            writer.Write(',');
            writer.Write(decision.Verdict switch { Verdict.Block => "block", Verdict.Flag => "flag", _ => "allow" });
            writer.Write(',');
            if (decision.Verdict != Verdict.Allow)
                writer.Write(Escape(decision.AccountId ?? string.Empty));
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

    private static string Escape(string value)
    {
        if (value.IndexOfAny([',', '"', '\r', '\n']) < 0)
            return value;
        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }
}
