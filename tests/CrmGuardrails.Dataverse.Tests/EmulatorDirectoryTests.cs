using System.Diagnostics;
using System.Net;
using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Matching;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace CrmGuardrails.Dataverse.Tests;

/// <summary>Behaviour only an emulated org can show: exact shapes, teams, paging, faults.</summary>
public sealed class EmulatorDirectoryTests : IAsyncLifetime
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    // Not a speed goal: "answered within the budget, not after the fault" — well below what ignoring the budget takes
    // (10 retries of a 1 s Retry-After, a 20 s slow answer), well above a loaded machine's scheduling delays.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(6);
    private DataverseEmulator _emulator = null!;
    private EmulatorOrg _org = null!;

    private static string NewId() => Guid.NewGuid().ToString("D");

    public async Task InitializeAsync()
    {
        _emulator = await DataverseEmulator.StartAsync();
        _org = new EmulatorOrg(_emulator);
    }

    public async Task DisposeAsync() => await _org.DisposeAsync();

    [Fact]
    public async Task GetAsync_User_ReturnsNameAndManager()
    {
        var boss = new User { Id = NewId(), Name = "Grace Boss" };
        var rep = new User { Id = NewId(), Name = "Ray Rep", ManagerId = boss.Id };
        _emulator.Seed(boss, rep);

        var user = Assert.IsType<User>(await _org.CreateDirectory().GetAsync(rep.Ref, CancellationToken.None));

        Assert.Equal("Ray Rep", user.Name);
        Assert.Equal(boss.Id, user.ManagerId);
        Assert.Equal(1, _org.Requests.Count);
    }

    [Fact]
    public async Task TeamOwner_OwnerNameFromAnnotation_AndGetUserFallsBackToTeam()
    {
        var teamId = NewId();
        _emulator.SeedOwnerTeam(teamId, "Key Accounts Team");
        var account = new Account { Id = NewId(), Name = "Team Owned", OwnerId = teamId };
        _emulator.Seed(account);
        var directory = _org.CreateDirectory();

        var found = Assert.IsType<Account>(await directory.GetAsync(account.Ref, CancellationToken.None));
        Assert.Equal(teamId, found.OwnerId);
        Assert.Equal("Key Accounts Team", found.OwnerName);

        _org.Requests.Reset();
        var owner = Assert.IsType<User>(await directory.GetAsync(new RecordRef(RecordKind.User, teamId), CancellationToken.None));
        Assert.Equal("Key Accounts Team", owner.Name);
        // The user and the team are asked together, in one $batch.
        Assert.Equal(1, _org.Requests.Count);
    }

    [Fact]
    public async Task GetAccountTeamAsync_AccessTeamMembers_InOneRequest()
    {
        var account = new Account { Id = NewId(), Name = "Teamed" };
        var a = new User { Id = NewId(), Name = "A" };
        var b = new User { Id = NewId(), Name = "B" };
        var c = new User { Id = NewId(), Name = "C" };
        _emulator.Seed(account, a, b, c);
        var template = Guid.NewGuid();
        _emulator.SeedAccountTeam(account.Id, [a.Id, b.Id], template);
        _emulator.SeedAccountTeam(NewId(), [c.Id]);

        var team = await _org.CreateDirectory().GetAccountTeamAsync(account.Id, CancellationToken.None);
        Assert.Equal(new[] { a.Id, b.Id }.Order(), team.Order());
        Assert.Equal(1, _org.Requests.Count);

        var otherTemplate = await _org.CreateDirectory(o => o.AccountTeamTemplateId = Guid.NewGuid()).GetAccountTeamAsync(account.Id, CancellationToken.None);
        Assert.Empty(otherTemplate);
        Assert.Empty(await _org.CreateDirectory().GetAccountTeamAsync("x' or 1 eq 1 or '", CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_UnknownKind_FindsTheTableInOneBatchRequest()
    {
        var lead = new Lead { Id = NewId(), LastName = "Unknown" };
        var user = new User { Id = NewId(), Name = "Una User" };
        _emulator.Seed(lead, user);
        var directory = _org.CreateDirectory();

        Assert.Equal("Unknown", Assert.IsType<Lead>(await directory.GetAsync(new RecordRef(RecordKind.Unknown, lead.Id), CancellationToken.None)).LastName);
        Assert.Equal("Una User", Assert.IsType<User>(await directory.GetAsync(new RecordRef(RecordKind.Unknown, user.Id), CancellationToken.None)).Name);
        Assert.Null(await directory.GetAsync(new RecordRef(RecordKind.Unknown, NewId()), CancellationToken.None));

        Assert.Equal(3, _org.Requests.Count);
        Assert.All(_emulator.Requests, r => Assert.EndsWith("$batch", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FindOpenLeadsAsync_QualifiedLeads_AreNotReturned()
    {
        _emulator.Seed(
            new Lead { Id = NewId(), Company = "Fabrikam", Status = LeadStatus.Qualified },
            new Lead { Id = NewId(), Company = "Fabrikam", Status = LeadStatus.Open });

        var leads = await _org.CreateDirectory().FindOpenLeadsAsync(new LeadQuery { CompanyKeys = StoredMatchKeys.Matcher.GetKeys(new Lead { Id = "new", Company = "Fabrikam" }) }, CancellationToken.None);

        Assert.Equal(LeadStatus.Open, Assert.Single(leads).Status);
    }

    [Fact]
    public async Task FindOpenActivitiesAsync_StatusDateAndDirection_AreFiltered()
    {
        var contact = new Contact { Id = NewId(), LastName = "Party" };
        var t0 = new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);
        var open = new Activity { Id = NewId(), Type = ActivityType.Email, Direction = ActivityDirection.Inbound, Parties = [contact.Ref], CreatedOn = t0 };
        var old = new Activity { Id = NewId(), Type = ActivityType.Email, Parties = [contact.Ref], CreatedOn = t0.AddDays(-30) };
        var done = new Activity { Id = NewId(), Type = ActivityType.Appointment, Status = ActivityStatus.Completed, Regarding = contact.Ref, CreatedOn = t0 };
        _emulator.Seed(contact, open, old, done);
        var directory = _org.CreateDirectory();

        var recent = await directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [contact.Ref], CreatedOnOrAfter = t0.AddDays(-1) }, CancellationToken.None);
        var activity = Assert.Single(recent);
        Assert.Equal(open.Id, activity.Id);
        Assert.Equal(ActivityDirection.Inbound, activity.Direction);
        Assert.Equal(ActivityType.Email, activity.Type);
        Assert.Equal(t0, activity.CreatedOn);

        var outbound = await directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [contact.Ref], Direction = ActivityDirection.Outbound }, CancellationToken.None);
        Assert.Equal(old.Id, Assert.Single(outbound).Id);
    }

    [Fact]
    public async Task Paging_FollowsNextLink_UpToMaxResultsAndPageBudget()
    {
        var account = new Account { Id = NewId(), Name = "Paged Holdings" };
        _emulator.Seed(account);
        for (var i = 0; i < 7; i++)
            _emulator.Seed(new Contact { Id = NewId(), AccountId = account.Id, FirstName = "Page", LastName = $"Contact {i}" });
        var directory = _org.CreateDirectory(o => o.PageSize = 2);
        var query = new ContactQuery { AccountIds = [account.Id] };

        var three = await directory.FindContactsAsync(query with { MaxResults = 3 }, CancellationToken.None);
        Assert.Equal(3, three.Count);
        Assert.Equal(2, _org.Requests.Count);
        Assert.Contains(_emulator.Requests, r => r.Query.Contains("$skiptoken", StringComparison.Ordinal));

        _org.Requests.Reset();
        var all = await _org.CreateDirectory(o => o.PageSize = 5000).FindContactsAsync(query, CancellationToken.None);
        Assert.Equal(7, all.Count);
        Assert.Equal(1, _org.Requests.Count);
    }

    [Fact]
    public async Task ManyChecksAtOnce_RequestsInFlightStayUnderTheOrgsConcurrencyLimit()
    {
        var accounts = Enumerable.Range(0, 12).Select(i => new Account { Id = NewId(), Name = $"Busy {i}" }).ToList();
        _emulator.Seed([.. accounts]);
        _emulator.Faults.Always(EmulatorFault.Slow(TimeSpan.FromMilliseconds(200)));
        var directory = _org.CreateDirectory(o => o.MaxConcurrentRequests = 3);

        var found = await Task.WhenAll(accounts.Select(a => directory.GetAsync(a.Ref, CancellationToken.None).AsTask()));

        Assert.All(found, Assert.NotNull);
        Assert.InRange(_emulator.PeakConcurrentRequests, 1, 3);
    }

    [Fact]
    public async Task Throttled_RetryAfterSeconds_IsHonouredThenSucceeds()
    {
        var account = new Account { Id = NewId(), Name = "Busy" };
        _emulator.Seed(account);
        _emulator.Faults.Next(EmulatorFault.Throttle(1), 2);
        var directory = _org.CreateDirectory(o => o.RetryBaseDelay = TimeSpan.Zero);

        var watch = Stopwatch.StartNew();
        var found = await directory.GetAsync(account.Ref, CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(3, _org.Requests.Count);

        // Two Retry-After: 1 waits (a lower bound: honoured, not a speed claim).
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"waited only {watch.Elapsed}");
    }

    [Fact]
    public async Task Throttled_RetryAfterDate_IsHonoured()
    {
        var account = new Account { Id = NewId(), Name = "Busy" };
        _emulator.Seed(account);
        _emulator.Faults.Next(EmulatorFault.ThrottleUntil(TimeProvider.System.GetUtcNow().AddSeconds(2)), 1);
        var directory = _org.CreateDirectory();

        Assert.NotNull(await directory.GetAsync(account.Ref, CancellationToken.None));
        Assert.Equal(2, _org.Requests.Count);
    }

    [Fact]
    public async Task Throttled_RetryAfterBeyondLimit_FailsAtOnceWithRetryAfter()
    {
        _emulator.Faults.Always(EmulatorFault.Throttle(300));
        var directory = _org.CreateDirectory();

        var error = await Assert.ThrowsAsync<DataverseException>(async () => await directory.GetAsync(new RecordRef(RecordKind.Account, NewId()), CancellationToken.None));

        Assert.True(error.IsThrottled);
        Assert.Equal(TimeSpan.FromSeconds(300), error.RetryAfter);
        Assert.Equal("0x80072322", error.ErrorCode);
        Assert.Equal(1, _org.Requests.Count);
    }

    [Fact]
    public async Task ThrottleStorm_WithinBudget_IsAnsweredBeforeBudgetPlusMargin()
    {
        _emulator.Faults.Always(EmulatorFault.Throttle(1));
        var directory = _org.CreateDirectory(o => o.MaxRetryAttempts = 10);
        using var budget = new CancellationTokenSource(Budget);
        var watch = Stopwatch.StartNew();

        var error = await Record.ExceptionAsync(async () => await directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = new MatchKeys { Domains = ["x.example"] } }, budget.Token));

        Assert.True(error is OperationCanceledException or DataverseException, error?.ToString());
        Assert.True(watch.Elapsed < Budget + Margin, $"took {watch.Elapsed}");
        Assert.InRange(_org.Requests.Count, 1, 4);
    }

    [Fact]
    public async Task Unavailable_Forever_IsAnsweredWithinBudget()
    {
        _emulator.Faults.Always(EmulatorFault.Unavailable());
        var directory = _org.CreateDirectory(o => o.MaxRetryAttempts = 10);
        using var budget = new CancellationTokenSource(Budget);
        var watch = Stopwatch.StartNew();

        var error = await Record.ExceptionAsync(async () => await directory.GetAsync(new RecordRef(RecordKind.Lead, NewId()), budget.Token));

        Assert.True(error is OperationCanceledException or DataverseException, error?.ToString());
        Assert.True(watch.Elapsed < Budget + Margin, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task ConnectionRefused_DeadOrg_IsAnsweredWithinBudget()
    {
        var deadUrl = _emulator.OrgUrl;
        var credential = _emulator.Credential;
        await _emulator.DisposeAsync();
        var services = new ServiceCollection();
        services.AddCrmGuardrailsDataverse(o =>
        {
            o.OrgUrl = deadUrl;
            o.Credential = credential;
        });
        var directory = services.BuildServiceProvider().GetRequiredService<ICrmDirectory>();
        using var budget = new CancellationTokenSource(Budget);
        var watch = Stopwatch.StartNew();

        var error = await Record.ExceptionAsync(async () => await directory.GetAsync(new RecordRef(RecordKind.Account, NewId()), budget.Token));

        Assert.True(error is OperationCanceledException or DataverseException, error?.ToString());
        Assert.True(watch.Elapsed < Budget + Margin, $"took {watch.Elapsed}");
        _emulator = await DataverseEmulator.StartAsync();
        _org = new EmulatorOrg(_emulator);
    }

    [Fact]
    public async Task SlowOrg_AttemptTimeoutAndBudget_AreAnsweredWithinBudget()
    {
        _emulator.Faults.Always(EmulatorFault.Slow(TimeSpan.FromSeconds(20)));
        var directory = _org.CreateDirectory(o => o.AttemptTimeout = TimeSpan.FromMilliseconds(500));
        using var budget = new CancellationTokenSource(Budget);
        var watch = Stopwatch.StartNew();

        var error = await Record.ExceptionAsync(async () => await directory.GetAsync(new RecordRef(RecordKind.Account, NewId()), budget.Token));

        Assert.True(error is OperationCanceledException or DataverseException, error?.ToString());
        Assert.True(watch.Elapsed < Budget + Margin, $"took {watch.Elapsed}");
        Assert.True(_org.Requests.Count >= 2, "the attempt timeout should have led to a retry");
    }

    [Fact]
    public async Task DroppedConnection_Once_IsRetried()
    {
        var account = new Account { Id = NewId(), Name = "Flaky" };
        _emulator.Seed(account);
        _emulator.Faults.Next(EmulatorFault.DropConnection());

        Assert.NotNull(await _org.CreateDirectory().GetAsync(account.Ref, CancellationToken.None));
        Assert.Equal(2, _org.Requests.Count);
    }

    [Fact]
    public async Task SickOrg_CircuitOpens_AndFailsFast()
    {
        _emulator.Faults.Always(EmulatorFault.Unavailable());
        var directory = _org.CreateDirectory(o =>
        {
            o.MaxRetryAttempts = 0;
            o.CircuitBreakerMinimumThroughput = 3;
        });

        DataverseException? broken = null;
        for (var i = 0; i < 10 && broken is null; i++)
        {
            var error = await Assert.ThrowsAsync<DataverseException>(async () => await directory.GetAsync(new RecordRef(RecordKind.Account, NewId()), CancellationToken.None));
            if (error.InnerException is BrokenCircuitException)
                broken = error;
        }

        Assert.NotNull(broken);
        var sent = _emulator.Requests.Count;
        await Assert.ThrowsAsync<DataverseException>(async () => await directory.GetAsync(new RecordRef(RecordKind.Account, NewId()), CancellationToken.None));
        Assert.Equal(sent, _emulator.Requests.Count);
    }

    [Fact]
    public async Task InvalidToken_401_RenewsOnceThenThrows()
    {
        var services = new ServiceCollection();
        var wrong = new StaticTokenCredential("wrong-token");
        services.AddCrmGuardrailsDataverse(o =>
        {
            o.OrgUrl = _emulator.OrgUrl;
            o.Credential = wrong;
        });
        var directory = services.BuildServiceProvider().GetRequiredService<ICrmDirectory>();

        var error = await Assert.ThrowsAsync<DataverseException>(async () => await directory.GetAsync(new RecordRef(RecordKind.Account, NewId()), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(2, _emulator.Requests.Count);
        Assert.Equal(2, wrong.Issued);
    }

    [Fact]
    public async Task Credential_IsAskedForOrgScope_AndTokenIsCached()
    {
        var account = new Account { Id = NewId(), Name = "Cached" };
        _emulator.Seed(account);
        var directory = _org.CreateDirectory();

        for (var i = 0; i < 3; i++)
            Assert.NotNull(await directory.GetAsync(account.Ref, CancellationToken.None));

        Assert.Equal(1, _emulator.Credential.Issued);
        Assert.Equal(_emulator.OrgUrl.GetLeftPart(UriPartial.Authority) + "/.default", Assert.Single(_emulator.Credential.LastScopes));
    }

    [Fact]
    public async Task MalformedJson_ThrowsClearDataverseException()
    {
        _emulator.Faults.Next(EmulatorFault.Malformed());

        var error = await Assert.ThrowsAsync<DataverseException>(async () =>
            await _org.CreateDirectory().GetAsync(new RecordRef(RecordKind.Account, NewId()), CancellationToken.None));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public async Task BadRequest_ErrorBody_IsReportedWithCodeAndMessage()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _emulator.Token);

        using var response = await http.GetAsync(new Uri(_emulator.WebApiRoot, "accounts?$filter=frobnicate(name)"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("0x", body["error"]!["code"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(body["error"]!["message"]!.GetValue<string>()));
    }
}
