using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Matching.Scoring;

/// <summary>The account a lead belongs to, among the candidates retrieved for it.</summary>
/// <param name="Best">The index of the best candidate, or -1 when there was none.</param>
/// <param name="Score">
/// The probability that the lead is the best candidate (all candidates compete for it); for an organisation match,
/// the probability that the lead belongs to the organisation.
/// </param>
/// <param name="Family">
/// The indexes of the other candidates of the best candidate's organisation when the lead matches the organisation but
/// not one of its sites (an organisation match, never a block); null otherwise.
/// </param>
internal readonly record struct Resolution(int Best, double Score, int[]? Family)
{
    public static Resolution None { get; } = new(-1, 0, null);

    public bool IsOrganisation => Family is not null;
}

internal sealed partial class MatchEngine
{
    private static readonly IReadOnlyList<ContactFeatures> NoContacts = [];

    /// <summary>
    /// Decides which candidate a lead belongs to. Every candidate is scored on all the evidence; candidate i is the
    /// lead's account with probability 2^W_i / (1 + Σ 2^W_j), so two sites of one organisation that agree equally
    /// share the probability and neither is blocked, while the site that agrees on address or phone stands out.
    /// </summary>
    /// <remarks>
    /// This is the one decision behind both the guards (<see cref="FellegiSunterMatcher.MatchAccount"/>) and
    /// <c>crmguard match</c> (<see cref="BulkMatcher"/>); it depends on the candidates and their contacts only, not
    /// on their order.
    /// </remarks>
    /// <param name="lead">The lead.</param>
    /// <param name="accounts">The candidates.</param>
    /// <param name="contacts">The candidates' contacts that share a key with the lead, per candidate (null for none).</param>
    public Resolution Resolve(LeadFeatures lead, IReadOnlyList<AccountFeatures> accounts, IReadOnlyList<IReadOnlyList<ContactFeatures>?> contacts)
    {
        if (accounts.Count == 0)
            return Resolution.None;
        var share = ShareCounter(accounts, contacts);
        var scores = new PairScore[accounts.Count];
        var best = 0;
        for (var i = 0; i < accounts.Count; i++)
        {
            scores[i] = Score(lead, accounts[i], contacts[i] ?? NoContacts, share, explain: false);
            if (i > 0 && (scores[i].Weight > scores[best].Weight ||
                          (scores[i].Weight == scores[best].Weight && string.CompareOrdinal(accounts[i].Account.Id, accounts[best].Account.Id) < 0)))
                best = i;
        }

        if (!scores[best].Agrees)
            return Resolution.None;

        // Probabilities relative to the best, so that 2^W never overflows: p_i = 2^(W_i - W_best) / denominator.
        var top = scores[best].Weight;
        var denominator = Math.Pow(2, -top);
        for (var i = 0; i < scores.Length; i++)
            denominator += Math.Pow(2, scores[i].Weight - top);
        var probability = 1 / denominator;
        var pair = scores[best];
        if (!pair.Corroborated)
            probability = Math.Min(probability, UncorroboratedCap);

        var family = Family(accounts, best);
        if (!NeedsSite(lead, accounts, best, family) || SiteConfirmed(lead, accounts, best, pair, family))
            return new Resolution(best, probability, null);

        // The lead matches the organisation, not one of its sites: the probability that it belongs to the organisation.
        var organisation = 1.0;
        foreach (var member in family)
            organisation += Math.Pow(2, scores[member].Weight - top);
        return new Resolution(best, Math.Min(1, organisation / denominator), family.ToArray());
    }

    /// <summary>The other candidates of the candidate's organisation (same parent, or sites named alike or sharing its domain).</summary>
    private static List<int> Family(IReadOnlyList<AccountFeatures> accounts, int of)
    {
        var family = new List<int>();
        for (var i = 0; i < accounts.Count; i++)
        {
            if (i != of && Related(accounts[of], accounts[i]))
                family.Add(i);
        }

        return family;
    }

    /// <summary>Tells whether two accounts belong to one organisation: the hierarchy says so, or their names and domains do.</summary>
    public static bool Related(AccountFeatures a, AccountFeatures b)
    {
        string? pa = a.Account.ParentId, pb = b.Account.ParentId;
        if (pa == b.Account.Id || pb == a.Account.Id || (!string.IsNullOrEmpty(pa) && pa == pb))
            return true;
        if (a.Name.IsEmpty || b.Name.IsEmpty)
            return false;

        // "Henry Booth House - Taylor Day School" and "Henry Booth House - Pill Hill Center" (or "Henry Booth House").
        if ((a.Name.HasSite || b.Name.HasSite) && a.Name.HeadCompact == b.Name.HeadCompact)
            return true;

        // Sites named without a separator ("Sylex West Warehouse", "Sylex Airport Branch") share the domain and first word.
        if (a.Name.Tokens[0] != b.Name.Tokens[0])
            return false;
        foreach (var domain in a.Domains)
        {
            if (Array.IndexOf(b.Domains, domain) >= 0)
                return true;
        }

        return false;
    }

    /// <summary>Tells whether the decision needs the lead's site: the account is a site of an organisation, or the lead names a site.</summary>
    private static bool NeedsSite(LeadFeatures lead, IReadOnlyList<AccountFeatures> accounts, int best, List<int> family)
    {
        var account = accounts[best];
        if (family.Count > 0 || account.Name.HasSite || lead.Name.HasSite || !string.IsNullOrEmpty(account.Account.ParentId))
            return true;
        foreach (var other in accounts)
        {
            if (other.Account.ParentId == account.Account.Id)
                return true;
        }

        return false;
    }

    /// <summary>
    /// Tells whether the evidence points at this site and not just its organisation: its own phone, street, email or
    /// contact agrees, or its whole name does (and no sibling bears that name) with no street or phone against it.
    /// </summary>
    private static bool SiteConfirmed(LeadFeatures lead, IReadOnlyList<AccountFeatures> accounts, int best, PairScore pair, List<int> family)
    {
        var account = accounts[best];
        if (pair.Name == NameRelation.Conflict && lead.Name.HasSite && account.Name.HasSite)
            return false;
        if (pair.SiteAgrees)
            return true;
        if (pair.Name != NameRelation.Same || pair.LocationDisagrees)
            return false;
        foreach (var member in family)
        {
            if (accounts[member].Name.Compact == account.Name.Compact)
                return false;
        }

        return true;
    }

    /// <summary>
    /// Counts, among the candidates and their contacts, how many accounts use each phone, switchboard and domain: a
    /// number many candidates share is a switchboard or a call centre, and tells less.
    /// </summary>
    public static Func<string, int> ShareCounter(IReadOnlyList<AccountFeatures> accounts, IReadOnlyList<IReadOnlyList<ContactFeatures>?> contacts)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var mine = new List<string>(8);
        for (var a = 0; a < accounts.Count; a++)
        {
            mine.Clear();
            var account = accounts[a];
            foreach (var phone in account.Phones)
                AddPhone(mine, phone);
            foreach (var domain in account.Domains)
                AddOnce(mine, domain);
            if (contacts[a] is { } list)
            {
                foreach (var contact in list)
                {
                    AddPhone(mine, contact.Phone);
                    AddOnce(mine, contact.Domain);
                }
            }

            foreach (var key in mine)
                counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
        }

        return key => counts.TryGetValue(key, out var n) ? n : 1;

        static void AddPhone(List<string> keys, string phone)
        {
            if (phone.Length == 0)
                return;
            AddOnce(keys, phone);
            AddOnce(keys, PhoneNormalizer.SwitchboardKey(phone));
        }

        static void AddOnce(List<string> keys, string key)
        {
            if (key.Length > 0 && !keys.Contains(key))
                keys.Add(key);
        }
    }
}
