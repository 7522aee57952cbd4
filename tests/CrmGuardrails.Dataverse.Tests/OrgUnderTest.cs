using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;
using CrmGuardrails.Dataverse.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Sdk;

namespace CrmGuardrails.Dataverse.Tests;

/// <summary>Counts the HTTP requests that leave the directory's client (every attempt, retries included).</summary>
public sealed class RequestCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    internal void Increment() => Interlocked.Increment(ref _count);
}

internal sealed class CountingHandler(RequestCounter counter) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        counter.Increment();
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The organisation a contract test runs against: the emulator, or a live org when DATAVERSE_* variables are set.</summary>
public abstract class OrgUnderTest : IAsyncDisposable
{
    public const string Emulator = "emulator";
    public const string Live = "live";

    public RequestCounter Requests { get; } = new();

    public abstract bool IsLive { get; }

    public abstract Uri OrgUrl { get; }

    public abstract TokenCredential Credential { get; }

    public static async Task<OrgUnderTest> StartAsync(string target) => target switch
    {
        Emulator => new EmulatorOrg(await DataverseEmulator.StartAsync()),
        Live => new LiveOrg(LiveOrgSettings.Load() ?? throw new InvalidOperationException("The live org is not configured.")),
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    public ServiceProvider BuildServices(Action<DataverseDirectoryOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddCrmGuardrailsDataverse(o =>
            {
                o.OrgUrl = OrgUrl;
                o.Credential = Credential;
                configure?.Invoke(o);
            })
            .AddHttpMessageHandler(() => new CountingHandler(Requests));
        return services.BuildServiceProvider();
    }

    public ICrmDirectory CreateDirectory(Action<DataverseDirectoryOptions>? configure = null) =>
        BuildServices(configure).GetRequiredService<ICrmDirectory>();

    public abstract Task SeedAsync(params CrmRecord[] records);

    public abstract ValueTask DisposeAsync();
}

internal sealed class EmulatorOrg(DataverseEmulator emulator) : OrgUnderTest
{
    public DataverseEmulator Server => emulator;

    public override bool IsLive => false;

    public override Uri OrgUrl => emulator.OrgUrl;

    public override TokenCredential Credential => emulator.Credential;

    public override Task SeedAsync(params CrmRecord[] records)
    {
        emulator.Seed(records);
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync() => emulator.DisposeAsync();
}

public sealed record LiveOrgSettings(Uri Url, string TenantId, string ClientId, string ClientSecret)
{
    public const string SkipReason =
        "Live Dataverse org not configured: set DATAVERSE_URL, DATAVERSE_TENANT_ID, DATAVERSE_CLIENT_ID and DATAVERSE_CLIENT_SECRET to run this variant.";

    public static LiveOrgSettings? Load()
    {
        var url = Environment.GetEnvironmentVariable("DATAVERSE_URL");
        var tenant = Environment.GetEnvironmentVariable("DATAVERSE_TENANT_ID");
        var client = Environment.GetEnvironmentVariable("DATAVERSE_CLIENT_ID");
        var secret = Environment.GetEnvironmentVariable("DATAVERSE_CLIENT_SECRET");
        if (string.IsNullOrWhiteSpace(url) || string.IsNullOrWhiteSpace(tenant) || string.IsNullOrWhiteSpace(client) || string.IsNullOrWhiteSpace(secret))
            return null;
        return new LiveOrgSettings(new Uri(url), tenant, client, secret);
    }
}

/// <summary>
/// A live org: records are created through the Web API with the test's GUIDs (and deleted afterwards). Owners cannot be
/// chosen freely there, so seeded OwnerIds are ignored and records belong to the application user.
/// </summary>
internal sealed class LiveOrg : OrgUnderTest
{
    private readonly LiveOrgSettings _settings;
    private readonly ClientSecretCredential _credential;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly List<(string Set, string Id)> _created = [];

    public LiveOrg(LiveOrgSettings settings)
    {
        _settings = settings;
        _credential = new ClientSecretCredential(settings.TenantId, settings.ClientId, settings.ClientSecret);
    }

    public override bool IsLive => true;

    public override Uri OrgUrl => _settings.Url;

    public override TokenCredential Credential => _credential;

    public override async Task SeedAsync(params CrmRecord[] records)
    {
        // Users cannot be created through the Web API; live records belong to the application user instead.
        foreach (var record in records.Where(r => r is not User))
        {
            var (set, body) = record switch
            {
                Account a => ("accounts", new JsonObject
                {
                    ["accountid"] = a.Id, ["name"] = a.Name, ["websiteurl"] = a.Website, ["telephone1"] = a.Phone, ["emailaddress1"] = a.Email,
                    ["address1_city"] = a.City, ["customertypecode"] = a.Status switch { AccountStatus.Customer => 3, AccountStatus.Prospect => 8, _ => null },
                }),
                Contact c => ("contacts", new JsonObject
                {
                    ["contactid"] = c.Id, ["firstname"] = c.FirstName, ["lastname"] = c.LastName, ["emailaddress1"] = c.Email, ["telephone1"] = c.Phone,
                    ["parentcustomerid_account@odata.bind"] = c.AccountId is null ? null : $"/accounts({c.AccountId})",
                }),
                Lead l => ("leads", new JsonObject
                {
                    ["leadid"] = l.Id, ["firstname"] = l.FirstName, ["lastname"] = l.LastName ?? "Test", ["companyname"] = l.Company,
                    ["emailaddress1"] = l.Email, ["telephone1"] = l.Phone, ["websiteurl"] = l.Website, ["subject"] = "CrmGuardrails test",
                }),
                Activity { Type: ActivityType.PhoneCall } p => ("phonecalls", PhoneCall(p)),
                _ => throw new NotSupportedException($"The live fixture cannot seed {record.GetType().Name} ({record.Kind})."),
            };
            foreach (var key in body.Where(p => p.Value is null).Select(p => p.Key).ToList())
                body.Remove(key);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_settings.Url, "api/data/v9.2/" + set))
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            await AuthorizeAsync(request);
            using var response = await _http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
                throw new XunitException($"Seeding {set} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            _created.Add((set, record.Id));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        for (var i = _created.Count - 1; i >= 0; i--)
        {
            var (set, id) = _created[i];
            using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_settings.Url, $"api/data/v9.2/{set}({id})"));
            await AuthorizeAsync(request);
            using var response = await _http.SendAsync(request);
        }

        _http.Dispose();
    }

    private static JsonObject PhoneCall(Activity activity)
    {
        var body = new JsonObject { ["activityid"] = activity.Id, ["subject"] = activity.Subject ?? "CrmGuardrails test", ["directioncode"] = activity.Direction == ActivityDirection.Outbound };
        if (activity.Regarding is { Kind: RecordKind.Account } regarding)
            body["regardingobjectid_account_phonecall@odata.bind"] = $"/accounts({regarding.Id})";
        var parties = new JsonArray();
        foreach (var party in activity.Parties)
        {
            var set = party.Kind == RecordKind.Contact ? "contacts" : party.Kind == RecordKind.Lead ? "leads" : "accounts";
            parties.Add(new JsonObject
            {
                [$"partyid_{set.TrimEnd('s')}@odata.bind"] = $"/{set}({party.Id})",
                ["participationtypemask"] = activity.Direction == ActivityDirection.Inbound ? 1 : 2,
            });
        }

        if (parties.Count > 0)
            body["phonecall_activity_parties"] = parties;
        return body;
    }

    private async Task AuthorizeAsync(HttpRequestMessage request)
    {
        var token = await _credential.GetTokenAsync(new TokenRequestContext([_settings.Url.GetLeftPart(UriPartial.Authority) + "/.default"]), default);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        request.Headers.Add("OData-Version", "4.0");
        request.Headers.Add("OData-MaxVersion", "4.0");
    }
}

/// <summary>Supplies the "emulator" target: always runs.</summary>
public sealed class EmulatorOrgAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) => [[OrgUnderTest.Emulator]];
}

/// <summary>Supplies the "live" target; reported as skipped (with the reason) when no live org is configured.</summary>
public sealed class LiveOrgAttribute : DataAttribute
{
    public LiveOrgAttribute()
    {
        if (LiveOrgSettings.Load() is null)
            Skip = LiveOrgSettings.SkipReason;
    }

    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) => [[OrgUnderTest.Live]];
}
