using System.Globalization;
using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Matching.Scoring;

/// <summary>
/// The lead's and the account's cities, as they bear on names. In the site part of a name a city word says where, not
/// which site ("Spago (Los Angeles)"); at the end of a name, the city both records are in says where the company is
/// ("Liberty Builders Nantes" in Nantes, for the Liberty Builders of Nantes). Either way it counts neither for nor
/// against. Read only when a word is left unmatched, which few pairs reach.
/// </summary>
internal readonly struct PlaceWords(Address? lead, Address? account, int accountCityHash)
{
    // The addresses, not their cities: reading an account's address is a cache miss most pairs never need.
    private string? LeadCity => lead?.City;

    private string? AccountCity => account?.City;

    /// <summary>
    /// Tells whether a word of a name's site part only says where: a word of the other record's city, or of the record's
    /// own city when the other gives none or the same.
    /// </summary>
    /// <param name="word">The word.</param>
    /// <param name="inLead">Whether the word is in the lead's name.</param>
    public bool SaysWhere(string word, bool inLead) =>
        In(inLead ? AccountCity : LeadCity, word) || (!CitiesDiffer && In(inLead ? LeadCity : AccountCity, word));

    /// <summary>
    /// Tells whether a word of a name's site part is its record's city where the other record gives another: the site of
    /// another city ("Thistle Home - Edinburgh" for a lead in Glasgow), not the lead's.
    /// </summary>
    /// <param name="word">The word.</param>
    /// <param name="inLead">Whether the word is in the lead's name.</param>
    public bool NamesAnotherCity(string word, bool inLead) => CitiesDiffer && In(inLead ? LeadCity : AccountCity, word);

    private bool CitiesDiffer => !string.IsNullOrEmpty(LeadCity) && !string.IsNullOrEmpty(AccountCity) && lead!.Key.City != accountCityHash;

    /// <summary>
    /// Tells whether the records are in a country whose own script is not Latin (one of them may give none): a Latin name
    /// there is a romanisation, and romanisations of one name differ ("Kavir" and "Kaveer", "Hanul" and "Hanwool", "Gamal"
    /// and "Jamal").
    /// </summary>
    public bool Romanised
    {
        get
        {
            string? leadCountry = lead?.Country, accountCountry = account?.Country;
            var leadOther = SoundSkeleton.IsOtherScriptCountry(leadCountry);
            var accountOther = SoundSkeleton.IsOtherScriptCountry(accountCountry);
            return (leadOther || accountOther) && (leadOther || string.IsNullOrEmpty(leadCountry)) && (accountOther || string.IsNullOrEmpty(accountCountry));
        }
    }

    /// <summary>
    /// Tells whether word <paramref name="at"/> of a name only says where, in the city both records give: it ends the
    /// organisation's name after its first word (the lead's "Liberty Builders Nantes" in Nantes against the account
    /// "Liberty Builders" in Nantes), or starts it before words of its own ("Ningbo Yongda Machinery" in Ningbo against
    /// "Yongda Machinery", as Chinese companies are registered and called). A city the other record does not give might
    /// name another site, so it still counts against.
    /// </summary>
    public bool IsSharedCityAt(CompanyName name, int at)
    {
        var city = LeadCity;
        if (at >= name.HeadCount || string.IsNullOrEmpty(city) || lead!.Key.City != accountCityHash || city != AccountCity)
            return false;

        // Most words are in no city: ruled out without splitting the city into words.
        var word = name.Tokens[at];
        if (city!.IndexOf(word, StringComparison.Ordinal) < 0 && (at == 0 || !CompanyNameNormalizer.LegalForms.Contains(word)))
        {
            // The city under another of its names ("Lingxi Biopharma Peking" in Beijing) ends the name as its own does.
            return at > 0 && at == name.HeadCount - 1 && AddressNormalizer.IsNameOf(word, city);
        }

        // The city's words, and a legal form the city came after ("Superior Publishing Inc Denver").
        var words = MatchText.Tokens(city);
        if (at >= 1)
        {
            var named = false;
            var end = true;
            for (var i = at; i < name.HeadCount && end; i++)
            {
                var inCity = Array.IndexOf(words, name.Tokens[i]) >= 0;
                end = inCity || CompanyNameNormalizer.LegalForms.Contains(name.Tokens[i]);
                named |= inCity;
            }

            if (end && named)
                return true;
        }

        for (var i = 0; i <= at; i++)
        {
            if (Array.IndexOf(words, name.Tokens[i]) < 0)
                return false;
        }

        return at + 1 < name.HeadCount && Array.IndexOf(words, name.Tokens[at + 1]) < 0;
    }

    private static bool In(string? city, string word) => !string.IsNullOrEmpty(city) && (MatchText.HasToken(city!, word) || AddressNormalizer.IsNameOf(word, city!));
}

/// <summary>The name part of a pair score.</summary>
/// <param name="Weight">The weight in bits.</param>
/// <param name="Relation">How the names relate.</param>
/// <param name="Detail">The comparison in words, when asked for.</param>
/// <param name="Doubtful">
/// Whether the names agree only as a near-spelling of a distinctive word ("Alta" for "Alto") or in another order ("Commerce
/// Bank" for "Bank of Commerce"): as often another company's name as a slip, so it needs a phone, a street or a domain
/// beside it to block.
/// </param>
/// <param name="Bits">
/// The bits the names share less the bits they do not, uncapped: among candidates whose capped weights tie ("Bluebird Coffee
/// Company" and "Bluebird Coffee #0587" for "Bluebird Coffee - Store 0587"), the name that says more of the lead's.
/// </param>
/// <param name="EachItsOwn">Whether each name has distinctive words the other lacks (a conflict of two units or companies).</param>
/// <param name="SameStore">Whether the names agree on the organisation and on the store's number of the site part.</param>
/// <param name="SisterBody">
/// Whether the names are of two bodies the same people run: each name's organisation part has a number the other lacks
/// ("Fund 2" and "Fund 1", "MCP 427" and "MCP 425"), or the lead's is the account's whole name and a number ("Zuidas
/// Vastgoed 2" and "Zuidas Vastgoed") or a foundation ("Fondation de la Maison Michel-Sarrazin" and "Maison
/// Michel-Sarrazin").
/// </param>
internal readonly record struct NameMatch(double Weight, NameRelation Relation, string Detail, bool Doubtful = false, double Bits = 0, bool EachItsOwn = false, bool SameStore = false, bool SisterBody = false);

internal sealed partial class MatchEngine
{
    /// <summary>
    /// Compares two names word by word; shared words add their information, unshared words subtract. Both customary
    /// spellings of either name are tried (ü = ue), and the better reading counts.
    /// </summary>
    /// <param name="lead">The lead's name.</param>
    /// <param name="account">The account's name.</param>
    /// <param name="explain">Whether to describe the comparison.</param>
    /// <param name="places">The records' cities: a name's words that only say where count neither for nor against.</param>
    public NameMatch CompareNames(CompanyName lead, CompanyName account, bool explain, PlaceWords places = default)
    {
        var best = CompareSpelling(lead, account, explain, places);
        if (lead.Alternative is not null || account.Alternative is not null)
        {
            for (var i = 1; i < 4; i++)
            {
                var l = i < 2 ? lead : lead.Alternative;
                var a = i % 2 == 0 ? account : account.Alternative;
                if (l is null || a is null)
                    continue;
                var other = CompareSpelling(l, a, explain, places);
                if (other.Weight > best.Weight)
                    best = other;
            }
        }

        // "桜精密株式会社" and "Sakura Precision Co., Ltd." are one company's names in two scripts: a transliteration that
        // misses says nothing against it, and one that sounds alike says something for it.
        // A name read from another script is a reading, not a spelling: homophones share it (沛禾 and 佩和 both read "pei
        // he"), so alone it is a flag, and the phone, street or domain make it a block.
        if (lead.OtherScript != account.OtherScript && best.Weight > 0 && !best.Doubtful)
            best = best with { Doubtful = true };

        if (lead.OtherScript != account.OtherScript && best.Weight < SoundAlikeCap)
        {
            var sounds = CompareSounds(lead, account, explain);
            if (sounds.Weight > Math.Max(best.Weight, 0))
                return sounds;
            if (best.Weight < 0)
                return new NameMatch(0, NameRelation.None, explain ? $"\"{lead.Core}\" and \"{account.Core}\" are written in different scripts" : string.Empty);
        }

        return best;
    }

    /// <summary>Tells whether word <paramref name="at"/> of a Latin name follows a particle that is part of it ("Al Sham", "Ben Ashour").</summary>
    private static bool AfterParticle(CompanyName name, int at) => at > 0 && SoundSkeleton.ParticleSound(name.Tokens[at - 1]) is not null;

    /// <summary>Tells whether a transliterated word is an Arabic trade phrase: "for the …" (لل, read "ll": "llmqwlt", for contracting).</summary>
    private static bool IsTradePhrase(string token) => token.Length > 3 && token[0] == 'l' && token[1] == 'l';

    /// <summary>Tells whether every word of a name says what a business does ("Steuerkanzlei", "Dental Clinic").</summary>
    private static bool OnlyTradeWords(CompanyName name)
    {
        foreach (var token in name.Tokens)
        {
            if (!TokenStatistics.IsGeneric(token) && !TokenStatistics.IsStopWord(token))
                return false;
        }

        return name.Tokens.Length > 0;
    }

    /// <summary>Tells whether a word names the company rather than its trade: distinctive and not a trade word.</summary>
    private static bool IsOwnWord(string token, NameWord word) => word.Bits >= TokenStatistics.KeyBits && !TokenStatistics.IsGeneric(token);

    /// <summary>
    /// The sounds of word <paramref name="at"/>: as read and as written, for a trade word read as its English one
    /// ("فولاد" as "steel") is transliterated by the other name ("Foolad").
    /// </summary>
    private static void AddReadings(CompanyName name, int at, List<string> into)
    {
        SoundSkeleton.AddReadings(name.Tokens[at], name.OtherScript, into, withoutH: true);
        if (!ReferenceEquals(name.WrittenAt(at), name.Tokens[at]))
            SoundSkeleton.AddReadings(name.WrittenAt(at), name.OtherScript, into, withoutH: true);
    }

    /// <summary>The most a name in one script that sounds like a name in another counts: a flag, or a block with the phone or street.</summary>
    private const double SoundAlikeCap = NameCap - 4;

    /// <summary>
    /// Compares a name written in another script with one in Latin letters by the sound of their words
    /// (<see cref="SoundSkeleton"/>): "Al Khaleej Marine Services" and "الخليج للخدمات البحرية" share "Khaleej". Words that
    /// do not sound alike do not count against: trade words are translated more often than transliterated.
    /// </summary>
    private NameMatch CompareSounds(CompanyName lead, CompanyName account, bool explain)
    {
        if (lead.IsEmpty || account.IsEmpty)
            return default;
        var leadWords = lead.Scored(Statistics);
        var accountWords = account.Scored(Statistics);
        var accountReadings = new List<string>[account.Tokens.Length];
        for (var i = 0; i < accountReadings.Length; i++)
        {
            accountReadings[i] = new List<string>(2);
            if (!account.IsConnectorAt(i))
                AddReadings(account, i, accountReadings[i]);
        }

        var used = new bool[accountReadings.Length];
        var readings = new List<string>(4);
        double matched = 0;
        int letters = 0, distinctive = 0, unmatched = 0, otherNamesMore = 0;
        var latinOwnWord = false;
        for (var t = 0; t < lead.Tokens.Length; t++)
        {
            readings.Clear();
            if (!lead.IsConnectorAt(t))
                AddReadings(lead, t, readings);
            if (readings.Count == 0)
                continue;
            var found = -1;
            var factor = 0.6;
            var length = 0;
            for (var i = 0; i < accountReadings.Length && found < 0; i++)
            {
                if (used[i])
                    continue;
                foreach (var reading in readings)
                {
                    if (accountReadings[i].Contains(reading))
                    {
                        found = i;
                        length = reading.Length;
                        break;
                    }
                }
            }

            // One sound apart, in words long enough to tell ("Shimoni" and "שמעוני", whose ו reads as v).
            for (var i = 0; i < accountReadings.Length && found < 0; i++)
            {
                if (used[i])
                    continue;
                foreach (var reading in readings)
                {
                    if (reading.Length >= 3 && accountReadings[i].Exists(r => r.Length >= 3 && r[0] == reading[0] && EditDistance.Within(reading, r, 1)))
                    {
                        found = i;
                        factor = 0.4;
                        length = reading.Length - 1;
                        break;
                    }
                }
            }

            if (found < 0)
            {
                unmatched++;
                latinOwnWord |= !lead.OtherScript && IsOwnWord(lead.Tokens[t], leadWords[t]);
                otherNamesMore += lead.OtherScript && !IsTradePhrase(lead.Tokens[t]) ? 1 : 0;
                continue;
            }

            used[found] = true;
            var bits = Math.Min(leadWords[t].Bits, accountWords[found].Bits);

            // "Al Sham" is one word in Arabic, "lshm", and "Ben Ashour" a family name: the particle is a sound of the name.
            if (length == SoundSkeleton.MinKeyLength - 1 && (lead.OtherScript ? AfterParticle(account, found) : AfterParticle(lead, t)))
                length++;
            matched += factor * bits;

            // Only a distinctive word's sound says which company ("Harbi"); a trade word's ("Traders") says what it does.
            if (length >= SoundSkeleton.MinKeyLength - 1 && bits >= TokenStatistics.KeyBits && !TokenStatistics.IsGeneric(lead.Tokens[t]) && !TokenStatistics.IsGeneric(account.Tokens[found]))
            {
                letters += length;
                distinctive++;
            }
        }

        // Two sounds ("Nour", "Salah") are shared by too many words to say anything alone; nor does one syllable of a
        // name read from ideographs ("xiong" of 高雄 sounds like "King" and "Ochang"): Mandarin has some 400.
        if (letters < SoundSkeleton.MinKeyLength || (distinctive < 2 && (lead.Ideographic || account.Ideographic)))
            return default;
        var accountUnmatched = 0;
        for (var i = 0; i < used.Length; i++)
        {
            if (used[i] || accountReadings[i].Count == 0)
                continue;
            accountUnmatched++;
            latinOwnWord |= !account.OtherScript && IsOwnWord(account.Tokens[i], accountWords[i]);
            otherNamesMore += account.OtherScript && !IsTradePhrase(account.Tokens[i]) ? 1 : 0;
        }

        // A word of the Latin name's own beside an unmatched word of the other ("Altyn Tau" and "Алтын Дала", "Petrov
        // Stroy" and "Петров Агро"): another company sharing a word, not a translation, which changes trade words only.
        if (latinOwnWord && otherNamesMore > 0)
            return default;
        var weight = Math.Min(matched, SoundAlikeCap);
        var relation = unmatched == 0 && accountUnmatched == 0 ? NameRelation.Same : NameRelation.LeadBroader;
        return new NameMatch(
            weight,
            relation,
            explain ? $"\"{lead.Core}\" sounds like \"{account.Core}\" (written in different scripts; shared {matched.ToString("0.0", CultureInfo.InvariantCulture)} bits)" : string.Empty,
            Doubtful: true,
            Bits: matched - unmatched);
    }

    private NameMatch CompareSpelling(CompanyName lead, CompanyName account, bool explain, PlaceWords places)
    {
        if (lead.IsEmpty || account.IsEmpty)
            return new NameMatch(0, NameRelation.None, string.Empty);
        var leadWords = lead.Scored(Statistics);
        var accountWords = account.Scored(Statistics);
        // As written or as read ("长沙湘拓电子科技", read "chang sha xiang tuo electronic tech", and "Changsha Xiangtuo
        // Electronic Technology"), the words run together.
        if ((lead.CompactHash == account.CompactHash && lead.Compact == account.Compact) ||
            (lead.TokenCompactHash == account.TokenCompactHash && (lead.Written ?? account.Written) is not null && lead.TokenCompact == account.TokenCompact))
        {
            var info = Math.Max(Sum(leadWords), Sum(accountWords));
            return new NameMatch(Clamp(info, 3, NameCap), NameRelation.Same, explain ? $"\"{lead.Core}\" = \"{account.Core}\"" : string.Empty, Bits: info);
        }

        // "RUB" and "Rapid Urban Builders": initials tell little on their own (many names share them).
        if ((lead.AsAcronym.Length > 0 && (lead.AsAcronym == account.Initials || lead.AsAcronym == account.FormInitials || lead.AsAcronym == account.PairInitials)) ||
            (account.AsAcronym.Length > 0 && (account.AsAcronym == lead.Initials || account.AsAcronym == lead.FormInitials || account.AsAcronym == lead.PairInitials)))
            return new NameMatch(AcronymAgree, NameRelation.Acronym, explain ? $"\"{lead.Core}\" are the initials of \"{account.Core}\"" : string.Empty);

        // The site named alone ("Taylor Day School" for "Henry Booth House - Taylor Day School"), as people call a school,
        // a clinic or a branch: the site's own words agree, its organisation is unsaid.
        if (lead.HasSite != account.HasSite)
        {
            var siteBits = lead.HasSite ? SiteNamedAlone(account, accountWords, lead, leadWords) : SiteNamedAlone(lead, leadWords, account, accountWords);
            if (siteBits > 0)
            {
                return new NameMatch(
                    Math.Min(siteBits, NameCap - 1) - SiteUnsaid,
                    lead.HasSite ? NameRelation.LeadNarrower : NameRelation.LeadBroader,
                    explain ? $"\"{(lead.HasSite ? account : lead).Core}\" is the site of \"{(lead.HasSite ? lead : account).Core}\"" : string.Empty,
                    Bits: siteBits);
            }
        }

        var accountCount = accountWords.Length;
        var used = accountCount <= 64 ? stackalloc bool[accountCount] : new bool[accountCount];
        // What the unshared words tell of which company (IdentityBits): a descriptor one name adds ("Lakeview Capital
        // Holdings") says how big or organised the company is. Two names that each add their own words conflict in full.
        double matched = 0, unmatched = 0, unmatchedIdentity = 0;
        var siteUnsaid = false;
        bool headMatched = false, sameStore = false, leadNumber = false, accountNumber = false;
        int typos = 0, leadOnly = 0, leadOnlyHead = 0, leadFoundation = 0;
        double leadOwnBits = 0;
        long leadOwn = 0;
        var doubtful = false;
        var anotherCity = false;

        // Words in another order: of the organisation's name only ("Site (Organisation)" and "Organisation - Site" are one order).
        var inOrder = !lead.HasSite && !account.HasSite;
        var lastMatched = -1;
        var cutAfter = int.MaxValue;
        bool? romanised = null;
        var leadAcronym = lead.Expansion == 0 ? -1 : SyllableAcronym.AcronymIndex(lead.Expansion);
        for (var t = 0; t < lead.Tokens.Length; t++)
        {
            var token = lead.Tokens[t];
            var index = IndexOfWord(accountWords, used, leadWords[t].Hash);
            if (index < 0 && t == leadAcronym && HasExpansion(lead, leadWords, accountWords))
            {
                // The lead's initials beside the words they stand for, and the account has those words: one name written twice.
                continue;
            }

            if (index >= 0)
            {
                used[index] = true;
                matched += leadWords[t].Bits;
                doubtful |= inOrder && index < lastMatched && !lead.IsConnectorAt(t);
                lastMatched = index;
                headMatched |= t < lead.HeadCount && index < account.HeadCount;
                sameStore |= t >= lead.HeadCount && index >= account.HeadCount && (leadWords[t].Letters & NameWord.DigitBit) != 0;
                continue;
            }

            // Two words of one name run together in the other ("Higi Clean" and "Higiclean", "Peihe" and "Pei He"): one word.
            if (RunTogether(lead, leadWords, t, accountWords, used) is var joined and >= 0)
            {
                used[joined] = true;
                matched += accountWords[joined].Bits;
                lastMatched = joined;
                t++;
                continue;
            }

            if (RunTogetherIn(account, accountWords, used, token.Length, leadWords[t].Hash) is var pair and >= 0)
            {
                used[pair] = used[pair + 1] = true;
                matched += leadWords[t].Bits;
                lastMatched = pair + 1;
                continue;
            }

            var near = -1;
            var factor = 0.8;
            var typed = lead.WrittenAt(t);

            // An initial for a word ("J. Smith" for "John Smith Plumbing", or the other way round): little information.
            for (var i = 0; i < accountCount && near < 0 && typed.Length > 0 && (typed.Length == 1 || account.HasInitial); i++)
            {
                if (!used[i] && (typed.Length == 1) != (accountWords[i].Length == 1) && accountWords[i].First == typed[0] && char.IsLetter(typed[0]))
                {
                    near = i;
                    factor = 0.3;
                    doubtful = true;
                }
            }

            // A number is no slip of another: store 0430 is not store 0433.
            if (near < 0 && typed.Length >= 3 && (leadWords[t].Letters & NameWord.DigitBit) == 0)
            {
                // Letters first: each edit changes at most two of the letters a word has, and a short form has only
                // letters of its long form. Most pairs are ruled out without comparing characters.
                // Two words of the tables are two words, not a slip ("Services" and "Devices", "Solar" and "Polar"), unless
                // one is the other with an ending ("Bodega", "Bodegas").
                var edits = typed.Length >= 8 ? 2 : 1;
                var letters = leadWords[t].Letters;
                bool? typedKnown = null;
                for (var i = 0; i < accountCount; i++)
                {
                    if (!used[i] && BitCount(letters ^ accountWords[i].Letters) <= 2 * edits && accountWords[i].Length >= 4 && (accountWords[i].Letters & NameWord.DigitBit) == 0 &&
                        Math.Abs(accountWords[i].Length - typed.Length) <= edits && EditDistance.Within(typed, account.WrittenAt(i), edits) &&
                        !((typedKnown ??= TokenStatistics.IsKnownWord(typed)) && TokenStatistics.IsKnownWord(account.WrittenAt(i)) && !OneBegins(typed, account.WrittenAt(i))))
                    {
                        near = i;
                        break;
                    }
                }

                // Short forms nobody listed ("Mfrs" for "Manufacturers"): worth less than a typo. Only of common words:
                // people shorten "Manufacturers", not a coined name ("Torvi" is another company than "Torlexvi").
                for (var i = 0; near < 0 && i < accountCount; i++)
                {
                    if (used[i])
                        continue;
                    // A short form and its long form start alike (told by the first letter, without reading the word).
                    var otherLetters = accountWords[i].Letters;
                    if (accountWords[i].First != typed[0])
                        continue;
                    if (((letters & ~otherLetters) == 0 && IsTradeLike(accountWords[i], account.WrittenAt(i)) && IsShortFormOf(typed, account.WrittenAt(i))) ||
                        ((otherLetters & ~letters) == 0 && IsTradeLike(leadWords[t], typed) && IsShortFormOf(account.WrittenAt(i), typed)))
                    {
                        near = i;
                        factor = 0.7;
                    }
                }

                // One name romanised two ways, where names are romanised: the same consonants, the vowels aside. Only of
                // distinctive words, worth what a near-spelling is, doubt included (a flag unless the phone or street agrees).
                if (near < 0 && leadWords[t].Bits >= TokenStatistics.KeyBits && typed.Length >= 4 && (romanised ??= places.Romanised))
                {
                    for (var i = 0; near < 0 && i < accountCount; i++)
                    {
                        if (!used[i] && accountWords[i].Bits >= TokenStatistics.KeyBits && account.WrittenAt(i) is { Length: >= 4 } other && SoundSkeleton.SoundAlike(typed, other))
                            near = i;
                    }
                }
            }

            // A name cut short by a field's length or a hurried rep ("Riverside Recycli", "Riverbend Aero"): the last word
            // begins the next word of the other's name, two letters short or more (one is a typo's), and the words after
            // it were cut off, not left out. Worth less than a typo, with its doubt (a flag unless the phone or street
            // agrees). Not in another script, whose romanised names often differ only at their ends.
            if (near < 0 && t == lead.Tokens.Length - 1 && t > 0 && lastMatched >= 0 && lastMatched + 1 < accountCount && typed.Length >= 2 && !lead.OtherScript &&
                !used[lastMatched + 1] && accountWords[lastMatched + 1].Length >= typed.Length + 2 && accountWords[lastMatched + 1].First == typed[0] &&
                account.WrittenAt(lastMatched + 1).StartsWith(typed, StringComparison.Ordinal))
            {
                near = lastMatched + 1;
                factor = 0.5;
                doubtful = true;
                cutAfter = near;
            }

            // Initials of a run of the other's words ("HGI Seattle Downtown" for "Hilton Garden Inn Seattle Downtown"):
            // worth what initials are worth, and a near-spelling's doubt. Two initials only at the end, for the two words
            // right after those already matched ("Gulf Horizon FM" for "Gulf Horizon Facilities Management").
            var tail = t == lead.Tokens.Length - 1 && lastMatched >= 0 && lastMatched + 2 < accountCount &&
                !TokenStatistics.IsStopWord(account.Tokens[lastMatched + 1]) && !TokenStatistics.IsStopWord(account.Tokens[lastMatched + 2]) ? lastMatched + 1 : -1;
            if (near < 0 && (InitialsOfRun(typed, account.Tokens, accountWords, used, tail, out var covered) is var run and >= 0 ||
                (run = SyllablesOfRun(typed, leadWords[t].Letters, account, accountWords, used, out covered)) >= 0))
            {
                for (var j = run; j < run + covered; j++)
                    used[j] = true;
                matched += AcronymAgree;
                typos++;
                doubtful = true;
                lastMatched = run;
                continue;
            }

            if (near >= 0)
            {
                used[near] = true;
                typos++;
                var bits = Math.Min(leadWords[t].Bits, accountWords[near].Bits);
                matched += factor * bits;
                doubtful |= bits >= TokenStatistics.KeyBits || (inOrder && near < lastMatched);
                lastMatched = near;
            }
            else if (t >= lead.HeadCount ? places.SaysWhere(token, inLead: true) : places.IsSharedCityAt(lead, t))
            {
                // A place in the site part or at the end of the name: where, not which.
            }
            else
            {
                anotherCity |= t >= lead.HeadCount && places.NamesAnotherCity(token, inLead: true);
                unmatched += leadWords[t].Bits;
                // The lead's site part, where the account names no site ("Scripps Research Institute - Dept of
                // Structural Biology" for "Scripps Research"): which part of the organisation, not which company.
                if (t >= lead.HeadCount && !account.HasSite)
                    siteUnsaid = true;
                else
                    unmatchedIdentity += IdentityBits(lead.IsDescriptorAt(t), leadWords[t].Bits, after: lastMatched >= 0);
                leadNumber |= t < lead.HeadCount && (leadWords[t].Letters & NameWord.DigitBit) != 0;
                if (!lead.IsConnectorAt(t))
                {
                    leadOnly++;
                    leadFoundation += token is "fdn" or "friends" ? 1 : 0;
                    leadOnlyHead += t < lead.HeadCount ? 1 : 0;
                    leadOwnBits += lead.IsDescriptorAt(t) ? 0 : leadWords[t].Bits;
                    leadOwn |= t < 64 ? 1L << t : 0;
                }
            }
        }

        int accountOnly = 0, accountOnlyHead = 0, accountOwnHead = 0;
        double accountOwnBits = 0;
        var sharedBefore = false;
        for (var i = 0; i < used.Length && i <= cutAfter; i++)
        {
            sharedBefore |= i > 0 && used[i - 1];
            if (!used[i] && !(i >= account.HeadCount ? places.SaysWhere(account.Tokens[i], inLead: false) : places.IsSharedCityAt(account, i)) &&
                !account.IsWrittenTwiceAt(i, used))
            {
                anotherCity |= i >= account.HeadCount && places.NamesAnotherCity(account.Tokens[i], inLead: false);
                accountNumber |= i < account.HeadCount && (accountWords[i].Letters & NameWord.DigitBit) != 0;
                unmatched += accountWords[i].Bits;
                unmatchedIdentity += IdentityBits(account.IsDescriptorAt(i), accountWords[i].Bits, sharedBefore);
                if (!account.IsConnectorAt(i))
                {
                    accountOnly++;
                    accountOnlyHead += i < account.HeadCount ? 1 : 0;
                    accountOwnHead += i < account.HeadCount && !account.IsDescriptorAt(i) && !TokenStatistics.IsGeneric(account.Tokens[i]) ? 1 : 0;
                    accountOwnBits += account.IsDescriptorAt(i) ? 0 : accountWords[i].Bits;
                }
            }
        }

        if (matched == 0)
        {
            // Run-together names with a typo ("stonairlines" vs "stone airlines") still count as similar.
            if (lead.Compact.Length >= 8 && EditDistance.Within(lead.Compact, account.Compact, 1))
            {
                var weight = Clamp(Math.Max(Sum(leadWords), Sum(accountWords)) - 2, 2, NameCap - 2);
                return new NameMatch(weight, NameRelation.Same, explain ? $"\"{lead.Core}\" ~ \"{account.Core}\" (1 edit)" : string.Empty, Doubtful: true, Bits: weight);
            }

            // One side's words run together as the other's first words: "BetaMotors" or "betamotors.com" against
            // "Beta Motors Group". The words it covers are shared, the rest not.
            if (RunTogetherPrefix(lead, leadWords, account, accountWords) is var leadCovers and > 0)
                return PrefixMatch(accountWords, leadCovers, NameRelation.LeadBroader, lead, account, explain);
            if (RunTogetherPrefix(account, accountWords, lead, leadWords) is var accountCovers and > 0)
                return PrefixMatch(leadWords, accountCovers, NameRelation.LeadNarrower, lead, account, explain);

            // "Kanzlei", "Dental Clinic": the lead names a trade, not a firm, and says nothing against any.
            if (OnlyTradeWords(lead))
                return new NameMatch(0, NameRelation.None, explain ? $"\"{lead.Core}\" names a trade, not a firm" : string.Empty);
            return new NameMatch(NameDisagree, NameRelation.Different, explain ? $"\"{lead.Core}\" <> \"{account.Core}\"" : string.Empty);
        }

        var relation = (leadOnly, accountOnly) switch
        {
            (0, 0) => NameRelation.Same,
            (0, _) => NameRelation.LeadBroader,
            (_, 0) => NameRelation.LeadNarrower,
            _ => NameRelation.Conflict,
        };
        // One organisation, and only the site part differs ("Henry Booth House" or "Henry Booth House - Englewood" against
        // "Henry Booth House - Taylor Day School"): the organisation agrees; which site is for the other fields to say.
        var sitesOnly = relation != NameRelation.Same && leadOnlyHead == 0 && accountOnlyHead == 0 && (lead.HasSite || account.HasSite);
        // The organisation and its store's number, every word of the lead's found ("FreshWay #488" for "FreshWay Express
        // #0488 (NorthPark Center)"): that store; what else the account's name says is unsaid, as a site's is.
        sameStore &= headMatched && leadOnly == 0;
        var result = relation == NameRelation.Same
            ? Clamp(matched, 3, NameCap) - typos - (Reordered(leadWords, lead.HeadCount, accountWords, account.HeadCount) ? Reorder : 0)
            : sitesOnly || sameStore
                ? Math.Min(matched, NameCap - 1) - (relation == NameRelation.Conflict || anotherCity ? OtherSite : SiteUnsaid) - typos
                : Math.Min(matched, NameCap - 1) - (0.65 * Math.Min(relation == NameRelation.Conflict ? unmatched : unmatchedIdentity, 20)) - 1 - (siteUnsaid ? SiteUnsaid : 0);
        result = Math.Max(result, NameDisagree);
        // Each name says something of its own ("RIKEN Center for Integrative Medical Sciences", "RIKEN Center for Sustainable
        // Resource Science"): two units, or two companies, that share words; not where one's word is like the other's
        // ("DarbyLimited" and "Darby"), a slip.
        var eachItsOwn = leadOwnBits >= TokenStatistics.KeyBits && accountOwnBits >= TokenStatistics.KeyBits && !OwnWordsAlike(lead, leadWords, leadOwn, account, accountWords, used);
        if (!explain)
            return new NameMatch(result, relation, string.Empty, doubtful, matched - unmatched, eachItsOwn, sameStore, SisterBody());
        var words = relation switch
        {
            NameRelation.Same => typos > 0 ? $"~ ({typos} typo{(typos > 1 ? "s" : string.Empty)} or short form{(typos > 1 ? "s" : string.Empty)})" : "=",
            NameRelation.LeadBroader => "is part of",
            NameRelation.LeadNarrower => "names more than",
            _ => "shares words with",
        };
        return new NameMatch(result, relation, $"\"{lead.Core}\" {words} \"{account.Core}\" (shared {matched.ToString("0.0", CultureInfo.InvariantCulture)} bits, unshared {unmatched.ToString("0.0", CultureInfo.InvariantCulture)} bits)", doubtful, matched - unmatched, eachItsOwn, sameStore, SisterBody());

        // Each name numbers its own company; or the lead numbers the account's whole name, which has no number, trade words
        // aside ("Zuidas Vastgoed II" beside "Zuidas Vastgoed", "Prairie Sky Wind III" beside "Prairie Sky Wind Energy": the
        // group's third vehicle), or names its foundation, a charity of its own at the same address and switchboard.
        bool SisterBody() => (leadNumber && (accountNumber || (accountOwnHead == 0 && !HasNumber(account, accountWords)))) ||
            (relation == NameRelation.LeadNarrower && leadOnly == leadFoundation);
    }

    /// <summary>Tells whether a name's organisation part has a number.</summary>
    private static bool HasNumber(CompanyName name, NameWord[] words)
    {
        for (var i = 0; i < name.HeadCount && i < words.Length; i++)
        {
            if ((words[i].Letters & NameWord.DigitBit) != 0)
                return true;
        }

        return false;
    }

    /// <summary>
    /// Tells whether a word only the lead has and a word only the account has are alike: the same first three letters,
    /// one inside the other, or one edit apart ("GGas" and "Gas").
    /// </summary>
    private static bool OwnWordsAlike(CompanyName lead, NameWord[] leadWords, long leadOwn, CompanyName account, NameWord[] accountWords, Span<bool> used)
    {
        for (var t = 0; t < lead.Tokens.Length && t < 64; t++)
        {
            if ((leadOwn & (1L << t)) == 0 || lead.WrittenAt(t) is not { Length: >= 3 } mine)
                continue;
            var letters = leadWords[t].Letters;
            for (var i = 0; i < used.Length; i++)
            {
                // Letters, first letter and length first (at hand in the words): a word inside another has only letters of
                // it, one edit changes at most two of a word's letters and its length by one, and the same first three
                // letters start alike. Most pairs are ruled out without reading the account's word.
                var other = accountWords[i];
                if (used[i] || other.Length < 3 ||
                    !(other.First == mine[0] || (other.Letters & ~letters) == 0 || (letters & ~other.Letters) == 0 ||
                      (Math.Abs(other.Length - mine.Length) <= 1 && BitCount(letters ^ other.Letters) <= 2) || other.Length == ushort.MaxValue))
                    continue;
                var theirs = account.WrittenAt(i);
                if (string.CompareOrdinal(mine, 0, theirs, 0, 3) == 0 || mine.IndexOf(theirs, StringComparison.Ordinal) >= 0 ||
                    theirs.IndexOf(mine, StringComparison.Ordinal) >= 0 || EditDistance.Within(mine, theirs, 1))
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// How many of <paramref name="other"/>'s first words (two or more, not all) <paramref name="single"/>'s only word
    /// spells run together, as written; 0 when it does not.
    /// </summary>
    private static int RunTogetherPrefix(CompanyName single, NameWord[] singleWords, CompanyName other, NameWord[] otherWords)
    {
        // Letters first (the words' letter sets are at hand): the run-together word has every letter of the first two.
        if (singleWords.Length != 1 || otherWords.Length < 3 || ((otherWords[0].Letters | otherWords[1].Letters) & ~singleWords[0].Letters) != 0)
            return 0;
        var word = single.WrittenAt(0);
        var at = 0;
        for (var i = 0; i < other.Tokens.Length - 1; i++)
        {
            var part = other.WrittenAt(i);
            if (string.CompareOrdinal(word, at, part, 0, part.Length) != 0 || at + part.Length > word.Length)
                return 0;
            at += part.Length;
            if (at == word.Length)
                return i >= 1 ? i + 1 : 0;
        }

        return 0;
    }

    /// <summary>The name weight of a run-together prefix: its words shared, the longer name's other words not.</summary>
    private static NameMatch PrefixMatch(NameWord[] otherWords, int covered, NameRelation relation, CompanyName lead, CompanyName account, bool explain)
    {
        double shared = 0, unshared = 0;
        for (var i = 0; i < otherWords.Length; i++)
        {
            if (i < covered)
                shared += otherWords[i].Bits;
            else
                unshared += otherWords[i].Bits;
        }

        var weight = Math.Max(Math.Min(shared, NameCap - 1) - (0.65 * Math.Min(unshared, 20)) - 1, NameDisagree);
        return new NameMatch(weight, relation, explain ? $"\"{lead.Core}\" {(relation == NameRelation.LeadBroader ? "is part of" : "names more than")} \"{account.Core}\" (run together; shared {shared.ToString("0.0", CultureInfo.InvariantCulture)} bits, unshared {unshared.ToString("0.0", CultureInfo.InvariantCulture)} bits)" : string.Empty, Bits: shared - unshared);
    }

    /// <summary>
    /// Tells whether <paramref name="shorter"/> is a short form of <paramref name="longer"/>: its start ("Comm" for
    /// "Community"), or its first and last letters with some between, in order ("Mfrs", "Hldgs").
    /// </summary>
    private static bool IsShortFormOf(string shorter, string longer)
    {
        if (shorter.Length < 3 || longer.Length < shorter.Length + 3 || shorter[0] != longer[0])
            return false;
        if (shorter.Length >= 4 && string.CompareOrdinal(shorter, 0, longer, 0, shorter.Length) == 0)
            return !TokenStatistics.IsKnownWord(shorter) || IsEndingOf(longer, shorter.Length);
        if (shorter[shorter.Length - 1] != longer[longer.Length - 1])
            return false;
        var at = 1;
        for (var i = 1; i < shorter.Length; i++)
        {
            at = longer.IndexOf(shorter[i], at);
            if (at < 0)
                return false;
            at++;
        }

        // A word of its own is no short form of another ("Sons" of "Semiconductors", "Gas" of "Glass").
        return !TokenStatistics.IsKnownWord(shorter);
    }

    /// <summary>
    /// Tells whether a word is its first <paramref name="stem"/> letters and an ending that makes a word of a trade of
    /// it ("Print" and "Printing", "Consult" and "Consultants", "Manage" and "Management"): a word of the tables read short.
    /// </summary>
    private static bool IsEndingOf(string word, int stem)
    {
        foreach (var ending in TradeEndings)
        {
            if (word.Length == stem + ending.Length && string.CompareOrdinal(word, stem, ending, 0, ending.Length) == 0)
                return true;
        }

        return false;
    }

    /// <summary>A common word, or a trade word however rare in this org: words people shorten.</summary>
    /// <summary>
    /// What an unshared word tells of which company: a descriptor after shared words ("River Instruments Worldwide") no
    /// more than a generic word anywhere; before them ("Global Nova Airlines") it begins another name, in full.
    /// </summary>
    private static double IdentityBits(bool descriptor, double bits, bool after) =>
        after && descriptor ? Math.Min(bits, TokenStatistics.GenericBits) : bits;

    private static bool IsTradeLike(NameWord word, string written) => word.Bits < TokenStatistics.KeyBits || TokenStatistics.IsGeneric(written);

    private static readonly string[] TradeEndings = ["ing", "ings", "ers", "ion", "ions", "ation", "ations", "ment", "ments", "ants", "ical"];

    private static bool OneBegins(string a, string b) =>
        a.Length <= b.Length ? b.StartsWith(a, StringComparison.Ordinal) : a.StartsWith(b, StringComparison.Ordinal);

    /// <summary>
    /// The information of <paramref name="single"/>'s words when they are all of <paramref name="sited"/>'s site part
    /// and name all of it (its organisation part aside); 0 otherwise.
    /// </summary>
    private static double SiteNamedAlone(CompanyName single, NameWord[] singleWords, CompanyName sited, NameWord[] sitedWords)
    {
        var siteCount = sitedWords.Length - sited.HeadCount;
        if (single.HasSite || !sited.HasSite || siteCount > 32 || sited.HeadCount > 32)
            return 0;
        uint used = 0u, usedHead = 0u;
        double bits = 0;
        for (var t = 0; t < singleWords.Length; t++)
        {
            if (single.IsConnectorAt(t))
                continue;
            var found = -1;
            for (var i = 0; i < siteCount && found < 0; i++)
            {
                if ((used & (1u << i)) == 0 && sitedWords[sited.HeadCount + i].Hash == singleWords[t].Hash)
                    found = i;
            }

            if (found >= 0)
            {
                used |= 1u << found;
                bits += singleWords[t].Bits;
                continue;
            }

            // A word of the organisation's beside the site's ("Decatur Family Clinic" for "Northside Family Health -
            // Decatur Clinic"): the site, named with part of its organisation's name.
            for (var i = 0; i < sited.HeadCount && found < 0; i++)
            {
                if ((usedHead & (1u << i)) == 0 && !sited.IsConnectorAt(i) && sitedWords[i].Hash == singleWords[t].Hash)
                    found = i;
            }

            if (found < 0)
                return 0;
            usedHead |= 1u << found;
            bits += singleWords[t].Bits;
        }

        for (var i = 0; i < siteCount; i++)
        {
            if ((used & (1u << i)) == 0 && !sited.IsConnectorAt(sited.HeadCount + i) && !WrittenTwiceInSite(sited, used, i))
                return 0;
        }

        // The whole organisation's name and the site's, without a separator, is no site named alone.
        for (var i = 0; i < sited.HeadCount; i++)
        {
            if ((usedHead & (1u << i)) == 0 && !sited.IsConnectorAt(i))
                return bits;
        }

        return usedHead == 0 ? bits : 0;
    }

    /// <summary>
    /// Tells whether site word <paramref name="i"/> is the site's initials beside the words they stand for, and those were
    /// found ("ENIT (École Nationale d'Ingénieurs de Tunis)" named by its words alone): one name written twice.
    /// </summary>
    private static bool WrittenTwiceInSite(CompanyName sited, uint used, int i)
    {
        if (sited.Expansion == 0)
            return false;
        Span<bool> all = stackalloc bool[sited.HeadCount + 32];
        for (var k = 0; k < 32; k++)
            all[sited.HeadCount + k] = (used & (1u << k)) != 0;
        return sited.IsWrittenTwiceAt(sited.HeadCount + i, all);
    }

    /// <summary>
    /// The unused word of the other name that is word <paramref name="t"/> of <paramref name="name"/> and the next run
    /// together, or -1: neither a connector, five letters or more in all.
    /// </summary>
    private static int RunTogether(CompanyName name, NameWord[] words, int t, NameWord[] other, Span<bool> used)
    {
        if (t + 1 >= words.Length || name.Tokens[t].Length + name.Tokens[t + 1].Length < MinJoinedLength || name.IsConnectorAt(t) ||
            name.IsConnectorAt(t + 1))
            return -1;
        return IndexOfWord(other, used, TextHash.Append64(words[t].Hash, name.Tokens[t + 1]));
    }

    /// <summary>
    /// The first of two unused adjacent words of <paramref name="name"/> that, run together, are a word of
    /// <paramref name="length"/> letters and hash <paramref name="hash"/>, or -1. The lengths rule out almost every pair
    /// before a hash is computed; where the words are as written, their lengths are read without reading the words.
    /// </summary>
    private static int RunTogetherIn(CompanyName name, NameWord[] words, Span<bool> used, int length, long hash)
    {
        if (length < MinJoinedLength)
            return -1;
        var asWritten = name.Written is null;
        for (var i = 0; i + 1 < words.Length; i++)
        {
            if (!used[i] && !used[i + 1] &&
                (asWritten ? words[i].Length + words[i + 1].Length : name.Tokens[i].Length + name.Tokens[i + 1].Length) == length && !name.IsConnectorAt(i) &&
                !name.IsConnectorAt(i + 1) && TextHash.Append64(words[i].Hash, name.Tokens[i + 1]) == hash)
                return i;
        }

        return -1;
    }

    /// <summary>Tells whether every word that <paramref name="name"/>'s initials stand for, connectors aside, is among <paramref name="other"/>'s words.</summary>
    private static bool HasExpansion(CompanyName name, NameWord[] words, NameWord[] other)
    {
        for (var i = 0; i < words.Length && i < SyllableAcronym.IndexShift; i++)
        {
            if ((name.Expansion & (1 << i)) == 0 || name.IsConnectorAt(i))
                continue;
            var found = false;
            for (var j = 0; j < other.Length && !found; j++)
                found = other[j].Hash == words[i].Hash;
            if (!found)
                return false;
        }

        return true;
    }

    /// <summary>The first unused word with this hash; -1 when none.</summary>
    private static int IndexOfWord(NameWord[] words, Span<bool> used, long hash)
    {
        for (var i = 0; i < words.Length; i++)
        {
            if (!used[i] && words[i].Hash == hash)
                return i;
        }

        return -1;
    }

    /// <summary>Bits off when the same words come in another order: "Wright &amp; Wilson" is seldom "Wilson &amp; Wright".</summary>
    private const double Reorder = 3;

    /// <summary>
    /// Where a run of the other name's unused words starts whose initials spell <paramref name="typed"/> (3 to 6 letters,
    /// not all its words; a small word inside the run may have no letter of its own, as in "SMS" for "Secretaria
    /// Municipal de Saúde"), or, for two letters, the two words at <paramref name="tailAt"/>; -1 for none.
    /// </summary>
    /// <param name="covered">The number of words the run covers.</param>
    private static int InitialsOfRun(string typed, string[] otherTokens, NameWord[] other, Span<bool> used, int tailAt, out int covered)
    {
        covered = typed.Length;
        if (typed.Length == 2 && tailAt >= 0)
            return tailAt + 2 <= other.Length && !used[tailAt] && !used[tailAt + 1] && other[tailAt].First == typed[0] && other[tailAt + 1].First == typed[1] ? tailAt : -1;
        if (typed.Length is < 3 or > 6 || other.Length <= typed.Length)
            return -1;
        foreach (var ch in typed)
        {
            if (ch is < 'a' or > 'z')
                return -1;
        }

        for (var i = 0; i + typed.Length <= other.Length; i++)
        {
            int k = 0, j = i;
            while (k < typed.Length && j < other.Length && !used[j])
            {
                if (other[j].First == typed[k])
                    k++;
                else if (k == 0 || !TokenStatistics.IsStopWord(otherTokens[j]))
                    break;
                j++;
            }

            if (k == typed.Length && j - i < other.Length)
            {
                covered = j - i;
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Where a run of the other name's unused words starts whose first syllables spell <paramref name="typed"/>
    /// ("Univipe" for "Universidade Vale do Ipê"), or -1.
    /// </summary>
    /// <param name="covered">The number of words the run covers.</param>
    /// <param name="letters">The word's letters, as <see cref="NameWord.Letters"/> gives them.</param>
    private static int SyllablesOfRun(string typed, int letters, CompanyName other, NameWord[] words, Span<bool> used, out int covered)
    {
        covered = 0;
        if (typed.Length < SyllableAcronym.MinLength || words.Length < 2)
            return -1;
        var written = other.Written ?? other.Tokens;
        for (var from = 0; from + 1 < words.Length; from++)
        {
            // Its first part is two letters of the run's first word or more, and every letter is one of the run's words':
            // most words are ruled out by these, without spelling.
            if (used[from] || words[from].First != typed[0] || written[from].Length < 2 || written[from][1] != typed[1])
                continue;
            var to = from;
            var runLetters = 0;
            while (to < words.Length && !used[to])
                runLetters |= words[to++].Letters;
            if ((letters & ~runLetters) != 0)
                continue;
            for (; to >= from + 2; to--)
            {
                if (SyllableAcronym.Spells(typed, written, other.Tokens, from, to))
                {
                    covered = to - from;
                    return from;
                }
            }
        }

        return -1;
    }

    /// <summary>Tells whether two organisation parts have the same words in another order.</summary>
    private static bool Reordered(NameWord[] lead, int leadHead, NameWord[] account, int accountHead)
    {
        if (leadHead != accountHead || leadHead < 2)
            return false;
        var same = true;
        for (var i = 0; i < leadHead && same; i++)
            same = lead[i].Hash == account[i].Hash;
        if (same)
            return false;
        for (var i = 0; i < leadHead; i++)
        {
            var found = false;
            for (var j = 0; j < accountHead && !found; j++)
                found = lead[i].Hash == account[j].Hash;
            if (!found)
                return false;
        }

        return true;
    }

    /// <summary>Bits off when one name names a site the other does not: the organisation agrees, the site is unsaid.</summary>
    private const double SiteUnsaid = 2;

    /// <summary>Bits off when both name different sites of one organisation.</summary>
    private const double OtherSite = 4;

    private static int BitCount(int value)
    {
#if NET8_0_OR_GREATER
        return System.Numerics.BitOperations.PopCount((uint)value);
#else
        var count = 0;
        for (var v = (uint)value; v != 0; v &= v - 1)
            count++;
        return count;
#endif
    }

    private static double Sum(NameWord[] words)
    {
        double sum = 0;
        foreach (var word in words)
            sum += word.Bits;
        return sum;
    }

    private static double Clamp(double value, double min, double max) => Math.Max(min, Math.Min(max, value));
}
