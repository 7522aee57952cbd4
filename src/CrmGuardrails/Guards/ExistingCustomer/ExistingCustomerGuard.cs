using CrmGuardrails.Matching;

namespace CrmGuardrails;

/// <summary>
/// Blocks or flags a new lead that belongs to an existing account owned by someone else; flags (never blocks) a lead
/// that belongs to an organisation kept as several accounts when it cannot be told which of them, or it is a new site.
/// </summary>
internal sealed class ExistingCustomerGuard(ExistingCustomerGuardOptions options, IRecordMatcher matcher) : ICrmGuard
{
    public string RuleId => RuleIds.ExistingCustomer;

    public bool AppliesTo(GuardContext context) => context.Request.Operation == GuardOperation.Create && context.Record is Lead;

    public async ValueTask<IReadOnlyList<GuardFinding>> EvaluateAsync(GuardContext context)
    {
        var lead = (Lead)context.Record;
        var match = await AccountMatchLookup.FindAsync(context, matcher, lead).ConfigureAwait(false);
        if (match is null || match.Score < options.FlagAtScore)
            return [];
        var account = match.Account;
        if (await AccountMatchLookup.BelongsToAccountAsync(context, account, context.ActingOwnerId).ConfigureAwait(false))
            return [];

        var ownerName = await context.Lookups.GetOwnerNameAsync(account, context.CancellationToken).ConfigureAwait(false);
        var ownerFirst = PersonName.FirstWord(ownerName);
        var standing = GuardText.AccountStanding(account.Status);
        var organisation = match.Organisation;
        var block = match.Score >= options.BlockAtScore && organisation is null;
        var message = block
            ? $"{account.DisplayName} is {standing} owned by {ownerName}. Talk to {ownerFirst} before prospecting it."
            : organisation is null
                ? $"This lead may belong to {account.DisplayName}, {standing} owned by {ownerName}. Check with {ownerFirst} before prospecting it."
                : string.Equals(organisation.Name, account.DisplayName.Trim(), StringComparison.Ordinal)
                    ? $"This lead may be a new site of {account.DisplayName}, {standing} owned by {ownerName}. Check with {ownerFirst} before prospecting it."
                    : $"This lead is part of {organisation.Name}: {account.DisplayName} is {standing} owned by {ownerName}. Check with {ownerFirst} before prospecting it.";
        return
        [
            new GuardFinding
            {
                RuleId = RuleId,
                Code = GuardCodes.ExistingCustomer,
                Verdict = block ? Verdict.Block : Verdict.Flag,
                Message = message,
                Collision = new Collision
                {
                    Record = account.Ref,
                    OwnerId = account.OwnerId,
                    OwnerName = ownerName,
                    Name = account.DisplayName,
                    Score = match.Score,
                    Evidence = match.Evidence,
                },
                NotifyUserIds = options.NotifyAccountOwner && account.OwnerId is { Length: > 0 } owner ? [owner] : [],
                MessageArguments = GuardText.Arguments(("AccountName", account.DisplayName), ("OwnerName", ownerName), ("Standing", standing), ("Organisation", organisation?.Name)),
            },
        ];
    }
}
