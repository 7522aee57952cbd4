using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>Compares given names with the carltonnorthern nickname table (Bill = William, Liz = Elizabeth).</summary>
internal static class PersonNameNormalizer
{
    private static readonly Lazy<Dictionary<string, int[]>> Groups = new(BuildGroups);

    /// <summary>Titles and honorifics typed before a name ("Dr. Jane", "Mr John", "Frau Anna").</summary>
    private static readonly HashSet<string> Titles = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "fr", "herr", "frau", "mme",
        "mlle", "mevr", "dhr", "sr", "sra", "srta", "dott",
    };

    /// <summary>Suffixes and letters typed after a name ("Smith Jr.", "Lee PhD").</summary>
    private static readonly HashSet<string> Suffixes = new(StringComparer.Ordinal)
    {
        "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "dds", "cpa", "mba", "msc", "bsc",
    };

    /// <summary>
    /// Folds a person name part to lower-case letters, without a title before it, initials after its first word, or a
    /// suffix after it: "Dr. Jane M." is "jane", "Smith Jr." is "smith". A part that is nothing else keeps its words.
    /// </summary>
    public static string Fold(string? name)
    {
        var folded = MatchText.Fold(name);
        if (folded.IndexOf(' ') < 0)
            return folded;
        var words = new List<string>(MatchText.Tokens(folded));
        while (words.Count > 1 && Titles.Contains(words[0]))
            words.RemoveAt(0);
        for (var i = words.Count - 1; i >= 1; i--)
        {
            if (words[i].Length == 1 || Suffixes.Contains(words[i]))
                words.RemoveAt(i);
        }

        return string.Join(" ", words);
    }

    /// <summary>
    /// The person's folded first and last names, as <see cref="Fold"/> gives them; "Smith, John" typed in the last-name
    /// field with no first name is John Smith.
    /// </summary>
    public static (string First, string Last) FoldNames(string? first, string? last)
    {
        if (string.IsNullOrWhiteSpace(first) && last is not null && last.IndexOf(',') is var comma and > 0 && comma < last.Length - 1)
            return (Fold(last.Substring(comma + 1)), Fold(last.Substring(0, comma)));
        return (Fold(first), Fold(last));
    }

    /// <summary>
    /// Tells whether two folded family names may be one person's: equal, spelled the other customary way ("Mueller" and
    /// "Müller", whose fold is "muller"), one a part of the other's two surnames ("García" of "García López", "Whitcombe"
    /// of "Jones-Whitcombe"), the same without a space ("Van den Berg", "Vandenberg"), or a slip of one letter after the first
    /// in a name of five or more ("Kowalcyzk", "Brwon").
    /// </summary>
    public static bool SameFamilyName(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
            return false;
        return a == b || SameUmlautReading(a, b) || StartsWithWord(a, b) || StartsWithWord(b, a) || EndsWithWord(a, b) || EndsWithWord(b, a) ||
               SameWithoutSpaces(a, b) || (Math.Min(a.Length, b.Length) >= 5 && a[0] == b[0] && EditDistance.Within(a, b, 1));

        static bool StartsWithWord(string names, string word) =>
            names.Length > word.Length && names[word.Length] == ' ' && string.CompareOrdinal(names, 0, word, 0, word.Length) == 0;

        // "Jones Whitcombe" (written "Jones-Whitcombe") and "Whitcombe": a double surname's last part.
        static bool EndsWithWord(string names, string word) =>
            names.Length > word.Length && names[names.Length - word.Length - 1] == ' ' && string.CompareOrdinal(names, names.Length - word.Length, word, 0, word.Length) == 0;
    }

    /// <summary>"Van den Berg" and "Vandenberg", "Mc Allister" and "McAllister", "Abdul Rahman" and "Abdulrahman".</summary>
    private static bool SameWithoutSpaces(string a, string b) =>
        (a.IndexOf(' ') >= 0 || b.IndexOf(' ') >= 0) && a.Replace(" ", string.Empty) == b.Replace(" ", string.Empty);

    /// <summary>Tells whether two folded names are one written with "ue", "oe", "ae" where the other has its umlaut folded to "u", "o", "a".</summary>
    private static bool SameUmlautReading(string a, string b)
    {
        var (longer, shorter) = a.Length > b.Length ? (a, b) : (b, a);
        if (longer.Length == shorter.Length || longer.Length > shorter.Length + 3 || longer.IndexOf('e') < 0)
            return false;
        int i = 0, j = 0;
        while (i < longer.Length && j < shorter.Length)
        {
            if (longer[i] == shorter[j])
            {
                if (longer[i] is 'a' or 'o' or 'u' && i + 1 < longer.Length && longer[i + 1] == 'e' && (j + 1 >= shorter.Length || shorter[j + 1] != 'e'))
                    i++;
                i++;
                j++;
            }
            else
            {
                return false;
            }
        }

        return i == longer.Length && j == shorter.Length;
    }

    /// <summary>
    /// Tells whether two given names may name the same person: equal, one a nickname of the other, one romanisation of
    /// the other, the same with an umlaut spelled out ("Juergen", "Jürgen") or without a space ("Abdulrahman").
    /// </summary>
    /// <summary>Tells whether a folded word is a known given name: of the nickname list ("david") or of the given names of many countries ("hugo", "priya").</summary>
    public static bool IsKnownGivenName(string folded) => Groups.Value.ContainsKey(folded) || ReferenceData.GivenNames.Contains(folded);

    public static bool SameGivenName(string? a, string? b)
    {
        var x = Fold(a);
        var y = Fold(b);
        if (x.Length == 0 || y.Length == 0)
            return false;
        if (x == y || SameUmlautReading(x, y) || SameWithoutSpaces(x, y) || (RomanisedEnding(x) is var rx && rx == RomanisedEnding(y) && rx.Length > 2))
            return true;
        var groups = Groups.Value;
        if (!groups.TryGetValue(x, out var gx) || !groups.TryGetValue(y, out var gy))
            return false;
        foreach (var g in gx)
        {
            if (Array.IndexOf(gy, g) >= 0)
                return true;
        }

        return false;
    }

    /// <summary>
    /// A Russian or Ukrainian given name's ending as romanisations differ on it: "Sergey" = "Sergei", "Dmitriy" = "Dmitry"
    /// = "Dmitri", "Yuriy" = "Yuri", "Nikolay" = "Nikolai".
    /// </summary>
    private static string RomanisedEnding(string name) =>
        name.EndsWith("iy", StringComparison.Ordinal) || name.EndsWith("ii", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1)
        : name.Length > 3 && name[name.Length - 1] == 'y' && name[name.Length - 2] is not ('o' or 'u') ? name.Substring(0, name.Length - 1) + "i"
        : name;

    /// <summary>
    /// Nicknames the embedded list lacks, as people in Spanish-, Russian- and Arabic-speaking countries use them, and
    /// spellings of one name: "name,nickname".
    /// </summary>
    private static readonly string[] MoreNicknames =
    [
        "katherine,katie", "catherine,katie", "francisco,paco", "francisco,pancho", "jose,pepe", "ignacio,nacho",
        "guadalupe,lupe", "dolores,lola", "rosario,charo", "concepcion,concha", "guillermo,memo", "enrique,quique",
        "enrique,kike", "antonio,tono", "alberto,beto", "roberto,beto", "alexander,sasha", "aleksandr,sasha",
        "aleksandr,alexander", "aleksandr,alex", "alexandra,sasha", "mikhail,misha", "mikhail,michael", "dmitri,dima",
        "vladimir,volodya", "nikolai,kolya", "sergei,seryozha", "evgeny,zhenya", "yevgeny,zhenya", "alexei,lyosha",
        "ivan,vanya", "maria,masha", "natalia,natasha", "tatiana,tanya", "ekaterina,katya", "ekaterina,katerina",
        "mohammed,mohammad", "mohammed,muhammad", "mohammed,mohamed", "mohammed,muhammed", "mohammed,mohamad",
        "mohammed,mohd",
    ];

    private static Dictionary<string, int[]> BuildGroups()
    {
        // One group per canonical name: the name and its nicknames.
        var canonical = new Dictionary<string, int>(StringComparer.Ordinal);
        var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var line in ReferenceData.Nicknames.Concat(MoreNicknames))
        {
            var comma = line.IndexOf(',');
            if (comma <= 0)
                continue;
            var name = MatchText.Fold(line.Substring(0, comma));
            var nick = MatchText.Fold(line.Substring(comma + 1));
            if (name.Length == 0 || nick.Length == 0)
                continue;
            if (!canonical.TryGetValue(name, out var id))
            {
                id = canonical.Count;
                canonical[name] = id;
                Add(members, name, id);
            }

            Add(members, nick, id);
        }

        var result = new Dictionary<string, int[]>(members.Count, StringComparer.Ordinal);
        foreach (var pair in members)
            result[pair.Key] = pair.Value.ToArray();
        return result;
    }

    private static void Add(Dictionary<string, List<int>> members, string name, int id)
    {
        if (!members.TryGetValue(name, out var list))
            members[name] = list = [];
        if (!list.Contains(id))
            list.Add(id);
    }
}
