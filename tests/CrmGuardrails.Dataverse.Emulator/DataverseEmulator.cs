using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>
/// An emulated Dataverse organisation: a Kestrel server on <c>127.0.0.1</c> (a free port) serving
/// <c>/api/data/v9.2/&lt;entity set&gt;</c> with the Web API's response shapes, bearer-token checks, injectable faults and a request log.
/// </summary>
/// <remarks>
/// <para>It is as strict as Dataverse where a client could get a query wrong: it knows its tables and columns
/// (<see cref="Schema"/>) and refuses unknown entity sets, properties and navigation properties, operand types that do not
/// match (a quoted GUID), <c>Microsoft.Dynamics.CRM.In</c> on a <c>_x_value</c> name, too many or badly nested
/// <c>$expand</c>s, columns a write may not set, duplicate alternate keys — each with Dataverse's status, code and message.</para>
/// <para>Requests are answered in process (a <c>$batch</c> runs its parts without loopback calls); filters use equality
/// indexes, and rows are read in place, never copied unless returned.</para>
/// </remarks>
/// <example>
/// <code>
/// await using var org = await DataverseEmulator.StartAsync();
/// org.Seed(new Account { Id = "...", Name = "Contoso" });
/// services.AddCrmGuardrailsDataverse(o => { o.OrgUrl = org.OrgUrl; o.Credential = org.Credential; });
/// </code>
/// </example>
public sealed partial class DataverseEmulator : IAsyncDisposable
{
    private const string ApiPrefix = "/api/data/v9.2/";
    private const string JsonContentType = "application/json; odata.metadata=minimal";
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly WebApplication _app;
    private readonly object _logGate = new();
    private readonly Queue<EmulatorRequest> _requests = new();
    private int _requestsSinceClear;
    private int _concurrent;
    private int _peakConcurrent;
    private int _requestNumber;

    private DataverseEmulator(WebApplication app, string token)
    {
        _app = app;
        Token = token;
        Credential = new StaticTokenCredential(token);
        Store = new EmulatorStore(Schema);
    }

    /// <summary>Gets the organisation URL, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri OrgUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Gets the only bearer token the emulator accepts.</summary>
    public string Token { get; }

    /// <summary>Gets a credential issuing <see cref="Token"/>.</summary>
    public StaticTokenCredential Credential { get; }

    /// <summary>Gets the tables and columns the emulator knows; add to it to emulate a customised organisation.</summary>
    public EmulatorSchema Schema { get; } = EmulatorSchema.CreateDefault();

    /// <summary>Gets the rows.</summary>
    public EmulatorStore Store { get; }

    /// <summary>Gets counters of what the emulator did (queries, leading wildcards, rows scanned, index use).</summary>
    public EmulatorStats Stats { get; } = new();

    /// <summary>Gets the faults planned for coming requests.</summary>
    public EmulatorFaultPlan Faults { get; } = new();

    /// <summary>Gets or sets the clock that stamps <c>createdon</c> and <c>modifiedon</c>.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets the largest page answered when the client does not ask for one (<c>Prefer: odata.maxpagesize</c>); at most
    /// 5,000: "If you don't specify a number, up to 5,000 records may be returned for each request." (P: webapi/query/page-results.md).
    /// </summary>
    public int DefaultPageSize { get; set; } = MaxPageSize;

    /// <summary>
    /// Gets or sets how many of the latest requests <see cref="Requests"/> keeps. A long load run would otherwise keep
    /// every request (about 1 KB each with its query): that was the growth seen in soaks.
    /// </summary>
    /// <value>The default value is 20,000.</value>
    public int MaxLoggedRequests { get; set; } = 20_000;

    /// <summary>Gets the most requests the emulator was answering at one time since it started.</summary>
    public int PeakConcurrentRequests => Volatile.Read(ref _peakConcurrent);

    /// <summary>Gets how many requests were received since the emulator started or <see cref="ClearRequests"/> was called, kept or not.</summary>
    public int RequestCount => Volatile.Read(ref _requestsSinceClear);

    /// <summary>Gets a snapshot of the latest requests received (at most <see cref="MaxLoggedRequests"/>).</summary>
    public IReadOnlyList<EmulatorRequest> Requests
    {
        get
        {
            lock (_logGate)
                return _requests.ToList();
        }
    }

    /// <summary>Gets the Web API root, <c>&lt;OrgUrl&gt;api/data/v9.2/</c>.</summary>
    public Uri WebApiRoot => new(OrgUrl, "api/data/v9.2/");

    /// <summary>Starts an emulator on 127.0.0.1 and a free port.</summary>
    /// <param name="token">The bearer token to accept; a fixed test token when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    public static async Task<DataverseEmulator> StartAsync(string? token = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);

            // A $batch body may be large: "Batch requests can contain up to 1000 individual requests" (P: execute-batch-operations-using-web-api.md).
            o.Limits.MaxRequestBodySize = 128L * 1024 * 1024;
        });
        var app = builder.Build();
        var emulator = new DataverseEmulator(app, token ?? "emulator-token-" + Guid.NewGuid().ToString("N"));
        app.Run(emulator.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            : null;
        emulator.OrgUrl = new Uri((address ?? throw new InvalidOperationException("Kestrel reported no address.")).TrimEnd('/') + "/");
        return emulator;
    }

    /// <summary>Forgets the requests received so far.</summary>
    public void ClearRequests()
    {
        lock (_logGate)
        {
            _requests.Clear();
            _requestsSinceClear = 0;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var now = Interlocked.Increment(ref _concurrent);
        for (var peak = Volatile.Read(ref _peakConcurrent); now > peak && Interlocked.CompareExchange(ref _peakConcurrent, now, peak) != peak; peak = Volatile.Read(ref _peakConcurrent))
        {
        }

        try
        {
            await HandleOneAsync(context).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _concurrent);
        }
    }

    private async Task HandleOneAsync(HttpContext context)
    {
        var request = context.Request;
        var fault = Faults.Take();
        var number = Interlocked.Increment(ref _requestNumber);
        lock (_logGate)
        {
            _requests.Enqueue(new EmulatorRequest(number, request.Method, request.Path.Value ?? string.Empty, Uri.UnescapeDataString(request.QueryString.Value ?? string.Empty), fault?.Name));
            while (_requests.Count > Math.Max(1, MaxLoggedRequests))
                _requests.Dequeue();
            _requestsSinceClear++;
        }

        if (fault is not null)
        {
            if (fault.Latency > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(fault.Latency, Time, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (fault.Drop)
            {
                context.Abort();
                return;
            }

            if (fault.StatusCode is { } status)
            {
                if (fault.RetryAfter is { } retryAfter)
                    context.Response.Headers.RetryAfter = retryAfter;
                var code = status == 429 ? "0x80072322" : "0x80040216";
                var message = status == 429 ? "Number of requests exceeded the limit of 6000 over time window of 300 seconds." : "The service is unavailable.";
                await WriteAsync(context, Error(status, code, message)).ConfigureAwait(false);
                return;
            }

            if (fault.MalformedJson)
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = JsonContentType;
                await context.Response.WriteAsync("{\"@odata.context\":\"x\",\"value\":[{\"accountid\":", context.RequestAborted).ConfigureAwait(false);
                return;
            }
        }

        if (request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize";
            await WriteAsync(context, Error(401, "0x80072560", "The user is not a member of the organization or the token is missing or invalid.")).ConfigureAwait(false);
            return;
        }

        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Headers)
            headers[name] = value.ToString();
        var answer = Dispatch(new EmulatorHttpRequest
        {
            Method = request.Method,
            Path = request.Path.Value ?? string.Empty,
            Query = EmulatorHttpRequest.ParseQuery(request.QueryString.Value),
            Headers = headers,
            Body = body,
        });
        await WriteAsync(context, answer).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, EmulatorHttpResponse answer)
    {
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
            context.Response.Headers[name] = value;
        if (answer.ContentType is not null)
            context.Response.ContentType = answer.ContentType;
        if (answer.Body.Length > 0)
            await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Answers one request (from Kestrel or a <c>$batch</c> part); errors become Dataverse error bodies.</summary>
    private EmulatorHttpResponse Dispatch(EmulatorHttpRequest request)
    {
        try
        {
            return Route(request);
        }
        catch (EmulatorException ex)
        {
            return Error(ex.Status, ex.Code, ex.Message);
        }
        catch (FormatException ex)
        {
            return Error(400, EmulatorErrors.QueryCode, ex.Message);
        }
        catch (JsonException ex)
        {
            return Error(400, "0x80048d19", "Error identified in Payload provided by the user: " + ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An emulator bug shows up as a Dataverse-shaped 500 whose message names it.
            return Error(500, "0x80040216", "Emulator failure: " + ex);
        }
    }

    private EmulatorHttpResponse Route(EmulatorHttpRequest request)
    {
        var path = request.Path;
        if (!path.StartsWith(ApiPrefix, StringComparison.Ordinal))
            throw EmulatorErrors.UnknownSegment(path.TrimStart('/'));

        var segment = path.Substring(ApiPrefix.Length);
        if (segment == "$batch")
        {
            return request.Method == "POST"
                ? Batch(request)
                : throw new EmulatorException(405, EmulatorErrors.QueryCode, "The method is not supported on this resource.");
        }

        var countOnly = segment.EndsWith("/$count", StringComparison.Ordinal);
        if (countOnly)
            segment = segment.Substring(0, segment.Length - "/$count".Length);

        var open = segment.IndexOf('(', StringComparison.Ordinal);
        var entitySet = open > 0 ? segment.Substring(0, open) : segment;
        var table = Schema.TableForSet(entitySet) ?? throw EmulatorErrors.UnknownSegment(entitySet);
        RowKey? key = null;
        if (open > 0)
        {
            if (!segment.EndsWith(')'))
                throw EmulatorErrors.UnknownSegment(segment.Substring(segment.LastIndexOf(')') + 1).TrimStart('/'));
            key = RowKey.Parse(table, segment.Substring(open + 1, segment.Length - open - 2));
        }

        if (countOnly)
        {
            return request.Method == "GET" && key is null
                ? CountOnly(request, table)
                : throw new EmulatorException(405, EmulatorErrors.QueryCode, "The method is not supported on this resource.");
        }

        return (request.Method, key) switch
        {
            ("GET", null) => Query(request, table),
            ("GET", { } k) => Retrieve(request, table, k),
            ("POST", null) => Write(request, table, null),
            ("PATCH", { } k) => Write(request, table, k),
            ("DELETE", { } k) => Delete(request, table, k),
            _ => throw new EmulatorException(405, EmulatorErrors.QueryCode, "The method is not supported on this resource."),
        };
    }

    private static EmulatorHttpResponse Error(int status, string code, string message) =>
        Json(status, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("code", code);
            w.WriteString("message", message);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static EmulatorHttpResponse Json(int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            write(writer);
        var response = new EmulatorHttpResponse { Status = status, ContentType = JsonContentType, Body = buffer.WrittenSpan.ToArray() };
        response.Headers["OData-Version"] = "4.0";
        return response;
    }

    private static string ReasonPhrase(int status) => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Unknown";

    private static string Now(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The key in <c>set(key)</c>: a GUID, <c>pk=GUID</c>, or an alternate key's columns (<c>crmg_key='a',crmg_recordid='b'</c>),
    /// string values single-quoted with <c>''</c> for a quote.
    /// </summary>
    private sealed record RowKey(string? Id, EmulatorAlternateKey? AlternateKey, IReadOnlyDictionary<string, string>? Values, string Text)
    {
        /// <summary>
        /// "If the data within a column used in an alternate key contains one of the following characters /,&lt;,&gt;,*,%,&amp;,:,\\,?,+,
        /// then retrieve (GET), update, or upsert (PATCH) actions don't work." (P: define-alternate-keys-entity.md, facts file §8).
        /// </summary>
        private static readonly char[] Unusable = ['/', '<', '>', '*', '%', '&', ':', '\\', '?', '+'];

        public static RowKey Parse(EmulatorTable table, string text)
        {
            if (Guid.TryParse(text, out var guid))
                return new RowKey(guid.ToString("D"), null, null, text);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var pos = 0;
            while (pos < text.Length)
            {
                var equals = text.IndexOf('=', pos);
                if (equals < 0)
                    throw Bad(text);
                var name = text.Substring(pos, equals - pos).Trim();
                pos = equals + 1;
                string value;
                if (pos < text.Length && text[pos] == '\'')
                {
                    var builder = new StringBuilder();
                    pos++;
                    while (true)
                    {
                        if (pos >= text.Length)
                            throw Bad(text);
                        var c = text[pos++];
                        if (c == '\'')
                        {
                            if (pos < text.Length && text[pos] == '\'')
                            {
                                builder.Append('\'');
                                pos++;
                                continue;
                            }

                            break;
                        }

                        builder.Append(c);
                    }

                    value = builder.ToString();
                }
                else
                {
                    var comma = text.IndexOf(',', pos);
                    value = (comma < 0 ? text.Substring(pos) : text.Substring(pos, comma - pos)).Trim();
                    pos = comma < 0 ? text.Length : comma;
                }

                values[name] = value;
                if (pos < text.Length)
                {
                    if (text[pos] != ',')
                        throw Bad(text);
                    pos++;
                }
            }

            if (values.Count == 1 && values.TryGetValue(table.PrimaryKey, out var id))
                return Guid.TryParse(id, out var pk) ? new RowKey(pk.ToString("D"), null, null, text) : throw Bad(text);
            var key = table.AlternateKeys.FirstOrDefault(k => k.Columns.Count == values.Count && k.Columns.All(values.ContainsKey))
                ?? throw new EmulatorException(400, "0x80060891", $"Bad Request - Error in query syntax: '{text}' is not a key of '{table.LogicalName}': it has no alternate key on ({string.Join(",", values.Keys)}).");
            if (values.Values.Any(v => v.IndexOfAny(Unusable) >= 0))
            {
                throw new EmulatorException(400, "0x80060891",
                    $"Bad Request - Error in query syntax: '{text}': alternate key values containing / < > * % & : \\ ? + cannot be used in a URL.");
            }

            return new RowKey(null, key, values, text);
        }

        private static EmulatorException Bad(string text) =>
            new(400, "0x80060891", $"Bad Request - Error in query syntax: '{text}' is not a valid key.");
    }
}
