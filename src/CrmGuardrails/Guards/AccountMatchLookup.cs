using CrmGuardrails.Matching;

namespace CrmGuardrails;

/// <summary>Finds the account a lead belongs to: one directory question for the candidates, then the matcher's decision.</summary>
internal static class AccountMatchLookup
{
    public static async ValueTask<AccountMatch?> FindAsync(GuardContext context, IRecordMatcher matcher, Lead lead)
    {
        var keys = context.Lookups.KeysOf(matcher, lead);
        if (keys.IsEmpty)
            return null;
        var candidates = await context.Lookups.Directory
            .FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = keys }, context.CancellationToken)
            .ConfigureAwait(false);
        context.Lookups.Remember(candidates.Accounts);
        foreach (var team in candidates.AccountTeams ?? new Dictionary<string, IReadOnlyList<string>>())
            context.Lookups.RememberTeam(team.Key, team.Value);
        if (candidates.Accounts.Count == 0)
            return null;

        // The embedded directory lends the features it already holds; the decision is the same either way.
        return matcher is FellegiSunterMatcher shipped
            ? shipped.MatchAccount(lead, candidates.Accounts, candidates.Contacts, context.Lookups.Directory as IMatchFeatureSource)
            : matcher.MatchAccount(lead, candidates.Accounts, candidates.Contacts);
    }

    /// <summary>Tells whether a user is the account's owner or on its team (they are never in collision with it).</summary>
    public static async ValueTask<bool> BelongsToAccountAsync(GuardContext context, Account account, string userId)
    {
        if (string.Equals(account.OwnerId, userId, StringComparison.Ordinal))
            return true;
        var team = await context.Lookups.GetAccountTeamAsync(account.Id, context.CancellationToken).ConfigureAwait(false);
        return team.Contains(userId, StringComparer.Ordinal);
    }
}
