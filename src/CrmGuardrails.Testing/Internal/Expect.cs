using Xunit.Sdk;

namespace CrmGuardrails.Testing.Internal;

/// <summary>
/// Collects what a fact found wrong, so that one run reports every broken case of a fact (which kind, which query),
/// each with what the directory answered.
/// </summary>
internal sealed class Expect
{
    private readonly List<string> _failures = [];

    public static bool SameId(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public static bool SameRef(RecordRef? a, RecordRef b) => a is { } r && r.Kind == b.Kind && SameId(r.Id, b.Id);

    public static string Describe(CrmRecord? record) => record is null ? "null" : $"{record.Kind} '{record.DisplayName}' ({record.Id})";

    public static string Describe(IEnumerable<CrmRecord> records)
    {
        var list = records.Select(Describe).ToList();
        return list.Count == 0 ? "nothing" : string.Join(", ", list);
    }

    public void True(bool condition, string message)
    {
        if (!condition)
            _failures.Add(message);
    }

    public void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            _failures.Add($"{what}: expected {Show(expected)}, got {Show(actual)}.");
    }

    public void SameText(string? expected, string? actual, string what)
    {
        if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            _failures.Add($"{what}: expected {Show(expected)}, got {Show(actual)}.");
    }

    public void Contains(IReadOnlyList<CrmRecord> found, CrmRecord expected, string question)
    {
        if (!found.Any(r => r.Kind == expected.Kind && SameId(r.Id, expected.Id)))
            _failures.Add($"{question}: expected {Describe(expected)} among the answer, got {Describe(found)}.");
    }

    public void Lacks(IReadOnlyList<CrmRecord> found, CrmRecord unexpected, string question, string why)
    {
        if (found.Any(r => SameId(r.Id, unexpected.Id)))
            _failures.Add($"{question}: {Describe(unexpected)} must not be in the answer ({why}), got {Describe(found)}.");
    }

    public void Fail(string message) => _failures.Add(message);

    /// <summary>Fails the fact with every failure collected, one a line.</summary>
    public void Verify()
    {
        if (_failures.Count > 0)
            throw new XunitException(string.Join(Environment.NewLine, _failures));
    }

    private static string Show<T>(T value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        RecordRef r => r.ToString(),
        _ => value.ToString() ?? string.Empty,
    };
}
