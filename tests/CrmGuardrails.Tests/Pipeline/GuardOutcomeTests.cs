using System.Diagnostics.Metrics;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Pipeline;

public class GuardOutcomeTests
{
    private static readonly Lead Lead = new() { Id = "l-new", FirstName = "Tom", Company = "Contoso Pharmaceuticals", Email = "tom@contoso-pharma.co.uk" };

    [Fact]
    public async Task Check_BlockedLead_SaysWhatToWriteAndWhomTheNotifierTold()
    {
        var org = new Org();
        var pipeline = new GuardPipelineBuilder { Directory = org.Directory }.AddDefaultGuards().Build();

        var outcome = await pipeline.CheckAsync(GuardRequest.ForCreate(Lead, "u2") with { Table = "lead" }, org.Directory);

        Assert.True(outcome.IsBlocked);
        Assert.Equal("block", outcome.Flag);
        Assert.Equal("existing-customer", outcome.Rules);
        Assert.Equal("lead", outcome.Table);
        Assert.Equal(["u1"], outcome.Recipients);
        Assert.Null(outcome.RescheduleCount);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(int.MaxValue, int.MaxValue)]
    [InlineData(-3, 1)]
    public void RescheduleCount_MovedStart_CountsOnWithoutWrapping(int stored, int expected)
    {
        var start = Org.Now.AddDays(3);
        var before = new Activity { Id = "a1", Type = ActivityType.Appointment, ScheduledStart = start, RescheduleCount = stored };
        var request = new GuardRequest { Operation = GuardOperation.Update, Record = before with { ScheduledStart = start.AddDays(1) }, Previous = before, UserId = "u2" };

        Assert.Equal(expected, new GuardOutcome(request, GuardResult.Allowed).RescheduleCount);
    }

    [Fact]
    public void Flag_AllowedNotCheckedAndFlagged_AreTellable()
    {
        var request = GuardRequest.ForCreate(Lead, "u2");
        var notChecked = new GuardPipelineBuilder().Build().NotChecked("x");
        var flagged = new GuardResult([new GuardFinding { RuleId = "r", Code = "C", Verdict = Verdict.Flag, Message = "m" }]);

        Assert.Null(new GuardOutcome(request, GuardResult.Allowed).Flag);
        Assert.Equal("not-checked", new GuardOutcome(request, notChecked).Flag);
        Assert.Equal("flag", new GuardOutcome(request, flagged).Flag);
    }

    [Theory]
    [InlineData(10, "0123456789")]
    [InlineData(9, "01234567…")]
    [InlineData(2, "0…")]
    public void MessageWithin_CutsWithAnEllipsis(int limit, string expected)
    {
        var result = new GuardResult([new GuardFinding { RuleId = "r", Code = "C", Verdict = Verdict.Flag, Message = "0123456789" }]);

        Assert.Equal(expected, new GuardOutcome(GuardRequest.ForCreate(Lead, "u2"), result).MessageWithin(limit));
    }

    [Fact]
    public void MessageWithin_NeverSplitsASurrogatePair()
    {
        var result = new GuardResult([new GuardFinding { RuleId = "r", Code = "C", Verdict = Verdict.Flag, Message = "ab😀cd" }]);

        Assert.Equal("ab…", new GuardOutcome(GuardRequest.ForCreate(Lead, "u2"), result).MessageWithin(4));
    }

    [Fact]
    public async Task Check_RecordsChecksAndFindingsOnTheCrmGuardrailsMeter()
    {
        // Other tests' pipelines publish on the same meter at the same time: a thread-safe collection.
        var measurements = new System.Collections.Concurrent.ConcurrentQueue<(string Instrument, object? Verdict)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GuardrailsDiagnostics.Name)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "crmguardrails.verdict")
                    measurements.Enqueue((instrument.Name, tag.Value));
            }
        });
        listener.Start();
        var org = new Org();

        await new GuardPipelineBuilder { Directory = org.Directory }.AddDefaultGuards().Build().EvaluateAsync(GuardRequest.ForCreate(Lead, "u2") with { CorrelationId = "meter-test" });

        Assert.Contains(("crmguardrails.checks", (object?)"Block"), measurements);
        Assert.Contains(("crmguardrails.findings", (object?)"Block"), measurements);
    }
}
