using System.Text;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching.Bulk;

public class MatchingDatasetTests
{
    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void ReadAccounts_ColumnsInAnyOrder_UnknownIgnored()
    {
        var csv = "city,extra,Name,id\r\nDenver,zzz,\"Brookside, Holdings Co.\",A1\r\n,,\"Say \"\"Hi\"\" Inc\",A2\n";
        var accounts = MatchingDataset.ReadAccounts(Utf8(csv), "accounts.csv");
        Assert.Equal(2, accounts.Count);
        Assert.Equal("A1", accounts[0].Id);
        Assert.Equal("Brookside, Holdings Co.", accounts[0].Name);
        Assert.Equal("Denver", accounts[0].City);
        Assert.Null(accounts[1].City);
        Assert.Equal("Say \"Hi\" Inc", accounts[1].Name);
        Assert.Null(accounts[0].Phone);
    }

    [Fact]
    public void ReadLeads_QuotedLineBreak_IsOneField()
    {
        var leads = MatchingDataset.ReadLeads(Utf8("id,company,street\nL1,Acme,\"1 Main St\nSuite 2\"\nL2,Beta,\n"), "leads.csv");
        Assert.Equal(2, leads.Count);
        Assert.Equal("1 Main St\nSuite 2", leads[0].Street);
        Assert.Equal("L2", leads[1].Id);
    }

    [Fact]
    public void ReadLeads_ByteOrderMark_IsIgnored()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("id,company\nL1,Acme\n")).ToArray();
        var leads = MatchingDataset.ReadLeads(new MemoryStream(bytes), "leads.csv");
        Assert.Equal("L1", Assert.Single(leads).Id);
    }

    [Fact]
    public void ReadAccounts_MissingIdColumn_NamesTheColumn()
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadAccounts(Utf8("name,city\nAcme,Denver\n"), "accounts.csv"));
        Assert.Equal("accounts.csv", ex.File);
        Assert.Equal(1, ex.Line);
        Assert.Equal("id", ex.Field);
    }

    [Fact]
    public void ReadContacts_MissingAccountIdColumn_NamesTheColumn()
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadContacts(Utf8("id,email\nC1,a@b.c\n"), "contacts.csv"));
        Assert.Equal("account_id", ex.Field);
    }

    [Fact]
    public void ReadLeads_RaggedRow_NamesRowAndField()
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadLeads(Utf8("id,company,city\nL1,Acme,Denver\nL2,Beta\n"), "leads.csv"));
        Assert.Equal(3, ex.Line);
        Assert.Equal("city", ex.Field);
        Assert.Contains("2 fields", ex.Problem);
    }

    [Fact]
    public void ReadLeads_ExtraField_IsRagged()
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadLeads(Utf8("id,company\nL1,Acme,oops\n"), "leads.csv"));
        Assert.Equal(2, ex.Line);
        Assert.Equal("column 3", ex.Field);
    }

    [Fact]
    public void ReadLeads_QuoteInsideUnquotedField_NamesRowAndField()
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadLeads(Utf8("id,company\nL1,Ac\"me\n"), "leads.csv"));
        Assert.Equal(2, ex.Line);
        Assert.Equal("company", ex.Field);
    }

    [Fact]
    public void ReadLeads_TextAfterClosingQuote_IsRejected()
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadLeads(Utf8("id,company\nL1,\"Acme\"x\n"), "leads.csv"));
        Assert.Equal("company", ex.Field);
        Assert.Contains("closing quote", ex.Problem);
    }

    [Fact]
    public void ReadLeads_UnclosedQuote_NamesWhereItStarted()
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadLeads(Utf8("id,company\nL1,Acme\nL2,\"Beta\nL3,Gamma\n"), "leads.csv"));
        Assert.Equal(3, ex.Line);
        Assert.Equal("company", ex.Field);
    }

    [Fact]
    public void ReadLeads_OneMegabyteField_IsRejectedWithRowAndField()
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadLeads(Utf8("id,company\nL1,Acme\nL2," + new string('x', 1 << 20) + "\n"), "leads.csv"));
        Assert.Equal(3, ex.Line);
        Assert.Equal("company", ex.Field);
    }

    [Fact]
    public void ReadLeads_InvalidUtf8_NamesTheLine()
    {
        var bytes = Encoding.UTF8.GetBytes("id,company\nL1,Acme\nL2,").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\n")).ToArray();
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadLeads(new MemoryStream(bytes), "leads.csv"));
        Assert.Equal(3, ex.Line);
        Assert.Contains("UTF-8", ex.Problem);
    }

    [Fact]
    public void ReadLeads_EncodedLoneSurrogate_IsInvalidUtf8()
    {
        // U+D800 encoded as UTF-8 (ED A0 80) is not valid UTF-8.
        var bytes = Encoding.UTF8.GetBytes("id,company\nL1,").Concat(new byte[] { 0xED, 0xA0, 0x80 }).ToArray();
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadLeads(new MemoryStream(bytes), "leads.csv"));
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void ReadLeads_EmptyId_IsRejected()
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadLeads(Utf8("id,company\n ,Acme\n"), "leads.csv"));
        Assert.Equal(2, ex.Line);
        Assert.Equal("id", ex.Field);
    }

    [Fact]
    public void ReadLeads_EmptyFile_IsRejected()
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadLeads(Utf8(string.Empty), "leads.csv"));
        Assert.Equal(0, ex.Line);
    }

    [Fact]
    public void ReadLeads_InjectionShapedText_IsKeptAsData()
    {
        var leads = MatchingDataset.ReadLeads(Utf8("id,company\nL1,\"=HYPERLINK(\"\"http://x\"\"),'; DROP TABLE x;--\"\n"), "leads.csv");
        Assert.Equal("=HYPERLINK(\"http://x\"),'; DROP TABLE x;--", Assert.Single(leads).Company);
    }

    [Fact]
    public void Load_MissingColumnInSecondFile_NamesThatFile()
    {
        var dir = Directory.CreateTempSubdirectory("crmguard-test-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "a.csv"), "id,name\nA1,Acme\n");
            File.WriteAllText(Path.Combine(dir.FullName, "c.csv"), "id,email\nC1,x@y.z\n");
            File.WriteAllText(Path.Combine(dir.FullName, "l.csv"), "id,company\nL1,Acme\n");
            var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.Load(Path.Combine(dir.FullName, "a.csv"), Path.Combine(dir.FullName, "c.csv"), Path.Combine(dir.FullName, "l.csv")));
            Assert.EndsWith("c.csv", ex.File, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void ReadLeads_TabBeforeAFormula_IsKeptAsWritten()
    {
        // A tab typed before '=' to defuse it is part of the id; only surrounding spaces are dropped.
        var leads = MatchingDataset.ReadLeads(Utf8("id,company\n\"\t=1+1\",Contoso\n  L2  ,Litware\n"), "leads.csv");

        Assert.Equal(["\t=1+1", "L2"], leads.Select(l => l.Id));
    }

    [Theory]
    [InlineData("accounts")]
    [InlineData("contacts")]
    [InlineData("leads")]
    public void Read_DuplicateId_NamesFileRowAndColumn(string kind)
    {
        var csv = kind == "contacts" ? "id,account_id\nX1,\nX2,\nX1,\n" : "id,name\nX1,A\nX2,B\nX1,C\n";
        Func<Stream, string, object> read = kind switch
        {
            "accounts" => MatchingDataset.ReadAccounts,
            "contacts" => MatchingDataset.ReadContacts,
            _ => MatchingDataset.ReadLeads,
        };

        var ex = Assert.Throws<InputFormatException>(() => read(Utf8(csv), kind + ".csv"));

        Assert.Equal($"{kind}.csv:4: id: 'X1' is the id of the row on line 2 too; ids must be unique", ex.Message);
    }

    [Fact]
    public void Load_ContactOfUnknownAccount_NamesFileRowAndColumn()
    {
        using var folder = new TempFolder();
        var accounts = folder.Write("accounts.csv", "id,name\nA1,Acme\n");
        var contacts = folder.Write("contacts.csv", "id,account_id\nC1,A1\nC2,\nC3, A9 \n");
        var leads = folder.Write("leads.csv", "id,company\nL1,Acme\n");

        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.Load(accounts, contacts, leads));

        Assert.Equal($"{contacts}:4: account_id: no account in {accounts} has the id 'A9'", ex.Message);
    }

    [Fact]
    public void Load_ContactsOfKnownAccounts_AreRead()
    {
        using var folder = new TempFolder();
        var data = MatchingDataset.Load(
            folder.Write("accounts.csv", "id,name\nA1,Acme\n"), folder.Write("contacts.csv", "id,account_id\nC1, A1\nC2,\n"), folder.Write("leads.csv", "id,company\nL1,Acme\n"));

        Assert.Equal(["A1", null], data.Contacts.Select(c => c.AccountId));
    }

    [Theory]
    [InlineData("id,name,parent_id\nA1,Acme,A9\n", "accounts.csv:2: parent_id: no account in this file has the id 'A9'")]
    [InlineData("id,name,parent_id\nA1,Acme,\nA2,Acme West,A2\n", "accounts.csv:3: parent_id: an account cannot be its own parent")]
    public void ReadAccounts_BadParent_IsRejectedAsInASnapshot(string csv, string expected)
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadAccounts(Utf8(csv), "accounts.csv"));

        Assert.Equal(expected, ex.Message);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public void ReadLeads_Utf16WithByteOrderMark_IsRead(string encoding)
    {
        var text = Encoding.GetEncoding(encoding);
        var bytes = text.GetPreamble().Concat(text.GetBytes("id,company\nL1,Zoë 株式会社 😀\n")).ToArray();

        Assert.Equal("Zoë 株式会社 😀", Assert.Single(MatchingDataset.ReadLeads(new MemoryStream(bytes), "leads.csv")).Company);
    }

    [Fact]
    public void ReadLeads_Utf16WithoutByteOrderMark_SaysSaveAsUtf8()
    {
        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.ReadLeads(new MemoryStream(Encoding.Unicode.GetBytes("id,company\nL1,Acme\n")), "leads.csv"));

        Assert.Equal("leads.csv: looks like UTF-16 text without a byte-order mark; save the file as UTF-8.", ex.Message);
    }

    [Theory]
    [InlineData("/dev/zero", "it is a device, pipe or socket")]
    [InlineData("/", "it is a folder")]
    public void Load_NotARegularFile_IsRefusedNamingIt(string path, string expected)
    {
        using var folder = new TempFolder();

        var ex = Assert.Throws<InputFormatException>(() => MatchingDataset.Load(folder.Write("accounts.csv", "id\nA1\n"), null, path));

        Assert.Equal(path, ex.File);
        Assert.Contains(expected, ex.Problem, StringComparison.Ordinal);
    }
}
