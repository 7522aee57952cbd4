using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CrmGuardrails.Dataverse.Internal;
using Microsoft.Extensions.Options;

namespace CrmGuardrails.Dataverse.Writing;

/// <summary>The flag written on a record: the verdict, the rules that fired and the message.</summary>
/// <param name="Verdict">The verdict text: <c>flag</c>, <c>block</c> or <c>not-checked</c>.</param>
/// <param name="Rules">The rule ids that fired, strongest first.</param>
/// <param name="Message">The message the user sees.</param>
public sealed record DataverseFlag(string Verdict, IReadOnlyList<string> Rules, string Message)
{
    /// <summary>Gets the record's new reschedule count (an activity whose scheduled start moved), or <see langword="null"/> to leave it.</summary>
    public int? RescheduleCount { get; init; }
}

/// <summary>A notification task for a user: regarding a record, owned by the recipient.</summary>
/// <param name="RecipientUserId">The user who gets the task (owner of the task).</param>
/// <param name="Subject">The subject, without the prefix of <see cref="DataverseRecordWriterOptions.TaskSubjectPrefix"/>.</param>
/// <param name="Description">The description (the finding's message).</param>
public sealed record DataverseTaskNotification(string RecipientUserId, string Subject, string Description)
{
    /// <summary>Gets the table of the record the task is regarding (<c>lead</c>, <c>account</c>, <c>contact</c>, …), or <see langword="null"/> for none.</summary>
    public string? RegardingLogicalName { get; init; }

    /// <summary>Gets the id of the record the task is regarding.</summary>
    public string? RegardingId { get; init; }

    /// <summary>
    /// Gets a key that identifies this notification (for example correlation id, record, recipient and code): the task's id is
    /// derived from it, so a repeated notification (a retried webhook call) finds the task already there and creates no second one.
    /// <see langword="null"/> gives every call a new task.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>
/// Writes guard outcomes back to Dataverse over the Web API: flag columns on a record (one <c>PATCH</c>) and notification
/// <c>task</c> rows. Uses the directory's <see cref="HttpClient"/> (token, retries, circuit breaker).
/// </summary>
/// <remarks>
/// <para>Thread-safe. Every write is idempotent, so the resilience pipeline's retries are safe: flags are absolute values,
/// the reschedule count is the absolute new count (computed from the pre-image), and a task's id is chosen here.</para>
/// <para>Only call it from an <b>asynchronous PostOperation</b> step. A synchronous step runs inside the save's
/// transaction: writing the same row from outside would wait on the row lock until Dataverse times out. Synchronous steps
/// answer by status code only.</para>
/// </remarks>
public sealed class DataverseRecordWriter
{
    private readonly DataverseWebApi _api;
    private readonly TimeProvider _time;
    private readonly string? _verdictColumn;
    private readonly string? _ruleColumn;
    private readonly string? _messageColumn;
    private readonly string? _checkedOnColumn;
    private readonly string? _rescheduleCountColumn;
    private readonly int _maxMessageLength;
    private readonly string _taskSubjectPrefix;
    private readonly TimeSpan? _taskDueAfter;
    private readonly Dictionary<string, string> _entitySets;

    /// <summary>Initializes a new instance of the <see cref="DataverseRecordWriter"/> class.</summary>
    /// <param name="httpClient">The client (the directory's, from <c>AddCrmGuardrailsDataverse</c>, adds the token and resilience).</param>
    /// <param name="options">The organisation's options.</param>
    /// <param name="writerOptions">The columns and task settings.</param>
    /// <param name="timeProvider">The clock for the checked-on column and task due dates.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public DataverseRecordWriter(HttpClient httpClient, IOptions<DataverseDirectoryOptions> options, IOptions<DataverseRecordWriterOptions> writerOptions, TimeProvider timeProvider)
        : this(httpClient is null ? throw new ArgumentNullException(nameof(httpClient)) : () => httpClient, options, writerOptions, timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DataverseRecordWriter"/> class that takes a client from the factory for each request.</summary>
    internal DataverseRecordWriter(Func<HttpClient> clients, IOptions<DataverseDirectoryOptions> options, IOptions<DataverseRecordWriterOptions> writerOptions, TimeProvider timeProvider)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        if (writerOptions is null)
            throw new ArgumentNullException(nameof(writerOptions));
        var org = options.Value.Clone();
        org.ThrowIfInvalid();
        var o = writerOptions.Value;
        o.ThrowIfInvalid();
        _api = new DataverseWebApi(clients, org);
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _verdictColumn = o.VerdictColumn;
        _ruleColumn = o.RuleColumn;
        _messageColumn = o.MessageColumn;
        _checkedOnColumn = o.CheckedOnColumn;
        _rescheduleCountColumn = o.RescheduleCountColumn;
        _maxMessageLength = o.MaxMessageLength;
        _taskSubjectPrefix = o.TaskSubjectPrefix;
        _taskDueAfter = o.TaskDueAfter;
        _entitySets = new Dictionary<string, string>(o.EntitySets, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Writes the flag columns of an existing record with one <c>PATCH &lt;set&gt;(&lt;id&gt;)</c> and <c>If-Match: *</c>.</summary>
    /// <param name="logicalName">The record's table, for example <c>lead</c> or <c>phonecall</c>.</param>
    /// <param name="id">The record's id.</param>
    /// <param name="flag">The flag.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the row is written.</returns>
    /// <exception cref="ArgumentException">The table or id is not valid.</exception>
    /// <exception cref="DataverseException">The organisation refused the write, or the row does not exist (404).</exception>
    public async Task WriteFlagAsync(string logicalName, string id, DataverseFlag flag, CancellationToken cancellationToken)
    {
        if (flag is null)
            throw new ArgumentNullException(nameof(flag));
        var body = new JsonObject();
        Set(body, _verdictColumn, flag.Verdict);
        Set(body, _ruleColumn, string.Join(",", flag.Rules));
        Set(body, _messageColumn, Cut(flag.Message));
        Set(body, _checkedOnColumn, _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (flag.RescheduleCount is { } count && _rescheduleCountColumn is not null)
            body[_rescheduleCountColumn] = count;
        await PatchExistingAsync(logicalName, id, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Clears the flag columns of a record whose later version the guards allow (and writes its reschedule count, if given).</summary>
    /// <param name="logicalName">The record's table.</param>
    /// <param name="id">The record's id.</param>
    /// <param name="rescheduleCount">The activity's new reschedule count, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the row is written.</returns>
    /// <exception cref="DataverseException">The organisation refused the write, or the row does not exist (404).</exception>
    public async Task ClearFlagAsync(string logicalName, string id, int? rescheduleCount, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        foreach (var column in new[] { _verdictColumn, _ruleColumn, _messageColumn })
        {
            if (column is not null)
                body[column] = null;
        }

        Set(body, _checkedOnColumn, _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (rescheduleCount is { } count && _rescheduleCountColumn is not null)
            body[_rescheduleCountColumn] = count;
        await PatchExistingAsync(logicalName, id, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes only the reschedule count of an existing activity (a move that raised no flag).</summary>
    /// <param name="logicalName">The activity's table, for example <c>appointment</c>.</param>
    /// <param name="id">The activity's id.</param>
    /// <param name="count">The new, absolute count.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the row is written; at once when no reschedule column is configured.</returns>
    /// <exception cref="DataverseException">The organisation refused the write, or the row does not exist (404).</exception>
    public async Task WriteRescheduleCountAsync(string logicalName, string id, int count, CancellationToken cancellationToken)
    {
        if (_rescheduleCountColumn is null)
            return;
        await PatchExistingAsync(logicalName, id, new JsonObject { [_rescheduleCountColumn] = count }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a <c>task</c> owned by the recipient, regarding the record, with one <c>PATCH tasks(&lt;id&gt;)</c> and
    /// <c>If-None-Match: *</c> (create only): when the task already exists (same idempotency key), nothing is written.
    /// </summary>
    /// <param name="notification">The task.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The task's id.</returns>
    /// <exception cref="ArgumentException">The recipient or the regarding id is not a GUID.</exception>
    /// <exception cref="DataverseException">The organisation refused the write.</exception>
    public async Task<string> CreateTaskAsync(DataverseTaskNotification notification, CancellationToken cancellationToken)
    {
        if (notification is null)
            throw new ArgumentNullException(nameof(notification));
        if (!ODataFilter.TryGuid(notification.RecipientUserId, out var recipient))
            throw new ArgumentException($"The recipient '{notification.RecipientUserId}' is not a GUID.", nameof(notification));

        var taskId = notification.IdempotencyKey is { } key ? DeterministicGuid(key) : Guid.NewGuid().ToString("D");
        var body = new JsonObject
        {
            ["subject"] = Cut(_taskSubjectPrefix + notification.Subject, 200),
            ["description"] = Cut(notification.Description),
            ["ownerid@odata.bind"] = $"/systemusers({recipient})",
        };
        if (_taskDueAfter is { } due)
            body["scheduledend"] = (_time.GetUtcNow() + due).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (notification.RegardingLogicalName is { } table && notification.RegardingId is { } regardingId)
        {
            if (!ODataFilter.TryGuid(regardingId, out var regarding))
                throw new ArgumentException($"The regarding id '{regardingId}' is not a GUID.", nameof(notification));
            body[$"regardingobjectid_{CheckName(table)}_task@odata.bind"] = $"/{EntitySetOf(table)}({regarding})";
        }

        await _api.SendJsonAsync(new HttpMethod("PATCH"), $"tasks({taskId})", body, ("If-None-Match", "*"), cancellationToken).ConfigureAwait(false);
        return taskId;
    }

    /// <summary>Gets the entity set of a table: <see cref="DataverseRecordWriterOptions.EntitySets"/>, else the logical name plus <c>s</c> (<c>y</c> → <c>ies</c>).</summary>
    /// <param name="logicalName">The table's logical name.</param>
    /// <returns>The entity set name.</returns>
    /// <exception cref="ArgumentException">The name is not a logical name.</exception>
    public string EntitySetOf(string logicalName)
    {
        CheckName(logicalName);
        if (_entitySets.TryGetValue(logicalName, out var set))
            return set;
        var name = logicalName.ToLowerInvariant();
        if (name.EndsWith("y", StringComparison.Ordinal) && name.Length > 1 && "aeiou".IndexOf(name[name.Length - 2]) < 0)
            return name.Substring(0, name.Length - 1) + "ies";
        return name.EndsWith("s", StringComparison.Ordinal) || name.EndsWith("x", StringComparison.Ordinal) ? name + "es" : name + "s";
    }

    private async Task PatchExistingAsync(string logicalName, string id, JsonObject body, CancellationToken cancellationToken)
    {
        if (!ODataFilter.TryGuid(id, out var key))
            throw new ArgumentException($"The id '{id}' is not a GUID.", nameof(id));
        if (body.Count == 0)
            return;

        // If-Match: * turns the upsert into an update: a row deleted meanwhile is not re-created as an empty shell.
        var set = EntitySetOf(logicalName);
        if (!await _api.SendJsonAsync(new HttpMethod("PATCH"), $"{set}({key})", body, ("If-Match", "*"), cancellationToken).ConfigureAwait(false))
            throw new DataverseException($"The {logicalName} {key} no longer exists, so its flag was not written.", System.Net.HttpStatusCode.NotFound);
    }

    private static void Set(JsonObject body, string? column, string value)
    {
        if (column is not null)
            body[column] = value;
    }

    private string Cut(string text) => Cut(text, _maxMessageLength);

    private static string Cut(string text, int max) => text.Length <= max ? text : text.Substring(0, max - 1) + "…";

    private static string CheckName(string logicalName) =>
        logicalName is not null && DataverseRecordWriterOptions.IsName(logicalName)
            ? logicalName
            : throw new ArgumentException($"'{logicalName}' is not a table's logical name.", nameof(logicalName));

    private static string DeterministicGuid(string key)
    {
        // A name-based id (RFC 4122 version 5 layout over SHA-256): the same key always gives the same task id.
        byte[] hash;
        using (var sha = SHA256.Create())
            hash = sha.ComputeHash(Encoding.UTF8.GetBytes("crmguardrails:task:" + key));
        var bytes = new byte[16];
        Array.Copy(hash, bytes, 16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString("D");
    }
}
