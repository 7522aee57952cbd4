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

    /// <summary>Tells whether two given names may name the same person: equal, or one is a nickname of the other.</summary>
    public static bool SameGivenName(string? a, string? b)
    {
        var x = Fold(a);
        var y = Fold(b);
        if (x.Length == 0 || y.Length == 0)
            return false;
        if (x == y)
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

    private static Dictionary<string, int[]> BuildGroups()
    {
        // One group per canonical name: the name and its nicknames.
        var canonical = new Dictionary<string, int>(StringComparer.Ordinal);
        var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var line in ReferenceData.Nicknames)
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
