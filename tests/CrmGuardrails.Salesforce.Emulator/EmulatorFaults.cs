namespace CrmGuardrails.Salesforce.Emulator;

/// <summary>What goes wrong with one REST request, with the status and body Salesforce answers (salesforce.md §3.4).</summary>
public sealed record EmulatorFault
{
    private EmulatorFault(string name) => Name = name;

    /// <summary>Gets the fault's name, as shown in the request log.</summary>
    public string Name { get; }

    /// <summary>Gets the status answered instead of the real answer.</summary>
    public int? StatusCode { get; private init; }

    /// <summary>Gets the error code of the answered error array.</summary>
    public string? ErrorCode { get; private init; }

    /// <summary>Gets the message of the answered error array.</summary>
    public string? Message { get; private init; }

    /// <summary>Gets the <c>Retry-After</c> header value, if any.</summary>
    public string? RetryAfter { get; private init; }

    /// <summary>Gets the delay before the request is handled.</summary>
    public TimeSpan Latency { get; private init; }

    /// <summary>401 <c>[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]</c>; the session is ended too.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault SessionExpired() => new("session-expired") { StatusCode = 401, ErrorCode = "INVALID_SESSION_ID", Message = "Session expired or invalid" };

    /// <summary>403 <c>REQUEST_LIMIT_EXCEEDED</c> for the concurrency limit (long-running requests; it passes).</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault ConcurrentLimit() =>
        new("concurrent-limit") { StatusCode = 403, ErrorCode = "REQUEST_LIMIT_EXCEEDED", Message = "ConcurrentPerOrgLongTxn Limit exceeded." };

    /// <summary>403 <c>[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]</c>: the daily allocation.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault DailyLimit() => new("daily-limit") { StatusCode = 403, ErrorCode = "REQUEST_LIMIT_EXCEEDED", Message = "TotalRequests Limit exceeded." };

    /// <summary>400 <c>UNABLE_TO_LOCK_ROW</c>: another transaction holds the record.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault LockedRow() =>
        new("locked-row") { StatusCode = 400, ErrorCode = "UNABLE_TO_LOCK_ROW", Message = "unable to obtain exclusive access to this record or 1 records" };

    /// <summary>503: maintenance or overload.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault Unavailable() => new("unavailable") { StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE", Message = "Server temporarily unavailable" };

    /// <summary>500: an internal error.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault InternalError() => new("internal-error") { StatusCode = 500, ErrorCode = "UNKNOWN_EXCEPTION", Message = "An unexpected error occurred." };

    /// <summary>429 with <c>Retry-After</c> in seconds.</summary>
    /// <param name="retryAfterSeconds">The seconds.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Throttle(int retryAfterSeconds) =>
        new("throttle") { StatusCode = 429, ErrorCode = "REQUEST_LIMIT_EXCEEDED", Message = "Too many requests", RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>A delay before the normal answer.</summary>
    /// <param name="latency">The delay.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Slow(TimeSpan latency) => new("slow") { Latency = latency };
}

/// <summary>The faults planned for the coming REST requests. Thread-safe.</summary>
public sealed class EmulatorFaultPlan
{
    private readonly object _gate = new();
    private readonly Queue<EmulatorFault> _next = new();
    private EmulatorFault? _always;

    /// <summary>Plans a fault for the next <paramref name="count"/> requests.</summary>
    /// <param name="fault">The fault.</param>
    /// <param name="count">How many requests, at most 10,000.</param>
    public void Next(EmulatorFault fault, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 10_000);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
                _next.Enqueue(fault);
        }
    }

    /// <summary>Applies a fault to every request (after the planned ones) until <see cref="Clear"/>.</summary>
    /// <param name="fault">The fault.</param>
    public void Always(EmulatorFault fault)
    {
        lock (_gate)
            _always = fault;
    }

    /// <summary>Forgets every planned fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _next.Clear();
            _always = null;
        }
    }

    internal EmulatorFault? Take()
    {
        lock (_gate)
            return _next.Count > 0 ? _next.Dequeue() : _always;
    }
}

/// <summary>One request the emulator received.</summary>
/// <param name="Number">Its number since start.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path.</param>
/// <param name="Query">The decoded SOQL or SOSL, if any.</param>
/// <param name="Subrequests">The subrequests of a composite request (0 otherwise).</param>
/// <param name="Fault">The fault applied, if any.</param>
public sealed record EmulatorRequest(int Number, string Method, string Path, string? Query, int Subrequests, string? Fault);

/// <summary>A duplicate rule of the emulated org: which new records it matches, and whether it only alerts (Allow) or blocks.</summary>
/// <param name="SObject">The object it runs on.</param>
/// <param name="Matches">Tells the existing record a new one duplicates, or <see langword="null"/>.</param>
/// <param name="AllowSave">Whether the rule's action is Allow with an alert (<c>allowSave=true</c> in the header saves anyway).</param>
/// <param name="Name">The rule's developer name.</param>
public sealed record EmulatorDuplicateRule(string SObject, Func<IReadOnlyDictionary<string, object?>, string?> Matches, bool AllowSave, string Name = "Standard_Rule_for_Leads_with_Duplicate_Contacts");
