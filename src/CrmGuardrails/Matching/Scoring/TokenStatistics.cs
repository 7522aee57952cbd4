using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Matching.Scoring;

/// <summary>
/// How much a company-name word tells (bits = -log2 of the share of companies whose name has it), for term-frequency
/// adjusted name weights. Without a corpus, built-in frequencies of common business words are used.
/// </summary>
internal sealed class TokenStatistics
{
    /// <summary>Information of a word never seen: a distinctive word.</summary>
    public const double RareBits = 11;

    /// <summary>Information of a frequent surname or brand word ("smith", "summit").</summary>
    public const double CommonBits = 7.5;

    /// <summary>Information of a generic word ("services", "group") where no corpus says otherwise.</summary>
    public const double GenericBits = 4;

    /// <summary>Words worth less than this are not used as blocking keys.</summary>
    public const double KeyBits = 6.5;

    private const double MaxBits = 16;
    private const double MinBits = 0.5;

    /// <summary>Words common in company names everywhere (industries, generic nouns); worth about 4 bits by default.</summary>
    private static readonly HashSet<string> GenericWords = WithCanonicalForms(new(StringComparer.Ordinal)
    {
        "global", "systems", "system", "solutions", "solution", "services", "service", "group", "holdings", "holding",
        "international", "intl", "consulting", "consultants", "partners", "partner", "associates", "technologies",
        "technology", "tech", "industries", "industry", "enterprises", "enterprise", "capital", "management", "media",
        "digital", "software", "energy", "pharma", "pharmaceuticals", "health", "healthcare", "medical", "clinic",
        "clinics", "financial", "finance", "bank", "insurance", "realty", "real", "estate", "properties", "property",
        "construction", "builders", "engineering", "manufacturing", "motors", "auto", "automotive", "logistics",
        "transport", "travel", "foods", "food", "restaurant", "cafe", "hotel", "bakery", "studios", "studio", "design",
        "marketing", "labs", "lab", "research", "networks", "network", "communications", "telecom", "wireless", "cloud",
        "data", "analytics", "security", "education", "learning", "academy", "school", "university", "foundation",
        "trust", "fund", "investments", "investment", "ventures", "venture", "trading", "supply", "supplies", "products",
        "retail", "store", "stores", "shop", "farms", "farm", "agri", "mining", "metals", "steel", "oil", "gas", "power",
        "electric", "water", "wind", "solar", "chemicals", "plastics", "textiles", "apparel", "fashion", "entertainment",
        "sports", "games", "airlines", "air", "aviation", "marine", "shipping", "semiconductors", "electronics",
        "instruments", "devices", "robotics", "dynamics", "labs", "biotech", "bio", "life", "sciences", "care",
        "home", "homes", "house", "world", "national", "american", "european", "asia", "pacific", "atlantic", "united",
        "general", "first", "new", "north", "south", "east", "west", "central", "city", "company", "co", "corp",
        "hospitality", "legal", "law", "accounting", "advisors", "advisory", "agency", "works", "center", "centre",
        "institute", "association", "society", "club", "union", "the", "de", "du", "des", "la", "le", "et", "und",
        "y", "e", "of", "for", "and", "in", "at", "on", "by", "a", "an", "creative", "smart", "pro", "plus", "one",

        // What a business is, said after its name and dropped as often as said ("Quayside Dental" for "… Practice").
        "practice", "surgery", "partnership", "dental", "dentistry", "dentist", "dentists", "orthodontics", "pharmacy",
        "chemist", "veterinary", "vet", "vets", "optician", "opticians", "optometry", "physiotherapy", "physio",
        "chiropractic", "hospital", "surgeons", "doctors", "winery", "vineyard", "vineyards", "brewery", "distillery",
        "deli", "bistro", "grill", "bar", "pub", "tavern", "inn", "motel", "lodge", "salon", "spa", "barbers",
        "gallery", "florist", "florists", "flowers", "hardware", "garage", "plumbing", "electrical", "roofing",
        "landscaping", "cleaning", "printing", "photography", "interiors", "furniture", "accountants", "solicitors",
        "lawyers", "attorneys", "architects", "surveyors", "contractors", "contracting", "carpentry",
        "joinery", "removals", "storage", "warehouse", "imports", "exports", "distribution", "wholesale", "trade", "traders", "trader", "agencies", "udyog", "emporium",
        "est", "diamonds", "diamond", "jewellery", "jewelry", "jewellers", "jewelers", "textile", "handicraft", "handicrafts",
        "olive", "technical", "constructions", "tourism", "tours", "grain", "terminals", "terminal", "pipe", "pipes", "metal",
        "metals", "sweets", "dairy", "agro", "pharmaceutical", "advertising", "beverage", "cable", "cargo", "catering",
        "cement", "ceramic", "computer", "cosmetics", "fertilizer", "footwear", "garment", "leather", "maintenance",
        "packaging", "paint", "perfume", "poultry", "publishing", "recruitment", "training", "optical",
        "office", "offices", "firm", "church", "ministries", "college", "nursery", "childcare", "kindergarten",
        "chartered", "certified", "licensed", "registered", "district", "borough", "county", "municipal", "shire",

        // Law, tax and medical practices of other languages, which people type for the firm's name ("Kanzlei").
        "kanzlei", "steuerkanzlei", "anwaltskanzlei", "rechtsanwaltskanzlei", "rechtsanwalt", "rechtsanwalte",
        "rechtsanwaelte", "steuerberater", "steuerberatung", "wirtschaftsprufer", "wirtschaftspruefer", "notar",
        "notariat", "praxis", "arztpraxis", "zahnarztpraxis", "abogados", "advogados", "avvocati", "avocats", "advocaten",
        "advocatenkantoor", "kancelaria", "notaris", "notaire", "notaires", "despacho", "asesoria", "gestoria",
        "commercialista",

        // A family firm's "& Sons" and "Brothers", and trade words of other languages, dropped as often as said.
        "sons", "son", "brothers", "bros", "hijos", "hermanos", "filhos", "irmaos", "figli", "fratelli", "fils", "freres",
        "sohne", "soehne", "gebruder", "zonen", "gebroeders", "sonner", "talleres", "taller", "mecanicos", "construcciones",
        "construcoes", "construtora", "distribuciones", "distribuidora", "comercial", "comercio", "comercializadora",
        "industria", "industrias", "industrial", "inversiones", "bodegas", "bodega", "grupo", "gruppo", "gruppe", "groupe",
        "servicios", "servicos", "servizi", "transportes", "transporti", "impianti", "padaria", "panaderia", "confeitaria",
        "pasteleria", "ferreteria", "farmacia", "pharmacie", "boulangerie", "plomberie", "menuiserie", "przedsiebiorstwo",
        "handlowe", "uslugowe", "tomrerfirma", "epitoipari", "kereskedelmi", "bauunternehmen", "handel", "handelsgesellschaft",
    });

    /// <summary>
    /// Frequent surnames and brand words (US census top surnames, colours, nature and quality words): common enough in
    /// company names to be worth about 7.5 bits, not the 11 of a word never seen.
    /// </summary>
    private static readonly HashSet<string> CommonWords = WithCanonicalForms(new(StringComparer.Ordinal)
    {
        "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez", "hernandez",
        "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez",
        "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young", "allen",
        "king", "wright", "scott", "torres", "nguyen", "hill", "flores", "green", "adams", "nelson", "baker", "hall",
        "rivera", "campbell", "mitchell", "carter", "roberts", "gomez", "phillips", "evans", "turner", "diaz", "parker",
        "cruz", "edwards", "collins", "reyes", "stewart", "morris", "morales", "murphy", "cook", "rogers", "gutierrez",
        "ortiz", "morgan", "cooper", "peterson", "bailey", "reed", "kelly", "howard", "ramos", "kim", "cox", "ward",
        "richardson", "watson", "brooks", "chavez", "wood", "james", "bennett", "gray", "mendoza", "ruiz", "hughes",
        "price", "alvarez", "castillo", "sanders", "patel", "myers", "long", "ross", "foster", "jimenez", "powell",
        "jenkins", "perry", "russell", "sullivan", "bell", "coleman", "butler", "henderson", "barnes", "gonzales",
        "fisher", "vasquez", "simmons", "romero", "jordan", "patterson", "alexander", "hamilton", "graham", "reynolds",
        "griffin", "wallace", "moreno", "west", "cole", "hayes", "bryant", "herrera", "gibson", "ellis", "tran", "medina",
        "aguilar", "stevens", "murray", "ford", "castro", "marshall", "owens", "harrison", "fernandez", "mcdonald",
        "woods", "washington", "kennedy", "wells", "vargas", "henry", "chen", "freeman", "webb", "tucker", "guzman",
        "burns", "crawford", "olson", "simpson", "porter", "hunter", "gordon", "mendez", "silva", "shaw", "snyder",
        "mason", "dixon", "munoz", "hunt", "hicks", "holmes", "palmer", "wagner", "black", "robertson", "boyd", "rose",
        "stone", "salazar", "fox", "warren", "mills", "meyer", "rice", "schmidt", "garza", "daniels", "ferguson",
        "nichols", "stephens", "soto", "weaver", "ryan", "gardner", "payne", "grant", "dunn", "kelley", "spencer",
        "hawkins", "arnold", "pierce", "vazquez", "hansen", "peters", "santos", "hart", "bradley", "knight", "elliott",
        "cunningham", "duncan", "armstrong", "hudson", "carroll", "lane", "riley", "andrews", "alvarado", "ray",
        "delgado", "berry", "perkins", "hoffman", "johnston", "matthews", "pena", "richards", "contreras", "willis",
        "carpenter", "lawrence", "sandoval", "muller", "mueller", "schneider", "fischer", "weber", "becker", "wang",
        "li", "zhang", "liu", "yang", "singh", "kumar", "sharma", "tanaka", "suzuki", "sato", "dubois", "bernard",
        "silver", "gold", "golden", "blue", "red", "crystal", "diamond", "summit", "peak", "pinnacle", "apex", "alpha",
        "beta", "delta", "sigma", "omega", "vector", "vertex", "quantum", "fusion", "nova", "stellar", "star", "sun",
        "sunrise", "horizon", "vista", "pioneer", "liberty", "eagle", "falcon", "phoenix", "lion", "tiger", "oak",
        "pine", "maple", "cedar", "willow", "birch", "aspen", "redwood", "sequoia", "evergreen", "ironwood", "hawthorn",
        "river", "lake", "ocean", "bay", "harbor", "harbour", "coast", "coastal", "mountain", "valley", "canyon",
        "meadow", "prairie", "desert", "forest", "field", "fields", "rock", "stoneworks", "iron", "steel", "bright",
        "clear", "true", "prime", "premier", "royal", "imperial", "elite", "superior", "standard", "modern", "classic",
        "advanced", "innovative", "rapid", "swift", "dynamic", "strategic", "integrated", "precision", "northern",
        "southern", "eastern", "western", "urban", "metro", "rural", "coastline", "atlas", "titan", "orion", "zenith",
        "keystone", "cornerstone", "landmark", "heritage", "legacy", "frontier", "empire", "crown", "sterling",
        "platinum", "emerald", "sapphire", "ruby", "granite", "marble", "brookside", "riverside", "lakeside",
        "fairview", "greenfield", "highland", "whitehall", "blackstone", "southport", "northgate", "westwood",
        "eastwood", "oakwood", "springfield", "cloud", "wave", "spark", "bridge", "gate", "point", "light",
    });

    /// <summary>
    /// Generic words that say how big or how organised a company is, or that it serves, not what it does ("Group",
    /// "Holdings", "Worldwide", "Services"): a name with one added is often the same company's.
    /// </summary>
    private static readonly HashSet<string> DescriptorWords = WithCanonicalForms(new(StringComparer.Ordinal)
    {
        "group", "groupe", "gruppe", "grupo", "gruppo", "holding", "holdings", "worldwide", "world", "international",
        "intl", "global", "services", "service", "servicios", "servicos", "servizi", "solutions", "solution",
        "enterprises", "enterprise", "industries", "company", "partners", "associates", "ventures", "trading",
    });

    private static readonly HashSet<string> StopWords = new(
        [
            "and", "of", "the", "de", "du", "des", "la", "le", "et", "und", "y", "e", "for", "in", "at", "on", "by", "a", "an", "van", "von", "der", "den", "het",
            .. ElidedArticles.Words,
        ],
        StringComparer.Ordinal);

    /// <summary>The bits of every word of the corpus, computed once (one lookup per word when scoring), or null.</summary>
    private readonly Dictionary<string, double>? _bits;
    private readonly int _documents;

    private TokenStatistics(Dictionary<string, double>? bits, int documents)
    {
        _bits = bits;
        _documents = documents;
    }

    /// <summary>Gets statistics with built-in frequencies only.</summary>
    public static TokenStatistics Default { get; } = new(null, 0);

    /// <summary>Gets a value indicating whether the frequencies come from a corpus.</summary>
    public bool IsCorpusAware => _bits is not null;

    /// <summary>Counts name words over a corpus of company names (already normalised).</summary>
    public static TokenStatistics FromNames(IEnumerable<CompanyName> names)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var documents = Count(names, counts);
        return FromCounts(counts, documents);
    }

    /// <summary>
    /// <see cref="FromNames(IEnumerable{CompanyName})"/> on two cores: each half of the corpus is counted apart, then
    /// the counts are added (sums do not depend on the order, so the figures are the same).
    /// </summary>
    public static TokenStatistics FromNamesInParallel(IReadOnlyList<CompanyName> names)
    {
        if (names.Count < 50_000 || Environment.ProcessorCount < 2)
            return FromNames(names);
        var half = names.Count / 2;
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var second = new Dictionary<string, int>(StringComparer.Ordinal);
        Parallel.Invoke(
            () => Count(Range(names, 0, half), first),
            () => Count(Range(names, half, names.Count), second));
        foreach (var pair in second)
        {
#if NET8_0_OR_GREATER
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(first, pair.Key, out _) += pair.Value;
#else
            first[pair.Key] = first.TryGetValue(pair.Key, out var c) ? c + pair.Value : pair.Value;
#endif
        }

        return FromCounts(first, names.Count);
    }

    private static IEnumerable<CompanyName> Range(IReadOnlyList<CompanyName> names, int from, int to)
    {
        for (var i = from; i < to; i++)
            yield return names[i];
    }

    private static TokenStatistics FromCounts(Dictionary<string, int> counts, int documents)
    {
        // Tiny corpora say little about frequency: below 200 names keep the built-in figures.
        if (documents < 200)
            return Default;
        var bits = new Dictionary<string, double>(counts.Count, StringComparer.Ordinal);
        foreach (var pair in counts)
            bits.Add(pair.Key, CorpusBits(pair.Key, pair.Value, documents));
        return new TokenStatistics(bits, documents);
    }

    /// <summary>Adds the words of the names to <paramref name="counts"/> (once per name) and returns the number of names.</summary>
    private static int Count(IEnumerable<CompanyName> names, Dictionary<string, int> counts)
    {
        var documents = 0;
        foreach (var name in names)
        {
            documents++;
            var tokens = name.Tokens;
            for (var i = 0; i < tokens.Length; i++)
            {
                // A word counts once per name; names have a few words, so a scan beats a set.
                var token = tokens[i];
                if (i > 0 && Array.IndexOf(tokens, token, 0, i) >= 0)
                    continue;
#if NET8_0_OR_GREATER
                System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, token, out _)++;
#else
                counts[token] = counts.TryGetValue(token, out var c) ? c + 1 : 1;
#endif
            }
        }

        return documents;
    }

    /// <summary>Adds the form each word takes in a normalised name ("international" is read as "intl").</summary>
    private static HashSet<string> WithCanonicalForms(HashSet<string> words)
    {
        foreach (var word in words.ToList())
            words.Add(CompanyNameNormalizer.Canonical(word));
        return words;
    }

    /// <summary>Tells whether a word says what a company does ("services", "traders"), not which company it is.</summary>
    public static bool IsGeneric(string token) => GenericWords.Contains(token);

    /// <summary>Tells whether a word says how big or how organised a company is ("group", "worldwide"), not which company.</summary>
    public static bool IsDescriptor(string token) => DescriptorWords.Contains(token);

    /// <summary>Tells whether a folded word is a word of the tables: generic, common, or a word of a synonym group.</summary>
    public static bool IsKnownWord(string token) =>
        GenericWords.Contains(token) || CommonWords.Contains(token) || CompanyNameNormalizer.IsSynonymWord(token);

    /// <summary>Tells whether a word is a connector ("and", "of") that never identifies a company.</summary>
    public static bool IsStopWord(string token) => StopWords.Contains(token);

    /// <summary>Returns the information of a word in bits.</summary>
    public double Bits(string token)
    {
        if (_bits is null)
            return StopWords.Contains(token) ? MinBits : BuiltInBits(token);
        return _bits.TryGetValue(token, out var bits) ? bits : CorpusBits(token, 0, _documents);
    }

    private static double BuiltInBits(string token) =>
        token.Length <= 2 ? 3 : GenericWords.Contains(token) ? GenericBits : CommonWords.Contains(token) ? CommonBits : RareBits;

    private static double CorpusBits(string token, int count, int documents)
    {
        if (StopWords.Contains(token))
            return MinBits;
        var builtIn = BuiltInBits(token);

        // Smoothed document frequency; a word unseen in the corpus is as rare as the corpus can tell.
        var bits = Math.Log((documents + 2.0) / (count + 1.0), 2);
        if (count <= 1)
            bits = Math.Max(bits, builtIn);
        return Math.Max(MinBits, Math.Min(MaxBits, Math.Min(bits, builtIn + 4)));
    }
}
