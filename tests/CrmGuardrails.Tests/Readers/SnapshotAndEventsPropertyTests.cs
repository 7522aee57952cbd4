using System.Text;
using CrmGuardrails.Embedded;
using CrmGuardrails.Tests.TestSupport;
using CsCheck;

namespace CrmGuardrails.Tests.Readers;

/// <summary>
/// Property tests of the snapshot and events readers over arbitrary and mutated input: nothing but
/// <see cref="InputFormatException"/> escapes, its message names the file and a line the input has, and the same input
/// gets the same answer.
/// </summary>
public sealed class SnapshotAndEventsPropertyTests : IDisposable
{
    private const string ValidSnapshot = """
        {
          "users":       [{"id": "u1", "name": "Grace Okafor", "managerId": "u9"}, {"id": "u9", "name": "Boss"}, {"id": "u2", "name": "Rep"}, {"id": "u3", "name": "Rep 3"}],
          "accounts":    [{"id": "a1", "name": "Contoso Ltd", "website": "https://contoso.com", "phone": "+1 425 555 0100",
                           "email": "", "city": "Redmond", "country": "US", "ownerId": "u1", "status": "customer"},
                          {"id": "a2", "name": "Contoso Redmond", "parentId": "a1", "ownerId": "u1", "status": "prospect"}],
          "accountTeam": [{"accountId": "a1", "userId": "u3"}],
          "contacts":    [{"id": "c1", "accountId": "a1", "firstName": "Dan", "lastName": "Jump",
                           "email": "dan@contoso.com", "phone": "", "ownerId": "u1"}],
          "leads":       [{"id": "l1", "firstName": "Ann", "lastName": "Beebe", "company": "Litware", "email": "",
                           "phone": "", "website": "", "ownerId": "u2", "status": "open"}],
          "activities":  [{"id": "t1", "type": "phonecall", "direction": "outbound", "ownerId": "u2",
                           "regardingId": "c1", "partyIds": ["c1"], "status": "open",
                           "scheduledStart": "2026-11-23T10:00:00Z", "createdOn": "2026-11-21T10:00:00Z",
                           "subject": "Intro call", "rescheduleCount": 1}]
        }
        """;

    private const string ValidEvents = """
        {"at": "2026-11-22T09:00:00Z", "userId": "u2", "op": "create", "record": {"kind": "lead", "firstName": "Dan", "company": "Contoso", "email": "dan@contoso.com"}}
        {"at": "2026-11-22T09:05:00Z", "userId": "u2", "op": "create", "record": {"kind": "activity", "type": "phonecall", "direction": "outbound", "regardingId": "c1", "partyIds": ["c1"], "status": "open", "scheduledStart": "2026-11-23T11:00:00Z"}}

        {"at": "2026-11-22T09:07:00Z", "userId": "u2", "op": "update", "record": {"kind": "activity", "id": "t1", "scheduledStart": "2026-11-24T10:00:00Z", "rescheduleCount": 2}}
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ValidExamples_AreRead()
    {
        Assert.Equal(2, CrmSnapshot.Parse(Encoding.UTF8.GetBytes(ValidSnapshot), "org.json").Accounts.Count);
        Assert.Equal(3, CrmEvent.Parse(ValidEvents, "events.jsonl").Count);
    }

    [Fact]
    public void Snapshot_MutatedOrArbitraryInput_OnlyNamedFormatErrors_SameAnswerTwice() =>
        ReaderChecks.Mutations(ValidSnapshot, ReaderChecks.JsonValues, ReaderChecks.HostileJsonValues)
            .Sample(bytes => ReaderChecks.Outcome(() => Describe(CrmSnapshot.Parse(bytes, "org.json")), "org.json", bytes), iter: ReaderChecks.Iterations);

    [Fact]
    public void Snapshot_Utf16OfMutatedInput_GetsTheSameAnswerAsUtf8()
    {
        // The same text in UTF-16 with a byte-order mark is the same snapshot, or the same error.
        ReaderChecks.Mutations(ValidSnapshot, ReaderChecks.JsonValues, ReaderChecks.HostileJsonValues)
            .Where(bytes => IsUtf8(bytes) && !StartsLikeAnotherEncoding(bytes))
            .Sample(
                bytes =>
                {
                    var utf16 = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(bytes))).ToArray();
                    var asUtf8 = ReaderChecks.Outcome(() => Describe(CrmSnapshot.Parse(bytes, "org.json")), "org.json", bytes);
                    var asUtf16 = ReaderChecks.Outcome(() => Describe(CrmSnapshot.Parse(utf16, "org.json")), "org.json", utf16);
                    Assert.Equal(asUtf8, asUtf16);
                },
                iter: ReaderChecks.Iterations / 3);
    }

    [Fact]
    public void Events_MutatedOrArbitraryInput_OnlyNamedFormatErrors_SameAnswerTwice() =>
        ReaderChecks.Mutations(ValidEvents, ReaderChecks.JsonValues, ReaderChecks.HostileJsonValues)
            .Sample(
                bytes =>
                {
                    var path = _folder.Write($"{Guid.NewGuid():N}.jsonl", bytes);
                    ReaderChecks.Outcome(() => Describe(CrmEvent.Load(path)), path, bytes);
                },
                iter: ReaderChecks.Iterations);

    [Fact]
    public void Events_ArbitraryText_OnlyNamedFormatErrors_SameAnswerTwice() =>
        Gen.Frequency(
                (3, Gen.String),
                (2, Gen.Char.Array[0, 300].Select(chars => new string(chars))),
                (2, Gen.OneOf(ReaderChecks.HostileJsonValues).Array[1, 6].Select(values => "{\"at\": " + string.Join(", \"userId\": ", values) + "}\n")))
            .Sample(
                text => ReaderChecks.Outcome(() => Describe(CrmEvent.Parse(text, "events.jsonl")), "events.jsonl", Encoding.UTF8.GetBytes(text)),
                iter: ReaderChecks.Iterations);

    private static bool StartsLikeAnotherEncoding(byte[] bytes) => bytes.Length >= 2 && ((bytes[0] == 0xEF && bytes[1] == 0xBB) || bytes[0] == 0 || bytes[1] == 0);

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            new UTF8Encoding(false, true).GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static string Describe(CrmSnapshot s) =>
        string.Join("\n", s.Users.Cast<object>().Concat(s.Accounts).Concat(s.AccountTeam).Concat(s.Contacts).Concat(s.Leads).Concat(s.Activities)
            .Select(r => r is Activity a ? a + string.Join(",", a.Parties) : r.ToString()));

    private static string Describe(IReadOnlyList<CrmEvent> events) =>
        string.Join("\n", events.Select(e => $"{e.Line} {e.At:O} {e.UserId} {e.Operation} {e.Kind} {e.Id}"));
}
