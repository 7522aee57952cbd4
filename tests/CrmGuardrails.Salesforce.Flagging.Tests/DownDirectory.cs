namespace CrmGuardrails.Salesforce.Flagging.Tests;

/// <summary>An org that answers nothing (down or throttling): every lookup fails as the REST directory reports it.</summary>
internal sealed class DownDirectory : ICrmDirectory
{
    public ValueTask<CrmRecord?> GetAsync(RecordRef record, CancellationToken cancellationToken) => Fail<CrmRecord?>();

    public ValueTask<MatchCandidates> FindMatchCandidatesAsync(MatchCandidateQuery query, CancellationToken cancellationToken) => Fail<MatchCandidates>();

    public ValueTask<IReadOnlyList<Contact>> FindContactsAsync(ContactQuery query, CancellationToken cancellationToken) => Fail<IReadOnlyList<Contact>>();

    public ValueTask<IReadOnlyList<Lead>> FindOpenLeadsAsync(LeadQuery query, CancellationToken cancellationToken) => Fail<IReadOnlyList<Lead>>();

    public ValueTask<IReadOnlyList<Activity>> FindOpenActivitiesAsync(ActivityQuery query, CancellationToken cancellationToken) => Fail<IReadOnlyList<Activity>>();

    public ValueTask<IReadOnlyList<string>> GetAccountTeamAsync(string accountId, CancellationToken cancellationToken) => Fail<IReadOnlyList<string>>();

    private static ValueTask<T> Fail<T>() => ValueTask.FromException<T>(new CrmDirectoryException("503 Service Unavailable: the org is down."));
}
