namespace CrmGuardrails.Cli.Reporting;

/// <summary>A decision log (SQLite) as report rows.</summary>
internal static class DecisionLogSource
{
    /// <exception cref="BadInputException">The log cannot be read.</exception>
    public static ReportData Load(string file, string? title) =>
        throw new BadInputException($"{file}: is a SQLite file; reading a decision log needs the decision log's reader, which this build does not have yet.");
}
