using CrmGuardrails.Matching;

namespace CrmGuardrails;

/// <summary>Asks for the accounts and contacts a lead may belong to.</summary>
public sealed record MatchCandidateQuery
{
    /// <summary>Gets the lead's keys, computed by the guards' matcher (name keys, domains, phones, emails).</summary>
    public MatchKeys Keys { get; init; } = MatchKeys.Empty;

    /// <summary>Gets the most accounts to return. The default value is 50.</summary>
    public int MaxAccounts { get; init; } = 50;

    /// <summary>Gets the most contacts to return. The default value is 50.</summary>
    public int MaxContacts { get; init; } = 50;
}

/// <summary>The accounts a lead may belong to, and the contacts that tie it to some of them.</summary>
/// <param name="Accounts">The candidate accounts, best first.</param>
/// <param name="Contacts">The contacts sharing the lead's email, domain or phone.</param>
public sealed record MatchCandidates(IReadOnlyList<Account> Accounts, IReadOnlyList<Contact> Contacts)
{
    /// <summary>Gets candidates with nothing in them.</summary>
    public static MatchCandidates None { get; } = new([], []);

    /// <summary>
    /// Gets the teams of the candidate accounts (user ids by account id) when the directory read them with the
    /// candidates — a remote directory does, to save the rules a round trip — or <see langword="null"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? AccountTeams { get; init; }
}

/// <summary>Asks for the contacts of some accounts.</summary>
public sealed record ContactQuery
{
    /// <summary>Gets the accounts whose contacts are wanted.</summary>
    public IReadOnlyList<string> AccountIds { get; init; } = [];

    /// <summary>Gets the most contacts to return. The default value is 50.</summary>
    public int MaxResults { get; init; } = 50;
}

/// <summary>Asks for open leads.</summary>
public sealed record LeadQuery
{
    /// <summary>Gets email addresses (normalised to lower case) to look for.</summary>
    public IReadOnlyList<string> Emails { get; init; } = [];

    /// <summary>Gets the company's blocking keys computed by the matcher.</summary>
    public MatchKeys CompanyKeys { get; init; } = MatchKeys.Empty;

    /// <summary>Gets the most leads to return. The default value is 50.</summary>
    public int MaxResults { get; init; } = 50;
}

/// <summary>Asks for open activities of some customers.</summary>
public sealed record ActivityQuery
{
    /// <summary>Gets the records an activity must be regarding, or have as a party.</summary>
    public IReadOnlyList<RecordRef> Participants { get; init; } = [];

    /// <summary>Gets the direction wanted, or <see langword="null"/> for both.</summary>
    public ActivityDirection? Direction { get; init; }

    /// <summary>Gets the earliest creation time wanted, or <see langword="null"/> for any.</summary>
    public DateTimeOffset? CreatedOnOrAfter { get; init; }

    /// <summary>Gets the most activities to return. The default value is 100.</summary>
    public int MaxResults { get; init; } = 100;
}
