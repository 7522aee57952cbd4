using System.Text;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Tests.Embedded;

public class FormatTests
{
    private static CrmSnapshot Snapshot(string json) => CrmSnapshot.Parse(Encoding.UTF8.GetBytes(json), "org.json");

    private const string Users = "\"users\": [{\"id\": \"u1\", \"name\": \"Grace Okafor\"}]";

    [Fact]
    public void Parse_FormatExample_ReadsEverySection()
    {
        var snapshot = Snapshot("""
            {
              "users":       [{"id": "u1", "name": "Grace Okafor", "managerId": "u9"}, {"id": "u9", "name": "Boss"}, {"id": "u2", "name": "Rep"}, {"id": "u3", "name": "Rep 3"}],
              "accounts":    [{"id": "a1", "name": "Contoso Ltd", "website": "https://contoso.com", "phone": "+1 425 555 0100",
                               "email": "", "city": "Redmond", "country": "US", "ownerId": "u1", "status": "customer"}],
              "accountTeam": [{"accountId": "a1", "userId": "u3"}],
              "contacts":    [{"id": "c1", "accountId": "a1", "firstName": "Dan", "lastName": "Jump",
                               "email": "dan@contoso.com", "phone": "", "ownerId": "u1"}],
              "leads":       [{"id": "l1", "firstName": "Ann", "lastName": "Beebe", "company": "Litware", "email": "",
                               "phone": "", "website": "", "ownerId": "u2", "status": "open"}],
              "activities":  [{"id": "t1", "type": "phonecall", "direction": "outbound", "ownerId": "u2",
                               "regardingId": "c1", "partyIds": ["c1"], "status": "open",
                               "scheduledStart": "2026-11-23T10:00:00Z", "createdOn": "2026-11-21T10:00:00Z",
                               "subject": "Intro call"}]
            }
            """);

        Assert.Equal(4, snapshot.Users.Count);
        Assert.Equal(AccountStatus.Customer, snapshot.Accounts[0].Status);
        Assert.Null(snapshot.Accounts[0].Email);
        Assert.Equal(new AccountTeamMember("a1", "u3"), snapshot.AccountTeam[0]);
        var activity = snapshot.Activities[0];
        Assert.Equal(new RecordRef(RecordKind.Contact, "c1"), activity.Regarding);
        Assert.Equal(ActivityType.PhoneCall, activity.Type);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), activity.ScheduledStart);
    }

    [Theory]
    [InlineData("{\"users\": [", "org.json:1: not valid JSON")]
    [InlineData("{\n\"users\": [],\n\"acounts\": []}", "org.json:3: acounts: is not a field of this format")]
    [InlineData("{" + Users + ",\n\"accounts\": [\n{\"id\": \"a1\", \"name\": \"A\", \"status\": \"client\"}]}", "org.json:3: accounts[0].status: 'client' is not one of customer, prospect, former.")]
    [InlineData("{" + Users + ",\n\"accounts\": [{\"id\": \"u1\", \"name\": \"A\"}]}", "org.json:2: accounts[0].id: 'u1' is used by another record; ids must be unique.")]
    [InlineData("{" + Users + ",\n\"accounts\": [{\"id\": \"a1\", \"name\": \"A\", \"ownerId\": \"u7\"}]}", "org.json:2: accounts[0].ownerId: no user has the id 'u7'.")]
    [InlineData("{" + Users + ",\n\"activities\": [{\"id\": \"t1\", \"type\": \"phonecall\", \"regardingId\": \"c9\"}]}", "org.json:2: activities[0].regardingId: no account, contact, lead or activity has the id 'c9'.")]
    [InlineData("{" + Users + ",\n\"activities\": [{\"id\": \"t1\", \"type\": \"fax\"}]}", "org.json:2: activities[0].type: 'fax' is not one of")]
    [InlineData("{" + Users + ",\n\"activities\": [{\"id\": \"t1\", \"type\": \"task\", \"createdOn\": \"2026-11-21 10:00\"}]}", "org.json:2: activities[0].createdOn: '2026-11-21 10:00' is not an ISO 8601 time with an offset")]
    [InlineData("{" + Users + ",\n\"activities\": [{\"id\": \"t1\"}]}", "org.json:2: activities[0].type: is required.")]
    [InlineData("{\"users\": [{\"name\": \"No id\"}]}", "org.json:1: users[0].id: is required.")]
    [InlineData("{\"users\": {\"id\": \"u1\"}}", "org.json:1: users: expected an array, found an object.")]
    [InlineData("[]", "org.json:1: expected an object, found an array.")]
    [InlineData("", "org.json:1: the file is empty; expected JSON.")]
    [InlineData("{\"users\": [{\"id\": \"u1\", \"name\": 5}]}", "org.json:1: users[0].name: expected a string, found a number.")]
    public void Parse_BadSnapshot_NamesFileLineAndField(string json, string expectedStart)
    {
        var error = Assert.Throws<InputFormatException>(() => Snapshot(json));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    /// <summary>200 users, one property per line, so records are split between batches and their lines are counted.</summary>
    private static string ManyUsers(Func<int, string> user) =>
        "{\n\"users\": [\n" + string.Join(",\n", Enumerable.Range(0, 200).Select(user)) + "\n]\n}";

    private static string User(int i) => $"{{\n  \"id\": \"u{i}\",\n  \"name\": \"Rep {i}\"\n}}";

    [Fact]
    public void Parse_ManyRecords_KeepsBracesQuotesAndEscapesInsideStrings()
    {
        var snapshot = Snapshot(ManyUsers(i => i == 120 ? "{\"id\": \"u120\", \"name\": \"Curly {\\\"Brace\\\"} } Co \\\\\"}" : User(i)));

        Assert.Equal(200, snapshot.Users.Count);
        Assert.Equal("Curly {\"Brace\"} } Co \\", snapshot.Users[120].Name);
        Assert.Equal("u199", snapshot.Users[199].Id);
    }

    [Fact]
    public void Parse_ManyRecordsOfChangingShapes_KeepsEachRecordsOwnFields()
    {
        // The parser reuses its nodes record after record: an array, a manager or a missing field must not leak into the next.
        var snapshot = Snapshot(ManyUsers(i => i % 3 == 0
            ? $"{{\"id\": \"u{i}\", \"name\": \"Rep {i}\", \"managerId\": \"u{(i + 1) % 200}\"}}"
            : i % 3 == 1 ? $"{{\"name\": \"Rep {i}\", \"id\": \"u{i}\"}}" : User(i)));

        Assert.Equal(200, snapshot.Users.Count);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal($"u{i}", snapshot.Users[i].Id);
            Assert.Equal($"Rep {i}", snapshot.Users[i].Name);
            Assert.Equal(i % 3 == 0 ? $"u{(i + 1) % 200}" : null, snapshot.Users[i].ManagerId);
        }
    }

    [Fact]
    public void JsonTree_ReusedNodes_HoldOnlyTheLastDocument()
    {
        var nodes = new JsonTree.Nodes();
        var first = JsonTree.Parse("{\"a\": {\"b\": [1, 2]}, \"c\": [\"x\"]}"u8, "f.json", 1, nodes);
        Assert.Equal(2, first.Properties[0].Value.Properties[0].Value.Items.Count);

        var second = JsonTree.Parse("{\"a\": \"text\",\n\"c\": null}"u8, "f.json", 10, nodes);

        Assert.Equal(2, second.Properties.Count);
        var a = second.Properties[0].Value;
        Assert.Equal(System.Text.Json.JsonValueKind.String, a.Kind);
        Assert.Equal("text", a.Text);
        Assert.Empty(a.Properties);
        Assert.Empty(a.Items);
        Assert.Equal(11, second.Properties[1].Value.Line);
        Assert.Empty(second.Properties[1].Value.Items);
    }

    [Theory]
    [InlineData(150, "{\n  \"id\": \"u150\",\n  \"name\": 5\n}", "org.json:605: users[150].name: expected a string, found a number.")]
    [InlineData(150, "{\n  \"id\": \"u150\",\n  \"name\": \"A\"\n}{\"id\": \"x\"}", "org.json:606: not valid JSON")]
    [InlineData(150, "/* a comment */ {\n  \"id\": \"u150\",\n  \"name\": \"A\", \"status\": [\n}", "org.json:606: not valid JSON")]
    [InlineData(150, "\"u150\"", "org.json:603: users[150]: expected an object, found a string.")]
    [InlineData(199, "{\n  \"id\": \"u199\",\n  \"name\": \"A\"", "org.json:802: not valid JSON")]
    [InlineData(180, "{\n  \"id\": \"u180\",\n  \"name\": [\"A\"}\n}", "org.json:725: not valid JSON")]
    public void Parse_ManyRecords_ReportsTheLineOfABrokenRecord(int at, string broken, string expectedStart)
    {
        var error = Assert.Throws<InputFormatException>(() => Snapshot(ManyUsers(i => i == at ? broken : User(i))));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyRecords_CommentsBetweenRecordsAreSkipped()
    {
        var snapshot = Snapshot(ManyUsers(i => (i % 50 == 7 ? "// the next rep\n" : string.Empty) + User(i)));

        Assert.Equal(200, snapshot.Users.Count);
        Assert.Equal("Rep 157", snapshot.Users[157].Name);
    }

    [Fact]
    public void Parse_HugeString_IsRejectedWithItsLength()
    {
        var json = "{\"users\": [{\"id\": \"u1\", \"name\": \"" + new string('x', 1_000_000) + "\"}]}";

        var error = Assert.Throws<InputFormatException>(() => Snapshot(json));

        Assert.Equal("org.json:1: users[0].name: is 1,000,000 characters long; at most 300 are accepted.", error.Message);
    }

    [Fact]
    public void Parse_InjectionShapedText_IsKeptAsText()
    {
        var snapshot = Snapshot("{" + Users + ", \"accounts\": [{\"id\": \"a1\", \"name\": \"x' or name ne '<script>alert(1)</script>\"}]}");

        Assert.Equal("x' or name ne '<script>alert(1)</script>", snapshot.Accounts[0].Name);
    }

    [Fact]
    public void Parse_ByteOrderMark_IsAccepted()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("{" + Users + "}")).ToArray();

        Assert.Single(CrmSnapshot.Parse(bytes, "org.json").Users);
    }

    [Fact]
    public void Parse_InvalidUtf8_IsRejected()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"users\": [{\"id\": \"u1\", \"name\": \"A\"}]}");
        bytes[bytes.Length - 6] = 0xFF;

        var error = Assert.Throws<InputFormatException>(() => CrmSnapshot.Parse(bytes, "org.json"));

        Assert.StartsWith("org.json:1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var error = Assert.Throws<InputFormatException>(() => CrmSnapshot.Load("/nonexistent/org.json"));

        Assert.StartsWith("/nonexistent/org.json: cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"userId": "u1", "op": "create", "record": {"kind": "lead"}}""", "events.jsonl:3: at: is required.")]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "u1", "op": "delete", "record": {"kind": "lead"}}""", "events.jsonl:3: op: 'delete' is not one of create, update.")]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "u1", "op": "update", "record": {"kind": "lead"}}""", "events.jsonl:3: record.id: is required on an update.")]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "u1", "op": "create", "record": {"kind": "activity"}}""", "events.jsonl:3: record.type: is required when creating an activity.")]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "u1", "op": "create", "record": {"kind": "user"}}""", "events.jsonl:3: record.kind: 'user' is not one of")]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "u1", "op": "create", "extra": 1, "record": {"kind": "lead"}}""", "events.jsonl:3: extra: is not a field of this format")]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "u1", "op": "create", "record": {"kind": "lead"}""", "events.jsonl:3: not valid JSON")]
    [InlineData("""not json""", "events.jsonl:3: not valid JSON")]
    public void ParseEvents_BadLine_NamesLineAndField(string line, string expectedStart)
    {
        var text = """{"at": "2026-03-02T09:00:00Z", "userId": "u1", "op": "create", "record": {"kind": "lead"}}""" + "\n\n" + line + "\n";

        var error = Assert.Throws<InputFormatException>(() => CrmEvent.Parse(text, "events.jsonl"));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }
}
