namespace CrmGuardrails.Matching;

/// <summary>
/// Tells whether records describe the same company or person: the engine behind the <c>existing-customer</c> and
/// <c>duplicate-lead</c> rules.
/// </summary>
/// <remarks>
/// Implementations are immutable and thread-safe. <see cref="GetKeys(Lead)"/> and the account and contact overloads
/// must produce keys from one normalisation, so that a directory indexing accounts with them finds what a lead's
/// keys ask for. No method throws on bad text: empty, huge or malformed values simply match less.
/// </remarks>
public interface IRecordMatcher
{
    /// <summary>Computes the blocking keys that retrieve a lead's candidate accounts, contacts and leads.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The keys.</returns>
    MatchKeys GetKeys(Lead lead);

    /// <summary>Computes the keys under which an account is indexed.</summary>
    /// <param name="account">The account.</param>
    /// <returns>The keys.</returns>
    MatchKeys GetKeys(Account account);

    /// <summary>Computes the keys under which a contact is indexed.</summary>
    /// <param name="contact">The contact.</param>
    /// <returns>The keys.</returns>
    MatchKeys GetKeys(Contact contact);

    /// <summary>Scores a lead against candidate accounts and returns the best, with its evidence.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="candidates">Candidate accounts, typically from <see cref="ICrmDirectory.FindMatchCandidatesAsync"/>.</param>
    /// <param name="contacts">Contacts that share an email, domain or phone with the lead (they tie it to their account).</param>
    /// <returns>The best match, or <see langword="null"/> when no candidate has any agreeing evidence.</returns>
    AccountMatch? MatchAccount(Lead lead, IReadOnlyList<Account> candidates, IReadOnlyList<Contact> contacts);

    /// <summary>Compares two leads: same email, same person, same company.</summary>
    /// <param name="lead">The new lead.</param>
    /// <param name="other">An existing lead.</param>
    /// <returns>What the two leads share.</returns>
    LeadComparison CompareLeads(Lead lead, Lead other);
}

/// <summary>The best account for a lead, with the score and the evidence behind it.</summary>
/// <param name="Account">The matched account.</param>
/// <param name="Score">
/// The probability, from 0 to 1, that the lead belongs to the account (every candidate competes for it, so two accounts
/// that agree equally well share it); for an organisation match, that it belongs to the organisation.
/// </param>
/// <param name="Evidence">The fields that counted, strongest first.</param>
public sealed record AccountMatch(Account Account, double Score, IReadOnlyList<MatchEvidence> Evidence)
{
    /// <summary>
    /// Gets the organisation when the lead matches an organisation kept as several accounts (sites, branches) but not
    /// one of them: a new site, or a site the lead does not say. Such a match is flagged, never blocked; <see cref="Account"/>
    /// is the organisation's account that agrees best.
    /// </summary>
    public AccountOrganisation? Organisation { get; init; }
}

/// <summary>An organisation kept in the CRM as several accounts (sites, branches, a parent and its children).</summary>
/// <param name="Name">The organisation's name, for messages ("Henry Booth House").</param>
/// <param name="ParentId">The parent account's id, when the account hierarchy names one.</param>
/// <param name="AccountIds">The organisation's accounts among the candidates, the best first.</param>
public sealed record AccountOrganisation(string Name, string? ParentId, IReadOnlyList<string> AccountIds);

/// <summary>One field's contribution to a match.</summary>
/// <param name="Field">The field (for example <c>name</c>, <c>email-domain</c>, <c>phone</c>, <c>contact-email</c>).</param>
/// <param name="Detail">What agreed or disagreed, in words (for example <c>"contoso pharmaceuticals" = "contoso pharmaceuticals"</c>).</param>
/// <param name="Weight">The log-likelihood weight (bits) the field added; negative when it counted against.</param>
public sealed record MatchEvidence(string Field, string Detail, double Weight);

/// <summary>What two leads share.</summary>
/// <param name="SameEmail">Both have the same non-empty email address.</param>
/// <param name="SamePerson">Both name the same person (nicknames and case allowed) at the same company.</param>
/// <param name="SameCompany">Both name the same company (or share a company email domain).</param>
public readonly record struct LeadComparison(bool SameEmail, bool SamePerson, bool SameCompany)
{
    /// <summary>
    /// Gets a value indicating whether a shared email is two people's: their given names differ (Tom and Sue) and the
    /// address names neither of them (a family's "bakerfamily@", a role mailbox such as "info@" or "sales@").
    /// </summary>
    public bool TwoPeople { get; init; }
}
