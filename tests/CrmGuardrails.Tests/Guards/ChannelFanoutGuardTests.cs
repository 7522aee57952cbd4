using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Guards;

public class ChannelFanoutGuardTests
{
    private static Org WithChat(TimeSpan ago, string owner = "u1", ActivityStatus status = ActivityStatus.Open, string? subject = "Website chat") =>
        new Org().With(Org.Call("t-chat", owner, Org.Contact("c-anna"), null, ActivityDirection.Inbound, ActivityType.Chat, status, subject) with { CreatedOn = Org.Now - ago });

    private static Activity InboundEmail => Org.Call("t-mail", "u1", Org.Contact("c-anna"), Org.Now, ActivityDirection.Inbound, ActivityType.Email);

    [Fact]
    public async Task Evaluate_SecondChannelWithin24Hours_FlagsAndLinks()
    {
        var result = await WithChat(TimeSpan.FromMinutes(90)).CreateAsync(InboundEmail, "u1");

        Assert.Equal(Verdict.Flag, result.Verdict);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(RuleIds.ChannelFanout, finding.RuleId);
        Assert.Equal("t-chat", finding.Collision!.Record.Id);
        Assert.StartsWith("Anna Kowalski already reached out by chat 1.5 hours ago", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(24 * 60, Verdict.Flag)]
    [InlineData(24 * 60 + 1, Verdict.Allow)]
    public async Task Evaluate_WindowEdge_24HoursInclusive(int minutesAgo, Verdict expected)
    {
        var result = await WithChat(TimeSpan.FromMinutes(minutesAgo)).CreateAsync(InboundEmail, "u1");

        Assert.Equal(expected, result.Verdict);
    }

    [Theory]
    [InlineData("c-ben", Verdict.Allow)]
    [InlineData("c-anna", Verdict.Flag)]
    public async Task Evaluate_RegardingTheAccount_OnePersonIsOneConversationAndTwoAreTwo(string earlierParty, Verdict expected)
    {
        var ben = new Contact { Id = "c-ben", AccountId = "a-contoso", FirstName = "Ben", LastName = "Ode", OwnerId = "u1" };
        var voicemail = Org.Call("t-vm", "u2", Org.Account("a-contoso"), null, ActivityDirection.Inbound, ActivityType.Voicemail) with { Parties = [Org.Contact(earlierParty)], CreatedOn = Org.Now - TimeSpan.FromHours(1) };
        var email = Org.Call("t-mail", "u1", Org.Account("a-contoso"), Org.Now, ActivityDirection.Inbound, ActivityType.Email) with { Parties = [Org.Contact("c-anna")] };

        var result = await new Org().With(ben, voicemail).CreateAsync(email, "u1");

        Assert.Equal(expected, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_SameChannel_Allows()
    {
        var result = await WithChat(TimeSpan.FromHours(1)).CreateAsync(InboundEmail with { Type = ActivityType.Chat }, "u1");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_EarlierInboundTaskIsNotAChannel_Allows()
    {
        var org = new Org().With(Org.Call("t-task", "u1", Org.Contact("c-anna"), null, ActivityDirection.Inbound, ActivityType.Task) with { CreatedOn = Org.Now.AddHours(-1) });

        var result = await org.CreateAsync(InboundEmail, "u1");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_EarlierActivityCompleted_Allows()
    {
        var result = await WithChat(TimeSpan.FromHours(1), status: ActivityStatus.Completed).CreateAsync(InboundEmail, "u1");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_OutboundActivity_NotEvaluated()
    {
        var result = await WithChat(TimeSpan.FromHours(1)).CreateAsync(InboundEmail with { Direction = ActivityDirection.Outbound }, "u1");

        Assert.DoesNotContain(RuleIds.ChannelFanout, result.Rules);
    }

    [Fact]
    public async Task Evaluate_ThreeChannels_LinksToTheEarliest()
    {
        var org = WithChat(TimeSpan.FromHours(3)).With(
            Org.Call("t-vm", "u2", Org.Contact("c-anna"), null, ActivityDirection.Inbound, ActivityType.Voicemail) with { CreatedOn = Org.Now.AddHours(-1) });

        var result = await org.CreateAsync(InboundEmail, "u1");

        Assert.Equal("t-chat", result.Findings[0].Collision!.Record.Id);
    }

    [Fact]
    public async Task Evaluate_ManagerOfEarlierOwner_SeesSubject_OthersDoNot()
    {
        // The chat is u3's; u5 manages u3, u2 does not.
        var org = WithChat(TimeSpan.FromHours(1), owner: "u3", subject: "Complaint about invoice");

        var manager = await org.CreateAsync(InboundEmail with { OwnerId = "u5" }, "u5");
        var colleague = await org.CreateAsync(InboundEmail with { OwnerId = "u2" }, "u2");
        var owner = await org.CreateAsync(InboundEmail with { OwnerId = "u3" }, "u3");

        Assert.Equal("Complaint about invoice", manager.Findings[0].Collision!.Subject);
        Assert.Null(colleague.Findings[0].Collision!.Subject);
        Assert.True(colleague.Findings[0].Collision!.Redacted);
        Assert.Equal("Complaint about invoice", owner.Findings[0].Collision!.Subject);
        Assert.DoesNotContain("invoice", colleague.Message, StringComparison.Ordinal);
    }
}
