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
/// <param name="Share">What the candidates share with the lead, as the decision counted it (an explanation reuses it).</param>
internal readonly record struct Resolution(int Best, double Score, int[]? Family, ShareCounts? Share = null)
{
    public static Resolution None { get; } = new(-1, 0, null);

    public bool IsOrganisation => Family is not null;

    /// <summary>Names another candidate with the same certainty; an organisation match keeps the one it named among its accounts.</summary>
    /// <param name="other">The candidate to name.</param>
    public Resolution Naming(int other)
    {
        var named = Best;
        var family = Family;
        if (family is not null)
            family = Array.IndexOf(family, other) >= 0 ? Array.ConvertAll(family, member => member == other ? named : member) : [.. family, named];
        return this with { Best = other, Family = family };
    }
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
        var share = ShareCounts.Of(lead, accounts, contacts);
        var weights = accounts.Count <= 128 ? stackalloc double[accounts.Count] : new double[accounts.Count];
        var ownSite = accounts.Count <= 128 ? stackalloc bool[accounts.Count] : new bool[accounts.Count];
        var place = accounts.Count <= 128 ? stackalloc bool[accounts.Count] : new bool[accounts.Count];
        var names = accounts.Count <= 128 ? stackalloc NameRelation[accounts.Count] : new NameRelation[accounts.Count];
        var person = accounts.Count <= 128 ? stackalloc bool[accounts.Count] : new bool[accounts.Count];
        var best = 0;
        var pair = default(PairScore);
        for (var i = 0; i < accounts.Count; i++)
        {
            var score = Score(lead, accounts[i], contacts[i] ?? NoContacts, share, explain: false);
            weights[i] = score.Weight;
            ownSite[i] = score.SiteAgrees && !score.LocationDisagrees;
            place[i] = score.PlaceAgrees;
            names[i] = score.Name;
            person[i] = score.PersonAgrees;
            // Equal weights (a name weighs at most its cap) are told apart by how much of the lead's name each says: all of
            // it first ("Gemeente Amsterdam, afdeling Onderwijs" is in "… - Onderwijs, Jeugd en Zorg", not in "Gemeente
            // Amsterdam"), then the most bits.
            if (i == 0 || score.Weight > pair.Weight || (score.Weight == pair.Weight && (SaysAllOfTheLead(score) != SaysAllOfTheLead(pair) ? SaysAllOfTheLead(score) :
                score.NameBits != pair.NameBits ? score.NameBits > pair.NameBits : string.CompareOrdinal(accounts[i].Id, accounts[best].Id) < 0)))
            {
                best = i;
                pair = score;
            }
        }

        if (!pair.Agrees)
            return Resolution.None;

        // Probabilities relative to the best, so that 2^W never overflows: p_i = 2^(W_i - W_best) / denominator.
        var top = pair.Weight;
        var denominator = Math.Pow(2, -top);
        foreach (var weight in weights)
            denominator += Math.Pow(2, weight - top);
        var mass = 1.0;
        var family = Family(lead, accounts, best, ownSite);
        if (!NeedsSite(lead, accounts, best, family))
            return LiveRecord(NamedExactly(new Resolution(best, Capped(mass / denominator, pair), null, share), accounts, weights, names, person, place), accounts, weights);
        if (SiteConfirmed(lead, accounts, best, pair, family))
        {
            // The site's own phone, street, email or contact, or its whole name in its own city, says which site: its
            // siblings that have none of these (nor the lead's name) are its organisation, not rival answers, and do
            // not divide the probability. A name that agrees only because each names its own place ("Coastal Medical -
            // Paddington", "Coastal Medical - Bondi Junction") says no site.
            if (ownSite[best] || (pair.Name == NameRelation.Same && place[best]))
            {
                foreach (var member in family)
                    mass += ownSite[member] || names[member] == NameRelation.Same ? 0 : Math.Pow(2, weights[member] - top);
            }

            return LiveRecord(NamedExactly(new Resolution(best, Capped(Math.Min(1, mass / denominator), pair), null, share), accounts, weights, names, person, place), accounts, weights);
        }

        // The lead matches the organisation, not one of its sites: the probability that it belongs to the organisation.
        // A domain its sites share ("bannerhealth.com") was weighed as shared between candidates; between the
        // organisation and the rest it is the organisation's own, and counts in full.
        var bonus = SharedDomainBonus(lead, accounts, best, family, share, out var domain);
        var organisation = 0.0;
        for (var k = -1; k < family.Count; k++)
        {
            var member = k < 0 ? best : family[k];
            var p = Math.Pow(2, weights[member] - top);
            var counted = bonus > 0 && UsesDomain(accounts[member], lead, domain) ? p * Math.Pow(2, bonus) : p;
            organisation += counted;
            denominator += counted - p;
        }

        // Which site to name: the one the lead's own phone, street, email or contact points at, when the best-named one
        // has none of these ("St. Luke's" with the number of St. Luke's Meridian, beside the account "St Lukes - Boise");
        // else the one in the lead's city, when the best-named one is elsewhere.
        if (!ownSite[best])
        {
            var named = -1;
            foreach (var member in family)
            {
                if (ownSite[member] && (named < 0 || weights[member] > weights[named]))
                    named = member;
            }

            if (named < 0 && !place[best])
            {
                foreach (var member in family)
                {
                    if (place[member] && (named < 0 || weights[member] > weights[named]))
                        named = member;
                }
            }

            if (named >= 0)
            {
                family.Remove(named);
                family.Add(best);
                best = named;
            }
        }

        return LiveRecord(NamedExactly(new Resolution(best, Math.Min(1, organisation / denominator), family.ToArray(), share), accounts, weights, names, person, place), accounts, weights);
    }

    /// <summary>
    /// A known person of an organisation naming one of its companies exactly ("Blue Wave Shipping Co." from a ship
    /// manager's staff; "SOS Bulk 8" from the contact filed under "SOS Bulk 7"): the person's account says who writes and
    /// how sure the answer is; the name says which of the organisation's companies the lead is. Not where the lead is:
    /// the organisation's name typed at a plant's address, by the plant's staff, is the plant.
    /// </summary>
    private static Resolution NamedExactly(Resolution resolution, IReadOnlyList<AccountFeatures> accounts, Span<double> weights, Span<NameRelation> names, Span<bool> person, Span<bool> place)
    {
        var chosen = resolution.Best;
        if (!person[chosen] || names[chosen] is not (NameRelation.Different or NameRelation.Conflict))
            return resolution;
        var named = -1;
        for (var i = 0; i < accounts.Count; i++)
        {
            if (names[i] == NameRelation.Same && weights[i] > 0 && (place[i] || !place[chosen]) && Related(accounts[chosen], accounts[i]) && (named < 0 || weights[i] > weights[named]))
                named = i;
        }

        // The account the person pointed at stays one of the organisation's.
        return named < 0 ? resolution : resolution.Naming(named);
    }

    /// <summary>
    /// The company's live record in place of one its admins retired ("Torrance Valve Co (OLD)", "[DUPLICATE]", "… - use
    /// 0012345"), where the lead matched the old one on its old address or number: a flag or block names the account
    /// reps work on. The live record bears the retired one's name or number; a sibling or a child is another company.
    /// </summary>
    private static Resolution LiveRecord(Resolution resolution, IReadOnlyList<AccountFeatures> accounts, Span<double> weights)
    {
        var retired = resolution.Best;
        if (retired < 0 || !accounts[retired].Retired)
            return resolution;
        var live = -1;
        for (var i = 0; i < accounts.Count; i++)
        {
            if (i != retired && !accounts[i].Retired && (live < 0 || weights[i] > weights[live]) &&
                ((accounts[i].Name.CompactHash == accounts[retired].Name.CompactHash && accounts[i].Name.Compact == accounts[retired].Name.Compact) ||
                 (accounts[i].PhoneKey != 0 && accounts[i].PhoneKey == accounts[retired].PhoneKey)))
                live = i;
        }

        return live < 0 ? resolution : resolution.Naming(live);
    }

    private static bool SaysAllOfTheLead(PairScore score) => score.Name is NameRelation.Same or NameRelation.LeadBroader;

    /// <summary>A probability, at most <see cref="UncorroboratedCap"/> when nothing corroborates the name.</summary>
    private static double Capped(double probability, PairScore pair) =>
        pair.Corroborated ? probability : Math.Min(probability, UncorroboratedCap);

    /// <summary>
    /// The bits a domain of the lead's lost, as one shared between candidates, when only the organisation's accounts use
    /// it (its sites share "bannerhealth.com"); 0 when another candidate uses it too, or no domain agrees.
    /// </summary>
    private static double SharedDomainBonus(LeadFeatures lead, IReadOnlyList<AccountFeatures> accounts, int best, List<int> family, ShareCounts share, out int domain)
    {
        for (domain = 0; domain < lead.Domains.Length; domain++)
        {
            var users = share.Domain(lead.Domains[domain]);
            if (users < 2 || !UsesDomain(accounts[best], lead, domain))
                continue;
            var inOrganisation = 1;
            foreach (var member in family)
                inOrganisation += UsesDomain(accounts[member], lead, domain) ? 1 : 0;
            if (inOrganisation == users)
                return DomainAgree - Math.Max(1, DomainAgree - Math.Log(users, 2));
        }

        return 0;
    }

    /// <summary>Tells whether an account's own website or email has the lead's domain <paramref name="domain"/>.</summary>
    internal static bool UsesDomain(AccountFeatures account, LeadFeatures lead, int domain) =>
        account.MayHaveDomain(lead.DomainHashes[domain]) && Array.IndexOf(account.Domains, lead.Domains[domain]) >= 0;

    /// <summary>
    /// The other candidates of the candidate's organisation: same parent, sites named alike or sharing its domain; both
    /// using the domain of the lead's own email or website ("Sparkasse KölnBonn" and its "Filiale Köln-Ehrenfeld", both at
    /// sparkasse-koelnbonn.de, for a lead from that domain); or sharing its domain and the lead's own phone, street,
    /// email or contact (<paramref name="ownSite"/>): a site is often named without its organisation's words.
    /// </summary>
    private static List<int> Family(LeadFeatures lead, IReadOnlyList<AccountFeatures> accounts, int of, Span<bool> ownSite)
    {
        var family = new List<int>();
        for (var i = 0; i < accounts.Count; i++)
        {
            if (i != of && (Related(accounts[of], accounts[i]) || ShareLeadDomain(lead, accounts[of], accounts[i]) || (ownSite[i] && ShareDomain(accounts[of], accounts[i]))))
                family.Add(i);
        }

        return family;
    }

    private static bool ShareDomain(AccountFeatures a, AccountFeatures b)
    {
        foreach (var domain in a.Domains)
        {
            if (b.MayHaveDomain(TextHash.Of(domain)) && Array.IndexOf(b.Domains, domain) >= 0)
                return true;
        }

        return false;
    }

    private static bool ShareLeadDomain(LeadFeatures lead, AccountFeatures a, AccountFeatures b)
    {
        for (var d = 0; d < lead.Domains.Length; d++)
        {
            if (UsesDomain(a, lead, d) && UsesDomain(b, lead, d))
                return true;
        }

        return false;
    }

    /// <summary>Tells whether two accounts belong to one organisation: the hierarchy says so, or their names and domains do.</summary>
    public static bool Related(AccountFeatures a, AccountFeatures b)
    {
        string? pa = a.ParentId, pb = b.ParentId;
        if ((pa is not null && (pa == b.Id || pa == pb)) || (pb is not null && pb == a.Id))
            return true;
        if (a.Name.IsEmpty || b.Name.IsEmpty)
            return false;

        // "Henry Booth House - Taylor Day School" and "Henry Booth House - Pill Hill Center" (or "Henry Booth House").
        if ((a.Name.HasSite || b.Name.HasSite) && a.Name.HeadCompact == b.Name.HeadCompact)
            return true;

        // One name for every site ("Starbucks", "Starbucks"), told apart by address alone; or one company entered twice.
        if (a.Name.CompactHash == b.Name.CompactHash && a.Name.Compact == b.Name.Compact)
            return true;

        // Sites named without a separator ("Sylex West Warehouse", "Sylex Airport Branch") share the domain and first word.
        if (a.Name.Words[0].Hash != b.Name.Words[0].Hash)
            return false;
        return ShareDomain(a, b);
    }

    /// <summary>
    /// Tells whether the account stands for the whole organisation: the parent of other candidates, or named without a
    /// site among sites that have one. Its name says the organisation, not which site; only a site's own phone, street,
    /// email or contact tells that.
    /// </summary>
    private static bool IsOrganisationLevel(IReadOnlyList<AccountFeatures> accounts, int best, List<int> family)
    {
        var account = accounts[best];
        foreach (var member in family)
        {
            var other = accounts[member];
            if (other.ParentId == account.Id || (!account.Name.HasSite && other.Name.HasSite))
                return true;
        }

        return false;
    }

    /// <summary>Tells whether the decision needs the lead's site: the account is a site of an organisation, or the lead names a site.</summary>
    private static bool NeedsSite(LeadFeatures lead, IReadOnlyList<AccountFeatures> accounts, int best, List<int> family)
    {
        var account = accounts[best];
        if (family.Count > 0 || account.Name.HasSite || lead.Name.HasSite || account.ParentId is not null)
            return true;
        foreach (var other in accounts)
        {
            if (other.ParentId == account.Id)
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

        // A site the organisation's own account does not name, at another street, with the head office's switchboard or
        // domain ("Northside Family Health - Roswell" at a new address): a new site, not the head office.
        if (lead.Name.HasSite && !account.Name.HasSite && pair.LocationDisagrees && IsOrganisationLevel(accounts, best, family))
            return false;
        // The site's email, own host, store number or a known person of it says which site; its phone or street with its
        // whole name, or where the other does not say another place (a tenant of the building with a name and a number of
        // its own, a site's switchboard at another street).
        if (pair.SiteAgrees && (pair.SiteProven || !pair.LocationDisagrees || pair.Name == NameRelation.Same))
            return true;

        // A sibling whose own subdomain the lead writes from is the lead's site, whatever this one's name says.
        foreach (var member in family)
        {
            if (SiteHostAgrees(lead, accounts[member]))
                return false;
        }

        if (pair.Name != NameRelation.Same || pair.LocationDisagrees || IsOrganisationLevel(accounts, best, family))
            return false;
        foreach (var member in family)
        {
            if (accounts[member].Name.Compact == account.Name.Compact)
                return false;
        }

        return true;
    }
}

/// <summary>
/// How many of the candidates (with their contacts) use the lead's phone, its switchboard and its domains: a number
/// many candidates share is a switchboard or a call centre, and tells less. Scoring only ever asks about the lead's
/// own values, so only those are counted.
/// </summary>
internal sealed class ShareCounts
{
    private readonly string _phone = string.Empty;
    private readonly string[] _domains = [];
    private readonly int _unknown;
    private readonly int _phoneCount;
    private readonly int _switchboardCount;
    private readonly int[] _domainCounts = [];
    private readonly int _domainsOfOneOrganisation;

    /// <summary>Initializes a new instance of the <see cref="ShareCounts"/> class that knows no counts.</summary>
    /// <param name="unknown">What a value nobody counted is shared by.</param>
    public ShareCounts(int unknown = 1)
    {
        _unknown = unknown;
    }

    private ShareCounts(LeadFeatures lead, IReadOnlyList<AccountFeatures> accounts, IReadOnlyList<IReadOnlyList<ContactFeatures>?> contacts)
        : this()
    {
        _phone = lead.Phone;
        _domains = lead.Domains;
        _domainCounts = new int[_domains.Length];
        var key = lead.PhoneKey;
        var switchboards = key > 0 && _phone.Length >= 9;
        var words = 0;
        Span<int> firstUser = stackalloc int[Math.Min(_domains.Length, 31)];
        firstUser.Fill(-1);
        var oneOrganisation = (1 << firstUser.Length) - 1;
        for (var a = 0; a < accounts.Count; a++)
        {
            var account = accounts[a];

            // Each candidate's name words are read next, one candidate after another: asked for here, where the candidates
            // do not wait for each other, their reads from memory overlap.
            words += account.Name.Words.Length;
            var phone = key != 0 && account.PhoneKey == key;
            var switchboard = switchboards && MatchEngine.SameSwitchboard(key, account.PhoneKey);
            var domains = 0;
            for (var d = 0; d < _domains.Length; d++)
            {
                if (MatchEngine.UsesDomain(account, lead, d))
                    domains |= 1 << d;
            }

            if (contacts[a] is { } list)
            {
                foreach (var contact in list)
                {
                    phone |= key != 0 && contact.PhoneKey == key;
                    switchboard |= switchboards && MatchEngine.SameSwitchboard(key, contact.PhoneKey);
                    var at = contact.DomainHash == 0 ? -1 : Array.IndexOf(lead.DomainHashes, contact.DomainHash);
                    if (at is >= 0 and < 31 && _domains[at] == contact.Domain)
                        domains |= 1 << at;
                }
            }

            _phoneCount += phone ? 1 : 0;
            _switchboardCount += switchboard ? 1 : 0;
            for (var d = 0; d < firstUser.Length; d++)
            {
                if (((domains >> d) & 1) == 0)
                    continue;
                _domainCounts[d]++;
                if (firstUser[d] < 0)
                    firstUser[d] = a;
                else if ((oneOrganisation & (1 << d)) != 0 && !MatchEngine.Related(accounts[firstUser[d]], account))
                    oneOrganisation &= ~(1 << d);
            }
        }

        CandidateWords = words;
        _domainsOfOneOrganisation = oneOrganisation;
    }

    /// <summary>Gets how many name words the candidates have (read to bring them to the cache; see the constructor).</summary>
    public int CandidateWords { get; }

    /// <summary>Counts, for each of the lead's values, the candidates that use it (once per candidate).</summary>
    public static ShareCounts Of(LeadFeatures lead, IReadOnlyList<AccountFeatures> accounts, IReadOnlyList<IReadOnlyList<ContactFeatures>?> contacts) =>
        new(lead, accounts, contacts);

    /// <summary>Gets how many candidates use the lead's phone.</summary>
    public int Phone(string e164) => e164 == _phone ? _phoneCount : _unknown;

    /// <summary>Gets how many candidates use the lead's switchboard (its phone without the last digits).</summary>
    public int Switchboard(string e164) => e164 == _phone ? _switchboardCount : _unknown;

    /// <summary>Gets how many candidates use one of the lead's domains.</summary>
    public int Domain(string domain)
    {
        var at = Array.IndexOf(_domains, domain);
        return at >= 0 ? _domainCounts[at] : _unknown;
    }

    /// <summary>
    /// Tells whether the candidates that use one of the lead's domains are all of one organisation (its sites, its
    /// parent): the domain is that organisation's own, as a domain one account uses is that account's.
    /// </summary>
    public bool DomainOfOneOrganisation(string domain)
    {
        var at = Array.IndexOf(_domains, domain);
        return at is >= 0 and < 31 && _domainCounts[at] > 0 && (_domainsOfOneOrganisation & (1 << at)) != 0;
    }
}
