using System.IO.Compression;
using System.Text;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>The embedded reference data (see Resources/THIRD-PARTY-NOTICES.txt), loaded lazily once and never changed.</summary>
internal static class ReferenceData
{
    private static readonly Lazy<IReadOnlyList<string>> LegalFormLines = new(() => ReadLines("legal_forms.txt.gz"));
    private static readonly Lazy<IReadOnlyList<string>> PublicSuffixLines = new(() => ReadLines("public_suffix_list.txt.gz"));
    private static readonly Lazy<HashSet<string>> FreeMailSet = new(() => new HashSet<string>(ReadLines("free_email_domains.txt.gz"), StringComparer.Ordinal));
    private static readonly Lazy<IReadOnlyList<string>> NicknameLines = new(() => ReadLines("nicknames.csv.gz"));
    private static readonly Lazy<HashSet<string>> GivenNameSet = new(() => new HashSet<string>(ReadLines("given_names.txt.gz"), StringComparer.Ordinal));
    private static readonly Lazy<IReadOnlyList<string>> OrgSynonymLines = new(() => ReadLines("org_synonyms.txt.gz"));
    private static readonly Lazy<IReadOnlyList<string>> CountryLines = new(() => ReadLines("countries.txt.gz"));
    private static readonly Lazy<IReadOnlyList<string>> CityLines = new(() => ReadLines("cities.txt.gz"));
    private static readonly Lazy<IReadOnlyList<string>> DistrictLines = new(() => ReadLines("districts.txt.gz"));

    /// <summary>Gets legal-form terms as published (lower case, unfolded).</summary>
    public static IReadOnlyList<string> LegalForms => LegalFormLines.Value;

    /// <summary>Gets the Public Suffix List rules; the line <c>#PRIVATE</c> starts the private section.</summary>
    public static IReadOnlyList<string> PublicSuffixRules => PublicSuffixLines.Value;

    /// <summary>Gets free, ISP and disposable mail domains.</summary>
    public static HashSet<string> FreeMailDomains => FreeMailSet.Value;

    /// <summary>Gets <c>name,nickname</c> pairs.</summary>
    public static IReadOnlyList<string> Nicknames => NicknameLines.Value;

    /// <summary>Gets given names of many countries, folded, that <see cref="Nicknames"/> lacks.</summary>
    public static HashSet<string> GivenNames => GivenNameSet.Value;

    /// <summary>Gets <c>alias&lt;TAB&gt;group</c> lines: words of organisation names that mean the same (rigour symbols).</summary>
    public static IReadOnlyList<string> OrgSynonyms => OrgSynonymLines.Value;

    /// <summary>Gets <c>code&lt;TAB&gt;name|name…</c> lines: ISO 3166-1 alpha-2 codes and the names people write for them.</summary>
    public static IReadOnlyList<string> Countries => CountryLines.Value;

    /// <summary>Gets <c>city&lt;TAB&gt;name|name…</c> lines: a city's name as the matcher reads it and its other names.</summary>
    public static IReadOnlyList<string> Cities => CityLines.Value;

    /// <summary>
    /// Gets <c>city&lt;TAB&gt;district|district…</c> lines: the districts, boroughs and suburbs people type for a city
    /// ("Brooklyn", "Deira", "Sheung Wan"), one district's other names after a slash ("Sheung Wan/上環").
    /// </summary>
    public static IReadOnlyList<string> Districts => DistrictLines.Value;

    private static List<string> ReadLines(string name)
    {
        var assembly = typeof(ReferenceData).Assembly;
        using var stream = assembly.GetManifestResourceStream("CrmGuardrails.Resources." + name)
                           ?? throw new InvalidOperationException($"Embedded resource {name} is missing from {assembly.GetName().Name}.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
                lines.Add(line);
        }

        return lines;
    }
}
