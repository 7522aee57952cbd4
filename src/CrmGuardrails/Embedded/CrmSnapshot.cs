using System.Collections.Concurrent;

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
        var builder = new Builder(file, ExpectedRecords(stream));
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
            ReadSection(json, builder, section, file);
        }

        return builder.Build();
    }

    /// <summary>
    /// About how many records a snapshot of this size holds (a record of the format is 200 to 300 bytes), so that the
    /// table of ids is made once rather than grown by doubling (each copy of a large table costs a full collection).
    /// </summary>
    private static int ExpectedRecords(Stream stream) =>
        stream.CanSeek ? (int)Math.Min(stream.Length / 256, 8_000_000) : 0;

    /// <summary>Bytes of records read before they are parsed together: large enough to share among cores, small enough to stay cheap.</summary>
    private const int BatchBytes = 1 << 20;

    /// <summary>
    /// Reads one section's records in batches: the text is split into records in order, the records of a batch are
    /// parsed on every core while the next batch is split, then added in order, so the first problem in the file is the
    /// one reported, as when reading one record at a time.
    /// </summary>
    private static void ReadSection(JsonSectionReader json, Builder builder, string section, string file)
    {
        var batches = new[] { new JsonSectionReader.ItemBatch(), new JsonSectionReader.ItemBatch() };

        // Each worker parses its records into one set of nodes, reused record after record and batch after batch.
        var nodes = new ConcurrentBag<JsonTree.Nodes>();

        // One array of results per batch, reused turn after turn: a batch's results are a few hundred kilobytes, which
        // made anew each time would each cost a collection of the large-object heap.
        var results = new Builder.Parsed[2][];
        Task<ArraySegment<Builder.Parsed>>? parsing = null;
        var first = 0;
        var more = true;
        for (var turn = 0; more || parsing is not null; turn ^= 1)
        {
            var batch = batches[turn];
            batch.Clear();
            InputFormatException? broken = null;
            try
            {
                while (more && (more = json.NextItem(batch)) && batch.Bytes < BatchBytes)
                {
                }
            }
            catch (InputFormatException problem)
            {
                // The records before it come first in the file: their problems are reported before this one.
                broken = problem;
                more = false;
            }

            if (parsing is not null)
            {
                foreach (var record in parsing.GetAwaiter().GetResult())
                    builder.Add(section, record);
                parsing = null;
            }

            if (broken is not null)
                throw broken;
            if (batch.Count == 0)
                continue;
            var offset = first;
            first += batch.Count;
            if (batch.Count < 64)
            {
                foreach (var record in Parse(section, batch, file, offset, nodes.TryTake(out var kept) ? kept : new JsonTree.Nodes()))
                    builder.Add(section, record);
            }
            else
            {
                var parsed = results[turn] is { } kept && kept.Length >= batch.Count ? kept : results[turn] = new Builder.Parsed[Math.Max(batch.Count, 2 * (results[turn]?.Length ?? 0))];
                parsing = Task.Run(() =>
                {
                    Parallel.For(
                        0,
                        batch.Count,
                        () => nodes.TryTake(out var kept) ? kept : new JsonTree.Nodes(),
                        (i, _, mine) =>
                        {
                            parsed[i] = Builder.Parse(section, batch, i, file, offset + i, mine);
                            return mine;
                        },
                        nodes.Add);
                    return new ArraySegment<Builder.Parsed>(parsed, 0, batch.Count);
                });
            }
        }
    }

    private static Builder.Parsed[] Parse(string section, JsonSectionReader.ItemBatch batch, string file, int offset, JsonTree.Nodes nodes)
    {
        var parsed = new Builder.Parsed[batch.Count];
        for (var i = 0; i < parsed.Length; i++)
            parsed[i] = Builder.Parse(section, batch, i, file, offset + i, nodes);
        return parsed;
    }

    /// <summary>
    /// Collects the records as they are read. What depends on records yet to come (every reference to an id) is checked
    /// once all are read, since the sections may come in any order.
    /// </summary>
    private sealed class Builder(string file, int expectedRecords)
    {
        public static readonly HashSet<string> Sections = new(StringComparer.Ordinal) { "users", "accounts", "accountTeam", "contacts", "leads", "activities" };

        private readonly Dictionary<string, RecordKind> _kinds = new(expectedRecords, StringComparer.Ordinal);
        private readonly List<User> _users = [];
        private readonly List<Account> _accounts = [];
        private readonly List<Contact> _contacts = [];
        private readonly List<Lead> _leads = [];
        private readonly List<Activity> _activities = [];
        private readonly List<(AccountTeamMember Member, int Line)> _team = [];
        private readonly Dictionary<string, List<int>> _lines = new(StringComparer.Ordinal);
        private readonly List<(int Activity, int Line, List<(string Field, string Id)> Ids)> _unresolved = [];

        /// <summary>One record as parsed, on its own: its id (checked for uniqueness when added), and the record or what was wrong with it.</summary>
        public readonly record struct Parsed(string? Id, int IdLine, int Index, int Line, CrmRecord? Record, AccountTeamMember? Member, List<(string Field, string Id)>? Ids, InputFormatException? Problem);

        /// <summary>Parses item <paramref name="index"/> of a batch into <paramref name="nodes"/>; depends on no other record, so batches parse on every core.</summary>
        public static Parsed Parse(string section, JsonSectionReader.ItemBatch batch, int index, string file, int position, JsonTree.Nodes nodes)
        {
            string? id = null;
            var idLine = 0;
            var line = 0;
            try
            {
                var f = new JsonFields(batch.Parse(index, file, nodes), file, section, position);
                line = f.Line;
                if (section == "accountTeam")
                {
                    var member = new AccountTeamMember(f.RequiredString("accountId"), f.RequiredString("userId"));
                    f.RejectUnknown();
                    return new Parsed(null, 0, position, line, null, member, null, null);
                }

                id = f.RequiredString("id");
                idLine = f.Get("id")?.Line ?? line;
                List<(string Field, string Id)>? ids = null;
                CrmRecord record = section switch
                {
                    "users" => Finish(f, RecordJson.ApplyUser(new User { Id = id }, f)),
                    "accounts" => Finish(f, RecordJson.ApplyAccount(new Account { Id = id }, f)),
                    "contacts" => Finish(f, RecordJson.ApplyContact(new Contact { Id = id }, f)),
                    "leads" => Finish(f, RecordJson.ApplyLead(new Lead { Id = id }, f)),

                    // Ids an activity names are resolved once every record is known; kept until then.
                    _ => Finish(f, RecordJson.ApplyActivity(new Activity { Id = id }, f, (other, _, field) =>
                    {
                        (ids ??= []).Add((field, other));
                        return new RecordRef(RecordKind.Activity, other);
                    })),
                };
                return new Parsed(id, idLine, position, line, record, null, ids, null);
            }
            catch (InputFormatException problem)
            {
                return new Parsed(id, idLine, position, line, null, null, null, problem);
            }
        }

        /// <summary>Adds a parsed record, in file order: a repeated id is reported before anything else wrong with the record.</summary>
        public void Add(string section, Parsed parsed)
        {
            if (parsed.Id is { } id)
            {
                if (_kinds.ContainsKey(id))
                    throw new InputFormatException(file, parsed.IdLine, $"{section}[{parsed.Index}].id", $"'{id}' is used by another record; ids must be unique.");
                _kinds[id] = parsed.Record?.Kind ?? KindOf(section);
            }

            if (parsed.Problem is { } problem)
                throw problem;
            switch (parsed.Record)
            {
                case null:
                    _team.Add((parsed.Member!, parsed.Line));
                    return;
                case User user:
                    _users.Add(user);
                    break;
                case Account account:
                    _accounts.Add(account);
                    break;
                case Contact contact:
                    _contacts.Add(contact);
                    break;
                case Lead lead:
                    _leads.Add(lead);
                    break;
                case Activity activity:
                    if (parsed.Ids is { } ids)
                        _unresolved.Add((_activities.Count, parsed.Line, ids));
                    _activities.Add(activity);
                    break;
            }

            if (!_lines.TryGetValue(section, out var lines))
                _lines[section] = lines = [];
            lines.Add(parsed.Line);
        }

        private static RecordKind KindOf(string section) => section switch
        {
            "users" => RecordKind.User,
            "accounts" => RecordKind.Account,
            "contacts" => RecordKind.Contact,
            "leads" => RecordKind.Lead,
            _ => RecordKind.Activity,
        };

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
                RequireKind("accountTeam", i, line, "accountId", member.AccountId, RecordKind.Account);
                RequireKind("accountTeam", i, line, "userId", member.UserId, RecordKind.User);
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

        private void CheckReferences<T>(string section, List<T> records)
            where T : CrmRecord
        {
            var lines = _lines.TryGetValue(section, out var found) ? found : [];
            for (var i = 0; i < records.Count; i++)
            {
                RequireKind(section, i, lines[i], "ownerId", records[i].OwnerId, RecordKind.User);
                if (records[i] is User { ManagerId: { } manager })
                    RequireKind(section, i, lines[i], "managerId", manager, RecordKind.User);
                if (records[i] is Contact { AccountId: { } account })
                    RequireKind(section, i, lines[i], "accountId", account, RecordKind.Account);
                if (records[i] is Account { ParentId: { } parent } child)
                {
                    RequireKind(section, i, lines[i], "parentId", parent, RecordKind.Account);
                    if (parent == child.Id)
                        throw new InputFormatException(file, lines[i], $"{section}[{i}].parentId", "an account cannot be its own parent.");
                }
            }
        }

        // The path is written only for an error: a string per record of a million would be garbage.
        private void RequireKind(string section, int index, int line, string field, string? id, RecordKind kind)
        {
            if (id is null)
                return;
            if (!_kinds.TryGetValue(id, out var found) || found != kind)
                throw new InputFormatException(file, line, $"{section}[{index}].{field}", $"no {new RecordRef(kind, id).KindName} has the id '{id}'.");
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
