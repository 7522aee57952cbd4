namespace CrmGuardrails.Salesforce;

/// <summary>Record ids as Salesforce writes them: 15 (case-sensitive) or 18 (case-safe) letters and digits.</summary>
internal static class SalesforceIds
{
    /// <summary>Tells whether an id may be sent to the org; anything else names no record and is answered without asking.</summary>
    public static bool IsWellFormed(string? id, bool acceptGuids)
    {
        if (id is { Length: 15 or 18 } && id.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')))
            return true;
        return acceptGuids && id is { Length: 36 } && Guid.TryParseExact(id, "D", out _);
    }

    /// <summary>The well-formed ids of a list, each once.</summary>
    public static List<string> WellFormed(IEnumerable<string?> ids, bool acceptGuids, int max) =>
        ids.Where(id => IsWellFormed(id, acceptGuids)).Select(id => id!).Distinct(StringComparer.Ordinal).Take(max).ToList();
}
