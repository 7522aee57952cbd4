using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Integration.Tests;

/// <summary>
/// The shared replay scenario (<c>shared/examples/replay/snapshot.json</c>) with its short ids mapped to the GUIDs the
/// webhook payloads (<c>Fixtures/*.json</c>) use, so it can be seeded into the Dataverse emulator.
/// </summary>
internal static class SharedScenario
{
    public static readonly IReadOnlyDictionary<string, string> Ids = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["u1"] = "11111111-0000-0000-0000-000000000001", // Maria Lopez, owns Contoso
        ["u2"] = "11111111-0000-0000-0000-000000000002", // Jon Berg, owns lead Omar, on Litware's team
        ["u3"] = "11111111-0000-0000-0000-000000000003", // Ade Bello, owns Litware
        ["u5"] = "11111111-0000-0000-0000-000000000005", // Chris Moore, the manager
        ["a-contoso"] = "aaaaaaaa-0000-0000-0000-000000000001",
        ["a-litware"] = "aaaaaaaa-0000-0000-0000-000000000002",
        ["c-anna"] = "cccccccc-0000-0000-0000-000000000001",
        ["c-raj"] = "cccccccc-0000-0000-0000-000000000002",
        ["l-omar"] = "1ead0000-0000-0000-0000-000000000001",
        ["t-omar"] = "ac000000-0000-0000-0000-000000000001",
        ["t-anna-chat"] = "ac000000-0000-0000-0000-000000000002",
    };

    /// <summary>Finds <c>shared/examples/replay/snapshot.json</c> by walking up from the test's output directory.</summary>
    public static string SnapshotPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "examples", "replay", "snapshot.json");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException("shared/examples/replay/snapshot.json was not found above " + AppContext.BaseDirectory);
    }

    public static CrmSnapshot Load()
    {
        var s = CrmSnapshot.Load(SnapshotPath());
        return new CrmSnapshot
        {
            Users = s.Users.Select(u => u with { Id = Map(u.Id), ManagerId = MapOrNull(u.ManagerId) }).ToList(),
            Accounts = s.Accounts.Select(a => a with { Id = Map(a.Id), OwnerId = MapOrNull(a.OwnerId) }).ToList(),
            AccountTeam = s.AccountTeam.Select(m => new AccountTeamMember(Map(m.AccountId), Map(m.UserId))).ToList(),
            Contacts = s.Contacts.Select(c => c with { Id = Map(c.Id), AccountId = MapOrNull(c.AccountId), OwnerId = MapOrNull(c.OwnerId) }).ToList(),
            Leads = s.Leads.Select(l => l with { Id = Map(l.Id), OwnerId = MapOrNull(l.OwnerId) }).ToList(),
            Activities = s.Activities.Select(a => a with
            {
                Id = Map(a.Id),
                OwnerId = MapOrNull(a.OwnerId),
                Regarding = a.Regarding is { } r ? new RecordRef(r.Kind, Map(r.Id)) : null,
                Parties = a.Parties.Select(p => new RecordRef(p.Kind, Map(p.Id))).ToList(),
            }).ToList(),
        };
    }

    /// <summary>Seeds the emulator: users, accounts, contacts, leads, activities and the account teams.</summary>
    public static DataverseEmulator SeedInto(DataverseEmulator emulator)
    {
        var s = Load();
        emulator.Seed([.. s.Users, .. s.Accounts, .. s.Contacts, .. s.Leads, .. s.Activities]);
        foreach (var team in s.AccountTeam.GroupBy(m => m.AccountId))
            emulator.SeedAccountTeam(team.Key, team.Select(m => m.UserId));
        return emulator;
    }

    private static string Map(string id) =>
        Ids.TryGetValue(id, out var guid) ? guid : throw new InvalidOperationException($"The shared scenario has a new id '{id}': add it to SharedScenario.Ids.");

    private static string? MapOrNull(string? id) => id is null ? null : Map(id);
}
