using CrmGuardrails.Embedded;

namespace CrmGuardrails.Tests.TestSupport;

/// <summary>A small org for rule tests: users, two accounts, contacts, a lead; tests add what their case needs.</summary>
internal sealed class Org
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public Org()
    {
        Directory = new InMemoryCrmDirectory(new CrmSnapshot
        {
            Users =
            [
                new User { Id = "u1", Name = "Maria Lopez", ManagerId = "u5" },
                new User { Id = "u2", Name = "Jon Berg", ManagerId = "u5" },
                new User { Id = "u3", Name = "Ade Bello", ManagerId = "u5" },
                new User { Id = "u4", Name = "Kim Novak", ManagerId = "u2" },
                new User { Id = "u5", Name = "Chris Moore" },
            ],
            Accounts =
            [
                new Account { Id = "a-contoso", Name = "Contoso Pharmaceuticals Ltd", Website = "https://contoso-pharma.co.uk", Phone = "+44 20 7946 0000", City = "London", Country = "GB", OwnerId = "u1", Status = AccountStatus.Customer },
                new Account { Id = "a-litware", Name = "Litware, Inc.", Website = "litware.com", Phone = "(206) 555-0150", City = "Seattle", Country = "US", OwnerId = "u3", Status = AccountStatus.Prospect },
            ],
            AccountTeam = [new AccountTeamMember("a-litware", "u2")],
            Contacts =
            [
                new Contact { Id = "c-anna", AccountId = "a-contoso", FirstName = "Anna", LastName = "Kowalski", Email = "anna.kowalski@contoso-pharma.co.uk", Phone = "+44 20 7946 0011", OwnerId = "u1" },
                new Contact { Id = "c-raj", AccountId = "a-litware", FirstName = "Raj", LastName = "Patel", Email = "raj@litware.com", OwnerId = "u3" },
            ],
            Leads =
            [
                new Lead { Id = "l-omar", FirstName = "Omar", LastName = "Haddad", Company = "Proseware", Email = "omar@proseware.io", Website = "proseware.io", OwnerId = "u2" },
            ],
        });
    }

    public InMemoryCrmDirectory Directory { get; }

    public Org With(params CrmRecord[] records)
    {
        foreach (var record in records)
            Directory.Upsert(record);
        return this;
    }

    public GuardPipeline Pipeline(Action<CrmGuardrailsOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new CrmGuardrailsOptions();
        configure?.Invoke(options);
        return new GuardPipelineBuilder { Directory = Directory, TimeProvider = time ?? TimeProvider.System }.AddDefaultGuards(options).Build();
    }

    public Task<GuardResult> CreateAsync(CrmRecord record, string userId, Action<CrmGuardrailsOptions>? configure = null) =>
        Pipeline(configure).EvaluateAsync(GuardRequest.ForCreate(record, userId) with { OccurredAt = Now }).AsTask();

    public Task<GuardResult> UpdateAsync(string id, Func<Activity, Activity> change, string userId, DateTimeOffset? at = null)
    {
        var before = (Activity)Directory.Find(id)!;
        var after = change(before);
        if (before.ScheduledStart != after.ScheduledStart)
            after = after with { RescheduleCount = before.RescheduleCount + 1 };
        return Pipeline().EvaluateAsync(GuardRequest.ForUpdate(before, after, userId) with { OccurredAt = at ?? Now }).AsTask();
    }

    public static Activity Call(string id, string owner, RecordRef party, DateTimeOffset? start, ActivityDirection direction = ActivityDirection.Outbound, ActivityType type = ActivityType.PhoneCall, ActivityStatus status = ActivityStatus.Open, string? subject = null) =>
        new()
        {
            Id = id, OwnerId = owner, Type = type, Direction = direction, Status = status, Regarding = party, Parties = [party],
            ScheduledStart = start, CreatedOn = Now.AddHours(-1), Subject = subject,
        };

    public static RecordRef Contact(string id) => new(RecordKind.Contact, id);

    public static RecordRef Lead(string id) => new(RecordKind.Lead, id);

    public static RecordRef Account(string id) => new(RecordKind.Account, id);
}

internal static class SharedFiles
{
    /// <summary>Finds shared/ (beside the repository in development and CI) by walking up from the test binaries.</summary>
    public static string Path(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared");
            if (System.IO.Directory.Exists(System.IO.Path.Combine(candidate, "examples")))
                return System.IO.Path.Combine([candidate, .. parts]);
        }

        throw new InvalidOperationException($"shared/ was not found above {AppContext.BaseDirectory}; it must sit beside the repository.");
    }
}

/// <summary>Keeps log entries in memory, for tests that check what was logged and how.</summary>
internal sealed class ListLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(Microsoft.Extensions.Logging.LogLevel Level, string? EventName, string Message)> _entries = new();

    public IReadOnlyList<(Microsoft.Extensions.Logging.LogLevel Level, string? EventName, string Message)> Entries => [.. _entries];

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(ListLoggerProvider provider) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider._entries.Enqueue((logLevel, eventId.Name, formatter(state, exception)));
    }
}
