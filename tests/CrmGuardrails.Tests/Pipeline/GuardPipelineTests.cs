using System.ComponentModel.DataAnnotations;
using CrmGuardrails.Notifications;
using CrmGuardrails.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CrmGuardrails.Tests.Pipeline;

public class GuardPipelineTests
{
    private static readonly Lead Lead = new() { Id = "l-new", FirstName = "Tom", Company = "Contoso Pharmaceuticals", Email = "tom@contoso-pharma.co.uk" };

    private static Mock<ICrmDirectory> Throwing(Exception exception)
    {
        var directory = new Mock<ICrmDirectory>();
        directory.Setup(d => d.FindContactsAsync(It.IsAny<ContactQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(exception);
        directory.Setup(d => d.FindMatchCandidatesAsync(It.IsAny<MatchCandidateQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(exception);
        directory.Setup(d => d.FindOpenLeadsAsync(It.IsAny<LeadQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(exception);
        directory.Setup(d => d.FindOpenActivitiesAsync(It.IsAny<ActivityQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(exception);
        directory.Setup(d => d.GetAsync(It.IsAny<RecordRef>(), It.IsAny<CancellationToken>())).ThrowsAsync(exception);
        return directory;
    }

    [Fact]
    public async Task Evaluate_DirectoryThrows_EachRuleFlagsNotChecked()
    {
        var pipeline = new GuardPipelineBuilder().AddDefaultGuards().Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"), Throwing(new HttpRequestException("503")).Object);

        Assert.Equal(Verdict.Flag, result.Verdict);
        Assert.Equal([RuleIds.ExistingCustomer, RuleIds.DuplicateLead], result.Rules);
        Assert.All(result.Findings, f =>
        {
            Assert.True(f.NotChecked);
            Assert.Equal(GuardCodes.NotChecked, f.Code);
            Assert.StartsWith("Not checked: the CRM could not be asked", f.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Evaluate_DirectoryThrowsAndFailClosed_Blocks()
    {
        var pipeline = new GuardPipelineBuilder().AddDefaultGuards(new CrmGuardrailsOptions { OnLookupFailure = LookupFailureVerdict.Block }).Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"), Throwing(new TimeoutException()).Object);

        Assert.Equal(Verdict.Block, result.Verdict);
        Assert.All(result.Findings, f => Assert.True(f.NotChecked));
    }

    [Fact]
    public async Task Evaluate_FailClosedOnInboundActivity_OnlyFlags()
    {
        var pipeline = new GuardPipelineBuilder().AddDefaultGuards(new CrmGuardrailsOptions { OnLookupFailure = LookupFailureVerdict.Block }).Build();
        var inbound = Org.Call("t", "u1", Org.Contact("c-anna"), null, ActivityDirection.Inbound, ActivityType.Voicemail);

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(inbound, "u1"), Throwing(new InvalidOperationException()).Object);

        Assert.Equal(Verdict.Flag, result.Verdict);
        Assert.Equal([RuleIds.ChannelFanout], result.Rules);
    }

    [Fact]
    public async Task Evaluate_DirectoryHangs_AnswersNotCheckedWhenTheBudgetRunsOut()
    {
        var time = new FakeTimeProvider(Org.Now);
        var hang = new TaskCompletionSource<MatchCandidates>();
        var directory = new Mock<ICrmDirectory>();
        directory.Setup(d => d.FindMatchCandidatesAsync(It.IsAny<MatchCandidateQuery>(), It.IsAny<CancellationToken>())).Returns(new ValueTask<MatchCandidates>(hang.Task));
        directory.Setup(d => d.FindOpenLeadsAsync(It.IsAny<LeadQuery>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var pipeline = new GuardPipelineBuilder { TimeProvider = time }.AddDefaultGuards().Build();

        var evaluation = pipeline.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"), directory.Object).AsTask();
        Assert.False(evaluation.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await evaluation.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Verdict.Flag, result.Verdict);
        Assert.Equal([RuleIds.ExistingCustomer, RuleIds.DuplicateLead], result.Rules);
        Assert.All(result.Findings, f => Assert.True(f.NotChecked));
        Assert.Contains("did not answer in time", result.Findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("time budget ran out", result.Findings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_BudgetSpentBeforeLaterRules_ThoseAreNotChecked()
    {
        var time = new FakeTimeProvider(Org.Now);
        var directory = new Mock<ICrmDirectory>();
        directory.Setup(d => d.FindMatchCandidatesAsync(It.IsAny<MatchCandidateQuery>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                time.Advance(TimeSpan.FromSeconds(3)); // a slow answer that still arrives
                return new ValueTask<MatchCandidates>(MatchCandidates.None);
            });
        var pipeline = new GuardPipelineBuilder { TimeProvider = time }.AddDefaultGuards().Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"), directory.Object);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(RuleIds.DuplicateLead, finding.RuleId);
        Assert.True(finding.NotChecked);
        directory.Verify(d => d.FindOpenLeadsAsync(It.IsAny<LeadQuery>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Evaluate_CallerCancels_Throws()
    {
        var org = new Org();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => org.Pipeline().EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"), cancelled.Token).AsTask());
    }

    [Fact]
    public async Task Evaluate_NotifierThrows_VerdictStillReturned()
    {
        var org = new Org();
        var notifier = new Mock<IGuardNotifier>();
        notifier.Setup(n => n.NotifyAsync(It.IsAny<GuardNotification>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("mail down"));
        var pipeline = new GuardPipelineBuilder { Directory = org.Directory, Notifier = notifier.Object }.AddDefaultGuards().Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"));

        Assert.Equal(Verdict.Block, result.Verdict);
    }

    [Theory]
    [InlineData(LookupFailureVerdict.Flag, Verdict.Flag)]
    [InlineData(LookupFailureVerdict.Block, Verdict.Block)]
    public async Task Evaluate_CustomGuardThrowingInAppliesTo_IsNotCheckedByThePolicy(LookupFailureVerdict policy, Verdict expected)
    {
        var guard = new Mock<ICrmGuard>();
        guard.SetupGet(g => g.RuleId).Returns("custom");
        guard.Setup(g => g.AppliesTo(It.IsAny<GuardContext>())).Throws(new InvalidOperationException("bug"));
        var pipeline = new GuardPipelineBuilder { Options = new GuardPipelineOptions { OnLookupFailure = policy } }.AddGuard(guard.Object).Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"), new Org().Directory);

        Assert.Equal(expected, result.Verdict);
        Assert.True(result.Findings.Single().NotChecked);
        Assert.Contains("the rule failed unexpectedly", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_BugInARule_IsLoggedAsAnErrorAndNotAsTheCrm()
    {
        var guard = new Mock<ICrmGuard>();
        guard.SetupGet(g => g.RuleId).Returns("custom");
        guard.Setup(g => g.AppliesTo(It.IsAny<GuardContext>())).Returns(true);
        guard.Setup(g => g.EvaluateAsync(It.IsAny<GuardContext>())).ThrowsAsync(new NullReferenceException());
        var logs = new ListLoggerProvider();
        var pipeline = new GuardPipelineBuilder { LoggerFactory = new Microsoft.Extensions.Logging.LoggerFactory([logs]) }.AddGuard(guard.Object).Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"), new Org().Directory);

        Assert.Contains("the rule failed unexpectedly", result.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.EventName == "GuardFailed");
        Assert.DoesNotContain(logs.Entries, e => e.EventName == "LookupFailed");
    }

    [Fact]
    public async Task Evaluate_UpdateWithoutPrevious_ReadsItOnceForEveryRule()
    {
        var org = new Org().With(Org.Call("t-demo", "u2", Org.Contact("c-anna"), Org.Now.AddDays(3)) with { RescheduleCount = 1 });
        var directory = new CountingDirectory(org.Directory);
        var moved = (Activity)org.Directory.Find("t-demo")!;
        moved = moved with { ScheduledStart = moved.ScheduledStart!.Value.AddDays(1) };
        var pipeline = new GuardPipelineBuilder().AddDefaultGuards().Build();

        var outcome = await pipeline.CheckAsync(new GuardRequest { Operation = GuardOperation.Update, Record = moved, UserId = moved.OwnerId! }, directory);

        Assert.Equal(1, directory.Gets(moved.Ref));
        Assert.NotNull(outcome.Request.Previous);
        Assert.Equal(2, outcome.RescheduleCount);
    }

    [Fact]
    public async Task Evaluate_AfterTheSaveWithoutPrevious_NeverTakesTheSavedRowForThePreviousOne()
    {
        var org = new Org().With(Org.Call("t-demo", "u2", Org.Contact("c-anna"), Org.Now.AddDays(3)));
        var directory = new CountingDirectory(org.Directory);
        var saved = (Activity)org.Directory.Find("t-demo")!;
        var pipeline = new GuardPipelineBuilder().AddDefaultGuards().Build();

        var outcome = await pipeline.CheckAsync(new GuardRequest { Operation = GuardOperation.Update, Record = saved, UserId = saved.OwnerId!, CanReadPrevious = false }, directory);

        Assert.Equal(0, directory.Gets(saved.Ref));
        Assert.Null(outcome.RescheduleCount);
    }

    [Fact]
    public async Task Evaluate_PreviousCannotBeRead_EveryApplicableRuleIsNotChecked()
    {
        var moved = Org.Call("t-demo", "u2", Org.Contact("c-anna"), Org.Now.AddDays(3));
        var pipeline = new GuardPipelineBuilder().AddDefaultGuards().Build();

        var result = await pipeline.EvaluateAsync(new GuardRequest { Operation = GuardOperation.Update, Record = moved, UserId = moved.OwnerId! }, Throwing(new HttpRequestException("503")).Object);

        Assert.NotEmpty(result.Findings);
        Assert.All(result.Findings, f => Assert.StartsWith("Not checked: the CRM could not be asked", f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Evaluate_GuardsRunConcurrently_FindTheSameAsOneAfterAnother()
    {
        var org = new Org();
        var sequential = new GuardPipelineBuilder { Directory = org.Directory }.AddDefaultGuards().Build();
        var concurrent = new GuardPipelineBuilder { Directory = org.Directory, RunGuardsConcurrently = true }.AddDefaultGuards().Build();

        var one = await sequential.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"));
        var other = await concurrent.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"));

        Assert.Equal(one.Verdict, other.Verdict);
        Assert.Equal(one.Findings.Select(f => (f.RuleId, f.Message)), other.Findings.Select(f => (f.RuleId, f.Message)));
    }

    [Fact]
    public void NotChecked_ForTheHost_FollowsThePolicy()
    {
        var open = new GuardPipelineBuilder().Build().NotChecked("the record was too large to be sent");
        var closed = new GuardPipelineBuilder { Options = new GuardPipelineOptions { OnLookupFailure = LookupFailureVerdict.Block } }.Build().NotChecked("x");

        Assert.Equal(Verdict.Flag, open.Verdict);
        Assert.Equal("Not checked: the record was too large to be sent, so nothing could look for collisions. Try again or check by hand.", open.Message);
        Assert.Equal(Verdict.Block, closed.Verdict);
        Assert.True(closed.Findings.Single().NotChecked);
    }

    [Fact]
    public async Task Evaluate_CustomGuardFinding_IsMergedWithTheOthers()
    {
        var guard = new Mock<ICrmGuard>();
        guard.SetupGet(g => g.RuleId).Returns("custom");
        guard.Setup(g => g.AppliesTo(It.IsAny<GuardContext>())).Returns(true);
        guard.Setup(g => g.EvaluateAsync(It.IsAny<GuardContext>()))
            .ReturnsAsync([new GuardFinding { RuleId = "custom", Code = "X1", Verdict = Verdict.Flag, Message = "custom says" }]);
        var org = new Org();
        var pipeline = new GuardPipelineBuilder { Directory = org.Directory }.AddDefaultGuards().AddGuard(guard.Object).Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"));

        Assert.Equal([RuleIds.ExistingCustomer, "custom"], result.Rules);
        Assert.Equal(Verdict.Block, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_RequestWithoutUser_ThrowsArgumentException()
    {
        var pipeline = new Org().Pipeline();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => pipeline.EvaluateAsync(GuardRequest.ForCreate(Lead, " ")).AsTask());
        Assert.Contains("names no user", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_WithoutDirectory_ThrowsInvalidOperation()
    {
        var pipeline = new GuardPipelineBuilder().AddDefaultGuards().Build();

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2")).AsTask());
    }

    [Fact]
    public void Build_InvalidPolicy_ListsEveryError()
    {
        var options = new CrmGuardrailsOptions { TimeBudget = TimeSpan.Zero };
        options.ExistingCustomer.FlagAtScore = 0.95;
        options.ExistingCustomer.BlockAtScore = 0.9;
        options.Reschedule.FlagFromMove = 0;

        var error = Assert.Throws<ValidationException>(() => new GuardPipelineBuilder().AddDefaultGuards(options));

        Assert.StartsWith("The 'CrmGuardrailsOptions' are invalid.", error.Message, StringComparison.Ordinal);
        Assert.Contains("TimeBudget", error.Message, StringComparison.Ordinal);
        Assert.Contains("ExistingCustomer: FlagAtScore (0.95) must not be greater than BlockAtScore (0.9).", error.Message, StringComparison.Ordinal);
        Assert.Contains("Reschedule:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_OptionsChangedAfterwards_PipelineKeepsWhatItWasBuiltWith()
    {
        var org = new Org();
        var options = new CrmGuardrailsOptions();
        var pipeline = new GuardPipelineBuilder { Directory = org.Directory }.AddDefaultGuards(options).Build();
        options.ExistingCustomer.BlockAtScore = 1.0;
        options.ExistingCustomer.Enabled = false;
        options.TimeBudget = TimeSpan.FromMilliseconds(1);

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(Lead, "u2"));

        Assert.Equal(Verdict.Block, result.Verdict);
        Assert.Equal(TimeSpan.FromSeconds(2), pipeline.Options.TimeBudget);
    }

    [Fact]
    public void AddGuard_AfterBuild_Throws()
    {
        var builder = new GuardPipelineBuilder();
        builder.Build();

        Assert.Throws<InvalidOperationException>(() => builder.AddRescheduleGuard());
    }

    [Fact]
    public void AddGuard_InvalidGuardOptions_ThrowsNamingTheOptions()
    {
        var error = Assert.Throws<ValidationException>(() => new GuardPipelineBuilder().AddChannelFanoutGuard(new ChannelFanoutGuardOptions { Window = TimeSpan.FromSeconds(1) }));

        Assert.StartsWith("The 'ChannelFanoutGuardOptions' are invalid.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CrmGuardrailsOptions_Defaults_MatchThePolicyDocument()
    {
        var options = new CrmGuardrailsOptions();

        Assert.Equal(TimeSpan.FromSeconds(2), options.TimeBudget);
        Assert.Equal(LookupFailureVerdict.Flag, options.OnLookupFailure);
        Assert.True(options.Redaction);
        Assert.Equal(TimeSpan.FromHours(48), options.RepCollision.PlannedWindow);
        Assert.Equal(TimeSpan.FromHours(24), options.ChannelFanout.Window);
        Assert.Equal(2, options.Reschedule.FlagFromMove);
        Assert.Equal(TimeSpan.FromHours(24), options.Reschedule.LastMinuteWindow);
        Assert.True(options.ExistingCustomer.FlagAtScore < options.ExistingCustomer.BlockAtScore);
    }

    [Fact]
    public void GuardResult_OrdersFindingsStrongestFirst_AndEnsureNotBlockedThrowsOnBlock()
    {
        var flag = new GuardFinding { RuleId = "a", Code = "1", Verdict = Verdict.Flag, Message = "flag" };
        var block = new GuardFinding { RuleId = "b", Code = "2", Verdict = Verdict.Block, Message = "block" };

        var result = GuardResult.Merge([new GuardResult([flag]), new GuardResult([block])]);

        Assert.Equal(Verdict.Block, result.Verdict);
        Assert.Equal("block", result.Message);
        Assert.Equal(["b", "a"], result.Rules);
        var error = Assert.Throws<GuardBlockedException>(() => result.EnsureNotBlocked());
        Assert.Same(result, error.Result);
        Assert.Same(GuardResult.Allowed, GuardResult.Allowed.EnsureNotBlocked());
    }

    /// <summary>A directory that counts the records it was asked for.</summary>
    private sealed class CountingDirectory(ICrmDirectory inner) : ICrmDirectory
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<RecordRef, int> _gets = new();

        public int Gets(RecordRef record) => _gets.TryGetValue(record, out var n) ? n : 0;

        public ValueTask<CrmRecord?> GetAsync(RecordRef record, CancellationToken cancellationToken)
        {
            _gets.AddOrUpdate(record, 1, (_, n) => n + 1);
            return inner.GetAsync(record, cancellationToken);
        }

        public ValueTask<MatchCandidates> FindMatchCandidatesAsync(MatchCandidateQuery query, CancellationToken cancellationToken) => inner.FindMatchCandidatesAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<Contact>> FindContactsAsync(ContactQuery query, CancellationToken cancellationToken) => inner.FindContactsAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<Lead>> FindOpenLeadsAsync(LeadQuery query, CancellationToken cancellationToken) => inner.FindOpenLeadsAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<Activity>> FindOpenActivitiesAsync(ActivityQuery query, CancellationToken cancellationToken) => inner.FindOpenActivitiesAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<string>> GetAccountTeamAsync(string accountId, CancellationToken cancellationToken) => inner.GetAccountTeamAsync(accountId, cancellationToken);
    }
}
