namespace CrmGuardrails.Embedded;

/// <summary>The state of an org (format 1 of docs/formats.md): users, accounts and their teams, contacts, leads, activities.</summary>
public sealed class CrmSnapshot
{
    /// <summary>Gets the users.</summary>
    public IReadOnlyList<User> Users { get; init; } = [];

    /// <summary>Gets the accounts.</summary>
    public IReadOnlyList<Account> Accounts { get; init; } = [];

    /// <summary>Gets the account team memberships as (account id, user id).</summary>
    public IReadOnlyList<AccountTeamMember> AccountTeam { get; init; } = [];

    /// <summary>Gets the contacts.</summary>
    public IReadOnlyList<Contact> Contacts { get; init; } = [];

    /// <summary>Gets the leads.</summary>
    public IReadOnlyList<Lead> Leads { get; init; } = [];

    /// <summary>Gets the activities.</summary>
    public IReadOnlyList<Activity> Activities { get; init; } = [];

    /// <summary>Reads a snapshot file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="InputFormatException">The file is missing, unreadable or does not follow the format; the message names the line and field.</exception>
    public static CrmSnapshot Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputFormatException(path, 0, string.Empty, $"cannot be read ({ex.Message}).");
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses a snapshot.</summary>
    /// <param name="utf8Json">The JSON text, UTF-8.</param>
    /// <param name="fileName">The name to use in error messages.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="InputFormatException">The text does not follow the format.</exception>
    public static CrmSnapshot Parse(ReadOnlySpan<byte> utf8Json, string fileName)
    {
        if (utf8Json.Length >= 3 && utf8Json[0] == 0xEF && utf8Json[1] == 0xBB && utf8Json[2] == 0xBF)
            utf8Json = utf8Json.Slice(3);
        var root = new JsonFields(JsonTree.Parse(utf8Json, fileName), fileName, string.Empty);
        var kinds = new Dictionary<string, RecordKind>(StringComparer.Ordinal);

        string Id(JsonFields f, RecordKind kind)
        {
            var id = f.RequiredString("id");
            if (kinds.ContainsKey(id))
                throw f.Error(f.Get("id"), "id", $"'{id}' is used by another record; ids must be unique.");
            kinds[id] = kind;
            return id;
        }

        var users = root.Objects("users").Select(f => Finish(f, RecordJson.ApplyUser(new User { Id = Id(f, RecordKind.User) }, f))).ToList();
        var accounts = root.Objects("accounts").Select(f => Finish(f, RecordJson.ApplyAccount(new Account { Id = Id(f, RecordKind.Account) }, f))).ToList();
        var teamFields = root.Objects("accountTeam");
        var contacts = root.Objects("contacts").Select(f => Finish(f, RecordJson.ApplyContact(new Contact { Id = Id(f, RecordKind.Contact) }, f))).ToList();
        var leads = root.Objects("leads").Select(f => Finish(f, RecordJson.ApplyLead(new Lead { Id = Id(f, RecordKind.Lead) }, f))).ToList();
        var activityFields = root.Objects("activities");
        foreach (var f in activityFields)
            Id(f, RecordKind.Activity);
        root.RejectUnknown();

        RecordRef Resolve(string id, JsonFields f, string field) =>
            kinds.TryGetValue(id, out var kind) && kind != RecordKind.User
                ? new RecordRef(kind, id)
                : throw f.Error(null, field, $"no account, contact, lead or activity has the id '{id}'.");

        var activities = activityFields
            .Select(f => Finish(f, RecordJson.ApplyActivity(new Activity { Id = f.RequiredString("id") }, f, Resolve)))
            .ToList();
        var team = teamFields.Select(f =>
        {
            var member = new AccountTeamMember(f.RequiredString("accountId"), f.RequiredString("userId"));
            f.RejectUnknown();
            RequireKind(kinds, f, "accountId", member.AccountId, RecordKind.Account);
            RequireKind(kinds, f, "userId", member.UserId, RecordKind.User);
            return member;
        }).ToList();

        CheckReferences(kinds, root, users, accounts, contacts, leads, activities);
        return new CrmSnapshot { Users = users, Accounts = accounts, AccountTeam = team, Contacts = contacts, Leads = leads, Activities = activities };
    }

    private static T Finish<T>(JsonFields fields, T record)
        where T : CrmRecord
    {
        if (record is Activity && !fields.Has("type"))
            throw fields.Error(null, "type", "is required.");
        fields.RejectUnknown();
        return record;
    }

    private static void CheckReferences(
        Dictionary<string, RecordKind> kinds, JsonFields root, List<User> users, List<Account> accounts, List<Contact> contacts, List<Lead> leads, List<Activity> activities)
    {
        var sections = new (string Name, IReadOnlyList<CrmRecord> Records)[]
        {
            ("users", users), ("accounts", accounts), ("contacts", contacts), ("leads", leads), ("activities", activities),
        };
        var objects = sections.ToDictionary(s => s.Name, s => root.Objects(s.Name));
        foreach (var (name, records) in sections)
        {
            for (var i = 0; i < records.Count; i++)
            {
                var fields = objects[name][i];
                RequireKind(kinds, fields, "ownerId", records[i].OwnerId, RecordKind.User);
                if (records[i] is User { ManagerId: { } manager })
                    RequireKind(kinds, fields, "managerId", manager, RecordKind.User);
                if (records[i] is Contact { AccountId: { } account })
                    RequireKind(kinds, fields, "accountId", account, RecordKind.Account);
                if (records[i] is Account { ParentId: { } parent } child)
                {
                    RequireKind(kinds, fields, "parentId", parent, RecordKind.Account);
                    if (parent == child.Id)
                        throw fields.Error(null, "parentId", "an account cannot be its own parent.");
                }
            }
        }
    }

    private static void RequireKind(Dictionary<string, RecordKind> kinds, JsonFields f, string field, string? id, RecordKind kind)
    {
        if (id is null)
            return;
        if (!kinds.TryGetValue(id, out var found) || found != kind)
            throw f.Error(null, field, $"no {new RecordRef(kind, id).KindName} has the id '{id}'.");
    }
}

/// <summary>A user on an account's team.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="UserId">The user.</param>
public sealed record AccountTeamMember(string AccountId, string UserId);
