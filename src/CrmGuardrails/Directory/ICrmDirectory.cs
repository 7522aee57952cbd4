namespace CrmGuardrails;

/// <summary>
/// The port through which guards ask the host CRM what exists.
/// </summary>
/// <remarks>
/// Every method is one selective question that a remote host can answer with one query (an OData <c>$filter</c>,
/// a SOQL <c>WHERE</c>): guards never ask for "all accounts". Implementations must be thread-safe, honour the
/// <see cref="CancellationToken"/>, and throw (any exception) when the host cannot answer: the pipeline turns that into
/// the configured "not checked" verdict. The embedded implementation is <see cref="Embedded.InMemoryCrmDirectory"/>.
/// </remarks>
public interface ICrmDirectory
{
    /// <summary>Gets one record by reference, or <see langword="null"/> when it does not exist.</summary>
    /// <param name="record">The record; a <see cref="RecordKind.Unknown"/> kind asks the directory to find the kind.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    ValueTask<CrmRecord?> GetAsync(RecordRef record, CancellationToken cancellationToken);

    /// <summary>
    /// Finds what a lead may belong to, in one question: the contacts sharing its email, domains or phone, and the
    /// accounts of those contacts followed by the accounts sharing its keys, rarest keys first.
    /// </summary>
    /// <param name="query">The lead's keys and the limits.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The candidates, at most <see cref="MatchCandidateQuery.MaxAccounts"/> accounts and <see cref="MatchCandidateQuery.MaxContacts"/> contacts.</returns>
    ValueTask<MatchCandidates> FindMatchCandidatesAsync(MatchCandidateQuery query, CancellationToken cancellationToken);

    /// <summary>Finds the active contacts of some accounts.</summary>
    /// <param name="query">The accounts.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The matching contacts, at most <see cref="ContactQuery.MaxResults"/>.</returns>
    ValueTask<IReadOnlyList<Contact>> FindContactsAsync(ContactQuery query, CancellationToken cancellationToken);

    /// <summary>Finds open leads by exact email or by company key.</summary>
    /// <param name="query">The keys to look for.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The matching open leads, at most <see cref="LeadQuery.MaxResults"/>.</returns>
    ValueTask<IReadOnlyList<Lead>> FindOpenLeadsAsync(LeadQuery query, CancellationToken cancellationToken);

    /// <summary>Finds open activities regarding, or with as a party, any of the given records.</summary>
    /// <param name="query">The records and filters.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The matching open activities, at most <see cref="ActivityQuery.MaxResults"/>.</returns>
    ValueTask<IReadOnlyList<Activity>> FindOpenActivitiesAsync(ActivityQuery query, CancellationToken cancellationToken);

    /// <summary>Gets the ids of the users on an account's team (not including its owner).</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The team members' user ids.</returns>
    ValueTask<IReadOnlyList<string>> GetAccountTeamAsync(string accountId, CancellationToken cancellationToken);
}
