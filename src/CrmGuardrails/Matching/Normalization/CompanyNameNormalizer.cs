using System.Globalization;
using System.Text;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>A company name reduced to the words that identify the company.</summary>
/// <remarks>
/// Words before a separator (" - ", "–", ":", "(", "|") name the organisation; words after it name a site or part of
/// it ("Henry Booth House - Taylor Day School"). Both are kept, so that sibling sites of one organisation stay apart;
/// a part that only names a region or department ("- EMEA", "(UK)", "- IT Dept") is dropped.
/// </remarks>
internal sealed class CompanyName
{
    public CompanyName(string[] tokens, int headCount, string compact, string headCompact, CompanyName? alternative = null, string[]? written = null, string formInitials = "")
    {
        FormInitials = formInitials;
        Tokens = tokens;
        Written = written;
        HeadCount = headCount;
        // Kept as flags: ranking asks them of every candidate, and reading the word array for them costs a cache miss.
        HasSite = headCount < tokens.Length;
        foreach (var word in written ?? tokens)
            HasInitial |= word.Length == 1;
        IsEmpty = tokens.Length == 0;
        Compact = compact;
        HeadCompact = headCompact;
        Alternative = alternative;
        Initials = InitialsOf(tokens, written ?? tokens, headCount);
        PairInitials = PairInitialsOf(tokens, headCount);
        AsAcronym = AcronymOf(tokens, headCount);
        CompactHash = TextHash.Of(compact);
        TokenCompactHash = written is null ? CompactHash : TextHash.OfConcatenated(tokens);
        Words = WordKeys(tokens, written ?? tokens);
        Expansion = SyllableAcronym.ExpansionIn(written ?? tokens, tokens);
        for (var i = 0; i < tokens.Length && i < 32; i++)
        {
            if (Scoring.TokenStatistics.IsStopWord(tokens[i]))
                Connectors |= 1 << i;
            if (Scoring.TokenStatistics.IsDescriptor(tokens[i]))
                Descriptors |= 1 << i;
        }
    }

    public static CompanyName Empty { get; } = new([], 0, string.Empty, string.Empty);

    /// <summary>Gets the identifying words: the organisation's, then the site's. Legal forms are gone and synonyms share one word.</summary>
    public string[] Tokens { get; }

    /// <summary>
    /// Gets the words as written, before synonyms and short forms were read as one ("finance" where <see cref="Tokens"/>
    /// has "financial"), or null when they are the same: typos are looked for in what people typed.
    /// </summary>
    public string[]? Written { get; }

    /// <summary>Gets word <paramref name="index"/> as written.</summary>
    public string WrittenAt(int index) => (Written ?? Tokens)[index];

    /// <summary>Gets how many of <see cref="Tokens"/> name the organisation (all of them when no site is named).</summary>
    public int HeadCount { get; }

    /// <summary>
    /// Gets the words as written (before synonyms are read as one) run together ("nguyenandcollins"), so "BetaMotors"
    /// meets "Beta Motors".
    /// </summary>
    public string Compact { get; }

    /// <summary>Gets the organisation's words as written run together (equal to <see cref="Compact"/> when no site is named).</summary>
    public string HeadCompact { get; }

    /// <summary>Gets <see cref="Tokens"/> run together: equal to <see cref="Compact"/> unless a word has a synonym.</summary>
    public string TokenCompact => string.Concat(Tokens);

    /// <summary>
    /// Gets the name's other reading, when it has one: spelled the other customary way (ü = ue, ø = oe, å = aa), or the
    /// name the company trades under ("Joe's Pizza" of "Smith Holdings LLC dba Joe's Pizza").
    /// </summary>
    public CompanyName? Alternative { get; }

    /// <summary>Gets a value indicating whether the name names a site or part after the organisation.</summary>
    public bool HasSite { get; }

    /// <summary>Gets a value indicating whether a word of the name is one letter, as typed (an initial: "J. Smith").</summary>
    public bool HasInitial { get; }

    /// <summary>
    /// Gets a value indicating whether the name is written mostly in a script other than Latin ("桜精密株式会社",
    /// "Αθηνά Ναυτιλιακή"): read through a transliteration, it can miss the same company's name in English.
    /// </summary>
    public bool OtherScript { get; private set; }

    /// <summary>
    /// Gets a value indicating whether the name is written in Chinese or Japanese ideographs, read a syllable a word: one
    /// syllable sounds like many words of other names.
    /// </summary>
    public bool Ideographic { get; private set; }

    /// <summary>This name, marked as written in another script than Latin; for a name just made, never a shared one.</summary>
    /// <param name="ideographic">Whether the script is Chinese or Japanese ideographs.</param>
    internal CompanyName InOtherScript(bool ideographic)
    {
        OtherScript = true;
        Ideographic = ideographic;
        return this;
    }

    /// <summary>Gets the identifying words, space separated ("nguyen and collins"); built on demand to save memory at scale.</summary>
    public string Core => string.Join(" ", Tokens);

    /// <summary>Gets the hash of <see cref="Compact"/>.</summary>
    public int CompactHash { get; }

    /// <summary>Gets the hash of <see cref="TokenCompact"/>, the words as read run together.</summary>
    public int TokenCompactHash { get; }

    /// <summary>Gets, for each word, its hash and letters (and its information once <see cref="Scored"/> was asked).</summary>
    public NameWord[] Words { get; }

    private Scoring.TokenStatistics? _scoredBy;

    private static NameWord[] WordKeys(string[] tokens, string[] written)
    {
        var words = new NameWord[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            var letters = 0;
            foreach (var ch in written[i])
                letters |= ch is >= 'a' and <= 'z' ? 1 << (ch - 'a') : ch is >= '0' and <= '9' ? 1 << 26 : 1 << 27;
            words[i] = new NameWord(TextHash.Of64(tokens[i]), letters, written[i]);
        }

        return words;
    }

    /// <summary>
    /// Gets the words with their information under some word statistics. A name is scored under the statistics of the
    /// engine that made it; those are kept in <see cref="Words"/> (one array to read per comparison, not three), any
    /// other statistics get a copy.
    /// </summary>
    public NameWord[] Scored(Scoring.TokenStatistics statistics)
    {
        if (ReferenceEquals(Volatile.Read(ref _scoredBy), statistics))
            return Words;
        lock (Words)
        {
            if (_scoredBy is null)
            {
                Fill(Words, statistics);
                Volatile.Write(ref _scoredBy, statistics);
                return Words;
            }

            if (ReferenceEquals(_scoredBy, statistics))
                return Words;
        }

        var copy = (NameWord[])Words.Clone();
        Fill(copy, statistics);
        return copy;
    }

    private void Fill(NameWord[] words, Scoring.TokenStatistics statistics)
    {
        for (var i = 0; i < words.Length; i++)
            words[i].Bits = statistics.Bits(Tokens[i]);
    }

    public bool IsEmpty { get; }

    /// <summary>Gets the initials of the organisation's words ("rub" for "Rapid Urban Builders"), or empty for fewer than three words.</summary>
    public string Initials { get; }

    /// <summary>
    /// Gets the initials with those of the legal form after the name ("bbc" for "British Broadcasting Corporation",
    /// "gec" for "General Electric Company"), or empty: people make acronyms of the registered name.
    /// </summary>
    public string FormInitials { get; }

    /// <summary>Gets the name as it may be an acronym: one word of two to six letters ("rub"), else empty.</summary>
    public string AsAcronym { get; }

    /// <summary>
    /// Gets the initials of a name of two names joined by "and" ("pg" for "Procter &amp; Gamble", known as "P&amp;G"), or
    /// empty. Many pairs share two initials: they are looked up only when the whole name finds nothing.
    /// </summary>
    public string PairInitials { get; }

    /// <summary>Gets which of the first 32 words are connectors ("and", "of"), as bits.</summary>
    public int Connectors { get; }

    /// <summary>Gets which of the first 32 words are descriptors ("group", "worldwide"), as bits.</summary>
    public int Descriptors { get; }

    /// <summary>
    /// Gets the words a syllable acronym of the same name stands for ("Hoteles y Turismo del Caribe" of "… HOTUCARIBE"), as
    /// <see cref="SyllableAcronym.ExpansionIn"/> packs them; 0 when the name has none.
    /// </summary>
    public int Expansion { get; }

    /// <summary>
    /// Tells whether word <paramref name="index"/> is a syllable acronym of this name or a word it stands for, and the other
    /// side of it was matched: one name, written twice.
    /// </summary>
    public bool IsWrittenTwiceAt(int index, ReadOnlySpan<bool> used)
    {
        if (Expansion == 0 || index >= SyllableAcronym.IndexShift)
            return false;
        var acronym = SyllableAcronym.AcronymIndex(Expansion);
        if ((Expansion & (1 << index)) != 0)
            return used[acronym];
        if (index != acronym)
            return false;
        for (var i = 0; i < SyllableAcronym.IndexShift && i < used.Length; i++)
        {
            if ((Expansion & (1 << i)) != 0 && !used[i] && !IsConnectorAt(i))
                return false;
        }

        return true;
    }

    /// <summary>Tells whether word <paramref name="index"/> says how big or organised the company is, not which company.</summary>
    public bool IsDescriptorAt(int index) => index < 32 && (Descriptors & (1 << index)) != 0;

    /// <summary>Tells whether word <paramref name="index"/> is a connector that never identifies a company.</summary>
    public bool IsConnectorAt(int index) => index < 32 ? (Connectors & (1 << index)) != 0 : Scoring.TokenStatistics.IsStopWord(Tokens[index]);

    /// <summary>
    /// The name read as initials: one short word of letters ("RUB"), or single letters joined by an ampersand as people
    /// write initials of two names ("P&amp;G", "J&amp;J"); else empty.
    /// </summary>
    private static string AcronymOf(string[] tokens, int headCount)
    {
        if (headCount == 1)
            return tokens[0].Length is >= 2 and <= 6 && IsLetters(tokens[0]) ? tokens[0] : string.Empty;
        return IsPairOfNames(tokens, headCount) && tokens[0].Length == 1 && tokens[2].Length == 1 && IsLetters(tokens[0]) && IsLetters(tokens[2])
            ? tokens[0] + tokens[2]
            : string.Empty;
    }

    /// <summary>Tells whether the organisation's name is two words joined by "and" ("Procter &amp; Gamble").</summary>
    private static bool IsPairOfNames(string[] tokens, int headCount) => headCount == 3 && tokens[1] == "and" && !IsConnector(tokens[0]) && !IsConnector(tokens[2]);

    /// <summary>The initials of two names joined by "and" ("pg" for "Procter &amp; Gamble", known as "P&amp;G"), or empty.</summary>
    private static string PairInitialsOf(string[] tokens, int headCount) =>
        IsPairOfNames(tokens, headCount) && tokens[0].Length > 1 && tokens[2].Length > 1 ? new string([tokens[0][0], tokens[2][0]]) : string.Empty;

    /// <summary>The initials of the organisation's words as typed ("ENIT" of "École Nationale d'Ingénieurs de Tunis", not of the words it is read as), connectors aside.</summary>
    private static string InitialsOf(string[] tokens, string[] written, int headCount)
    {
        var count = 0;
        for (var i = 0; i < headCount; i++)
        {
            if (!IsInitialsConnector(tokens, i))
                count++;
        }

        if (count < 3 || count > 8)
            return string.Empty;
        var initials = new char[count];
        var n = 0;
        for (var i = 0; i < headCount; i++)
        {
            if (!IsInitialsConnector(tokens, i))
                initials[n++] = written[i][0];
        }

        return new string(initials);
    }

    /// <summary>
    /// Tells whether initials skip word <paramref name="i"/>: a connector, or a Romance one inside the name ("IMSS" of
    /// "Instituto Mexicano del Seguro Social"; a name may start with "Di" or "Da").
    /// </summary>
    private static bool IsInitialsConnector(string[] tokens, int i) =>
        IsConnector(tokens[i]) || (i > 0 && tokens[i] is "del" or "della" or "delle" or "dei" or "degli" or "di" or "do" or "da" or "dos" or "das");

    internal static bool IsConnector(string token) =>
        token is "and" or "of" or "the" or "de" or "du" or "des" or "la" or "le" or "for" or "in" or "at" or "on" or "by" or "a" or "an" or "van" or "von" or "der" or "den" or "het" ||
        Array.IndexOf(ElidedArticles.Words, token) >= 0;

    private static bool IsLetters(string token)
    {
        foreach (var ch in token)
        {
            if (ch is < 'a' or > 'z')
                return false;
        }

        return true;
    }
}

/// <summary>
/// A word of a name as scoring reads it: its hash, which letters a to z it has (bit 0 = a), its first letter and length
/// as written, and its information in bits.
/// </summary>
/// <remarks>
/// Words are compared by their 64-bit hashes alone (no text is read); two words one typo apart differ in at most two
/// letters. First letter and length sit in what would be padding: most comparisons of the other record's words are
/// answered by them, without reading its strings (a cache miss each).
/// </remarks>
internal struct NameWord(long hash, int letters, string written)
{
    /// <summary>The bit of <see cref="Letters"/> that says the word has a digit.</summary>
    public const int DigitBit = 1 << 26;

    public readonly long Hash = hash;
    public readonly int Letters = letters;

    /// <summary>The first letter as written ('\0' for none).</summary>
    public readonly char First = written.Length > 0 ? written[0] : '\0';

    /// <summary>The length as written (at most 65,535).</summary>
    public readonly ushort Length = (ushort)Math.Min(written.Length, ushort.MaxValue);

    public double Bits;
}

/// <summary>
/// Normalises company names: transliteration and folding (<see cref="MatchText"/>), "The", legal forms of every
/// country (cleanco and rigour terms, from the end, repeatedly, as in "GmbH &amp; Co. KG"), prefix forms ("PT", "OOO",
/// "АО"), region and department qualifiers ("- EMEA", "(UK)"), and words that mean the same ("Intl" = "International",
/// "Ctr" = "Centre", "und" = "&amp;") read as one.
/// </summary>
internal static class CompanyNameNormalizer
{
    private const int MaxFormWords = 6;

    private static readonly Lazy<HashSet<string>> FormSet = new(BuildForms);
    private static readonly Lazy<HashSet<string>> FormLastWords = new(() => new HashSet<string>(FormSet.Value.Select(f => f.Substring(f.LastIndexOf(' ') + 1)), StringComparer.Ordinal));
    private static readonly Lazy<Dictionary<string, string>> Synonyms = new(BuildSynonyms);

    /// <summary>
    /// Trade words of several syllables as names read from ideographs or Vietnamese write them ("dian zi", "dien tu"):
    /// the syllables run together (an alias in <see cref="Synonyms"/>), and the second syllables each first one begins.
    /// </summary>
    private static readonly Lazy<(HashSet<string> Runs, Dictionary<string, HashSet<string>> Seconds, int Longest)> SyllableWords =
        new(BuildSyllableWords);

    /// <summary>The Hangul trade words ("전자", "산업") that Korean names run onto the name before them ("태온전자").</summary>
    private static readonly Lazy<string[]> HangulTradeWords = new(() => ReferenceData.OrgSynonyms
        .Select(line => line.Split('\t')[0])
        .Where(alias => alias.Length >= 2 && alias.All(c => Hangul.IsSyllable(c)))
        .OrderByDescending(alias => alias.Length)
        .ToArray());
    private static readonly Lazy<HashSet<string>> SynonymWords = new(() => new HashSet<string>(Synonyms.Value.Keys.Concat(Synonyms.Value.Values), StringComparer.Ordinal));
    private static readonly Lazy<FormSpellings> FormTypos = new(BuildFormTypos);

    /// <summary>Legal forms written before the name in some countries; only these are stripped at the start.</summary>
    private static readonly HashSet<string> PrefixForms = new(StringComparer.Ordinal)
    {
        "pt", "ooo", "oao", "zao", "pao", "ao", "tov", "cv", "pt tbk", "tzov", "chp", "ets", "etablissements", "ctcp", "tnhh",

        // Arabic شركة and مؤسسة, Persian شرکت, Thai บริษัท and Georgian შპს as their letters read: "company" before the name.
        "shrkh", "shrkt", "mussh", "brisath", "shps",

        // (주) and ㈜: Korean "company" written before the name; 주식회사 and 유한회사 written out, as their letters read
        // ("jusighoesa") and as romanised ("jusikhoesa", McCune-Reischauer "chusikhoesa").
        "ju", "jusighoesa", "jusikhoesa", "jushikhoesa", "chusikhoesa", "yuhanhoesa",
    };

    /// <summary>
    /// Legal forms of several words written out before the name, as Russian and Ukrainian official names do
    /// ("Общество с ограниченной ответственностью «Вектор»" is ООО «Вектор»), as their letters read.
    /// </summary>
    private static readonly string[][] PrefixPhrases =
    [
        ["obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"], ["obshchestvo", "s", "ogranichennoi", "otvetstvennostiu"],
        ["obshchestvo", "s", "dopolnitelnoy", "otvetstvennostyu"], ["publichnoe", "aktsionernoe", "obshchestvo"],
        ["nepublichnoe", "aktsionernoe", "obshchestvo"], ["zakrytoe", "aktsionernoe", "obshchestvo"],
        ["otkrytoe", "aktsionernoe", "obshchestvo"], ["aktsionernoe", "obshchestvo"],
        ["tovaristvo", "z", "obmezhenoyu", "vidpovidalnistyu"], ["tovarystvo", "z", "obmezhenoiu", "vidpovidalnistiu"],
        ["privatne", "aktsionerne", "tovaristvo"], ["publichne", "aktsionerne", "tovaristvo"], ["aktsionerne", "tovaristvo"],

        // Vietnam's Công ty TNHH (limited), TNHH MTV (of one member) and Cổ phần (joint stock), written before the name.
        ["cong", "ty", "tnhh", "mot", "thanh", "vien"], ["cong", "ty", "trach", "nhiem", "huu", "han"], ["cong", "ty", "tnhh", "mtv"],
        ["cong", "ty", "co", "phan"], ["cong", "ty", "tnhh"], ["cong", "ty", "cp"], ["cty", "tnhh", "mtv"], ["cty", "tnhh"],
        ["cty", "co", "phan"], ["cty", "cp"], ["cong", "ty"],

        // Japan's forms written out before the name, read from their ideographs (株式会社, 有限会社, 合同会社, 合資会社, 合名会社).
        ["zhu", "shi", "hui", "she"], ["you", "xian", "hui", "she"], ["he", "tong", "hui", "she"], ["he", "zi", "hui", "she"],
        ["he", "ming", "hui", "she"],
    ];

    /// <summary>Region and division words that follow a company name without changing the company.</summary>
    private static readonly HashSet<string> DivisionWords = new(StringComparer.Ordinal)
    {
        "emea", "apac", "latam", "uk", "usa", "us", "europe", "asia", "americas", "america", "north", "south", "east",
        "west", "central", "nordics", "dach", "benelux", "anz", "division", "branch", "office", "hq", "headquarters",
    };

    /// <summary>
    /// Words that, after a separator, name a region, country or department of the company rather than a site of its
    /// own ("Contoso - Procurement", "Fabrikam (Deutschland)"): such a qualifier is dropped.
    /// </summary>
    private static readonly HashSet<string> QualifierWords = new(StringComparer.Ordinal)
    {
        "emea", "apac", "latam", "mena", "uk", "usa", "us", "eu", "europe", "european", "asia", "pacific", "americas",
        "america", "north", "south", "east", "west", "central", "northern", "southern", "eastern", "western", "nordics",
        "nordic", "dach", "benelux", "anz", "global", "international", "intl", "worldwide", "division", "branch", "office",
        "hq", "headquarters", "corporate", "head", "main", "procurement", "purchasing", "it", "dept", "department",
        "finance", "accounts", "payable", "receivable", "hr", "sales", "marketing", "legal", "operations", "admin",
        "administration", "support", "billing", "team", "unit", "group", "and", "of", "the", "germany", "deutschland",
        "france", "spain", "espana", "italy", "italia", "netherlands", "nederland", "belgium", "switzerland", "schweiz",
        "suisse", "austria", "osterreich", "sweden", "sverige", "norway", "norge", "denmark", "danmark", "finland",
        "suomi", "poland", "polska", "ireland", "canada", "mexico", "brazil", "brasil", "argentina", "chile", "india",
        "china", "japan", "korea", "singapore", "hong", "kong", "australia", "zealand", "new", "africa", "middle",
        "kingdom", "united", "states", "gb", "de", "fr", "es", "it", "nl", "ca", "au", "jp", "in", "cn",
    };

    /// <summary>Short forms and spellings people use for common words of organisation names (beyond the rigour lists).</summary>
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["ctr"] = "centre", ["ctre"] = "centre", ["svcs"] = "services", ["svc"] = "services", ["srvcs"] = "services",
        ["comm"] = "community", ["cmty"] = "community", ["lrng"] = "learning", ["assn"] = "association",
        ["assoc"] = "association", ["hosp"] = "hospital", ["mgt"] = "management", ["tech"] = "technology",
        ["techs"] = "technology", ["technologies"] = "technology", ["sys"] = "systems", ["inst"] = "institute",
        ["acad"] = "academy", ["bldg"] = "building", ["constr"] = "construction", ["elec"] = "electric",
        ["engg"] = "engineering", ["hldgs"] = "holding", ["hldg"] = "holding", ["ins"] = "insurance",
        ["mktg"] = "marketing", ["props"] = "property", ["dist"] = "distribution", ["distr"] = "distribution",
        ["sch"] = "school", ["schl"] = "school", ["ctrs"] = "centre", ["centers"] = "centre", ["centres"] = "centre",
        ["mfrs"] = "manufacturing", ["mfr"] = "manufacturing", ["mfg"] = "manufacturing", ["natl"] = "national",
        ["univ"] = "university", ["dept"] = "department", ["dev"] = "development", ["intl"] = "international",
        ["mgmt"] = "management", ["grp"] = "group", ["ont"] = "ontario", ["fdn"] = "foundation", ["bros"] = "brothers", ["hlth"] = "health",
        ["med"] = "medical", ["pharm"] = "pharmaceuticals", ["pharma"] = "pharmaceuticals", ["phcy"] = "pharmacy",
        ["st"] = "saint", ["mt"] = "mount", ["ft"] = "fort", ["ste"] = "saint", ["sainte"] = "saint", ["vet"] = "veterinary",
        ["associates"] = "association", ["assocs"] = "association", ["flli"] = "fratelli", ["hnos"] = "hermanos",
        ["shree"] = "sri", ["shri"] = "sri", ["mohammed"] = "muhammad", ["mohammad"] = "muhammad", ["mohamed"] = "muhammad",
        ["muhammed"] = "muhammad", ["deli"] = "delicatessen", ["transp"] = "transport", ["transportes"] = "transport",
    };

    private static readonly char[] SiteSeparators = ['|', '(', '\u2013', '\u2014', '\uFF08'];
    private static readonly string[] SpacedSeparators = [" - ", ": ", " / "];

    /// <summary>
    /// What people type where a form demands a company and there is none ("Individual", "Self-employed", "N/A",
    /// "[not provided]", "Test"), run together: such a name names no company, and never matches one called
    /// "Individual Solutions" or another lead that typed the same.
    /// </summary>
    private static readonly HashSet<string> Placeholders = new(StringComparer.Ordinal)
    {
        "individual", "privateindividual", "self", "selfemployed", "myself", "me", "private", "privateperson", "person",
        "personal", "none", "nocompany", "notprovided", "notapplicable", "na", "nil", "null", "unknown", "test",
        "testing", "home", "homeowner", "student", "retired", "freelance", "freelancer", "consumer", "tbd", "tba", "xxx",
        "x", "xx", "unemployed", "soletrader",
    };

    /// <summary>
    /// Marks on retired records, read at either end of a name (case aside), longest first; the flag says whether a
    /// space alone sets the mark apart (words no company is named after) or only punctuation does; words that begin
    /// names ("Old-Time Pottery") are marks only at the end, in brackets or after a dash ("Torrance Valve Co (OLD)").
    /// Not "(Closed)", which ends the Gulf's closed shareholding companies' forms ("K.S.C. (Closed)").
    /// </summary>
    private static readonly (string Mark, bool Spaced, bool EndOnly)[] AdminMarks =
    [
        ("do not use", true, false), ("dont use", true, false), ("don't use", true, false), ("not in use", true, false),
        ("duplicate", true, false), ("inactive", true, false), ("archived", true, false), ("obsolete", true, false),
        ("deleted", false, false), ("delete", false, false), ("zzzz", true, false), ("zzz", true, false), ("dnu", false, false),
        ("dup", false, false), ("xxx", false, false), ("zz", false, false), ("nicht verwenden", true, false),
        ("ne pas utiliser", true, false), ("no usar", true, false), ("old account", true, true), ("out of business", true, true),
        ("old", false, true), ("defunct", false, true), ("ancien compte", true, true),
    ];

    /// <summary>Generic suffixes a company's address is read under; other generic suffixes are often English words.</summary>
    private static readonly string[] WebSuffixes = ["com", "net", "org", "io", "biz", "info", "ai", "app", "dev"];

    /// <summary>Where the first word of a name ends.</summary>
    private static readonly char[] WordEnds = [' ', ',', ';', ')'];

    /// <summary>Words of a legal form, or the office a name ends with, that people keep in an acronym of the name ("WCSO").</summary>
    private static readonly HashSet<string> AcronymForms = new(StringComparer.Ordinal) { "corporation", "company", "corp", "co", "limited", "office" };

    /// <summary>Words between a legal name and the name the company trades or traded under, longest first.</summary>
    private static readonly string[] TradeNameMarkers =
    [
        "doing business as", "formerly known as", "trading as", "now known as", "now part of", "d/b/a", "d.b.a", "a/k/a",
        "a.k.a", "f/k/a", "f.k.a", "n/k/a", "formerly", "dba", "t/a", "aka", "fka", "nka",

        // A trustee company and the trust it acts for, as Australian records name them ("Smith Pty Ltd ATF Smith Family Trust").
        "as trustee for", "as trustee of", "atf", "itf",
    ];

    /// <summary>How the Australian Business Register names a trust: "The Trustee for THE SMITH FAMILY TRUST".</summary>
    private static readonly string[] TrusteePrefixes = ["the trustee for ", "trustee for ", "the trustees for "];

    /// <summary>Gets the folded legal-form phrases.</summary>
    internal static HashSet<string> LegalForms => FormSet.Value;

    /// <summary>
    /// Tells whether an account's name bears a mark admins put on records they retire ("Acme Corp (OLD)", "[DUPLICATE]
    /// Acme", "Acme - use 0012345"): the company's live record, where there is one, is the one to name.
    /// </summary>
    /// <param name="raw">The name as stored.</param>
    public static bool IsRetired(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return false;
        WithoutAdminMarks(MatchText.Sanitize(raw!), out var marked);
        return marked;
    }

    public static CompanyName Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return CompanyName.Empty;
        var text = WithoutTaxId(WithoutWebSuffixes(WithoutAddressee(WithoutTrusteePrefix(WithoutAdminMarks(WithoutChinesePlace(WithJapaneseFormsWritten(ThaiWords.NameApart(MatchText.Sanitize(raw!)))))))));
        if (SplitTradeName(text) is ({ } legal, { } trade))
            return WithTradeName(Normalize(legal), Normalize(trade));
        var name = Normalize(text, alternative: false);
        if (Placeholders.Contains(name.Compact))
            return CompanyName.Empty;
        if (MatchText.FoldAlternative(text) is not null)
        {
            var alternative = Normalize(text, alternative: true);
            if (alternative.Compact != name.Compact)
                name = new CompanyName(name.Tokens, name.HeadCount, name.Compact, name.HeadCompact, alternative, name.Written, name.FormInitials);
        }

        return !name.IsEmpty && !ReferenceEquals(name, CompanyName.Empty) && MatchText.IsMostlyOtherScript(text) ? name.InOtherScript(HasIdeograph(text)) : name;
    }

    /// <summary>
    /// Japanese legal forms as written out: "(株)" and "㈱" for 株式会社, "(有)" and "㈲" for 有限会社, "(合)" for 合同会社.
    /// One ideograph alone reads as a syllable of a name ("zhu"); written out, the form is known before or after it.
    /// </summary>
    private static string WithJapaneseFormsWritten(string text)
    {
        if (text.IndexOfAny(JapaneseFormMarks) < 0)
            return text;
        var written = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var bracketed = i + 2 < text.Length && text[i] is '(' or '（' && text[i + 2] is ')' or '）';
            var mark = bracketed ? text[i + 1] : text[i];
            var form = mark switch
            {
                '㈱' => "株式会社",
                '㈲' => "有限会社",
                '株' when bracketed => "株式会社",
                '有' when bracketed => "有限会社",
                '合' when bracketed => "合同会社",
                _ => null,
            };
            if (form is null)
            {
                written.Append(text[i]);
                continue;
            }

            written.Append(' ').Append(form).Append(' ');
            i += bracketed ? 2 : 0;
        }

        return written.ToString().Trim();
    }

    private static readonly char[] JapaneseFormMarks = ['㈱', '㈲', '株', '有', '合'];

    /// <summary>
    /// A Chinese name without the province, city, district or town its registered name starts with ("深圳市沛禾电子有限公司",
    /// "乐清市柳市镇德欣电器厂"): where the company is registered, not which company, and often left out or written in
    /// English beside the city. Not of Japanese names (kana), whose 市 begins a city's own bodies.
    /// </summary>
    private static string WithoutChinesePlace(string text)
    {
        var start = 0;
        while (true)
        {
            var marker = -1;
            for (var i = start + 2; i <= start + 3 && i < text.Length; i++)
            {
                if (text[i] is '省' or '市' or '区' or '區' or '县' or '縣' or '镇' or '鎮' && IsIdeographs(text, start, i))
                {
                    marker = i;
                    break;
                }
            }

            // What is left must be a name of two ideographs or more, and the name no Japanese.
            if (marker < 0 || !IsIdeographs(text, marker + 1, Math.Min(text.Length, marker + 3)) || text.Length < marker + 3 || HasKana(text))
                return start == 0 ? text : text.Substring(start);
            start = marker + 1;
        }

        static bool IsIdeographs(string text, int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                if (text[i] is < '\u4E00' or > '\u9FFF')
                    return false;
            }

            return to > from;
        }

        static bool HasKana(string text)
        {
            foreach (var ch in text)
            {
                if (IsKana(ch))
                    return true;
            }

            return false;
        }
    }

    /// <summary>The trust's name without "The Trustee for" before it.</summary>
    private static string WithoutTrusteePrefix(string text)
    {
        foreach (var prefix in TrusteePrefixes)
        {
            if (text.Length > prefix.Length + 1 && text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return text.Substring(prefix.Length).TrimStart();
        }

        return text;
    }

    /// <summary>
    /// Splits "Smith Holdings LLC dba Joe's Pizza" (also "d/b/a", "t/a", "trading as", "aka", "fka", "formerly", in
    /// parentheses or after a comma) into the legal name and the name the company trades or traded under; null parts
    /// when the name has no such marker.
    /// </summary>
    private static (string? Legal, string? Trade) SplitTradeName(string text)
    {
        // One pass over the words: the first that starts a marker (most names have none).
        var cut = -1;
        var length = 0;
        for (var at = 1; at < text.Length && cut < 0; at++)
        {
            if (text[at - 1] is not (' ' or '(' or ',' or ';') || (text[at] | 0x20) is not ('d' or 't' or 'a' or 'f' or 'n' or 'i'))
                continue;
            foreach (var marker in TradeNameMarkers)
            {
                var end = at + marker.Length;
                if (end < text.Length && text[end] is ' ' or ':' or '.' && string.Compare(text, at, marker, 0, marker.Length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    cut = at;
                    length = marker.Length;
                    break;
                }
            }
        }

        if (cut < 0)
            return (null, null);
        var legal = text.Substring(0, cut).TrimEnd(' ', '(', ',', ';', '-');
        var trade = text.Substring(cut + length).Trim(' ', ':', '.', ')', ',');
        return legal.Length == 0 || trade.Length == 0 ? (null, null) : (legal, trade);
    }

    /// <summary>Words that name a department, not a company, after a comma ("Acme Ltd, Procurement Dept").</summary>
    private static readonly HashSet<string> DepartmentWords = new(StringComparer.Ordinal)
    {
        "dept", "department", "departments", "dpt", "abt", "abteilung", "procurement", "purchasing", "payable", "receivable",
        "billing", "invoicing", "einkauf", "buchhaltung", "achats", "comptabilite", "compras", "contabilidad", "attn",
    };

    /// <summary>
    /// The organisation's name without whom or which department a record is addressed to: "Carraway Foods Inc Attn: Mark
    /// Ellis", "Solent Shipping Ltd, Procurement Dept", "Kirkwood University, Department of Chemistry"; "c/o" names the
    /// organisation when it comes first ("c/o Elmstead Properties Ltd") and an agent after it ("Cobalt Ridge Mining Corp
    /// c/o Fraser &amp; Lyle LLP").
    /// </summary>
    private static string WithoutAddressee(string text)
    {
        if (!MayNameAnAddressee(text))
            return text;

        // "M/s Sharma Textiles", "Messrs. Sharma Textiles": the firm of.
        foreach (var prefix in FirmPrefixes)
        {
            if (text.Length > prefix.Length + 1 && text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && text[prefix.Length] is ' ' or '.')
            {
                text = text.Substring(prefix.Length + 1).TrimStart(' ', '.');
                break;
            }
        }

        var careOf = text.IndexOf("c/o", StringComparison.OrdinalIgnoreCase);
        if (careOf >= 0 && (careOf == 0 || !char.IsLetterOrDigit(text[careOf - 1])) && (careOf + 3 == text.Length || !char.IsLetterOrDigit(text[careOf + 3])))
        {
            var rest = careOf == 0 ? text.Substring(3).Trim(' ', ':', ',', '.', '-') : text.Substring(0, careOf).TrimEnd(' ', ',', ';', '-', '(');
            if (rest.Length > 0)
                text = rest;
        }

        foreach (var marker in AttentionMarkers)
        {
            var at = text.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            var end = at + marker.Length;
            if (at > 0 && !char.IsLetterOrDigit(text[at - 1]) && (end == text.Length || text[end] is ' ' or ':' or '.'))
            {
                var rest = text.Substring(0, at).TrimEnd(' ', ',', ';', '-', '(', '/');
                if (rest.Length > 0)
                    text = rest;
            }
        }

        // An Italian partnership named with its partners after its form: "Pasticceria Di Marco S.n.c. di Di Marco Luigi & C.".
        var partners = text.IndexOf(" di ", StringComparison.OrdinalIgnoreCase);
        while (partners > 0)
        {
            var before = MatchText.Fold(text.Substring(0, partners));
            var lastSpace = before.LastIndexOf(' ');
            if ((lastSpace > 0 && PartnershipForms.Contains(before.Substring(lastSpace + 1))) || NamesPartners(text.Substring(partners + 4)))
            {
                text = text.Substring(0, partners);
                break;
            }

            partners = text.IndexOf(" di ", partners + 4, StringComparison.OrdinalIgnoreCase);
        }

        // A department after a comma: the comma's tail holds a department's word. A person after a comma: a known given
        // name and a family name ("Northern Dairy, David Singh"), as a rep types whom the lead is for.
        var comma = text.IndexOfAny([',', ';']);
        if (comma > 0 && comma < text.Length - 1)
        {
            var tail = MatchText.Tokens(MatchText.Fold(text.Substring(comma + 1)));
            foreach (var word in tail)
            {
                if (DepartmentWords.Contains(word))
                    return text.Substring(0, comma).TrimEnd();
            }

            if (tail.Length == 2 && PersonNameNormalizer.IsKnownGivenName(tail[0]) && tail[1].Length > 1 && IsPersonWritten(text.Substring(comma + 1)) && !FormSet.Value.Contains(tail[1]))
                return text.Substring(0, comma).TrimEnd();
        }

        return text;

        // Written as a person's name is: two words of letters, each capitalised ("David Singh", "DAVID SINGH").
        static bool IsPersonWritten(string part)
        {
            var words = part.Split([' '], StringSplitOptions.RemoveEmptyEntries);
            return words.Length == 2 && words.All(w => char.IsUpper(w[0]) && w.All(char.IsLetter));
        }
    }

    /// <summary>
    /// Tells, in one pass without a copy, whether a name may hold what <see cref="WithoutAddressee"/> removes: a slash
    /// ("c/o", "M/s"), a comma or semicolon, "att…" ("Attn", "Attention"), ".hd"/" hd" ("z. Hd."), " di ", " inh" ("Inh.",
    /// "Inhaber"), or a leading "M/" or "Me" ("Messrs").
    /// Most names hold none, and searching each marker case-insensitively was a tenth of reading a lead.
    /// </summary>
    private static bool MayNameAnAddressee(string text)
    {
        if (text.Length > 1 && (text[0] | 0x20) == 'm' && (text[1] == '/' || (text[1] | 0x20) == 'e'))
            return true;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch is '/' or ',' or ';')
                return true;
            if ((ch | 0x20) == 'a' && i + 2 < text.Length && (text[i + 1] | 0x20) == 't' && (text[i + 2] | 0x20) == 't')
                return true;
            if ((ch | 0x20) == 'h' && i > 0 && text[i - 1] is '.' or ' ' && i + 1 < text.Length && (text[i + 1] | 0x20) == 'd')
                return true;
            if ((ch | 0x20) == 'd' && i > 0 && text[i - 1] == ' ' && i + 2 < text.Length && (text[i + 1] | 0x20) == 'i' && text[i + 2] == ' ')
                return true;
            if ((ch | 0x20) == 'i' && i > 0 && text[i - 1] == ' ' && i + 2 < text.Length && (text[i + 1] | 0x20) == 'n' && (text[i + 2] | 0x20) == 'h')
                return true;
        }

        return false;
    }

    private static readonly string[] FirmPrefixes = ["m/s", "messrs"];

    private static readonly HashSet<string> PartnershipForms = new(StringComparer.Ordinal) { "snc", "sas", "sapa", "ss" };

    /// <summary>
    /// Tells whether what follows " di " names a partnership's partners, the partner and "&amp; C." (and company) with the form
    /// after them: "Ottica Ferraro di Ferraro Giuseppe &amp; C. s.a.s.".
    /// </summary>
    private static bool NamesPartners(string rest)
    {
        // The last " di " ("Pasticceria Di Marco … di Di Marco Luigi & C.": the partners follow the last).
        var and = rest.IndexOf("& C", StringComparison.OrdinalIgnoreCase);
        return and > 0 && (and + 3 == rest.Length || rest[and + 3] is '.' or ' ' or ',') && rest.IndexOf(" di ", StringComparison.OrdinalIgnoreCase) < 0;
    }

    /// <summary>Markers of the person a name is addressed to, or (German "Inh.", "Inhaber") who owns the firm: not its name.</summary>
    private static readonly string[] AttentionMarkers = ["attn", "attention:", "z. hd", "z.hd", "inh", "inhaber", "inhaberin", "vl.", "vlasnik", "vlasnica", "prop.", "proprietor"];

    /// <summary>
    /// The name without the marks admins put on records they retire: "DO NOT USE - Acme Corp", "Acme Corp (inactive)",
    /// "[DUPLICATE] Acme", "ZZ_Acme", "Acme Corp - DNU". The mark is not the company's name (nor its site).
    /// </summary>
    private static string WithoutAdminMarks(string text) => WithoutAdminMarks(text, out _);

    private static string WithoutAdminMarks(string text, out bool marked)
    {
        marked = false;
        // Marks begin with one of these letters and end with one of those (or punctuation around them): most names
        // are ruled out by two characters.
        var first = text.Length > 0 ? text[0] | 0x20 : 0;
        var last = text.Length > 0 ? text[text.Length - 1] | 0x20 : 0;
        if (first is not ('d' or 'n' or 'i' or 'a' or 'o' or 'z' or 'x' or 'c') && last is not ('e' or 'd' or 'p' or 'u' or 'z' or 'x' or 'n' or 't' or 's' or 'r') &&
            char.IsLetter(text[0]) && char.IsLetter(text[text.Length - 1]))
            return text;
        var start = 0;
        var end = text.Length;
        bool trimmed;
        do
        {
            trimmed = false;
            while (start < end && IsMarkPunctuation(text[start]))
                start++;
            while (end > start && IsMarkPunctuation(text[end - 1]))
                end--;
            if (PointerMarkAt(text, start, end) is var pointer and >= 0)
            {
                end = pointer;
                trimmed = true;
            }

            foreach (var (mark, spaced, endOnly) in AdminMarks)
            {
                if (!endOnly && end - start > mark.Length && (text[start] | 0x20) == mark[0] && string.Compare(text, start, mark, 0, mark.Length, StringComparison.OrdinalIgnoreCase) == 0 && SetApart(text, start + mark.Length, 1, spaced))
                {
                    start += mark.Length;
                    trimmed = true;
                }
                else if (end - start > mark.Length && (text[end - 1] | 0x20) == mark[mark.Length - 1] && string.Compare(text, end - mark.Length, mark, 0, mark.Length, StringComparison.OrdinalIgnoreCase) == 0 && SetApart(text, end - mark.Length - 1, -1, spaced) &&
                    (!endOnly || Bracketed(text, end - mark.Length - 1)))
                {
                    end -= mark.Length;
                    trimmed = true;
                }
            }
        }
        while (trimmed);

        marked = (start > 0 && text.Substring(0, start).Any(char.IsLetter)) || (end < text.Length && text.Substring(end).Any(char.IsLetterOrDigit));
        // Nothing but marks: the name is the mark itself ("Duplicate"), kept as written.
        return start == 0 && end == text.Length ? text : end > start ? text.Substring(start, end - start) : text;

        // Short marks ("ZZ", "DNU") only where punctuation sets them apart ("ZZ_", " - DNU"): "ZZ Top" is a name.
        static bool SetApart(string text, int from, int step, bool spaced)
        {
            if (text[from] != ' ')
                return IsMarkPunctuation(text[from]);
            if (spaced)
                return true;
            for (var i = from; i >= 0 && i < text.Length && IsMarkPunctuation(text[i]); i += step)
            {
                if (text[i] != ' ')
                    return true;
            }

            return false;
        }

        // A word that ends names ("Crystal Logistics: Old Town") is a mark only in brackets or after a dash: "(OLD)", "- OLD".
        static bool Bracketed(string text, int from)
        {
            for (var i = from; i >= 0 && IsMarkPunctuation(text[i]); i--)
            {
                if (text[i] is '(' or '[' or '-' or '\u2013' or '\u2014')
                    return true;
            }

            return false;
        }

        static bool IsMarkPunctuation(char ch) => ch is ' ' or '-' or '_' or ':' or '(' or ')' or '[' or ']' or '*' or '/' or '|' or '\u2013' or '\u2014';
    }

    /// <summary>
    /// Where a pointer to the record to use instead begins at the end of a name ("Acme - use 0012345", "Acme (see acct
    /// 0012345)", "Acme - voir compte 0007731"): a word that says so, then a number; -1 when there is none.
    /// </summary>
    private static int PointerMarkAt(string text, int start, int end)
    {
        var digits = end;
        while (digits > start && char.IsDigit(text[digits - 1]))
            digits--;
        if (end - digits < 3)
            return -1;
        var words = text.Substring(start, digits - start).TrimEnd(' ', '#', ':', '.');
        foreach (var pointer in PointerWords)
        {
            if (words.EndsWith(" " + pointer, StringComparison.OrdinalIgnoreCase) || words.EndsWith("(" + pointer, StringComparison.OrdinalIgnoreCase) ||
                words.EndsWith("-" + pointer, StringComparison.OrdinalIgnoreCase))
                return start + words.Length - pointer.Length - 1;
        }

        return -1;
    }

    /// <summary>Words that point at the record to use instead, before its number.</summary>
    private static readonly string[] PointerWords =
    [
        "use", "use acct", "use account", "see", "see acct", "see account", "voir", "voir compte", "siehe", "siehe konto", "usar", "ver cuenta",
    ];

    /// <summary>
    /// A word that is a web address is the name without its suffix: "Amazon.com, Inc." is Amazon, "acme.co.uk" is Acme
    /// (folding would otherwise run "amazoncom" together). Abbreviations with dots ("S.A.", "J.P.") are no addresses.
    /// </summary>
    private static string WithoutWebSuffixes(string text)
    {
        if (!HasInnerDot(text))
            return text;
        var words = text.Split(' ');
        var changed = false;
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i].TrimEnd(',', ';', ')', '.');
            if (WebHost(word) is not { } host)
                continue;
            words[i] = host.Substring(0, host.IndexOf('.')) + words[i].Substring(word.Length);
            changed = true;
        }

        return changed ? string.Join(" ", words) : text;
    }

    /// <summary>Words that name a company's tax or registration number, as clerks type it into the name field.</summary>
    private static readonly HashSet<string> TaxIdWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ruc", "rfc", "nit", "cnpj", "cpf", "rut", "rc", "cuit", "cuil", "gstin", "gst", "vat", "nif", "cif", "kvk", "abn", "acn", "crn",
        "tin", "ein", "siren", "siret", "uid", "ico", "ičo", "dic", "dič", "inn", "инн", "огрн", "edrpou", "єдрпоу", "krs", "nip", "regon",
        "iva", "p.iva", "piva", "ust-idnr", "ustidnr", "btw", "afm", "αφμ", "nipc", "charity", "chy", "cro",
    };

    /// <summary>Words before a registration word that belong to it ("Reg. Charity No.", "Registered Charity").</summary>
    private static readonly HashSet<string> RegisteredWords = new(StringComparer.OrdinalIgnoreCase) { "reg", "regd", "registered" };

    /// <summary>
    /// The name without a tax or registration number typed into it ("BIOANDINA SAC RUC 20512349871", "Emeka &amp; Sons Nig.
    /// Ltd RC 712345", "Acme S.A. NIT 900.123.456-7"): a number that says which company to a tax office, not to a rep,
    /// and hides the legal form it follows. Only a tax word followed by a number of five digits or more.
    /// </summary>
    private static string WithoutTaxId(string text)
    {
        if (text.IndexOfAny(Digits) < 0)
            return text;
        var words = text.Split(' ');
        for (var i = 1; i < words.Length - 1; i++)
        {
            if (!TaxIdWords.Contains(words[i].Trim(':', '.', '#', '(', ',')))
                continue;
            var end = i + 1;
            var digits = 0;
            while (end < words.Length && words[end].Length > 0 && (char.IsDigit(words[end][0]) || words[end].ToLowerInvariant() is "no" or "no." or "nº" or ":" or "#" || (digits == 0 && CountDigits(words[end]) >= 5)))
                digits += CountDigits(words[end++]);
            if (digits >= 5)
            {
                var start = i > 1 && RegisteredWords.Contains(words[i - 1].Trim(':', '.', '(', ',')) ? i - 1 : i;
                var opened = words[start].StartsWith("(", StringComparison.Ordinal) || (start < i && words[i].StartsWith("(", StringComparison.Ordinal));
                return string.Join(" ", words.Take(start).Concat(words.Skip(end))).TrimEnd(' ', ',', '-', '(') + (opened && !words[end - 1].EndsWith(")", StringComparison.Ordinal) ? ")" : string.Empty);
            }
        }

        // "Archer Project (1124463)": a number of six digits or more in brackets at the end is a registration's, not a
        // store's.
        var last = words[words.Length - 1].TrimEnd(')');
        if (words.Length > 1 && last.Length >= 7 && last[0] == '(' && CountDigits(last) == last.Length - 1)
            return string.Join(" ", words.Take(words.Length - 1));

        return text;

        static int CountDigits(string word)
        {
            var count = 0;
            foreach (var c in word)
                count += c is >= '0' and <= '9' ? 1 : 0;
            return count;
        }
    }

    /// <summary>Tells whether a dot stands between two letters or digits ("acme.com"), not only after a word ("Inc.").</summary>
    private static bool HasInnerDot(string text)
    {
        for (var i = text.IndexOf('.'); i > 0 && i < text.Length - 1; i = text.IndexOf('.', i + 1))
        {
            if (char.IsLetterOrDigit(text[i - 1]) && char.IsLetterOrDigit(text[i + 1]))
                return true;
        }

        return false;
    }

    /// <summary>
    /// The host of a name typed as its web address ("acme.com", "www.Acme.co.uk", "Amazon.com, Inc."): its first word,
    /// when that is a registrable domain under a country code or a common generic suffix; null otherwise. Words under
    /// suffixes that are also English words ("Brookside.Holdings") are read as words.
    /// </summary>
    public static string? WebAddress(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw!.IndexOf('.') < 0)
            return null;
        var text = raw.Trim();
        var end = text.IndexOfAny(WordEnds);
        return WebHost((end < 0 ? text : text.Substring(0, end)).TrimEnd('.'))?.ToLowerInvariant();
    }

    private static string? WebHost(string word)
    {
        var dot = word.IndexOf('.');
        if (dot <= 0 || dot == word.Length - 1)
            return null;
        foreach (var ch in word)
        {
            if (!(ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '.'))
                return null;
        }

        var suffix = word.Substring(word.LastIndexOf('.') + 1).ToLowerInvariant();
        if (!(suffix.Length == 2 && char.IsLetter(suffix[0]) && char.IsLetter(suffix[1])) && Array.IndexOf(WebSuffixes, suffix) < 0)
            return null;
        var host = word.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? word.Substring(4) : word;
        var domain = DomainNormalizer.RegistrableDomain(host);
        return domain.Length > 0 && domain.Length == host.Length ? host : null;
    }

    /// <summary>A legal name with the name it trades under as its other reading (each finds and matches the company).</summary>
    private static CompanyName WithTradeName(CompanyName legal, CompanyName trade)
    {
        if (legal.IsEmpty)
            return trade;
        if (trade.IsEmpty || trade.Compact == legal.Compact)
            return legal;
        return new CompanyName(legal.Tokens, legal.HeadCount, legal.Compact, legal.HeadCompact, trade, legal.Written, legal.FormInitials);
    }

    /// <summary>
    /// The company without the person's own name typed beside it, as reps and web forms put whom a lead is for into the
    /// company field: "Northwind Ltd - Hugo Tanaka", "Hugo Tanaka (Northwind)", "Northwind / H. Tanaka". Only across a
    /// separator ("John Smith &amp; Sons" stays whole), and only when letters of a firm's name remain; else the company as given.
    /// </summary>
    /// <param name="company">The company field.</param>
    /// <param name="firstName">The person's given name.</param>
    /// <param name="lastName">The person's family name.</param>
    public static string? WithoutOwnName(string? company, string? firstName, string? lastName)
    {
        var first = firstName?.Trim() ?? string.Empty;
        var last = lastName?.Trim() ?? string.Empty;
        if (string.IsNullOrWhiteSpace(company) || first.Length == 0 || last.Length < 2 || company!.IndexOf(last, StringComparison.OrdinalIgnoreCase) < 0)
            return company;
        var text = company;
        string[] forms = [first + " " + last, last + " " + first, last + ", " + first, first.Substring(0, 1) + ". " + last, first.Substring(0, 1) + " " + last];
        foreach (var form in forms)
        {
            for (var at = text.IndexOf(form, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(form, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                var end = at + form.Length;
                if ((at > 0 && char.IsLetterOrDigit(text[at - 1])) || (end < text.Length && char.IsLetterOrDigit(text[end])))
                    continue;
                var before = text.Substring(0, at).TrimEnd();
                var after = text.Substring(end).TrimStart();
                string? rest = null;
                if (after.Trim(PersonBrackets).Length == 0 && SeparatorAtEnd(before) is var marker and > 0)
                    rest = before.Substring(0, before.Length - marker);
                else if (before.Trim(PersonBrackets).Length == 0 && after.Length > 0 && OwnNameSeparators.IndexOf(after[0]) >= 0)
                    rest = after;
                rest = rest?.Trim(OwnNameTrim);
                if (rest is not null && rest.Count(char.IsLetter) >= 2)
                    return rest;
            }
        }

        return company;

        // The length of the separator or marker ("attn", "c/o") that ends the text, or 0.
        static int SeparatorAtEnd(string before)
        {
            foreach (var marker in OwnNameMarkers)
            {
                if (before.Length > marker.Length && before.EndsWith(marker, StringComparison.OrdinalIgnoreCase) && before[before.Length - marker.Length - 1] == ' ')
                    return marker.Length;
            }

            return before.Length > 0 && OwnNameSeparators.IndexOf(before[before.Length - 1]) >= 0 ? 1 : 0;
        }
    }

    private static readonly string[] OwnNameMarkers = ["attn:", "attn", "c/o"];
    private const string OwnNameSeparators = ",;:-–—/|(@";
    private static readonly char[] PersonBrackets = [' ', '(', ')', '[', ']'];
    private static readonly char[] OwnNameTrim = [' ', ',', ';', ':', '-', '–', '—', '/', '|', '(', ')', '[', ']', '@'];

    /// <summary>The part of a name before a site separator, as typed ("Henry Booth House" of "Henry Booth House - Taylor Day School").</summary>
    public static string OrganisationPart(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return string.Empty;
        return SplitSite(MatchText.Sanitize(raw!)).Head.Trim();
    }

    /// <summary>The organisation's words as typed, folded but not otherwise changed, for hosts that search names by text.</summary>
    public static string PlainHead(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return string.Empty;
        var text = MatchText.Sanitize(raw!);
        var (head, _) = SplitSite(text);
        var tokens = new List<string>(MatchText.Tokens(MatchText.Fold(head)));
        StripEdges(tokens);
        return string.Join(" ", tokens);
    }

    private static CompanyName Normalize(string text, bool alternative)
    {
        var (headText, siteText) = SplitSite(text);
        var head = Words(headText, alternative);
        var typedHead = head.Count > 1 && AcronymForms.Contains(head[head.Count - 1]) ? head.ToArray() : null;
        StripEdges(head);

        // "Meridian Property Fund I, L.P.": a last "I" after two words or more numbers the name, as "II" does.
        if (head.Count >= 3 && head[head.Count - 1] == "i")
            head[head.Count - 1] = "1";
        var site = siteText is null ? [] : Words(siteText, alternative);
        StripSite(site);

        // "RIKEN Center for Brain Science (CBS)", "Asociación Médica del Litoral Norte - AMLN": the initials are the
        // organisation's short name, written twice with its long one, not a site; so are initials before their words
        // ("LQN - Laboratorios Químicos del Norte").
        if (site.Count == 1 && SyllableAcronym.InitialsBefore(site[0], head, head, head.Count) >= 0)
        {
            head.Add(site[0]);
            site.Clear();
        }
        else if (head.Count == 1 && site.Count > 1 && SyllableAcronym.InitialsBefore(head[0], site, site, site.Count) == 0)
        {
            head.AddRange(site);
            site.Clear();
        }

        if (head.Count == 0)
        {
            head = site;
            site = [];
        }

        if (head.Count == 0)
        {
            // A name that is only a legal form ("The Company") keeps its words rather than vanish.
            head = Words(text, alternative);
        }

        WithoutLeadingZeros(head);
        WithoutLeadingZeros(site);
        var headCompact = Concat(head, null);
        var compact = site.Count == 0 ? headCompact : Concat(head, site);
        var tokens = new string[head.Count + site.Count];
        head.CopyTo(tokens);
        site.CopyTo(tokens, head.Count);
        string[]? written = null;
        Canonicalize(tokens, 0, head.Count, ref written);
        Canonicalize(tokens, head.Count, site.Count, ref written);
        return new CompanyName(tokens, head.Count, compact, headCompact, written: written, formInitials: FormInitialsOf(tokens, head.Count, typedHead));
    }

    /// <summary>
    /// The initials of the organisation's words and of the legal form that was cut from their end, when the form is one
    /// people keep in acronyms and the letters number three to eight; else empty.
    /// </summary>
    private static string FormInitialsOf(string[] tokens, int headCount, string[]? typedHead)
    {
        if (typedHead is null || headCount == 0 || typedHead.Length <= headCount || !AcronymForms.Contains(typedHead[typedHead.Length - 1]))
            return string.Empty;
        var letters = new StringBuilder(8);
        for (var i = 0; i < headCount; i++)
        {
            if (!CompanyName.IsConnector(tokens[i]))
                letters.Append(tokens[i][0]);
        }

        // The form words after the last word the name kept.
        var last = Array.LastIndexOf(typedHead, tokens[headCount - 1]);
        for (var i = Math.Max(last + 1, headCount); i < typedHead.Length; i++)
        {
            if (!CompanyName.IsConnector(typedHead[i]))
                letters.Append(typedHead[i][0]);
        }

        return letters.Length is >= 3 and <= 8 ? letters.ToString() : string.Empty;
    }

    private static List<string> Words(string text, bool alternative)
    {
        text = WithHangulTradeWordsApart(WithElisionsApart(WithDutchArticle(text)));
        return WithSyllableWordsJoined(WithoutCompanyCompounds(WithSpacedLettersJoined(WithNumbers(MatchText.AddTokens(alternative ? MatchText.FoldAlternative(text) ?? MatchText.Fold(text) : MatchText.Fold(text), new List<string>(8))))));
    }

    /// <summary>
    /// Letters typed apart ("S K F India", "J. R. Smith") are one word, as they are typed together ("SKF", "J.R."):
    /// people space out an acronym as often as they dot it.
    /// </summary>
    private static List<string> WithSpacedLettersJoined(List<string> words)
    {
        for (var i = 0; i + 1 < words.Count; i++)
        {
            var end = i;
            while (end < words.Count && words[end] is [>= 'a' and <= 'z'])
                end++;
            // Unless the letters end a legal form ("ذ م م", read "dh m m").
            if (end - i >= 2 && !(FormSet.Value.Contains(string.Join(" ", words.GetRange(i, end - i))) ||
                                  (i > 0 && FormSet.Value.Contains(string.Join(" ", words.GetRange(i - 1, end - i + 1))))))
            {
                words[i] = string.Concat(words.GetRange(i, end - i));
                words.RemoveRange(i + 1, end - i - 1);
            }
        }

        return words;
    }

    /// <summary>A trade word of several syllables run together ("dian zi" as "dianzi"), so that it reads as its group's word.</summary>
    private static List<string> WithSyllableWordsJoined(List<string> words)
    {
        var (runs, seconds, longest) = SyllableWords.Value;
        for (var i = 0; i < words.Count - 1; i++)
        {
            // The first two syllables rule out almost every word before a string is built.
            if (!seconds.TryGetValue(words[i], out var second) || !second.Contains(words[i + 1]))
                continue;
            for (var n = Math.Min(longest, words.Count - i); n >= 2; n--)
            {
                var run = string.Concat(words.GetRange(i, n));
                if (runs.Contains(run))
                {
                    words[i] = run;
                    words.RemoveRange(i + 1, n - 1);
                    break;
                }
            }
        }

        return words;
    }

    /// <summary>
    /// A Korean name with its trade word written onto it ("태온전자", Taeon Electronics) as two words, as the name is in
    /// English: the trade word then reads as its group's word, and the name's own part as itself.
    /// </summary>
    private static string WithHangulTradeWordsApart(string text)
    {
        var hangul = false;
        foreach (var ch in text)
            hangul |= Hangul.IsSyllable(ch);
        if (!hangul)
            return text;
        var written = new StringBuilder(text.Length + 4);
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && Hangul.IsSyllable(text[i]))
                continue;
            var word = text.Substring(start, i - start);
            var trade = HangulTradeWords.Value.FirstOrDefault(t => word.Length > t.Length && word.EndsWith(t, StringComparison.Ordinal));
            written.Append(trade is null ? word : word.Substring(0, word.Length - trade.Length) + " " + trade);
            if (i < text.Length)
                written.Append(text[i]);
            start = i + 1;
        }

        return written.ToString();
    }

    /// <summary>
    /// A Dutch or German trade word compounded with a word for "company" ("Transportbedrijf", "Bauunternehmen",
    /// "Reinigungsgesellschaft") read as the trade word, as "De Vries Transport" writes it: the company word says nothing.
    /// </summary>
    private static List<string> WithoutCompanyCompounds(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word.Length < MinCompoundLength)
                continue;
            foreach (var suffix in CompanySuffixes)
            {
                if (word.Length < suffix.Length + 3 || !word.EndsWith(suffix, StringComparison.Ordinal))
                    continue;
                var stem = word.Substring(0, word.Length - suffix.Length);
                if (!IsSynonymWord(stem) && stem.Length > 4 && stem[stem.Length - 1] == 's')
                    stem = stem.Substring(0, stem.Length - 1);
                if (IsSynonymWord(stem))
                    words[i] = stem;
                break;
            }
        }

        return words;
    }

    private static readonly string[] CompanySuffixes = ["bedrijf", "bedrijven", "onderneming", "unternehmen", "gesellschaft", "betrieb", "betriebe"];

    /// <summary>The shortest compound read so: the shortest company word and a trade word of three letters ("Baubetrieb").</summary>
    private const int MinCompoundLength = 10;

    /// <summary>The Dutch article "'t" written out, as it is as often: "Brouwerij 't Kuipertje" = "Brouwerij Het Kuipertje".</summary>
    private static string WithDutchArticle(string text)
    {
        for (var at = text.IndexOfAny(Apostrophes); at >= 0 && at + 1 < text.Length; at = text.IndexOfAny(Apostrophes, at + 1))
        {
            var end = at + 2;
            if ((at == 0 || text[at - 1] == ' ') && (text[at + 1] | 0x20) == 't' && (end == text.Length || text[end] == ' '))
                text = text.Substring(0, at) + "het" + text.Substring(end);
        }

        return text;
    }

    /// <summary>
    /// An elided article or preposition set apart from its word ("Chambre de Commerce et d'Industrie", "Istituto
    /// dell'Ambiente"): the word is "industrie", as in "… et Industrie", and its initial is the word's ("CCI"). The name
    /// run together is unchanged ("L'Oréal" = "LOreal").
    /// </summary>
    private static string WithElisionsApart(string text)
    {
        var at = text.IndexOfAny(Apostrophes);
        if (at < 0)
            return text;
        var chars = text.ToCharArray();
        for (; at >= 0 && at + 1 < text.Length; at = text.IndexOfAny(Apostrophes, at + 1))
        {
            var start = at;
            while (start > 0 && char.IsLetter(text[start - 1]))
                start--;
            if (char.IsLetter(text[at + 1]) && IsElided(text.AsSpan(start, at - start)))
                chars[at] = ' ';
        }

        return new string(chars);
    }

    private static bool IsElided(ReadOnlySpan<char> word)
    {
        foreach (var article in ElidedArticles.Words)
        {
            if (word.Equals(article.AsSpan(), StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }

    private static readonly char[] Apostrophes = ['\'', '\u2019', '`'];

    /// <summary>Numbers written as words, as digits: "Four Seasons" = "4 Seasons", "Route Sixty-Six" = "Route 66", "Twentieth" = "20th".</summary>
    private static readonly Dictionary<string, string> NumberWords = BuildNumberWords();

    private static Dictionary<string, string> BuildNumberWords()
    {
        string[] units = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
        string[] ordinals = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"];
        string[] tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
        string[] tenths = ["twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"];
        var words = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < units.Length; i++)
        {
            words[units[i]] = i.ToString(CultureInfo.InvariantCulture);
            words[ordinals[i]] = Ordinal(i);
        }

        for (var i = 0; i < tens.Length; i++)
        {
            words[tens[i]] = ((i + 2) * 10).ToString(CultureInfo.InvariantCulture);
            words[tenths[i]] = Ordinal((i + 2) * 10);
        }

        // Three to ten in Spanish, Portuguese, French, Italian and German ("Drogaria Três Marias" = "Drogaria 3 Marias",
        // "Quatre Saisons"), as folded. Not the words that are also articles, names or other words ("dos", "un", "due",
        // "sei", "otto", "sept", "dix").
        string[][] foreign =
        [
            ["tres", "trois", "drei", "tre"], ["cuatro", "quatro", "quatre", "quattro", "vier"], ["cinco", "cinq", "cinque", "funf", "fuenf"],
            ["seis", "sechs"], ["siete", "sete", "sette", "sieben"], ["ocho", "oito", "huit"], ["nueve", "nove", "neuf", "neun"],
            ["diez", "dez", "dieci", "zehn"],
        ];
        for (var i = 0; i < foreign.Length; i++)
        {
            foreach (var word in foreign[i])
                words[word] = (i + 3).ToString(CultureInfo.InvariantCulture);
        }

        // Roman numerals that number a fund, a trust or a vehicle ("Property Fund II LP" = "Property Fund 2"); not "i", "v",
        // "x", "l", "c", "d", "m", which are initials as often (a last "i" is read in Normalize).
        string[] roman = ["ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"];
        int[] values = [2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
        for (var i = 0; i < roman.Length; i++)
            words[roman[i]] = values[i].ToString(CultureInfo.InvariantCulture);
        return words;
    }

    private static string Ordinal(int n) => n.ToString(CultureInfo.InvariantCulture) + ((n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    private static List<string> WithNumbers(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            // "Harbourside Properties (No. 4)" = "Harbourside Properties 4": "No." only says a number follows.
            if (words[i] is "no" or "nr" or "nro" or "num" && i + 1 < words.Count && char.IsDigit(words[i + 1][0]))
            {
                words.RemoveAt(i--);
                continue;
            }

            if (!NumberWords.TryGetValue(words[i], out var number))
                continue;

            // "sixty six" is 66, "twenty first" 21st.
            if (number.Length == 2 && number[1] == '0' && i + 1 < words.Count && NumberWords.TryGetValue(words[i + 1], out var unit) && unit.Length <= 3 && unit[0] is >= '1' and <= '9' && (unit.Length == 1 || !char.IsDigit(unit[1])))
            {
                words[i] = number[0] + unit;
                words.RemoveAt(i + 1);
            }
            else
            {
                words[i] = number;
            }
        }

        return words;
    }

    /// <summary>Runs words together without an enumerator or a builder per name.</summary>
    private static string Concat(List<string> first, List<string>? second)
    {
        var length = 0;
        foreach (var word in first)
            length += word.Length;
        if (second is not null)
        {
            foreach (var word in second)
                length += word.Length;
        }

        if (first.Count == 1 && second is null)
            return first[0];
        var chars = length <= 256 ? stackalloc char[length] : new char[length];
        var at = 0;
        foreach (var word in first)
        {
            word.AsSpan().CopyTo(chars.Slice(at));
            at += word.Length;
        }

        if (second is not null)
        {
            foreach (var word in second)
            {
                word.AsSpan().CopyTo(chars.Slice(at));
                at += word.Length;
            }
        }

        return chars.ToString();
    }

    /// <summary>Splits "Organisation - Site", "Organisation (Site)", "Organisation: Site" at the first separator.</summary>
    private static (string Head, string? Site) SplitSite(string text)
    {
        var cut = text.IndexOfAny(SiteSeparators);
        foreach (var separator in SpacedSeparators)
        {
            var at = text.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && (cut < 0 || at < cut))
                cut = at;
        }

        // "Uppsala universitet, Institutionen för kemi", "Malmö stad, Miljöförvaltningen": a unit of the organisation
        // after a comma is its site, as after a dash.
        var comma = text.IndexOf(", ", StringComparison.Ordinal);
        if (comma > 0 && (cut <= 0 || comma < cut) && NamesUnit(text.Substring(comma + 2)))
            cut = comma;

        // "Sparkasse KölnBonn Filiale Bad Godesberg", "Optik Lindemann Niederlassung Kassel": a branch word names the site.
        var branch = BranchWord(text, out var branchEnd);
        if (branch > 0 && (cut <= 0 || branch < cut) && HasWord(text.Substring(0, branch)) && HasWord(text.Substring(branchEnd)))
            return (text.Substring(0, branch), text.Substring(branchEnd));

        // "Robert Bosch GmbH Plant Bamberg", "Acme Ltd Research Institute": the legal form ends the company's name, and a
        // plant or a unit after it is its site, as after a dash.
        // Only a unit or a plant: a city after the form is where the company is, as it is without one.
        var form = MidLegalForm(text, out var formEnd);
        if (form > 0 && (cut <= 0 || form < cut))
        {
            var after = text.Substring(formEnd);
            if (StartsWithBranchWord(after) is var named and > 0 && HasWord(after.Substring(named)))
                return (text.Substring(0, formEnd), after.Substring(named));
            if (NamesUnit(after))
                return (text.Substring(0, formEnd), after);
        }

        // A store number names the site: "Walgreens #1234", "CVS Pharmacy Store 4521" ("Walgreens - Store #1234" too).
        var marker = StoreNumber(text, out var number);
        if (marker > 0 && (cut <= 0 || marker < cut) && HasWord(text.Substring(0, marker)))
            return (text.Substring(0, marker), text.Substring(number));
        if (cut <= 0 && (cut = EastAsianSiteSpace(text)) <= 0)
            return (text, null);
        var head = text.Substring(0, cut);
        var site = text.Substring(cut + 1);
        if (StoreNumber(site, out var siteNumber) is var siteMarker and >= 0 && !HasWord(site.Substring(0, siteMarker)))
            site = site.Substring(siteNumber);
        else if (StartsWithBranchWord(site) is var named and > 0 && HasWord(site.Substring(named)))
        {
            // "Bioandina - Sede Trujillo": the site is Trujillo.
            site = site.Substring(named);
        }
        return HasWord(head) ? (head, site) : (site, null);
    }

    private static readonly char[] Digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

    private static bool HasIdeograph(string text)
    {
        foreach (var c in text)
        {
            if (IsIdeograph(c))
                return true;
        }

        return false;
    }

    /// <summary>Tells whether a character is a Chinese or Japanese ideograph (unified, extension A or compatibility).</summary>
    private static bool IsIdeograph(char c) => c is >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF';

    private static bool IsKana(char c) => c is >= '\u3040' and <= '\u30FF';

    /// <summary>Chinese and Japanese legal forms as written apart from the name ("株式会社 あけぼの配線").</summary>
    private static readonly HashSet<string> EastAsianForms = new(StringComparer.Ordinal)
    {
        "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "有限公司", "股份有限公司", "有限责任公司", "有限責任公司", "公司", "集团", "集團",
    };

    /// <summary>Korean words that end a site's name: a plant, a branch, a research centre, a campus ("온양사업장", "강릉분원").</summary>
    private static readonly string[] KoreanSiteEndings = ["사업장", "공장", "지점", "지사", "연구소", "분원", "캠퍼스", "영업소", "출장소"];

    /// <summary>
    /// Where a space separates an organisation from its site in a name of an East Asian script: Chinese and Japanese write
    /// no spaces between words, so one marks a part ("國立臺灣大學 電機工程學系", "株式会社ホクト 大阪支店"); Korean spaces its
    /// words, so only before a site's word ("성진전자㈜ 온양사업장"). -1 when there is none.
    /// </summary>
    private static int EastAsianSiteSpace(string text)
    {
        for (var i = 1; i < text.Length - 1; i++)
        {
            if (text[i] is not (' ' or '\u3000'))
                continue;
            if ((IsIdeograph(text[i - 1]) || IsKana(text[i - 1])) && (IsIdeograph(text[i + 1]) || IsKana(text[i + 1])) &&
                !IsForm(WordBefore(text, i)) && !IsForm(WordAfter(text, i)))
                return i;
            if (Hangul.IsSyllable(text[i + 1]) && (Hangul.IsSyllable(text[i - 1]) || text[i - 1] is ')' or '\u321C'))
            {
                var end = text.IndexOf(' ', i + 1);
                var word = end < 0 ? text.Substring(i + 1) : text.Substring(i + 1, end - i - 1);
                foreach (var ending in KoreanSiteEndings)
                {
                    if (word.Length > ending.Length && word.EndsWith(ending, StringComparison.Ordinal))
                        return i;
                }
            }
        }

        return -1;

        static string WordBefore(string text, int space)
        {
            var start = text.LastIndexOf(' ', space - 1) + 1;
            return text.Substring(start, space - start);
        }

        static string WordAfter(string text, int space)
        {
            var end = text.IndexOf(' ', space + 1);
            return end < 0 ? text.Substring(space + 1) : text.Substring(space + 1, end - space - 1);
        }

        static bool IsForm(string word) => EastAsianForms.Contains(word);

    }

    /// <summary>Words for a branch, between an organisation's name and its site's ("Filiale", "Succursale", "Cabang").</summary>
    private static readonly string[] BranchWords =
    [
        "filiale", "niederlassung", "zweigniederlassung", "zweigstelle", "succursale", "sucursal", "filial", "oddział",
        "oddzial", "cabang", "chi nhánh", "chi nhanh", "sede", "unidad", "unidade", "filiala", "pobočka",
        "pobocka", "fióktelep", "fioktelep", "філія", "филиал", "สาขา",
    ];

    /// <summary>
    /// Words that begin a site's part: branch words, and a plant's in the languages plants are named in ("Werk Bamberg",
    /// "Plant 3", "Planta Querétaro"). Only where the site part begins: inside a name, a plant is a plant ("Green Plant
    /// Nursery").
    /// </summary>
    private static readonly string[] SiteWords = [.. BranchWords, "werk", "plant", "planta", "usine", "stabilimento", "fabrik", "fabrica", "fábrica"];

    /// <summary>Finds a branch word after the first word, as a whole word: where it starts (and ends), or -1.</summary>
    private static int BranchWord(string text, out int end)
    {
        // One pass over the words' first letters: most names have no word that begins like a branch word.
        end = -1;
        for (var at = text.IndexOf(' ') + 1; at > 0 && at < text.Length; at = text.IndexOf(' ', at) + 1)
        {
            if (char.ToLowerInvariant(text[at]) is not ('f' or 'n' or 'z' or 's' or 'o' or 'c' or 'u' or 'a' or 'p' or 'ф' or 'ส'))
                continue;
            foreach (var word in BranchWords)
            {
                if (at + word.Length < text.Length && text[at + word.Length] is ' ' or ':' && string.Compare(text, at, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    end = at + word.Length + 1;
                    return at;
                }
            }
        }

        return -1;
    }

    /// <summary>Legal forms that cannot be a word of a name, so that words after them name a site.</summary>
    private static readonly HashSet<string> MidLegalForms = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmbh", "ltd", "ltd.", "llc", "l.l.c.", "inc", "inc.", "corp.", "kft", "kft.", "s.r.l.", "srl", "ltda", "ltda.", "plc", "pvt",
        "pvt.", "oyj", "s.a.s.", "b.v.", "n.v.", "s.p.a.", "sarl", "s.a.r.l.", "s.a.", "a.s.",
    };

    /// <summary>
    /// Finds a legal form after the first word with a word of the name's own after it ("Robert Bosch GmbH Plant
    /// Bamberg"): where it starts, and in <paramref name="end"/> where the words after it start; else -1. A form
    /// followed only by other forms ("GmbH &amp; Co. KG") is the name's end.
    /// </summary>
    private static int MidLegalForm(string text, out int end)
    {
        end = -1;
        for (var at = text.IndexOf(' ') + 1; at > 0 && at < text.Length; at = text.IndexOf(' ', at) + 1)
        {
            var next = text.IndexOf(' ', at);
            if (next < 0)
                return -1;
            // Forms are two to nine characters: most words are ruled out before a string is made.
            if (next - at is < 2 or > 9 || !MidLegalForms.Contains(text.Substring(at, next - at).TrimEnd(',')))
                continue;

            // The rest of a form of several words ("GmbH & Co. KG", "S.A. de C.V.") is the form's.
            while (next >= 0 && text.IndexOf(' ', next + 1) is var after &&
                   MatchText.Tokens(MatchText.Fold(after < 0 ? text.Substring(next + 1) : text.Substring(next + 1, after - next - 1))) is var words &&
                   Array.TrueForAll(words, word => FormSet.Value.Contains(word) || CompanyName.IsConnector(word)))
                next = after;
            if (next < 0)
                return -1;
            end = next + 1;
            return at;
        }

        return -1;
    }

    /// <summary>Words for a unit of an organisation: an institute, school, faculty, clinic or office ("Institutionen för kemi").</summary>
    private static readonly HashSet<string> OrganisationUnitWords = new(StringComparer.Ordinal)
    {
        "institute", "institut", "instituut", "instituto", "istituto", "institution", "institutionen", "institutt",
        "instituttet", "school", "faculty", "fakultet", "fakultat", "faculteit", "faculte", "facultad", "faculdade",
        "facolta", "division", "afdeling", "avdelning", "avdeling", "klinik", "clinic", "lehrstuhl", "laboratory",
        "laboratorium", "campus", "site", "branch", "kontor", "forvaltning", "etat",
    };

    /// <summary>Endings of Nordic compounds that name an office or agency ("gatukontoret", "Miljöförvaltningen", "Bymiljøetaten").</summary>
    private static readonly string[] UnitEndings = ["kontoret", "forvaltningen", "etaten", "avdelningen", "avdelingen", "afdelingen", "enheten"];

    /// <summary>Tells whether a part after a comma names a unit of an organisation by one of its words.</summary>
    private static bool NamesUnit(string tail)
    {
        foreach (var word in MatchText.Tokens(MatchText.Fold(tail)))
        {
            if (OrganisationUnitWords.Contains(word))
                return true;
            foreach (var ending in UnitEndings)
            {
                if (word.Length > ending.Length && word.EndsWith(ending, StringComparison.Ordinal))
                    return true;
            }
        }

        return false;
    }

    /// <summary>Where the words after a branch word that begins <paramref name="site"/> start, or -1.</summary>
    private static int StartsWithBranchWord(string site)
    {
        var start = 0;
        while (start < site.Length && !char.IsLetterOrDigit(site[start]))
            start++;
        foreach (var word in SiteWords)
        {
            if (start + word.Length < site.Length && site[start + word.Length] is ' ' or ':' &&
                string.Compare(site, start, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0)
                return start + word.Length + 1;
        }

        return -1;
    }

    /// <summary>Words that put a store's number after a chain's name ("Store 4521", "Location 12").</summary>
    private static readonly string[] StoreWords = ["store", "shop", "location", "branch"];

    /// <summary>
    /// Finds a store number: a store word and digits ("Store #12", "Location 7"), or "#" and digits. Returns where the
    /// marker starts (and in <paramref name="number"/> where its digits start), or -1.
    /// </summary>
    private static int StoreNumber(string text, out int number)
    {
        number = -1;
        if (text.IndexOfAny(Digits) < 0)
            return -1;
        foreach (var word in StoreWords)
        {
            for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                if (at > 0 && text[at - 1] != ' ')
                    continue;
                var digits = SkipSpaces(text, at + word.Length);
                if (digits < text.Length && text[digits] == '#')
                    digits = SkipSpaces(text, digits + 1);
                if (digits > at + word.Length && digits < text.Length && text[digits] is >= '0' and <= '9')
                {
                    number = digits;
                    return at;
                }
            }
        }

        for (var at = text.IndexOf('#'); at >= 0; at = text.IndexOf('#', at + 1))
        {
            var digits = SkipSpaces(text, at + 1);
            if (digits < text.Length && text[digits] is >= '0' and <= '9' && (at == 0 || text[at - 1] == ' '))
            {
                number = digits;
                return at;
            }
        }

        return -1;

        static int SkipSpaces(string text, int at)
        {
            while (at < text.Length && text[at] is ' ' or '.' or ':')
                at++;
            return at;
        }
    }

    /// <summary>Tells whether text has a letter or digit in any script (a part that is only punctuation names nothing).</summary>
    private static bool HasWord(string text)
    {
        foreach (var ch in text)
        {
            if (ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9')
                return true;
        }

        return MatchText.Fold(text).Length > 0;
    }

    /// <summary>Words that say a part is a department, in the languages of the unit words.</summary>
    private static readonly HashSet<string> DepartmentMarks = new(StringComparer.Ordinal)
    {
        "dept", "department", "afdeling", "abteilung", "avdelning", "avdeling", "departement", "departamento", "dipartimento", "wydzial",
    };

    /// <summary>Drops legal forms from a site part, and the whole part when it only names a region or department.</summary>
    private static void StripSite(List<string> site)
    {
        StripEdges(site);

        // "afdeling Onderwijs", "Abteilung Schulentwicklung", "Education Department": the department is the words, not the
        // word that says it is one.
        if (site.Count > 1 && DepartmentMarks.Contains(site[0]))
            site.RemoveAt(0);
        if (site.Count > 1 && DepartmentMarks.Contains(site[site.Count - 1]))
            site.RemoveAt(site.Count - 1);

        // "(UK)", "- IT Dept", or only a legal form of several words: "(سهامی خاص)", read "shmy khs".
        if (site.TrueForAll(word => QualifierWords.Contains(word) || FormSet.Value.Contains(word)) || FormSet.Value.Contains(string.Join(" ", site)))
            site.Clear();
    }


    /// <summary>A store's number with or without its leading zeros ("#0488", "#488", "Mart 0327") is one store's.</summary>
    private static void WithoutLeadingZeros(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].Length > 1 && words[i][0] == '0' && IsNumber(words[i]))
                words[i] = words[i].TrimStart('0') is { Length: > 0 } number ? number : "0";
        }
    }

    private static bool IsNumber(string word)
    {
        foreach (var c in word)
        {
            if (c is < '0' or > '9')
                return false;
        }

        return true;
    }

    private static void StripEdges(List<string> tokens)
    {
        // A form read from ideographs ("you xian gong si", 有限公司; "zhu shi hui she", 株式会社) ends the name: the
        // syllable before it is the name's own, however it reads in another language ("zhi zao", 製造, is
        // "manufacturing", not the Russian ZAO).
        var ideographForm = false;
        var changed = true;
        while (changed && tokens.Count > 0)
        {
            changed = false;
            if (tokens.Count > 1 && tokens[0] == "the")
            {
                tokens.RemoveAt(0);
                changed = true;
            }

            // "apple pan  the", "Belvedere, The".
            if (tokens.Count > 1 && tokens[tokens.Count - 1] is "the" or "and")
            {
                tokens.RemoveAt(tokens.Count - 1);
                changed = true;
            }

            // "Contoso UK", "Hill Mining North America"; not "Bank of America", where the region is the name's own.
            if (tokens.Count > 2 && DivisionWords.Contains(tokens[tokens.Count - 1]) && !Scoring.TokenStatistics.IsStopWord(tokens[tokens.Count - 2]))
            {
                tokens.RemoveAt(tokens.Count - 1);
                changed = true;
            }

            // "Acme GmbH Deutschland", "Roberts & Chen Ltda. International": a country or region after a legal form says
            // which of the group's companies, as "(UK)" does after a separator; the form then goes too.
            if (tokens.Count > 2 && FormLastWords.Value.Contains(tokens[tokens.Count - 2]) && !Scoring.TokenStatistics.IsStopWord(tokens[tokens.Count - 2]) &&
                (QualifierWords.Contains(tokens[tokens.Count - 1]) || CountryNames.CodeOf(tokens[tokens.Count - 1]) is not null))
            {
                var qualifier = tokens[tokens.Count - 1];
                tokens.RemoveAt(tokens.Count - 1);
                var form = LongestFormAtEnd(tokens);
                if (form > 0 && form < tokens.Count)
                    changed = true;
                else
                    tokens.Add(qualifier);
            }

            var suffix = ideographForm ? 0 : LongestFormAtEnd(tokens);
            if (suffix > 0 && suffix < tokens.Count)
            {
                ideographForm = suffix >= 2 && (tokens[tokens.Count - 2], tokens[tokens.Count - 1]) is ("gong", "si") or ("hui", "she");
                tokens.RemoveRange(tokens.Count - suffix, suffix);
                changed = true;
            }
            else if (tokens.Count > 1 && IsMisspelledForm(tokens[tokens.Count - 1]))
            {
                // "Golden Labs Incorpoarted": a typo in the legal form is still the legal form.
                tokens.RemoveAt(tokens.Count - 1);
                changed = true;
            }

            if (tokens.Count > 1 && PrefixForms.Contains(tokens[0]))
            {
                tokens.RemoveAt(0);
                changed = true;
            }

            if (PrefixPhraseLength(tokens) is var phrase and > 0)
            {
                tokens.RemoveRange(0, phrase);
                changed = true;
            }

        }
    }

    /// <summary>Gets the word a folded word is read as (itself when it has no synonym).</summary>
    public static string Canonical(string folded) => Synonyms.Value.TryGetValue(folded, out var canonical) ? canonical : folded;

    /// <summary>Tells whether a folded word is in the synonym tables, as a word or as its group's name.</summary>
    public static bool IsSynonymWord(string folded) => SynonymWords.Value.Contains(folded);

    /// <summary>Reads words that mean the same as one word: synonyms, short forms, and "und", "et", "y", "i", "og", "och", "ja" as "and".</summary>
    /// <summary>
    /// Reads the words of one part of a name (<paramref name="count"/> from <paramref name="start"/>) as their canonical
    /// ones, in place; the words as written are copied to <paramref name="written"/> before the first word changes.
    /// </summary>
    private static void Canonicalize(string[] tokens, int start, int count, ref string[]? written)
    {
        var synonyms = Synonyms.Value;
        for (var i = start; i < start + count; i++)
        {
            var token = tokens[i];
            string? canonical = null;
            if (token is "und" or "et" or "y" or "e" or "en" or "i" or "og" or "och" or "ja")
            {
                // Only between two words: "Vitamin E" keeps its "e".
                if (i > start && i + 1 < start + count)
                    canonical = "and";
            }
            else if (synonyms.TryGetValue(token, out var synonym))
            {
                canonical = synonym;
            }

            if (canonical is null || canonical == token)
                continue;
            written ??= (string[])tokens.Clone();
            tokens[i] = canonical;
        }
    }

    /// <summary>
    /// Tells whether a word is one typo (an edit or a swap) from a one-word legal form of six letters or more: two words
    /// one typo apart share a spelling with one letter left out, so a set of those spellings answers in a few lookups.
    /// </summary>
    private static bool IsMisspelledForm(string word)
    {
        if (word.Length is >= 3 and <= 6 && FormTypos.Value.Abbreviations.Contains(word))
            return true;
        if (word.Length < 5 || word.Length > 20)
            return false;

        // Most last words are no legal form at all: the first letter and the length rule them out before any lookup.
        var typos = FormTypos.Value;
        if (word[0] is < 'a' or > 'z' || (typos.Lengths[word[0] - 'a'] & (7 << (word.Length - 1))) == 0 || FormSet.Value.Contains(word))
            return false;
        if (typos.Spellings.Contains(word))
            return true;
#if NET9_0_OR_GREATER
        var lookup = typos.Spellings.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[20];
        for (var skip = 0; skip < word.Length; skip++)
        {
            word.AsSpan(0, skip).CopyTo(buffer);
            word.AsSpan(skip + 1).CopyTo(buffer.Slice(skip));
            if (lookup.Contains(buffer.Slice(0, word.Length - 1)))
                return true;
        }
#else
        for (var skip = 0; skip < word.Length; skip++)
        {
            if (typos.Spellings.Contains(word.Remove(skip, 1)))
                return true;
        }
#endif
        return false;
    }

    private static FormSpellings BuildFormTypos()
    {
        var spellings = new HashSet<string>(StringComparer.Ordinal);
        var lengths = new int[26];
        foreach (var form in FormSet.Value)
        {
            if (form.Length < 6 || form.Length > 20 || form.IndexOf(' ') >= 0 || form[0] is < 'a' or > 'z')
                continue;
            lengths[form[0] - 'a'] |= 1 << form.Length;
            spellings.Add(form);
            for (var skip = 0; skip < form.Length; skip++)
                spellings.Add(form.Remove(skip, 1));
        }

        return new FormSpellings(spellings, lengths, BuildAbbreviationTypos());
    }

    /// <summary>
    /// The usual slips in short forms ("Ldt", "LLtd", "Crp" for Ltd and Corp): two letters swapped, a letter typed twice,
    /// an inner letter left out. Only spellings without vowels are kept, and no form: "crop" and "cop" are words.
    /// </summary>
    private static HashSet<string> BuildAbbreviationTypos()
    {
        var forms = FormSet.Value;
        var typos = new HashSet<string>(StringComparer.Ordinal);
        foreach (var form in forms)
        {
            if (form.Length is < 3 or > 5 || !IsLetters(form))
                continue;
            var letters = form.ToCharArray();
            for (var i = 0; i + 1 < letters.Length; i++)
            {
                if (letters[i] == letters[i + 1])
                    continue;
                (letters[i], letters[i + 1]) = (letters[i + 1], letters[i]);
                AddIfSlip(new string(letters));
                (letters[i], letters[i + 1]) = (letters[i + 1], letters[i]);
            }

            for (var i = 0; i < form.Length; i++)
                typos.Add(form.Insert(i, form[i].ToString()));
            for (var i = 1; i + 1 < form.Length && form.Length > 3; i++)
                AddIfSlip(form.Remove(i, 1));
        }

        typos.ExceptWith(forms);
        return typos;

        void AddIfSlip(string spelling)
        {
            if (spelling.AsSpan().IndexOfAny(Vowels.AsSpan()) < 0)
                typos.Add(spelling);
        }

        static bool IsLetters(string text)
        {
            foreach (var c in text)
            {
                if (c is < 'a' or > 'z')
                    return false;
            }

            return true;
        }
    }

    private const string Vowels = "aeiouy";

    /// <summary>
    /// One-word legal forms with each letter left out in turn, which lengths the forms of each first letter have, and
    /// the usual slips in short forms.
    /// </summary>
    private sealed record FormSpellings(HashSet<string> Spellings, int[] Lengths, HashSet<string> Abbreviations);

    /// <summary>How many words a legal form written out before the name takes (<see cref="PrefixPhrases"/>), or 0; never the whole name.</summary>
    private static int PrefixPhraseLength(List<string> tokens)
    {
        foreach (var phrase in PrefixPhrases)
        {
            if (tokens.Count <= phrase.Length)
                continue;
            var i = 0;
            while (i < phrase.Length && tokens[i] == phrase[i])
                i++;
            if (i == phrase.Length)
                return i;
        }

        return 0;
    }

    private static int LongestFormAtEnd(List<string> tokens)
    {
        // Most names do not end in a form word: one lookup rules them out before any phrase is built.
        if (!FormLastWords.Value.Contains(tokens[tokens.Count - 1]))
            return 0;
        var forms = FormSet.Value;
#if NET9_0_OR_GREATER
        // The phrase is looked up from a stack buffer: no list and no string per candidate length.
        var lookup = forms.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[256];
#endif
        for (var n = Math.Min(MaxFormWords, tokens.Count - 1); n >= 1; n--)
        {
#if NET9_0_OR_GREATER
            var length = n - 1;
            for (var i = tokens.Count - n; i < tokens.Count; i++)
                length += tokens[i].Length;
            if (length <= buffer.Length)
            {
                var position = 0;
                for (var i = tokens.Count - n; i < tokens.Count; i++)
                {
                    if (position > 0)
                        buffer[position++] = ' ';
                    tokens[i].AsSpan().CopyTo(buffer.Slice(position));
                    position += tokens[i].Length;
                }

                if (lookup.Contains(buffer.Slice(0, position)))
                    return n;
                continue;
            }
#endif
            var phrase = string.Join(" ", tokens.GetRange(tokens.Count - n, n));
            if (forms.Contains(phrase))
                return n;
        }

        return 0;
    }

    private static HashSet<string> BuildForms()
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in ReferenceData.LegalForms)
        {
            // "The" and "Up" are in the lists, and end names more often as words ("Thumbs Up Ltd", "Start Up Inc").
            var folded = MatchText.Fold(term);
            if (folded.Length == 0 || folded is "the" or "up")
                continue;
            forms.Add(folded);

            // "Co., Ltd." and "& Co." are written with and without their connector.
            if (folded.StartsWith("and ", StringComparison.Ordinal))
                forms.Add(folded.Substring(4));
        }

        // Informal forms people add that the lists treat as words.
        foreach (var extra in new[] { "co ltd", "and co", "company limited", "corp", "inc", "co", "company", "corporation", "incorporated", "limited", "ltd", "llc", "plc", "kk", "gk", "pty ltd", "pty", "pvt ltd", "private limited", "sa de cv", "ltda", "ek", "ek kfm",
                     "kabushiki kaisha", "kabushikigaisha", "godo kaisha", "yugen kaisha", "gesellschaft mit beschrankter haftung",
                     "aktiengesellschaft", "societe anonyme", "sociedad anonima", "sociedad limitada", "public limited company",
                     "besloten vennootschap", "naamloze vennootschap", "limited liability company", "limited partnership",
                     "limited liability partnership", "eingetragener kaufmann", "societa per azioni", "societa a responsabilita limitata",
                     "societe par actions simplifiee", "societe a responsabilite limitee", "proprietary limited", "sdn bhd", "bhd", "pte ltd",
                     "pjsc", "ojsc", "cjsc", "jsc",

                     // Japanese, Korean and Chinese forms as romanised in other systems than the lists'.
                     "kabushiki gaisha", "yugen gaisha", "godo gaisha", "goshi gaisha", "gomei gaisha", "jusik hoesa", "jusik hoesa",
                     "jushik hoesa", "jushikhoesa", "chusik hoesa", "chusikhoesa", "yuhan hoesa", "youxian gongsi", "yuxian gongsi",
                     "gufen youxian gongsi", "you xian hui she", "he tong hui she", "he zi hui she", "he ming hui she",

                     // Indonesia's public company ("Tbk", "Terbuka") and state enterprise ("(Persero)"), after the name.
                     "tbk", "terbuka", "persero", "persero tbk",

                     // Norwegian, Vietnamese and Turkish forms written out or shortened as people do.
                     "aksjeselskap", "allmennaksjeselskap", "cty cp", "cty tnhh", "cong ty co phan", "cong ty tnhh", "tnhh", "ctcp",
                     "ltd sti", "san ve tic ltd sti", "sanayi ve ticaret ltd sti", "san ve tic as", "sanayi ve ticaret as",

                     // Forms of Arabic (ذ.م.م, ش.م.م), Persian (سهامی خاص), Thai (จำกัด (มหาชน)), Hindi and Tamil (प्राइवेट
                     // लिमिटेड, प्रा. लि.) and Armenian (ՍՊԸ) names as their letters read, and the Gulf's W.L.L.
                     "dhmm", "shmm", "shm", "shmk", "shmq", "shmy khs", "shmy m", "sahami khas", "sahami aam", "chamkad", "chamkad mhachn", "mhachn",
                     "praivet limited", "piraivet limitet", "pra li", "pvt", "wll", "spy",

                     // The same with the dots typed as spaces ("ذ م م"), and Hebrew בע"מ, whose quote splits it ("v m").
                     "dh m m", "sh m m", "sh m", "v m",

                     // German UG's bracket, Brazil's microenterprise marks and forms with a slash ("S/A", "S/S Ltda."),
                     // Nigeria's "Nig. Ltd".
                     "haftungsbeschrankt", "ltda me", "ltda epp", "eireli", "eireli me", "epp", "s a", "s s", "s c", "s s ltda",
                     "s c ltda", "nig ltd", "nig limited",

                     // "y Cía.", "& Cie", Italy's "& C." and its simplified S.r.l.s.
                     "and cia", "y cia", "e cia", "and cie", "et cie", "and c", "srls",

                     // Peru's S.A.C., Paraguay's S.A.E.C.A., Mexico's rural and civil partnerships; the Gulf's free-zone forms
                     // (FZE, FZCO, DMCC) and closed and public shareholding companies of Kuwait, Qatar, Bahrain and Oman; India's
                     // one-person company; "(Closed)" after a form.
                     "sac", "saeca", "spr de rl", "sc de rl", "s de rl", "fze", "fzc", "fzco", "dmcc", "fz co", "ksc", "kscc", "ksc closed",
                     "kscp", "qsc", "qpsc", "qscc", "bsc", "bsc c", "bsc closed", "spc", "saoc", "opc", "opc pvt ltd", "opc private limited",
                     "ltd closed", "closed joint stock", "closed joint stock company",

                     // Spain's one-member companies (S.L.U., S.A.U.) and Portugal's ("Unipessoal, Lda."); Italy's amateur
                     // sports companies and associations ("SSD a r.l.", "A.S.D.").
                     "slu", "sau", "s l u", "s a u", "unipessoal", "unipessoal lda", "sociedad limitada unipersonal",
                     "ssd", "ssd arl", "ssd a rl", "ssd a r l", "ssd srl", "asd", "a s d",

                     // Serbia's and Montenegro's shops of their owner ("SZR", "STR", "SUR": craft, trade, catering).
                     "szr", "stur", "sur", "s z r", })
            forms.Add(extra);
        return forms;
    }

    private static (HashSet<string> Runs, Dictionary<string, HashSet<string>> Seconds, int Longest) BuildSyllableWords()
    {
        var runs = new HashSet<string>(StringComparer.Ordinal);
        var seconds = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var longest = 0;
        foreach (var line in ReferenceData.OrgSynonyms)
        {
            var tab = line.IndexOf('\t');
            var syllables = tab > 0 ? MatchText.Fold(line.Substring(0, tab)).Split(' ') : [];
            if (syllables.Length < 2)
                continue;
            runs.Add(string.Concat(syllables));
            if (!seconds.TryGetValue(syllables[0], out var second))
                seconds.Add(syllables[0], second = new HashSet<string>(StringComparer.Ordinal));
            second.Add(syllables[1]);
            longest = Math.Max(longest, syllables.Length);
        }

        return (runs, seconds, longest);
    }

    private static Dictionary<string, string> BuildSynonyms()
    {
        // Each group reads as its name in the list ("intl", "center", "grp"); an alias in two groups keeps the first.
        var words = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in ReferenceData.OrgSynonyms)
        {
            var tab = line.IndexOf('\t');
            if (tab <= 0)
                continue;
            // A trade word of several syllables ("电子", "dien tu") is read run together ("dianzi").
            var alias = MatchText.Fold(line.Substring(0, tab)).Replace(" ", string.Empty);
            if (alias.Length > 0 && !words.ContainsKey(alias))
                words.Add(alias, line.Substring(tab + 1));
        }

        foreach (var pair in Abbreviations)
        {
            var canonical = words.TryGetValue(pair.Value, out var known) ? known : pair.Value;
            words[pair.Key] = canonical;
            if (!words.ContainsKey(pair.Value))
                words.Add(pair.Value, canonical);
        }

        // A group named by a word another group holds ("coml" = "commercial", and "commercial" = "commerce") reads as
        // that group, so that every word of it meets the others.
        foreach (var alias in words.Keys.ToList())
        {
            if (words.TryGetValue(words[alias], out var further))
                words[alias] = further;
        }

        return words;
    }
}
