using CrmGuardrails.Testing.Internal;

namespace CrmGuardrails.Testing;

/// <summary>FindOpenActivitiesAsync: open activities regarding, or with as a party, some records.</summary>
public abstract partial class CrmDirectoryContract
{
    private static readonly DateTimeOffset MidFebruary = new(2025, 2, 15, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Activities regarding a record are found open, with their type, regarding record and parties; completed ones never.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindOpenActivitiesAsync_ByRegarding_FindsOpenActivitiesOnly()
    {
        var expect = new Expect();
        var found = await Directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [Org.RobertsWright.Ref] }, CancellationToken.None);
        var question = "Open activities regarding Roberts & Wright";
        expect.Contains(found, Org.OpenCall, question);
        expect.Lacks(found, Org.CompletedCall, question, "a completed activity");
        ExpectOpen(expect, found, question);
        if (found.FirstOrDefault(a => Expect.SameId(a.Id, Org.OpenCall.Id)) is { } call)
        {
            expect.Equal(ActivityType.PhoneCall, call.Type, $"{question}: the call's Type");
            expect.Equal(ActivityDirection.Outbound, call.Direction, $"{question}: the call's Direction");
            expect.True(Expect.SameRef(call.Regarding, Org.RobertsWright.Ref), $"{question}: the call's Regarding: expected {Org.RobertsWright.Ref}, got {call.Regarding?.ToString() ?? "null"}.");
            expect.True(call.Parties.Any(p => Expect.SameRef(p, Org.JaneDoe.Ref)), $"{question}: the call's Parties: expected {Org.JaneDoe.Ref} among them, got [{string.Join(", ", call.Parties)}].");
            expect.True(Expect.SameId(call.OwnerId, Org.OpenCall.OwnerId), $"{question}: the call's OwnerId: expected {Org.OpenCall.OwnerId}, got {call.OwnerId ?? "null"}.");
        }

        expect.Verify();
    }

    /// <summary>Activities with a record as a party are found, whether or not they regard it; canceled ones never.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindOpenActivitiesAsync_ByParty_FindsActivitiesWithTheParty()
    {
        var expect = new Expect();
        var found = await Directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [Org.SamLee.Ref] }, CancellationToken.None);
        var question = "Open activities with Sam Lee";
        expect.Contains(found, Org.InboundEmail, question);
        expect.Contains(found, Org.OldMeeting, question);
        expect.Lacks(found, Org.OpenCall, question, "an activity of another customer");
        ExpectOpen(expect, found, question);

        var cascade = await Directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [Org.CascadeCoffee.Ref] }, CancellationToken.None);
        question = "Open activities regarding Cascade Coffee";
        expect.Contains(cascade, Org.OldMeeting, question);
        expect.Lacks(cascade, Org.CanceledTask, question, "a canceled activity");
        ExpectOpen(expect, cascade, question);
        expect.Verify();
    }

    /// <summary>A direction keeps only the activities of that direction.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindOpenActivitiesAsync_Direction_KeepsThatDirectionOnly()
    {
        var expect = new Expect();
        var participants = new[] { Org.SamLee.Ref, Org.RobertsWright.Ref };
        var inbound = await Directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = participants, Direction = ActivityDirection.Inbound }, CancellationToken.None);
        var outbound = await Directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = participants, Direction = ActivityDirection.Outbound }, CancellationToken.None);

        expect.Contains(inbound, Org.InboundEmail, "Inbound open activities with Sam Lee or Roberts & Wright");
        expect.Lacks(inbound, Org.OpenCall, "Inbound open activities with Sam Lee or Roberts & Wright", "an outbound call");
        expect.Lacks(inbound, Org.OldMeeting, "Inbound open activities with Sam Lee or Roberts & Wright", "an outbound meeting");
        expect.Contains(outbound, Org.OpenCall, "Outbound open activities with Sam Lee or Roberts & Wright");
        expect.Contains(outbound, Org.OldMeeting, "Outbound open activities with Sam Lee or Roberts & Wright");
        expect.Lacks(outbound, Org.InboundEmail, "Outbound open activities with Sam Lee or Roberts & Wright", "an inbound email");
        foreach (var activity in inbound)
            expect.True(activity.Direction == ActivityDirection.Inbound, $"Inbound open activities: {Expect.Describe(activity)} is {activity.Direction}.");
        foreach (var activity in outbound)
            expect.True(activity.Direction == ActivityDirection.Outbound, $"Outbound open activities: {Expect.Describe(activity)} is {activity.Direction}.");
        expect.Verify();
    }

    /// <summary>An earliest creation time leaves out the activities created before it.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindOpenActivitiesAsync_CreatedOnOrAfter_LeavesOutOlderActivities()
    {
        var expect = new Expect();
        var found = await Directory.FindOpenActivitiesAsync(
            new ActivityQuery { Participants = [Org.CascadeCoffee.Ref, Org.SamLee.Ref], CreatedOnOrAfter = MidFebruary },
            CancellationToken.None);
        var question = "Open activities with Cascade Coffee or Sam Lee created on or after 2025-02-15";
        expect.Contains(found, Org.InboundEmail, question);
        expect.Lacks(found, Org.OldMeeting, question, "created on 2025-01-05");
        ExpectOpen(expect, found, question);
        expect.Verify();
    }

    /// <summary>No more activities than <see cref="ActivityQuery.MaxResults"/>.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindOpenActivitiesAsync_MaxResults_IsHonoured()
    {
        var expect = new Expect();
        var found = await Directory.FindOpenActivitiesAsync(
            new ActivityQuery { Participants = [Org.RobertsWright.Ref, Org.SamLee.Ref, Org.CascadeCoffee.Ref], MaxResults = 1 },
            CancellationToken.None);
        expect.True(found.Count == 1, $"Open activities with Roberts & Wright, Sam Lee or Cascade Coffee, MaxResults = 1: expected one (there are three), got {Expect.Describe(found)}.");
        expect.Verify();
    }

    /// <summary>No participants, unknown records or malformed ids find no activity, and never throw.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindOpenActivitiesAsync_NoOrUnknownParticipants_FindNothing()
    {
        var expect = new Expect();
        var questions = new IReadOnlyList<RecordRef>[]
        {
            [],
            [new RecordRef(RecordKind.Account, Guid.NewGuid().ToString("D"))],
            [new RecordRef(RecordKind.Contact, "not-a-guid"), new RecordRef(RecordKind.Lead, string.Empty), new RecordRef(RecordKind.Account, "' or 1 eq 1 or name eq '")],
        };
        foreach (var participants in questions)
        {
            var found = await Directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = participants }, CancellationToken.None);
            expect.True(found.Count == 0, $"Open activities with [{string.Join(", ", participants)}]: expected none, got {Expect.Describe(found)}.");
        }

        expect.Verify();
    }

    private static void ExpectOpen(Expect expect, IReadOnlyList<Activity> found, string question)
    {
        foreach (var activity in found)
            expect.True(activity.Status == ActivityStatus.Open, $"{question}: {Expect.Describe(activity)} is {activity.Status}, not open.");
    }
}
