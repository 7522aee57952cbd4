using CrmGuardrails.Matching;

namespace CrmGuardrails;

/// <summary>Finds the account a lead belongs to, with two directory questions: contacts sharing its keys, then candidate accounts.</summary>
internal static class AccountMatchLookup
{
    public static async ValueTask<AccountMatch?> FindAsync(GuardContext context, IRecordMatcher matcher, Lead lead)
    {
        var keys = matcher.GetKeys(lead);
        if (keys.IsEmpty)
            return null;
        var contactQuery = new ContactQuery { Emails = keys.Emails, EmailDomains = keys.Domains, Phones = keys.Phones };
        var contacts = contactQuery.IsEmpty
            ? []
            : await context.Lookups.Directory.FindContactsAsync(contactQuery, context.CancellationToken).ConfigureAwait(false);
        var contactAccounts = contacts.Select(c => c.AccountId).OfType<string>().Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var accounts = await context.Lookups.Directory
            .FindAccountsAsync(new AccountQuery { Keys = keys, Ids = contactAccounts }, context.CancellationToken)
            .ConfigureAwait(false);
        foreach (var account in accounts)
            context.Lookups.Remember(account);
        if (accounts.Count == 0)
            return null;

        // The embedded directory lends the features it already holds; the decision is the same either way.
        return matcher is FellegiSunterMatcher shipped
            ? shipped.MatchAccount(lead, accounts, contacts, context.Lookups.Directory as IMatchFeatureSource)
            : matcher.MatchAccount(lead, accounts, contacts);
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
