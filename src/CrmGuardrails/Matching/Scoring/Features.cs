using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Matching.Scoring;

/// <summary>
/// An account normalised once for scoring. Beside each value it keeps a hash (or the phone as a number), so that
/// comparing it with a lead reads the values only when they may agree.
/// </summary>
internal sealed class AccountFeatures
{
    public AccountFeatures(Account account, CompanyName name, string[] domains, string phone, string email, Address address, string nameDomain)
    {
        NameDomain = nameDomain;
        Account = account;
        Name = name;
        Domains = domains;
        Phone = phone;
        Email = email;
        Address = address;
        EmailHash = TextHash.Of(email);
        DomainHashes = domains.Length switch
        {
            0 => 0,
            1 => (long)(uint)TextHash.Of(domains[0]) << 32,
            _ => ((long)(uint)TextHash.Of(domains[0]) << 32) | (uint)TextHash.Of(domains[1]),
        };
        PhoneKey = TextHash.Phone(phone);
        DomainLabels = DomainLabelHashes(domains);
        Id = account.Id;
        ParentId = string.IsNullOrEmpty(account.ParentId) ? null : account.ParentId;
        Location = address.Key;
    }

    /// <summary>Gets the hashes of <see cref="Address"/> (read before the address itself).</summary>
    public AddressKey Location { get; }

    public Account Account { get; }

    /// <summary>Gets the account's id (kept here so that ranking candidates never reads the record).</summary>
    public string Id { get; }

    /// <summary>Gets the parent account's id, or null.</summary>
    public string? ParentId { get; }

    public CompanyName Name { get; }

    /// <summary>Gets the registrable domain of the name when it is typed as a web address ("Rllogic.com"), or empty.</summary>
    public string NameDomain { get; }

    /// <summary>Gets the registrable domains of the website and the account email (free mail excluded), at most two.</summary>
    public string[] Domains { get; }

    /// <summary>
    /// Gets or sets the parent account's domains, where the index holds the parent: a lead at the organisation's domain
    /// ("ramsayhealth.com.au") is not at another company's for a site with a domain of its own.
    /// </summary>
    internal string[] ParentDomains { get; set; } = [];

    /// <summary>
    /// Gets the name with its parent organisation's before it, when the parent's name is known
    /// (<see cref="Account.ParentName"/>), or null.
    /// </summary>
    public CompanyName? Organisation { get; init; }

    /// <summary>Gets the website's host when it is a site's own subdomain ("mairie3.lyon.fr", not "www.lyon.fr"), or empty.</summary>
    public string SiteHost { get; init; } = string.Empty;

    /// <summary>Gets a value indicating whether the account's name bears a mark of a retired record ("(OLD)", "[DUPLICATE]").</summary>
    public bool Retired { get; init; }

    /// <summary>Gets the main phone in E.164, or empty.</summary>
    public string Phone { get; }

    public string Email { get; }

    public Address Address { get; }

    /// <summary>Gets the hash of <see cref="Email"/> (0 for none).</summary>
    public int EmailHash { get; }

    /// <summary>Gets the hashes of the first and second domain (high and low 32 bits; 0 for none).</summary>
    public long DomainHashes { get; }

    /// <summary>Gets the main phone as a number (<see cref="TextHash.Phone"/>; 0 for none).</summary>
    public long PhoneKey { get; }

    /// <summary>
    /// Gets the hashes of the first label of the first and second domain ("contoso" of "contoso.co.uk"; high and low 32
    /// bits; 0 for none or a label shorter than four letters), so that the same name under another suffix is told apart
    /// without reading the domains.
    /// </summary>
    public long DomainLabels { get; }

    /// <summary>The hashes of the first labels of up to two domains, packed as <see cref="DomainLabels"/> is.</summary>
    internal static long DomainLabelHashes(string[] domains)
    {
        long packed = 0;
        for (var d = 0; d < domains.Length && d < 2; d++)
        {
            var dot = LabelLength(domains[d]);
            var hash = dot > 0 ? (uint)TextHash.Of(domains[d], 0, dot) : 0u;
            packed |= d == 0 ? (long)hash << 32 : hash;
        }

        return packed;
    }

    /// <summary>The length of a domain's first label ("contoso" of "contoso.co.uk"), or 0 when it is shorter than four letters or no host.</summary>
    internal static int LabelLength(string domain)
    {
        var dot = domain.IndexOf('.');
        return dot >= 4 && domain.IndexOf('/') < 0 ? dot : 0;
    }

    /// <summary>Tells whether the account may have a domain with this hash (then compare the text).</summary>
    public bool MayHaveDomain(int hash) => hash != 0 && ((int)(DomainHashes >> 32) == hash || (int)DomainHashes == hash);
}

/// <summary>A contact normalised once for scoring.</summary>
internal sealed class ContactFeatures(Contact contact, string email, string domain, string phone)
{
    public Contact Contact { get; } = contact;

    public string Email { get; } = email;

    /// <summary>Gets the registrable domain of the email (empty for free mail).</summary>
    public string Domain { get; } = domain;

    public string Phone { get; } = phone;

    /// <summary>Gets the hash of <see cref="Email"/> (0 for none).</summary>
    public int EmailHash { get; } = TextHash.Of(email);

    /// <summary>Gets the hash of <see cref="Domain"/> (0 for none).</summary>
    public int DomainHash { get; } = TextHash.Of(domain);

    /// <summary>Gets <see cref="Phone"/> as a number (0 for none).</summary>
    public long PhoneKey { get; } = TextHash.Phone(phone);

    private string? _firstName;
    private string? _lastName;

    /// <summary>Gets the folded first name (folded when first asked, then kept: rarely needed, and a million contacts add up).</summary>
    /// <remarks>Benign race: two threads may both fold the same immutable value; either result is the same string.</remarks>
    public string FirstName => _firstName ??= PersonNameNormalizer.Fold(Contact.FirstName);

    /// <summary>Gets the folded last name (folded when first asked, then kept).</summary>
    public string LastName => _lastName ??= PersonNameNormalizer.Fold(Contact.LastName);
}

/// <summary>A lead normalised once for scoring.</summary>
internal sealed class LeadFeatures
{
    public LeadFeatures(Lead lead, CompanyName name, string email, string[] domains, string phone, Address address, string nameDomain, string nationalPhone = "")
    {
        NationalPhone = nationalPhone;
        NationalKey = nationalPhone.Length == 0 ? 0 : long.Parse(nationalPhone, System.Globalization.CultureInfo.InvariantCulture);
        NameDomain = nameDomain;
        Lead = lead;
        Name = name;
        Email = email;
        Domains = domains;
        Phone = phone;
        Address = address;
        EmailHash = TextHash.Of(email);
        DomainHashes = Array.ConvertAll(domains, TextHash.Of);
        DomainLabels = AccountFeatures.DomainLabelHashes(domains);
        PhoneKey = TextHash.Phone(phone);
    }

    public Lead Lead { get; }

    public CompanyName Name { get; }

    /// <summary>Gets the registrable domain of the name when it is typed as a web address ("Rllogic.com"), or empty.</summary>
    public string NameDomain { get; }

    public string Email { get; }

    /// <summary>Gets the registrable domains of the email and website (free mail excluded).</summary>
    public string[] Domains { get; }

    /// <summary>Gets the email's (else the website's) host when it is a subdomain of its organisation's ("mccombs.utexas.edu"), or empty.</summary>
    public string SiteHost { get; init; } = string.Empty;

    public string Phone { get; }

    public Address Address { get; }

    private string? _firstName;
    private string? _lastName;

    /// <summary>Gets the folded first name (folded when first asked: only a lead that meets contacts needs it).</summary>
    public string FirstName => _firstName ?? FoldNames().First;

    /// <summary>Gets the folded last name (folded when first asked; "Smith, John" in the last name alone is John Smith).</summary>
    public string LastName => _lastName ?? FoldNames().Last;

    private (string First, string Last) FoldNames()
    {
        var (first, last) = PersonNameNormalizer.FoldNames(Lead.FirstName, Lead.LastName);
        _firstName = first;
        _lastName = last;
        return (first, last);
    }

    /// <summary>Gets the hash of <see cref="Email"/> (0 for none).</summary>
    public int EmailHash { get; }

    /// <summary>Gets the hashes of <see cref="Domains"/>.</summary>
    public int[] DomainHashes { get; }

    /// <summary>Gets the hashes of the first labels of the first two domains (<see cref="AccountFeatures.DomainLabels"/>).</summary>
    public long DomainLabels { get; }

    /// <summary>Gets <see cref="Phone"/> as a number (0 for none).</summary>
    public long PhoneKey { get; }

    /// <summary>Gets the phone as typed nationally where no country says whose (<see cref="PhoneNormalizer.NationalDigits"/>), or empty.</summary>
    public string NationalPhone { get; }

    /// <summary>Gets <see cref="NationalPhone"/> as a number (0 for none).</summary>
    public long NationalKey { get; }
}
