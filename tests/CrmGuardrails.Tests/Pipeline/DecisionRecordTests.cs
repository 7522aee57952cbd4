using CrmGuardrails.Decisions;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Tests.Pipeline;

public class DecisionRecordTests
{
    private static readonly Activity Call = new() { Id = "a-new", Type = ActivityType.PhoneCall, OwnerId = "u2", Direction = ActivityDirection.Outbound };

    [Fact]
    public void From_CollisionWithVisibleSubject_NeverKeepsTheSubject()
    {
        const string subject = "Renewal: 20% discount for Contoso";
        var finding = new GuardFinding
        {
            RuleId = RuleIds.RepCollision,
            Code = GuardCodes.RepCollision,
            Verdict = Verdict.Flag,
            Message = $"Contoso has an open phone call (\"{subject}\") owned by Maria Lopez (2 Mar). Coordinate with Maria before contacting them.",
            Collision = new Collision { Record = new RecordRef(RecordKind.Activity, "a-other"), OwnerId = "u1", OwnerName = "Maria Lopez", Name = "phone call", Subject = subject },
        };
        var outcome = new GuardOutcome(GuardRequest.ForCreate(Call, "u2"), new GuardResult([finding]));

        var record = DecisionRecord.From(outcome, DateTimeOffset.UnixEpoch, TimeSpan.FromMilliseconds(12.5));
        var json = DecisionJson.Serialize(record);

        Assert.DoesNotContain("Renewal", json, StringComparison.Ordinal);
        Assert.Contains(DecisionRedaction.Withheld, record.Findings[0].Message, StringComparison.Ordinal);
        Assert.Equal(new DecisionRelated(new RecordRef(RecordKind.Activity, "a-other"), "u1") { OwnerName = "Maria Lopez", Name = "phone call" }, record.Findings[0].Related.Single());
    }

    [Fact]
    public void From_NamesTheSavedRecord_AnActivityOnlyByItsKind()
    {
        var lead = new Lead { Id = "l1", Company = "Contoso", FirstName = "Jo", LastName = "Park", OwnerId = "u2" };
        var call = Call with { Subject = "Renewal: 20% discount for Contoso", Direction = ActivityDirection.Inbound };

        var leadRecord = DecisionRecord.From(new GuardOutcome(GuardRequest.ForCreate(lead, "u2"), GuardResult.Allowed), DateTimeOffset.UnixEpoch, TimeSpan.Zero);
        var callRecord = DecisionRecord.From(new GuardOutcome(GuardRequest.ForCreate(call, "u2"), GuardResult.Allowed), DateTimeOffset.UnixEpoch, TimeSpan.Zero);

        Assert.Equal(lead.DisplayName, leadRecord.RecordName);
        Assert.Equal("inbound phone call", callRecord.RecordName);
        Assert.DoesNotContain("Renewal", DecisionJson.Serialize(callRecord), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_RoundTrip_KeepsEveryField()
    {
        var record = new DecisionRecord
        {
            Time = new DateTimeOffset(2026, 3, 2, 9, 0, 0, 123, TimeSpan.FromHours(2)),
            Host = "web-1",
            Operation = GuardOperation.Update,
            Record = new RecordRef(RecordKind.Lead, "l1"),
            Table = "lead",
            UserId = "u2",
            OwnerId = "u2",
            Verdict = Verdict.Block,
            AppliedVerdict = Verdict.Flag,
            Checked = false,
            NotCheckedReason = "the CRM did not answer in time",
            ShadowMode = false,
            LatencyMs = 41.25,
            CorrelationId = "c-1",
            RecordName = "Jo Park (Contoso)",
            Findings =
            [
                new DecisionFinding
                {
                    RuleId = "existing-customer", Code = "CRMG1001", Verdict = Verdict.Block, Shadow = true, Message = "m \"q\" é", Score = 0.97,
                    Related = [new DecisionRelated(new RecordRef(RecordKind.Account, "a1"), "u1") { OwnerName = "Maria", Name = "Contoso", Date = DateTimeOffset.UnixEpoch }],
                    Evidence = [new DecisionEvidence("name", "\"contoso\" = \"contoso\"", 9.5)],
                },
                new DecisionFinding { RuleId = "rep-collision", Code = "CRMG9001", Verdict = Verdict.Flag, NotChecked = true, NotCheckedReason = "the CRM did not answer in time", Message = "n" },
            ],
        };

        var back = DecisionJson.Deserialize(DecisionJson.Serialize(record));

        Assert.Equal(DecisionJson.Serialize(record), DecisionJson.Serialize(back));
        Assert.Equal(record.Time, back.Time);
        Assert.Equal(record.RecordName, back.RecordName);
        Assert.Equal(record.Findings[0].Evidence, back.Findings[0].Evidence);
        Assert.Equal(record.Findings[0].Related, back.Findings[0].Related);
        Assert.True(back.Shadowed);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("not json")]
    public void Json_NotADecision_FormatException(string json) =>
        Assert.Throws<FormatException>(() => DecisionJson.Deserialize(json));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("12:")]
    [InlineData(":id")]
    public void Continuation_NotAToken_ArgumentException(string token) =>
        Assert.Throws<ArgumentException>(() => DecisionContinuation.Parse(token));

    [Fact]
    public void MatchEvidence_CarriedAsDecisionEvidence()
    {
        var finding = new GuardFinding
        {
            RuleId = RuleIds.ExistingCustomer, Code = GuardCodes.ExistingCustomer, Verdict = Verdict.Block, Message = "m",
            Collision = new Collision { Record = new RecordRef(RecordKind.Account, "a1"), OwnerId = "u1", Score = 0.99, Evidence = [new MatchEvidence("domain", "contoso.com", 12)] },
        };

        var record = DecisionRecord.From(new GuardOutcome(GuardRequest.ForCreate(new Lead { Company = "x" }, "u2"), new GuardResult([finding])), DateTimeOffset.UnixEpoch, TimeSpan.Zero);

        Assert.Equal([new DecisionEvidence("domain", "contoso.com", 12)], record.Findings[0].Evidence);
        Assert.Equal(0.99, record.Findings[0].Score);
        Assert.True(record.Checked);
    }
}
