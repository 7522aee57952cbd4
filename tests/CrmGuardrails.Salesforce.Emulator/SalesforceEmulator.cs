using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Salesforce.Emulator;

/// <summary>
/// An emulated Salesforce org: a Kestrel server on <c>127.0.0.1</c> (a free port) with the OAuth token endpoint, the
/// REST API's query (with paging), search, composite, composite/batch and sObject resources, Salesforce's error bodies,
/// <c>Sforce-Limit-Info</c>, duplicate rules and injectable faults.
/// </summary>
/// <remarks>
/// Built from the platform documentation (salesforce.md; quoted where it decides a behaviour) and the real payloads in
/// <c>samples/salesforce/</c>. It is as strict as the platform where a client could go wrong, and stricter where a test
/// must catch an injection: it answers only the query shapes the package is meant to send, <c>MALFORMED_QUERY</c> to
/// anything else (<see cref="EmulatorQuery.AllowedShapes"/>).
/// </remarks>
public sealed partial class SalesforceEmulator : IAsyncDisposable
{
    private const string DataPrefix = "/services/data/";
    private const string ApiVersion = "v62.0";
    private readonly WebApplication _app;
    private readonly object _logGate = new();
    private readonly List<EmulatorRequest> _requests = [];
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (List<JsonObject> Rows, int Next)> _cursors = new(StringComparer.Ordinal);
    private readonly EmulatorQuery _query;
    private int _requestNumber;
    private long _apiUsed;

    private SalesforceEmulator(WebApplication app)
    {
        _app = app;
        Store = new EmulatorStore(Schema, () => Time.GetUtcNow());
        _query = new EmulatorQuery(Schema, Store);
    }

    /// <summary>Gets the org's URL (login URL and <c>instance_url</c> alike), for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Gets or sets the connected app's consumer key.</summary>
    public string ClientId { get; set; } = "3MVG9emulator.consumer.key";

    /// <summary>Gets or sets the consumer secret (client credentials).</summary>
    public string ClientSecret { get; set; } = "emulator-secret";

    /// <summary>Gets the usernames pre-approved for the JWT bearer flow.</summary>
    public HashSet<string> ApprovedUsers { get; } = new(StringComparer.OrdinalIgnoreCase) { "integration@crmguardrails.example" };

    /// <summary>Gets or sets the certificate uploaded to the app (its public key verifies JWT signatures).</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Gets the objects and fields of the org.</summary>
    public EmulatorSchema Schema { get; } = EmulatorSchema.CreateDefault();

    /// <summary>Gets the records.</summary>
    public EmulatorStore Store { get; }

    /// <summary>Gets the faults planned for coming REST requests.</summary>
    public EmulatorFaultPlan Faults { get; } = new();

    /// <summary>Gets the duplicate rules that run on creates.</summary>
    public List<EmulatorDuplicateRule> DuplicateRules { get; } = [];

    /// <summary>Gets or sets the clock.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the delay of every REST request (the benchmark's org latency).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Gets or sets the records of one query page: "Up to 2,000 records per batch (may be fewer)" (§3.1).</summary>
    public int PageSize { get; set; } = 2000;

    /// <summary>Gets or sets the org's API requests per 24 hours (the Developer Edition's 15,000 by default).</summary>
    public long DailyApiLimit { get; set; } = 15_000;

    /// <summary>Gets the API requests counted so far: one a request, one a composite, one a subrequest of a composite batch (§10.F).</summary>
    public long ApiUsed => Interlocked.Read(ref _apiUsed);

    /// <summary>Gets the tokens issued so far.</summary>
    public int TokensIssued { get; private set; }

    /// <summary>Gets the REST requests received (token requests excluded).</summary>
    public IReadOnlyList<EmulatorRequest> Requests
    {
        get
        {
            lock (_logGate)
                return _requests.ToList();
        }
    }

    /// <summary>Gets how many REST requests were received since start or <see cref="ClearRequests"/>.</summary>
    public int RequestCount
    {
        get
        {
            lock (_logGate)
                return _requests.Count;
        }
    }

    /// <summary>Starts an emulator on 127.0.0.1 and a free port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    public static async Task<SalesforceEmulator> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var emulator = new SalesforceEmulator(app);
        app.Run(emulator.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetService(typeof(IServer)) is IServer server ? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() : null;
        emulator.Url = new Uri((address ?? throw new InvalidOperationException("Kestrel reported no address.")).TrimEnd('/') + "/");
        return emulator;
    }

    /// <summary>Forgets the requests received so far.</summary>
    public void ClearRequests()
    {
        lock (_logGate)
            _requests.Clear();
    }

    /// <summary>Ends every session: the next request answers <c>INVALID_SESSION_ID</c>.</summary>
    public void ExpireSessions()
    {
        lock (_sessions)
            _sessions.Clear();
    }

    /// <summary>Runs a query as the org would (for tests that look at what was written).</summary>
    /// <param name="soql">The query.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<JsonObject> Query(string soql) => _query.Run(soql);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        if (path == "/services/oauth2/token")
        {
            await AnswerTokenAsync(context).ConfigureAwait(false);
            return;
        }

        var fault = Faults.Take();
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var query = request.Query["q"].ToString();
        var subrequests = path.EndsWith("/composite/batch", StringComparison.Ordinal) ? CountBatch(body) : 0;
        lock (_logGate)
            _requests.Add(new EmulatorRequest(++_requestNumber, request.Method, path, query.Length > 0 ? query : null, subrequests, fault?.Name));

        var delay = Latency + (fault?.Latency ?? TimeSpan.Zero);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, Time, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (!path.StartsWith(DataPrefix, StringComparison.Ordinal))
        {
            await WriteAsync(context, 404, Errors("NOT_FOUND", "The requested resource does not exist")).ConfigureAwait(false);
            return;
        }

        // "401 invalid/expired session (body has message + errorCode)" (§3.4).
        var token = request.Headers.Authorization.ToString();
        bool known;
        lock (_sessions)
            known = token.StartsWith("Bearer ", StringComparison.Ordinal) && _sessions.Contains(token.Substring(7));
        if (!known || fault?.ErrorCode == "INVALID_SESSION_ID")
        {
            if (fault?.ErrorCode == "INVALID_SESSION_ID")
                ExpireSessions();
            await WriteAsync(context, 401, Errors("INVALID_SESSION_ID", "Session expired or invalid")).ConfigureAwait(false);
            return;
        }

        var used = Interlocked.Add(ref _apiUsed, Math.Max(1, subrequests));
        context.Response.Headers["Sforce-Limit-Info"] = $"api-usage={used.ToString(CultureInfo.InvariantCulture)}/{DailyApiLimit.ToString(CultureInfo.InvariantCulture)}";
        if (fault?.StatusCode is { } status)
        {
            if (fault.RetryAfter is { } retryAfter)
                context.Response.Headers.RetryAfter = retryAfter;
            await WriteAsync(context, status, Errors(fault.ErrorCode!, fault.Message!)).ConfigureAwait(false);
            return;
        }

        if (used > DailyApiLimit)
        {
            await WriteAsync(context, 403, Errors("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")).ConfigureAwait(false);
            return;
        }

        JsonNode? json = null;
        if (body.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (JsonException ex)
            {
                await WriteAsync(context, 400, Errors("JSON_PARSER_ERROR", "Unexpected character: " + ex.Message)).ConfigureAwait(false);
                return;
            }
        }

        var rest = path.Substring(DataPrefix.Length) + (request.QueryString.HasValue ? request.QueryString.Value : string.Empty);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        int code;
        JsonNode? answer;
        try
        {
            (code, answer) = Dispatch(request.Method, rest, json, headers);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Salesforce's answer to its own failures; the detail helps the test that found an emulator gap.
            (code, answer) = (500, Errors("UNKNOWN_EXCEPTION", "An unexpected error occurred. " + ex.GetType().Name + ": " + ex.Message));
        }

        await WriteAsync(context, code, answer).ConfigureAwait(false);
    }

    private static int CountBatch(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["batchRequests"] is JsonArray array ? array.Count : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    /// <summary>Answers one REST call (a request, or a subrequest of a composite): the path after <c>/services/data/</c>.</summary>
    private (int Status, JsonNode? Body) Dispatch(string method, string pathAndQuery, JsonNode? body, IReadOnlyDictionary<string, string> headers)
    {
        var queryAt = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = queryAt < 0 ? pathAndQuery : pathAndQuery.Substring(0, queryAt);
        var parameters = queryAt < 0 ? new Dictionary<string, string>() : Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(pathAndQuery.Substring(queryAt)).ToDictionary(p => p.Key, p => p.Value.ToString());
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !parts[0].StartsWith('v'))
            return (404, Errors("NOT_FOUND", "The requested resource does not exist"));
        try
        {
            return (method, parts[1], parts.Length) switch
            {
                ("GET", "query", 2) => parameters.TryGetValue("q", out var soql) ? QueryAnswer(soql) : (400, Errors("MALFORMED_QUERY", "A query string has to be specified")),
                ("GET", "query", 3) => NextPage(parts[2]),
                ("GET", "search", 2) => parameters.TryGetValue("q", out var sosl) ? (200, EmulatorSearch.Run(sosl, Schema, Store)) : (400, Errors("MALFORMED_SEARCH", "A search string has to be specified")),
                ("GET", "limits", 2) => (200, new JsonObject { ["DailyApiRequests"] = new JsonObject { ["Max"] = DailyApiLimit, ["Remaining"] = Math.Max(0, DailyApiLimit - ApiUsed) } }),
                ("POST", "composite", 3) when parts[2] == "batch" => Batch(body),
                ("POST", "composite", 2) => Composite(body),
                (_, "sobjects", _) => SObject(method, parts, body, headers),
                _ => (404, Errors("NOT_FOUND", "The requested resource does not exist")),
            };
        }
        catch (EmulatorQueryException ex)
        {
            return (400, Errors(ex.ErrorCode, ex.Message));
        }
    }

    private (int, JsonNode?) QueryAnswer(string soql)
    {
        var rows = _query.Run(soql);
        return (200, Page(rows, 0));
    }

    /// <summary>A page of a query: "if done=false a nextRecordsUrl ... GET it with no parameters, repeat until done" (§3.1).</summary>
    private JsonObject Page(List<JsonObject> rows, int from)
    {
        var page = rows.Skip(from).Take(PageSize).ToList();
        var done = from + page.Count >= rows.Count;
        var answer = new JsonObject { ["totalSize"] = rows.Count, ["done"] = done };
        if (!done)
        {
            var cursor = "01gEMU" + Guid.NewGuid().ToString("N").Substring(0, 12);
            lock (_cursors)
                _cursors[cursor] = (rows, from + page.Count);
            answer["nextRecordsUrl"] = $"{DataPrefix}{ApiVersion}/query/{cursor}-{from + page.Count}";
        }

        answer["records"] = new JsonArray(page.Select(r => (JsonNode)r.DeepClone()).ToArray());
        return answer;
    }

    private (int, JsonNode?) NextPage(string locator)
    {
        var dash = locator.LastIndexOf('-');
        (List<JsonObject> Rows, int Next) cursor;
        lock (_cursors)
        {
            if (dash < 0 || !_cursors.Remove(locator.Substring(0, dash), out cursor))
                return (400, Errors("INVALID_QUERY_LOCATOR", "invalid query locator"));
        }

        return (200, Page(cursor.Rows, cursor.Next));
    }

    /// <summary>"Composite Batch: ≤25 subrequests ... independent" (§10.F); answers <c>{hasErrors, results[{statusCode, result}]}</c>.</summary>
    private (int, JsonNode?) Batch(JsonNode? body)
    {
        if (body?["batchRequests"] is not JsonArray calls || calls.Count == 0)
            return (400, Errors("JSON_PARSER_ERROR", "batchRequests is required"));
        if (calls.Count > 25)
            return (400, Errors("INVALID_BATCH_REQUEST", "A batch cannot contain more than 25 requests"));
        var results = new JsonArray();
        var hasErrors = false;
        foreach (var call in calls)
        {
            var method = call?["method"]?.GetValue<string>() ?? string.Empty;
            var url = call?["url"]?.GetValue<string>() ?? string.Empty;
            if (url.StartsWith(DataPrefix, StringComparison.Ordinal))
                url = url.Substring(DataPrefix.Length);
            var (status, result) = Dispatch(method, url, call?["richInput"]?.DeepClone(), new Dictionary<string, string>());
            hasErrors |= status >= 400;
            results.Add(new JsonObject { ["statusCode"] = status, ["result"] = result });
        }

        return (200, new JsonObject { ["hasErrors"] = hasErrors, ["results"] = results });
    }

    /// <summary>
    /// "Composite: ≤ 25 subrequests ... <c>@{refId.field}</c> references; <c>allOrNone</c>; subrequest errors in body use
    /// <c>errorCode</c> (e.g. <c>PROCESSING_HALTED</c>); counts as one call" (§3.3).
    /// </summary>
    private (int, JsonNode?) Composite(JsonNode? body)
    {
        if (body?["compositeRequest"] is not JsonArray calls || calls.Count == 0)
            return (400, Errors("JSON_PARSER_ERROR", "compositeRequest is required"));
        if (calls.Count > 25)
            return (400, Errors("INVALID_BATCH_REQUEST", "A composite request cannot contain more than 25 subrequests"));
        var allOrNone = body["allOrNone"]?.GetValue<bool>() ?? false;
        var results = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var answers = new JsonArray();
        var created = new List<(string Object, string Id)>();
        var failed = false;
        foreach (var call in calls)
        {
            var reference = call?["referenceId"]?.GetValue<string>() ?? string.Empty;
            if (failed)
            {
                answers.Add(new JsonObject { ["body"] = Errors("PROCESSING_HALTED", "The transaction was rolled back since another operation in the same transaction failed."), ["httpHeaders"] = new JsonObject(), ["httpStatusCode"] = 400, ["referenceId"] = reference });
                continue;
            }

            var url = Resolve(call?["url"]?.GetValue<string>() ?? string.Empty, results);
            if (url.StartsWith(DataPrefix, StringComparison.Ordinal))
                url = url.Substring(DataPrefix.Length);
            var payload = call?["body"] is JsonNode b ? JsonNode.Parse(Resolve(b.ToJsonString(), results)) : null;
            var headers = call?["httpHeaders"] is JsonObject h ? h.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.OrdinalIgnoreCase) : new Dictionary<string, string>();
            var method = call?["method"]?.GetValue<string>() ?? string.Empty;
            var (status, result) = Dispatch(method, url, payload, headers);
            results[reference] = result;
            if (status == 201 && result?["id"]?.GetValue<string>() is { } newId)
                created.Add((url.Split('/')[2], newId));
            answers.Add(new JsonObject { ["body"] = result, ["httpHeaders"] = new JsonObject(), ["httpStatusCode"] = status, ["referenceId"] = reference });
            if (status >= 400 && allOrNone)
            {
                failed = true;
                foreach (var (obj, id) in created)
                    Store.Delete(obj, id);
                for (var i = 0; i < answers.Count - 1; i++)
                {
                    answers[i]!["httpStatusCode"] = 400;
                    answers[i]!["body"] = Errors("PROCESSING_HALTED", "The transaction was rolled back since another operation in the same transaction failed.");
                }
            }
        }

        return (200, new JsonObject { ["compositeResponse"] = answers });
    }

    private static string Resolve(string text, Dictionary<string, JsonNode?> results) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"@\{([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\}", m =>
            results.TryGetValue(m.Groups[1].Value, out var result) && result?[m.Groups[2].Value] is JsonNode value ? value.ToString() : m.Value);

    private (int, JsonNode?) SObject(string method, string[] parts, JsonNode? body, IReadOnlyDictionary<string, string> headers)
    {
        if (parts.Length < 3 || !Schema.Has(parts[2]))
            return (404, Errors("NOT_FOUND", $"The requested resource does not exist"));
        var sObject = Schema.CanonicalName(parts[2]);
        switch (method, parts.Length)
        {
            case ("POST", 3):
                return Create(sObject, body as JsonObject, headers);
            case ("GET", 4) when parts[3] == "describe":
                // The describe's field list, with what the user may do ("createable", "updateable").
                return (200, new JsonObject
                {
                    ["name"] = sObject,
                    ["createable"] = true,
                    ["fields"] = new JsonArray(Schema.Fields(sObject).Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["createable"] = f.Writable, ["updateable"] = f.Writable }).ToArray()),
                });
            case ("PATCH", 4):
                if (!_query.IsId(parts[3]))
                    return (400, Errors("MALFORMED_ID", $"{sObject} ID: id value of incorrect type: {parts[3]}", "Id"));
                var (valid, fields, error) = Fields(sObject, body as JsonObject, creating: false);
                if (!valid)
                    return (400, error);
                return Store.Patch(sObject, parts[3], fields!) ? (204, null) : (404, Errors("NOT_FOUND", "The requested resource does not exist"));
            case ("DELETE", 4):
                return Store.Delete(sObject, parts[3]) ? (204, null) : (404, Errors("ENTITY_IS_DELETED", "entity is deleted"));
            case ("PATCH", 5):
                return Upsert(sObject, parts[3], Uri.UnescapeDataString(parts[4]), body as JsonObject);
            default:
                return (405, Errors("METHOD_NOT_ALLOWED", $"HTTP Method '{method}' not allowed."));
        }
    }

    private (int, JsonNode?) Create(string sObject, JsonObject? body, IReadOnlyDictionary<string, string> headers)
    {
        var (valid, fields, error) = Fields(sObject, body, creating: true);
        if (!valid)
            return (400, error);
        var allowSave = headers.TryGetValue("Sforce-Duplicate-Rule-Header", out var header) && header.Replace(" ", string.Empty, StringComparison.Ordinal).Contains("allowSave=true", StringComparison.OrdinalIgnoreCase);
        foreach (var rule in DuplicateRules.Where(r => r.SObject.Equals(sObject, StringComparison.OrdinalIgnoreCase)))
        {
            if (rule.Matches(fields!) is { } existing && !(rule.AllowSave && allowSave))
                return (400, DuplicatesDetected(sObject, existing, rule));
        }

        var id = Store.Put(sObject, fields!);
        return (201, new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() });
    }

    private (int, JsonNode?) Upsert(string sObject, string field, string value, JsonObject? body)
    {
        var external = Schema.Field(sObject, field);
        if (external is not { ExternalId: true })
            return (400, Errors("NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {field}"));
        var (valid, fields, error) = Fields(sObject, body, creating: false);
        if (!valid)
            return (400, error);
        fields![external.Name] = value;
        var matches = Store.All(sObject).Where(r => string.Equals(r.GetValueOrDefault(external.Name) as string, value, StringComparison.OrdinalIgnoreCase)).ToList();
        switch (matches.Count)
        {
            case 0:
                var missing = Schema.Fields(sObject).Where(f => f.Required && fields.GetValueOrDefault(f.Name) is null).Select(f => f.Name).ToList();
                if (missing.Count > 0)
                    return (400, Errors("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", [.. missing]));
                var id = Store.Put(sObject, fields);
                return (201, new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray(), ["created"] = true });
            case 1:
                Store.Patch(sObject, (string)matches[0]["Id"]!, fields);
                return (200, new JsonObject { ["id"] = (string)matches[0]["Id"]!, ["success"] = true, ["errors"] = new JsonArray(), ["created"] = false });
            default:
                // "300 external-ID matches >1 record (body = list of record URLs)" (§3.4).
                return (300, new JsonArray(matches.Select(m => (JsonNode)JsonValue.Create($"{DataPrefix}{ApiVersion}/sobjects/{sObject}/{m["Id"]}")!).ToArray()));
        }
    }

    /// <summary>Reads a write's fields: every one must exist and be writable; a create needs the required ones.</summary>
    private (bool Valid, Dictionary<string, object?>? Fields, JsonNode? Error) Fields(string sObject, JsonObject? body, bool creating)
    {
        if (body is null)
            return (false, null, Errors("JSON_PARSER_ERROR", "The request body is missing or is not a JSON object."));
        var fields = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in body)
        {
            if (name == "attributes")
                continue;
            var field = Schema.Field(sObject, name);
            if (field is null)
                return (false, null, Errors("INVALID_FIELD", $"No such column '{name}' on sobject of type {sObject}", name));
            if (!field.Writable)
                return (false, null, Errors("INVALID_FIELD_FOR_INSERT_UPDATE", $"Unable to create/update fields: {name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", name));
            try
            {
                fields[field.Name] = Value(field, value);
            }
            catch (FormatException)
            {
                return (false, null, Errors("JSON_PARSER_ERROR", $"Cannot deserialize instance of {field.Type} from value {value?.ToJsonString()} for field {name}", name));
            }

            if (field.Type is FieldType.Reference && fields[field.Name] is string reference && !_query.IsId(reference))
                return (false, null, Errors("MALFORMED_ID", $"{field.Name}: id value of incorrect type: {reference}", name));
        }

        if (creating)
        {
            var missing = Schema.Fields(sObject).Where(f => f.Required && fields.GetValueOrDefault(f.Name) is null or "").Select(f => f.Name).ToList();
            if (missing.Count > 0)
                return (false, null, Errors("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", [.. missing]));
            if (sObject == "Task" && fields.GetValueOrDefault("Status") is string status && !Schema.TaskStatuses.ContainsKey(status))
                return (false, null, Errors("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"Status: bad value for restricted picklist field: {status}", "Status"));
        }

        return (true, fields, null);
    }

    private static object? Value(EmulatorField field, JsonNode? value)
    {
        if (value is null)
            return null;
        return field.Type switch
        {
            FieldType.Boolean => value.GetValue<bool>(),
            FieldType.Number => value.GetValue<double>(),
            FieldType.DateTime or FieldType.Date => DateTimeOffset.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            _ => value.GetValue<string>(),
        };
    }

    /// <summary>The body of a save a duplicate rule stopped (§3.5, the aiosalesforce sample's shape).</summary>
    private static JsonNode DuplicatesDetected(string sObject, string existingId, EmulatorDuplicateRule rule) => new JsonArray(new JsonObject
    {
        ["duplicateResult"] = new JsonObject
        {
            ["allowSave"] = rule.AllowSave,
            ["duplicateRule"] = rule.Name,
            ["duplicateRuleEntityType"] = sObject,
            ["errorMessage"] = "You're creating a duplicate record. We recommend you use an existing record instead.",
            ["matchResults"] = new JsonArray(new JsonObject
            {
                ["entityType"] = sObject,
                ["errors"] = new JsonArray(),
                ["matchEngine"] = "FuzzyMatchEngine",
                ["matchRecords"] = new JsonArray(new JsonObject
                {
                    ["additionalInformation"] = new JsonArray(),
                    ["fieldDiffs"] = new JsonArray(),
                    ["matchConfidence"] = 100.0,
                    ["record"] = new JsonObject { ["attributes"] = new JsonObject { ["type"] = sObject, ["url"] = $"{DataPrefix}{ApiVersion}/sobjects/{sObject}/{existingId}" }, ["Id"] = existingId },
                }),
                ["rule"] = "Standard_Contact_Match_Rule_v1_1",
                ["size"] = 1,
                ["success"] = true,
            }),
        },
        ["errorCode"] = "DUPLICATES_DETECTED",
        ["message"] = "Use one of these records?",
    });

    /// <summary>The REST error array: <c>[{"message":…, "errorCode":…, "fields":[…]?}]</c> (§3.4).</summary>
    internal static JsonArray Errors(string code, string message, params string[] fields)
    {
        var error = new JsonObject();
        if (fields.Length > 0)
            error["fields"] = new JsonArray(fields.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray());
        error["message"] = message;
        error["errorCode"] = code;
        return new JsonArray(error);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        if (body is null)
            return;
        context.Response.ContentType = "application/json;charset=UTF-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
