// Webhook latency and throughput against the Dataverse emulator with 20 ms injected latency per request.
// Not a test: run `dotnet run -c Release --project bench/CrmGuardrails.Webhook.Benchmarks` and read the figures.
// `-- --soak [--rate 500] [--seconds 60]` holds a fixed rate instead and reports errors, p99 and memory at start and end.
// Both servers bind 127.0.0.1 only; every loop is bounded in count and in time.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Embedded;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

const string Key = "bench-shared-key-0123456789abcdef";
const int SequentialChecks = 200;
var sequentialTimeLimit = TimeSpan.FromSeconds(60);
int[] clientCounts = [8, 32, 128];
var loadDuration = TimeSpan.FromSeconds(10);
const int MaxLoadChecks = 20_000;
var latency = TimeSpan.FromMilliseconds(20);

var fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
var checks = new[]
{
    ("existing-customer", "lead-create-existing-customer.json"),
    ("duplicate-lead", "lead-create-duplicate.json"),
    ("rep-collision", "phonecall-create-rep-collision.json"),
    ("channel-fanout", "email-create-inbound.json"),
    ("reschedule", "appointment-update-reschedule.json"),
}.Select(c => (Rule: c.Item1, Body: File.ReadAllText(Path.Combine(fixtures, c.Item2)))).ToArray();

await using var org = await DataverseEmulator.StartAsync();
var snapshot = CrmSnapshot.Load(Path.Combine(fixtures, "org.json"));
org.Seed([.. snapshot.Users, .. snapshot.Accounts, .. snapshot.Contacts, .. snapshot.Leads, .. snapshot.Activities]);
foreach (var team in snapshot.AccountTeam.GroupBy(m => m.AccountId))
    org.SeedAccountTeam(team.Key, team.Select(m => m.UserId));
org.Faults.Always(EmulatorFault.Slow(latency));

var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
builder.Logging.ClearProviders();
builder.Services.AddCrmGuardrailsDataverse(org.OrgUrl, org.Credential);
builder.Services.AddCrmGuardrailsWebhooks(o =>
{
    o.SharedKey = Key;
});
builder.Services.AddCrmGuardrailsDataverseWebhook();
await using var app = builder.Build();
app.MapCrmGuardrailsWebhook("dataverse");
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };

async Task<bool> CheckAsync(string body)
{
    using var content = new StringContent(body, Encoding.UTF8);
    content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
    using var response = await http.PostAsync($"/crmguardrails/dataverse?code={Key}", content);
    var text = await response.Content.ReadAsStringAsync();

    // "Not checked" (the org did not answer within the budget) is flagged too, but it is not the expected verdict.
    return !text.Contains("\"notChecked\":true", StringComparison.Ordinal) &&
           (text.Contains("\"verdict\":\"block\"", StringComparison.Ordinal) || text.Contains("\"verdict\":\"flag\"", StringComparison.Ordinal));
}

// Warm-up: JIT, connection pools, the token cache.
foreach (var (_, body) in checks)
    await CheckAsync(body);
if (args.Contains("--requests"))
{
    foreach (var (rule, body) in checks)
    {
        org.ClearRequests();
        await CheckAsync(body);
        Console.WriteLine($"{rule}: " + string.Join(" | ", org.Requests.Select(r => $"{r.Method} {r.Path}{(r.Query.Length > 90 ? r.Query[..90] : r.Query)}")));
    }
}

if (args.Contains("--soak"))
{
    await SoakAsync(Option("--rate", 500), TimeSpan.FromSeconds(Option("--seconds", 60)));
    await app.StopAsync();
    return;
}

Console.WriteLine($"CrmGuardrails webhook benchmark: emulator latency {latency.TotalMilliseconds:0} ms per request, sync (PreValidation) checks of the 5 rules in turn.");
Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, {RuntimeInformationText()}");

// (a) Sequential: latency and Dataverse requests per check.
var latencies = new List<double>(SequentialChecks);
var requestsPerRule = checks.ToDictionary(c => c.Rule, _ => new List<int>());
var answered = 0;
var total = Stopwatch.StartNew();
for (var i = 0; i < SequentialChecks && total.Elapsed < sequentialTimeLimit; i++)
{
    var (rule, body) = checks[i % checks.Length];
    org.ClearRequests();
    var watch = Stopwatch.StartNew();
    if (await CheckAsync(body))
        answered++;
    watch.Stop();
    latencies.Add(watch.Elapsed.TotalMilliseconds);
    requestsPerRule[rule].Add(org.RequestCount);
}

latencies.Sort();
double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p / 100 * latencies.Count) - 1)];
Console.WriteLine();
Console.WriteLine($"(a) sequential: {latencies.Count} checks in {total.Elapsed.TotalSeconds:0.0} s, {answered} answered with the expected verdict");
Console.WriteLine($"    latency ms: p50 {Percentile(50):0.0}  p95 {Percentile(95):0.0}  p99 {Percentile(99):0.0}  max {latencies[^1]:0.0}");
Console.WriteLine($"    Dataverse requests per check: mean {requestsPerRule.Values.SelectMany(v => v).Average():0.0}, max {requestsPerRule.Values.SelectMany(v => v).Max()}");
foreach (var (rule, counts) in requestsPerRule)
    Console.WriteLine($"      {rule,-18} {counts.Average():0.0} (max {counts.Max()})");

// (b) Concurrent: a bounded load per client count.
Console.WriteLine();
foreach (var clients in clientCounts)
{
    org.ClearRequests();
    var started = 0;
    var completed = 0;
    var failed = 0;
    var loadLatencies = new System.Collections.Concurrent.ConcurrentBag<double>();
    var load = Stopwatch.StartNew();
    using var stop = new CancellationTokenSource(loadDuration);
    var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
    {
        for (var i = client; !stop.IsCancellationRequested; i++)
        {
            if (Interlocked.Increment(ref started) > MaxLoadChecks)
                break;
            var watch = Stopwatch.StartNew();
            if (!await CheckAsync(checks[i % checks.Length].Body))
                Interlocked.Increment(ref failed);
            loadLatencies.Add(watch.Elapsed.TotalMilliseconds);
            Interlocked.Increment(ref completed);
        }
    })).ToArray();
    await Task.WhenAll(workers);
    load.Stop();
    var sorted = loadLatencies.Order().ToList();
    double LoadPercentile(double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
    Console.WriteLine($"(b) concurrent, {clients,3} clients for {load.Elapsed.TotalSeconds:0.0} s (cap {MaxLoadChecks} checks): {completed} checks, " +
                      $"{completed / load.Elapsed.TotalSeconds:0.0} checks/s, p50 {LoadPercentile(50):0.0} ms, p99 {LoadPercentile(99):0.0} ms, " +
                      $"{failed} without the expected verdict, {org.RequestCount} Dataverse requests");
}

await app.StopAsync();

// A fixed rate (open loop: a check starts every 1/rate s whether or not the last one answered), bounded in count
// (rate × seconds), in flight (1,024) and in time (the run, then at most 30 s to drain).
async Task SoakAsync(int rate, TimeSpan duration)
{
    const int MaxInFlight = 1024;
    var total = (int)(rate * duration.TotalSeconds);
    Console.WriteLine($"CrmGuardrails webhook soak: {rate} checks/s for {duration.TotalSeconds:0} s ({total} checks), emulator latency {latency.TotalMilliseconds:0} ms per request.");
    var (startSet, startHeap) = Memory();
    Console.WriteLine($"    memory at start: working set {startSet:0} MB, managed heap {startHeap:0} MB");
    var soakLatencies = new System.Collections.Concurrent.ConcurrentBag<double>();
    int errors = 0, refused = 0, inFlight = 0;
    var tasks = new List<Task>(total);
    var clock = Stopwatch.StartNew();
    var interval = TimeSpan.FromSeconds(1.0 / rate);
    for (var i = 0; i < total && clock.Elapsed < duration + TimeSpan.FromSeconds(5); i++)
    {
        var due = interval * i;
        if (due > clock.Elapsed)
            await Task.Delay(due - clock.Elapsed);
        if (Volatile.Read(ref inFlight) >= MaxInFlight)
        {
            Interlocked.Increment(ref refused);
            continue;
        }

        var body = checks[i % checks.Length].Body;
        Interlocked.Increment(ref inFlight);
        tasks.Add(Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            try
            {
                if (!await CheckAsync(body))
                    Interlocked.Increment(ref errors);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref errors);
            }
            finally
            {
                soakLatencies.Add(watch.Elapsed.TotalMilliseconds);
                Interlocked.Decrement(ref inFlight);
            }
        }));
    }

    var sent = clock.Elapsed;
    await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(TimeSpan.FromSeconds(30)));
    var (endSet, endHeap) = Memory();
    var sorted = soakLatencies.Order().ToList();
    double P(double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
    Console.WriteLine($"    sent {tasks.Count} checks in {sent.TotalSeconds:0.0} s ({tasks.Count / sent.TotalSeconds:0} /s), answered {sorted.Count}, " +
                      $"errors (no answer, or not the expected verdict: 'not checked' included) {errors}, not sent (over {MaxInFlight} in flight) {refused}");
    Console.WriteLine($"    latency ms: p50 {P(50):0.0}  p99 {P(99):0.0}  max {(sorted.Count == 0 ? double.NaN : sorted[^1]):0.0}");
    Console.WriteLine($"    memory at end:   working set {endSet:0} MB, managed heap {endHeap:0} MB; emulator kept {org.Requests.Count} of {org.RequestCount} requests in its log");
}

static (double WorkingSetMb, double HeapMb) Memory()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return (Process.GetCurrentProcess().WorkingSet64 / 1048576.0, GC.GetTotalMemory(forceFullCollection: false) / 1048576.0);
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}

static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim();
