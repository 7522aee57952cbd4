using System.Text.Json;
using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Integration.Tests;

/// <summary><c>crmguard audit</c> on a live organisation (the emulator), run as the real program: read-only and paged.</summary>
public sealed class AuditCommandTests : IAsyncLifetime
{
    private const string At = "2026-12-01T12:00:00Z";
    private DataverseEmulator _org = null!;
    private Dictionary<string, string> _names = null!;

    public async Task InitializeAsync()
    {
        _org = await DataverseEmulator.StartAsync();
        var planted = CrmSnapshot.Load(Path.Combine(AppContext.BaseDirectory, "data", "admin", "planted-org.json"));
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string Map(string table, string id) => ids[id] = EmulatorIds.For(table, id);
        string? MapOrNull(string table, string? id) => id is null ? null : Map(table, id);
        var users = planted.Users.Select(u => u with { Id = Map("systemuser", u.Id), ManagerId = MapOrNull("systemuser", u.ManagerId) }).ToList();
        var accounts = planted.Accounts.Select(a => a with { Id = Map("account", a.Id), OwnerId = ids[a.OwnerId!] }).ToList();
        var contacts = planted.Contacts.Select(c => c with { Id = Map("contact", c.Id), AccountId = ids[c.AccountId!], OwnerId = ids[c.OwnerId!] }).ToList();
        var leads = planted.Leads.Select(l => l with { Id = Map("lead", l.Id), OwnerId = ids[l.OwnerId!] }).ToList();
        var activities = planted.Activities.Select(a => a with
        {
            Id = Map("activitypointer", a.Id),
            OwnerId = ids[a.OwnerId!],
            Regarding = a.Regarding is { } r ? new RecordRef(r.Kind, ids[r.Id]) : null,
            Parties = a.Parties.Select(p => new RecordRef(p.Kind, ids[p.Id])).ToList(),
        }).ToList();
        _org.Seed([.. users, .. accounts, .. contacts, .. leads, .. activities]);
        foreach (var team in planted.AccountTeam.GroupBy(m => m.AccountId))
            _org.SeedAccountTeam(ids[team.Key], team.Select(m => ids[m.UserId]));
        _names = ids.ToDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);
    }

    public async Task DisposeAsync() => await _org.DisposeAsync();

    [Fact]
    public async Task Audit_LiveOrg_FindsThePlantedCollisions_ReadingPageByPage_WritingNothing()
    {
        var outPath = Path.Combine(Path.GetTempPath(), $"crmguard-audit-{Guid.NewGuid():N}.jsonl");
        _org.ClearRequests();
        try
        {
            var result = await Crmguard.RunAsync(["audit", "--org-url", _org.OrgUrl.ToString(), "--access-token", _org.Token, "--at", At, "--page-size", "2", "-o", outPath]);

            Assert.True(result.ExitCode == 0, result.Error);
            var found = File.ReadAllLines(outPath).Select(line =>
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var record = _names[root.GetProperty("record").GetProperty("id").GetString()!];
                var other = _names[root.GetProperty("other").GetProperty("id").GetString()!];
                var rule = root.GetProperty("rule").GetString()!;
                // Two open records colliding with each other are reported once, from either side.
                var pair = rule is "duplicate-lead" or "rep-collision" ? string.Join("+", new[] { record, other }.Order(StringComparer.Ordinal)) : record + ">" + other;
                return (rule, root.GetProperty("verdict").GetString(), pair);
            }).OrderBy(x => x.rule, StringComparer.Ordinal).ToList();
            Assert.Equal(
                [("channel-fanout", "flag", "T6>T5"), ("duplicate-lead", "block", "L-dup1+L-dup2"), ("existing-customer", "block", "L-ec>a1"), ("rep-collision", "block", "T1+T2")],
                found);

            var text = File.ReadAllText(outPath);
            Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);

            // Read-only: GETs, and $batch posts of GETs (the match-key lookups); the open work read page by page.
            Assert.All(_org.Requests, r => Assert.True(r.Method == "GET" || (r.Method == "POST" && r.Path.EndsWith("$batch", StringComparison.Ordinal)), $"{r.Method} {r.Path}"));
            Assert.True(_org.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/leads", StringComparison.Ordinal) && r.Query.Contains("skiptoken", StringComparison.OrdinalIgnoreCase)) >= 2);
            Assert.True(_org.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/activitypointers", StringComparison.Ordinal) && r.Query.Contains("skiptoken", StringComparison.OrdinalIgnoreCase)) >= 2);
        }
        finally
        {
            File.Delete(outPath);
        }
    }

    [Fact]
    public async Task Audit_LiveOrgRefusesTheToken_ExitsOneSayingSo()
    {
        var result = await Crmguard.RunAsync(["audit", "--org-url", _org.OrgUrl.ToString(), "--access-token", "not-the-token", "--at", At]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the organisation refused or could not be reached", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Audit_OrgUrlNotHttps_ExitsTwoNamingIt()
    {
        var result = await Crmguard.RunAsync(["audit", "--org-url", "http://contoso.example/", "--access-token", "t"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--org-url: 'http://contoso.example/' is not an https URL.", result.Error, StringComparison.Ordinal);
    }
}
