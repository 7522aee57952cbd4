using CrmGuardrails.Matching;

namespace CrmGuardrails;

/// <summary>
/// Flags an outbound activity on a customer another rep is working, and blocks a second planned call or meeting
/// within the planned window (the customer would be called twice).
/// </summary>
internal sealed class RepCollisionGuard(RepCollisionGuardOptions options, IRecordMatcher matcher) : ICrmGuard
{
    public string RuleId => RuleIds.RepCollision;

    public bool AppliesTo(GuardContext context) =>
        context.Request.Operation == GuardOperation.Create && context.Record is Activity { Direction: ActivityDirection.Outbound };

    public async ValueTask<IReadOnlyList<GuardFinding>> EvaluateAsync(GuardContext context)
    {
        var activity = (Activity)context.Record;

        // Each customer is asked about with the participants that are its own: a call with people of two companies
        // collides with each company's open work under that company's name, and names another's call once.
        var customers = new List<(CrmRecord Customer, List<RecordRef> Participants)>();
        foreach (var participant in activity.Participants)
        {
            var customer = await ResolveCustomerAsync(context, participant).ConfigureAwait(false);
            if (customer is null)
                continue;
            var at = customers.FindIndex(c => c.Customer.Ref == customer.Ref);
            if (at < 0)
                customers.Add((customer, [participant]));
            else if (!customers[at].Participants.Contains(participant))
                customers[at].Participants.Add(participant);
        }

        var findings = new List<GuardFinding>();
        foreach (var (customer, participants) in customers)
        {
            foreach (var finding in await EvaluateCustomerAsync(context, activity, customer, participants).ConfigureAwait(false))
            {
                if (!findings.Any(f => f.Collision is { } c && c.Record == finding.Collision?.Record))
                    findings.Add(finding);
            }
        }

        return findings;
    }

    /// <summary>A contact resolves to its account; a lead to the account it matches, else to itself; an account to itself.</summary>
    private async ValueTask<CrmRecord?> ResolveCustomerAsync(GuardContext context, RecordRef participant)
    {
        var record = await context.Lookups.GetAsync(participant, context.CancellationToken).ConfigureAwait(false);
        switch (record)
        {
            case Account:
                return record;
            case Contact { AccountId: { Length: > 0 } accountId }:
                return await context.Lookups.GetAsync(new RecordRef(RecordKind.Account, accountId), context.CancellationToken).ConfigureAwait(false) ?? record;
            case Contact:
                return record;
            case Lead lead:
                var match = await AccountMatchLookup.FindAsync(context, matcher, lead).ConfigureAwait(false);
                // A lead that matches an organisation but none of its sites stays a lead: no one site is its customer.
                return match is { Organisation: null } && match.Score >= options.LeadToAccountScore ? match.Account : lead;
            default:
                return null;
        }
    }

    private async ValueTask<IReadOnlyList<GuardFinding>> EvaluateCustomerAsync(GuardContext context, Activity activity, CrmRecord customer, List<RecordRef> own)
    {
        var actor = context.ActingOwnerId;
        var ct = context.CancellationToken;
        IReadOnlyList<string> team = [];
        var participants = new List<RecordRef> { customer.Ref };
        if (customer is Account account)
        {
            // The account owner and its team are never in collision with their own account.
            if (await AccountMatchLookup.BelongsToAccountAsync(context, account, actor).ConfigureAwait(false))
                return [];
            team = await context.Lookups.GetAccountTeamAsync(account.Id, ct).ConfigureAwait(false);
            var contacts = await context.Lookups.Directory.FindContactsAsync(new ContactQuery { AccountIds = [account.Id] }, ct).ConfigureAwait(false);
            participants.AddRange(contacts.Select(c => c.Ref));
        }

        participants.AddRange(own.Where(p => !participants.Contains(p)));
        var open = await context.Lookups.Directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = participants }, ct).ConfigureAwait(false);

        Activity? blocking = null;
        Activity? flagging = null;
        foreach (var other in open)
        {
            if (other.Status != ActivityStatus.Open || string.Equals(other.Id, activity.Id, StringComparison.Ordinal) ||
                string.IsNullOrEmpty(other.OwnerId) || string.Equals(other.OwnerId, actor, StringComparison.Ordinal) ||
                team.Contains(other.OwnerId!, StringComparer.Ordinal) ||
                await context.Lookups.IsManagerOfAsync(actor, other.OwnerId, ct).ConfigureAwait(false))
                continue;
            if (IsDoubleBooking(activity, other))
            {
                if (blocking is null || Distance(activity, other) < Distance(activity, blocking))
                    blocking = other;
            }
            else
            {
                flagging ??= other;
            }
        }

        var findings = new List<GuardFinding>();
        if ((blocking ?? flagging) is { } colliding)
            findings.Add(await ActivityFindingAsync(context, activity, customer, colliding, blocking is not null).ConfigureAwait(false));
        else if (customer is Account { Status: AccountStatus.Customer } owned && options.FlagOtherOwnersCustomers &&
                 owned.OwnerId is { Length: > 0 } ownerId && !team.Contains(ownerId, StringComparer.Ordinal))
            findings.Add(await AccountFindingAsync(context, owned).ConfigureAwait(false));
        return findings;
    }

    private bool IsDoubleBooking(Activity activity, Activity other) =>
        activity.IsPlannedCallOrMeeting && other.IsPlannedCallOrMeeting && Distance(activity, other) <= options.PlannedWindow;

    private static TimeSpan Distance(Activity a, Activity b) => (a.ScheduledStart!.Value - b.ScheduledStart!.Value).Duration();

    private async ValueTask<GuardFinding> ActivityFindingAsync(GuardContext context, Activity activity, CrmRecord customer, Activity other, bool block)
    {
        var ownerName = await context.Lookups.GetOwnerNameAsync(other, context.CancellationToken).ConfigureAwait(false);
        var ownerFirst = PersonName.FirstWord(ownerName);
        var subject = await Redaction.VisibleSubjectAsync(context, other).ConfigureAwait(false);
        var what = ActivityText.Describe(other.Type, other.Direction);
        var when = GuardText.Date(other.ScheduledStart ?? other.CreatedOn);
        var titled = subject is null ? string.Empty : $" (\"{subject}\")";
        var message = block
            ? $"{customer.DisplayName} already has {GuardText.Article(what)} {what}{titled} planned with {ownerName} on {when}, within {GuardText.HoursPhrase(options.PlannedWindow)} of this one. Talk to {ownerFirst} before contacting them."
            : $"{customer.DisplayName} has an open {what}{titled} owned by {ownerName} ({when}). Coordinate with {ownerFirst} before contacting them.";
        return new GuardFinding
        {
            RuleId = RuleId,
            Code = GuardCodes.RepCollision,
            Verdict = block ? Verdict.Block : Verdict.Flag,
            Message = message,
            Collision = new Collision
            {
                Record = other.Ref,
                OwnerId = other.OwnerId,
                OwnerName = ownerName,
                Name = what,
                Date = other.ScheduledStart ?? other.CreatedOn,
                Subject = subject,
                Redacted = subject is null && !string.IsNullOrWhiteSpace(other.Subject),
            },
            NotifyUserIds = options.NotifyOtherOwner ? [other.OwnerId!] : [],
            MessageArguments = GuardText.Arguments(("CustomerName", customer.DisplayName), ("OwnerName", ownerName), ("ActivityType", what), ("Date", when)),
        };
    }

    private async ValueTask<GuardFinding> AccountFindingAsync(GuardContext context, Account account)
    {
        var ownerName = await context.Lookups.GetOwnerNameAsync(account, context.CancellationToken).ConfigureAwait(false);
        var ownerFirst = PersonName.FirstWord(ownerName);
        return new GuardFinding
        {
            RuleId = RuleId,
            Code = GuardCodes.RepCollision,
            Verdict = Verdict.Flag,
            Message = $"{account.DisplayName} is a customer owned by {ownerName}. Coordinate with {ownerFirst} before contacting them.",
            Collision = new Collision { Record = account.Ref, OwnerId = account.OwnerId, OwnerName = ownerName, Name = account.DisplayName },
            NotifyUserIds = options.NotifyOtherOwner ? [account.OwnerId!] : [],
            MessageArguments = GuardText.Arguments(("AccountName", account.DisplayName), ("OwnerName", ownerName)),
        };
    }
}
