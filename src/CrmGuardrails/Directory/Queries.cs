using CrmGuardrails.Matching;

namespace CrmGuardrails;

/// <summary>Asks for accounts sharing a matching key with a lead.</summary>
public sealed record AccountQuery
{
    /// <summary>Gets the blocking keys computed by the matcher (name keys, domains, phones).</summary>
    public MatchKeys Keys { get; init; } = MatchKeys.Empty;

    /// <summary>Gets account ids to include whatever their keys (for example the accounts of matching contacts).</summary>
    public IReadOnlyList<string> Ids { get; init; } = [];

    /// <summary>Gets the most accounts to return. The default value is 50.</summary>
    public int MaxResults { get; init; } = 50;
}

/// <summary>Asks for contacts.</summary>
public sealed record ContactQuery
{
    /// <summary>Gets account ids whose contacts are wanted.</summary>
    public IReadOnlyList<string> AccountIds { get; init; } = [];

    /// <summary>Gets email addresses (normalised to lower case) to look for.</summary>
    public IReadOnlyList<string> Emails { get; init; } = [];

    /// <summary>Gets email domains (registrable, lower case) to look for; free-mail domains are never sent.</summary>
    public IReadOnlyList<string> EmailDomains { get; init; } = [];

    /// <summary>Gets phones in E.164 form to look for.</summary>
    public IReadOnlyList<string> Phones { get; init; } = [];

    /// <summary>Gets the most contacts to return. The default value is 50.</summary>
    public int MaxResults { get; init; } = 50;

    /// <summary>Gets a value indicating whether the query asks for nothing.</summary>
    public bool IsEmpty => AccountIds.Count == 0 && Emails.Count == 0 && EmailDomains.Count == 0 && Phones.Count == 0;
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
