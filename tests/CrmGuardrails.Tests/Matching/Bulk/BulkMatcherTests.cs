using CrmGuardrails.Matching;

namespace CrmGuardrails.Tests.Matching.Bulk;

public class BulkMatcherTests
{
    private static readonly Account[] Accounts =
    [
        new() { Id = "A1", Name = "Powell Hospitality", Website = "http://powellhospitality.com", Phone = "+16603493431", Street = "8919 Garden Street", City = "Denver", PostalCode = "28524", Country = "US" },
        new() { Id = "A2", Name = "Bennett Farms LLC", Phone = "466.066.9397", Website = "http://bennettfarm.us/", City = "Denver", Country = "US" },
        new() { Id = "A3", Name = "Hotel Bel-Air", Phone = "310/472-1211", Street = "701 stone canyon rd.", City = "bel air", Country = "US" },
    ];

    private static readonly Contact[] Contacts =
    [
        new() { Id = "C1", AccountId = "A1", FirstName = "Jon", LastName = "Nelson", Email = "jon.nelson@powellhospitality.com" },
        new() { Id = "C2", AccountId = "missing", FirstName = "X", LastName = "Y", Email = "x@y.com" },
    ];

    [Fact]
    public void MatchAll_KnownAndNewCompanies_DecideInInputOrder()
    {
        var matcher = new BulkMatcher(Accounts, Contacts);
        Lead[] leads =
        [
            new() { Id = "L1", Company = "Powell Hospitality", Email = "jon.nelson@powellhospitality.com", Phone = "1-660-349-3431", City = "Denver" },
            new() { Id = "L2", Company = "Zorblax Quantum Widgets", Email = "a@zorblax.example", City = "Paris" },
            new() { Id = "L3", Company = "Bennett Farms", City = "Denver" },
            new() { Id = "L4", Company = "Restaurant at the Hotel", Phone = "310-472-1211", City = "bel air" },
        ];
        var progress = new List<int>();

        var decisions = matcher.MatchAll(leads, new SyncProgress(progress.Add));

        Assert.Equal(["L1", "L2", "L3", "L4"], decisions.Select(d => d.LeadId));
        Assert.Equal(new MatchDecision("L1", Verdict.Block, "A1", decisions[0].Score), decisions[0]);
        Assert.Equal(new MatchDecision("L2", Verdict.Allow, null, decisions[1].Score), decisions[1]);
        Assert.NotEqual(Verdict.Allow, decisions[2].Verdict);
        Assert.Equal("A2", decisions[2].AccountId);
        Assert.NotEqual(Verdict.Block, decisions[3].Verdict);
        Assert.Equal(4, progress.Max());
    }

    [Fact]
    public void FindBestAccount_Match_ExplainsItself()
    {
        var matcher = new BulkMatcher(Accounts, Contacts);
        var match = matcher.FindBestAccount(new Lead { Company = "POWELL HOSPITALITY", Email = "jon.nelson@powellhospitality.com" });
        Assert.Equal("A1", match?.Account.Id);
        Assert.Contains(match!.Evidence, e => e.Field == "contact-email");
    }

    [Fact]
    public void Match_CustomBands_AreApplied()
    {
        var strict = new BulkMatcher(Accounts, Contacts, blockAtScore: 1.01, flagAtScore: 1.01);
        var decision = strict.Match(new Lead { Id = "L1", Company = "Powell Hospitality", Email = "jon.nelson@powellhospitality.com" });
        Assert.Equal(Verdict.Allow, decision.Verdict);
        Assert.Null(decision.AccountId);
        Assert.True(decision.Score > 0.9);
    }

    [Fact]
    public void Match_HostileLead_IsAllowedNotThrown()
    {
        var matcher = new BulkMatcher(Accounts, Contacts);
        var text = "\uD800" + new string('&', 100_000);
        var decision = matcher.Match(new Lead { Id = "L", Company = text, Email = text, Phone = text, Website = text, City = text });
        Assert.Equal(Verdict.Allow, decision.Verdict);
    }

    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        private readonly object _gate = new();

        public void Report(int value)
        {
            lock (_gate)
                report(value);
        }
    }
}
