using System.Globalization;
using PhoneNumbers;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// Puts phones in E.164 form with libphonenumber, using the record's country (or a default region), and derives the
/// switchboard key that ties direct dials to their main line.
/// </summary>
internal static class PhoneNormalizer
{
    /// <summary>Prefix of switchboard keys, so they never equal a full number.</summary>
    public const string SwitchboardPrefix = "sb:";

    /// <summary>Direct dials differ from the main line in their last digits; this many are dropped.</summary>
    public const int SwitchboardDigits = 2;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Countries where "00" starts an international number.</summary>
    private static readonly HashSet<string> InternationalPrefix00 = new(StringComparer.Ordinal)
    {
        "GB", "DE", "FR", "NL", "BE", "CH", "AT", "IT", "ES", "PT", "SE", "NO", "DK", "FI", "IE", "PL", "CZ", "GR", "IN",
        "NZ", "ZA", "MX", "TR", "CN",
    };

    /// <summary>Countries where a national number starts with the trunk prefix 0, dropped after the country code; and that code.</summary>
    private static readonly Dictionary<string, string> TrunkZero = new(StringComparer.Ordinal)
    {
        ["GB"] = "44", ["DE"] = "49", ["FR"] = "33", ["NL"] = "31", ["BE"] = "32", ["CH"] = "41", ["AT"] = "43",
        ["SE"] = "46", ["FI"] = "358", ["IE"] = "353", ["AU"] = "61", ["NZ"] = "64", ["IN"] = "91", ["ZA"] = "27",
        ["TR"] = "90", ["JP"] = "81", ["KR"] = "82", ["CN"] = "86", ["IL"] = "972",
    };

    /// <summary>
    /// The starts of freephone and national-rate numbers, which a company gives for all its sites (and a franchisor for its
    /// franchisees): +1 800, 833–888; +44 800, 808, 3, 84, 87; +61 13 and 1300/1800; +64 800, 508; +353 1800, 1850, 1890,
    /// 818; +33 8; +49 800, 180; +31 800, 90; +34 90; +39 80; +55 800, 300.
    /// </summary>
    private static readonly string[] NonGeographicStarts =
    [
        "+1800", "+1833", "+1844", "+1855", "+1866", "+1877", "+1888", "+44800", "+44808", "+443", "+4484", "+4487", "+611",
        "+64800", "+64508", "+3531800", "+3531850", "+3531890", "+353818", "+338", "+49800", "+49180", "+31800", "+3190",
        "+3490", "+3980", "+55800", "+55300",
    ];

    /// <summary>Tells whether an E.164 number is a freephone or national-rate number, not one place's line.</summary>
    public static bool IsNonGeographic(string e164)
    {
        foreach (var start in NonGeographicStarts)
        {
            if (e164.StartsWith(start, StringComparison.Ordinal))
                return true;
        }

        return false;
    }

    /// <summary>The most digits of one number: E.164 allows 15.</summary>
    private const int MaxDigits = 15;

    /// <summary>What people put between two numbers in one field, strongest first.</summary>
    private static readonly string[][] NumberSeparators = [[";", "|", "\n", ",", "&", " or ", " OR "], [" / "], ["/"]];

    /// <summary>Every two-letter code, upper case, once.</summary>
    private static readonly string[] Regions = Enumerable.Range(0, 26 * 26).Select(i => new string([(char)('A' + (i / 26)), (char)('A' + (i % 26))])).ToArray();

    /// <summary>Returns the E.164 form, or "#" and the digits when the number cannot be read, or empty.</summary>
    public static string ToE164(string? raw, string? country, string defaultRegion) => WithoutMexicanPrefixes(ReadE164(raw, country, defaultRegion));

    /// <summary>
    /// A Mexican number as dialled before 2019-2020, when the plan dropped its prefixes: "01" (long distance), "044"/"045"
    /// (a mobile from a landline) and the "1" after +52 (a mobile from abroad). CRMs hold numbers typed either way.
    /// </summary>
    private static string WithoutMexicanPrefixes(string e164)
    {
        if (!e164.StartsWith("+52", StringComparison.Ordinal))
            return e164;
        var national = e164.Length - 3;
        if (national == 11 && e164[3] == '1')
            return "+52" + e164.Substring(4);
        if (national == 12 && e164[3] == '0' && e164[4] == '1')
            return "+52" + e164.Substring(5);
        if (national == 13 && e164[3] == '0' && e164[4] == '4' && e164[5] is '4' or '5')
            return "+52" + e164.Substring(6);
        return e164;
    }

    private static string ReadE164(string? raw, string? country, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return string.Empty;
        var text = WithoutExtension(MatchText.Sanitize(raw!));
        var digits = MatchText.Digits(text);
        if (digits.Length > MaxDigits)
        {
            text = FirstNumber(text);
            digits = MatchText.Digits(text);
        }

        if (digits.Length < 6 || digits.Length > 17)
            return string.Empty;
        var region = NormalizeRegion(country) ?? defaultRegion;
        var trimmed = text.TrimStart();

        // Fast paths for the common shapes: "+<digits>" without a trunk "(0)", and North American 10/11 digits.
        if (trimmed.StartsWith("+", StringComparison.Ordinal) && trimmed.IndexOf("(0)", StringComparison.Ordinal) < 0 && digits.Length >= 8 && trimmed.IndexOf("ext", StringComparison.OrdinalIgnoreCase) < 0)
            return "+" + digits;
        if (region is "US" or "CA" && trimmed.IndexOf('x') < 0 && trimmed.IndexOf("ext", StringComparison.OrdinalIgnoreCase) < 0)
        {
            if (digits.Length == 10)
                return "+1" + digits;
            if (digits.Length == 11 && digits[0] == '1')
                return "+" + digits;
        }

        // International ("0049 …") and national ("020 …", trunk 0) forms of countries whose rules are that simple.
        if (trimmed.IndexOf('x') < 0 && trimmed.IndexOf("ext", StringComparison.OrdinalIgnoreCase) < 0 && trimmed.IndexOf("(0)", StringComparison.Ordinal) < 0)
        {
            if (digits.Length >= 10 && digits[0] == '0' && digits[1] == '0' && trimmed[0] == '0' && InternationalPrefix00.Contains(region))
                return "+" + digits.Substring(2);

            // "0061 2 9876 5432" in Australia, which dials abroad with 0011: "00" and the country's own code is its number
            // written for abroad, as most of the world writes it.
            if (digits.Length >= 10 && digits[0] == '0' && digits[1] == '0' && trimmed[0] == '0' && Util.GetCountryCodeForRegion(region) is var own and > 0 &&
                string.CompareOrdinal(digits, 2, own.ToString(CultureInfo.InvariantCulture), 0, own < 10 ? 1 : own < 100 ? 2 : 3) == 0)
                return "+" + digits.Substring(2);
            if (digits.Length is >= 8 and <= 12 && digits[0] == '0' && digits[1] != '0' && trimmed[0] is '0' or '(' && TrunkZero.TryGetValue(region, out var code))
                return "+" + code + digits.Substring(1);
        }

        try
        {
            var number = Util.Parse(text, region);
            if (trimmed.StartsWith("00", StringComparison.Ordinal) && !Util.IsValidNumber(number) && InternationalWith00(text, digits) is { } international)
                return international;
            return Util.Format(number, PhoneNumberFormat.E164);
        }
        catch (Exception ex) when (ex is NumberParseException or ArgumentException)
        {
            return InternationalWith00(text, digits) ?? "#" + digits;
        }
    }

    /// <summary>
    /// What marks an extension after a number, lower case: "x214", "ext. 214", "#214", "poste 214", "доб. 214", "ramal 12",
    /// "anexo 3", "wewn. 21", "kl. 205", "вн. 12", "dahili 4", "内線 123", "分機 54120", "분기 7230".
    /// </summary>
    private static readonly string[] ExtensionMarks =
    [
        "extension", "extn", "ext", "x", "#", "poste", "доб", "durchwahl", "dw", "ramal", "anexo", "interno", "int", "wewn", "kl", "вн",
        "внутр", "dahili", "内線", "内线", "分機", "分机", "분기", "내선",
    ];

    /// <summary>
    /// The number without the extension typed after it ("+44 231 429 0478 x214", "(555) 010-2000 ext. 12"): an extension
    /// reaches one desk, the number is the company's. Text without one is returned as it is.
    /// </summary>
    internal static string WithoutExtension(string text)
    {
        // Back from the end: up to six digits, then dots, colons and spaces, then a mark after a space or a digit.
        var end = text.Length;
        while (end > 0 && text[end - 1] is ' ' or ')')
            end--;
        var digitsStart = end;
        while (digitsStart > 0 && text[digitsStart - 1] is >= '0' and <= '9')
            digitsStart--;
        if (digitsStart == end || end - digitsStart > 6)
            return text;
        var markEnd = digitsStart;
        while (markEnd > 0 && text[markEnd - 1] is ' ' or '.' or ':')
            markEnd--;
        foreach (var mark in ExtensionMarks)
        {
            var start = markEnd - mark.Length;
            if (start <= 0 || string.Compare(text, start, mark, 0, mark.Length, StringComparison.OrdinalIgnoreCase) != 0)
                continue;
            var before = text[start - 1];
            if (before is ' ' or ',' or ';' or '(' || (before is >= '0' and <= '9' && mark is "x" or "#" or "ext"))
                return text.Substring(0, start).TrimEnd(' ', ',', ';', '(', '-');
        }

        return text;
    }

    /// <summary>
    /// "001 813 251 0900" typed in a country that dials abroad otherwise (the US dials 011): people write the "00" most of
    /// the world dials. The number after it, when it is a valid number; otherwise null.
    /// </summary>
    private static string? InternationalWith00(string text, string digits)
    {
        if (digits.Length < 10 || !text.TrimStart().StartsWith("00", StringComparison.Ordinal) || digits[2] == '0')
            return null;
        try
        {
            var number = Util.Parse("+" + digits.Substring(2), "ZZ");
            if (Util.IsValidNumber(number))
                return Util.Format(number, PhoneNumberFormat.E164);

            // "001" and ten digits is a North American number, read as "+1 …" and ten digits are (unvalidated) in the US.
            return digits.Length == 13 && digits[2] == '1' ? "+" + digits.Substring(2) : null;
        }
        catch (Exception ex) when (ex is NumberParseException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// The first number of a field that holds several ("020 7946 0958; 07700 900123", "206-555-0142 / 206-555-0199"):
    /// the first part with a number's worth of digits, cut at the strongest separator that gives one ("310/246-1501 /
    /// 310/246-1502" is cut at " / ", not at the area code's slash). The field as it is when none does.
    /// </summary>
    private static string FirstNumber(string text)
    {
        foreach (var separators in NumberSeparators)
        {
            foreach (var part in text.Split(separators, StringSplitOptions.RemoveEmptyEntries))
            {
                var digits = MatchText.Digits(part).Length;
                if (digits >= 6)
                {
                    if (digits <= MaxDigits)
                        return part;
                    break;
                }
            }
        }

        return text;
    }

    /// <summary>Returns the switchboard key (the number without its last digits), or empty for short or unread numbers.</summary>
    public static string SwitchboardKey(string e164) =>
        e164.Length >= 9 && e164[0] == '+' ? SwitchboardPrefix + e164.Substring(0, e164.Length - SwitchboardDigits) : string.Empty;

    /// <summary>The prefix of the key of a national significant number ("p:n" and the number without its country code).</summary>
    public const string NationalPrefix = "n";

    /// <summary>The fewest digits a national number is compared by: shorter ones end too many numbers.</summary>
    public const int MinNationalDigits = 7;

    /// <summary>
    /// The digits of a number typed as a national number where no country says whose ("2545 3318", "053 275100" with the
    /// country left empty or unknown), a trunk 0 kept; empty otherwise. It is compared with a record's number without
    /// its country code, with and without that 0 (Italy keeps it): the default region is a guess, this is what was typed.
    /// </summary>
    public static string NationalDigits(string? raw, string? country)
    {
        if (string.IsNullOrWhiteSpace(raw) || NormalizeRegion(country) is not null)
            return string.Empty;
        var text = WithoutExtension(MatchText.Sanitize(raw!)).TrimStart();
        if (text.Length == 0 || text[0] == '+' || text.StartsWith("00", StringComparison.Ordinal) || text.IndexOf("ext", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf('x') >= 0)
            return string.Empty;
        var digits = MatchText.Digits(text);
        var significant = digits.Length > 0 && digits[0] == '0' ? digits.Length - 1 : digits.Length;
        return significant is >= MinNationalDigits and <= 12 && (digits.Length < 2 || digits[1] != '0') ? digits : string.Empty;
    }

    /// <summary>The national significant number of an E.164 number (without "+" and its country code), or empty.</summary>
    public static string NationalNumber(string e164) => NationalNumberStart(e164) is var start and > 0 ? e164.Substring(start) : string.Empty;

    /// <summary>
    /// Where the national significant number of an E.164 number starts (after "+" and its country code), or -1: keys are
    /// written from it without a string per record.
    /// </summary>
    public static int NationalNumberStart(string e164)
    {
        if (e164.Length < 2 + MinNationalDigits || e164[0] != '+')
            return -1;
        for (var length = 1; length <= 3; length++)
        {
            var code = 0;
            for (var i = 1; i <= length; i++)
                code = (code * 10) + (e164[i] - '0');
            if (Util.GetRegionCodeForCountryCode(code) != "ZZ")
                return e164.Length - 1 - length >= MinNationalDigits ? 1 + length : -1;
        }

        return -1;
    }

    /// <summary>
    /// Returns an upper-case ISO alpha-2 region, or null: a two-letter code as written ("uk" is GB; a state's or
    /// province's that is no country's is its country's: "CT" is US), or the code of a country's name ("Germany",
    /// "Deutschland", "DEU", "Texas").
    /// </summary>
    public static string? NormalizeRegion(string? country)
    {
        if (string.IsNullOrWhiteSpace(country))
            return null;
        var c = country!.Trim();
        int first = c[0] | 0x20, second = c.Length == 2 ? c[1] | 0x20 : 0;
        if (first is < 'a' or > 'z' || second is < 'a' or > 'z')
            return CountryNames.CodeOf(c) is { } code ? Region(code[0], code[1]) : null;
        if (first == 'u' && second == 'k')
            return "GB";
        return CountryNames.OfStateCode(c) ?? Region(first, second);
    }

    /// <summary>One shared string per code: a million accounts share a few dozen countries (at most 676 codes exist).</summary>
    private static string Region(int first, int second) => Regions[(((first | 0x20) - 'a') * 26) + ((second | 0x20) - 'a')];
}
