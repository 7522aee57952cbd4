using System.Globalization;
using System.Text;

namespace CrmGuardrails.Matching;

/// <summary>A first, deliberately small matcher: normalised name, registrable domain, phone digits, contact email.</summary>
internal sealed class SimpleRecordMatcher : IRecordMatcher
{
    private static readonly HashSet<string> LegalForms = new(StringComparer.Ordinal)
    {
        "ltd", "limited", "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "plc", "gmbh", "ag", "sa",
        "sas", "sarl", "bv", "nv", "lp", "llp", "kg", "pty", "srl", "spa", "ab", "as", "oy", "kk", "the",
    };

    private static readonly HashSet<string> FreeMail = new(StringComparer.Ordinal)
    {
        "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "icloud.com", "aol.com",
        "gmx.de", "web.de", "proton.me", "protonmail.com", "mail.com",
    };

    public MatchKeys GetKeys(Lead lead) => Keys(lead.Company, [lead.Email], [lead.Website], [lead.Phone]);

    public MatchKeys GetKeys(Account account) => Keys(account.Name, [account.Email], [account.Website], [account.Phone]);

    public MatchKeys GetKeys(Contact contact) => Keys(null, [contact.Email], [], [contact.Phone]);

    public AccountMatch? MatchAccount(Lead lead, IReadOnlyList<Account> candidates, IReadOnlyList<Contact> contacts)
    {
        var keys = GetKeys(lead);
        AccountMatch? best = null;
        foreach (var account in candidates)
        {
            var accountKeys = GetKeys(account);
            var evidence = new List<MatchEvidence>();
            if (keys.NormalizedName.Length > 0 && keys.NormalizedName == accountKeys.NormalizedName)
                evidence.Add(new MatchEvidence("name", $"\"{keys.NormalizedName}\"", 4));
            if (keys.Domains.Intersect(accountKeys.Domains).FirstOrDefault() is { } domain)
                evidence.Add(new MatchEvidence("domain", domain, 4));
            if (keys.Phones.Intersect(accountKeys.Phones).FirstOrDefault() is { } phone)
                evidence.Add(new MatchEvidence("phone", phone, 3));
            foreach (var contact in contacts.Where(c => c.AccountId == account.Id))
            {
                if (keys.Emails.Intersect(GetKeys(contact).Emails).FirstOrDefault() is { } email)
                {
                    evidence.Add(new MatchEvidence("contact-email", email, 6));
                    break;
                }
            }

            if (evidence.Count == 0)
                continue;
            var weight = evidence.Sum(e => e.Weight) - 3;
            var score = Math.Round(Math.Pow(2, weight) / (1 + Math.Pow(2, weight)), 3);
            if (best is null || score > best.Score)
                best = new AccountMatch(account, score, evidence);
        }

        return best;
    }

    public LeadComparison CompareLeads(Lead lead, Lead other)
    {
        var sameEmail = !string.IsNullOrWhiteSpace(lead.Email) &&
                        string.Equals(lead.Email!.Trim(), other.Email?.Trim(), StringComparison.OrdinalIgnoreCase);
        var a = GetKeys(lead);
        var b = GetKeys(other);
        var sameCompany = (a.NormalizedName.Length > 0 && a.NormalizedName == b.NormalizedName) || a.Domains.Intersect(b.Domains).Any();
        var samePerson = sameCompany &&
                         Fold(lead.FirstName) is { Length: > 0 } first && first == Fold(other.FirstName) &&
                         Fold(lead.LastName) is { Length: > 0 } last && last == Fold(other.LastName);
        return new LeadComparison(sameEmail, samePerson, sameCompany);
    }

    private static MatchKeys Keys(string? name, string?[] emails, string?[] websites, string?[] phones)
    {
        var normalized = NormalizeName(name);
        var emailKeys = emails.Select(e => e?.Trim().ToLowerInvariant()).Where(e => e is { Length: > 0 } && e.Contains('@')).Select(e => e!).ToList();
        var domains = emailKeys.Select(e => e.Substring(e.LastIndexOf('@') + 1))
            .Concat(websites.Select(HostOf))
            .Select(RegistrableDomain)
            .Where(d => d.Length > 0 && !FreeMail.Contains(d))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var phoneKeys = phones.Select(Digits).Where(p => p.Length >= 7).Distinct(StringComparer.Ordinal).ToList();
        return new MatchKeys
        {
            NormalizedName = normalized,
            NameKeys = normalized.Length > 0 ? [normalized] : [],
            Domains = domains,
            Phones = phoneKeys,
            Emails = emailKeys,
        };
    }

    private static string NormalizeName(string? name)
    {
        var tokens = Fold(name).Split([' '], StringSplitOptions.RemoveEmptyEntries).Where(t => !LegalForms.Contains(t));
        return string.Join(" ", tokens);
    }

    private static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return string.Empty;
        var decomposed = text!.Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.NonSpacingMark)
                continue;
            sb.Append(char.IsLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : ' ');
        }

        return string.Join(" ", sb.ToString().Split([' '], StringSplitOptions.RemoveEmptyEntries));
    }

    private static string HostOf(string? website)
    {
        if (string.IsNullOrWhiteSpace(website))
            return string.Empty;
        var text = website!.Trim().ToLowerInvariant();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            text = text.Substring(scheme + 3);
        var end = text.IndexOfAny(['/', '?', '#', ':']);
        return end >= 0 ? text.Substring(0, end) : text;
    }

    private static string RegistrableDomain(string host)
    {
        var labels = host.Trim('.').Split('.');
        if (labels.Length < 2)
            return string.Empty;
        var take = labels.Length >= 3 && labels[labels.Length - 2].Length <= 3 && labels[labels.Length - 1].Length == 2 ? 3 : 2;
        return string.Join(".", labels.Skip(labels.Length - take));
    }

    private static string Digits(string? phone) => phone is null ? string.Empty : new string(phone.Where(char.IsDigit).ToArray());
}
