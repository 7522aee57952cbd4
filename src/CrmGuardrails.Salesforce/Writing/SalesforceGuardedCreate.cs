using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmGuardrails.Matching;
using Microsoft.Extensions.Options;
using Schema = CrmGuardrails.Salesforce.SalesforceSchema;

namespace CrmGuardrails.Salesforce.Writing;

/// <summary>
/// The blocking path for integrations (web forms, telephony, marketing syncs): a create that asks the guards first,
/// then creates the record — or refuses with the verdict — in as few round trips as the REST API allows.
/// </summary>
/// <remarks>
/// <para>
/// "Nothing inside Salesforce can call an external service and wait for its answer before a record is saved ... A block
/// is possible only where the save goes through code that asks first" (salesforce.md §9). This is that code. Round
/// trips: the guards' lookups (the directory's), then nothing when blocked; one <c>POST sobjects</c> for an allowed activity; one
/// <c>composite</c> otherwise (all or none: the record with its verdict, its match keys, and the tasks telling whom the findings name).
/// There is a race window between the lookups and the create (§2.8): two creates at once are not compared to each other.
/// </para>
/// <para>
/// Salesforce's own duplicate rules still run on the save: a <c>DUPLICATES_DETECTED</c> answer (§3.5) is returned as
/// <see cref="SalesforceCreateStatus.DuplicateDetected"/> with the rule and the matched ids, never thrown.
/// </para>
/// </remarks>
public sealed class SalesforceGuardedCreate
{
    private static readonly string[] Guarded = [Schema.Lead.Object, Schema.Contact.Object, Schema.Account.Object, Schema.Task.Object, Schema.Event.Object];

    private readonly GuardPipeline _pipeline;
    private readonly ICrmDirectory _directory;
    private readonly SalesforceRestApi _api;
    private readonly SalesforceDirectoryOptions _options;
    private readonly SalesforceRecordReader _reader;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="SalesforceGuardedCreate"/> class.</summary>
    /// <param name="pipeline">The guards.</param>
    /// <param name="directory">The org's directory the guards ask (the <see cref="SalesforceDirectory"/>).</param>
    /// <param name="httpClient">A client that signs in and retries (the one <c>AddCrmGuardrailsSalesforce</c> registers).</param>
    /// <param name="options">The org's options.</param>
    /// <param name="time">The clock; the system's when <see langword="null"/>.</param>
    public SalesforceGuardedCreate(GuardPipeline pipeline, ICrmDirectory directory, HttpClient httpClient, IOptions<SalesforceDirectoryOptions> options, TimeProvider? time = null)
        : this(pipeline, directory, httpClient is null ? throw new ArgumentNullException(nameof(httpClient)) : () => httpClient, options, time)
    {
    }

    internal SalesforceGuardedCreate(GuardPipeline pipeline, ICrmDirectory directory, Func<HttpClient> clients, IOptions<SalesforceDirectoryOptions> options, TimeProvider? time)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _options = options.Value.Clone();
        _options.ThrowIfInvalid();
        _api = new SalesforceRestApi(clients, _options);
        _reader = new SalesforceRecordReader(_options.Mapping.ToMapping());
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Checks a new record with the guards, then creates it unless they block it.</summary>
    /// <param name="sObjectType">Lead, Contact, Account, Task or Event.</param>
    /// <param name="fields">The fields to create it with, by API name: text, booleans, numbers, <see cref="DateTimeOffset"/> or <see langword="null"/>.</param>
    /// <param name="userId">The Salesforce user the create is for (the owner to be, or the integration's user).</param>
    /// <param name="allowSaveOnDuplicateAlert">Sends <c>Sforce-Duplicate-Rule-Header: allowSave=true</c>: saves past Salesforce duplicate rules that only alert (never past Block rules).</param>
    /// <param name="cancellationToken">Cancels the check and the create.</param>
    /// <returns>Created (with the id and the verdict), blocked by the guards, or stopped by a Salesforce duplicate rule.</returns>
    /// <exception cref="ArgumentException">The object is not one the guards check, or a field name is not an API name.</exception>
    /// <exception cref="SalesforceException">Salesforce refused the create for another reason (a required field, a validation rule, limits).</exception>
    public async Task<SalesforceCreateResult> CreateAsync(
        string sObjectType,
        IReadOnlyDictionary<string, object?> fields,
        string userId,
        bool allowSaveOnDuplicateAlert = false,
        CancellationToken cancellationToken = default)
    {
        if (sObjectType is null || !Guarded.Contains(sObjectType, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"The guarded create checks {string.Join(", ", Guarded)} records; got '{sObjectType}'.", nameof(sObjectType));
        if (fields is null)
            throw new ArgumentNullException(nameof(fields));
        if (string.IsNullOrWhiteSpace(userId))
            throw new ArgumentException("The create names no user.", nameof(userId));
        var sObject = Guarded.First(g => g.Equals(sObjectType, StringComparison.OrdinalIgnoreCase));
        var body = new JsonObject();
        var text = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in fields)
        {
            if (!Soql.IsFieldName(pair.Key) || pair.Key.Contains('.') || pair.Key.Equals(Schema.Id, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"'{pair.Key}' is not a field API name a create may set.", nameof(fields));
            (body[pair.Key], text[pair.Key]) = Value(pair.Key, pair.Value);
        }

        var record = _reader.Read(sObject, name => text.TryGetValue(name, out var value) ? value : null)!;
        var outcome = await _pipeline.CheckAsync(GuardRequest.ForCreate(record, userId) with { Table = sObject }, _directory, cancellationToken).ConfigureAwait(false);
        if (outcome.IsBlocked)
            return new SalesforceCreateResult(SalesforceCreateStatus.Blocked, null, outcome);

        var header = allowSaveOnDuplicateAlert ? "allowSave=true" : null;
        var keys = KeysOf(record);
        if (outcome.Flag is null && keys.Count == 0)
        {
            var saved = await _api.CreateAsync(sObject, body, header, cancellationToken).ConfigureAwait(false);
            return saved.Id is { } id
                ? new SalesforceCreateResult(SalesforceCreateStatus.Created, id, outcome)
                : Refused(saved.StatusCode, saved.Errors, outcome);
        }

        return await CreateInCompositeAsync(sObject, body, outcome, keys, header, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The match keys a new account, contact or open lead holds (a contact's without its account's country: the backfill refines them).</summary>
    private static IReadOnlyList<string> KeysOf(CrmRecord record) => record switch
    {
        Account account => StoredMatchKeys.Of(account),
        Contact contact => StoredMatchKeys.Of(contact, null),
        Lead { Status: LeadStatus.Open } lead => StoredMatchKeys.Of(lead),
        _ => [],
    };

    /// <summary>
    /// One composite, all or none: the record (with its verdict when flagged), its match keys, so the next create finds
    /// it, and the notification tasks — all referring to the new id (<c>@{record.id}</c>).
    /// </summary>
    private async Task<SalesforceCreateResult> CreateInCompositeAsync(string sObject, JsonObject body, GuardOutcome outcome, IReadOnlyList<string> keys, string? duplicateHeader, CancellationToken cancellationToken)
    {
        if (outcome.Flag is not null && SalesforceFlagWriter.HasFlagFields(sObject))
        {
            foreach (var pair in SalesforceFlagWriter.FlagFields(outcome, _time.GetUtcNow(), rescheduleField: null))
                body[pair.Key] = pair.Value?.DeepClone();
        }

        var create = new JsonObject { ["method"] = "POST", ["url"] = $"{_api.Root}sobjects/{sObject}/", ["referenceId"] = "record", ["body"] = body };
        if (duplicateHeader is not null)
            create["httpHeaders"] = new JsonObject { ["Sforce-Duplicate-Rule-Header"] = duplicateHeader };
        var calls = new JsonArray(create);
        var n = 0;
        foreach (var key in keys)
        {
            calls.Add(new JsonObject
            {
                ["method"] = "PATCH",
                ["url"] = $"{_api.Root}sobjects/{Schema.MatchKey.Object}/{Schema.MatchKey.UniqueKey}/{Uri.EscapeDataString(key + ":")}@{{record.id}}",
                ["referenceId"] = "key" + n++,
                ["body"] = new JsonObject { [Schema.MatchKey.Key] = key, [Schema.MatchKey.RecordId] = "@{record.id}", [Schema.MatchKey.AccountId] = outcome.Request.Record is Contact { AccountId: { } accountId } ? accountId : null },
            });
        }

        foreach (var (key, fields) in SalesforceFlagWriter.Tasks(outcome, sObject, "@{record.id}", Guid.NewGuid().ToString("N")))
            calls.Add(new JsonObject { ["method"] = "PATCH", ["url"] = "/services/data/" + SalesforceFlagWriter.TaskUpsertUrl(_api.ApiVersion, key), ["referenceId"] = "task" + n++, ["body"] = fields });

        using var answer = await _api.SendAsync(HttpMethod.Post, _api.Root + "composite", new JsonObject { ["allOrNone"] = true, ["compositeRequest"] = calls }, idempotent: false, "the create", cancellationToken).ConfigureAwait(false);
        var responses = SalesforceComposite.Responses(answer!.RootElement).ToList();
        var first = responses.FirstOrDefault(r => r.Reference == "record");
        if (first.Status is >= 200 and < 300 && first.Body.ValueKind == JsonValueKind.Object && first.Body.TryGetProperty("id", out var id) && id.GetString() is { } newId)
        {
            SalesforceComposite.ThrowIfAnyFailed(answer.RootElement, "the notification tasks");
            return new SalesforceCreateResult(SalesforceCreateStatus.Created, newId, outcome);
        }

        // The record's own error decides; the others only say they were rolled back (PROCESSING_HALTED).
        var failed = responses.FirstOrDefault(r => r.Status >= 400 && !IsHalted(r.Body));
        return Refused((HttpStatusCode)(failed.Status == 0 ? first.Status : failed.Status), failed.Status == 0 ? first.Body : failed.Body, outcome);
    }

    private static bool IsHalted(JsonElement body) =>
        body.ValueKind == JsonValueKind.Array && body.GetArrayLength() > 0 && body[0].TryGetProperty("errorCode", out var code) && code.GetString() == "PROCESSING_HALTED";

    /// <summary>Maps <c>DUPLICATES_DETECTED</c> (§3.5) to a result; any other refusal is an exception naming Salesforce's error.</summary>
    private static SalesforceCreateResult Refused(HttpStatusCode status, JsonElement errors, GuardOutcome outcome)
    {
        var first = errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0 ? errors[0] : errors;
        var code = first.ValueKind == JsonValueKind.Object && first.TryGetProperty("errorCode", out var c) ? c.GetString()
            : first.ValueKind == JsonValueKind.Object && first.TryGetProperty("statusCode", out var s) ? s.GetString() : null;
        if (code != SalesforceErrors.DuplicatesDetected)
            throw SalesforceRestApi.ErrorOf(status, errors, "the create");
        var duplicate = first.TryGetProperty("duplicateResult", out var result) ? result : default;
        var matches = new List<string>();
        if (duplicate.ValueKind == JsonValueKind.Object && duplicate.TryGetProperty("matchResults", out var matchResults) && matchResults.ValueKind == JsonValueKind.Array)
        {
            foreach (var match in matchResults.EnumerateArray())
            {
                if (!match.TryGetProperty("matchRecords", out var records) || records.ValueKind != JsonValueKind.Array)
                    continue;
                foreach (var record in records.EnumerateArray())
                {
                    if (record.TryGetProperty("record", out var r) && new SalesforceRow(r).Field(Schema.Id) is { } matchId)
                        matches.Add(matchId);
                }
            }
        }

        return new SalesforceCreateResult(SalesforceCreateStatus.DuplicateDetected, null, outcome)
        {
            Duplicate = new SalesforceDuplicate(
                duplicate.ValueKind == JsonValueKind.Object && duplicate.TryGetProperty("duplicateRule", out var rule) ? rule.GetString() : null,
                duplicate.ValueKind == JsonValueKind.Object && duplicate.TryGetProperty("allowSave", out var allow) && allow.ValueKind == JsonValueKind.True,
                first.TryGetProperty("message", out var message) ? message.GetString() ?? string.Empty : string.Empty,
                matches),
        };
    }

    private static (JsonNode? Json, string? Text) Value(string field, object? value) => value switch
    {
        null => (null, null),
        string s => (JsonValue.Create(s), s),
        bool b => (JsonValue.Create(b), b ? "true" : "false"),
        int i => (JsonValue.Create(i), i.ToString(CultureInfo.InvariantCulture)),
        long l => (JsonValue.Create(l), l.ToString(CultureInfo.InvariantCulture)),
        double d => (JsonValue.Create(d), d.ToString("R", CultureInfo.InvariantCulture)),
        decimal m => (JsonValue.Create(m), m.ToString(CultureInfo.InvariantCulture)),
        DateTimeOffset t => (JsonValue.Create(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)), t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"The value of '{field}' is a {value.GetType().Name}; a create takes text, booleans, numbers, DateTimeOffset or null.", nameof(value)),
    };
}

/// <summary>How a guarded create ended.</summary>
public enum SalesforceCreateStatus
{
    /// <summary>The record was created (allowed, or created with its verdict when flagged).</summary>
    Created,

    /// <summary>The guards blocked it: nothing was sent to Salesforce.</summary>
    Blocked,

    /// <summary>A Salesforce duplicate rule stopped the save (<c>DUPLICATES_DETECTED</c>).</summary>
    DuplicateDetected,
}

/// <summary>The end of a guarded create.</summary>
/// <param name="Status">Created, blocked or stopped by a duplicate rule.</param>
/// <param name="Id">The new record's id when created.</param>
/// <param name="Outcome">The guards' verdict (its findings say why).</param>
public sealed record SalesforceCreateResult(SalesforceCreateStatus Status, string? Id, GuardOutcome Outcome)
{
    /// <summary>Gets what the Salesforce duplicate rule said, when one stopped the save.</summary>
    public SalesforceDuplicate? Duplicate { get; init; }
}

/// <summary>A Salesforce duplicate rule's answer: "<c>duplicateResult.allowSave=true</c> ⇒ rule is Allow/alert ⇒ resend with <c>Sforce-Duplicate-Rule-Header: allowSave=true</c> will succeed; <c>false</c> ⇒ Block" (salesforce.md §3.5).</summary>
/// <param name="Rule">The duplicate rule's developer name.</param>
/// <param name="AllowSave">Whether the rule only alerts (a resend with <c>allowSave</c> saves).</param>
/// <param name="Message">The rule's alert text.</param>
/// <param name="MatchIds">The ids of the existing records it matched.</param>
public sealed record SalesforceDuplicate(string? Rule, bool AllowSave, string Message, IReadOnlyList<string> MatchIds);
