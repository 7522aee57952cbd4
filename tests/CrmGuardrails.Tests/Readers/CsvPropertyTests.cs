using System.Globalization;
using System.Text;
using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Bulk;
using CrmGuardrails.Tests.TestSupport;
using CsCheck;

namespace CrmGuardrails.Tests.Readers;

/// <summary>
/// Property tests of the CSV readers (accounts, contacts, leads, decisions) over arbitrary and mutated input, and of the
/// decisions file written then read back.
/// </summary>
public sealed class CsvPropertyTests
{
    private const string Accounts = "id,name,website,phone,email,street,city,postal_code,country,owner,parent_id\n" +
        "A000001,Contoso Pharmaceuticals Ltd,https://contoso-pharma.co.uk,+44 20 7946 0000,info@contoso-pharma.co.uk,1 High St,London,EC1A 1BB,GB,u1,\n" +
        "A000002,Litware Inc.,litware.com,(206) 555-0150,,,Seattle,98101,US,u3,A000001\n";

    private const string Contacts = "id,account_id,first_name,last_name,email,phone,owner\n" +
        "C000001,A000001,Anna,Kowalski,anna.kowalski@contoso-pharma.co.uk,+44 20 7946 0011,u1\n" +
        "C000002,,Raj,Patel,raj@litware.com,,u3\n";

    private const string Leads = "id,first_name,last_name,company,email,phone,website,street,city,postal_code,country,owner\n" +
        "L000001,Tom,Reed,CONTOSO PHARMACEUTICALS,tom@contoso-pharma.co.uk,,,,,,GB,u2\n" +
        "L000002,Lena,Voss,Wingtip Toys,lena@gmail.com,0972 1546152,,,Nagoya,,JP,u2\n";

    private const string Decisions = "lead_id,verdict,account_id,score\nL000001,block,A000001,1.000\nL000002,allow,,0.100\n\"'=1+1\",flag,\"'@A\",0.500\n";

    /// <summary>Fields a hostile tester writes: formula prefixes, quotes and separators, broken characters, control characters, huge values.</summary>
    private static readonly string[] HostileFields =
    [
        "=HYPERLINK(\"http://x\",\"y\")", "\"=1+1\"", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1", "'=1", "\"'=1\"", "\"a,b\"", "\"a\nb\"", "\"a\"\"b\"",
        "a\"b", "\"unterminated", "\"x\"y", ",", ",,,,", "\n", "\r\n", "\r", "\"\"", "   ", "\t", "\u0000", "\u0001\u001f\u007f", "\uFEFF",
        "\u00e9\u4e2d\U0001F600", new string('x', 70_000), "\"" + new string('y', 70_000) + "\"", "1e999999", "123456789012345678901234567890",
        "A000001", "A000002", "C000001", "L000001", "A9",
    ];

    public static TheoryData<string> Files => new() { "accounts", "contacts", "leads", "decisions" };

    private static (string Valid, Func<Stream, string, string> Read) Reader(string file) => file switch
    {
        "accounts" => (Accounts, (s, f) => string.Join("\n", MatchingDataset.ReadAccounts(s, f))),
        "contacts" => (Contacts, (s, f) => string.Join("\n", MatchingDataset.ReadContacts(s, f))),
        "leads" => (Leads, (s, f) => string.Join("\n", MatchingDataset.ReadLeads(s, f))),
        _ => (Decisions, (s, f) => string.Join("\n", MatchDecisionCsv.Read(s, f))),
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void ValidExample_IsRead(string file)
    {
        var (valid, read) = Reader(file);

        var records = read(new MemoryStream(Encoding.UTF8.GetBytes(valid)), file + ".csv").Split('\n');

        Assert.Equal(valid.Count(c => c == '\n') - 1, records.Length);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void MutatedOrArbitraryInput_OnlyNamedFormatErrors_SameAnswerTwice(string file)
    {
        var (valid, read) = Reader(file);
        var name = file + ".csv";
        ReaderChecks.Mutations(valid, ReaderChecks.CsvFields, HostileFields)
            .Sample(bytes => ReaderChecks.Outcome(() => read(new MemoryStream(bytes), name), name, bytes), iter: ReaderChecks.Iterations);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void MutatedInput_ThroughAStreamThatCannotSeek_GetsTheSameAnswer(string file)
    {
        var (valid, read) = Reader(file);
        var name = file + ".csv";
        ReaderChecks.Mutations(valid, ReaderChecks.CsvFields, HostileFields)
            .Sample(
                bytes =>
                {
                    var seekable = ReaderChecks.Once(() => read(new MemoryStream(bytes), name), name, bytes);
                    var forwardOnly = ReaderChecks.Once(() => read(new ForwardOnlyStream(bytes), name), name, bytes);

                    // Without seeking back, an invalid byte's exact offset is not known; everything else is the same.
                    if (!seekable.Contains("UTF-8", StringComparison.Ordinal))
                        Assert.Equal(seekable, forwardOnly);
                },
                iter: ReaderChecks.Iterations / 3);
    }

    [Fact]
    public void Decisions_WrittenThenRead_ComeBackAsWritten_AndNoCellStartsAFormula()
    {
        var pieces = Gen.OneOf("L", "A", "0", "7", " ", "=", "+", "-", "@", "'", "\t", "\r", "\n", "\"", ",", ";", "|", "é", "中", "😀", "\uFF1D", "SUM(A1)", "cmd");
        var id = pieces.Array[1, 8].Select(p => string.Concat(p)).Where(s => s.Trim().Length > 0);
        var decision = Gen.Select(id, Gen.Int[0, 2], id.Null(), Gen.Int[0, 1000], (lead, verdict, account, score) =>
            new MatchDecision(lead, (Verdict)verdict, (Verdict)verdict == Verdict.Allow ? null : account, score / 1000.0));
        decision.Array[0, 12].Where(ds => ds.Select(d => d.LeadId).Distinct().Count() == ds.Length).Sample(
            decisions =>
            {
                var writer = new StringWriter();
                MatchDecisionCsv.Write(writer, decisions);
                var bytes = Encoding.UTF8.GetBytes(writer.ToString());

                Assert.Equal(decisions, MatchDecisionCsv.Read(new MemoryStream(bytes), "decisions.csv"));
                using var table = CsvReader.Open(new MemoryStream(bytes), "decisions.csv");
                while (table.Read())
                {
                    for (var column = 0; column < 3; column++)
                        Assert.False(table[column].Length > 0 && "=+-@\t\r\uFF1D".Contains(table[column][0], StringComparison.Ordinal), table[column]);
                }
            },
            iter: ReaderChecks.Iterations);
    }

    [Fact]
    public void Decisions_OrdinaryIds_AreWrittenAsTheyAre() =>
        Gen.Select(Gen.Char["ABCLZ"], Gen.Int[0, 999_999], Gen.Char["ABCLZ"], Gen.Int[0, 999_999], (a, n, b, m) => (Lead: $"{a}{n:D6}", Account: $"{b}{m:D6}"))
            .Sample(
                ids =>
                {
                    var writer = new StringWriter();
                    MatchDecisionCsv.Write(writer, [new MatchDecision(ids.Lead, Verdict.Block, ids.Account, 1)]);
                    Assert.Equal($"{MatchDecisionCsv.Header}\n{ids.Lead},block,{ids.Account},1.000\n", writer.ToString());
                },
                iter: ReaderChecks.Iterations);

    /// <summary>A stream that can only be read forwards, as a pipe or a network response.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
