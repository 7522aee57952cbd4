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

    /// <summary>The largest snapshot file read: 2 GB, room for several million records (an org of a million accounts, with their contacts, is a few hundred megabytes).</summary>
    public const long MaxFileBytes = 2L << 30;

    /// <summary>Reads a snapshot file, one record at a time (the file's text is never held whole).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="InputFormatException">
    /// The file is missing, unreadable, not a regular file, larger than <see cref="MaxFileBytes"/> or does not follow the
    /// format; the message names the file, the line and the field. UTF-8 and UTF-16 with a byte-order mark are read.
    /// </exception>
    public static CrmSnapshot Load(string path)
    {
        using var file = InputFile.OpenRead(path, MaxFileBytes);
        return Read(file, path);
    }

    /// <summary>Parses a snapshot.</summary>
    /// <param name="utf8Json">The JSON text, UTF-8 (or UTF-16 with a byte-order mark).</param>
    /// <param name="fileName">The name to use in error messages.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="InputFormatException">The text does not follow the format.</exception>
    public static CrmSnapshot Parse(ReadOnlySpan<byte> utf8Json, string fileName)
    {
        using var stream = new MemoryStream(utf8Json.ToArray(), writable: false);
        return Read(stream, fileName);
    }

    private static CrmSnapshot Read(Stream stream, string file)
    {
        using var text = InputText.Utf8(stream, file);
        var json = new JsonSectionReader(text, file);
        var builder = new Builder(file);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        json.ReadRootStart();
        while (json.NextProperty(out var section, out var line))
        {
            if (!Builder.Sections.Contains(section))
                throw new InputFormatException(file, line, section, "is not a field of this format (check the spelling; see docs/formats.md).");
            if (!seen.Add(section))
                throw new InputFormatException(file, line, section, "appears twice.");
            if (!json.ArrayStart(section))
                continue;
            for (var i = 0; json.NextItem() is { } item; i++)
                builder.Add(section, new JsonFields(item, file, $"{section}[{i}]"));
        }

        return builder.Build();
    }

    /// <summary>
    /// Collects the records as they are read. What depends on records yet to come (every reference to an id) is checked
    /// once all are read, since the sections may come in any order.
    /// </summary>
    private sealed class Builder(string file)
    {
        public static readonly HashSet<string> Sections = new(StringComparer.Ordinal) { "users", "accounts", "accountTeam", "contacts", "leads", "activities" };

        private readonly Dictionary<string, RecordKind> _kinds = new(StringComparer.Ordinal);
        private readonly List<User> _users = [];
        private readonly List<Account> _accounts = [];
        private readonly List<Contact> _contacts = [];
        private readonly List<Lead> _leads = [];
        private readonly List<Activity> _activities = [];
        private readonly List<(AccountTeamMember Member, int Line)> _team = [];
        private readonly Dictionary<string, List<int>> _lines = new(StringComparer.Ordinal);
        private readonly List<(int Activity, int Line, List<(string Field, string Id)> Ids)> _unresolved = [];

        public void Add(string section, JsonFields f)
        {
            switch (section)
            {
                case "users":
                    _users.Add(Finish(f, RecordJson.ApplyUser(new User { Id = Id(f, RecordKind.User) }, f)));
                    break;
                case "accounts":
                    _accounts.Add(Finish(f, RecordJson.ApplyAccount(new Account { Id = Id(f, RecordKind.Account) }, f)));
                    break;
                case "contacts":
                    _contacts.Add(Finish(f, RecordJson.ApplyContact(new Contact { Id = Id(f, RecordKind.Contact) }, f)));
                    break;
                case "leads":
                    _leads.Add(Finish(f, RecordJson.ApplyLead(new Lead { Id = Id(f, RecordKind.Lead) }, f)));
                    break;
                case "accountTeam":
                    var member = new AccountTeamMember(f.RequiredString("accountId"), f.RequiredString("userId"));
                    f.RejectUnknown();
                    _team.Add((member, f.Line));
                    return;
                default:
                    // Ids an activity names are resolved once every record is known; kept until then.
                    var ids = new List<(string Field, string Id)>();
                    var activity = Finish(f, RecordJson.ApplyActivity(new Activity { Id = Id(f, RecordKind.Activity) }, f, (id, _, field) =>
                    {
                        ids.Add((field, id));
                        return new RecordRef(RecordKind.Activity, id);
                    }));
                    if (ids.Count > 0)
                        _unresolved.Add((_activities.Count, f.Line, ids));
                    _activities.Add(activity);
                    break;
            }

            if (!_lines.TryGetValue(section, out var lines))
                _lines[section] = lines = [];
            lines.Add(f.Line);
        }

        public CrmSnapshot Build()
        {
            foreach (var (index, line, ids) in _unresolved)
            {
                foreach (var (field, id) in ids)
                {
                    if (!_kinds.TryGetValue(id, out var kind) || kind == RecordKind.User)
                        throw new InputFormatException(file, line, $"activities[{index}].{field}", $"no account, contact, lead or activity has the id '{id}'.");
                }

                var activity = _activities[index];
                _activities[index] = activity with
                {
                    Regarding = activity.Regarding is { } regarding ? new RecordRef(_kinds[regarding.Id], regarding.Id) : null,
                    Parties = activity.Parties.Select(p => new RecordRef(_kinds[p.Id], p.Id)).ToList(),
                };
            }

            for (var i = 0; i < _team.Count; i++)
            {
                var (member, line) = _team[i];
                RequireKind($"accountTeam[{i}]", line, "accountId", member.AccountId, RecordKind.Account);
                RequireKind($"accountTeam[{i}]", line, "userId", member.UserId, RecordKind.User);
            }

            CheckReferences("users", _users);
            CheckReferences("accounts", _accounts);
            CheckReferences("contacts", _contacts);
            CheckReferences("leads", _leads);
            CheckReferences("activities", _activities);
            return new CrmSnapshot
            {
                Users = _users, Accounts = _accounts, AccountTeam = _team.Select(t => t.Member).ToList(), Contacts = _contacts, Leads = _leads, Activities = _activities,
            };
        }

        private string Id(JsonFields f, RecordKind kind)
        {
            var id = f.RequiredString("id");
            if (_kinds.ContainsKey(id))
                throw f.Error(f.Get("id"), "id", $"'{id}' is used by another record; ids must be unique.");
            _kinds[id] = kind;
            return id;
        }

        private void CheckReferences<T>(string section, List<T> records)
            where T : CrmRecord
        {
            var lines = _lines.TryGetValue(section, out var found) ? found : [];
            for (var i = 0; i < records.Count; i++)
            {
                var path = $"{section}[{i}]";
                RequireKind(path, lines[i], "ownerId", records[i].OwnerId, RecordKind.User);
                if (records[i] is User { ManagerId: { } manager })
                    RequireKind(path, lines[i], "managerId", manager, RecordKind.User);
                if (records[i] is Contact { AccountId: { } account })
                    RequireKind(path, lines[i], "accountId", account, RecordKind.Account);
                if (records[i] is Account { ParentId: { } parent } child)
                {
                    RequireKind(path, lines[i], "parentId", parent, RecordKind.Account);
                    if (parent == child.Id)
                        throw new InputFormatException(file, lines[i], path + ".parentId", "an account cannot be its own parent.");
                }
            }
        }

        private void RequireKind(string path, int line, string field, string? id, RecordKind kind)
        {
            if (id is null)
                return;
            if (!_kinds.TryGetValue(id, out var found) || found != kind)
                throw new InputFormatException(file, line, $"{path}.{field}", $"no {new RecordRef(kind, id).KindName} has the id '{id}'.");
        }

        private static T Finish<T>(JsonFields fields, T record)
            where T : CrmRecord
        {
            if (record is Activity && !fields.Has("type"))
                throw fields.Error(null, "type", "is required.");
            fields.RejectUnknown();
            return record;
        }
    }
}

/// <summary>A user on an account's team.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="UserId">The user.</param>
public sealed record AccountTeamMember(string AccountId, string UserId);
