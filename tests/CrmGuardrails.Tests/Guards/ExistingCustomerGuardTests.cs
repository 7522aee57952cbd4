using CrmGuardrails.Matching;
using CrmGuardrails.Notifications;
using CrmGuardrails.Tests.TestSupport;
using Moq;

namespace CrmGuardrails.Tests.Guards;

public class ExistingCustomerGuardTests
{
    private static readonly Lead ContosoLead = new() { FirstName = "Tom", LastName = "Reed", Company = "CONTOSO PHARMACEUTICALS", Email = "tom.reed@contoso-pharma.co.uk" };

    [Fact]
    public async Task Evaluate_LeadOfAnotherOwnersCustomer_BlocksNamingAccountAndOwner()
    {
        var result = await new Org().CreateAsync(ContosoLead with { Id = "l-new", OwnerId = "u2" }, "u2");

        Assert.Equal(Verdict.Block, result.Verdict);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(RuleIds.ExistingCustomer, finding.RuleId);
        Assert.Equal(GuardCodes.ExistingCustomer, finding.Code);
        Assert.Equal(new RecordRef(RecordKind.Account, "a-contoso"), finding.Collision!.Record);
        Assert.Equal("u1", finding.Collision.OwnerId);
        Assert.NotEmpty(finding.Collision.Evidence);
        Assert.Equal("Contoso Pharmaceuticals Ltd is an existing customer owned by Maria Lopez. Talk to Maria before prospecting it.", finding.Message);
        Assert.Equal(["u1"], finding.NotifyUserIds);
    }

    [Fact]
    public async Task Evaluate_LeadOwnedByAccountOwner_Allows()
    {
        var result = await new Org().CreateAsync(ContosoLead with { Id = "l-new" }, "u1");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_LeadOwnerOnAccountTeam_Allows()
    {
        var litware = new Lead { Id = "l-new", FirstName = "Sue", LastName = "Lee", Company = "Litware Inc", Email = "sue@litware.com" };

        var teamMember = await new Org().CreateAsync(litware, "u2");
        var outsider = await new Org().CreateAsync(litware, "u1");

        Assert.Equal(Verdict.Allow, teamMember.Verdict);
        Assert.Equal(Verdict.Block, outsider.Verdict);
        Assert.Equal("a-litware", outsider.Findings[0].Collision!.Record.Id);
        Assert.Contains("is a prospect owned by Ade Bello", outsider.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_LeadNamesAnOwnerExplicitly_UsesThatOwnerForExemption()
    {
        // u2 saves a lead on behalf of the account owner u1: the owner, not the saver, decides the exemption.
        var result = await new Org().CreateAsync(ContosoLead with { Id = "l-new", OwnerId = "u1" }, "u2");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_NewCompanyWithFreeMail_Allows()
    {
        var result = await new Org().CreateAsync(new Lead { Id = "l-new", FirstName = "Lena", LastName = "Voss", Company = "Wingtip Toys", Email = "lena.voss@gmail.com" }, "u1");

        Assert.Equal(Verdict.Allow, result.Verdict);
        Assert.Empty(result.Findings);
    }

    [Theory]
    [InlineData(1.0, Verdict.Block)]
    [InlineData(MatchScoreBands.Block, Verdict.Block)]
    [InlineData(MatchScoreBands.Block - 0.001, Verdict.Flag)]
    [InlineData(MatchScoreBands.Flag, Verdict.Flag)]
    [InlineData(MatchScoreBands.Flag - 0.001, Verdict.Allow)]
    public async Task Evaluate_ScoreBands_DecideBlockFlagAllow(double score, Verdict expected)
    {
        var org = new Org();
        var account = (Account)org.Directory.Find("a-contoso")!;
        var matcher = new Mock<IRecordMatcher>();
        matcher.Setup(m => m.GetKeys(It.IsAny<Lead>())).Returns(new MatchKeys { NameKeys = ["contoso pharmaceuticals"], NormalizedName = "contoso pharmaceuticals" });
        matcher.Setup(m => m.MatchAccount(It.IsAny<Lead>(), It.IsAny<IReadOnlyList<Account>>(), It.IsAny<IReadOnlyList<Contact>>()))
            .Returns(new AccountMatch(account, score, [new MatchEvidence("name", "same", 5)]));
        var directory = new Mock<ICrmDirectory>();
        directory.Setup(d => d.FindMatchCandidatesAsync(It.IsAny<MatchCandidateQuery>(), It.IsAny<CancellationToken>())).ReturnsAsync(new MatchCandidates([account], []));
        directory.Setup(d => d.GetAccountTeamAsync("a-contoso", It.IsAny<CancellationToken>())).ReturnsAsync([]);
        directory.Setup(d => d.GetAsync(It.IsAny<RecordRef>(), It.IsAny<CancellationToken>())).ReturnsAsync(new User { Id = "u1", Name = "Maria Lopez" });
        var pipeline = new GuardPipelineBuilder { Matcher = matcher.Object }.AddExistingCustomerGuard().Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(new Lead { Id = "l", Company = "Contoso" }, "u2"), directory.Object);

        Assert.Equal(expected, result.Verdict);
        if (expected == Verdict.Flag)
            Assert.StartsWith("This lead may belong to Contoso Pharmaceuticals Ltd, an existing customer owned by Maria Lopez.", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_Block_NotifiesAccountOwnerThroughNotifier()
    {
        var org = new Org();
        var notifier = new Mock<IGuardNotifier>();
        var pipeline = new GuardPipelineBuilder { Directory = org.Directory, Notifier = notifier.Object }.AddDefaultGuards().Build();

        await pipeline.EvaluateAsync(GuardRequest.ForCreate(ContosoLead with { Id = "l-new" }, "u2"));

        notifier.Verify(n => n.NotifyAsync(It.Is<GuardNotification>(x => x.RecipientUserId == "u1" && x.Finding.RuleId == RuleIds.ExistingCustomer), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Evaluate_Disabled_DoesNotRun()
    {
        var result = await new Org().CreateAsync(ContosoLead with { Id = "l-new" }, "u2", o => o.ExistingCustomer.Enabled = false);

        Assert.DoesNotContain(RuleIds.ExistingCustomer, result.Rules);
    }

    [Fact]
    public async Task Evaluate_InjectionShapedCompany_IsJustAName()
    {
        var lead = new Lead { Id = "l-new", Company = "x' or name ne '\"; DROP TABLE accounts;--", Email = "a@b" };

        var result = await new Org().CreateAsync(lead, "u2");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_HugeAndEmptyStrings_DoNotThrow()
    {
        var huge = new string('a', 1_000_000);
        var org = new Org();

        var hugeResult = await org.CreateAsync(new Lead { Id = "l-1", Company = huge, Email = huge + "@" + huge, Phone = huge, Website = huge }, "u2");
        var emptyResult = await org.CreateAsync(new Lead { Id = "l-2", Company = "", Email = "", Phone = "   " }, "u2");

        Assert.DoesNotContain(hugeResult.Findings, f => f.NotChecked);
        Assert.Equal(Verdict.Allow, emptyResult.Verdict);
    }
}
