using System.Globalization;

namespace CrmGuardrails.Embedded;

/// <summary>
/// Replays events on an embedded org: each event is checked by the pipeline, then applied to the org unless it was
/// blocked, so the next event sees it (format 3 of docs/formats.md).
/// </summary>
public sealed class ReplaySession
{
    private readonly GuardPipeline _pipeline;
    private int _created;

    /// <summary>Initializes a new instance of the <see cref="ReplaySession"/> class.</summary>
    /// <param name="pipeline">The guards.</param>
    /// <param name="directory">The org, changed as events are applied.</param>
    public ReplaySession(GuardPipeline pipeline, InMemoryCrmDirectory directory)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        Directory = directory ?? throw new ArgumentNullException(nameof(directory));
    }

    /// <summary>Gets the org.</summary>
    public InMemoryCrmDirectory Directory { get; }

    /// <summary>Checks one event and applies it unless blocked.</summary>
    /// <param name="number">The event's number (from 1), as the output carries it.</param>
    /// <param name="crmEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="InputFormatException">The event names a record or user that does not exist.</exception>
    public async Task<ReplayVerdict> ApplyAsync(int number, CrmEvent crmEvent, CancellationToken cancellationToken = default)
    {
        if (crmEvent is null)
            throw new ArgumentNullException(nameof(crmEvent));
        if (Directory.Find(crmEvent.UserId) is not User)
            throw new InputFormatException(crmEvent.File, crmEvent.Line, "userId", $"no user has the id '{crmEvent.UserId}'.");

        var request = crmEvent.Operation == GuardOperation.Create ? Create(number, crmEvent) : Update(crmEvent);
        var result = await _pipeline.EvaluateAsync(request with { OccurredAt = crmEvent.At, CorrelationId = $"event-{number}" }, Directory, cancellationToken).ConfigureAwait(false);
        if (!result.IsBlocked)
            Directory.Upsert(request.Record);
        return new ReplayVerdict(number, request.Record, result);
    }

    private GuardRequest Create(int number, CrmEvent e)
    {
        var f = e.Fields;
        var id = e.Id ?? NewId(e.Kind, number);
        if (e.Id is not null && Directory.Find(e.Id) is not null)
            throw f.Error(f.Get("id"), "id", $"a record with the id '{e.Id}' already exists.");
        CrmRecord record = e.Kind switch
        {
            RecordKind.Account => RecordJson.ApplyAccount(new Account { Id = id }, f),
            RecordKind.Contact => RecordJson.ApplyContact(new Contact { Id = id }, f),
            RecordKind.Lead => RecordJson.ApplyLead(new Lead { Id = id }, f),
            _ => RecordJson.ApplyActivity(new Activity { Id = id }, f, Resolve) is var activity && activity.CreatedOn is null ? activity with { CreatedOn = e.At } : activity,
        };
        f.RejectUnknown();
        record = string.IsNullOrEmpty(record.OwnerId) ? record with { OwnerId = e.UserId } : record;
        CheckUser(f, "ownerId", record.OwnerId);
        if (record is Contact { AccountId: { } accountId } && Directory.Find(accountId) is not Account)
            throw f.Error(f.Get("accountId"), "accountId", $"no account has the id '{accountId}'.");
        return GuardRequest.ForCreate(record, e.UserId);
    }

    private GuardRequest Update(CrmEvent e)
    {
        var f = e.Fields;
        var previous = Directory.Find(e.Id!) ?? throw f.Error(f.Get("id"), "id", $"no record has the id '{e.Id}'.");
        if (previous.Kind != e.Kind)
            throw f.Error(f.Get("kind"), "kind", $"the record '{e.Id}' is a {previous.Ref.KindName}, not a {new RecordRef(e.Kind, e.Id!).KindName}.");
        CrmRecord updated = previous switch
        {
            Account a => RecordJson.ApplyAccount(a, f),
            Contact c => RecordJson.ApplyContact(c, f),
            Lead l => RecordJson.ApplyLead(l, f),
            Activity a => Reschedule(a, RecordJson.ApplyActivity(a, f, Resolve)),
            _ => previous,
        };
        f.RejectUnknown();
        CheckUser(f, "ownerId", updated.OwnerId);
        return GuardRequest.ForUpdate(previous, updated, e.UserId);
    }

    /// <summary>The host keeps count of moves of the start; so does the replay.</summary>
    private static Activity Reschedule(Activity before, Activity after) =>
        before.ScheduledStart is { } start && after.ScheduledStart is { } moved && start != moved
            ? after with { RescheduleCount = before.RescheduleCount + 1 }
            : after;

    private RecordRef Resolve(string id, JsonFields fields, string field) =>
        Directory.Find(id) is { Kind: not RecordKind.User } record
            ? record.Ref
            : throw fields.Error(null, field, $"no account, contact, lead or activity has the id '{id}'.");

    private void CheckUser(JsonFields fields, string field, string? userId)
    {
        if (userId is not null && Directory.Find(userId) is not User)
            throw fields.Error(fields.Get(field), field, $"no user has the id '{userId}'.");
    }

    private string NewId(RecordKind kind, int number)
    {
        var prefix = new RecordRef(kind, string.Empty).KindName;
        var id = prefix + "-e" + number.ToString(CultureInfo.InvariantCulture);
        while (Directory.Find(id) is not null)
            id = prefix + "-e" + number.ToString(CultureInfo.InvariantCulture) + "-" + (++_created).ToString(CultureInfo.InvariantCulture);
        return id;
    }
}

/// <summary>The verdict on one replayed event.</summary>
/// <param name="Event">The event's number, from 1.</param>
/// <param name="Record">The record as the event would save it.</param>
/// <param name="Result">The guards' result.</param>
public sealed record ReplayVerdict(int Event, CrmRecord Record, GuardResult Result);
