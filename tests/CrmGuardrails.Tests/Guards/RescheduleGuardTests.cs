using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Guards;

public class RescheduleGuardTests
{
    private static readonly DateTimeOffset Start = Org.Now.AddDays(3);

    private static Org WithMeeting(int moves = 0, ActivityType type = ActivityType.Appointment, DateTimeOffset? start = null) =>
        new Org().With(Org.Call("t-m", "u2", Org.Lead("l-omar"), start ?? Start, type: type) with { RescheduleCount = moves });

    [Fact]
    public async Task Evaluate_FirstMove_Allows()
    {
        var result = await WithMeeting().UpdateAsync("t-m", a => a with { ScheduledStart = Start.AddDays(1) }, "u2");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_SecondMove_FlagsNamingTheActivityAndTellsManager()
    {
        var result = await WithMeeting(moves: 1).UpdateAsync("t-m", a => a with { ScheduledStart = Start.AddDays(1) }, "u2");

        Assert.Equal(Verdict.Flag, result.Verdict);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(RuleIds.Reschedule, finding.RuleId);
        Assert.Equal(new RecordRef(RecordKind.Activity, "t-m"), finding.Collision!.Record);
        Assert.Equal(["u5"], finding.NotifyUserIds);
        Assert.Equal("This appointment has now been moved 2 times. Chris Moore will be told.", finding.Message);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MaxValue - 1)]
    public async Task Evaluate_StoredCountAtTheLimit_StillFlags(int moves)
    {
        // A count the CRM holds may be anything: it must not wrap negative and lose the flag.
        var result = await WithMeeting(moves: moves).UpdateAsync("t-m", a => a with { ScheduledStart = Start.AddDays(1) }, "u2");

        Assert.Equal(Verdict.Flag, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_NegativeStoredCount_ReadsAsNone()
    {
        var result = await WithMeeting(moves: -5).UpdateAsync("t-m", a => a with { ScheduledStart = Start.AddDays(1) }, "u2");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Theory]
    [InlineData(23 * 60 + 59, Verdict.Flag)]
    [InlineData(24 * 60, Verdict.Allow)]
    public async Task Evaluate_MoveNearTheStart_FlagsUnder24Hours(int minutesBeforeStart, Verdict expected)
    {
        var start = Org.Now.AddMinutes(minutesBeforeStart);

        var result = await WithMeeting(start: start).UpdateAsync("t-m", a => a with { ScheduledStart = start.AddDays(2) }, "u2");

        Assert.Equal(expected, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_MovedIntoTheNext24Hours_Flags()
    {
        var result = await WithMeeting().UpdateAsync("t-m", a => a with { ScheduledStart = Org.Now.AddHours(2) }, "u2");

        Assert.Equal(Verdict.Flag, result.Verdict);
        Assert.Contains("less than 24 hours before it starts", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_HandOffTwentyMinutesBefore_Flags()
    {
        var start = Org.Now.AddMinutes(20);

        var result = await WithMeeting(start: start).UpdateAsync("t-m", a => a with { OwnerId = "u3" }, "u2");

        Assert.Equal(Verdict.Flag, result.Verdict);
        Assert.Equal("This appointment was handed to Ade Bello less than 24 hours before it starts. Chris Moore will be told.", result.Message);
    }

    [Fact]
    public async Task Evaluate_HandOffToAnotherTeam_TellsBothManagers()
    {
        var start = Org.Now.AddHours(2);

        // u2 (managed by u5) hands the meeting to u4 (managed by u2).
        var result = await WithMeeting(start: start).UpdateAsync("t-m", a => a with { OwnerId = "u4" }, "u2");

        Assert.Equal(["u2", "u5"], result.Findings[0].NotifyUserIds);
    }

    [Fact]
    public async Task Evaluate_HandOffDaysAhead_Allows()
    {
        var result = await WithMeeting().UpdateAsync("t-m", a => a with { OwnerId = "u3" }, "u2");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_Task_NotEvaluated()
    {
        var result = await WithMeeting(moves: 5, type: ActivityType.Task).UpdateAsync("t-m", a => a with { ScheduledStart = Start.AddDays(1) }, "u2");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_SubjectChangeOnly_Allows()
    {
        var result = await WithMeeting(moves: 3).UpdateAsync("t-m", a => a with { Subject = "New title" }, "u2");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_NoPreviousInRequest_ReadsItFromTheDirectory()
    {
        var org = WithMeeting(moves: 1);
        var before = (Activity)org.Directory.Find("t-m")!;
        var request = new GuardRequest { Operation = GuardOperation.Update, Record = before with { ScheduledStart = Start.AddDays(1), RescheduleCount = 2 }, UserId = "u2", OccurredAt = Org.Now };

        var result = await org.Pipeline().EvaluateAsync(request);

        Assert.Equal(Verdict.Flag, result.Verdict);
    }
}
