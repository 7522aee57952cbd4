using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;
using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Sdk;

namespace CrmGuardrails.Integration.Tests;

/// <summary>
/// The organisation the webhook end-to-end tests run against, seeded with the shared scenario: the emulator (always), or a
/// live org when <c>DATAVERSE_*</c> variables are set. The test bodies only use this surface, so both run the same code.
/// </summary>
internal abstract class ScenarioOrg : IAsyncDisposable
{
    public const string Emulator = "emulator";
    public const string Live = "live";

    public abstract bool IsLive { get; }

    public abstract Uri OrgUrl { get; }

    public abstract TokenCredential Credential { get; }

    /// <summary>Maps the fixtures' fixed ids and names to this target's.</summary>
    public abstract ScenarioMap Map { get; }

    /// <summary>The Web API requests of the webhook host (directory reads and flag writes), every attempt.</summary>
    public abstract IReadOnlyList<EmulatorRequest> Requests { get; }

    public static async Task<ScenarioOrg> StartAsync(string target) => target switch
    {
        Emulator => new EmulatorScenarioOrg(SharedScenario.SeedInto(await DataverseEmulator.StartAsync())),
        Live => await LiveScenarioOrg.StartAsync(LiveOrgSettings.Load() ?? throw new InvalidOperationException("The live org is not configured.")),
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    public abstract void ClearRequests();

    /// <summary>Adds what the target needs to the webhook host's Dataverse client (the live org counts requests client-side).</summary>
    public virtual void Instrument(IHttpClientBuilder client)
    {
    }

    /// <summary>A row by key, with lookup annotations; <see langword="null"/> when it does not exist.</summary>
    public abstract Task<JsonObject?> FindAsync(string entitySet, string id);

    /// <summary>The tasks of this run (on the emulator every task; on a live org those naming one of this run's records).</summary>
    public abstract Task<IReadOnlyList<JsonObject>> TasksAsync();

    /// <summary>Creates the row an asynchronous create step refers to (the row exists once Dataverse calls the step).</summary>
    public abstract Task CreateShellAsync(string table, string id);

    public abstract ValueTask DisposeAsync();
}

internal sealed class EmulatorScenarioOrg(DataverseEmulator emulator) : ScenarioOrg
{
    public DataverseEmulator Server => emulator;

    public override bool IsLive => false;

    public override Uri OrgUrl => emulator.OrgUrl;

    public override TokenCredential Credential => emulator.Credential;

    public override ScenarioMap Map => ScenarioMap.Identity;

    public override IReadOnlyList<EmulatorRequest> Requests => emulator.Requests;

    public override void ClearRequests() => emulator.ClearRequests();

    public override Task<JsonObject?> FindAsync(string entitySet, string id) => Task.FromResult(emulator.Store.Find(entitySet, id));

    public override Task<IReadOnlyList<JsonObject>> TasksAsync() => Task.FromResult(emulator.Store.Rows("tasks"));

    public override Task CreateShellAsync(string table, string id)
    {
        var set = table + "s";
        emulator.Store.Upsert(set, new JsonObject { [EmulatorStore.KeyOf(set)] = id });
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync() => emulator.DisposeAsync();
}

/// <summary>
/// Where the live org is: <c>DATAVERSE_URL</c> with a client secret (<c>DATAVERSE_TENANT_ID</c>, <c>DATAVERSE_CLIENT_ID</c>,
/// <c>DATAVERSE_CLIENT_SECRET</c>), or — opt-in, to exercise the live path against any Web API — a ready bearer token in
/// <c>DATAVERSE_ACCESS_TOKEN</c>.
/// </summary>
internal sealed record LiveOrgSettings(Uri Url, TokenCredential Credential)
{
    public const string SkipReason =
        "Live Dataverse org not configured: set DATAVERSE_URL, DATAVERSE_TENANT_ID, DATAVERSE_CLIENT_ID and DATAVERSE_CLIENT_SECRET to run this variant.";

    public static LiveOrgSettings? Load()
    {
        var url = Environment.GetEnvironmentVariable("DATAVERSE_URL");
        if (string.IsNullOrWhiteSpace(url))
            return null;
        var tenant = Environment.GetEnvironmentVariable("DATAVERSE_TENANT_ID");
        var client = Environment.GetEnvironmentVariable("DATAVERSE_CLIENT_ID");
        var secret = Environment.GetEnvironmentVariable("DATAVERSE_CLIENT_SECRET");
        if (!string.IsNullOrWhiteSpace(tenant) && !string.IsNullOrWhiteSpace(client) && !string.IsNullOrWhiteSpace(secret))
            return new LiveOrgSettings(new Uri(url), new ClientSecretCredential(tenant, client, secret));
        var token = Environment.GetEnvironmentVariable("DATAVERSE_ACCESS_TOKEN");
        return string.IsNullOrWhiteSpace(token) ? null : new LiveOrgSettings(new Uri(url), new StaticTokenCredential(token));
    }
}

/// <summary>Counts (and names) the requests the webhook host sends to a live org, client-side, every attempt.</summary>
internal sealed class RecordingHandler(List<EmulatorRequest> log) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (log)
            log.Add(new EmulatorRequest(log.Count + 1, request.Method.Method, request.RequestUri!.AbsolutePath, Uri.UnescapeDataString(request.RequestUri.Query), null));
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// A live org seeded with the shared scenario through the Web API: accounts, contacts, the lead and the activities are
/// created with fresh GUIDs and per-run names, owned by existing users (users cannot be created), and deleted afterwards.
/// </summary>
internal sealed class LiveScenarioOrg : ScenarioOrg
{
    /// <summary>Optional: four systemuser ids "maria,jon,ade,chris" (Chris must be Jon's manager) instead of the query.</summary>
    public const string UsersVariable = "DATAVERSE_E2E_USERS";

    private const int DeleteAttempts = 3;

    private readonly LiveOrgSettings _settings;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly List<(string Set, string Id)> _created = [];
    private readonly List<EmulatorRequest> _requests = [];
    private readonly HashSet<string> _runIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _keyed = [];
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow.AddMinutes(-5);
    private ScenarioMap _map = ScenarioMap.Identity;

    private LiveScenarioOrg(LiveOrgSettings settings) => _settings = settings;

    public override bool IsLive => true;

    public override Uri OrgUrl => _settings.Url;

    public override TokenCredential Credential => _settings.Credential;

    public override ScenarioMap Map => _map;

    public override IReadOnlyList<EmulatorRequest> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToList();
        }
    }

    public static async Task<LiveScenarioOrg> StartAsync(LiveOrgSettings settings)
    {
        var org = new LiveScenarioOrg(settings);
        try
        {
            org._map = ScenarioMap.ForLive(await org.FindUsersAsync());
            foreach (var id in org._map.RecordIds)
                org._runIds.Add(id);
            await org.SeedAsync(org._map.Apply(SharedScenario.Load()));
            return org;
        }
        catch
        {
            await org.DisposeAsync();
            throw;
        }
    }

    public override void ClearRequests()
    {
        lock (_requests)
            _requests.Clear();
    }

    public override void Instrument(IHttpClientBuilder client) => client.AddHttpMessageHandler(() => new RecordingHandler(_requests));

    public override async Task<JsonObject?> FindAsync(string entitySet, string id)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{entitySet}({id})");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        return await ReadAsync(response, $"reading {entitySet}({id})");
    }

    public override async Task<IReadOnlyList<JsonObject>> TasksAsync()
    {
        var filter = $"createdon ge {_started.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} and startswith(subject,'CrmGuardrails')";
        using var response = await SendAsync(
            HttpMethod.Get,
            $"tasks?$select=activityid,subject,description,_ownerid_value,_regardingobjectid_value&$top=500&$filter={Uri.EscapeDataString(filter)}");
        var page = await ReadAsync(response, "reading tasks");
        return page["value"]!.AsArray().OfType<JsonObject>()
            .Where(t => t["description"]?.GetValue<string>() is { } d && _runIds.Any(id => d.Contains(id, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    public override async Task CreateShellAsync(string table, string id)
    {
        var set = table + "s";
        var body = new JsonObject { [table is "lead" ? "leadid" : "activityid"] = id, ["subject"] = $"CrmGuardrails e2e {_map.Token}" };
        if (table is "lead")
            body["lastname"] = "CrmGuardrails e2e " + _map.Token;
        await CreateAsync(set, id, body);
        _runIds.Add(id);
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            // The flag writer's tasks first (they point at the records), then the seeded rows, newest first.
            if (_runIds.Count > 0)
            {
                foreach (var task in await TasksAsync())
                    await DeleteAsync("tasks", task["activityid"]!.GetValue<string>());
            }
        }
        catch (HttpRequestException)
        {
            // Best effort: a task left behind names its run's token and ids.
        }
        catch (XunitException)
        {
        }

        if (_keyed.Count > 0)
        {
            try
            {
                await using var keys = KeyWriter();
                await keys.Writer.DeleteAsync(_keyed);
            }
            catch (Exception ex) when (ex is HttpRequestException or CrmGuardrails.Dataverse.DataverseException)
            {
                // Best effort, like the rows: a key row left behind points at a deleted record and finds nothing.
            }
        }

        for (var i = _created.Count - 1; i >= 0; i--)
            await DeleteAsync(_created[i].Set, _created[i].Id);
        _http.Dispose();
    }

    /// <summary>
    /// Maps the scenario's users to existing, enabled users: Jon is a user whose manager (Chris) is enabled too; Maria and
    /// Ade are two further users (the application user first, when the org says who it is).
    /// </summary>
    private async Task<Dictionary<string, string>> FindUsersAsync()
    {
        if (Environment.GetEnvironmentVariable(UsersVariable) is { Length: > 0 } given)
        {
            var ids = given.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length != 4 || ids.Any(i => !Guid.TryParse(i, out _)))
                throw new XunitException($"{UsersVariable} must be four systemuser ids: maria,jon,ade,chris.");
            return new Dictionary<string, string> { ["u1"] = ids[0], ["u2"] = ids[1], ["u3"] = ids[2], ["u5"] = ids[3] };
        }

        string? self = null;
        using (var whoAmI = await SendAsync(HttpMethod.Get, "WhoAmI"))
        {
            if (whoAmI.IsSuccessStatusCode)
                self = (await ReadAsync(whoAmI, "WhoAmI"))["UserId"]?.GetValue<string>();
        }

        using var response = await SendAsync(
            HttpMethod.Get,
            "systemusers?$select=systemuserid,fullname,_parentsystemuserid_value&$top=500&$filter=" + Uri.EscapeDataString("isdisabled eq false"));
        var users = (await ReadAsync(response, "reading systemusers"))["value"]!.AsArray().OfType<JsonObject>()
            .Select(u => (Id: u["systemuserid"]!.GetValue<string>(), Name: u["fullname"]?.GetValue<string>() ?? string.Empty, Manager: u["_parentsystemuserid_value"]?.GetValue<string>()))
            .Where(u => u.Name is not ("SYSTEM" or "INTEGRATION"))
            .ToList();
        var enabled = users.Select(u => u.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var jon = users.FirstOrDefault(u => u.Manager is { } m && enabled.Contains(m) && !string.Equals(m, u.Id, StringComparison.OrdinalIgnoreCase) && !string.Equals(u.Id, self, StringComparison.OrdinalIgnoreCase));
        var others = users.Select(u => u.Id)
            .Where(id => jon.Id is not null && !string.Equals(id, jon.Id, StringComparison.OrdinalIgnoreCase) && !string.Equals(id, jon.Manager, StringComparison.OrdinalIgnoreCase))
            .OrderBy(id => string.Equals(id, self, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ToList();
        if (jon.Id is null || others.Count < 2)
        {
            throw new XunitException(
                "The live org needs at least four enabled users that can own records: one with an enabled manager (Business > Manager), " +
                $"and two more (the application user counts); or set {UsersVariable}=maria,jon,ade,chris.");
        }

        return new Dictionary<string, string> { ["u1"] = others[0], ["u2"] = jon.Id, ["u3"] = others[1], ["u5"] = jon.Manager! };
    }

    /// <summary>Creates the scenario's rows (account teams are not seeded: no rule under test reads them).</summary>
    private async Task SeedAsync(CrmSnapshot s)
    {
        foreach (var a in s.Accounts)
        {
            await CreateAsync("accounts", a.Id, Owned(a.OwnerId, new JsonObject
            {
                ["accountid"] = a.Id, ["name"] = a.Name, ["websiteurl"] = a.Website, ["telephone1"] = a.Phone, ["emailaddress1"] = a.Email,
                ["address1_city"] = a.City, ["address1_country"] = a.Country,
                ["customertypecode"] = a.Status switch { AccountStatus.Customer => 3, AccountStatus.Prospect => 8, _ => null },
            }));
        }

        foreach (var c in s.Contacts)
        {
            await CreateAsync("contacts", c.Id, Owned(c.OwnerId, new JsonObject
            {
                ["contactid"] = c.Id, ["firstname"] = c.FirstName, ["lastname"] = c.LastName, ["emailaddress1"] = c.Email, ["telephone1"] = Blank(c.Phone),
                ["parentcustomerid_account@odata.bind"] = c.AccountId is null ? null : $"/accounts({c.AccountId})",
            }));
        }

        foreach (var l in s.Leads)
        {
            await CreateAsync("leads", l.Id, Owned(l.OwnerId, new JsonObject
            {
                ["leadid"] = l.Id, ["firstname"] = l.FirstName, ["lastname"] = l.LastName, ["companyname"] = l.Company, ["emailaddress1"] = l.Email,
                ["telephone1"] = Blank(l.Phone), ["websiteurl"] = l.Website, ["subject"] = $"CrmGuardrails e2e {_map.Token}",
            }));
        }

        foreach (var activity in s.Activities)
            await CreateAsync(SetOf(activity), activity.Id, Owned(activity.OwnerId, ActivityBody(activity)));

        // The match keys the existing-customer and duplicate-lead rules look up, written as the webhook and the backfill do.
        await using var keys = KeyWriter();
        await keys.Writer.WriteAsync([.. s.Accounts, .. s.Contacts, .. s.Leads]);
        _keyed.AddRange(s.Accounts.Select(a => a.Id).Concat(s.Contacts.Select(c => c.Id)).Concat(s.Leads.Select(l => l.Id)));
    }

    private KeyWriterScope KeyWriter()
    {
        var services = new ServiceCollection();
        services.AddCrmGuardrailsDataverse(_settings.Url, _settings.Credential);
        var provider = services.BuildServiceProvider();
        return new KeyWriterScope(provider, provider.GetRequiredService<CrmGuardrails.Dataverse.Keys.DataverseMatchKeyWriter>());
    }

    private sealed record KeyWriterScope(ServiceProvider Services, CrmGuardrails.Dataverse.Keys.DataverseMatchKeyWriter Writer) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Services.DisposeAsync();
    }

    /// <summary>
    /// The appointment as an appointment; the inbound chat as an inbound phone call (a chat cannot be created through the Web
    /// API in every org; the channel-fanout rule only needs another inbound channel). <c>overriddencreatedon</c> keeps the
    /// scenario's creation time, which the rules compare with the payload's operation time.
    /// </summary>
    private static string SetOf(Activity activity) => activity.Type == ActivityType.Appointment ? "appointments" : "phonecalls";

    private static JsonObject ActivityBody(Activity a)
    {
        var set = SetOf(a);
        var table = set.TrimEnd('s');
        var body = new JsonObject
        {
            ["activityid"] = a.Id,
            ["subject"] = a.Subject,
            ["scheduledstart"] = a.ScheduledStart?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["overriddencreatedon"] = a.CreatedOn?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };
        if (table == "appointment")
            body["scheduledend"] = (a.ScheduledStart ?? DateTimeOffset.UtcNow).AddHours(1).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
        else
            body["directioncode"] = a.Direction == ActivityDirection.Outbound;
        if (a.Regarding is { } regarding)
        {
            var kind = regarding.Kind.ToString().ToLowerInvariant();
            body[$"regardingobjectid_{kind}_{table}@odata.bind"] = $"/{kind}s({regarding.Id})";
        }

        var parties = new JsonArray();
        foreach (var party in a.Parties)
        {
            var kind = party.Kind.ToString().ToLowerInvariant();
            var mask = table == "appointment" ? 5 : a.Direction == ActivityDirection.Inbound ? 1 : 2;
            parties.Add(new JsonObject { [$"partyid_{kind}@odata.bind"] = $"/{kind}s({party.Id})", ["participationtypemask"] = mask });
        }

        if (parties.Count > 0)
            body[$"{table}_activity_parties"] = parties;
        return body;
    }

    private static JsonObject Owned(string? ownerId, JsonObject body)
    {
        if (ownerId is not null)
            body["ownerid@odata.bind"] = $"/systemusers({ownerId})";
        foreach (var key in body.Where(p => p.Value is null).Select(p => p.Key).ToList())
            body.Remove(key);
        return body;
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private async Task CreateAsync(string set, string id, JsonObject body)
    {
        using var response = await SendAsync(HttpMethod.Post, set, body);
        if (!response.IsSuccessStatusCode)
            throw new XunitException($"Seeding {set} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        _created.Add((set, id));
    }

    /// <summary>Deletes a row; bounded retries on throttling and server errors; a row already gone is fine.</summary>
    private async Task DeleteAsync(string set, string id)
    {
        for (var attempt = 1; attempt <= DeleteAttempts; attempt++)
        {
            try
            {
                using var response = await SendAsync(HttpMethod.Delete, $"{set}({id})");
                if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
                    return;
                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(TimeSpan.FromSeconds(attempt));
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relative, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_settings.Url, "api/data/v9.2/" + relative));
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var token = await _settings.Credential.GetTokenAsync(new TokenRequestContext([_settings.Url.GetLeftPart(UriPartial.Authority) + "/.default"]), default);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        request.Headers.Add("OData-Version", "4.0");
        request.Headers.Add("OData-MaxVersion", "4.0");
        request.Headers.Add("Prefer", "odata.include-annotations=\"*\"");
        return await _http.SendAsync(request);
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new XunitException($"{what} failed: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}

/// <summary>The rule rows (fixture, rule, blocks) for one target; the live target is reported as skipped when not configured.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RuleRowsAttribute : DataAttribute
{
    private readonly string _target;

    public RuleRowsAttribute(string target)
    {
        _target = target;
        if (target == ScenarioOrg.Live && LiveOrgSettings.Load() is null)
            Skip = LiveOrgSettings.SkipReason;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        WebhookEndToEndTests.Rules.Select(row => new object[] { _target }.Concat(row).ToArray());
}
