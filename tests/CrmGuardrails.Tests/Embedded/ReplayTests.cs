using System.Text.Json;
using CrmGuardrails.Embedded;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Embedded;

public class ReplayTests
{
    public static async Task<IReadOnlyList<ReplayVerdict>> ReplayAsync(string snapshotPath, string eventsPath)
    {
        var directory = new InMemoryCrmDirectory(CrmSnapshot.Load(snapshotPath));
        var session = new ReplaySession(new GuardPipelineBuilder { Directory = directory }.AddDefaultGuards().Build(), directory);
        var events = CrmEvent.Load(eventsPath);
        var verdicts = new List<ReplayVerdict>();
        for (var i = 0; i < events.Count; i++)
            verdicts.Add(await session.ApplyAsync(i + 1, events[i]));
        return verdicts;
    }

    [Fact]
    public async Task Replay_InternationalExample_EveryScriptAndSpellingIsRecognised()
    {
        // Czech without diacritics, ü written as ue, Cyrillic, Greek upper case, full-width letters, and a firm that
        // only shares a generic word: expected.jsonl allows "a|b" where either verdict is right.
        var folder = SharedFiles.Path("examples", "replay-international");
        var verdicts = await ReplayAsync(System.IO.Path.Combine(folder, "snapshot.json"), System.IO.Path.Combine(folder, "events.jsonl"));
        var wrong = new List<string>();
        foreach (var line in File.ReadAllLines(System.IO.Path.Combine(folder, "expected.jsonl")).Where(l => l.Length > 0))
        {
            var expected = JsonDocument.Parse(line).RootElement;
            var number = expected.GetProperty("event").GetInt32();
            var actual = JsonDocument.Parse(ReplayJson.Format(verdicts[number - 1])).RootElement;
            var verdict = actual.GetProperty("verdict").GetString()!;
            var record = expected.GetProperty("record").GetString();
            var ok = expected.GetProperty("verdict").GetString()!.Split('|').Contains(verdict) &&
                     (verdict == "allow" || string.IsNullOrEmpty(record) || actual.GetProperty("collisions").EnumerateArray().Any(c => c.GetProperty("recordId").GetString() == record));
            if (!ok)
                wrong.Add($"event {number}: {verdict} {actual.GetProperty("collisions")} ({expected.GetProperty("why").GetString()})");
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Replay_SharedExample_ReproducesExpectedVerdictRuleAndRecord()
    {
        var verdicts = await ReplayAsync(SharedFiles.Path("examples", "replay", "snapshot.json"), SharedFiles.Path("examples", "replay", "events.jsonl"));
        var expected = File.ReadAllLines(SharedFiles.Path("examples", "replay", "expected.jsonl")).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        Assert.Equal(expected.Count, verdicts.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var line = JsonDocument.Parse(ReplayJson.Format(verdicts[i])).RootElement;
            Assert.Equal(expected[i].GetProperty("event").GetInt32(), line.GetProperty("event").GetInt32());
            Assert.Equal(expected[i].GetProperty("verdict").GetString(), line.GetProperty("verdict").GetString());
            var rule = expected[i].GetProperty("rule").GetString();
            var record = expected[i].GetProperty("record").GetString();
            var rules = line.GetProperty("rules").EnumerateArray().Select(r => r.GetString()).ToList();
            var collisions = line.GetProperty("collisions").EnumerateArray().ToList();
            if (string.IsNullOrEmpty(rule))
            {
                Assert.Empty(rules);
                continue;
            }

            Assert.Equal(rule, rules[0]);
            Assert.Equal(rule, collisions[0].GetProperty("rule").GetString());
            Assert.Equal(record, collisions[0].GetProperty("recordId").GetString());
        }
    }

    [Fact]
    public async Task Replay_BlockedCreate_ChangesNothing_FlaggedOneIsApplied()
    {
        var org = new Org();
        var session = new ReplaySession(org.Pipeline(), org.Directory);
        var events = CrmEvent.Parse(
            """
            {"at": "2026-03-02T09:00:00Z", "userId": "u2", "op": "create", "record": {"kind": "lead", "id": "l-dup", "firstName": "Tom", "company": "Contoso Pharmaceuticals", "email": "tom@contoso-pharma.co.uk"}}
            {"at": "2026-03-02T09:01:00Z", "userId": "u3", "op": "create", "record": {"kind": "lead", "id": "l-eva", "firstName": "Eva", "lastName": "Stone", "company": "Proseware", "email": "eva@proseware.io"}}
            {"at": "2026-03-02T09:02:00Z", "userId": "u2", "op": "create", "record": {"kind": "activity", "type": "task", "regardingId": "l-eva"}}
            """,
            "events.jsonl");

        var blocked = await session.ApplyAsync(1, events[0]);
        var flagged = await session.ApplyAsync(2, events[1]);
        var created = await session.ApplyAsync(3, events[2]);

        Assert.True(blocked.Result.IsBlocked);
        Assert.Null(org.Directory.Find("l-dup"));
        Assert.True(flagged.Result.IsFlagged);
        Assert.IsType<Lead>(org.Directory.Find("l-eva"));
        Assert.Equal("activity-e3", created.Record.Id);
        Assert.Equal("u2", created.Record.OwnerId);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 2, 0, TimeSpan.Zero), ((Activity)created.Record).CreatedOn);
    }

    [Theory]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "nobody", "op": "create", "record": {"kind": "lead", "company": "X"}}""", "userId: no user has the id 'nobody'.")]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "u2", "op": "update", "record": {"kind": "activity", "id": "t-missing", "subject": "x"}}""", "record.id: no record has the id 't-missing'.")]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "u2", "op": "create", "record": {"kind": "activity", "type": "task", "regardingId": "c-ghost"}}""", "record.regardingId: no account, contact, lead or activity has the id 'c-ghost'.")]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "u2", "op": "create", "record": {"kind": "lead", "company": "X", "ownerId": "u-ghost"}}""", "record.ownerId: no user has the id 'u-ghost'.")]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "u2", "op": "create", "record": {"kind": "lead", "id": "l-omar", "company": "X"}}""", "record.id: a record with the id 'l-omar' already exists.")]
    [InlineData("""{"at": "2026-03-02T09:00:00Z", "userId": "u2", "op": "update", "record": {"kind": "lead", "id": "c-anna", "company": "X"}}""", "record.kind: the record 'c-anna' is a contact, not a lead.")]
    public async Task Apply_UnknownIds_ThrowNamingLineAndField(string line, string expected)
    {
        var org = new Org();
        var session = new ReplaySession(org.Pipeline(), org.Directory);
        var events = CrmEvent.Parse("\n" + line, "events.jsonl");

        var error = await Assert.ThrowsAsync<InputFormatException>(() => session.ApplyAsync(1, events[0]));

        Assert.Equal($"events.jsonl:2: {expected}", error.Message);
    }
}
