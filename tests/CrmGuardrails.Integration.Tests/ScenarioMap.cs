using System.Text.RegularExpressions;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Integration.Tests;

/// <summary>
/// Turns the shared scenario and the webhook fixtures (fixed GUIDs, fixed names) into one target's scenario: the emulator
/// uses them as they are (<see cref="Identity"/>); a live org gets fresh GUIDs per run, existing users in place of the
/// scenario's users, and company/domain words made unique per run with a token (so nothing else in the org matches).
/// </summary>
internal sealed partial class ScenarioMap
{
    private readonly Dictionary<string, string> _ids;

    private ScenarioMap(Dictionary<string, string> ids, string? token)
    {
        _ids = ids;
        Token = token;
    }

    /// <summary>The emulator's map: every id and text stays as it is.</summary>
    public static ScenarioMap Identity { get; } = new(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), null);

    /// <summary>The per-run token (lower-case letters), or <see langword="null"/> for <see cref="Identity"/>.</summary>
    public string? Token { get; }

    /// <summary>The ids the scenario's records get in the target (users excluded).</summary>
    public IEnumerable<string> RecordIds => _ids.Where(p => !p.Key.StartsWith("11111111-", StringComparison.Ordinal)).Select(p => p.Value);

    /// <summary>A live map: fresh GUIDs for every record of the scenario, the given users for the scenario's users.</summary>
    public static ScenarioMap ForLive(IReadOnlyDictionary<string, string> users)
    {
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (shortId, guid) in SharedScenario.Ids)
        {
            ids[guid] = users.TryGetValue(shortId, out var user)
                ? user
                : Guid.NewGuid().ToString("D");
        }

        var token = "e2e" + string.Concat(Guid.NewGuid().ToString("N").Take(8).Select(c => (char)('a' + (Convert.ToInt32(c.ToString(), 16) % 26))));
        return new ScenarioMap(ids, token);
    }

    /// <summary>The target's id for a scenario GUID (other ids unchanged).</summary>
    public string Id(string id) => _ids.TryGetValue(id, out var mapped) ? mapped : id;

    public string? IdOrNull(string? id) => id is null ? null : Id(id);

    /// <summary>Makes the scenario's company and domain words unique to this run (keeps their case style).</summary>
    public string Text(string text) =>
        Token is null ? text : Words().Replace(text, m => m.Value + (m.Value.All(c => !char.IsLower(c)) ? Token.ToUpperInvariant() : Token));

    public string? TextOrNull(string? text) => text is null ? null : Text(text);

    /// <summary>A webhook payload (JSON text) for this target: ids and names replaced.</summary>
    public string Apply(string fixture)
    {
        if (Token is null)
            return fixture;
        var text = Guids().Replace(fixture, m => Id(m.Value));
        return Text(text);
    }

    /// <summary>The shared scenario for this target.</summary>
    public CrmSnapshot Apply(CrmSnapshot s) => Token is null
        ? s
        : new CrmSnapshot
        {
            Users = s.Users.Select(u => u with { Id = Id(u.Id), ManagerId = IdOrNull(u.ManagerId) }).ToList(),
            Accounts = s.Accounts.Select(a => a with { Id = Id(a.Id), OwnerId = IdOrNull(a.OwnerId), Name = Text(a.Name), Website = TextOrNull(a.Website), Email = TextOrNull(a.Email) }).ToList(),
            AccountTeam = s.AccountTeam.Select(m => new AccountTeamMember(Id(m.AccountId), Id(m.UserId))).ToList(),
            Contacts = s.Contacts.Select(c => c with { Id = Id(c.Id), AccountId = IdOrNull(c.AccountId), OwnerId = IdOrNull(c.OwnerId), Email = TextOrNull(c.Email) }).ToList(),
            Leads = s.Leads.Select(l => l with { Id = Id(l.Id), OwnerId = IdOrNull(l.OwnerId), Company = TextOrNull(l.Company), Email = TextOrNull(l.Email), Website = TextOrNull(l.Website) }).ToList(),
            Activities = s.Activities.Select(a => a with
            {
                Id = Id(a.Id),
                OwnerId = IdOrNull(a.OwnerId),
                Regarding = a.Regarding is { } r ? new RecordRef(r.Kind, Id(r.Id)) : null,
                Parties = a.Parties.Select(p => new RecordRef(p.Kind, Id(p.Id))).ToList(),
            }).ToList(),
        };

    [GeneratedRegex("contoso|litware|proseware", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Words();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex Guids();
}
