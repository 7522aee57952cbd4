using System.Text;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// Thai writes a name's words without spaces ("ร้านยาฟาร์มาดี สาขาลาดพร้าว", the pharmacy Pharmadee, Lat Phrao branch),
/// where a registered name has them ("บริษัท ฟาร์มาดี ดรักสโตร์ จำกัด"). Known words are set apart: the trade words and
/// forms of names, the road and district words of addresses; the rest of a run stays one word.
/// </summary>
internal static class ThaiWords
{
    /// <summary>
    /// Legal forms and "head office" of Thai names, besides the words of the synonym tables (trade words, "สาขา" branch,
    /// "ร้านยา" pharmacy).
    /// </summary>
    private static readonly string[] NameFormWords = ["บริษัท", "จำกัด", "มหาชน", "ห้างหุ้นส่วนจำกัด", "ห้างหุ้นส่วนสามัญ", "สำนักงานใหญ่"];

    private static readonly Lazy<string[]> Names = new(() => NameFormWords
        .Concat(ReferenceData.OrgSynonyms.Select(line => line.Split('\t')[0]).Where(alias => alias.Length >= 3 && alias.All(IsThai)))
        .Distinct(StringComparer.Ordinal)
        .OrderByDescending(word => word.Length)
        .ToArray());

    /// <summary>Road ("ถนน", "ถ."), lane ("ซอย", "ซ.") and village ("หมู่", "ม.") words of addresses, as the matcher reads them.</summary>
    private static readonly (string Thai, string Read)[] StreetWords =
    [
        ("ถนน", "road"), ("ถ.", "road"), ("ซอย", "soi"), ("ซ.", "soi"), ("หมู่ที่", "moo"), ("หมู่", "moo"), ("ม.", "moo"),
    ];

    /// <summary>Sub-district, district and province words: what follows them is no longer the street.</summary>
    private static readonly string[] DistrictWords = ["แขวง", "เขต", "ตำบล", "ต.", "อำเภอ", "อ.", "จังหวัด", "จ."];

    /// <summary>The words a street line is split at, longest first.</summary>
    private static readonly string[] Streets = StreetWords.Select(w => w.Thai).Concat(DistrictWords).OrderByDescending(w => w.Length).ToArray();

    /// <summary>Tells whether a character is of the Thai block.</summary>
    public static bool IsThai(char c) => c is >= '\u0E00' and <= '\u0E7F';

    /// <summary>A company name with its known Thai words set apart; text without Thai is returned as it is.</summary>
    public static string NameApart(string text) => HasThai(text) ? Apart(text, Names.Value) : text;

    /// <summary>
    /// A street line with its Thai road and lane words read ("123 ถ.ลาดพร้าว" = "123 road ลาดพร้าว") and without the
    /// sub-district, district and province after it ("… แขวงจอมพล เขตจตุจักร").
    /// </summary>
    public static string StreetApart(string text)
    {
        if (!HasThai(text))
            return text;
        var parts = Apart(text, Streets).Split([' '], StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            if (kept.Count > 0 && Array.IndexOf(DistrictWords, part) >= 0)
                break;
            var read = Array.FindIndex(StreetWords, w => w.Thai == part);
            kept.Add(read >= 0 ? StreetWords[read].Read : part);
        }

        return string.Join(" ", kept);
    }

    private static bool HasThai(string text)
    {
        foreach (var c in text)
        {
            if (IsThai(c))
                return true;
        }

        return false;
    }

    /// <summary>
    /// Sets each known word apart from the Thai letters around it: at either end of a run of Thai letters, or inside it
    /// for words of four letters or more; never inside a syllable (before a vowel or mark that follows its consonant, or
    /// after a vowel written before it), and never leaving fewer than two letters of a run.
    /// </summary>
    private static string Apart(string text, string[] words)
    {
        var written = new StringBuilder(text.Length + 8);
        var i = 0;
        while (i < text.Length)
        {
            if (!IsThai(text[i]))
            {
                written.Append(text[i++]);
                continue;
            }

            var end = i;
            while (end < text.Length && (IsThai(text[end]) || (text[end] == '.' && end > i && IsThai(text[end - 1]))))
                end++;
            SplitRun(text, i, end, words, written);
            i = end;
        }

        return written.ToString();
    }

    private static void SplitRun(string text, int start, int end, string[] words, StringBuilder written)
    {
        // What is left of the run after a word is a run of its own.
        var at = start;
        while (at < end)
        {
            var (found, length) = FirstWord(text, at, end, words, at);
            if (found < 0)
            {
                written.Append(text, at, end - at);
                return;
            }

            if (found > at)
                written.Append(text, at, found - at).Append(' ');
            written.Append(text, found, length);
            at = found + length;
            if (at < end)
                written.Append(' ');
        }
    }

    /// <summary>The first known word in text[from, end) where a word may begin and end, with its length; (-1, 0) for none.</summary>
    private static (int At, int Length) FirstWord(string text, int from, int end, string[] words, int runStart)
    {
        for (var at = from; at < end; at++)
        {
            if (!MayBreakAt(text, at, runStart, end))
                continue;
            foreach (var word in words)
            {
                var after = at + word.Length;
                if (after > end || string.CompareOrdinal(text, at, word, 0, word.Length) != 0 || !MayBreakAt(text, after, runStart, end))
                    continue;
                var atEdge = at == runStart || after == end;
                if (!atEdge && word.Length < 4)
                    continue;

                // Two letters at least are left of the run on either side, or none.
                if ((at - runStart is > 0 and < 2) || (end - after is > 0 and < 2))
                    continue;
                return (at, word.Length);
            }
        }

        return (-1, 0);
    }

    /// <summary>Tells whether a word may begin or end at a position of a run: not inside a syllable.</summary>
    private static bool MayBreakAt(string text, int at, int runStart, int end)
    {
        if (at == runStart || at == end)
            return true;
        var next = text[at];
        var previous = text[at - 1];
        return !(next is (>= '\u0E30' and <= '\u0E3A') or '\u0E45' or (>= '\u0E47' and <= '\u0E4E') or '.') &&
            previous is not (>= '\u0E40' and <= '\u0E44');
    }
}
