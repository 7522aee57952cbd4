using System.Globalization;
using CrmGuardrails.Matching.Bulk;
using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Matching.Scoring;

/// <summary>The result of scoring one lead against one account.</summary>
/// <param name="Weight">The total match weight in bits, prior included.</param>
/// <param name="Score">The calibrated probability.</param>
/// <param name="Evidence">The evidence, strongest first, or null when not asked for.</param>
internal readonly record struct PairScore(double Weight, double Score, List<MatchEvidence>? Evidence);

/// <summary>
/// Fellegi-Sunter scoring: each field adds log2(m/u) bits when it agrees and subtracts when it disagrees; the name's
/// weight is term-frequency adjusted (the information of the words the names share). The score is 2^W/(1+2^W).
/// </summary>
internal sealed class MatchEngine
{
    /// <summary>Log-odds (bits) that a retrieved candidate is the lead's account before any field is compared.</summary>
    public const double PriorBits = -6;

    // Field weights in bits, log2(m/u) with m and u estimated for CRM data (see docs/matching.md).
    public const double EmailExact = 11;
    public const double DomainAgree = 8;
    public const double DomainDisagree = -3;
    public const double PhoneAgree = 7;
    public const double SwitchboardAgree = 4.5;
    public const double PhoneDisagree = -1;
    public const double StreetAgree = 4;
    public const double StreetDisagree = -1.5;
    public const double CityAgree = 1.5;
    public const double CityDisagree = -2.5;
    public const double PostalAgree = 3;
    public const double PostalDisagree = -1.5;
    public const double CountryDisagree = -4;
    public const double ContactPersonAgree = 2;
    public const double NameCap = 13;
    public const double NameDisagree = -5;

    /// <summary>A block needs the name or a domain/email to agree: phones and addresses alone are shared (hotels, HQs).</summary>
    public const double UncorroboratedCap = 0.98;

    private readonly HashSet<string> _allowList;

    public MatchEngine(MatchingOptions options, TokenStatistics statistics)
    {
        Options = options;
        Statistics = statistics;
        _allowList = new HashSet<string>(options.FreeMailAllowList.Select(d => d.Trim().ToLowerInvariant()), StringComparer.Ordinal);
    }

    public MatchingOptions Options { get; }

    public TokenStatistics Statistics { get; }

    public static double ToProbability(double weight) => 1 / (1 + Math.Pow(2, -weight));

    public string CompanyDomain(string host)
    {
        var domain = DomainNormalizer.RegistrableDomain(host);
        return domain.Length == 0 || DomainNormalizer.IsFreeMail(domain, _allowList) ? string.Empty : domain;
    }

    public AccountFeatures Features(Account account)
    {
        var email = DomainNormalizer.NormalizeEmail(account.Email);
        var domains = Distinct(CompanyDomain(DomainNormalizer.HostOfWebsite(account.Website)), CompanyDomain(DomainNormalizer.HostOfEmail(email)));
        var phone = PhoneNormalizer.ToE164(account.Phone, account.Country, Options.DefaultRegion);
        return new AccountFeatures(
            account,
            CompanyNameNormalizer.Normalize(account.Name),
            domains,
            phone.Length > 0 ? [phone] : [],
            email,
            AddressNormalizer.Normalize(account.Street, account.City, account.PostalCode, account.Country));
    }

    public ContactFeatures Features(Contact contact)
    {
        var email = DomainNormalizer.NormalizeEmail(contact.Email);
        return new ContactFeatures(contact, email, CompanyDomain(DomainNormalizer.HostOfEmail(email)), PhoneNormalizer.ToE164(contact.Phone, null, Options.DefaultRegion));
    }

    public ContactFeatures Features(Contact contact, string? country)
    {
        var email = DomainNormalizer.NormalizeEmail(contact.Email);
        return new ContactFeatures(contact, email, CompanyDomain(DomainNormalizer.HostOfEmail(email)), PhoneNormalizer.ToE164(contact.Phone, country, Options.DefaultRegion));
    }

    public LeadFeatures Features(Lead lead)
    {
        var email = DomainNormalizer.NormalizeEmail(lead.Email);
        var domains = Distinct(CompanyDomain(DomainNormalizer.HostOfEmail(email)), CompanyDomain(DomainNormalizer.HostOfWebsite(lead.Website)));
        return new LeadFeatures(
            lead,
            CompanyNameNormalizer.Normalize(lead.Company),
            email,
            domains,
            PhoneNormalizer.ToE164(lead.Phone, lead.Country, Options.DefaultRegion),
            AddressNormalizer.Normalize(lead.Street, lead.City, lead.PostalCode, lead.Country));
    }

    /// <summary>Name keys: the run-together name, the sorted-word name, distinctive words and adjacent word pairs.</summary>
    public List<string> NameKeys(CompanyName name)
    {
        var keys = new List<string>(8);
        if (name.IsEmpty)
            return keys;
        if (name.Compact.Length >= 2)
            keys.Add("n:" + name.Compact);
        var words = new List<string>(name.Tokens.Length);
        foreach (var token in name.Tokens)
        {
            if (!TokenStatistics.IsStopWord(token))
                words.Add(token);
        }

        if (words.Count > 1)
        {
            var sorted = words.ToArray();
            Array.Sort(sorted, StringComparer.Ordinal);
            var sortedKey = string.Concat(sorted);
            if (sortedKey != name.Compact)
                keys.Add("s:" + sortedKey);
            for (var i = 0; i + 1 < words.Count && i < 6; i++)
                AddOnce(keys, "b:" + words[i] + " " + words[i + 1]);
        }

        // Distinctive words only, the four rarest: a common word ("global") would retrieve half the directory.
        var candidates = new List<(string Word, double Bits)>(words.Count);
        foreach (var word in words)
        {
            if (word.Length < 3)
                continue;
            var bits = Statistics.Bits(word);
            if (bits >= TokenStatistics.KeyBits && !candidates.Exists(c => c.Word == word))
                candidates.Add((word, bits));
        }

        if (candidates.Count > 4)
            candidates.Sort((a, b) => b.Bits.CompareTo(a.Bits));
        for (var i = 0; i < candidates.Count && i < 4; i++)
            keys.Add("t:" + candidates[i].Word);
        return keys;
    }

    /// <summary>
    /// The <see cref="KeyIndex.Hash(string)"/> of every key of <see cref="NameKeys"/>, in the same order, without
    /// building the key strings (the bulk index keeps only hashes).
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="into">Receives the hashes.</param>
    /// <returns>The position in <paramref name="into"/> where the single-word ("t:") keys start.</returns>
    public int NameKeyHashes(CompanyName name, List<ulong> into)
    {
        var first = into.Count;
        if (name.IsEmpty)
            return into.Count;
        if (name.Compact.Length >= 2)
            into.Add(KeyIndex.Hash("n:", name.Compact));
        var tokens = name.Tokens;
        var words = new string[tokens.Length];
        var count = 0;
        foreach (var token in tokens)
        {
            if (!TokenStatistics.IsStopWord(token))
                words[count++] = token;
        }

        if (count > 1)
        {
            var sorted = new string[count];
            Array.Copy(words, sorted, count);
            Array.Sort(sorted, StringComparer.Ordinal);
            if (!ConcatEquals(sorted, name.Compact))
            {
                var hash = KeyIndex.Hash("s:");
                foreach (var word in sorted)
                    hash = KeyIndex.Append(hash, word);
                into.Add(hash);
            }

            var b = KeyIndex.Hash("b:");
            for (var i = 0; i + 1 < count && i < 6; i++)
            {
                var hash = KeyIndex.Append(KeyIndex.Append(KeyIndex.Append(b, words[i]), ' '), words[i + 1]);
                if (into.IndexOf(hash, first) < 0)
                    into.Add(hash);
            }
        }

        var wordStart = into.Count;
        List<(string Word, double Bits)>? candidates = null;
        for (var w = 0; w < count; w++)
        {
            var word = words[w];
            if (word.Length < 3)
                continue;
            var bits = Statistics.Bits(word);
            if (bits >= TokenStatistics.KeyBits && (candidates is null || !candidates.Exists(c => c.Word == word)))
                (candidates ??= new List<(string Word, double Bits)>(count)).Add((word, bits));
        }

        if (candidates is null)
            return wordStart;
        if (candidates.Count > 4)
            candidates.Sort((a, b) => b.Bits.CompareTo(a.Bits));
        for (var i = 0; i < candidates.Count && i < 4; i++)
            into.Add(KeyIndex.Hash("t:", candidates[i].Word));
        return wordStart;
    }

    /// <summary>Tells whether the words run together equal <paramref name="text"/>, without concatenating them.</summary>
    private static bool ConcatEquals(string[] words, string text)
    {
        var position = 0;
        foreach (var word in words)
        {
            if (position + word.Length > text.Length || string.CompareOrdinal(word, 0, text, position, word.Length) != 0)
                return false;
            position += word.Length;
        }

        return position == text.Length;
    }

    /// <summary>The core name and the distinctive words of its keys, as plain text for hosts that search by name.</summary>
    public static IReadOnlyList<string> NameTerms(CompanyName name, List<string> keys)
    {
        var terms = new List<string>(5);
        if (name.Core.Length > 0)
            terms.Add(name.Core);
        foreach (var key in keys)
        {
            if (key.StartsWith("t:", StringComparison.Ordinal) && !terms.Contains(key.Substring(2)))
                terms.Add(key.Substring(2));
        }

        return terms;
    }

    private static void AddOnce(List<string> keys, string key)
    {
        if (!keys.Contains(key))
            keys.Add(key);
    }

    public static IReadOnlyList<string> PhoneKeys(string e164)
    {
        if (e164.Length == 0)
            return [];
        var switchboard = PhoneNormalizer.SwitchboardKey(e164);
        return switchboard.Length > 0 ? [e164, switchboard] : [e164];
    }

    /// <summary>Scores a lead against an account and its contacts.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="account">The account.</param>
    /// <param name="contacts">The account's contacts (may be empty).</param>
    /// <param name="share">How many accounts use a phone or switchboard key or a domain (1 when unknown).</param>
    /// <param name="explain">Whether to build the evidence list.</param>
    public PairScore Score(LeadFeatures lead, AccountFeatures account, IReadOnlyList<ContactFeatures> contacts, Func<string, int> share, bool explain)
    {
        var evidence = explain ? new List<MatchEvidence>() : null;
        var total = PriorBits;
        var corroborated = false;

        // Name.
        var (nameWeight, nameDetail) = CompareNames(lead.Name, account.Name, explain);
        if (nameWeight != 0)
        {
            total += nameWeight;
            evidence?.Add(new MatchEvidence("name", nameDetail, Round(nameWeight)));
            if (nameWeight >= 6)
                corroborated = true;
        }

        // Email address: the lead's address is a known contact's (or the account's) address.
        var emailMatched = false;
        if (lead.Email.Length > 0)
        {
            if (lead.Email == account.Email)
            {
                emailMatched = true;
                total += EmailExact;
                evidence?.Add(new MatchEvidence("email", $"{lead.Email} is the account's email", EmailExact));
            }
            else
            {
                for (var c = 0; c < contacts.Count; c++)
                {
                    var contact = contacts[c];
                    if (contact.Email.Length > 0 && contact.Email == lead.Email)
                    {
                        emailMatched = true;
                        total += EmailExact;
                        evidence?.Add(new MatchEvidence("contact-email", $"{lead.Email} is contact {contact.Contact.DisplayName}'s email", EmailExact));
                        break;
                    }
                }
            }
        }

        corroborated |= emailMatched;

        // Domains: website and email domains of the account and of its contacts.
        if (lead.Domains.Length > 0)
        {
            string? agreed = null;
            var field = "domain";
            foreach (var domain in lead.Domains)
            {
                if (Array.IndexOf(account.Domains, domain) >= 0)
                {
                    agreed = domain;
                    break;
                }
            }

            if (agreed is null)
            {
                for (var c = 0; c < contacts.Count; c++)
                {
                    var contact = contacts[c];
                    if (contact.Domain.Length > 0 && Array.IndexOf(lead.Domains, contact.Domain) >= 0)
                    {
                        agreed = contact.Domain;
                        field = "contact-domain";
                        break;
                    }
                }
            }

            if (agreed is not null)
            {
                var users = Math.Max(1, share(agreed));
                var weight = Math.Max(1, DomainAgree - Math.Log(users, 2));
                total += weight;
                corroborated = true;
                evidence?.Add(new MatchEvidence(field, users > 1 ? $"{agreed} (shared by {users} accounts)" : agreed, Round(weight)));
            }
            else if (account.Domains.Length > 0 && !emailMatched)
            {
                total += DomainDisagree;
                evidence?.Add(new MatchEvidence("domain", $"{string.Join(", ", lead.Domains)} <> {string.Join(", ", account.Domains)}", DomainDisagree));
            }
        }

        // Phone: exact number, or the same switchboard (direct dials differ in the last digits); shared numbers count less.
        if (lead.Phone.Length > 0)
        {
            var (weight, detail) = ComparePhones(lead.Phone, account, contacts, share, explain);
            if (weight != 0)
            {
                total += weight;
                evidence?.Add(new MatchEvidence("phone", detail, Round(weight)));
            }
        }

        // Address.
        total += CompareAddress(lead.Address, account.Address, evidence);

        // The lead is a known contact of the account (nicknames allowed).
        if (lead.LastName.Length > 0 && (corroborated || nameWeight > 0))
        {
            for (var c = 0; c < contacts.Count; c++)
            {
                var contact = contacts[c];
                if (contact.LastName == lead.LastName && PersonNameNormalizer.SameGivenName(contact.FirstName, lead.FirstName))
                {
                    total += ContactPersonAgree;
                    evidence?.Add(new MatchEvidence("contact-name", $"{lead.Lead.FirstName} {lead.Lead.LastName} = contact {contact.Contact.DisplayName}", ContactPersonAgree));
                    break;
                }
            }
        }

        var score = ToProbability(total);
        if (!corroborated && score > UncorroboratedCap)
        {
            score = UncorroboratedCap;
            evidence?.Add(new MatchEvidence("cap", "neither the name nor a domain or email agrees strongly: capped below a block", 0));
        }

        evidence?.Sort((a, b) => Math.Abs(b.Weight).CompareTo(Math.Abs(a.Weight)));
        return new PairScore(total, score, evidence);
    }

    /// <summary>Compares two names word by word; shared words add their information, unshared words subtract.</summary>
    public (double Weight, string Detail) CompareNames(CompanyName lead, CompanyName account, bool explain)
    {
        if (lead.IsEmpty || account.IsEmpty)
            return (0, string.Empty);
        if (lead.Compact == account.Compact)
        {
            var info = lead.Tokens.Length >= account.Tokens.Length ? SumBits(lead.Tokens) : SumBits(account.Tokens);
            var weight = Clamp(info, 3, NameCap);
            return (weight, explain ? $"\"{lead.Core}\" = \"{account.Core}\"" : string.Empty);
        }

        var used = account.Tokens.Length <= 64 ? stackalloc bool[account.Tokens.Length] : new bool[account.Tokens.Length];
        double matched = 0, unmatched = 0;
        var typos = 0;
        foreach (var token in lead.Tokens)
        {
            var index = Array.IndexOf(account.Tokens, token);
            if (index >= 0 && !used[index])
            {
                used[index] = true;
                matched += Statistics.Bits(token);
                continue;
            }

            var fuzzy = -1;
            if (token.Length >= 3)
            {
                for (var i = 0; i < account.Tokens.Length; i++)
                {
                    if (!used[i] && account.Tokens[i].Length >= 4 && EditDistance.Within(token, account.Tokens[i], token.Length >= 8 ? 2 : 1))
                    {
                        fuzzy = i;
                        break;
                    }
                }
            }

            if (fuzzy >= 0)
            {
                used[fuzzy] = true;
                typos++;
                matched += 0.8 * Math.Min(Statistics.Bits(token), Statistics.Bits(account.Tokens[fuzzy]));
            }
            else
            {
                unmatched += Statistics.Bits(token);
            }
        }

        for (var i = 0; i < used.Length; i++)
        {
            if (!used[i])
                unmatched += Statistics.Bits(account.Tokens[i]);
        }

        double result;
        if (matched == 0)
        {
            // Run-together names with a typo ("stonairlines" vs "stone airlines") still count as similar.
            if (lead.Compact.Length >= 8 && EditDistance.Within(lead.Compact, account.Compact, 1))
            {
                result = Clamp(Math.Max(SumBits(lead.Tokens), SumBits(account.Tokens)) - 2, 2, NameCap - 2);
                return (result, explain ? $"\"{lead.Core}\" ~ \"{account.Core}\" (1 edit)" : string.Empty);
            }

            return (NameDisagree, explain ? $"\"{lead.Core}\" <> \"{account.Core}\"" : string.Empty);
        }

        if (unmatched < 0.01)
            result = Clamp(matched, 3, NameCap) - typos;
        else
            result = Math.Min(matched, NameCap - 1) - 0.65 * Math.Min(unmatched, 20) - 1;
        result = Math.Max(result, NameDisagree);
        if (!explain)
            return (result, string.Empty);
        var relation = unmatched < 0.01 ? (typos > 0 ? $"~ ({typos} typo{(typos > 1 ? "s" : string.Empty)})" : "=") : "shares words with";
        return (result, $"\"{lead.Core}\" {relation} \"{account.Core}\" (shared {matched.ToString("0.0", CultureInfo.InvariantCulture)} bits, unshared {unmatched.ToString("0.0", CultureInfo.InvariantCulture)} bits)");
    }

    private static (double Weight, string Detail) ComparePhones(string phone, AccountFeatures account, IReadOnlyList<ContactFeatures> contacts, Func<string, int> share, bool explain)
    {
        var hasOther = false;
        var exact = false;
        var sameSwitchboard = false;
        string? with = null;
        foreach (var other in account.Phones)
        {
            hasOther = true;
            if (other == phone)
            {
                exact = true;
                with = "the account's main number";
            }
            else if (!sameSwitchboard && SameSwitchboard(phone, other))
            {
                sameSwitchboard = true;
                with = "the account's main number";
            }
        }

        if (!exact)
        {
            for (var c = 0; c < contacts.Count; c++)
            {
                var contact = contacts[c];
                if (contact.Phone.Length == 0)
                    continue;
                hasOther = true;
                if (contact.Phone == phone)
                {
                    exact = true;
                    with = explain ? $"contact {contact.Contact.DisplayName}'s number" : null;
                    break;
                }

                if (!sameSwitchboard && SameSwitchboard(phone, contact.Phone))
                {
                    sameSwitchboard = true;
                    with = explain ? $"contact {contact.Contact.DisplayName}'s number" : null;
                }
            }
        }

        if (exact)
        {
            var users = Math.Max(1, share(phone));
            var weight = Math.Max(1, PhoneAgree - (2 * Math.Log(users, 2)));
            return (weight, !explain ? string.Empty : users > 1 ? $"{phone} = {with} (shared by {users} accounts)" : $"{phone} = {with}");
        }

        if (sameSwitchboard)
        {
            var switchboard = PhoneNormalizer.SwitchboardKey(phone);
            var users = Math.Max(1, share(switchboard));
            var weight = Math.Max(0.5, SwitchboardAgree - (2 * Math.Log(users, 2)));
            return (weight, explain ? $"{phone} has the switchboard of {with}" : string.Empty);
        }

        return hasOther ? (PhoneDisagree, explain ? $"{phone} differs" : string.Empty) : (0, string.Empty);
    }

    /// <summary>Same number but the last digits, without allocating switchboard keys.</summary>
    private static bool SameSwitchboard(string a, string b) =>
        a.Length == b.Length && a.Length >= 9 && a[0] == '+' && b[0] == '+' &&
        string.CompareOrdinal(a, 0, b, 0, a.Length - PhoneNormalizer.SwitchboardDigits) == 0;

    private static double CompareAddress(Address lead, Address account, List<MatchEvidence>? evidence)
    {
        double total = 0;
        if (lead.Country.Length > 0 && account.Country.Length > 0 && lead.Country != account.Country)
        {
            total += CountryDisagree;
            evidence?.Add(new MatchEvidence("country", $"{lead.Country} <> {account.Country}", CountryDisagree));
        }

        if (lead.Street.Length > 0 && account.Street.Length > 0)
        {
            if (lead.Street == account.Street)
            {
                total += StreetAgree;
                evidence?.Add(new MatchEvidence("street", $"\"{lead.Street}\"", StreetAgree));
            }
            else if (SameHouseNumber(lead.Street, account.Street) && EditDistance.Within(lead.Street, account.Street, 3))
            {
                total += StreetAgree - 1;
                evidence?.Add(new MatchEvidence("street", $"\"{lead.Street}\" ~ \"{account.Street}\"", StreetAgree - 1));
            }
            else
            {
                total += StreetDisagree;
                evidence?.Add(new MatchEvidence("street", $"\"{lead.Street}\" <> \"{account.Street}\"", StreetDisagree));
            }
        }

        if (lead.City.Length > 0 && account.City.Length > 0)
        {
            var agree = lead.City == account.City;
            total += agree ? CityAgree : CityDisagree;
            evidence?.Add(new MatchEvidence("city", agree ? lead.City : $"{lead.City} <> {account.City}", agree ? CityAgree : CityDisagree));
        }

        if (lead.PostalCode.Length > 0 && account.PostalCode.Length > 0)
        {
            var agree = lead.PostalCode == account.PostalCode;
            total += agree ? PostalAgree : PostalDisagree;
            evidence?.Add(new MatchEvidence("postal-code", agree ? lead.PostalCode : $"{lead.PostalCode} <> {account.PostalCode}", agree ? PostalAgree : PostalDisagree));
        }

        return total;
    }

    /// <summary>Tells whether two streets have the same non-empty <see cref="Address.Number"/>, without cutting it out.</summary>
    private static bool SameHouseNumber(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0 || !char.IsDigit(a[0]) || !char.IsDigit(b[0]))
            return false;
        var endA = a.IndexOf(' ');
        var endB = b.IndexOf(' ');
        if (endA < 0)
            endA = a.Length;
        if (endB < 0)
            endB = b.Length;
        return endA == endB && string.CompareOrdinal(a, 0, b, 0, endA) == 0;
    }

    private double SumBits(string[] tokens)
    {
        double sum = 0;
        foreach (var token in tokens)
            sum += Statistics.Bits(token);
        return sum;
    }

    private static double Clamp(double value, double min, double max) => Math.Max(min, Math.Min(max, value));

    private static double Round(double value) => Math.Round(value, 2);

    private static string[] Distinct(string a, string b) =>
        a.Length == 0 ? (b.Length == 0 ? [] : [b]) : (b.Length == 0 || a == b ? [a] : [a, b]);
}
