using CrmGuardrails.Matching.Index;
using CrmGuardrails.Matching.Normalization;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Matching;

/// <summary>Where a directory that keeps records normalised (the embedded one) lends its features, so they are not computed twice.</summary>
internal interface IMatchFeatureSource
{
    /// <summary>Gets the engine the features were computed with.</summary>
    MatchEngine Engine { get; }

    /// <summary>Gets the features of this very account record, or null.</summary>
    AccountFeatures? Find(Account account);

    /// <summary>Gets the features of this very lead record (an open lead the directory holds), or null.</summary>
    LeadFeatures? Find(Lead lead);
}

/// <summary>The shipped matcher: normalisers, exact-key blocking and Fellegi-Sunter scoring with explanations.</summary>
internal sealed class FellegiSunterMatcher(MatchEngine engine) : IRecordMatcher
{
    public MatchEngine Engine { get; } = engine;

    public MatchKeys GetKeys(Lead lead) => GetKeys(lead, null);

    /// <summary><see cref="GetKeys(Lead)"/>, with the lead's features from a directory that already holds them.</summary>
    internal MatchKeys GetKeys(Lead lead, IMatchFeatureSource? source)
    {
        if (lead is null)
            return MatchKeys.Empty;
        var features = (source is not null && ReferenceEquals(source.Engine, Engine) ? source.Find(lead) : null) ?? Engine.Features(lead);
        return CompanyKeys(features.Name, features.Address, lead.Company, features.Domains, MatchEngine.PhoneKeys(features.Phone), features.Email, SoundKeys.LookedUp, features.NationalPhone);
    }

    public MatchKeys GetKeys(Account account)
    {
        if (account is null)
            return MatchKeys.Empty;
        var features = Engine.Features(account);
        return CompanyKeys(features.Name, features.Address, account.Name, features.Domains, MatchEngine.PhoneKeys(features.Phone), features.Email, SoundKeys.Indexed);
    }

    public MatchKeys GetKeys(Contact contact)
    {
        if (contact is null)
            return MatchKeys.Empty;
        var features = Engine.Features(contact, null);
        return new MatchKeys
        {
            Domains = features.Domain.Length > 0 ? [features.Domain] : [],
            Phones = MatchEngine.PhoneKeys(features.Phone),
            Emails = features.Email.Length > 0 ? [features.Email] : [],
        };
    }

    /// <remarks>
    /// A lead's phone typed nationally with no country goes with the name keys: it is looked up among the accounts' (and
    /// open leads') national numbers, as <c>crmguard match</c> does, never as a phone to search by text.
    /// </remarks>
    private MatchKeys CompanyKeys(CompanyName name, Address address, string? rawName, IReadOnlyList<string> domains, IReadOnlyList<string> phones, string email, SoundKeys sound, string nationalPhone = "")
    {
        var hashed = new HashKeyWriter();
        WriteKeys(hashed);
        return new MatchKeys
        {
            NormalizedName = name.Core,
            NameKeys = new NameKeyList(hashed.Keys, () =>
            {
                var text = new StringKeyWriter();
                WriteKeys(text);
                return text.Keys;
            }),
            NameTerms = rawName is null ? [] : new LazyList<string>(() => NameTerms(rawName)),
            Domains = domains,
            Phones = phones,
            Emails = email.Length > 0 ? [email] : [],
        };

        void WriteKeys(KeyWriter writer)
        {
            Engine.WriteNameKeys(name, writer, sound);
            if (sound == SoundKeys.Indexed)
                MatchEngine.WriteWebAddressNameKeys(domains, writer);
            MatchEngine.WriteAddressKeys(address, writer);
            MatchEngine.WriteNationalKeys(nationalPhone, writer);
        }
    }

    /// <summary>The organisation's name as typed (folded), then its distinctive words, rarest first: for hosts that search by text.</summary>
    private List<string> NameTerms(string? rawName)
    {
        var terms = new List<string>(5);
        var head = CompanyNameNormalizer.PlainHead(rawName);
        if (head.Length == 0)
            return terms;
        terms.Add(head);
        var words = MatchText.Tokens(head)
            .Where(w => w.Length >= 3 && !TokenStatistics.IsStopWord(w))
            .Select(w => (Word: w, Bits: Engine.Statistics.Bits(CompanyNameNormalizer.Canonical(w))))
            .Where(w => w.Bits >= TokenStatistics.KeyBits)
            .OrderByDescending(w => w.Bits)
            .Select(w => w.Word);
        foreach (var word in words)
        {
            if (terms.Count > 4)
                break;
            if (!terms.Contains(word))
                terms.Add(word);
        }

        return terms;
    }

    public AccountMatch? MatchAccount(Lead lead, IReadOnlyList<Account> candidates, IReadOnlyList<Contact> contacts) =>
        MatchAccount(lead, candidates, contacts, null);

    /// <summary><see cref="MatchAccount(Lead, IReadOnlyList{Account}, IReadOnlyList{Contact})"/>, with features a directory already holds.</summary>
    internal AccountMatch? MatchAccount(Lead lead, IReadOnlyList<Account> candidates, IReadOnlyList<Contact> contacts, IMatchFeatureSource? source)
    {
        if (lead is null || candidates is null || candidates.Count == 0)
            return null;
        if (source is not null && !ReferenceEquals(source.Engine, Engine))
            source = null;
        try
        {
            // The embedded directory's candidates come with their features, each account once; any other list is read and deduplicated here.
            IReadOnlyList<AccountFeatures> accounts;
            Dictionary<string, int>? slots = null;
            if (candidates is FeaturedRecords<Account, AccountFeatures> lent && ReferenceEquals(lent.Engine, Engine))
            {
                accounts = lent.AllFeatures;
            }
            else
            {
                var read = new List<AccountFeatures>(candidates.Count);
                slots = new Dictionary<string, int>(candidates.Count, StringComparer.Ordinal);
                foreach (var candidate in candidates)
                {
                    if (candidate is null || slots.ContainsKey(candidate.Id))
                        continue;
                    slots.Add(candidate.Id, read.Count);
                    read.Add(source?.Find(candidate) ?? Engine.Features(candidate));
                }

                accounts = read;
            }

            var byAccount = new List<ContactFeatures>?[accounts.Count];
            if (contacts is { Count: > 0 })
            {
                if (slots is null)
                {
                    slots = new Dictionary<string, int>(accounts.Count, StringComparer.Ordinal);
                    for (var i = 0; i < accounts.Count; i++)
                        slots[accounts[i].Account.Id] = i;
                }

                foreach (var contact in contacts)
                {
                    if (contact?.AccountId is not { Length: > 0 } accountId || !slots.TryGetValue(accountId, out var slot))
                        continue;
                    (byAccount[slot] ??= []).Add(Engine.Features(contact, accounts[slot].Account.Country));
                }
            }

            return Explain(Engine, source?.Find(lead) ?? Engine.Features(lead), accounts, byAccount);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No exception escapes the matcher: hostile text matches less, never breaks a save.
            return null;
        }
    }

    /// <summary>Resolves a lead among candidates and explains the result (shared by the guards and the bulk run).</summary>
    internal static AccountMatch? Explain(MatchEngine engine, LeadFeatures lead, IReadOnlyList<AccountFeatures> accounts, IReadOnlyList<IReadOnlyList<ContactFeatures>?> contacts)
    {
        var resolution = engine.Resolve(lead, accounts, contacts);
        if (resolution.Best < 0)
            return null;
        var best = accounts[resolution.Best];
        var explained = engine.Score(lead, best, contacts[resolution.Best] ?? [], resolution.Share ?? ShareCounts.Of(lead, accounts, contacts), explain: true);
        var evidence = explained.Evidence!;
        AccountOrganisation? organisation = null;
        if (resolution.Family is { } family)
        {
            organisation = Organisation(accounts, resolution.Best, family);
            evidence.Add(new MatchEvidence(
                "site",
                family.Length == 0
                    ? $"the lead names a site of {organisation.Name} that its accounts do not confirm"
                    : $"{family.Length + 1} accounts of {organisation.Name} match; nothing tells which site the lead is, or it is a new one",
                0));
        }

        if (!explained.Corroborated && resolution.Score >= MatchEngine.UncorroboratedCap)
            evidence.Add(new MatchEvidence("cap", "neither the name as spelled nor a domain or email agrees strongly: capped below a block", 0));
        return new AccountMatch(best.Account, Math.Round(resolution.Score, 4), evidence) { Organisation = organisation };
    }

    /// <summary>Names the organisation: the parent account, else the part of the names before the site, else their common first words.</summary>
    private static AccountOrganisation Organisation(IReadOnlyList<AccountFeatures> accounts, int best, int[] family)
    {
        var account = accounts[best].Account;
        var ids = new List<string>(family.Length + 1) { account.Id };
        Account? parent = null;
        foreach (var member in family)
        {
            var other = accounts[member].Account;
            ids.Add(other.Id);
            if (other.Id == account.ParentId)
                parent = other;
            else if (other.ParentId == account.Id)
                parent = account;
        }

        var name = parent?.DisplayName ?? CompanyNameNormalizer.OrganisationPart(account.Name);
        if (parent is null && name == account.Name.Trim() && family.Length > 0)
            name = CommonWords(account.Name, accounts[family[0]].Account.Name) ?? account.DisplayName;
        return new AccountOrganisation(name, parent?.Id ?? account.ParentId, ids);
    }

    /// <summary>The words two names start with alike ("Sylex" of "Sylex West Warehouse" and "Sylex Airport Branch"), or null.</summary>
    private static string? CommonWords(string a, string b)
    {
        var x = a.Split([' '], StringSplitOptions.RemoveEmptyEntries);
        var y = b.Split([' '], StringSplitOptions.RemoveEmptyEntries);
        var n = 0;
        while (n < x.Length && n < y.Length && MatchText.Fold(x[n]) == MatchText.Fold(y[n]))
            n++;
        return n == 0 ? null : string.Join(" ", x.Take(n));
    }

    public LeadComparison CompareLeads(Lead lead, Lead other) => ForLead(lead, null).Compare(other);

    /// <summary>Tells whether two short lists (a lead's one or two domains) share a value; no set is built for so few.</summary>
    private static bool ShareAny(string[] a, string[] b)
    {
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                if (string.Equals(x, y, StringComparison.Ordinal))
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Tells whether two leads name one person: the same family and given names (nicknames, umlauts spelled out, a second
    /// surname dropped), or the two typed the other way round ("Wei Zhang" and "Zhang Wei").
    /// </summary>
    private static bool SamePersonName(LeadFeatures a, LeadFeatures b) =>
        a.LastName.Length > 0 &&
        ((PersonNameNormalizer.SameFamilyName(a.LastName, b.LastName) && PersonNameNormalizer.SameGivenName(a.FirstName, b.FirstName)) ||
         (a.FirstName.Length > 0 && a.LastName == b.FirstName && a.FirstName == b.LastName));

    /// <summary>
    /// Tells whether two leads at one email are two people: given names that differ from the first letter on (not a
    /// nickname, an initial or a typo), at an address that names neither ("bakerfamily@", "info@"), as a family's or
    /// a team's mailbox does. An address that names one of them ("omar@", "tbaker@") is that person's.
    /// </summary>
    private static bool TwoPeopleAt(LeadFeatures a, LeadFeatures b)
    {
        string first = a.FirstName, other = b.FirstName;
        if (first.Length < 2 || other.Length < 2 || first[0] == other[0] || PersonNameNormalizer.SameGivenName(first, other))
            return false;
        var at = a.Email.IndexOf('@');
        var mailbox = at > 0 ? a.Email.Substring(0, at) : a.Email;
        return !Names(mailbox, first, a.LastName) && !Names(mailbox, other, b.LastName);

        static bool Names(string mailbox, string given, string family) =>
            mailbox.IndexOf(given, StringComparison.Ordinal) >= 0 ||
            (family.Length > 0 && mailbox.StartsWith(given.Substring(0, 1) + family, StringComparison.Ordinal));
    }

    /// <summary>Compares one lead with many: its features are computed once, the others' lent by <paramref name="source"/> when it holds them.</summary>
    internal LeadComparer ForLead(Lead lead, IMatchFeatureSource? source) =>
        new(this, lead, source is not null && ReferenceEquals(source.Engine, Engine) ? source : null);

    /// <summary>One lead compared with others (the duplicate-lead rule's loop); the same answers as <see cref="CompareLeads(Lead, Lead)"/>.</summary>
    internal sealed class LeadComparer(FellegiSunterMatcher matcher, Lead lead, IMatchFeatureSource? source)
    {
        private LeadFeatures? _features;

        /// <summary>Gets the engine the comparisons are made with.</summary>
        public MatchEngine Engine => matcher.Engine;

        public LeadComparison Compare(Lead other) => Compare(other, null);

        /// <summary>Compares with <paramref name="other"/>, whose features are given when the caller holds them.</summary>
        /// <param name="other">The other lead.</param>
        /// <param name="otherFeatures">Its features, or null.</param>
        /// <param name="personOnly">
        /// True when only "the same person" matters (the caller already has a lead of the same company): the names are
        /// compared only for leads with the same email or last name, and <see cref="LeadComparison.SameCompany"/> is
        /// then false for the others whatever their company.
        /// </param>
        public LeadComparison Compare(Lead other, LeadFeatures? otherFeatures, bool personOnly = false)
        {
            if (lead is null || other is null)
                return default;
            try
            {
                var engine = matcher.Engine;
                var a = _features ??= source?.Find(lead) ?? engine.Features(lead);
                var b = otherFeatures ?? source?.Find(other) ?? engine.Features(other);
                var sameEmail = a.Email.Length > 0 && a.Email == b.Email;
                var sameName = SamePersonName(a, b);
                if (personOnly && !sameEmail && !sameName)
                    return default;
                var name = engine.CompareNames(a.Name, b.Name, explain: false);
                var sameDomain = ShareAny(a.Domains, b.Domains);

                // A near-spelling or another order of the name ("Southgate" for "Northgate") is the same company only when
                // their domains do not say otherwise, and never makes two people of one name one person; nor do two
                // sites of one organisation ("North Campus", "South Campus") or two like names at their own domains.
                var sameSpelling = !a.Name.IsEmpty && a.Name.Compact == b.Name.Compact;
                var spelledAlike = sameSpelling || (name.Weight >= 6 && !name.Doubtful);
                var otherDomains = a.Domains.Length > 0 && b.Domains.Length > 0 && !sameDomain;
                var sameCompany = spelledAlike || sameDomain || (name.Weight >= 6 && !otherDomains);
                var oneCompany = sameSpelling || (spelledAlike && !otherDomains && name.Relation != NameRelation.Conflict);

                // One name at one phone number is one person, whatever company was typed; a number typed with no country
                // is compared as digits with the other's, or with the other's number without its country code.
                var samePhone = (a.PhoneKey != 0 && a.PhoneKey == b.PhoneKey) ||
                    (a.NationalKey != 0 && (a.NationalKey == b.NationalKey || MatchEngine.IsNationalOf(a, b.PhoneKey))) ||
                    (b.NationalKey != 0 && MatchEngine.IsNationalOf(b, a.PhoneKey));
                var samePerson = (oneCompany || sameDomain || sameEmail || samePhone) && sameName;
                return new LeadComparison(sameEmail, samePerson, sameCompany) { TwoPeople = sameEmail && !sameName && TwoPeopleAt(a, b) };
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return default;
            }
        }
    }
}
