using CrmGuardrails.Matching.Normalization;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Matching;

/// <summary>The shipped matcher: normalisers, exact-key blocking and Fellegi-Sunter scoring with explanations.</summary>
internal sealed class FellegiSunterMatcher(MatchEngine engine) : IRecordMatcher
{
    public MatchEngine Engine { get; } = engine;

    public MatchKeys GetKeys(Lead lead) =>
        lead is null ? MatchKeys.Empty : Safely(() =>
        {
            var features = Engine.Features(lead);
            return CompanyKeys(features.Name, features.Domains, MatchEngine.PhoneKeys(features.Phone), features.Email);
        });

    public MatchKeys GetKeys(Account account) =>
        account is null ? MatchKeys.Empty : Safely(() =>
        {
            var features = Engine.Features(account);
            return CompanyKeys(features.Name, features.Domains, features.Phones.SelectMany(MatchEngine.PhoneKeys).ToList(), features.Email);
        });

    public MatchKeys GetKeys(Contact contact) =>
        contact is null ? MatchKeys.Empty : Safely(() =>
        {
            var features = Engine.Features(contact);
            return new MatchKeys
            {
                Domains = features.Domain.Length > 0 ? [features.Domain] : [],
                Phones = MatchEngine.PhoneKeys(features.Phone),
                Emails = features.Email.Length > 0 ? [features.Email] : [],
            };
        });

    /// <summary>Keys never throw: a value the normalisers cannot read simply yields no key.</summary>
    private static MatchKeys Safely(Func<MatchKeys> keys)
    {
        try
        {
            return keys();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return MatchKeys.Empty;
        }
    }

    private MatchKeys CompanyKeys(CompanyName name, IReadOnlyList<string> domains, IReadOnlyList<string> phones, string email)
    {
        var nameKeys = Engine.NameKeys(name);
        return new MatchKeys
        {
            NormalizedName = name.Core,
            NameKeys = nameKeys,
            NameTerms = MatchEngine.NameTerms(name, nameKeys),
            Domains = domains,
            Phones = phones,
            Emails = email.Length > 0 ? [email] : [],
        };
    }

    public AccountMatch? MatchAccount(Lead lead, IReadOnlyList<Account> candidates, IReadOnlyList<Contact> contacts)
    {
        if (lead is null || candidates is null || candidates.Count == 0)
            return null;
        try
        {
            var leadFeatures = Engine.Features(lead);
            var accounts = candidates.Where(a => a is not null).Select(Engine.Features).ToList();
            var byAccount = new Dictionary<string, List<ContactFeatures>>(StringComparer.Ordinal);
            foreach (var contact in contacts ?? [])
            {
                if (contact?.AccountId is not { Length: > 0 } accountId)
                    continue;
                if (!byAccount.TryGetValue(accountId, out var list))
                    byAccount[accountId] = list = [];
                list.Add(Engine.Features(contact, candidates.FirstOrDefault(a => a?.Id == accountId)?.Country));
            }

            // Without a corpus, "shared by" counts come from the candidates themselves: a number many candidates use is a switchboard.
            var share = ShareCounter(accounts, byAccount);
            PairScore? best = null;
            AccountFeatures? bestAccount = null;
            foreach (var account in accounts)
            {
                var accountContacts = byAccount.TryGetValue(account.Account.Id, out var list) ? list : (IReadOnlyList<ContactFeatures>)[];
                var score = Engine.Score(leadFeatures, account, accountContacts, share, explain: false);
                if (best is null || score.Weight > best.Value.Weight)
                {
                    best = score;
                    bestAccount = account;
                }
            }

            if (bestAccount is null)
                return null;
            var explained = Engine.Score(leadFeatures, bestAccount, byAccount.TryGetValue(bestAccount.Account.Id, out var c) ? c : [], share, explain: true);
            if (!explained.Evidence!.Exists(e => e.Weight > 0))
                return null;
            return new AccountMatch(bestAccount.Account, Math.Round(explained.Score, 4), explained.Evidence);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No exception escapes the matcher: hostile text matches less, never breaks a save.
            return null;
        }
    }

    public LeadComparison CompareLeads(Lead lead, Lead other)
    {
        if (lead is null || other is null)
            return default;
        try
        {
            var a = Engine.Features(lead);
            var b = Engine.Features(other);
            var sameEmail = a.Email.Length > 0 && a.Email == b.Email;
            var (nameWeight, _) = Engine.CompareNames(a.Name, b.Name, explain: false);
            var sameCompany = (!a.Name.IsEmpty && a.Name.Compact == b.Name.Compact) || nameWeight >= 6 || a.Domains.Intersect(b.Domains, StringComparer.Ordinal).Any();
            var samePerson = (sameCompany || sameEmail) && a.LastName.Length > 0 && a.LastName == b.LastName &&
                             PersonNameNormalizer.SameGivenName(a.FirstName, b.FirstName);
            return new LeadComparison(sameEmail, samePerson, sameCompany);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return default;
        }
    }

    private static Func<string, int> ShareCounter(List<AccountFeatures> accounts, Dictionary<string, List<ContactFeatures>> contacts)
    {
        var counts = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        void Add(string key, string accountId)
        {
            if (key.Length == 0)
                return;
            if (!counts.TryGetValue(key, out var set))
                counts[key] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(accountId);
        }

        foreach (var account in accounts)
        {
            foreach (var phone in account.Phones)
            {
                Add(phone, account.Account.Id);
                Add(PhoneNormalizer.SwitchboardKey(phone), account.Account.Id);
            }

            foreach (var domain in account.Domains)
                Add(domain, account.Account.Id);
        }

        foreach (var pair in contacts)
        {
            foreach (var contact in pair.Value)
            {
                Add(contact.Phone, pair.Key);
                Add(PhoneNormalizer.SwitchboardKey(contact.Phone), pair.Key);
                Add(contact.Domain, pair.Key);
            }
        }

        return key => counts.TryGetValue(key, out var set) ? set.Count : 1;
    }
}
