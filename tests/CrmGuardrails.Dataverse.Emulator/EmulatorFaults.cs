using System.Globalization;
using Azure.Core;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>What goes wrong with one request.</summary>
public sealed record EmulatorFault
{
    private EmulatorFault(string name) => Name = name;

    /// <summary>Gets the fault's name, as shown in the request log.</summary>
    public string Name { get; }

    /// <summary>Gets the status answered instead of the real answer, if any.</summary>
    public int? StatusCode { get; private init; }

    /// <summary>Gets the <c>Retry-After</c> header value, if any.</summary>
    public string? RetryAfter { get; private init; }

    /// <summary>Gets the delay before the request is handled (or the fault answered).</summary>
    public TimeSpan Latency { get; private init; }

    /// <summary>Gets a value indicating whether the connection is aborted without an answer.</summary>
    public bool Drop { get; private init; }

    /// <summary>Gets a value indicating whether a 200 with a body that is not JSON is answered.</summary>
    public bool MalformedJson { get; private init; }

    /// <summary>A 429 service-protection answer with <c>Retry-After</c> in seconds.</summary>
    /// <param name="retryAfterSeconds">The seconds.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Throttle(int retryAfterSeconds) =>
        new("throttle") { StatusCode = 429, RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture) };

    /// <summary>A 429 with <c>Retry-After</c> as an HTTP date.</summary>
    /// <param name="until">The date.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault ThrottleUntil(DateTimeOffset until) =>
        new("throttle-date") { StatusCode = 429, RetryAfter = until.ToString("r", CultureInfo.InvariantCulture) };

    /// <summary>A 503 Service Unavailable.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault Unavailable() => new("unavailable") { StatusCode = 503 };

    /// <summary>A delay before the normal answer.</summary>
    /// <param name="latency">The delay.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Slow(TimeSpan latency) => new("slow") { Latency = latency };

    /// <summary>The connection is dropped without an answer.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault DropConnection() => new("drop") { Drop = true };

    /// <summary>A 200 whose body is not valid JSON.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault Malformed() => new("malformed-json") { MalformedJson = true };
}

/// <summary>The faults planned for the coming requests. Thread-safe.</summary>
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

    /// <summary>Removes every planned fault.</summary>
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
/// <param name="Number">The request's number, from 1.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, URL-decoded.</param>
/// <param name="Query">The query string, URL-decoded.</param>
/// <param name="Fault">The fault applied, if any.</param>
public sealed record EmulatorRequest(int Number, string Method, string Path, string Query, string? Fault);

/// <summary>A credential that always issues the same token: the emulator's (or any fixed) bearer token.</summary>
/// <param name="token">The token.</param>
/// <param name="lifetime">How long each issued token claims to live; one hour when <see langword="null"/>.</param>
/// <param name="time">The clock used for the expiry.</param>
public sealed class StaticTokenCredential(string token, TimeSpan? lifetime = null, TimeProvider? time = null) : TokenCredential
{
    private int _issued;

    /// <summary>Gets how many tokens were asked for.</summary>
    public int Issued => Volatile.Read(ref _issued);

    /// <summary>Gets the scopes of the last request.</summary>
    public IReadOnlyList<string> LastScopes { get; private set; } = [];

    /// <inheritdoc />
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _issued);
        LastScopes = requestContext.Scopes;
        return new AccessToken(token, (time ?? TimeProvider.System).GetUtcNow() + (lifetime ?? TimeSpan.FromHours(1)));
    }

    /// <inheritdoc />
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
