using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>
/// An emulated Dataverse organisation: a Kestrel server on <c>127.0.0.1</c> (a free port) serving
/// <c>/api/data/v9.2/&lt;entity set&gt;</c> with the Web API's response shapes, bearer-token checks, injectable faults and a request log.
/// </summary>
/// <example>
/// <code>
/// await using var org = await DataverseEmulator.StartAsync();
/// org.Seed(new Account { Id = "...", Name = "Contoso" });
/// services.AddCrmGuardrailsDataverse(o => { o.OrgUrl = org.OrgUrl; o.Credential = org.Credential; });
/// </code>
/// </example>
public sealed partial class DataverseEmulator : IAsyncDisposable
{
    private const string FormattedValue = "@OData.Community.Display.V1.FormattedValue";
    private readonly WebApplication _app;
    private readonly object _logGate = new();
    private readonly List<EmulatorRequest> _requests = [];
    private readonly HttpClient _internal = new();
    private readonly string _internalKey = Guid.NewGuid().ToString("N");
    private int _requestNumber;

    private DataverseEmulator(WebApplication app, string token)
    {
        _app = app;
        Token = token;
        Credential = new StaticTokenCredential(token);
    }

    /// <summary>Gets the organisation URL, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri OrgUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Gets the only bearer token the emulator accepts.</summary>
    public string Token { get; }

    /// <summary>Gets a credential issuing <see cref="Token"/>.</summary>
    public StaticTokenCredential Credential { get; }

    /// <summary>Gets the rows.</summary>
    public EmulatorStore Store { get; } = new();

    /// <summary>Gets the faults planned for coming requests.</summary>
    public EmulatorFaultPlan Faults { get; } = new();

    /// <summary>Gets or sets the largest page answered when the client does not ask for one (<c>Prefer: odata.maxpagesize</c>).</summary>
    public int DefaultPageSize { get; set; } = 5000;

    /// <summary>Gets a snapshot of the requests received so far.</summary>
    public IReadOnlyList<EmulatorRequest> Requests
    {
        get
        {
            lock (_logGate)
                return _requests.ToList();
        }
    }

    /// <summary>Starts an emulator on 127.0.0.1 and a free port.</summary>
    /// <param name="token">The bearer token to accept; a fixed test token when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    public static async Task<DataverseEmulator> StartAsync(string? token = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
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

    /// <summary>Gets the Web API root, <c>&lt;OrgUrl&gt;api/data/v9.2/</c>.</summary>
    public Uri WebApiRoot => new(OrgUrl, "api/data/v9.2/");

    /// <summary>Forgets the requests received so far.</summary>
    public void ClearRequests()
    {
        lock (_logGate)
            _requests.Clear();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _internal.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers["x-emulator-internal"] == _internalKey)
        {
            // A part of a $batch, replayed by the emulator itself: neither logged nor faulted.
            await RouteAsync(context).ConfigureAwait(false);
            return;
        }

        var fault = Faults.Take();
        var number = Interlocked.Increment(ref _requestNumber);
        lock (_logGate)
        {
            _requests.Add(new EmulatorRequest(number, request.Method, request.Path.Value ?? string.Empty, Uri.UnescapeDataString(request.QueryString.Value ?? string.Empty), fault?.Name));
        }

        if (fault is not null)
        {
            if (fault.Latency > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(fault.Latency, context.RequestAborted).ConfigureAwait(false);
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
                await WriteErrorAsync(context, status, code, message).ConfigureAwait(false);
                return;
            }

            if (fault.MalformedJson)
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json; odata.metadata=minimal";
                await context.Response.WriteAsync("{\"@odata.context\":\"x\",\"value\":[{\"accountid\":", context.RequestAborted).ConfigureAwait(false);
                return;
            }
        }

        if (request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize";
            await WriteErrorAsync(context, 401, "0x80072560", "The user is not a member of the organization or the token is missing or invalid.").ConfigureAwait(false);
            return;
        }

        try
        {
            await RouteAsync(context).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            await WriteErrorAsync(context, 400, "0x80060888", ex.Message).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, 400, "0x80048d19", "Error identified in Payload provided by the user: " + ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // An emulator bug shows up as a Dataverse-shaped 500 whose message names it.
            await WriteErrorAsync(context, 500, "0x80040216", "Emulator failure: " + ex).ConfigureAwait(false);
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        const string Prefix = "/api/data/v9.2/";
        if (!path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, 404, "0x8006088a", "Resource not found for the segment '" + path + "'.").ConfigureAwait(false);
            return;
        }

        var segment = path.Substring(Prefix.Length);
        string entitySet = segment;
        string? id = null;
        var open = segment.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && segment.EndsWith(')'))
        {
            entitySet = segment.Substring(0, open);
            var key = segment.Substring(open + 1, segment.Length - open - 2);
            if (!Guid.TryParse(key, out var guid))
            {
                await WriteErrorAsync(context, 400, "0x80060891", $"Bad Request - Error in query syntax: '{key}' is not a valid key.").ConfigureAwait(false);
                return;
            }

            id = guid.ToString("D");
        }

        switch (context.Request.Method)
        {
            case "POST" when entitySet == "$batch":
                await BatchAsync(context).ConfigureAwait(false);
                break;
            case "GET" when id is null:
                await QueryAsync(context, entitySet).ConfigureAwait(false);
                break;
            case "GET":
                await RetrieveAsync(context, entitySet, id).ConfigureAwait(false);
                break;
            case "POST" when id is null:
                await CreateAsync(context, entitySet, null).ConfigureAwait(false);
                break;
            case "PATCH" when id is not null:
                await CreateAsync(context, entitySet, id).ConfigureAwait(false);
                break;
            case "DELETE" when id is not null:
                if (Store.Delete(entitySet, id))
                    context.Response.StatusCode = 204;
                else
                    await NotFoundAsync(context, entitySet, id).ConfigureAwait(false);
                break;
            default:
                await WriteErrorAsync(context, 405, "0x80060888", "The method is not supported on this resource.").ConfigureAwait(false);
                break;
        }
    }

    private async Task QueryAsync(HttpContext context, string entitySet)
    {
        var query = context.Request.Query;
        var filter = query["$filter"].ToString();
        var evaluator = filter.Length > 0 ? ODataFilterEvaluator.Parse(filter) : null;
        var rows = Store.Rows(entitySet).Where(r => evaluator is null || evaluator.Matches(r, Navigate)).ToList();

        var prefer = context.Request.Headers["Prefer"].ToString();
        var pageSize = MaxPageSize(prefer) ?? (int.TryParse(query["$top"], out var top) ? top : DefaultPageSize);
        var skip = 0;
        if (query["$skiptoken"].ToString() is { Length: > 0 } skipToken)
        {
            var match = System.Text.RegularExpressions.Regex.Match(skipToken, "skip=\"(\\d+)\"");
            if (!match.Success)
                throw new FormatException("Invalid $skiptoken.");
            skip = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        var page = rows.Skip(skip).Take(pageSize).ToList();
        var select = query["$select"].ToString();
        var expand = query["$expand"].ToString();
        var annotations = AnnotationsWanted(prefer);
        var body = new JsonObject
        {
            ["@odata.context"] = $"{WebApiRoot}$metadata#{entitySet}({select})",
            ["value"] = new JsonArray(page.Select(r => (JsonNode)Project(entitySet, r, select, expand, annotations)).ToArray()),
        };
        if (skip + page.Count < rows.Count && MaxPageSize(prefer) is not null)
        {
            var cookie = $"<cookie pagenumber=\"{(skip / Math.Max(pageSize, 1)) + 2}\" skip=\"{skip + page.Count}\" istracking=\"False\" />";
            var others = string.Join("&", query.Where(q => q.Key != "$skiptoken").Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value.ToString())));
            body["@odata.nextLink"] = $"{WebApiRoot}{entitySet}?{others}&$skiptoken={Uri.EscapeDataString(cookie)}";
            context.Response.Headers["Preference-Applied"] = "odata.maxpagesize=" + pageSize.ToString(CultureInfo.InvariantCulture);
        }

        await WriteJsonAsync(context, 200, body).ConfigureAwait(false);
    }

    private async Task RetrieveAsync(HttpContext context, string entitySet, string id)
    {
        var row = Store.Find(entitySet, id);
        if (row is null)
        {
            await NotFoundAsync(context, entitySet, id).ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        var select = query["$select"].ToString();
        var body = Project(entitySet, row, select, query["$expand"].ToString(), AnnotationsWanted(context.Request.Headers["Prefer"].ToString()));
        body.Insert(0, "@odata.context", $"{WebApiRoot}$metadata#{entitySet}({select})/$entity");
        await WriteJsonAsync(context, 200, body).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context, string entitySet, string? id)
    {
        if (id is not null)
        {
            // Upsert preconditions: If-Match: * updates only (404 when missing), If-None-Match: * creates only (412 when present).
            var exists = Store.Find(entitySet, id) is not null ||
                         (EmulatorStore.KeyOf(entitySet) == "activityid" && Store.Find("activitypointers", id) is not null);
            if (context.Request.Headers.IfMatch.ToString() == "*" && !exists)
            {
                await NotFoundAsync(context, entitySet, id).ConfigureAwait(false);
                return;
            }

            if (context.Request.Headers.IfNoneMatch.ToString() == "*" && exists)
            {
                await WriteErrorAsync(context, 412, "0x80060882", "A record with matching key values already exists.").ConfigureAwait(false);
                return;
            }
        }

        var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (node is not JsonObject body)
            throw new JsonException("The body must be a JSON object.");
        var key = EmulatorStore.KeyOf(entitySet);
        if (id is not null)
            body[key] = id;

        var row = new JsonObject();
        List<JsonObject>? parties = null;
        foreach (var (name, value) in body)
        {
            if (name.EndsWith("@odata.bind", StringComparison.Ordinal) && value?.GetValue<string>() is { } bind)
            {
                var (column, logical, targetId) = Bind(name.Substring(0, name.Length - "@odata.bind".Length), bind);
                row[$"_{column}_value"] = targetId;
                row[$"_{column}_value{EmulatorStore.LookupLogicalName}"] = logical;
            }
            else if (name.EndsWith("_activity_parties", StringComparison.Ordinal) && value is JsonArray list)
            {
                parties = list.OfType<JsonObject>().ToList();
            }
            else
            {
                row[name] = value?.DeepClone();
            }
        }

        var isNew = id is null || Store.Find(entitySet, id) is null;
        if (isNew)
            SetCreateColumns(entitySet, row);
        var newId = Store.Upsert(entitySet, row);
        if (EmulatorStore.KeyOf(entitySet) == "activityid" && !entitySet.Equals("activitypointers", StringComparison.OrdinalIgnoreCase))
        {
            // Every activity also has an activitypointer row.
            var pointer = (JsonObject)row.DeepClone();
            pointer["activityid"] = newId;
            pointer["activitytypecode"] = EmulatorStore.LogicalNameOf(entitySet);
            if (Store.Find("activitypointers", newId) is null)
                pointer["statecode"] ??= 0;
            Store.Upsert("activitypointers", pointer);
        }

        foreach (var party in parties ?? [])
        {
            var partyRow = new JsonObject { ["_activityid_value"] = newId, ["participationtypemask"] = party["participationtypemask"]?.DeepClone() };
            foreach (var (name, value) in party)
            {
                if (name.EndsWith("@odata.bind", StringComparison.Ordinal) && value?.GetValue<string>() is { } bind)
                {
                    var (column, logical, targetId) = Bind(name.Substring(0, name.Length - "@odata.bind".Length), bind);
                    partyRow[$"_{column}_value"] = targetId;
                    partyRow[$"_{column}_value{EmulatorStore.LookupLogicalName}"] = logical;
                }
            }

            Store.Upsert("activityparties", partyRow);
        }

        var entityUrl = $"{WebApiRoot}{entitySet}({newId})";
        context.Response.Headers["OData-EntityId"] = entityUrl;
        if (context.Request.Headers["Prefer"].ToString().Contains("return=representation", StringComparison.OrdinalIgnoreCase))
        {
            var created = Project(entitySet, Store.Find(entitySet, newId)!, context.Request.Query["$select"].ToString(), string.Empty, []);
            await WriteJsonAsync(context, isNew ? 201 : 200, created).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 204;
    }

    /// <summary>
    /// The columns Dataverse sets when it creates a row and the body left them out: <c>createdon</c> (from
    /// <c>overriddencreatedon</c> when given), <c>statecode</c> 0 (active/open), and a person's <c>fullname</c>.
    /// </summary>
    private static void SetCreateColumns(string entitySet, JsonObject row)
    {
        if (row["createdon"] is null)
        {
            row["createdon"] = row["overriddencreatedon"]?.DeepClone()
                ?? DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        row["statecode"] ??= 0;
        if (entitySet is "contacts" or "leads" && row["fullname"] is null &&
            $"{row["firstname"]?.GetValue<string>()} {row["lastname"]?.GetValue<string>()}".Trim() is { Length: > 0 } fullName)
            row["fullname"] = fullName;
    }

    /// <summary>Answers a <c>$batch</c> of GETs (multipart/mixed, no change sets) by replaying each part against itself.</summary>
    private async Task BatchAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? string.Empty;
        var boundaryMatch = System.Text.RegularExpressions.Regex.Match(contentType, "boundary=\"?([^\";]+)\"?");
        if (!contentType.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase) || !boundaryMatch.Success)
            throw new FormatException("A $batch must be multipart/mixed with a boundary.");
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var parts = text.Split("--" + boundaryMatch.Groups[1].Value).Skip(1).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToList();
        var continueOnError = context.Request.Headers["Prefer"].ToString().Contains("odata.continue-on-error", StringComparison.OrdinalIgnoreCase);

        var responseBoundary = "batchresponse_" + Guid.NewGuid().ToString("D");
        var output = new StringBuilder();
        foreach (var part in parts)
        {
            var lines = part.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            var requestLine = lines.FirstOrDefault(l => l.StartsWith("GET ", StringComparison.Ordinal))
                ?? throw new FormatException("Only GET requests are supported in an emulated $batch.");
            var target = requestLine.Split(' ')[1];
            using var inner = new HttpRequestMessage(HttpMethod.Get, new Uri(WebApiRoot, target));
            inner.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
            inner.Headers.TryAddWithoutValidation("x-emulator-internal", _internalKey);
            foreach (var header in lines.SkipWhile(l => l != requestLine).Skip(1).TakeWhile(l => l.Length > 0))
            {
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                    inner.Headers.TryAddWithoutValidation(header.Substring(0, colon).Trim(), header.Substring(colon + 1).Trim());
            }

            using var answer = await _internal.SendAsync(inner, context.RequestAborted).ConfigureAwait(false);
            var body = await answer.Content.ReadAsStringAsync(context.RequestAborted).ConfigureAwait(false);
            var status = (int)answer.StatusCode;
            output.Append("--").Append(responseBoundary).Append("\r\n")
                .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append("HTTP/1.1 ").Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(answer.ReasonPhrase).Append("\r\n")
                .Append("Content-Type: application/json; odata.metadata=minimal\r\nOData-Version: 4.0\r\n\r\n")
                .Append(body).Append("\r\n");
            if (status >= 400 && !continueOnError)
                break;
        }

        output.Append("--").Append(responseBoundary).Append("--\r\n");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "multipart/mixed; boundary=" + responseBoundary;
        context.Response.Headers["OData-Version"] = "4.0";
        await context.Response.WriteAsync(output.ToString(), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Reads <c>nav@odata.bind: "/set(id)"</c> into the lookup column, the target's logical name and id.</summary>
    private static (string Column, string LogicalName, string Id) Bind(string navigation, string reference)
    {
        var match = System.Text.RegularExpressions.Regex.Match(reference, @"^/?(?:.*/)?(\w+)\(([0-9a-fA-F-]{36})\)$");
        if (!match.Success)
            throw new JsonException($"Bad @odata.bind reference '{reference}'.");
        var logical = EmulatorStore.LogicalNameOf(match.Groups[1].Value);
        var marker = navigation.IndexOf("_" + logical, StringComparison.Ordinal);
        var column = marker > 0 ? navigation.Substring(0, marker) : navigation;
        return (column, logical, Guid.Parse(match.Groups[2].Value).ToString("D"));
    }

    private IReadOnlyList<JsonObject>? Navigate(string navigation, JsonObject row)
    {
        switch (navigation)
        {
            case "activitypointer_activity_parties":
            case var n when n.EndsWith("_activity_parties", StringComparison.Ordinal):
                var activityId = row["activityid"]?.GetValue<string>();
                return Store.Rows("activityparties")
                    .Where(p => string.Equals(p["_activityid_value"]?.GetValue<string>(), activityId, StringComparison.OrdinalIgnoreCase))
                    .ToList();
            case "teammembership_association":
                var teamId = row["teamid"]?.GetValue<string>();
                var members = Store.Rows("teammemberships")
                    .Where(m => string.Equals(m["teamid"]?.GetValue<string>(), teamId, StringComparison.OrdinalIgnoreCase))
                    .Select(m => m["systemuserid"]?.GetValue<string>())
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                return Store.Rows("systemusers").Where(u => members.Contains(u["systemuserid"]?.GetValue<string>())).ToList();
            default:
                return null;
        }
    }

    private JsonObject Project(string entitySet, JsonObject row, string select, string expand, IReadOnlyCollection<string> annotations)
    {
        var key = EmulatorStore.KeyOf(entitySet);
        var columns = select.Length == 0
            ? row.Select(p => p.Key).Where(k => !k.Contains('@', StringComparison.Ordinal)).ToList()
            : select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var result = new JsonObject();
        if (row["@odata.etag"] is { } etag)
            result["@odata.etag"] = etag.DeepClone();
        foreach (var column in columns.Append(key).Distinct(StringComparer.Ordinal))
        {
            var value = row[column]?.DeepClone();
            if (column.StartsWith('_') && column.EndsWith("_value", StringComparison.Ordinal) && value is not null)
            {
                var id = value.GetValue<string>();
                var logical = row[column + EmulatorStore.LookupLogicalName]?.GetValue<string>()
                    ?? (column == "_ownerid_value" ? Store.LogicalNameOfId(id, "systemusers", "teams") : null);
                if (Wants(annotations, "OData.Community.Display.V1.FormattedValue") && logical is not null && PrimaryName(logical, id) is { } name)
                    result[column + FormattedValue] = name;
                if (Wants(annotations, "Microsoft.Dynamics.CRM.lookuplogicalname") && logical is not null)
                    result[column + EmulatorStore.LookupLogicalName] = logical;
            }

            result[column] = value;
        }

        foreach (var (navigation, navigationSelect) in ParseExpand(expand))
        {
            var related = Navigate(navigation, row) ?? throw new FormatException($"Could not find a property named '{navigation}' on type 'Microsoft.Dynamics.CRM.{EmulatorStore.LogicalNameOf(entitySet)}'.");
            var relatedSet = navigation == "teammembership_association" ? "systemusers" : "activityparties";
            result[navigation] = new JsonArray(related.Select(r => (JsonNode)Project(relatedSet, r, navigationSelect, string.Empty, annotations)).ToArray());
        }

        return result;
    }

    private string? PrimaryName(string logicalName, string id)
    {
        var row = Store.Find(EmulatorStore.EntitySetOf(logicalName), id);
        if (row is null)
            return null;
        foreach (var column in new[] { "fullname", "name", "subject" })
        {
            if (row[column]?.GetValue<string>() is { } name)
                return name;
        }

        return null;
    }

    private static IEnumerable<(string Navigation, string Select)> ParseExpand(string expand)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= expand.Length; i++)
        {
            if (i < expand.Length && expand[i] == '(')
                depth++;
            else if (i < expand.Length && expand[i] == ')')
                depth--;
            else if (i == expand.Length || (expand[i] == ',' && depth == 0))
            {
                var part = expand.Substring(start, i - start).Trim();
                start = i + 1;
                if (part.Length == 0)
                    continue;
                var open = part.IndexOf('(', StringComparison.Ordinal);
                if (open < 0)
                {
                    yield return (part, string.Empty);
                    continue;
                }

                var options = part.Substring(open + 1, part.Length - open - 2);
                var select = options.Split(';').Select(o => o.Trim()).FirstOrDefault(o => o.StartsWith("$select=", StringComparison.Ordinal));
                yield return (part.Substring(0, open), select?.Substring("$select=".Length) ?? string.Empty);
            }
        }
    }

    private static int? MaxPageSize(string prefer)
    {
        var match = System.Text.RegularExpressions.Regex.Match(prefer, @"odata\.maxpagesize=(\d+)");
        return match.Success ? Math.Clamp(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), 1, 5000) : null;
    }

    private static List<string> AnnotationsWanted(string prefer)
    {
        var match = System.Text.RegularExpressions.Regex.Match(prefer, "odata\\.include-annotations=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries).ToList() : [];
    }

    private static bool Wants(IReadOnlyCollection<string> annotations, string name) =>
        annotations.Contains("*") || annotations.Contains(name);

    private static Task NotFoundAsync(HttpContext context, string entitySet, string id) =>
        WriteErrorAsync(context, 404, "0x80040217", $"{EmulatorStore.LogicalNameOf(entitySet)} With Id = {id} Does Not Exist");

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteJsonAsync(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; odata.metadata=minimal";
        context.Response.Headers["OData-Version"] = "4.0";
        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }
}
