using System.Diagnostics.CodeAnalysis;

namespace CrmGuardrails.Salesforce.Webhooks;

/// <summary>Ids and names as the flag path checks them, and caller text made safe to quote.</summary>
internal static class WebhookIds
{
    /// <summary>The most characters of caller text an error message quotes.</summary>
    public const int MaxQuoted = 64;

    /// <summary>
    /// Whether the text is a record id (the REST package's one rule). The Outbound Message WSDL types ids as
    /// <c>ent:ID</c>, "<c>&lt;pattern value="[a-zA-Z0-9]{18}"/&gt;</c>"; 15-character ids are taken too.
    /// </summary>
    public static bool IsId([NotNullWhen(true)] string? text) => SalesforceIds.IsWellFormed(text, acceptGuids: false);

    /// <summary>Whether two ids name the same record: the 15-character id is case-sensitive, the 18-character one adds a checksum of its case.</summary>
    public static bool SameRecord(string a, string b) =>
        a.Length >= 15 && b.Length >= 15 && string.CompareOrdinal(a, 0, b, 0, 15) == 0;

    /// <summary>Caller text for an error message: one line, at most <see cref="MaxQuoted"/> characters.</summary>
    public static string Quote(string? text)
    {
        if (text is null || text.Length == 0)
            return string.Empty;
        var chars = text.Take(MaxQuoted).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray();
        return new string(chars) + (text.Length > MaxQuoted ? "…" : string.Empty);
    }

    /// <summary>Whether the text is an API name (<c>Lead</c>, <c>Flag_Verdict__c</c>): a letter, then letters, digits and underscores, at most 80 characters.</summary>
    public static bool IsApiName([NotNullWhen(true)] string? text)
    {
        if (text is null || text.Length == 0 || text.Length > 80 || !char.IsLetter(text[0]) || text[0] > 'z')
            return false;
        return text.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_');
    }
}
