using System.Collections.Concurrent;
using CrmGuardrails.Matching;

namespace CrmGuardrails;

/// <summary>
/// The directory as guards see it during one check: the same questions, with users, records and account teams
/// remembered for the rest of the check so that several rules do not ask the host twice.
/// </summary>
public sealed class CrmLookups
{
    // Made on first use, small: a check asks a few records of them, mostly from one thread at a time.
    private ConcurrentDictionary<RecordRef, CrmRecord?>? _records;
    private ConcurrentDictionary<string, IReadOnlyList<string>>? _teams;
    private ConcurrentQueue<IReadOnlyList<CrmRecord>>? _remembered;

    /// <summary>Initializes a new instance of the <see cref="CrmLookups"/> class.</summary>
    /// <param name="directory">The directory to ask.</param>
    public CrmLookups(ICrmDirectory directory)
    {
        Directory = directory ?? throw new ArgumentNullException(nameof(directory));
    }

    /// <summary>Gets the directory behind these lookups.</summary>
    public ICrmDirectory Directory { get; }

    /// <summary>Gets a record, once per check.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    public async ValueTask<CrmRecord?> GetAsync(RecordRef record, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(record.Id))
            return null;
        var records = LazyInitializer.EnsureInitialized(ref _records, static () => new(concurrencyLevel: 1, capacity: 8))!;
        if (records.TryGetValue(record, out var known))
            return known;
        if (FindRemembered(record) is { } remembered)
        {
            records[record] = remembered;
            return remembered;
        }

        var found = await Directory.GetAsync(record, cancellationToken).ConfigureAwait(false);
        records[record] = found;
        if (found is not null && record.Kind == RecordKind.Unknown)
            records[found.Ref] = found;
        return found;
    }

    /// <summary>Gets a user, once per check.</summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    public async ValueTask<User?> GetUserAsync(string? userId, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(userId) ? null : await GetAsync(new RecordRef(RecordKind.User, userId!), cancellationToken).ConfigureAwait(false) as User;

    /// <summary>Gets an account's team, once per check.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The team members' ids.</returns>
    public async ValueTask<IReadOnlyList<string>> GetAccountTeamAsync(string accountId, CancellationToken cancellationToken)
    {
        var teams = Teams;
        if (teams.TryGetValue(accountId, out var team))
            return team;
        team = await Directory.GetAccountTeamAsync(accountId, cancellationToken).ConfigureAwait(false);
        teams[accountId] = team;
        return team;
    }

    /// <summary>Tells whether <paramref name="userId"/> manages <paramref name="otherUserId"/> (directly).</summary>
    /// <param name="userId">The possible manager.</param>
    /// <param name="otherUserId">The possible report.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns><see langword="true"/> when the other user's manager is <paramref name="userId"/>.</returns>
    public async ValueTask<bool> IsManagerOfAsync(string userId, string? otherUserId, CancellationToken cancellationToken)
    {
        var other = await GetUserAsync(otherUserId, cancellationToken).ConfigureAwait(false);
        return other?.ManagerId is { Length: > 0 } manager && string.Equals(manager, userId, StringComparison.Ordinal);
    }

    /// <summary>Gets the display name of a record's owner, from the record when the host sent it, else from the directory.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The owner's name, or its id when the user is unknown.</returns>
    public async ValueTask<string> GetOwnerNameAsync(CrmRecord record, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(record.OwnerName))
            return record.OwnerName!;
        var owner = await GetUserAsync(record.OwnerId, cancellationToken).ConfigureAwait(false);
        return owner?.DisplayName ?? record.OwnerId ?? "another user";
    }

    /// <summary>Remembers an account's team read with other records, so a later <see cref="GetAccountTeamAsync"/> does not ask again.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="team">The team members' ids.</param>
    internal void RememberTeam(string accountId, IReadOnlyList<string> team) => Teams.TryAdd(accountId, team);

    private ConcurrentDictionary<string, IReadOnlyList<string>> Teams =>
        LazyInitializer.EnsureInitialized(ref _teams, static () => new(concurrencyLevel: 1, capacity: 4, StringComparer.Ordinal))!;

    /// <summary>Remembers records found by a wider query, so a later <see cref="GetAsync"/> does not ask again.</summary>
    /// <param name="records">The records; kept as they are and searched only when asked (most are never asked for).</param>
    internal void Remember(IReadOnlyList<CrmRecord> records)
    {
        if (records.Count > 0)
            LazyInitializer.EnsureInitialized(ref _remembered, static () => new())!.Enqueue(records);
    }

    private CrmRecord? FindRemembered(RecordRef record)
    {
        if (Volatile.Read(ref _remembered) is not { } remembered)
            return null;
        foreach (var records in remembered)
        {
            for (var i = 0; i < records.Count; i++)
            {
                var candidate = records[i];
                if (candidate is not null && string.Equals(candidate.Id, record.Id, StringComparison.Ordinal) &&
                    (record.Kind == RecordKind.Unknown || candidate.Kind == record.Kind))
                    return candidate;
            }
        }

        return null;
    }

    /// <summary>Gets a lead's match keys, once per check: the existing-customer and duplicate-lead rules both ask for them.</summary>
    internal MatchKeys KeysOf(IRecordMatcher matcher, Lead lead)
    {
        if (Volatile.Read(ref _keys) is { } known && ReferenceEquals(known.Matcher, matcher) && ReferenceEquals(known.Lead, lead))
            return known.Keys;
        var keys = matcher is FellegiSunterMatcher shipped ? shipped.GetKeys(lead, Directory as IMatchFeatureSource) : matcher.GetKeys(lead);
        Volatile.Write(ref _keys, new KnownKeys(matcher, lead, keys));
        return keys;
    }

    private KnownKeys? _keys;

    private sealed record KnownKeys(IRecordMatcher Matcher, Lead Lead, MatchKeys Keys);
}
