using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Matching.Scoring;

/// <summary>An account normalised once for scoring, with the evidence its contacts add.</summary>
internal sealed class AccountFeatures
{
    public AccountFeatures(Account account, CompanyName name, string[] domains, string[] phones, string email, Address address)
    {
        Account = account;
        Name = name;
        Domains = domains;
        Phones = phones;
        Email = email;
        Address = address;
    }

    public Account Account { get; }

    public CompanyName Name { get; }

    /// <summary>Gets the registrable domains of the website and the account email (free mail excluded).</summary>
    public string[] Domains { get; }

    /// <summary>Gets the main phone in E.164, or empty.</summary>
    public string[] Phones { get; }

    public string Email { get; }

    public Address Address { get; }
}

/// <summary>A contact normalised once for scoring.</summary>
internal sealed class ContactFeatures(Contact contact, string email, string domain, string phone)
{
    public Contact Contact { get; } = contact;

    public string Email { get; } = email;

    /// <summary>Gets the registrable domain of the email (empty for free mail).</summary>
    public string Domain { get; } = domain;

    public string Phone { get; } = phone;

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
    public LeadFeatures(Lead lead, CompanyName name, string email, string[] domains, string phone, Address address)
    {
        Lead = lead;
        Name = name;
        Email = email;
        Domains = domains;
        Phone = phone;
        Address = address;
        FirstName = PersonNameNormalizer.Fold(lead.FirstName);
        LastName = PersonNameNormalizer.Fold(lead.LastName);
    }

    public Lead Lead { get; }

    public CompanyName Name { get; }

    public string Email { get; }

    /// <summary>Gets the registrable domains of the email and website (free mail excluded).</summary>
    public string[] Domains { get; }

    public string Phone { get; }

    public Address Address { get; }

    public string FirstName { get; }

    public string LastName { get; }
}
