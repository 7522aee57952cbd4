using BenchmarkDotNet.Attributes;
using CrmGuardrails.Matching;
using FuzzySharp;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace CrmGuardrails.Benchmarks;

/// <summary>Shared synthetic data for the BenchmarkDotNet classes (seeded, so every run sees the same records).</summary>
internal static class BenchData
{
    public const int Accounts = 200_000;
    public const int Sample = 256;

    public static (List<Account> Accounts, List<Contact> Contacts, List<Lead> Leads) Create()
    {
        var generator = new Synthetic(11);
        var (accounts, contacts) = generator.Accounts(Accounts, contacts: true);
        var (leads, _) = generator.Leads(accounts, Sample);
        return (accounts, contacts, leads);
    }
}

/// <summary>Single-lead latency: the bulk index, and the path a save takes (every default rule asking the embedded directory).</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class SingleLeadBenchmarks
{
    private BulkMatcher _bulk = null!;
    private GuardPipeline _pipeline = null!;
    private List<Lead> _leads = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (accounts, contacts, leads) = BenchData.Create();
        _bulk = new BulkMatcher(accounts, contacts);
        var users = new List<User> { new() { Id = "owner", Name = "Rep Owner" }, new() { Id = "prospector", Name = "Pat Prospector" } };
        var directory = new Embedded.InMemoryCrmDirectory(new Embedded.CrmSnapshot
        {
            Users = users,
            Accounts = accounts.Select(a => a with { OwnerId = "owner", Status = AccountStatus.Customer }).ToList(),
            Contacts = contacts.Select(c => c with { OwnerId = "owner" }).ToList(),
        });
        _pipeline = new GuardPipelineBuilder { Directory = directory }.AddDefaultGuards().Build();
        _leads = leads.Select(l => l with { Id = string.Empty, OwnerId = "prospector" }).ToList();
    }

    /// <summary>One lead against 200,000 indexed accounts (keys, lookups, scoring, verdict).</summary>
    [Benchmark(OperationsPerInvoke = BenchData.Sample)]
    public int BulkIndexMatchOneLead()
    {
        var blocked = 0;
        foreach (var lead in _leads)
            blocked += (int)_bulk.Match(lead).Verdict;
        return blocked;
    }

    /// <summary>One check of a new lead by every default rule against an embedded org of 200,000 accounts.</summary>
    [Benchmark(OperationsPerInvoke = BenchData.Sample)]
    public int GuardPathOneCheck()
    {
        var blocked = 0;
        foreach (var lead in _leads)
            blocked += (int)_pipeline.EvaluateAsync(GuardRequest.ForCreate(lead, "prospector")).AsTask().GetAwaiter().GetResult().Verdict;
        return blocked;
    }
}

/// <summary>A pairwise peer: FuzzySharp token-set ratio on names, per pair (multiply by leads × accounts for a full run).</summary>
[ShortRunJob]
public class FuzzySharpBenchmarks
{
    private const int Pairs = 4096;
    private string[] _left = null!;
    private string[] _right = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (accounts, _, leads) = BenchData.Create();
        var random = new Random(5);
        _left = Enumerable.Range(0, Pairs).Select(i => leads[i % leads.Count].Company ?? string.Empty).ToArray();
        _right = Enumerable.Range(0, Pairs).Select(_ => accounts[random.Next(accounts.Count)].Name).ToArray();
    }

    /// <summary>One FuzzySharp TokenSetRatio comparison of two company names.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public int FuzzySharpTokenSetRatioPerPair()
    {
        var sum = 0;
        for (var i = 0; i < Pairs; i++)
            sum += Fuzz.TokenSetRatio(_left[i], _right[i]);
        return sum;
    }
}

/// <summary>A retrieval peer: a Lucene.Net in-memory index of account names, FuzzyQuery (edit distance 1) per name token, top 10.</summary>
[ShortRunJob]
public class LuceneBenchmarks
{
    private RAMDirectory _directory = null!;
    private DirectoryReader _reader = null!;
    private IndexSearcher _searcher = null!;
    private List<string[]> _queries = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (accounts, _, leads) = BenchData.Create();
        _directory = new RAMDirectory();
        using (var analyzer = new StandardAnalyzer(LuceneVersion.LUCENE_48))
        using (var writer = new IndexWriter(_directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)))
        {
            foreach (var account in accounts)
            {
                var doc = new Document
                {
                    new StringField("id", account.Id, Field.Store.YES),
                    new TextField("name", account.Name, Field.Store.NO),
                };
                writer.AddDocument(doc);
            }

            writer.Commit();
        }

        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader);
        _queries = leads.Select(l => (l.Company ?? string.Empty).ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t.Length >= 3).ToArray()).ToList();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _directory.Dispose();
    }

    /// <summary>One lead's fuzzy name query against 200,000 account names.</summary>
    [Benchmark(OperationsPerInvoke = BenchData.Sample)]
    public int LuceneFuzzyQueryOneLead()
    {
        var hits = 0;
        foreach (var tokens in _queries)
        {
            var query = new BooleanQuery();
            foreach (var token in tokens)
                query.Add(new FuzzyQuery(new Term("name", token), 1), Occur.SHOULD);
            hits += _searcher.Search(query, 10).TotalHits;
        }

        return hits;
    }
}
