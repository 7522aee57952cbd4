namespace CrmGuardrails;

/// <summary>Flags a planned call or meeting moved for the second time or more, or moved or handed over at the last minute.</summary>
internal sealed class RescheduleGuard(RescheduleGuardOptions options) : ICrmGuard
{
    public string RuleId => RuleIds.Reschedule;

    public bool AppliesTo(GuardContext context) =>
        context.Request.Operation == GuardOperation.Update &&
        context.Record is Activity { Status: ActivityStatus.Open, Type: ActivityType.Appointment or ActivityType.PhoneCall };

    public async ValueTask<IReadOnlyList<GuardFinding>> EvaluateAsync(GuardContext context)
    {
        var updated = (Activity)context.Record;
        // The pipeline has read the previous record when the host did not send it; a host after the save may have none.
        if (context.Request.Previous is not Activity previous)
            return [];

        var moved = previous.ScheduledStart is { } before && updated.ScheduledStart is { } after && before != after;
        var handedOver = !string.Equals(previous.OwnerId ?? string.Empty, updated.OwnerId ?? string.Empty, StringComparison.Ordinal);
        if (!moved && !handedOver)
            return [];

        var moves = RescheduleCounting.After(previous.RescheduleCount, moved);
        var nearestStart = moved ? Min(previous.ScheduledStart!.Value, updated.ScheduledStart!.Value) : updated.ScheduledStart ?? previous.ScheduledStart;
        var lastMinute = nearestStart is { } start && start - context.Now < options.LastMinuteWindow;
        var repeated = moved && moves >= options.FlagFromMove;
        if (!repeated && !lastMinute)
            return [];

        var owner = await context.Lookups.GetUserAsync(updated.OwnerId, context.CancellationToken).ConfigureAwait(false);
        var manager = await context.Lookups.GetUserAsync(owner?.ManagerId, context.CancellationToken).ConfigureAwait(false);
        var managers = new List<string>();
        if (manager is not null)
            managers.Add(manager.Id);
        if (handedOver && await context.Lookups.GetUserAsync(previous.OwnerId, context.CancellationToken).ConfigureAwait(false) is { ManagerId: { Length: > 0 } previousManager } &&
            !managers.Contains(previousManager))
            managers.Add(previousManager); // a hand-off concerns the manager of the rep who gave the meeting away too
        var what = ActivityText.Describe(updated.Type);
        var reasons = new List<string>();
        if (repeated)
            reasons.Add($"has now been moved {moves} times");
        if (lastMinute && moved)
            reasons.Add($"was moved less than {GuardText.HoursPhrase(options.LastMinuteWindow)} before it starts");
        if (lastMinute && handedOver)
        {
            var newOwner = owner?.DisplayName ?? updated.OwnerId ?? "another user";
            reasons.Add($"was handed to {newOwner} less than {GuardText.HoursPhrase(options.LastMinuteWindow)} before it starts");
        }

        var told = manager is null ? string.Empty : $" {manager.DisplayName} will be told.";
        return
        [
            new GuardFinding
            {
                RuleId = RuleId,
                Code = GuardCodes.Reschedule,
                Verdict = Verdict.Flag,
                Message = $"This {what} {string.Join(" and ", reasons)}.{told}",
                Collision = new Collision
                {
                    Record = updated.Ref,
                    OwnerId = updated.OwnerId,
                    OwnerName = owner?.DisplayName,
                    Name = what,
                    Date = updated.ScheduledStart,
                },
                NotifyUserIds = options.NotifyManager ? managers : [],
                MessageArguments = GuardText.Arguments(("ActivityType", what), ("Moves", moves.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("ManagerName", manager?.DisplayName)),
            },
        ];
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
