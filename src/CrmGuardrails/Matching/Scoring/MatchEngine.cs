using CrmGuardrails.Matching.Index;
using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Matching.Scoring;

/// <summary>How a lead's company name relates to an account's name.</summary>
internal enum NameRelation
{
    /// <summary>One of the names is missing.</summary>
    None,

    /// <summary>The same words (typos and spellings allowed).</summary>
    Same,

    /// <summary>The lead names fewer words: the organisation without the account's site, or a shortened name.</summary>
    LeadBroader,

    /// <summary>The lead names more words: a site or part the account does not name.</summary>
    LeadNarrower,

    /// <summary>Both name words the other lacks: another site of one organisation, or another company sharing words.</summary>
    Conflict,

    /// <summary>One name is the initials of the other.</summary>
    Acronym,

    /// <summary>No word in common.</summary>
    Different,
}

/// <summary>Which sound keys a name writes: none, those it is indexed under, or those it looks up.</summary>
internal enum SoundKeys
{
    /// <summary>None: a lead's own keys, for finding leads like it.</summary>
    None,

    /// <summary>The keys an account is indexed under.</summary>
    Indexed,

    /// <summary>The keys a lead looks accounts up with.</summary>
    LookedUp,
}

/// <summary>The result of scoring one lead against one account.</summary>
/// <param name="Weight">The total match weight in bits, prior included.</param>
/// <param name="Evidence">The evidence, strongest first, or null when not asked for.</param>
/// <param name="Name">How the names relate.</param>
/// <param name="Corroborated">Whether the name as spelled, a domain or an email agrees strongly, or a near-spelling with the phone or street (a block needs one of them).</param>
/// <param name="SiteAgrees">Whether something only this account has agrees: its exact phone, street, email or a contact.</param>
/// <param name="LocationDisagrees">Whether the lead's street or phone is known and differs from the account's.</param>
/// <param name="PlaceAgrees">Whether the lead's street, city or postal code is the account's.</param>
/// <param name="Agrees">Whether any field agrees at all (a candidate that agrees on nothing is no match).</param>
/// <param name="NameBits">The bits the names share less those they do not, uncapped (see <see cref="NameMatch.Bits"/>).</param>
/// <param name="PersonAgrees">Whether the lead is a known contact of the account: who writes, not which company.</param>
/// <param name="SiteProven">Whether the account's own email, the site's own mail host, its store number or a known person of it says the site.</param>
internal readonly record struct PairScore(double Weight, List<MatchEvidence>? Evidence, NameRelation Name, bool Corroborated, bool SiteAgrees, bool LocationDisagrees, bool Agrees, bool PlaceAgrees = false, double NameBits = 0, bool PersonAgrees = false, bool SiteProven = false);

/// <summary>
/// Fellegi-Sunter scoring: each field adds log2(m/u) bits when it agrees and subtracts when it disagrees; the name's
/// weight is term-frequency adjusted (the information of the words the names share). The probability that the lead
/// is candidate i is 2^W_i / (1 + Σ 2^W_j) over all candidates (<see cref="Resolve"/>).
/// </summary>
internal sealed partial class MatchEngine
{
    /// <summary>Log-odds (bits) that a retrieved candidate is the lead's account before any field is compared.</summary>
    public const double PriorBits = -6;

    // Field weights in bits, log2(m/u) with m and u estimated for CRM data (see docs/matching.md).
    public const double EmailExact = 11;
    public const double DomainAgree = 8;
    public const double DomainDisagree = -3;

    /// <summary>The most a disagreeing name counts against an account whose own domain (no other account's) the lead uses.</summary>
    public const double DomainOutweighsName = -1;
    public const double PhoneAgree = 7;
    public const double SwitchboardAgree = 4.5;
    public const double PhoneDisagree = -1;
    public const double StreetAgree = 4;
    public const double StreetDisagree = -1.5;

    /// <summary>The street agrees but the suite or unit does not: the same building, not the same address.</summary>
    public const double SameBuilding = 1;

    /// <summary>Bits for the same suite or unit at the same street address, beyond the street's.</summary>
    public const double SameUnit = 1;

    /// <summary>
    /// The least a name that holds the account's, or is held in it, weighs at the account's own house number and street
    /// ("Tubman Elementary" at the address of "Harriet Tubman Elementary School"): a flag with the city, never a block.
    /// </summary>
    public const double NamedAtOwnAddress = 1;

    public const double CityAgree = 1.5;
    public const double CityDisagree = -2.5;
    public const double PostalAgree = 3;
    public const double PostalDisagree = -1.5;
    public const double CountryDisagree = -4;
    public const double ContactPersonAgree = 2;
    public const double NameCap = 13;
    public const double NameDisagree = -5;

    /// <summary>Initials agreeing are worth this much: enough to flag with a domain or a phone, never alone.</summary>
    public const double AcronymAgree = 5;

    /// <summary>
    /// A block needs the name spelled alike or a domain/email to agree: phones and addresses alone are shared (hotels,
    /// HQs), and a near-spelling of a name needs the phone or street beside it.
    /// </summary>
    public const double UncorroboratedCap = 0.98;

    /// <summary>The least a lead writing from the account's own domain weighs: a flag when no other candidate competes.</summary>
    public const double OwnDomainFloor = 0.5;

    /// <summary>
    /// One-word organisation names of this length or less get typo keys (the name with each letter left out in turn);
    /// names of several words get one key per word instead (<see cref="WriteWordTypoKeys"/>).
    /// </summary>
    private const int MaxTypoKeyLength = 12;

    /// <summary>The shortest one-word name looked up as two words run together ("walmart"): shorter ones would meet chance pairs.</summary>
    private const int MinRunTogetherLength = 6;

    /// <summary>The longest word a lead's name may have to be looked up run together with the next (a syllable, a short word).</summary>
    private const int MaxSyllableLength = 6;

    /// <summary>The fewest letters two words run together must have to be one word of the other name ("pei he", "peihe").</summary>
    private const int MinJoinedLength = 5;

    /// <summary>Names of more organisation words than this get no typo keys: their word pairs stay when one word is misspelt.</summary>
    private const int MaxTypoKeyWords = 5;

    /// <summary>The words of a name's shape (<see cref="WriteShapeKeys"/>), and the letters they must have between them.</summary>
    private const int MaxShapeWords = 3;

    private const int MinShapeLetters = 8;

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

    /// <summary>Normalises an account for scoring.</summary>
    /// <param name="account">The account.</param>
    /// <param name="parentName">Its parent's name, where the index knows it and the account does not give it.</param>
    public AccountFeatures Features(Account account, string? parentName = null)
    {
        // A value one field cannot read yields nothing for that field; the other fields still count. The lambdas are
        // static (no closure is allocated per record).
        var email = Safe(static e => DomainNormalizer.NormalizeEmail(e), account.Email);
        var nameDomain = NameDomain(account.Name);
        var domains = Distinct(WebsiteDomain(account.Website, nameDomain), SafeDomain(DomainNormalizer.HostOfEmail, email));
        var phone = Safe(static a => PhoneNormalizer.ToE164(a.Phone, a.Account.Country, a.Region), (Phone: account.Phone, Account: account, Region: Options.DefaultRegion));
        return new AccountFeatures(
            account,
            SafeName(account.Name),
            domains,
            phone,
            email,
            SafeAddress(account.Street, account.City, account.PostalCode, account.Country),
            nameDomain)
        {
            SiteHost = SiteHostOf(DomainNormalizer.HostOfWebsite, account.Website, domains),
            Organisation = OrganisationName(account.ParentName ?? parentName, account.Name),
            Retired = CompanyNameNormalizer.IsRetired(account.Name),
        };
    }

    /// <summary>
    /// A site's name with its organisation's before it ("Ramsay Health Care - North Shore Private"), as a lead may write
    /// it; null without a parent's name, or when the site's name already begins with it.
    /// </summary>
    private static CompanyName? OrganisationName(string? parentName, string? name)
    {
        if (string.IsNullOrWhiteSpace(parentName) || string.IsNullOrWhiteSpace(name))
            return null;
        var organisation = SafeName($"{parentName} - {name}");
        var site = SafeName(name);
        var begins = site.HeadCompact.StartsWith(organisation.HeadCompact, StringComparison.Ordinal);
        return organisation.IsEmpty || organisation.HeadCompact.Length == 0 || begins ? null : organisation;
    }

    public ContactFeatures Features(Contact contact, string? country)
    {
        var email = Safe(static e => DomainNormalizer.NormalizeEmail(e), contact.Email);
        var phone = Safe(static c => PhoneNormalizer.ToE164(c.Phone, c.Country, c.Region), (contact.Phone, Country: country, Region: Options.DefaultRegion));
        return new ContactFeatures(contact, email, SafeDomain(DomainNormalizer.HostOfEmail, email), phone);
    }

    public LeadFeatures Features(Lead lead)
    {
        // An email typed in the company or phone field, the email field left empty (a web form's columns swapped, a
        // rep's paste), is the email: "sales@acme.co.uk" says more than any name.
        var (company, emailText, phoneText) = (lead.Company, lead.Email, lead.Phone);
        if (string.IsNullOrWhiteSpace(emailText))
        {
            if (IsEmailAddress(company))
                (emailText, company) = (company, null);
            else if (IsEmailAddress(phoneText))
                (emailText, phoneText) = (phoneText, null);
        }

        // The company typed in the last-name field ("Nora" "Hollingworth Joinery Ltd", company "Nora Ward"): a last name
        // that ends in a legal form is the company's name.
        if (EndsWithLegalForm(lead.LastName) && !EndsWithLegalForm(company))
            company = lead.LastName;
        else
            company = CompanyNameNormalizer.WithoutOwnName(company, lead.FirstName, lead.LastName);

        var email = Safe(static e => DomainNormalizer.NormalizeEmail(e), emailText);
        var nameDomain = NameDomain(company);
        var domains = Distinct(SafeDomain(DomainNormalizer.HostOfEmail, email), WebsiteDomain(lead.Website, nameDomain));
        return new LeadFeatures(
            lead,
            SafeName(company),
            email,
            domains,
            Safe(static l => PhoneNormalizer.ToE164(l.Phone, l.Lead.Country, l.Region), (Lead: lead, Phone: phoneText, Region: Options.DefaultRegion)),
            SafeAddress(lead.Street, lead.City, lead.PostalCode, lead.Country),
            nameDomain,
            Safe(static l => PhoneNormalizer.NationalDigits(l.Phone, l.Country), (Phone: phoneText, lead.Country)))
        {
            SiteHost = SiteHostOf(DomainNormalizer.HostOfEmail, email, domains) is { Length: > 0 } host ? host : SiteHostOf(DomainNormalizer.HostOfWebsite, lead.Website, domains),
        };
    }

    /// <summary>
    /// A host that is a subdomain of one of <paramref name="domains"/> (so neither free mail nor a website builder's
    /// page, which are no company's domain), without "www.": a site's or a department's own address. Else empty.
    /// </summary>
    private static string SiteHostOf(Func<string?, string> host, string? value, string[] domains)
    {
        if (domains.Length == 0 || string.IsNullOrWhiteSpace(value))
            return string.Empty;
        try
        {
            var name = host(value);
            if (name.StartsWith("www.", StringComparison.Ordinal))
                name = name.Substring(4);
            foreach (var domain in domains)
            {
                if (name.Length > domain.Length + 1 && name[name.Length - domain.Length - 1] == '.' && name.EndsWith(domain, StringComparison.Ordinal))
                    return name;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A host that cannot be read is no site's: the other fields still count.
        }

        return string.Empty;
    }

    /// <summary>Whether a text's last word is a one-word legal form of three letters or more ("Ltd", "GmbH", "Inc."), as a company's name ends.</summary>
    private static bool EndsWithLegalForm(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var folded = MatchText.Fold(text);
        var word = folded.Substring(folded.LastIndexOf(' ') + 1);
        return folded.IndexOf(' ') > 0 && word.Length >= 3 && CompanyNameNormalizer.LegalForms.Contains(word);
    }

    /// <summary>One address and nothing else: "name@domain.tld".</summary>
    private static bool IsEmailAddress(string? text)
    {
        if (text is null)
            return false;
        var value = text.Trim();
        var at = value.IndexOf('@');
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && value.IndexOf(' ') < 0 && value.Length <= 254;
    }

    /// <summary>The domain of the website, or of the name when it is typed as a web address ("acme.com") and no website is given.</summary>
    private string WebsiteDomain(string? website, string nameDomain) =>
        string.IsNullOrWhiteSpace(website) ? nameDomain : SafeDomain(DomainNormalizer.HostOfWebsite, website);

    /// <summary>The registrable domain of a name typed as a web address ("Rllogic.com", "www.acme.co.uk"), or empty.</summary>
    private string NameDomain(string? name)
    {
        try
        {
            return CompanyNameNormalizer.WebAddress(name) is { } host ? SafeDomain(DomainNormalizer.HostOfWebsite, host) : string.Empty;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return string.Empty;
        }
    }

    private static string Safe<T>(Func<T, string> read, T value)
    {
        try
        {
            return read(value);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return string.Empty;
        }
    }

    /// <summary>The company domain of a website or email host, or empty (also when the value cannot be read).</summary>
    private string SafeDomain(Func<string?, string> host, string? value)
    {
        try
        {
            return CompanyDomain(host(value));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return string.Empty;
        }
    }

    private static CompanyName SafeName(string? name)
    {
        try
        {
            return CompanyNameNormalizer.Normalize(name);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return CompanyName.Empty;
        }
    }

    private static Address SafeAddress(string? street, string? city, string? postalCode, string? country)
    {
        try
        {
            return AddressNormalizer.Normalize(street, city, postalCode, country);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Address.Empty;
        }
    }

    /// <summary>
    /// Writes the names of an account's web addresses as name keys ("n:dkkl" of dkkl.de): the brand a company goes by is
    /// often its domain's ("DKKL" for Deutsche Kühlkettenlogistik AG; see <see cref="Score"/>).
    /// </summary>
    public static void WriteWebAddressNameKeys(IReadOnlyList<string> domains, KeyWriter writer)
    {
        foreach (var domain in domains)
        {
            if (AccountFeatures.LabelLength(domain) is var label and > 0)
                writer.Begin("n:", KeyKind.Name).Append(domain, 0, label).End();
        }
    }

    /// <summary>Writes the keys an account is indexed under: name keys, domains, phones and email.</summary>
    public void WriteKeys(AccountFeatures account, KeyWriter writer)
    {
        WriteNameKeys(account.Name, writer, SoundKeys.Indexed);

        // A site under its parent is found by its organisation's name too, as a site named "Organisation - Site" is: a
        // lead that names only the organisation meets its sites, and the site's own street or phone says which.
        if (account.Organisation is { HeadCompact.Length: >= 2 } organisation)
            writer.Add("n:", organisation.HeadCompact, KeyKind.Name);
        WriteAddressKeys(account.Address, writer);
        foreach (var domain in account.Domains)
            writer.Add("d:", domain, KeyKind.Domain);
        WriteWebAddressNameKeys(account.Domains, writer);
        WritePhoneKeys(account.Phone, writer);
        WriteNationalNumberKey(account.Phone, writer);
        writer.Add("e:", account.Email, KeyKind.Email);
    }

    /// <summary>
    /// Writes the keys an open lead is indexed under, for the duplicate-lead rule: the keys it finds accounts by, and its
    /// number's national significant number, so that a lead typed with no country finds it as it finds an account.
    /// </summary>
    public void WriteOpenLeadKeys(LeadFeatures lead, KeyWriter writer)
    {
        WriteAccountKeys(lead, writer, SoundKeys.None);
        WriteNationalNumberKey(lead.Phone, writer);
    }

    /// <summary>Writes the key of an E.164 number's national significant number ("p:n" and the number without its country code).</summary>
    private static void WriteNationalNumberKey(string e164, KeyWriter writer)
    {
        if (PhoneNormalizer.NationalNumberStart(e164) is var national and > 0)
            writer.Begin("p:" + PhoneNormalizer.NationalPrefix, KeyKind.Phone).Append(e164, national, e164.Length - national).End();
    }

    /// <summary>Writes the keys a contact is indexed under: email, domain, phone and its national significant number.</summary>
    public static void WriteKeys(ContactFeatures contact, KeyWriter writer)
    {
        writer.Add("e:", contact.Email, KeyKind.Email);
        writer.Add("d:", contact.Domain, KeyKind.Domain);
        WritePhoneKeys(contact.Phone, writer);
        WriteNationalNumberKey(contact.Phone, writer);
    }

    /// <summary>
    /// Writes the keys that find a lead's contacts: email, domains, phone, and a phone typed with no country as a
    /// contact's national number (the account keys add the name).
    /// </summary>
    public static void WriteContactKeys(LeadFeatures lead, KeyWriter writer)
    {
        writer.Add("e:", lead.Email, KeyKind.Email);
        foreach (var domain in lead.Domains)
            writer.Add("d:", domain, KeyKind.Domain);
        WritePhoneKeys(lead.Phone, writer);
        WriteNationalKeys(lead.NationalPhone, writer);
    }

    /// <summary>Writes the keys that find a lead's accounts (and other leads like it).</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="writer">The writer.</param>
    /// <param name="sound">
    /// <see cref="SoundKeys.LookedUp"/> to find accounts in another script; <see cref="SoundKeys.None"/> for a lead's
    /// own keys (leads are compared with leads in one script).
    /// </param>
    public void WriteAccountKeys(LeadFeatures lead, KeyWriter writer, SoundKeys sound = SoundKeys.LookedUp)
    {
        WriteNameKeys(lead.Name, writer, sound);
        WriteAddressKeys(lead.Address, writer);
        WriteContactKeys(lead, writer);
    }

    /// <summary>
    /// Writes the keys of a phone typed nationally with no country (<see cref="LeadFeatures.NationalPhone"/>): the digits
    /// with and without a trunk 0 (or the 8 of a +7 number), as accounts are keyed by their national significant number ("p:n").
    /// </summary>
    public static void WriteNationalKeys(string national, KeyWriter writer)
    {
        writer.Add("p:" + PhoneNormalizer.NationalPrefix, national, KeyKind.Phone);
        if (national.Length > 0 && (national[0] == '0' || IsTrunk8(national)))
            writer.Begin("p:" + PhoneNormalizer.NationalPrefix, KeyKind.Phone).Append(national, 1, national.Length - 1).End();
    }

    /// <summary>
    /// Writes "h:" and a numbered street with its postal code, and with its city: a lead whose name was mistyped
    /// ("Hawthonr Capital") still finds the account at its address. Either key suffices, so a lead that gives only a
    /// city, or only a postal code, meets an account that gives both. A street without a house number names no
    /// building and writes nothing.
    /// </summary>
    public static void WriteAddressKeys(Address address, KeyWriter writer)
    {
        var street = address.Street;
        if (street.Length < 4 || street[0] is < '0' or > '9' || street.IndexOf(' ') < 0)
            return;
        if (address.PostalCode.Length > 0)
            writer.Begin("h:", KeyKind.Address).Append(street).Append('|').Append(address.PostalCode).End();
        if (address.City.Length > 0)
            writer.Begin("h:", KeyKind.Address).Append(street).Append('/').Append(address.City).End();
    }

    /// <summary>Writes "p:" and the number, and "p:sb:" and its switchboard (the number without its last digits).</summary>
    public static void WritePhoneKeys(string e164, KeyWriter writer)
    {
        if (e164.Length == 0)
            return;
        writer.Add("p:", e164, KeyKind.Phone);
        if (e164.Length >= 9 && e164[0] == '+')
            writer.Begin("p:", KeyKind.Phone).Append(PhoneNormalizer.SwitchboardPrefix).Append(e164, 0, e164.Length - PhoneNormalizer.SwitchboardDigits).End();
    }

    /// <summary>
    /// Writes the name keys: the run-together name (and the organisation's part of it), the sorted words, adjacent
    /// word pairs, the rarest distinctive words, initials, for short one-word names the name with each character left out
    /// (two names one typo apart share one of those), and the sound of its words (<see cref="WriteSoundKeys"/>). The
    /// other spelling of the name, if any, adds its own.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="writer">The writer.</param>
    /// <param name="sound">Which sound keys to write: an account's are indexed, a lead's looked up.</param>
    public void WriteNameKeys(CompanyName name, KeyWriter writer, SoundKeys sound)
    {
        WriteNameKeysOf(name, writer, sound);
        if (name.Alternative is { } alternative)
            WriteNameKeysOf(alternative, writer, sound);
    }

    private void WriteNameKeysOf(CompanyName name, KeyWriter writer, SoundKeys sound)
    {
        if (name.IsEmpty)
            return;
        if (name.Compact.Length >= 2)
            writer.Add("n:", name.Compact, KeyKind.Name);
        // The words run together as read (a word read as its canonical one): written only when it differs from the
        // compact spelling, which the writer tells by dropping a key already written.
        var tokens = name.Tokens;
        var canonicalLength = 0;
        foreach (var token in tokens)
            canonicalLength += token.Length;
        if (canonicalLength >= 2)
        {
            writer.Begin("n:", KeyKind.Name);
            foreach (var token in tokens)
                writer.Append(token);
            writer.End();
        }

        if (name.HasSite && name.HeadCompact.Length >= 2)
            writer.Add("n:", name.HeadCompact, KeyKind.Name);

        // The words that are not stop words, by their place among the tokens (no array per name: every record writes keys).
        var scored = name.Scored(Statistics);
        var words = tokens.Length <= 64 ? stackalloc int[tokens.Length] : new int[tokens.Length];
        var count = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!TokenStatistics.IsStopWord(tokens[i]))
                words[count++] = i;
        }

        words = words.Slice(0, count);
        if (count > 1)
        {
            var sorted = count <= 64 ? stackalloc int[count] : new int[count];
            words.CopyTo(sorted);
            for (var k = 1; k < count; k++)
            {
                for (var m = k; m > 0 && string.CompareOrdinal(tokens[sorted[m]], tokens[sorted[m - 1]]) < 0; m--)
                    (sorted[m], sorted[m - 1]) = (sorted[m - 1], sorted[m]);
            }

            if (!ConcatEquals(tokens, sorted))
            {
                writer.Begin("s:", KeyKind.Name);
                foreach (var at in sorted)
                    writer.Append(tokens[at]);
                writer.End();
            }

            // Adjacent words run together, so that the one-word spelling meets them ("Walmart" and "Wal-Mart Stores").
            for (var i = 0; i + 1 < count && i < 6; i++)
                writer.Begin("b:", KeyKind.Name).Append(tokens[words[i]]).Append(tokens[words[i + 1]]).End();

            // A lead's two short words run together may be one distinctive word of the account's ("Pei He Electronic" and
            // "Peihe Electronic Technology", "Shubh Nidhi" and "Shubhnidhi Healthcare"): looked up, never indexed.
            for (var i = 0; sound == SoundKeys.LookedUp && i + 1 < count && i < 3; i++)
            {
                string first = tokens[words[i]], second = tokens[words[i + 1]];
                if (first.Length <= MaxSyllableLength && second.Length <= MaxSyllableLength && first.Length + second.Length >= MinJoinedLength)
                    writer.Begin("t:", KeyKind.NameWord).Append(first).Append(second).End();
            }
        }
        else if (count == 1 && tokens[words[0]].Length >= MinRunTogetherLength)
        {
            writer.Add("b:", tokens[words[0]], KeyKind.Name);
        }

        // Distinctive words only, the four rarest: a common word ("global") would retrieve half the directory.
        Span<(int Index, double Bits)> distinctive = stackalloc (int, double)[4];
        var kept = 0;
        for (var w = 0; w < count; w++)
        {
            var word = tokens[words[w]];
            if (word.Length < 3 || IsRepeated(tokens, words, w))
                continue;
            var bits = scored[words[w]].Bits;
            if (bits < TokenStatistics.KeyBits)
                continue;
            if (kept < distinctive.Length)
            {
                distinctive[kept++] = (w, bits);
                continue;
            }

            // Replace the least distinctive kept word when this one is rarer (the earlier word wins a tie).
            var weakest = 0;
            for (var k = 1; k < kept; k++)
            {
                if (distinctive[k].Bits < distinctive[weakest].Bits)
                    weakest = k;
            }

            if (bits > distinctive[weakest].Bits)
                distinctive[weakest] = (w, bits);
        }

        for (var k = 0; k < kept; k++)
            writer.Add("t:", tokens[words[distinctive[k].Index]], KeyKind.NameWord);
        WriteSoundKeys(name, words, distinctive.Slice(0, kept), sound, writer);

        writer.Add("a:", name.Initials, KeyKind.Acronym);
        writer.Add("a:", name.FormInitials, KeyKind.Acronym);
        writer.Add("a:", name.AsAcronym, KeyKind.Acronym);

        // Two initials ("P&G", "J&J") and the pairs of names they stand for: a near-spelling key, asked only when no
        // whole name is found, since many pairs share two initials.
        writer.Add("x:&", name.PairInitials, KeyKind.Typo);
        if (name.AsAcronym.Length == 2)
            writer.Add("x:&", name.AsAcronym, KeyKind.Typo);

        var head = name.HeadCompact;
        if (name.HeadCount > 1)
        {
            WriteWordTypoKeys(name, writer);
            WriteCutShortKey(name, writer);
            WriteShapeKeys(name, writer, sound);
        }
        else if (head.Length is >= 4 and <= MaxTypoKeyLength)
        {
            writer.Add("x:", head, KeyKind.Typo);
            for (var skip = 0; skip < head.Length; skip++)
            {
                // Leaving out either of two equal neighbours gives the same key: write it once.
                if (skip > 0 && head[skip] == head[skip - 1])
                    continue;
                writer.Begin("x:", KeyKind.Typo).Append(head, 0, skip).Append(head, skip + 1, head.Length - skip - 1).End();
            }
        }
    }

    /// <summary>
    /// Writes "x:~" and the sound skeleton (<see cref="SoundSkeleton"/>) of words, so that a name written in another
    /// script meets its romanisation: every word of a name in another script, and the rarest word of a Latin name (the
    /// proper name a transliteration keeps, where trade words get translated; one key per record). A name in Latin
    /// letters is indexed under "x:~r" and looks up "x:~o", a name in another script the other way round, so that two
    /// names in one script never meet on them. They are near-spelling keys: asked only when no whole name is found.
    /// </summary>
    private static void WriteSoundKeys(CompanyName name, ReadOnlySpan<int> words, Span<(int Index, double Bits)> distinctive, SoundKeys role, KeyWriter writer)
    {
        if (role == SoundKeys.None)
            return;
        var prefix = name.OtherScript == (role == SoundKeys.Indexed) ? "x:~o" : "x:~r";
        if (!name.OtherScript)
        {
            // The rarest words first: an account is indexed under the first that sounds like enough ("Harbi", not "Est"),
            // a lead looks up the first two, read in every way.
            Span<int> order = stackalloc int[distinctive.Length];
            for (var k = 0; k < order.Length; k++)
                order[k] = k;
            for (var k = 1; k < order.Length; k++)
            {
                for (var m = k; m > 0 && distinctive[order[m]].Bits > distinctive[order[m - 1]].Bits; m--)
                    (order[m], order[m - 1]) = (order[m - 1], order[m]);
            }

            // Written as they are read, without a string per record: every account and every lead writes them.
            var wanted = role == SoundKeys.Indexed ? 1 : 2;
            Span<char> buffer = stackalloc char[64];
            for (var k = 0; k < order.Length && wanted > 0; k++)
            {
                var at = distinctive[order[k]].Index;
                var word = name.Tokens[words[at]];
                var particle = at > 0 ? SoundSkeleton.ParticleSound(name.Tokens[words[at - 1]]) : null;
                var skeleton = word.Length + 2 <= buffer.Length ? buffer : new char[word.Length + 2];
                if (!WriteSoundKey(prefix, word, SoundReading.AsWritten, particle, skeleton, writer))
                    continue;
                if (word.IndexOf('j') >= 0)
                    WriteSoundKey(prefix, word, SoundReading.JAsVowel, particle, skeleton, writer);
                if (role == SoundKeys.LookedUp && word.IndexOf('h') >= 0)
                    WriteSoundKey(prefix, word, SoundReading.WithoutH, particle, skeleton, writer);
                if (role == SoundKeys.LookedUp && word.Contains("ch"))
                    WriteSoundKey(prefix, word, SoundReading.ChAsSh, particle, skeleton, writer);
                wanted--;
            }

            return;
        }

        var readings = new List<string>(4);
        for (var w = 0; w < words.Length; w++)
        {
            var before = readings.Count;
            SoundSkeleton.AddReadings(name.Tokens[words[w]], otherScript: true, readings);

            // "بن عاشور" is read "bnsr" as well, as "Ben Ashour" is (the article is one word with the name already).
            if (w > 0 && SoundSkeleton.ParticleSound(name.Tokens[words[w - 1]]) is { } particle and not "l")
            {
                for (var r = before; r < readings.Count; r++)
                {
                    if (readings[r].Length == SoundSkeleton.MinKeyLength - 1 && !readings.Contains(particle + readings[r]))
                        readings.Add(particle + readings[r]);
                }
            }
        }

        foreach (var reading in readings)
        {
            if (reading.Length >= SoundSkeleton.MinKeyLength)
                writer.Add(prefix, reading, KeyKind.Typo);
        }
    }

    /// <summary>
    /// Writes one sound key of a Latin word, when its skeleton is long enough to tell: a name of two sounds is read with
    /// the particle before it ("Al Sham" is "lsm", one word in Arabic; "Ben Ashour" "bnsr"), as the other script's keys
    /// are. <paramref name="skeleton"/> holds the word and two letters more.
    /// </summary>
    private static bool WriteSoundKey(string prefix, string word, SoundReading reading, string? particle, Span<char> skeleton, KeyWriter writer)
    {
        var length = SoundSkeleton.Write(word, skeleton, reading);
        if (length == SoundSkeleton.MinKeyLength - 1 && particle is not null)
        {
            skeleton.Slice(0, length).CopyTo(skeleton.Slice(particle.Length));
            particle.AsSpan().CopyTo(skeleton);
            length += particle.Length;
        }

        if (length < SoundSkeleton.MinKeyLength)
            return false;
        writer.Begin(prefix, KeyKind.Typo).Append(skeleton.Slice(0, length)).End();
        return true;
    }

    /// <summary>
    /// Typo keys of a name of several words ("Liberty Capital", whose words are too common to be keys of their own):
    /// for each word, the other words as written and that word's first and last letters. A name with one word misspelt
    /// inside ("Libeerty Capital", "Northern Chemials") shares the key that leaves that word out — one key per word,
    /// where all spellings one letter apart would be twenty, and hosts store every key.
    /// </summary>
    private static void WriteWordTypoKeys(CompanyName name, KeyWriter writer)
    {
        Span<int> words = stackalloc int[MaxTypoKeyWords];
        var count = 0;
        for (var i = 0; i < name.HeadCount; i++)
        {
            if (TokenStatistics.IsStopWord(name.Tokens[i]))
                continue;
            if (count == MaxTypoKeyWords)
                return;
            words[count++] = i;
        }

        if (count < 2)
            return;
        var letters = 0;
        for (var k = 0; k < count; k++)
            letters += name.WrittenAt(words[k]).Length;
        for (var left = 0; left < count; left++)
        {
            // A misspelt word of fewer than four letters is too short to tell a typo from another word; and the words
            // kept must say enough on their own ("B" of "A&B Plumbing" does not).
            var missing = name.WrittenAt(words[left]);
            if (missing.Length < 4 || letters - missing.Length < 3)
                continue;
            // "x:" as every near-spelling key (hosts read the kind from it); the spaces and '#' keep it apart from the
            // run-together spellings of one-word names.
            writer.Begin("x:", KeyKind.Typo);
            for (var k = 0; k < count; k++)
            {
                if (k != left)
                    writer.Append(name.WrittenAt(words[k])).Append(' ');
            }

            writer.Append('#').Append(missing[0]).Append(missing[missing.Length - 1]).End();
        }
    }

    /// <summary>
    /// Writes "x:=", the first letter and length of each of the first three words as typed: what a name keeps through a
    /// slip in every word ("Noav Airlunes" for "Nova Airlines"), where no key of whole words survives. A lead looks up its
    /// own shape and its words a letter shorter or longer (a letter dropped or doubled). Asked last
    /// (<see cref="KeyKind.Shape"/>); not of names in another script, whose romanised words vary in length.
    /// </summary>
    private static void WriteShapeKeys(CompanyName name, KeyWriter writer, SoundKeys role)
    {
        // Not among a lead's own keys (SoundKeys.None): a duplicate lead is told by its person too, and every open lead
        // would pay for a key that finds only look-alikes.
        if (name.OtherScript || role == SoundKeys.None)
            return;
        Span<int> words = stackalloc int[MaxShapeWords];
        int count = 0, letters = 0;
        for (var i = 0; i < name.HeadCount && count < MaxShapeWords; i++)
        {
            if (TokenStatistics.IsStopWord(name.Tokens[i]))
                continue;
            words[count++] = i;
            letters += name.WrittenAt(i).Length;
        }

        if (count < 2 || letters < MinShapeLetters)
            return;
        words = words.Slice(0, count);
        Span<int> changes = stackalloc int[count];
        if (role != SoundKeys.LookedUp)
        {
            WriteShapeKey(name, words, changes, writer);
            return;
        }

        // Every word as typed, a letter shorter or a letter longer: both words of a two-word name at once (9 keys), one
        // word at a time of a three-word one (7 keys; a slip in every word of three is rare, and 19 keys cost every lead).
        var combinations = 1;
        for (var k = 0; k < count; k++)
            combinations *= 3;
        for (var c = 0; c < combinations; c++)
        {
            int changed = 0, rest = c;
            var typoLong = true;
            for (var k = 0; k < count; k++, rest /= 3)
            {
                changes[k] = (rest % 3) - 1;
                if (changes[k] != 0)
                {
                    changed++;
                    typoLong &= name.WrittenAt(words[k]).Length >= 4;
                }
            }

            if (changed <= (count == 2 ? 2 : 1) && typoLong)
                WriteShapeKey(name, words, changes, writer);
        }
    }

    private static void WriteShapeKey(CompanyName name, ReadOnlySpan<int> words, ReadOnlySpan<int> changes, KeyWriter writer)
    {
        writer.Begin("x:=", KeyKind.Shape);
        for (var k = 0; k < words.Length; k++)
        {
            var word = name.WrittenAt(words[k]);
            var length = word.Length + changes[k];
            writer.Append(word[0]);
            if (length >= 10)
                writer.Append((char)('0' + Math.Min(length / 10, 9)));
            writer.Append((char)('0' + (length % 10))).Append('.');
        }

        writer.End();
    }

    /// <summary>
    /// Writes "x:^", the first word and the next word's first three letters: what a name cut short by a field's length
    /// keeps ("Riverside Recycli", "Continental Telecom Aeros"). A near-spelling key, asked only when no whole name is found;
    /// not of names in another script, whose romanised words often differ only at their ends ("Avraham", "Avrahami").
    /// </summary>
    private static void WriteCutShortKey(CompanyName name, KeyWriter writer)
    {
        if (name.OtherScript)
            return;
        int first = -1, next = -1;
        for (var i = 0; i < name.HeadCount && next < 0; i++)
        {
            if (TokenStatistics.IsStopWord(name.Tokens[i]))
                continue;
            if (first < 0)
                first = i;
            else
                next = i;
        }

        if (next < 0 || name.WrittenAt(first).Length < 3 || name.WrittenAt(next).Length < 3)
            return;
        writer.Begin("x:^", KeyKind.Typo).Append(name.WrittenAt(first)).Append(' ').Append(name.WrittenAt(next), 0, 3).End();
    }

    /// <summary>
    /// Tells whether the words at <paramref name="picked"/>, run together, spell all of <paramref name="tokens"/> run
    /// together, without concatenating either.
    /// </summary>
    private static bool ConcatEquals(string[] tokens, ReadOnlySpan<int> picked)
    {
        int word = 0, letter = 0;
        foreach (var token in tokens)
        {
            foreach (var ch in token)
            {
                while (word < picked.Length && letter == tokens[picked[word]].Length)
                {
                    word++;
                    letter = 0;
                }

                if (word == picked.Length || tokens[picked[word]][letter++] != ch)
                    return false;
            }
        }

        while (word < picked.Length && letter == tokens[picked[word]].Length)
        {
            word++;
            letter = 0;
        }

        return word == picked.Length;
    }

    /// <summary>Tells whether word <paramref name="w"/> of <paramref name="words"/> came earlier in it too.</summary>
    private static bool IsRepeated(string[] tokens, ReadOnlySpan<int> words, int w)
    {
        for (var k = 0; k < w; k++)
        {
            if (tokens[words[k]] == tokens[words[w]])
                return true;
        }

        return false;
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
    public PairScore Score(LeadFeatures lead, AccountFeatures account, IReadOnlyList<ContactFeatures> contacts, ShareCounts share, bool explain)
    {
        var evidence = explain ? new List<MatchEvidence>() : null;
        var total = PriorBits;
        var corroborated = false;
        var siteAgrees = false;
        var locationDisagrees = false;

        // Name.
        var places = new PlaceWords(lead.Address, account.Address, account.Location.City);
        var name = CompareNames(lead.Name, account.Name, explain, places);
        if (account.Organisation is { } organisation && CompareNames(lead.Name, organisation, explain, places) is var inOrganisation &&
            inOrganisation.Weight > name.Weight)
            name = inOrganisation with { Detail = explain ? $"{inOrganisation.Detail}, the organisation's name before the site's" : string.Empty };

        // The account's web address without its suffix ("DKKL" for Deutsche Kühlkettenlogistik AG at dkkl.de): the brand
        // the company goes by, worth what initials are, with their doubt. Where one name holds the other's words, and the
        // lead gives that very domain, the name says no more than the domain does, which is weighed below: an organisation
        // and its site at one address ("Zenith Nova Water" and "Zenith Nova Water Airport Day Care" at zenithnovawater.io).
        if (name.Weight < AcronymAgree && !lead.Name.HasSite && IsDomainLabel(lead.Name, account) &&
            (name.Relation is NameRelation.None or NameRelation.Different or NameRelation.Conflict || !SharesDomain(lead.Domains, account.Domains)))
            name = new NameMatch(AcronymAgree, NameRelation.Acronym, explain ? $"\"{lead.Name.Core}\" is the name of the account's web address" : string.Empty, Doubtful: true);
        var agrees = name.Weight > 0;
        siteAgrees |= name.SameStore;
        if (name.Weight != 0)
        {
            total += name.Weight;
            evidence?.Add(new MatchEvidence("name", name.Detail, Round(name.Weight)));
            if (name.Weight >= 6 && !name.Doubtful)
                corroborated = true;
        }

        // Email address: the lead's address is a known contact's (or the account's) address.
        var emailMatched = false;
        if (lead.EmailHash != 0)
        {
            if (lead.EmailHash == account.EmailHash && lead.Email == account.Email)
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
                    if (contact.EmailHash == lead.EmailHash && contact.Email == lead.Email)
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
        // A contact's email names a person, who may now work at another site; the account's own email names the site.
        var personAgrees = emailMatched && lead.Email != account.Email;
        var siteProven = (emailMatched && !personAgrees) || SiteHostAgrees(lead, account);
        siteAgrees |= siteProven;
        agrees |= emailMatched;

        // Domains: website and email domains of the account and of its contacts.
        var domainAgrees = false;
        var ownDomain = false;
        var otherDomain = false;
        if (lead.Domains.Length > 0)
        {
            string? agreed = null;
            var field = "domain";
            for (var d = 0; d < lead.Domains.Length; d++)
            {
                if (UsesDomain(account, lead, d))
                {
                    agreed = lead.Domains[d];
                    break;
                }
            }

            if (agreed is null)
            {
                for (var c = 0; c < contacts.Count; c++)
                {
                    var contact = contacts[c];
                    if (contact.DomainHash != 0 && Array.IndexOf(lead.DomainHashes, contact.DomainHash) >= 0 && Array.IndexOf(lead.Domains, contact.Domain) >= 0)
                    {
                        agreed = contact.Domain;
                        field = "contact-domain";
                        break;
                    }
                }
            }

            if (agreed is not null)
            {
                if (name.Weight < 0 && (agreed == lead.NameDomain || agreed == account.NameDomain))
                {
                    // A name typed as the web address that agrees ("Rllogic.com" for River Logic at rllogic.com) says
                    // no more than that domain does: it is not a second, disagreeing name.
                    total -= name.Weight;
                    evidence?.RemoveAll(e => e.Field == "name");
                }

                // The account's own host under a domain its organisation shares ("ipa.fraunhofer.de") is its own.
                var users = SiteHostAgrees(lead, account) ? 1 : Math.Max(1, share.Domain(agreed));
                if (name.Weight < DomainOutweighsName && users == 1)
                {
                    // The company's own domain outweighs another name: a brand, a subsidiary, a new name, a trading name.
                    total += DomainOutweighsName - name.Weight;
                    if (evidence?.FindIndex(e => e.Field == "name") is { } at and >= 0)
                        evidence[at] = new MatchEvidence("name", $"{name.Detail}; {agreed} is the account's own domain", DomainOutweighsName);
                }

                var weight = Math.Max(1, DomainAgree - Math.Log(users, 2));
                total += weight;
                corroborated = true;
                domainAgrees = true;
                ownDomain = users == 1 || share.DomainOfOneOrganisation(agreed);
                agrees = true;
                evidence?.Add(new MatchEvidence(field, users > 1 ? $"{agreed} (shared by {users} accounts)" : agreed, Round(weight)));
            }
            else if (account.ParentDomains.Length > 0 && SharesDomain(lead.Domains, account.ParentDomains))
            {
                // The organisation's domain, for one of its sites with a domain of its own: which organisation, not which site.
                evidence?.Add(new MatchEvidence("domain", $"{string.Join(", ", lead.Domains)} is the organisation's (the parent account's)", 0));
            }
            else if (account.DomainHashes != 0 && !emailMatched && !(MayShareLabel(lead.DomainLabels, account.DomainLabels) && SameNameOtherSuffix(lead.Domains, account.Domains)))
            {
                // A name only like the account's (a slip, another order) at a domain of its own, not the account's, is
                // another company's: each firm's domain spells its own name ("handleyforge.co.uk", "hanleyforge.co.uk").
                var disagree = name.Doubtful ? 3 * DomainDisagree : DomainDisagree;
                total += disagree;
                otherDomain = true;
                evidence?.Add(new MatchEvidence("domain", $"{string.Join(", ", lead.Domains)} <> {string.Join(", ", account.Domains)}", disagree));
            }
        }

        bool phoneExact = false, phoneAgrees = false;

        // Phone: exact number, or the same switchboard (direct dials differ in the last digits); shared numbers count less.
        if (lead.PhoneKey != 0)
        {
            var phone = ComparePhones(lead, account, contacts, share, explain);
            if (phone.Weight != 0)
            {
                total += phone.Weight;
                evidence?.Add(new MatchEvidence("phone", phone.Detail, Round(phone.Weight)));
            }

            // A freephone or national-rate number on the organisation's own account is the company's for all its sites
            // (and a franchisor's for its franchisees): which company, not which site. On a site's account it is that site's.
            siteAgrees |= phone.Exact && (account.Name.HasSite || account.ParentId is not null || !PhoneNormalizer.IsNonGeographic(lead.Phone));
            phoneExact = phone.Exact;
            phoneAgrees = phone.Weight > 0;
            locationDisagrees |= phone.Weight < 0;
            agrees |= phone.Weight > 0;

            // A name that shares words with the account's, beside the account's own number, is that business called
            // another way ("Petal" for "Petal & Stem Florists", "Hôpital Necker" for "Necker-Enfants Malades"): it does
            // not count against. It does not count for either, so it is a flag, never a block.
            if (phoneExact)
                total += NeitherForNorAgainst(name, evidence, "the account's own number");
        }

        // Address.
        // A district typed for the city is looked for only where something else says which company: elsewhere the city
        // disagrees either way, and reading the other's street for every candidate costs a tenth of a run.
        var readDistricts = phoneAgrees || emailMatched || domainAgrees || name.Weight >= 6;
        var address = CompareAddress(lead.Address, account, evidence, readDistricts);
        total += address.Weight;
        siteAgrees |= address.StreetAgrees;

        // The same goes for the account's own house number and street ("Hilliard Head Start" at the address of "Henry
        // Booth House - Hilliard Center") when the lead gives no phone: a flag, never a block. Another business in the
        // building has words of its own and its own phone ("Madison Street Dermatology", "Madison Family Medicine").
        if (address.StreetAgrees && lead.Address.Key.Number != 0 && lead.PhoneKey == 0)
            total += NeitherForNorAgainst(name, evidence, "the account's own street address", atLeast: name.Relation is NameRelation.LeadBroader or NameRelation.LeadNarrower ? NamedAtOwnAddress : 0);

        // A name that one of the two contains ("Fenix" for "Fenix at the Argyle"), with the site's own number and street,
        // is that business: another at the address (a hotel's "Cafe" beside its "Restaurant") has words of its own.
        corroborated |= name.Weight > 0 && name.Relation is NameRelation.LeadBroader or NameRelation.LeadNarrower && phoneExact && address.StreetAgrees;

        // A near-spelling or a reordering of the name is as often another company's name as a slip: with the account's
        // own phone or street it is the account; with the city alone it is only like it.
        corroborated |= name.Weight >= 6 && name.Doubtful && (phoneExact || address.StreetAgrees);

        // The name at another street, with nothing that identifies the company (an email, a domain, its phone): as likely
        // another business of that name ("Main Street Dental", "Smith & Associates") as the account moved.
        corroborated &= !address.StreetDisagrees || emailMatched || domainAgrees || phoneExact;

        // The company's name and domain at another street in another city, with another number or none: another office
        // of the company (a new site) as often as the account moved. Which company, not which site: a flag.
        corroborated &= !(address.StreetDisagrees && address.PlaceDisagrees && !phoneAgrees) || emailMatched;

        // Writing from another company's own domain: an agency, a consultant or a reseller writing for the account, or
        // someone who has moved on. The name says which customer, not that the lead is the customer's own: its phone or
        // street does.
        corroborated &= !otherDomain || phoneExact || address.StreetAgrees;

        // Another unit of one organisation: the organisation's domain and switchboard say which organisation, not which
        // unit. So at another street when the names conflict or each writes from its own subdomain ("SINTEF Ocean" beside
        // "SINTEF Industri", "DTU Kemi" at kemi.dtu.dk beside "DTU Kemiteknik" at kt.dtu.dk), and even at one campus
        // address when each name says a unit of its own ("RIKEN Center for Integrative Medical Sciences" and "… for
        // Sustainable Resource Science"); and a name that adds a part of its own, at another street and number
        // ("Stadtwerke Bochum Netz GmbH" beside "Stadtwerke Bochum GmbH": a subsidiary, a division), or at the same one
        // from a unit's own host ("Freudenberg Home and Cleaning Solutions" at fhcs.freudenberg.com beside "Freudenberg
        // SE") or a company domain of its own ("Octave Santé (Groupe Vauclair)" at octave-sante.fr). Another number of one group's numbered companies ("Property Fund II" beside "Fund I") is another company
        // at one address.
        var otherSubdomain = lead.SiteHost.Length > 0 && account.SiteHost.Length > 0 && lead.SiteHost != account.SiteHost;
        var anotherUnit = (name.Relation == NameRelation.Conflict && (name.EachItsOwn || address.StreetDisagrees)) ||
            (address.StreetDisagrees && (otherSubdomain || (name.Relation == NameRelation.LeadNarrower && !phoneExact))) ||
            (name.Relation == NameRelation.LeadNarrower && (otherDomain || UnitHostOfItsOwn(lead, account)));
        // The account's own email says which unit; a contact's says who writes, and a manager writes for every hotel,
        // site or unit the organisation runs ("Tru by Hilton Milwaukee Airport" from the staff filed under the "Home2
        // Suites" in the same building).
        corroborated &= (emailMatched && !personAgrees) || !anotherUnit;

        // The same people run all of a group's numbered companies, and a charity's foundation: even their own email does
        // not say which body.
        corroborated &= !name.SisterBody;

        // A name with no word of the account's, at its domain and number, even from a known contact: a brand or trading
        // name of the account, or a partner (an accountant, an agency) writing for a client of its own. A flag says which
        // account the person is at; which company the lead is, only the rep can tell.
        corroborated &= name.Relation != NameRelation.Different;
        agrees |= address.Agrees;
        locationDisagrees |= address.StreetDisagrees;

        // The lead is a known contact of the account (nicknames allowed).
        if (contacts.Count > 0 && (corroborated || name.Weight > 0) && lead.LastName.Length > 0)
        {
            for (var c = 0; c < contacts.Count; c++)
            {
                var contact = contacts[c];
                if (PersonNameNormalizer.SameFamilyName(contact.LastName, lead.LastName) && PersonNameNormalizer.SameGivenName(contact.FirstName, lead.FirstName))
                {
                    total += ContactPersonAgree;
                    personAgrees = true;
                    agrees = true;
                    evidence?.Add(new MatchEvidence("contact-name", $"{lead.Lead.FirstName} {lead.Lead.LastName} = contact {contact.Contact.DisplayName}", ContactPersonAgree));
                    break;
                }
            }
        }

        // A known person at another street, in another city or postal code, is at another site of the organisation.
        siteAgrees |= personAgrees && !(address.StreetDisagrees && address.PlaceDisagrees);

        // Writing from the account's own domain, which no other account uses, or only its organisation's sites do, is
        // writing from that organisation: another name or another address makes the lead another part of it (a bureau, a
        // plant, a new site), a flag at least. Raised to the floor, the weights keep their order, so that the part of the
        // organisation the lead names best is still the one named.
        if (ownDomain && total < OwnDomainFloor)
        {
            var floored = OwnDomainFloor - ((OwnDomainFloor - total) / 1024);
            evidence?.Add(new MatchEvidence("organisation", "the lead writes from the account's own domain: a part of that organisation at least", Round(floored - total)));
            total = floored;
        }

        evidence?.Sort((a, b) => Math.Abs(b.Weight).CompareTo(Math.Abs(a.Weight)));
        return new PairScore(total, evidence, name.Relation, corroborated, siteAgrees, locationDisagrees, agrees, address.Agrees, name.Bits, personAgrees, siteProven || name.SameStore || personAgrees);
    }

    /// <summary>
    /// The bits that take back a name's weight against when it shares words with the account's beside the account's own
    /// number or address (0 when it does not count against, or shares no word), its evidence saying why.
    /// </summary>
    /// <param name="atLeast">The least the name then weighs: what it says for when one name holds the other.</param>
    private static double NeitherForNorAgainst(NameMatch name, List<MatchEvidence>? evidence, string why, double atLeast = 0)
    {
        if (name.Weight >= atLeast || name.Relation == NameRelation.Different)
            return 0;
        if (evidence?.FindIndex(e => e.Field == "name") is { } at and >= 0)
            evidence[at] = new MatchEvidence("name", $"{name.Detail}; {why}", atLeast);
        return atLeast - name.Weight;
    }

    private static (double Weight, string Detail, bool Exact) ComparePhones(LeadFeatures lead, AccountFeatures account, IReadOnlyList<ContactFeatures> contacts, ShareCounts share, bool explain)
    {
        var phone = lead.PhoneKey;
        var switchboards = phone > 0 && lead.Phone.Length >= 9;
        var hasOther = account.PhoneKey != 0;
        var exact = phone == account.PhoneKey;
        var sameSwitchboard = !exact && switchboards && SameSwitchboard(phone, account.PhoneKey);
        var with = exact || sameSwitchboard ? "the account's main number" : null;
        if (!exact)
        {
            for (var c = 0; c < contacts.Count; c++)
            {
                var contact = contacts[c];
                if (contact.PhoneKey == 0)
                    continue;
                hasOther = true;
                if (contact.PhoneKey == phone)
                {
                    exact = true;
                    with = explain ? $"contact {contact.Contact.DisplayName}'s number" : null;
                    break;
                }

                if (!sameSwitchboard && switchboards && SameSwitchboard(phone, contact.PhoneKey))
                {
                    sameSwitchboard = true;
                    with = explain ? $"contact {contact.Contact.DisplayName}'s number" : null;
                }
            }
        }

        if (exact)
        {
            var users = Math.Max(1, share.Phone(lead.Phone));
            var weight = Math.Max(1, PhoneAgree - (2 * Math.Log(users, 2)));
            return (weight, !explain ? string.Empty : users > 1 ? $"{lead.Phone} = {with} (shared by {users} accounts)" : $"{lead.Phone} = {with}", users == 1);
        }

        if (!sameSwitchboard && lead.NationalKey > 0)
        {
            // A national number with no country: the account's number without its country code. Worth what the
            // number is, but never exact: the country is inferred.
            var national = IsNationalOf(lead, account.PhoneKey);
            with = national ? "the account's main number" : null;
            for (var c = 0; c < contacts.Count && !national; c++)
            {
                national = IsNationalOf(lead, contacts[c].PhoneKey);
                with = national && explain ? $"contact {contacts[c].Contact.DisplayName}'s number" : null;
            }

            if (national)
                return (PhoneAgree, explain ? $"{lead.Lead.Phone} = {with} without its country code" : string.Empty, false);
        }

        if (sameSwitchboard)
        {
            var users = Math.Max(1, share.Switchboard(lead.Phone));
            var weight = Math.Max(0.5, SwitchboardAgree - (2 * Math.Log(users, 2)));
            return (weight, explain ? $"{lead.Phone} has the switchboard of {with}" : string.Empty, false);
        }

        return hasOther ? (PhoneDisagree, explain ? $"{lead.Phone} differs" : string.Empty, false) : (0, string.Empty, false);
    }

    /// <summary>
    /// Tells whether an E.164 number (<see cref="TextHash.Phone"/>) is a country code of 1–3 digits and then the lead's
    /// national number, with or without its trunk 0 (a leading 0 leaves the number's value as it is); or, for +7 (Russia,
    /// Kazakhstan), after the trunk 8 ("8 701 555 32 10").
    /// </summary>
    internal static bool IsNationalOf(LeadFeatures lead, long e164)
    {
        if (e164 <= 0)
            return false;
        if (IsTrunk8(lead.NationalPhone) && e164 / TenDigits == 7 && e164 % TenDigits == lead.NationalKey % TenDigits)
            return true;
        var trunk = lead.NationalPhone[0] == '0';
        var scale = 1L;
        for (var i = trunk ? 1 : 0; i < lead.NationalPhone.Length; i++)
            scale *= 10;
        return IsCountryCodeThen(scale) || (trunk && IsCountryCodeThen(scale * 10));

        bool IsCountryCodeThen(long nationalScale) => e164 % nationalScale == lead.NationalKey && e164 / nationalScale is >= 1 and <= 999;
    }

    private const long TenDigits = 10_000_000_000;

    /// <summary>Tells whether a national number is a +7 (Russian, Kazakh) one dialled with its trunk 8: eleven digits, the first 8.</summary>
    private static bool IsTrunk8(string national) => national.Length == 11 && national[0] == '8';

    /// <summary>Same number but the last digits (<see cref="PhoneNormalizer.SwitchboardDigits"/>), on phone numbers.</summary>
    /// <remarks>Equal quotients mean the same number of digits too, so no lengths need comparing.</remarks>
    public static bool SameSwitchboard(long a, long b) => a > 0 && b > 0 && a / 100 == b / 100;

    private static (double Weight, bool StreetAgrees, bool StreetDisagrees, bool PlaceDisagrees, bool Agrees) CompareAddress(Address lead, AccountFeatures features, List<MatchEvidence>? evidence, bool readDistricts)
    {
        double total = 0;
        bool agrees = false, disagrees = false, any = false, otherPlace = false;
        var l = lead.Key;
        var a = features.Location;
        if (l.Country != 0 && a.Country != 0 && l.Country != a.Country)
        {
            total += CountryDisagree;
            evidence?.Add(new MatchEvidence("country", $"{lead.Country} <> {features.Address.Country}", CountryDisagree));
        }

        if (l.Street != 0 && a.Street != 0)
        {
            var account = features.Address;
            if (l.Street == a.Street && lead.Street == account.Street && lead.Unit.Length > 0 && account.Unit.Length > 0 && lead.Unit != account.Unit)
            {
                // One tower or mall, another suite ("#03-05" and "#02-17"): a neighbour as often as the account.
                total += SameBuilding;
                evidence?.Add(new MatchEvidence("street", $"\"{lead.Street}\", another unit ({lead.Unit} <> {account.Unit})", SameBuilding));
            }
            else if (l.Street == a.Street && lead.Street == account.Street)
            {
                // The same suite too ("Suite 400" and "Ste 400") tells this tenant from the others in the building.
                var weight = lead.Unit.Length > 0 && lead.Unit == account.Unit ? StreetAgree + SameUnit : StreetAgree;
                total += weight;
                agrees = true;
                evidence?.Add(new MatchEvidence("street", weight > StreetAgree ? $"\"{lead.Street}\", unit {lead.Unit}" : $"\"{lead.Street}\"", weight));
            }
            else if ((l.Number != 0 && l.Number == a.Number && lead.Number == account.Number &&
                (EditDistance.Within(lead.Street, account.Street, 3) || StreetWithin(lead.Street, account.Street))) || SameWordsReordered(lead.Street, account.Street))
            {
                total += StreetAgree - 1;
                agrees = true;
                evidence?.Add(new MatchEvidence("street", $"\"{lead.Street}\" ~ \"{account.Street}\"", StreetAgree - 1));
            }
            else if ((l.Number == 0 || a.Number == 0) && (SameStreetName(lead.Street, account.Street) || StreetWithin(lead.Street, account.Street)))
            {
                // "Place Jean Macé" and "16 Place Jean Macé", "Dubai Silicon Oasis" and "Unit 112, Building A5, Dubai Silicon
                // Oasis": the street is one, a number or a building left out. Which building is not known; that is not
                // another street.
                evidence?.Add(new MatchEvidence("street", $"\"{lead.Street}\" ~ \"{account.Street}\" (one gives no house number)", 0));
            }
            else
            {
                total += StreetDisagree;
                disagrees = true;
                evidence?.Add(new MatchEvidence("street", $"\"{lead.Street}\" <> \"{account.Street}\"", StreetDisagree));
            }
        }

        if (l.City != 0 && a.City != 0)
        {
            var agree = l.City == a.City && lead.City == features.Address.City;
            if (!agree && readDistricts && NamesDistrictOf(lead, features))
            {
                // "Nanshan" for Shenzhen, "Tân Bình" for Ho Chi Minh City: a district or town the other's address names.
                evidence?.Add(new MatchEvidence("city", $"{lead.City} ~ {features.Address.City} (a district or town the other address names)", 0));
            }
            else if (!agree && readDistricts && AddressNormalizer.InOneCity(lead.City, features.Address.City))
            {
                // "Brooklyn" for New York, "Deira" for Dubai: the borough or district people type for the city.
                evidence?.Add(new MatchEvidence("city", $"{lead.City} ~ {features.Address.City} (a district of the city)", 0));
            }
            else if (!agree && NamesSiteIn(lead.City, features.Name))
            {
                // "Xela" for the account "Súper Don Chepe - Sucursal Xela" in Quetzaltenango: the place its site is called by.
                evidence?.Add(new MatchEvidence("city", $"{lead.City} ~ {features.Address.City} (the place the account's site is named after)", 0));
            }
            else if (agree || !MaySpellOneCity(l.CityShape, a.CityShape, lead, features))
            {
                any |= agree;
                otherPlace |= !agree;
                total += agree ? CityAgree : CityDisagree;
                evidence?.Add(new MatchEvidence("city", agree ? lead.City : $"{lead.City} <> {features.Address.City}", agree ? CityAgree : CityDisagree));
            }
            else if (SoundSkeleton.Alike(lead.City, lead.CityRomanised, features.Address.City, features.Address.CityRomanised))
            {
                // One city in two scripts ("المنامة" and "Manama").
                any = true;
                total += CityAgree;
                evidence?.Add(new MatchEvidence("city", $"{lead.City} sounds like {features.Address.City} (written in different scripts)", CityAgree));
            }
            else
            {
                evidence?.Add(new MatchEvidence("city", $"{lead.City} ~ {features.Address.City} (may be one city written two ways)", 0));
            }
        }

        if (l.Postal != 0 && a.Postal != 0)
        {
            var agree = l.Postal == a.Postal && lead.PostalCode == features.Address.PostalCode;
            any |= agree;
            otherPlace |= !agree;
            total += agree ? PostalAgree : PostalDisagree;
            evidence?.Add(new MatchEvidence("postal-code", agree ? lead.PostalCode : $"{lead.PostalCode} <> {features.Address.PostalCode}", agree ? PostalAgree : PostalDisagree));
        }

        return (total, agrees, disagrees, otherPlace, agrees || any);
    }

    /// <summary>
    /// Tells whether one record's city is a district or town the other's address names: in its street line ("…, Quận Tân
    /// Bình", "广东省深圳市南山区…") or in its city field after a comma ("Thủ Dầu Một, Bình Dương"). People type the
    /// district, the town or the city, and the address holds them all.
    /// </summary>
    private static bool NamesDistrictOf(Address lead, AccountFeatures features)
    {
        var account = features.Address;
        if (HasWordRun(account.Street, lead.City) || HasWordRun(lead.Street, account.City))
            return true;
        var typed = features.Account.City;
        var comma = typed?.IndexOf(',') ?? -1;
        return comma > 0 && HasWordRun(MatchText.Fold(typed!.Substring(comma + 1)), lead.City);
    }

    /// <summary>
    /// Tells whether <paramref name="text"/> has <paramref name="words"/> as whole words, spaces aside ("nan shan qu" has
    /// "nanshan"); never for fewer than four letters.
    /// </summary>
    internal static bool HasWordRun(string text, string words)
    {
        if (words.Length < 4 || text.Length < 4 || text.IndexOf(words[0]) < 0)
            return false;
        for (var start = 0; start < text.Length; start++)
        {
            if (start > 0 && text[start - 1] != ' ')
                continue;
            int i = start, j = 0, letters = 0;
            while (i < text.Length && j < words.Length)
            {
                if (text[i] == ' ')
                    i++;
                else if (words[j] == ' ')
                    j++;
                else if (text[i] == words[j])
                {
                    i++;
                    j++;
                    letters++;
                }
                else
                {
                    break;
                }
            }

            while (j < words.Length && words[j] == ' ')
                j++;
            if (j == words.Length && letters >= 4 && (i == text.Length || text[i] == ' '))
                return true;
        }

        return false;
    }

    /// <summary>Tells whether two street lines, one with a house number first and one without, name one street.</summary>
    private static bool SameStreetName(string a, string b)
    {
        if (a.Length > b.Length)
            (a, b) = (b, a);
        var space = b.IndexOf(' ');
        return space > 0 && b.Length - space - 1 == a.Length && string.CompareOrdinal(b, space + 1, a, 0, a.Length) == 0;
    }

    /// <summary>
    /// Tells whether the shorter of two streets (two words or more) is a run of the longer's words: the other gives the
    /// building or the locality too ("Kharadi Bypass Rd" in "S. No. 61/2, Kharadi Bypass Road, Kharadi").
    /// </summary>
    private static bool StreetWithin(string a, string b)
    {
        if (a.Length > b.Length)
            (a, b) = (b, a);
        return a.Length >= 8 && a.IndexOf(' ') > 0 && a.Length < b.Length && HasWordRun(b, a);
    }

    /// <summary>Tells whether two streets have the same words in another order ("Bocagrande Cra 1 10-10" and "Cra. 1 # 10-10, Bocagrande").</summary>
    private static bool SameWordsReordered(string a, string b)
    {
        if (a.Length != b.Length || a.IndexOf(' ') < 0 || a == b)
            return false;

        // The same letters first, summed and then counted without allocating: most streets of one length differ in them.
        int sumA = 0, sumB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sumA += a[i];
            sumB += b[i];
        }

        if (sumA != sumB)
            return false;
        Span<int> counts = stackalloc int[64];
        for (var i = 0; i < a.Length; i++)
        {
            counts[a[i] & 63]++;
            counts[b[i] & 63]--;
        }

        foreach (var count in counts)
        {
            if (count != 0)
                return false;
        }

        var x = a.Split(' ');
        var y = b.Split(' ');
        if (x.Length != y.Length)
            return false;
        Array.Sort(x, StringComparer.Ordinal);
        Array.Sort(y, StringComparer.Ordinal);
        return x.AsSpan().SequenceEqual(y);
    }

    /// <summary>Tells whether a one-word city is a word of a name's site part.</summary>
    private static bool NamesSiteIn(string city, CompanyName name)
    {
        if (!name.HasSite || city.IndexOf(' ') >= 0)
            return false;
        for (var i = name.HeadCount; i < name.Tokens.Length; i++)
        {
            if (name.Tokens[i] == city)
                return true;
        }

        return false;
    }

    /// <summary>
    /// Tells whether two cities that differ as written may be one city: one of them written in another script, romanised
    /// another way ("Isfahan" and "Esfahan", "Tiruppur" and "Tirupur"), or the first words of the other's name
    /// ("Cartagena" and "Cartagena de Indias"). Neither agreement nor disagreement.
    /// </summary>
    private static bool MaySpellOneCity(int leadShape, int accountShape, Address lead, AccountFeatures account)
    {
        if (leadShape == -1 || accountShape == -1)
            return true;
        if (((leadShape ^ accountShape) & 0xFF00) == 0 && Math.Min(leadShape >> 16, accountShape >> 16) >= 5 && FirstWordsOf(lead.City, account.Address.City))
            return true;

        // Most cities differ in length or at both ends ("Boise", "Meridian"): told apart from their shapes, without
        // reading the account's address (a cache miss) or computing a distance.
        int leadLength = leadShape >> 16, accountLength = accountShape >> 16;
        var shorter = Math.Min(leadLength, accountLength);
        var edits = shorter >= 8 ? 2 : 1;
        if (shorter < 5 || Math.Abs(leadLength - accountLength) > edits || (((leadShape ^ accountShape) & 0xFF00) != 0 && ((leadShape ^ accountShape) & 0xFF) != 0))
            return false;
        return EditDistance.Within(lead.City, account.Address.City, edits);
    }

    private static bool FirstWordsOf(string a, string b) =>
        a.Length < b.Length ? b[a.Length] == ' ' && b.StartsWith(a, StringComparison.Ordinal) : b.Length < a.Length && a[b.Length] == ' ' && a.StartsWith(b, StringComparison.Ordinal);

    /// <summary>
    /// Tells whether two records' domains are one name under other suffixes ("contoso.co.uk" and "contoso.com"): a
    /// company's sites in other countries, or another company that took the name elsewhere. Neither agreement nor
    /// disagreement.
    /// </summary>
    private static bool SharesDomain(string[] lead, string[] account)
    {
        foreach (var domain in lead)
        {
            if (Array.IndexOf(account, domain) >= 0)
                return true;
        }

        return false;
    }

    /// <summary>Tells whether a name run together is the first label of one of the account's domains ("dkkl" of "dkkl.de").</summary>
    private static bool IsDomainLabel(CompanyName name, AccountFeatures account)
    {
        var compact = name.Compact;
        if (compact.Length < 4 || account.DomainLabels == 0)
            return false;
        var hash = name.CompactHash;
        if (hash != (int)(account.DomainLabels >> 32) && hash != (int)account.DomainLabels)
            return false;
        foreach (var domain in account.Domains)
        {
            if (domain.Length > compact.Length && domain[compact.Length] == '.' && domain.StartsWith(compact, StringComparison.Ordinal))
                return true;
        }

        return false;
    }

    /// <summary>Tells whether two packed label hashes (<see cref="AccountFeatures.DomainLabels"/>) may share a label.</summary>
    private static bool MayShareLabel(long lead, long account)
    {
        int l1 = (int)(lead >> 32), l2 = (int)lead, a1 = (int)(account >> 32), a2 = (int)account;
        return (l1 != 0 && (l1 == a1 || l1 == a2)) || (l2 != 0 && (l2 == a1 || l2 == a2));
    }

    private static bool SameNameOtherSuffix(string[] lead, string[] account)
    {
        foreach (var a in lead)
        {
            var dot = a.IndexOf('.');
            if (dot < 4 || a.IndexOf('/') >= 0)
                continue;
            foreach (var b in account)
            {
                if (b.Length > dot && b[dot] == '.' && string.CompareOrdinal(a, 0, b, 0, dot) == 0)
                    return true;
            }
        }

        return false;
    }

    private static double Round(double value) => Math.Round(value, 2);

    /// <summary>Tells whether the lead writes from (or names) the account's own subdomain: that site's, not just its organisation's.</summary>
    /// <summary>
    /// Whether the lead writes from a unit's own host under the organisation's domain, where the account writes from the
    /// domain itself ("fhcs.freudenberg.com" beside "freudenberg.com"); not a country's ("de.bosch.com").
    /// </summary>
    private static bool UnitHostOfItsOwn(LeadFeatures lead, AccountFeatures account) =>
        account.SiteHost.Length == 0 && lead.SiteHost.IndexOf('.') > 2;

    internal static bool SiteHostAgrees(LeadFeatures lead, AccountFeatures account) =>
        lead.SiteHost.Length > 0 && lead.SiteHost == account.SiteHost;

    private static string[] Distinct(string a, string b) =>
        a.Length == 0 ? (b.Length == 0 ? [] : [b]) : (b.Length == 0 || a == b ? [a] : [a, b]);
}
