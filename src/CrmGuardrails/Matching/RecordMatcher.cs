namespace CrmGuardrails.Matching;

/// <summary>Creates the record matchers that ship with CrmGuardrails.</summary>
public static class RecordMatcher
{
    /// <summary>Creates the default matcher, with the embedded reference data.</summary>
    /// <returns>A thread-safe matcher.</returns>
    public static IRecordMatcher CreateDefault() => new SimpleRecordMatcher();
}
