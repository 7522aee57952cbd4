using System.Text;
using CrmGuardrails.Embedded;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Embedded;

/// <summary>What the readers refuse before reading, how large files are read, and which encodings they take.</summary>
public sealed class InputFileTests : IDisposable
{
    private const string Snapshot = """{"users": [{"id": "u1", "name": "Grace Okafor"}], "accounts": [{"id": "a1", "name": "Contoso", "ownerId": "u1"}]}""";
    private const string Events = """{"at": "2026-03-02T09:00:00Z", "userId": "u1", "op": "create", "record": {"kind": "lead", "company": "Contoso"}}""" + "\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Readers => new() { "snapshot", "events" };

    private static void Load(string reader, string path)
    {
        if (reader == "snapshot")
            CrmSnapshot.Load(path);
        else
            CrmEvent.Load(path);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Load_DevZero_IsRefusedBeforeReading(string reader)
    {
        var error = Assert.Throws<InputFormatException>(() => Load(reader, "/dev/zero"));

        Assert.Equal("/dev/zero: cannot be read: it is a device, pipe or socket, not a file; save the data to a file first.", error.Message);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Load_NamedPipe_IsRefusedWithoutWaitingForAWriter(string reader)
    {
        var fifo = _folder.Fifo("org.json");

        var error = Assert.Throws<InputFormatException>(() => Load(reader, fifo));

        Assert.Equal(fifo, error.File);
        Assert.Contains("a device, pipe or socket", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Load_Folder_SaysItIsAFolder(string reader)
    {
        var error = Assert.Throws<InputFormatException>(() => Load(reader, _folder.Info.FullName));

        Assert.Equal($"{_folder.Info.FullName}: cannot be read: it is a folder, not a file.", error.Message);
    }

    [Fact]
    public void LoadSnapshot_OverTheLimit_IsRefusedBeforeReading()
    {
        // A sparse file: two gigabytes that take no room and that nobody reads.
        var path = _folder.Path("org.json");
        using (var file = new FileStream(path, FileMode.CreateNew))
            file.SetLength(CrmSnapshot.MaxFileBytes + 1);

        var error = Assert.Throws<InputFormatException>(() => CrmSnapshot.Load(path));

        Assert.Equal($"{path}: is {CrmSnapshot.MaxFileBytes + 1:N0} bytes, over the limit of 2 GB for this kind of file; it is not read.", error.Message);
    }

    [Fact]
    public void LoadEvents_OverTheLimit_IsRefusedBeforeReading()
    {
        var path = _folder.Path("events.jsonl");
        using (var file = new FileStream(path, FileMode.CreateNew))
            file.SetLength(CrmEvent.MaxFileBytes + 1);

        var error = Assert.Throws<InputFormatException>(() => CrmEvent.Load(path));

        Assert.Contains("over the limit of 1 GB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadEvents_EndlessLine_IsRefusedAtItsLine()
    {
        var path = _folder.Write("events.jsonl", Events + new string(' ', CrmEvent.MaxLineBytes + 10));

        var error = Assert.Throws<InputFormatException>(() => CrmEvent.Load(path));

        Assert.Equal(2, error.Line);
        Assert.Contains("longer than 1 MB", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseSnapshot_RecordLargerThanAnyReal_IsRefused()
    {
        var json = "{\"users\": [{\"id\": \"u1\", \"name\": \"x\", \"managerId\": [" + string.Join(",", Enumerable.Repeat("\"0123456789\"", 1_600_000)) + "]}]}";

        var error = Assert.Throws<InputFormatException>(() => CrmSnapshot.Parse(Encoding.UTF8.GetBytes(json), "org.json"));

        Assert.Contains("larger than 16 MB", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadSnapshot_ManyRecords_AreReadAcrossBufferRefillsWithTheirLines()
    {
        // Far more than the reader's first buffer (64 KB): records and the error's line must survive every refill.
        var text = new StringBuilder("{\n\"users\": [{\"id\": \"u1\", \"name\": \"Rep\"}],\n\"accounts\": [\n");
        for (var i = 0; i < 5000; i++)
            text.Append("  {\"id\": \"a").Append(i).Append("\", \"name\": \"Company ").Append(i).Append(" Holdings\", \"ownerId\": \"u1\"},\n");
        text.Append("  {\"id\": \"a-last\", \"name\": \"Last\", \"ownerId\": \"u7\"}\n]}\n");
        var path = _folder.Write("org.json", text.ToString());

        var error = Assert.Throws<InputFormatException>(() => CrmSnapshot.Load(path));

        Assert.Equal($"{path}:5004: accounts[5000].ownerId: no user has the id 'u7'.", error.Message);
        var good = _folder.Write("good.json", text.ToString().Replace("\"u7\"", "\"u1\"", StringComparison.Ordinal));
        var snapshot = CrmSnapshot.Load(good);
        Assert.Equal(5001, snapshot.Accounts.Count);
        Assert.Equal("Company 4999 Holdings", snapshot.Accounts[4999].Name);
    }

    [Fact]
    public void ParseSnapshot_SectionsInAnyOrder_ResolveEveryReference()
    {
        var snapshot = CrmSnapshot.Parse(Encoding.UTF8.GetBytes("""
            {"activities": [{"id": "t1", "type": "task", "regardingId": "c1", "partyIds": ["c1", "a1", "c1"], "ownerId": "u1"}],
             "contacts": [{"id": "c1", "accountId": "a1", "ownerId": "u1"}],
             "accountTeam": [{"accountId": "a1", "userId": "u1"}],
             "accounts": [{"id": "a1", "name": "Contoso", "ownerId": "u1"}],
             "users": [{"id": "u1", "name": "Rep"}]}
            """), "org.json");

        var activity = Assert.Single(snapshot.Activities);
        Assert.Equal(new RecordRef(RecordKind.Contact, "c1"), activity.Regarding);
        Assert.Equal([new RecordRef(RecordKind.Contact, "c1"), new RecordRef(RecordKind.Account, "a1")], activity.Parties);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public void Load_Utf16WithByteOrderMark_SnapshotAndEventsAreBothRead(string encoding)
    {
        var text = Encoding.GetEncoding(encoding);
        var snapshot = _folder.Write("org.json", [.. text.GetPreamble(), .. text.GetBytes(Snapshot.Replace("Contoso", "Contoso Zoë 株式会社 😀", StringComparison.Ordinal))]);
        var events = _folder.Write("events.jsonl", [.. text.GetPreamble(), .. text.GetBytes(Events + Events)]);

        Assert.Equal("Contoso Zoë 株式会社 😀", CrmSnapshot.Load(snapshot).Accounts[0].Name);
        Assert.Equal(2, CrmEvent.Load(events).Count);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Load_Utf16WithoutByteOrderMark_SaysSaveAsUtf8(string reader)
    {
        var path = _folder.Write("input.json", Encoding.Unicode.GetBytes(reader == "snapshot" ? Snapshot : Events));

        var error = Assert.Throws<InputFormatException>(() => Load(reader, path));

        Assert.Equal($"{path}: looks like UTF-16 text without a byte-order mark; save the file as UTF-8.", error.Message);
    }

    [Fact]
    public void LoadEvents_Utf16WithUnpairedSurrogate_NamesTheLine()
    {
        var bytes = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes(Events + "{\"at\": \"")).Concat(new byte[] { 0x00, 0xD8 }).Concat(Encoding.Unicode.GetBytes("\"}\n")).ToArray();
        var path = _folder.Write("events.jsonl", bytes);

        var error = Assert.Throws<InputFormatException>(() => CrmEvent.Load(path));

        Assert.Equal(2, error.Line);
        Assert.Contains("save the file as UTF-8", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseEvents_UnpairedSurrogateInText_NamesTheLine()
    {
        var error = Assert.Throws<InputFormatException>(() => CrmEvent.Parse(Events + "{\"at\": \"\uD800\"}\n", "events.jsonl"));

        Assert.Equal("events.jsonl:2: is not valid Unicode text: it has a broken character (an unpaired surrogate).", error.Message);
    }

    [Fact]
    public void LoadEvents_InvalidUtf8_NamesTheLine()
    {
        var path = _folder.Write("events.jsonl", [.. Encoding.UTF8.GetBytes(Events + Events), 0xC3, 0x28, (byte)'\n']);

        var error = Assert.Throws<InputFormatException>(() => CrmEvent.Load(path));

        Assert.Equal($"{path}:3: is not valid UTF-8 text; save the file as UTF-8.", error.Message);
    }

    [Fact]
    public void ParseSnapshot_EscapedLoneSurrogate_IsRefusedInWords()
    {
        var error = Assert.Throws<InputFormatException>(() => CrmSnapshot.Parse(Encoding.UTF8.GetBytes("{\"users\": [\n{\"id\": \"u1\", \"name\": \"\\ud800\"}]}"), "org.json"));

        Assert.StartsWith("org.json:2: not valid JSON: a string holds a broken character", error.Message, StringComparison.Ordinal);
    }
}
