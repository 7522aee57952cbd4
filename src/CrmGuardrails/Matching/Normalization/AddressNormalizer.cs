using System.Text;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>A normalised street line and locality.</summary>
/// <param name="Street">Street words with standard abbreviations, suite and floor removed ("8919 garden st").</param>
/// <param name="City">The folded city.</param>
/// <param name="PostalCode">The postal code without spaces, upper case.</param>
/// <param name="Country">The ISO alpha-2 country, or empty.</param>
/// <param name="CityRomanised">
/// The city was written in another script and is read letter by letter ("الرياض"), not as a name the table knows: its
/// spelling says little about which city it is.
/// </param>
/// <param name="Unit">The suite, unit or "#" number the street line gave ("0305" of "#03-05", "200" of "Suite 200"), or empty.</param>
internal sealed record Address(string Street, string City, string PostalCode, string Country, bool CityRomanised = false, string Unit = "")
{
    public static Address Empty { get; } = new(string.Empty, string.Empty, string.Empty, string.Empty);

    /// <summary>Gets the hashes of the parts, which scoring compares before it reads any text.</summary>
    public AddressKey Key { get; } = new(
        TextHash.Of(Street),
        Street.Length > 0 && char.IsDigit(Street[0]) ? TextHash.Of(Street, 0, Street.IndexOf(' ') is var space and >= 0 ? space : Street.Length) : 0,
        TextHash.Of(City),
        TextHash.Of(PostalCode),
        Country.Length == 2 ? (Country[0] << 16) | Country[1] : 0,
        CityRomanised ? -1 : City.Length == 0 ? 0 : (Math.Min(City.Length, 255) << 16) | ((City[0] & 0xFF) << 8) | (City[City.Length - 1] & 0xFF));

    /// <summary>Gets the house number (the street's first word when it starts with a digit), or empty.</summary>
    public string Number => NumberOf(Street);

    private static string NumberOf(string street)
    {
        if (street.Length == 0 || !char.IsDigit(street[0]))
            return string.Empty;
        var space = street.IndexOf(' ');
        return space < 0 ? street : street.Substring(0, space);
    }
}

/// <summary>The hashes of an address's parts (0 where a part is missing): kept beside features so that comparing two
/// addresses reads no text unless they may agree.</summary>
/// <param name="Street">The hash of the street line.</param>
/// <param name="Number">The hash of the house number.</param>
/// <param name="City">The hash of the city.</param>
/// <param name="Postal">The hash of the postal code.</param>
/// <param name="Country">The two letters of the country, packed.</param>
/// <param name="CityShape">
/// The city's length and first and last letters, packed (-1 for a city romanised from another script): whether two
/// cities may be one city spelled two ways is mostly told from these.
/// </param>
internal readonly record struct AddressKey(int Street, int Number, int City, int Postal, int Country, int CityShape);

/// <summary>Normalises street addresses: abbreviations (Street = St), suite and unit numbers dropped, city folded.</summary>
internal static class AddressNormalizer
{
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["street"] = "st", ["str"] = "st", ["strasse"] = "st", ["avenue"] = "ave", ["av"] = "ave", ["avda"] = "ave",
        ["boulevard"] = "blvd", ["blv"] = "blvd", ["boul"] = "blvd", ["drive"] = "dr", ["drv"] = "dr", ["lane"] = "ln",
        ["road"] = "rd", ["place"] = "pl", ["court"] = "ct", ["square"] = "sq", ["terrace"] = "ter", ["parkway"] = "pkwy",
        ["highway"] = "hwy", ["circle"] = "cir", ["way"] = "way", ["north"] = "n", ["south"] = "s", ["east"] = "e",
        ["west"] = "w", ["northeast"] = "ne", ["northwest"] = "nw", ["southeast"] = "se", ["southwest"] = "sw",
        ["saint"] = "st", ["mount"] = "mt", ["fort"] = "ft", ["center"] = "ctr", ["centre"] = "ctr", ["plaza"] = "plz",
        ["expressway"] = "expy", ["freeway"] = "fwy", ["alley"] = "aly", ["crescent"] = "cres", ["close"] = "cl",
        ["first"] = "1st", ["second"] = "2nd", ["third"] = "3rd", ["fourth"] = "4th", ["fifth"] = "5th", ["sixth"] = "6th",
        ["seventh"] = "7th", ["eighth"] = "8th", ["ninth"] = "9th", ["tenth"] = "10th",

        // Turkish: "Caddesi"/"Cad."/"Cd.", "Sokak"/"Sok."/"Sk.", "Bulvarı", "Mahallesi"/"Mah.".
        ["caddesi"] = "cad", ["cd"] = "cad", ["sokak"] = "sok", ["sokagi"] = "sok", ["sk"] = "sok", ["bulvari"] = "blvd",
        ["mahallesi"] = "mah", ["mh"] = "mah",

        // Spanish and Portuguese: "Avenida"/"Av."/"Avda.", "Calle"/"Cl."/"Cll.", Colombia's "Carrera"/"Cra."/"Kr.", "Rua"/"R.",
        // "Praça"/"Pça.", "Carretera"/"Ctra.", "Rodovia"/"Rod.", "Travessa"/"Tv.", "Alameda"/"Al.", "Paseo"/"Pº".
        ["avenida"] = "ave", ["avd"] = "ave", ["calle"] = "cl", ["cll"] = "cl", ["clle"] = "cl", ["carrera"] = "cra",
        ["kr"] = "cra", ["kra"] = "cra", ["rua"] = "r", ["praca"] = "plz", ["pca"] = "plz", ["piazza"] = "plz", ["pza"] = "plz",
        ["carretera"] = "hwy", ["ctra"] = "hwy", ["rodovia"] = "hwy", ["rod"] = "hwy", ["travessa"] = "tv", ["trav"] = "tv",
        ["alameda"] = "al", ["paseo"] = "pso",

        // Central and Eastern Europe: "ulica"/"ul." (and "улица", "вулиця" as transliterated), "aleja"/"al.", "utca"/"u.",
        // "strada"/"str.", "bulevardul"/"bd.", "náměstí"/"nám.", "prospekt"/"pr-t"; Indonesia's and Malaysia's "Jalan"/"Jl.".
        ["ulica"] = "ul", ["ulice"] = "ul", ["ulitsa"] = "ul", ["vul"] = "ul", ["vulytsia"] = "ul", ["vulitsa"] = "ul",
        ["vulytsya"] = "ul", ["aleja"] = "al", ["utca"] = "u", ["strada"] = "st", ["bulevardul"] = "blvd", ["bdul"] = "blvd",
        ["bd"] = "blvd", ["namesti"] = "nam", ["prospekt"] = "pr", ["prosp"] = "pr", ["jalan"] = "jl", ["jln"] = "jl",

        // French "rue"/"r.", "chemin"/"ch.", "route"/"rte", "impasse"/"imp.", "allée"/"all.", "faubourg"/"fbg", "cours"/
        // "crs"; Italian "corso"/"c.so", "viale"/"v.le".
        ["rue"] = "r", ["chemin"] = "ch", ["route"] = "rte", ["impasse"] = "imp", ["allee"] = "all", ["faubourg"] = "fbg",
        ["fg"] = "fbg", ["cours"] = "crs", ["corso"] = "cso", ["viale"] = "vle",

        // German "Platz" (a square, as "Piazza"/"Praça"): South Tyrol's "Silvius-Magnago-Platz" is "Piazza Silvius Magnago".
        ["platz"] = "plz",
    };

    /// <summary>
    /// Welsh "Heol" (road), "Ffordd" (way), "Stryd" (street); Irish "Bóthar" (road), "Sráid" (street); Greek "Leoforos"
    /// (avenue): written before the street's name, where English writes its kind after ("Heol Penarth" = "Penarth Road").
    /// </summary>
    private static readonly Dictionary<string, string> KindsBefore = new(StringComparer.Ordinal)
    {
        ["heol"] = "rd", ["ffordd"] = "way", ["stryd"] = "st", ["bothar"] = "rd", ["sraid"] = "st",

        // Greek "Leoforos"/"Leof." (avenue) and "Odos" (street), as transliterated: "Leoforos Vouliagmenis" = "Vouliagmenis Ave".
        ["leoforos"] = "ave", ["leof"] = "ave", ["odos"] = "st",
    };

    /// <summary>
    /// Words that say a house number follows ("No: 8", "Nr. 5", "nº 1415", "д. 5" and "буд. 5", read "d" and "bud"): the
    /// number says it alone.
    /// </summary>
    private static readonly HashSet<string> NumberMarks = new(StringComparer.Ordinal) { "no", "nr", "num", "numero", "nro", "d", "dom", "bud" };

    private static readonly Lazy<Dictionary<string, string>> CityNames = new(BuildCityNames);

    private static readonly Lazy<Dictionary<string, string[]>> DistrictCities = new(BuildDistrictCities);

    private static readonly HashSet<string> CrossStreetWords = new(StringComparer.Ordinal) { "between", "btwn", "betw", "near", "nr", "corner", "cnr", "off", "opp", "opposite", "behind" };

    private static readonly HashSet<string> UnitWords = new(StringComparer.Ordinal)
    {
        "suite", "ste", "unit", "apt", "apartment", "floor", "fl", "level", "lvl", "room", "rm", "bldg", "building", "po", "box",
    };

    /// <summary>
    /// Unit words of other languages that are also words of street names ("Sala", "Local"): a unit only before its
    /// number ("Of. 502", "Piso 3", "Sala 12", "lok. 5", "кв. 7", "корп. 3", "офис 301").
    /// </summary>
    private static readonly HashSet<string> NumberedUnitWords = new(StringComparer.Ordinal)
    {
        "of", "oficina", "ofic", "despacho", "piso", "local", "loja", "sala", "andar", "apto", "depto", "dpto", "int", "lok", "lokal", "kv", "etaj",
        "korp", "korpus", "ofis", "pom", "kom", "kab", "etazh", "planta", "etage", "piano",
    };

    /// <summary>The unit words that name a floor, which many suites share: not kept as the record's unit.</summary>
    private static readonly HashSet<string> FloorWords = new(StringComparer.Ordinal)
    {
        "floor", "fl", "level", "lvl", "bldg", "building", "po", "box", "piso", "andar", "etaj", "korp", "korpus", "etazh",
        "planta", "etage", "piano", "stock", "og", "kerros", "verdieping",
    };

    /// <summary>
    /// Floor words of other languages, written after the floor's number ("4ª planta", "3. OG", "5º andar", "2e étage"): the
    /// number before them is the floor's, when a house number came before it.
    /// </summary>
    private static readonly HashSet<string> FloorWordsAfterNumber = new(StringComparer.Ordinal)
    {
        "planta", "piso", "andar", "etage", "stock", "og", "kerros", "piano", "verdieping", "etaj", "etazh",
    };

    /// <summary>
    /// Street kinds after which Spanish and Portuguese put "de" or "do" ("Calle de Alcalá", "Rua do Carmo"), which people
    /// as often leave out ("C/ Alcalá"): as <see cref="Abbreviations"/> writes them.
    /// </summary>
    private static readonly HashSet<string> KindsBeforeOf = new(StringComparer.Ordinal) { "cl", "ave", "pso", "plz", "cra", "r", "tv", "al", "hwy" };

    private static readonly HashSet<string> Of = new(StringComparer.Ordinal) { "de", "del", "da", "do", "das", "dos" };

    /// <summary>The kinds of street, as <see cref="Abbreviations"/> writes them: a place ending with one is a street, not a city.</summary>
    private static readonly HashSet<string> StreetKinds = new(StringComparer.Ordinal)
    {
        "st", "ave", "blvd", "dr", "ln", "rd", "pl", "ct", "sq", "ter", "pkwy", "hwy", "cir", "way", "plz", "expy", "fwy", "aly", "cres", "cl",
    };

    public static Address Normalize(string? street, string? city, string? postalCode, string? country)
    {
        if (string.IsNullOrWhiteSpace(city))
            street = WithoutCityLine(street, ref city, ref postalCode);
        // Colombia writes the house number after "#" ("Calle 93 # 11-26"), where others write a suite ("#200").
        var region = PhoneNormalizer.NormalizeRegion(country) ?? string.Empty;
        var hashIsNumber = region == "CO";
        var unit = hashIsNumber ? string.Empty : HashUnit(street);
        var line = WithSpanishKindMarks(StripHashUnit(street, keepAfterHash: hashIsNumber));
        if (region is "BR" or "PT")
            line = WithoutComplement(line);
        line = ThaiWords.StreetApart(line);
        var tokens = MatchText.Tokens(MatchText.Fold(line));
        var kept = new List<string>(tokens.Length);
        string? kindAfter = null;
        for (var i = 0; i < tokens.Length; i++)
        {
            // Cross streets and landmarks after the address ("747 9th Ave between 50th and 51st Sts", "21 Greams Lane, Off
        // Greams Road", as Indian and East African addresses give them) say where, not which address.
            if (NumberMarks.Contains(tokens[i]) && i + 1 < tokens.Length && char.IsDigit(tokens[i + 1][0]))
                continue;
            if (kept.Count >= 2 && CrossStreetWords.Contains(tokens[i]))
                break;
            // "38th Floor", "2nd Fl.", "4ª planta", "3. OG": the floor's number before its word.
            if (FloorWords.Contains(tokens[i]) && kept.Count > 1 &&
                (IsOrdinal(kept[kept.Count - 1]) || (FloorWordsAfterNumber.Contains(tokens[i]) && IsHouseNumber(kept[kept.Count - 1]) && kept.Take(kept.Count - 1).Any(IsHouseNumber))))
            {
                kept.RemoveAt(kept.Count - 1);
                continue;
            }

            if (Of.Contains(tokens[i]) && kept.Count > 0 && KindsBeforeOf.Contains(kept[kept.Count - 1]) && i + 1 < tokens.Length)
                continue;

            if (UnitWords.Contains(tokens[i]) || (NumberedUnitWords.Contains(tokens[i]) && i + 1 < tokens.Length && char.IsDigit(tokens[i + 1][0])))
            {
                // "Suite 200", "Floor 3": skip the word and its number (a suite's, unit's or room's is kept apart).
                if (i + 1 < tokens.Length && char.IsDigit(tokens[i + 1][0]))
                {
                    if (unit.Length == 0 && !FloorWords.Contains(tokens[i]))
                        unit = tokens[i + 1].ToUpperInvariant();
                    i++;

                    // "P.O. Box 40712-00100": a box's number with the post office's code after it, no street.
                    while (tokens[i - 1] == "box" && i + 1 < tokens.Length && IsHouseNumber(tokens[i + 1]))
                        i++;
                }

                continue;
            }

            if (kindAfter is null && i + 1 < tokens.Length && KindsBefore.TryGetValue(tokens[i], out var kind))
            {
                kindAfter = kind;
                continue;
            }

            kept.Add(Abbreviations.TryGetValue(tokens[i], out var abbreviation) ? abbreviation : ShortenCompound(tokens[i]));
        }

        if (kindAfter is not null)
        {
            // After the street's name, before its number ("Leoforos Vouliagmenis 98" = "Vouliagmenis Ave 98").
            var at = kept.Count;
            while (at > 1 && IsHouseNumber(kept[at - 1]))
                at--;
            kept.Insert(at, kindAfter);
        }

        HouseNumberFirst(kept);
        var cityName = City(city, out var known);
        return new Address(string.Join(" ", kept), cityName, Postal(postalCode, region), region,
            cityName.Length > 0 && !known && MatchText.IsMostlyOtherScript(city!), unit);
    }

    /// <summary>
    /// The street of a whole address typed on the street line, the city field left empty ("33 Broad Chare, Newcastle upon
    /// Tyne NE1 3DQ", "2105 S Broadway Ave, Tyler, TX 75701", "Hauptstraße 5, 10115 Berlin"): the city and postal code
    /// after the first comma fill the empty fields. Only a line with a house number and a street before the comma and a
    /// postal code after it is read so: "…, Suite 8500" or "…, Off Greams Road" stays on the street line.
    /// </summary>
    private static string? WithoutCityLine(string? street, ref string? city, ref string? postalCode)
    {
        var comma = street?.IndexOf(',') ?? -1;
        if (comma <= 0)
            return street;
        var first = MatchText.Tokens(MatchText.Fold(street!.Substring(0, comma)));
        if (first.Length < 2 || UnitWords.Contains(first[0]) || !(IsHouseNumber(first[0]) || IsHouseNumber(first[first.Length - 1])))
            return street;
        var rest = street.Substring(comma + 1).Split(',');
        var words = new List<string>(rest[rest.Length - 1].Split([' '], StringSplitOptions.RemoveEmptyEntries));

        // The postal code: the last words with a digit ("NE1 3DQ", "75701"), or the first ("10115 Berlin"); two at most.
        var postal = new List<string>();
        while (words.Count > 0 && postal.Count < 2 && HasDigit(words[words.Count - 1]))
        {
            postal.Insert(0, words[words.Count - 1]);
            words.RemoveAt(words.Count - 1);
        }

        while (postal.Count == 0 && words.Count > 1 && HasDigit(words[0]))
        {
            postal.Add(words[0]);
            words.RemoveAt(0);
        }

        var place = rest.Length == 1 ? string.Join(" ", words) : rest[0];
        var placeWords = MatchText.Tokens(MatchText.Fold(place));
        if (postal.Count == 0 || placeWords.Length == 0 || UnitWords.Contains(placeWords[0]) || !char.IsLetter(placeWords[0][0]) || IsStreetKind(placeWords[placeWords.Length - 1]))
            return street;
        if (string.IsNullOrWhiteSpace(postalCode))
            postalCode = string.Join(" ", postal);
        city = place;
        return street.Substring(0, comma);

        static bool HasDigit(string word) => word.Any(char.IsDigit);
        static bool IsStreetKind(string word) => StreetKinds.Contains(Abbreviations.TryGetValue(word, out var kind) ? kind : word);
    }

    /// <summary>"C/ Mayor 5" (calle) and "Pº de la Castellana" (paseo): Spain's short marks, which folding would lose.</summary>
    private static string WithSpanishKindMarks(string line)
    {
        var text = line.TrimStart();
        if (text.Length < 3)
            return line;
        if (text[0] is 'C' or 'c' && text[1] == '/' && !(text[2] is 'O' or 'o' && (text.Length == 3 || !char.IsLetter(text[3]))))
            return "Calle " + text.Substring(2);
        if (text[0] is 'P' or 'p' && text[1] is 'º' or '°')
            return "Paseo " + text.Substring(2);
        return line;
    }

    /// <summary>"One", "Two"… as the first word of a street ("One Microsoft Way"): the house number people also write as a digit.</summary>
    private static readonly Dictionary<string, string> NumberWords = new(StringComparer.Ordinal)
    {
        ["one"] = "1", ["two"] = "2", ["three"] = "3", ["four"] = "4", ["five"] = "5", ["six"] = "6", ["seven"] = "7",
        ["eight"] = "8", ["nine"] = "9", ["ten"] = "10", ["eleven"] = "11", ["twelve"] = "12",
    };

    /// <summary>
    /// Puts the house number first, where most of Europe writes it last ("Hauptstraße 5", "Friedrich-Ebert-Allee 140"
    /// = "5 hauptstr", "140 friedrich ebert allee"), and reads a number word first as its digits ("One Microsoft Way" =
    /// "1 microsoft way"): one address, one form, whichever way it was typed.
    /// </summary>
    /// <summary>
    /// A Brazilian or Portuguese street line without what follows the house number after a dash: the floor, the suite and
    /// the district ("Av. Colombo, 5790 - Zona 7", "Rua Funchal, 418 - 3º andar - Vila Olímpia").
    /// </summary>
    private static string WithoutComplement(string line)
    {
        var dash = line.IndexOf(" - ", StringComparison.Ordinal);
        if (dash <= 0)
            return line;
        // The number may end with a letter ("12a - Centro").
        var end = char.IsLetter(line[dash - 1]) ? dash - 1 : dash;
        return end > 0 && char.IsDigit(line[end - 1]) ? line.Substring(0, dash) : line;
    }

    private static void HouseNumberFirst(List<string> words)
    {
        if (words.Count < 2)
            return;
        if (NumberWords.TryGetValue(words[0], out var digits))
        {
            words[0] = digits;
            return;
        }

        if (IsHouseNumber(words[0]))
            return;
        var start = words.Count;
        while (start > 1 && IsHouseNumber(words[start - 1]))
            start--;
        if (start == words.Count)
            return;
        var number = words.GetRange(start, words.Count - start);
        words.RemoveRange(start, words.Count - start);
        words.InsertRange(0, number);
    }

    /// <summary>Tells whether a word is an ordinal number: "38th", and as other languages fold it, "4a" (4ª), "5o" (5º), "2e", "3eme".</summary>
    private static bool IsOrdinal(string word)
    {
        var digits = 0;
        while (digits < word.Length && char.IsDigit(word[digits]))
            digits++;
        return digits > 0 && word.Substring(digits) is "st" or "nd" or "rd" or "th" or "a" or "o" or "e" or "er" or "eme" or "ieme" or "te" or "ste";
    }

    /// <summary>Tells whether a word is a house number: digits, perhaps with one letter after them ("5", "12a").</summary>
    private static bool IsHouseNumber(string word)
    {
        if (word.Length == 0 || word.Length > 6 || word[0] is < '0' or > '9')
            return false;
        for (var i = 1; i < word.Length; i++)
        {
            if (word[i] is < '0' or > '9' && !(i == word.Length - 1 && word[i] is >= 'a' and <= 'z'))
                return false;
        }

        return true;
    }

    /// <summary>A street name run together with its kind, as German and Dutch write it ("Hauptstraße", "Kalverstraat"), shortened as people shorten it ("Hauptstr.").</summary>
    private static string ShortenCompound(string word)
    {
        foreach (var (ending, shortened) in CompoundEndings)
        {
            if (word.Length > ending.Length + 2 && word.EndsWith(ending, StringComparison.Ordinal))
                return word.Substring(0, word.Length - ending.Length) + shortened;
        }

        return word;
    }

    /// <summary>
    /// Street words written onto the street's name, as they are abbreviated: German and Dutch "-straße"/"-straat" = "-str.",
    /// Swedish "-gatan"/"-vägen" = "-g."/"-v.", Norwegian "-gata"/"-veien"/"-vegen", Danish "-gade"/"-vej", Finnish "-katu" =
    /// "-k." ("Industrigatan 7" = "Industrig. 7").
    /// </summary>
    private static readonly (string Ending, string Shortened)[] CompoundEndings =
    [
        ("strasse", "str"), ("straat", "str"), ("gatan", "g"), ("gata", "g"), ("gaten", "g"), ("gade", "g"), ("vagen", "v"),
        ("veien", "v"), ("vegen", "v"), ("katu", "k"),
    ];

    /// <summary>
    /// The folded city, its words shortened as in street names ("St. Louis" = "Saint Louis", "W. Hollywood" = "West
    /// Hollywood"), a last word "City" dropped ("New York City" = "New York", and as Japan, Korea and China write it:
    /// "Osaka-shi", "Gumi-si", "深圳市"), and read by one name where people write
    /// it by several ("München" = "Munich", "Москва" = "Moscow", "Bombay" = "Mumbai").
    /// </summary>
    private static string City(string? city, out bool known)
    {
        var name = ShortenCity(MatchText.Fold(WithoutRegion(city)));
        string? canonical = null;
        known = name.Length > 0 && CityNames.Value.TryGetValue(name, out canonical);
        return known ? canonical! : name;
    }

    /// <summary>States and provinces people type after a city ("Chicago, IL", "Toronto ON", "Sydney NSW").</summary>
    private static readonly HashSet<string> RegionCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "al", "ak", "az", "ar", "ca", "co", "ct", "de", "dc", "fl", "ga", "hi", "id", "il", "in", "ia", "ks", "ky", "la", "me",
        "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or", "pa", "pr",
        "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy", "ab", "bc", "mb", "nb", "nl", "ns", "nt",
        "nu", "on", "pe", "qc", "sk", "yt", "nsw", "vic", "qld", "tas", "act", "sv", "sø", "nø",

        // Brazil's states, typed after the city as "Campinas - SP" or "Belo Horizonte/MG".
        "ac", "ap", "am", "ba", "ce", "df", "es", "go", "mg", "pb", "pi", "rj", "rn", "rs", "ro", "rr", "se", "sp", "to",
    };

    /// <summary>
    /// The city without the state, province or postal code typed after it: "Chicago, IL", "Chicago IL 60601" and
    /// "Toronto, Ontario" are Chicago and Toronto. What follows a comma is never the city; a last word is dropped only
    /// when it is a state or province code, digits, or one letter (Denmark's postal districts: "Odense C", "Aarhus N"),
    /// so "Salt Lake City" keeps its words.
    /// </summary>
    private static string? WithoutRegion(string? city)
    {
        if (string.IsNullOrEmpty(city) || city!.IndexOf(' ') < 0 && city.IndexOf(',') < 0 && city.IndexOf('/') < 0)
            return city;

        // "Pouso Alegre - MG", "Ourinhos/SP": a state after a dash or a slash.
        var mark = Math.Max(city.LastIndexOf(" - ", StringComparison.Ordinal), city.LastIndexOf('/'));
        if (mark > 0 && RegionCodes.Contains(city.Substring(mark + 1).Trim(' ', '-', '.')))
            city = city.Substring(0, mark);
        var comma = city.IndexOf(',');
        var end = (comma > 0 ? city.Substring(0, comma) : city).TrimEnd();
        while (true)
        {
            // Most last words are longer than any code and are not digits: nothing to cut, nothing allocated.
            var space = end.LastIndexOf(' ');
            if (space <= 0)
                return end;
            var digits = IsDigits(end, space + 1);
            var letter = end.Length - space - 1 == 1 && char.IsLetter(end[space + 1]);
            if (!digits && !letter && (end.Length - space - 1 > 4 || !RegionCodes.Contains(end.Substring(space + 1).Trim('.'))))
                return end;
            var before = end.Substring(0, space).TrimEnd();
            if (!digits)
                return before;
            end = before;
        }

        static bool IsDigits(string text, int from)
        {
            for (var i = from; i < text.Length; i++)
            {
                if (text[i] is < '0' or > '9')
                    return false;
            }

            return from < text.Length;
        }
    }

    private static string ShortenCity(string folded)
    {
        if (folded.IndexOf(' ') < 0)
            return folded;
        var words = new List<string>(MatchText.Tokens(folded));
        if (words.Count > 1 && words[words.Count - 1] is "city" or "shi" or "si")
            words.RemoveAt(words.Count - 1);
        for (var i = 0; i < words.Count; i++)
        {
            if (Abbreviations.TryGetValue(words[i], out var shortened))
                words[i] = shortened;
        }

        return string.Join(" ", words);
    }

    /// <summary>
    /// Tells whether one of two cities, as <see cref="Normalize"/> reads them, is a district of the other ("Brooklyn" and
    /// "New York", "Deira" and "Dubai"): people type the borough, the district or the suburb for the city, so the two
    /// say nothing against one address. Two districts of one city are still two places.
    /// </summary>
    /// <param name="city">One city.</param>
    /// <param name="other">The other.</param>
    internal static bool InOneCity(string city, string other) => IsDistrictOf(city, other) || IsDistrictOf(other, city);

    /// <summary>Tells whether a word of a name is <paramref name="city"/> under another of its names ("Peking" for Beijing).</summary>
    /// <param name="word">The folded word.</param>
    /// <param name="city">The city, as <see cref="Normalize"/> reads it.</param>
    internal static bool IsNameOf(string word, string city) => CityNames.Value.TryGetValue(word, out var canonical) && canonical == city;

    private static bool IsDistrictOf(string district, string city) =>
        DistrictCities.Value.TryGetValue(district, out var cities) && Array.IndexOf(cities, city) >= 0;

    /// <summary>Other names of cities and districts (read as <see cref="City"/> reads them) to the one name the matcher uses.</summary>
    private static Dictionary<string, string> BuildCityNames()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in ReferenceData.Cities)
        {
            var tab = line.IndexOf('\t');
            if (tab > 0)
                AddNames(names, line.Substring(0, tab), line.Substring(tab + 1).Split('|'));
        }

        // A district's names are read as a city field is, state and all ("Makati City").
        foreach (var (_, district) in Districts())
        {
            var spellings = district.Split('/');
            AddNames(names, spellings[0], spellings, WithoutRegion);
        }

        return names;

        static void AddNames(Dictionary<string, string> names, string city, string[] others, Func<string?, string?>? read = null)
        {
            read ??= name => name;
            var canonical = ShortenCity(MatchText.Fold(read(city)));
            foreach (var other in others)
            {
                var name = ShortenCity(MatchText.Fold(read(other)));
                if (name.Length > 0 && name != canonical && !names.ContainsKey(name))
                    names.Add(name, canonical);
            }
        }
    }

    /// <summary>Each district's name, as <see cref="City"/> reads it, to the cities it is a district of.</summary>
    private static Dictionary<string, string[]> BuildDistrictCities()
    {
        var cities = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (city, district) in Districts())
        {
            var of = City(city, out _);
            var name = City(district.Split('/')[0], out _);
            if (name.Length == 0 || name == of)
                continue;
            cities[name] = cities.TryGetValue(name, out var known) ? [.. known, of] : [of];
        }

        return cities;
    }

    private static IEnumerable<(string City, string District)> Districts()
    {
        foreach (var line in ReferenceData.Districts)
        {
            var tab = line.IndexOf('\t');
            if (tab <= 0)
                continue;
            foreach (var district in line.Substring(tab + 1).Split('|'))
                yield return (line.Substring(0, tab), district);
        }
    }

    /// <summary>Countries whose postal codes are five digits, some with a leading zero.</summary>
    private static readonly HashSet<string> FiveDigitRegions = new(StringComparer.Ordinal)
    {
        "US", "DE", "FR", "ES", "IT", "MX", "FI", "MY", "TR", "UA", "KR", "HR", "EE", "MA", "DZ",
    };

    private static bool IsDigits(char[] chars, int length)
    {
        for (var i = 0; i < length; i++)
        {
            if (chars[i] is < '0' or > '9')
                return false;
        }

        return true;
    }

    /// <summary>
    /// The postal code without spaces or dashes, upper case, at most 12 characters; a US ZIP+4 as its five-digit ZIP
    /// ("98101-2345" = "98101"), which is what most records hold. Web forms put the state or province in the field too
    /// ("MN 55403-1106", "ON K2J 4B1", "D-10115"), or only it ("ON"): the letters before the code are dropped, and a
    /// field without a digit holds no postal code.
    /// </summary>
    private static string Postal(string? postalCode, string region)
    {
        if (string.IsNullOrEmpty(postalCode))
            return string.Empty;
        var text = WithoutRegionPrefix(MatchText.Sanitize(postalCode!).Trim(), region);
        if (text.Length == 0)
            return string.Empty;
        var chars = new char[Math.Min(text.Length, 12)];
        var length = 0;
        foreach (var ch in text)
        {
            if (ch is ' ' or '-')
                continue;
            if (length == chars.Length)
                break;
            chars[length++] = ch is >= 'a' and <= 'z' ? (char)(ch - 32) : char.ToUpperInvariant(ch);
        }

        if (length == 9 && region is "US" or "" && IsZipPlusFour(text))
            return text.Substring(0, 5);

        // "9007" for Burgos' "09007", "2108" for Boston's "02108": a spreadsheet read the code as a number and dropped its
        // leading zero. Only where codes have five digits, which the country says.
        if (length == 4 && FiveDigitRegions.Contains(region) && IsDigits(chars, length))
            return "0" + new string(chars, 0, length);
        return length == text.Length ? (IsUpper(text) ? text : new string(chars, 0, length)) : new string(chars, 0, length);
    }

    /// <summary>
    /// The code without a state, province or country prefix of one to three letters ("MN 55403", "NSW 2000", "D-10115");
    /// empty when the field has no digit. Malta's codes begin with three letters of their own ("VLT 1117").
    /// </summary>
    private static string WithoutRegionPrefix(string text, string region)
    {
        var letters = 0;
        while (letters < text.Length && text[letters] is >= 'A' and <= 'Z' or >= 'a' and <= 'z')
            letters++;
        var digit = false;
        for (var i = letters; i < text.Length && !digit; i++)
            digit = text[i] is >= '0' and <= '9';
        if (!digit)
            return string.Empty;
        if (letters is 0 or > 3 || region == "MT" || letters + 1 >= text.Length || text[letters] is not (' ' or '-' or '.' or ','))
            return text;
        return text.Substring(letters + 1).TrimStart(' ', '-', '.', ',');
    }

    /// <summary>Tells whether a code is nine digits, written as a ZIP+4 ("98101-2345") or run together in a US record.</summary>
    private static bool IsZipPlusFour(string text)
    {
        var trimmed = text.Trim();
        var digits = 0;
        foreach (var ch in trimmed)
        {
            if (ch is >= '0' and <= '9')
                digits++;
            else if (ch is not ('-' or ' '))
                return false;
        }

        return digits == 9 && (trimmed.Length == 9 || trimmed[5] is '-' or ' ');
    }

    private static bool IsUpper(string text)
    {
        foreach (var ch in text)
        {
            if (ch != char.ToUpperInvariant(ch))
                return false;
        }

        return true;
    }

    /// <summary>The letters and digits of a "#" unit ("0305" of "#03-05 Woodlands Spectrum"), or empty.</summary>
    private static string HashUnit(string? street)
    {
        var hash = street?.IndexOf('#') ?? -1;
        if (hash <= 0)
            return string.Empty;
        var unit = new StringBuilder(8);
        for (var i = hash + 1; i < street!.Length && street[i] is not (' ' or ',' or ';'); i++)
        {
            if (char.IsLetterOrDigit(street[i]) && street[i] < 128)
                unit.Append(char.ToUpperInvariant(street[i]));
        }

        return unit.Length > 0 && char.IsDigit(unit[0]) ? unit.ToString() : string.Empty;
    }

    private static string StripHashUnit(string? street, bool keepAfterHash)
    {
        if (string.IsNullOrEmpty(street))
            return string.Empty;
        var text = MatchText.Sanitize(street!);
        var hash = keepAfterHash ? -1 : text.IndexOf('#');
        return hash > 0 ? text.Substring(0, hash) : text;
    }
}
