namespace CrmGuardrails;

/// <summary>Flags an inbound activity when the same party has an open inbound activity on another channel in the window.</summary>
internal sealed class ChannelFanoutGuard(ChannelFanoutGuardOptions options) : ICrmGuard
{
    public string RuleId => RuleIds.ChannelFanout;

    public bool AppliesTo(GuardContext context) =>
        context.Request.Operation == GuardOperation.Create && context.Record is Activity { Direction: ActivityDirection.Inbound } activity &&
        IsChannel(activity.Type) && activity.Participants.Any();

    /// <summary>The people an activity names (contacts and leads, as regarding record or party).</summary>
    private static HashSet<string> PeopleOf(Activity activity) =>
        new(activity.Participants.Where(p => p.Kind is RecordKind.Contact or RecordKind.Lead).Select(p => p.Id), StringComparer.Ordinal);

    /// <summary>The channels a customer reaches out on; tasks and appointments are not channels.</summary>
    private static bool IsChannel(ActivityType type) =>
        type is ActivityType.Voicemail or ActivityType.PhoneCall or ActivityType.Email or ActivityType.Chat or ActivityType.Sms;

    public async ValueTask<IReadOnlyList<GuardFinding>> EvaluateAsync(GuardContext context)
    {
        var activity = (Activity)context.Record;
        var since = context.Now - options.Window;
        var query = new ActivityQuery { Participants = activity.Participants.ToList(), Direction = ActivityDirection.Inbound, CreatedOnOrAfter = since };
        var open = await context.Lookups.Directory.FindOpenActivitiesAsync(query, context.CancellationToken).ConfigureAwait(false);

        // The earliest open inbound activity on another channel starts the conversation the new one belongs to. Two
        // activities that each name people, and none in common, are two people of one company, not one conversation.
        var people = PeopleOf(activity);
        var earlier = open
            .Where(other => other.Status == ActivityStatus.Open && other.Direction == ActivityDirection.Inbound &&
                            other.Type != activity.Type && IsChannel(other.Type) && !string.Equals(other.Id, activity.Id, StringComparison.Ordinal) &&
                            Started(other) is { } started && started >= since && started <= context.Now &&
                            (people.Count == 0 || PeopleOf(other) is not { Count: > 0 } theirs || theirs.Overlaps(people)))
            .OrderBy(other => Started(other))
            .FirstOrDefault();
        if (earlier is null)
            return [];

        var party = await PartyNameAsync(context, activity).ConfigureAwait(false);
        var ownerName = await context.Lookups.GetOwnerNameAsync(earlier, context.CancellationToken).ConfigureAwait(false);
        var subject = await Redaction.VisibleSubjectAsync(context, earlier).ConfigureAwait(false);
        var what = ActivityText.Describe(earlier.Type);
        var ago = GuardText.HoursPhrase(context.Now - Started(earlier)!.Value);
        return
        [
            new GuardFinding
            {
                RuleId = RuleId,
                Code = GuardCodes.ChannelFanout,
                Verdict = Verdict.Flag,
                Message = $"{party} already reached out by {what} {ago} ago (owned by {ownerName}); this {ActivityText.Describe(activity.Type)} is linked to it as the same conversation.",
                Collision = new Collision
                {
                    Record = earlier.Ref,
                    OwnerId = earlier.OwnerId,
                    OwnerName = ownerName,
                    Name = what,
                    Date = Started(earlier),
                    Subject = subject,
                    Redacted = subject is null && !string.IsNullOrWhiteSpace(earlier.Subject),
                },
                NotifyUserIds = options.NotifyOtherOwner && earlier.OwnerId is { Length: > 0 } owner && owner != context.ActingOwnerId ? [owner] : [],
                MessageArguments = GuardText.Arguments(("PartyName", party), ("Channel", what), ("OwnerName", ownerName), ("HoursAgo", ago)),
            },
        ];
    }

    private static DateTimeOffset? Started(Activity activity) => activity.CreatedOn ?? activity.ScheduledStart;

    private static async ValueTask<string> PartyNameAsync(GuardContext context, Activity activity)
    {
        var first = activity.Participants.First();
        var record = await context.Lookups.GetAsync(first, context.CancellationToken).ConfigureAwait(false);
        return record?.DisplayName ?? "This customer";
    }
}
