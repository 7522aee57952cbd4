namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// Reads a country as people type it into a free-text field ("Germany", "Deutschland", "U.S.A.", "DEU") as its
/// ISO 3166-1 alpha-2 code, so that a national phone number is read with the right country whatever the field holds.
/// </summary>
internal static class CountryNames
{
    private static readonly Lazy<Dictionary<string, string>> Codes = new(Build);

    /// <summary>Returns the alpha-2 code a country name stands for, or null when it names no country this table knows.</summary>
    public static string? CodeOf(string name)
    {
        var folded = MatchText.Fold(name);
        return folded.Length == 0 ? null : Codes.Value.TryGetValue(folded, out var code) ? code : null;
    }

    /// <summary>
    /// The codes of US states and Canadian provinces that are no country's code, which web forms put in the country field
    /// ("CT", "NY", "ON"). The others ("CA", "DE", "IN", "GA", "PA", Saskatchewan's "SK") are read as the countries they are.
    /// </summary>
    private static readonly Dictionary<string, string> StateCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AK"] = "US", ["CT"] = "US", ["DC"] = "US", ["FL"] = "US", ["HI"] = "US", ["IA"] = "US", ["KS"] = "US", ["MI"] = "US",
        ["ND"] = "US", ["NH"] = "US", ["NJ"] = "US", ["NM"] = "US", ["NV"] = "US", ["NY"] = "US", ["OH"] = "US", ["OK"] = "US",
        ["OR"] = "US", ["RI"] = "US", ["TX"] = "US", ["UT"] = "US", ["VT"] = "US", ["WA"] = "US", ["WI"] = "US", ["WV"] = "US",
        ["WY"] = "US", ["AB"] = "CA", ["BC"] = "CA", ["MB"] = "CA", ["NB"] = "CA", ["NS"] = "CA", ["ON"] = "CA", ["QC"] = "CA",
    };

    /// <summary>Gets the state and province codes read as their country (a test holds that none is a country's code).</summary>
    internal static IEnumerable<string> StateCodeKeys => StateCodes.Keys;

    /// <summary>Returns the country of a state's or province's two-letter code that is no country's ("CT" is US), or null.</summary>
    public static string? OfStateCode(string code) => StateCodes.TryGetValue(code, out var country) ? country : null;

    /// <summary>Folded name to code; a name two lines share keeps the first line's code (a test keeps them apart).</summary>
    private static Dictionary<string, string> Build()
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in ReferenceData.Countries)
        {
            var tab = line.IndexOf('\t');
            if (tab != 2)
                continue;
            var code = line.Substring(0, 2);
            foreach (var name in line.Substring(tab + 1).Split('|'))
            {
                var folded = MatchText.Fold(name);
                if (folded.Length > 0 && !codes.ContainsKey(folded))
                    codes.Add(folded, code);
            }
        }

        return codes;
    }
}
