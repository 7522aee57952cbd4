using CrmGuardrails.Hosting;

namespace CrmGuardrails.Dataverse.Webhooks;

/// <summary>
/// Reads a Dataverse webhook call — a <c>RemoteExecutionContext</c> — into the saves to check, the records whose match
/// keys change, and whether Dataverse waits for the answer (a synchronous step: a refusal cancels the save).
/// </summary>
/// <remarks>
/// Immutable and thread-safe. What it hands the host for logs and answers — the correlation id, the description, the
/// reasons — holds no control character or line break and quotes at most a few dozen characters of what was sent.
/// </remarks>
public sealed class DataverseWebhookEventReader : IGuardEventReader
{
    /// <summary>The header Dataverse sets when the context exceeded 256 KB and its data was removed.</summary>
    public const string SizeExceededHeader = "x-ms-dynamics-msg-size-exceeded";

    private readonly DataverseContextReader _reader;
    private readonly int _maxDepth;

    /// <summary>Initializes a new instance of the <see cref="DataverseWebhookEventReader"/> class.</summary>
    /// <param name="options">The options; <see langword="null"/> means the defaults.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public DataverseWebhookEventReader(DataverseWebhookOptions? options = null)
    {
        options ??= new DataverseWebhookOptions();
        OptionsValidation.ThrowIfInvalid(options);
        _reader = new DataverseContextReader(options.Mapping);
        _maxDepth = options.MaxDepth;
    }

    /// <inheritdoc />
    public GuardEvent Read(ReadOnlyMemory<byte> body, Func<string, string?> header)
    {
        if (header is null)
            throw new ArgumentNullException(nameof(header));
        var context = _reader.ReadContext(body);
        return Read(context, header(SizeExceededHeader) is not null);
    }

    /// <summary>Reads an execution context already parsed.</summary>
    /// <param name="context">The context.</param>
    /// <param name="sizeExceeded">Whether Dataverse said the context was too large and removed its data.</param>
    /// <returns>The event.</returns>
    /// <exception cref="GuardEventFormatException">The context is not one the guards can read; the message names the field.</exception>
    public GuardEvent Read(DataverseExecutionContext context, bool sizeExceeded)
    {
        if (context is null)
            throw new ArgumentNullException(nameof(context));
        if (context.Mode is not (0 or 1))
            throw new GuardEventFormatException("Mode", $"expected 0 (synchronous) or 1 (asynchronous), found {context.Mode}.");
        var table = context.PrimaryEntityName.ToLowerInvariant();

        // The names are what the caller sent: quoted for logs, never compared in that form.
        var message = ContextText.ForLog(context.MessageName);
        var tableName = ContextText.ForLog(table);
        var correlationId = ContextText.Id(context.CorrelationId);
        var saveEvent = new GuardEvent
        {
            BeforeSave = context.IsSynchronous,
            Description = $"{message} of {tableName}",
            CorrelationId = correlationId,
        };
        if (context.Depth > _maxDepth)
            return saveEvent with { SkipReason = $"depth {context.Depth} is over the configured maximum of {_maxDepth} (a save made by a plug-in, a flow or a flag write)" };

        var kind = _reader.KindOf(table);
        if (context.MessageName == "Delete")
        {
            return kind is RecordKind.Account or RecordKind.Contact or RecordKind.Lead && context.TargetReference is { } deleted
                ? saveEvent with { Deleted = [new RecordRef(kind, deleted.Id)] }
                : saveEvent with { SkipReason = $"the Delete of {tableName} changes no match keys" };
        }

        var operation = DataverseContextReader.OperationOf(context.MessageName);
        if (operation is null)
            return saveEvent with { SkipReason = $"the {message} message is not checked (register Create, CreateMultiple, Update, UpdateMultiple, Book and Reschedule)" };
        if (kind is RecordKind.Unknown or RecordKind.User)
            return saveEvent with { SkipReason = $"the {tableName} table is not checked" };
        if (sizeExceeded)
        {
            // Dataverse removed the data but kept the primary id: the record is named so that a flag can be written on it.
            var placeholder = context.PrimaryEntityId is { Length: > 0 } id && context.ActingUserId is { Length: > 0 }
                ? _reader.ToRecord(new DataverseEntity { LogicalName = table, Id = id })
                : null;
            return saveEvent with
            {
                NotCheckedReason = "the record was too large for Dataverse to send (over 256 KB)",
                Requests = placeholder is null ? [] :
                [
                    new GuardRequest { Operation = operation.Value, Record = placeholder, UserId = context.ActingUserId!, Table = table, CorrelationId = correlationId },
                ],
            };
        }

        // Accounts and contacts have no rule of their own, and a lead is checked when created: their saves keep keys current.
        var checkedSave = kind == RecordKind.Activity || (kind == RecordKind.Lead && operation == GuardOperation.Create);
        var requests = checkedSave ? _reader.ToRequests(context) : [];
        var (saved, reread) = kind is RecordKind.Account or RecordKind.Contact or RecordKind.Lead && !context.IsSynchronous
            ? SavedRecords(context, operation.Value)
            : ([], []);
        if (requests.Count == 0 && saved.Count == 0 && reread.Count == 0)
            return saveEvent with { SkipReason = "the context holds no record to check (no Target, or a save only after which keys change)" };

        return saveEvent with
        {
            Requests = requests,
            Saved = saved,
            Reread = reread,
            FlaggedBefore = context.PreImages.OfType<DataverseEntity>()
                .Where(image => image[DataverseSchema.Flags.Verdict] is string { Length: > 0 })
                .Select(image => image.Id)
                .Where(id => id.Length > 0)
                .ToList(),
        };
    }

    /// <summary>
    /// The saved rows whose keys change: a Create's Target, an update's post-image (or its Target over its pre-image when
    /// the pre-image holds every key column); rows known only by id are read again by the writer.
    /// </summary>
    private (List<CrmRecord> Saved, List<RecordRef> Reread) SavedRecords(DataverseExecutionContext context, GuardOperation operation)
    {
        var saved = new List<CrmRecord>();
        var reread = new List<RecordRef>();
        for (var i = 0; i < context.Targets.Count; i++)
        {
            var target = context.Targets[i];
            var id = target.Id.Length > 0 ? target.Id : context.Targets.Count == 1 ? context.PrimaryEntityId ?? string.Empty : string.Empty;
            if (id.Length == 0)
                continue;
            var post = i < context.PostImages.Count ? context.PostImages[i] : null;
            var record = operation == GuardOperation.Create ? _reader.ToRecord(target with { Id = id })
                : post is not null ? _reader.ToRecord(post with { LogicalName = target.LogicalName, Id = id }, target)
                : null;
            if (record is not null)
                saved.Add(record);
            else
                reread.Add(new RecordRef(_reader.KindOf(target.LogicalName), id));
        }

        return (saved, reread);
    }
}
