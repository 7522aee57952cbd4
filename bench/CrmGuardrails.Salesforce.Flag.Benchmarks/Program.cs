// Checks per second of the Salesforce flag endpoint (Outbound Messages) against the emulated org with 20 ms injected
// latency per org request. Not a test: run `dotnet run -c Release --project bench/CrmGuardrails.Salesforce.Flag.Benchmarks`
// and read the figures. `-- --notifications 10` sends messages of 10 notifications instead of 1.
// Both servers bind 127.0.0.1 only; every loop is bounded in count and in time.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CrmGuardrails;
using CrmGuardrails.Embedded;
using CrmGuardrails.Salesforce.Emulator;
using CrmGuardrails.Salesforce.Flagging.Tests;
using CrmGuardrails.Salesforce.Keys;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

const string Key = "bench-shared-key-0123456789abcdef";
const int SequentialMessages = 200;
var sequentialTimeLimit = TimeSpan.FromSeconds(60);
int[] clientCounts = [8, 32, 128];
var loadDuration = TimeSpan.FromSeconds(10);
const int MaxLoadMessages = 20_000;
var latency = TimeSpan.FromMilliseconds(20);
var perMessage = Option("--notifications", 1);

// The saves of the flag tests' scenario: each trips one rule.
string[] rules = ["existing-customer", "duplicate-lead", "rep-collision"];
OutboundMessages.Notification Save(int n) => (n % 3) switch
{
    0 => OutboundMessages.LeadCreate(Id("04l5g", n), Id("00Q5g", n), "Contoso Pharmaceuticals", "kim@contoso-pharma.co.uk"),
    1 => OutboundMessages.LeadCreate(Id("04l5g", n), Id("00Q5g", n), "Proseware", "omar@proseware.io", Ids.Ade),
    _ => OutboundMessages.TaskCreate(Id("04l5g", n), Id("00T5g", n), Ids.Omar),
};
static string Id(string prefix, int n) => prefix + n.ToString("D13", CultureInfo.InvariantCulture);

using var key = RSA.Create(2048);
using var certificate = new CertificateRequest("CN=CrmGuardrails flag bench", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
    .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
await using var org = await SalesforceEmulator.StartAsync();
org.Certificate = certificate;

// A production org's daily allowance, not a developer org's 15,000: the load below makes tens of thousands of requests.
org.DailyApiLimit = 5_000_000;
var snapshot = CrmSnapshot.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "org-salesforce.json"));
org.Seed([.. snapshot.Users, .. snapshot.Accounts, .. snapshot.Contacts, .. snapshot.Leads, .. snapshot.Activities]);
foreach (var team in snapshot.AccountTeam.GroupBy(m => m.AccountId))
    org.SeedAccountTeam(team.Key, team.Select(m => m.UserId));

// The org holds each record before its message arrives (a message follows the save), so the verdict can be written on it.
string Message(int n)
{
    var notifications = Enumerable.Range(n * perMessage, perMessage).Select(Save).ToList();
    foreach (var notification in notifications)
    {
        org.Store.Put(notification.SObjectType, notification.Fields
            .Where(f => f.Field is not ("CreatedDate" or "LastModifiedDate" or "LastModifiedById"))
            .ToDictionary(f => f.Field, f => f.Value is "true" or "false" ? (object?)(f.Value == "true") : f.Value));
    }

    return OutboundMessages.Envelope(Ids.Org, [.. notifications]);
}
var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
builder.Logging.ClearProviders();
builder.Services.AddCrmGuardrailsSalesforce(o =>
{
    o.LoginUrl = org.Url;
    o.ClientId = org.ClientId;
    o.Username = "integration@crmguardrails.example";
    o.Certificate = certificate;
});
builder.Services.AddCrmGuardrailsWebhooks(o => o.SharedKey = Key);
builder.Services.AddCrmGuardrailsSalesforceWebhooks(o => o.OrganizationId = Ids.Org);
await using var app = builder.Build();
app.MapSalesforceOutboundMessages();
await app.StartAsync();
await app.Services.GetRequiredService<SalesforceMatchKeyWriter>().WriteAsync([.. snapshot.Accounts, .. snapshot.Contacts, .. snapshot.Leads]);
org.Latency = latency;
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };

var faultsShown = 0;
async Task<bool> PostAsync(string body)
{
    using var content = new StringContent(body, Encoding.UTF8);
    content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/xml; charset=utf-8");
    using var response = await http.PostAsync($"/crmguardrails/salesforce-outbound?code={Key}", content);
    var answer = await response.Content.ReadAsStringAsync();
    if (answer.Contains("<Ack>true</Ack>", StringComparison.Ordinal))
        return true;
    if (Interlocked.Increment(ref faultsShown) <= 3)
        Console.WriteLine($"    not acknowledged ({(int)response.StatusCode}): {answer[(answer.IndexOf("<faultstring>", StringComparison.Ordinal) is var at and >= 0 ? at : 0)..].Split('<', 3)[1]}");
    return false;
}

// Warm-up: JIT, connection pools, the token cache.
for (var i = 0; i < 3; i++)
    await PostAsync(Message(i));

Console.WriteLine($"CrmGuardrails Salesforce flag endpoint: Outbound Messages of {perMessage} notification(s), emulated org latency {latency.TotalMilliseconds:0} ms per request, rules {string.Join(", ", rules)} in turn.");
Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}; verdicts and tasks written back to the org by the REST package's writer.");

// (a) Sequential: latency and org requests per check.
var latencies = new List<double>(SequentialMessages);
var requests = new List<int>(SequentialMessages);
var acked = 0;
var total = Stopwatch.StartNew();
for (var i = 0; i < SequentialMessages && total.Elapsed < sequentialTimeLimit; i++)
{
    org.ClearRequests();
    var watch = Stopwatch.StartNew();
    if (await PostAsync(Message(i)))
        acked++;
    latencies.Add(watch.Elapsed.TotalMilliseconds);
    requests.Add(org.RequestCount);
}

latencies.Sort();
double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
Console.WriteLine();
Console.WriteLine($"(a) sequential: {latencies.Count} messages in {total.Elapsed.TotalSeconds:0.0} s, {acked} acknowledged");
Console.WriteLine($"    latency ms: p50 {Percentile(latencies, 50):0.0}  p95 {Percentile(latencies, 95):0.0}  p99 {Percentile(latencies, 99):0.0}");
Console.WriteLine($"    org requests per check (lookups and write-back): mean {requests.Average() / perMessage:0.00}, max per message {requests.Max()}");

// (b) Concurrent: a bounded load per client count.
Console.WriteLine();
foreach (var clients in clientCounts)
{
    org.ClearRequests();
    int started = 0, completed = 0, failed = 0;
    var loadLatencies = new ConcurrentBag<double>();
    var load = Stopwatch.StartNew();
    using var stop = new CancellationTokenSource(loadDuration);
    var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
    {
        for (var i = client; !stop.IsCancellationRequested; i += clients)
        {
            if (Interlocked.Increment(ref started) > MaxLoadMessages)
                break;
            var watch = Stopwatch.StartNew();
            if (!await PostAsync(Message(1000 + i)))
                Interlocked.Increment(ref failed);
            loadLatencies.Add(watch.Elapsed.TotalMilliseconds);
            Interlocked.Increment(ref completed);
        }
    })).ToArray();
    await Task.WhenAll(workers);
    load.Stop();
    var sorted = loadLatencies.Order().ToList();
    Console.WriteLine($"(b) {clients,3} clients for {load.Elapsed.TotalSeconds:0.0} s (cap {MaxLoadMessages} messages): {completed * perMessage} checks, " +
                      $"{completed * perMessage / load.Elapsed.TotalSeconds:0.0} checks/s, p50 {Percentile(sorted, 50):0.0} ms, p99 {Percentile(sorted, 99):0.0} ms per message, " +
                      $"{failed} not acknowledged, {org.RequestCount} org requests");
}

await app.StopAsync();

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 100 ? value : fallback;
}
