// One guarded create against the emulated Salesforce org with a fixed latency per org request: p50/p95 wall time and
// the org requests each create costs, for an allowed lead (new company) and a blocked one (another rep's customer).
//
//   dotnet run -c Release --project bench/CrmGuardrails.Salesforce.Benchmarks -- [latency-ms=20] [creates=200]
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrmGuardrails;
using CrmGuardrails.Matching;
using CrmGuardrails.Salesforce;
using CrmGuardrails.Salesforce.Emulator;
using CrmGuardrails.Salesforce.Keys;
using CrmGuardrails.Salesforce.Writing;
using CrmGuardrails.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

var latency = TimeSpan.FromMilliseconds(args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20);
var creates = Math.Clamp(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200, 10, 5000);
var deadline = Stopwatch.StartNew();
var maxRun = TimeSpan.FromMinutes(5);

await using var org = await SalesforceEmulator.StartAsync();
using var key = RSA.Create(2048);
org.Certificate = new CertificateRequest("CN=bench", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
org.DailyApiLimit = 10_000_000;
var contract = ContractOrg.Create();
org.Seed(contract.Records);
foreach (var team in contract.AccountTeam.GroupBy(m => m.AccountId))
    org.SeedAccountTeam(team.Key, team.Select(m => m.UserId));

var services = new ServiceCollection();
services.AddCrmGuardrailsSalesforce(o =>
{
    o.LoginUrl = org.Url;
    o.ClientId = org.ClientId;
    o.Username = "integration@crmguardrails.example";
    o.Certificate = org.Certificate;
    o.AcceptGuidIds = true;
});
await using var provider = services.BuildServiceProvider();
await provider.GetRequiredService<SalesforceMatchKeyWriter>().WriteAsync([.. contract.Accounts, .. contract.Contacts, .. contract.Leads]);
var directory = provider.GetRequiredService<SalesforceDirectory>();
var pipeline = new GuardPipelineBuilder { Directory = directory, Matcher = StoredMatchKeys.Matcher }
    .AddExistingCustomerGuard().AddDuplicateLeadGuard().AddRepCollisionGuard().AddChannelFanoutGuard().AddRescheduleGuard().Build();
var create = new SalesforceGuardedCreate(
    pipeline, directory, provider.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceServiceCollectionExtensions.HttpClientName), provider.GetRequiredService<IOptions<SalesforceDirectoryOptions>>());
var outsider = Guid.NewGuid().ToString("D");

org.Latency = latency;
Console.WriteLine($"Guarded create, {latency.TotalMilliseconds:0} ms per org request, {creates} creates per case (after 10 warm-up).");
foreach (var (name, lead) in new (string, Func<int, Dictionary<string, object?>>)[]
{
    ("allowed lead (new company)", i => Lead($"Quinn Marine {i} Salvage", $"ada{i}@quinnmarine{i}.example")),
    ("blocked lead (another rep's customer)", i => Lead("Roberts & Wright Pty Ltd", $"buyer{i}@robertswright.com.au")),
})
{
    var times = new List<double>();
    var requests = new List<int>();
    for (var i = -10; i < creates && deadline.Elapsed < maxRun; i++)
    {
        org.ClearRequests();
        var clock = Stopwatch.StartNew();
        var result = await create.CreateAsync("Lead", lead(i + 10), outsider);
        clock.Stop();
        if (i < 0)
            continue;
        times.Add(clock.Elapsed.TotalMilliseconds);
        requests.Add(org.RequestCount);
        if (i == 0)
            Console.WriteLine($"  {name}: {result.Status}, {org.RequestCount} org requests: {string.Join(", ", org.Requests.Select(r => r.Method + " " + r.Path.Replace("/services/data/v62.0/", string.Empty, StringComparison.Ordinal)))}");
    }

    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {name}: n={times.Count} p50={Percentile(times, 0.50):0.0} ms p95={Percentile(times, 0.95):0.0} ms max={times[^1]:0.0} ms; org requests per create {requests.Min()}..{requests.Max()}"));
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

Dictionary<string, object?> Lead(string company, string email) => new()
{
    ["FirstName"] = "Pat", ["LastName"] = "Buyer", ["Company"] = company, ["Email"] = email, ["OwnerId"] = outsider,
};
