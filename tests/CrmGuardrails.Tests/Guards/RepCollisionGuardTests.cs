using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Guards;

public class RepCollisionGuardTests
{
    private static readonly DateTimeOffset Meeting = Org.Now.AddDays(1);

    private static Org WithOmarMeeting(string owner = "u2", string? subject = "Discovery meeting", ActivityType type = ActivityType.Appointment) =>
        new Org().With(Org.Call("t-omar", owner, Org.Lead("l-omar"), Meeting, type: type, subject: subject));

    [Fact]
    public async Task Evaluate_PlannedCallNearAnotherUsersMeeting_Blocks()
    {
        var result = await WithOmarMeeting().CreateAsync(Org.Call("t-new", "u3", Org.Lead("l-omar"), Meeting.AddHours(-4)), "u3");

        Assert.Equal(Verdict.Block, result.Verdict);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(RuleIds.RepCollision, finding.RuleId);
        Assert.Equal("t-omar", finding.Collision!.Record.Id);
        Assert.Equal("u2", finding.Collision.OwnerId);
        Assert.Equal(["u2"], finding.NotifyUserIds);
    }

    [Theory]
    [InlineData(48 * 60, Verdict.Block)]
    [InlineData(-48 * 60, Verdict.Block)]
    [InlineData(48 * 60 + 1, Verdict.Flag)]
    [InlineData(-(48 * 60) - 1, Verdict.Flag)]
    public async Task Evaluate_PlannedWindowEdges_BlockWithin48HoursElseFlag(int minutesApart, Verdict expected)
    {
        var result = await WithOmarMeeting().CreateAsync(Org.Call("t-new", "u3", Org.Lead("l-omar"), Meeting.AddMinutes(minutesApart)), "u3");

        Assert.Equal(expected, result.Verdict);
        Assert.Equal("t-omar", result.Findings[0].Collision!.Record.Id);
    }

    [Fact]
    public async Task Evaluate_PartiesOfTwoCompanies_NameTheCompanyWhoseWorkCollides_Once()
    {
        // A call regarding Contoso's Anna with Omar, another company's lead, as a second party: Omar's meeting collides.
        var call = Org.Call("t-new", "u3", Org.Contact("c-anna"), Meeting.AddHours(-4)) with { Parties = [Org.Contact("c-anna"), Org.Lead("l-omar")] };

        var result = await WithOmarMeeting().CreateAsync(call, "u3");

        var finding = Assert.Single(result.Findings, f => f.Collision?.Record.Id == "t-omar");
        Assert.Equal(Verdict.Block, finding.Verdict);
        Assert.DoesNotContain("Contoso", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_OtherUsersOpenTask_Flags()
    {
        var result = await WithOmarMeeting(type: ActivityType.Task).CreateAsync(Org.Call("t-new", "u3", Org.Lead("l-omar"), Meeting), "u3");

        Assert.Equal(Verdict.Flag, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_EmailNextToAnotherUsersMeeting_FlagsNotBlocks()
    {
        var email = Org.Call("t-new", "u3", Org.Lead("l-omar"), Meeting, type: ActivityType.Email);

        var result = await WithOmarMeeting().CreateAsync(email, "u3");

        Assert.Equal(Verdict.Flag, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_OwnActivity_Allows()
    {
        var result = await WithOmarMeeting().CreateAsync(Org.Call("t-new", "u2", Org.Lead("l-omar"), Meeting), "u2");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_ActorOnAccountTeam_Allows()
    {
        var org = new Org().With(Org.Call("t-raj", "u3", Org.Contact("c-raj"), Meeting));

        var result = await org.CreateAsync(Org.Call("t-new", "u2", Org.Contact("c-raj"), Meeting), "u2");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_AccountOwner_Allows()
    {
        var org = new Org().With(Org.Call("t-anna", "u2", Org.Contact("c-anna"), Meeting));

        var result = await org.CreateAsync(Org.Call("t-new", "u1", Org.Contact("c-anna"), Meeting), "u1");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_ContactOfAnotherOwnersCustomer_FlagsTheAccount()
    {
        var result = await new Org().CreateAsync(Org.Call("t-new", "u2", Org.Contact("c-anna"), Meeting), "u2");

        Assert.Equal(Verdict.Flag, result.Verdict);
        Assert.Equal(new RecordRef(RecordKind.Account, "a-contoso"), result.Findings[0].Collision!.Record);
        Assert.StartsWith("Contoso Pharmaceuticals Ltd is a customer owned by Maria Lopez.", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_ProspectAccountWithoutOpenWork_Allows()
    {
        var result = await new Org().CreateAsync(Org.Call("t-new", "u1", Org.Contact("c-raj"), Meeting), "u1");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_ContactResolvesToAccount_FindsActivityOnAnotherContact()
    {
        var org = new Org().With(
            new Contact { Id = "c-ben", AccountId = "a-contoso", FirstName = "Ben", LastName = "Ng", OwnerId = "u1" },
            Org.Call("t-ben", "u3", Org.Contact("c-ben"), Meeting));

        var result = await org.CreateAsync(Org.Call("t-new", "u2", Org.Contact("c-anna"), Meeting.AddHours(2)), "u2");

        Assert.Equal(Verdict.Block, result.Verdict);
        Assert.Equal("t-ben", result.Findings[0].Collision!.Record.Id);
    }

    [Fact]
    public async Task Evaluate_ManagerOfOtherOwner_NotInCollision()
    {
        // u2 manages u4.
        var result = await WithOmarMeeting(owner: "u4").CreateAsync(Org.Call("t-new", "u2", Org.Lead("l-omar"), Meeting), "u2");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_InboundActivity_NotEvaluated()
    {
        var inbound = Org.Call("t-new", "u3", Org.Lead("l-omar"), Meeting, direction: ActivityDirection.Inbound);

        var result = await WithOmarMeeting().CreateAsync(inbound, "u3");

        Assert.DoesNotContain(RuleIds.RepCollision, result.Rules);
    }

    [Fact]
    public async Task Evaluate_CompletedCallThatWouldBlock_IsOnlyFlagged()
    {
        var history = Org.Call("t-new", "u3", Org.Lead("l-omar"), Meeting, status: ActivityStatus.Completed);

        var result = await WithOmarMeeting().CreateAsync(history, "u3");

        Assert.Equal(Verdict.Flag, result.Verdict);
        Assert.Equal(RuleIds.RepCollision, result.Findings[0].RuleId);
    }

    [Fact]
    public async Task Evaluate_OtherUsersSubject_IsRedacted()
    {
        var result = await WithOmarMeeting(subject: "Pricing: 30% discount").CreateAsync(Org.Call("t-new", "u3", Org.Lead("l-omar"), Meeting), "u3");

        var collision = result.Findings[0].Collision!;
        Assert.Null(collision.Subject);
        Assert.True(collision.Redacted);
        Assert.DoesNotContain("discount", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_RedactionOff_ShowsSubject()
    {
        var result = await WithOmarMeeting(subject: "Pricing talk").CreateAsync(Org.Call("t-new", "u3", Org.Lead("l-omar"), Meeting), "u3", o => o.Redaction = false);

        Assert.Equal("Pricing talk", result.Findings[0].Collision!.Subject);
        Assert.Contains("\"Pricing talk\"", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_SkipLevelManager_DoesNotSeeSubject()
    {
        // u4 reports to u2, who reports to u5: u5 is not u4's manager, so u5 neither is exempt nor reads the subject.
        var org = new Org().With(Org.Call("t-k", "u4", Org.Contact("c-anna"), Meeting, subject: "Renewal"));

        var result = await org.CreateAsync(Org.Call("t-new", "u5", Org.Contact("c-anna"), Meeting.AddDays(5)), "u5");

        Assert.Equal(Verdict.Flag, result.Verdict);
        Assert.Equal("t-k", result.Findings[0].Collision!.Record.Id);
        Assert.Null(result.Findings[0].Collision!.Subject);
    }

    [Fact]
    public async Task Evaluate_OtherOwnerOnAccountTeam_IsNotACollision()
    {
        // The policy counts open activities of users "not on the customer's account team".
        var org = new Org().With(Org.Call("t-raj", "u2", Org.Contact("c-raj"), Meeting));

        var result = await org.CreateAsync(Org.Call("t-new", "u1", Org.Contact("c-raj"), Meeting), "u1");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }
}
