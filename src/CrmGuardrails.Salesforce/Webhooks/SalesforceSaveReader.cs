using System.Globalization;
using CrmGuardrails.Hosting;

namespace CrmGuardrails.Salesforce.Webhooks;

/// <summary>
/// What every Salesforce path after the save (Outbound Message, Flow callout, Change Data Capture) does with one saved
/// record: the save to check, the match keys to keep current, the flag to clear, or why it is not checked. The paths
/// differ only in how the fields arrive; they all read them through <see cref="SalesforceRecordReader"/> and decide here.
/// </summary>
/// <remarks>Immutable and thread-safe; one <see cref="Collector"/> per call.</remarks>
internal sealed class SalesforceSaveReader
{
    /// <summary>The user who saved the record last: the Outbound Message and the Flow send it as a field.</summary>
    public const string LastModifiedById = "LastModifiedById";

    /// <summary>When the record was saved last.</summary>
    public const string LastModifiedDate = "LastModifiedDate";

    private readonly SalesforceRecordReader _records;
    private readonly string[] _integrationUsers;

    public SalesforceSaveReader(SalesforceRecordReader records, IEnumerable<string> integrationUserIds)
    {
        _records = records;
        _integrationUsers = integrationUserIds.ToArray();
    }

    /// <summary>Whether the user is one the SDK writes as: its saves are flags written back, never checked (no echo loop).</summary>
    public bool IsIntegrationUser(string? userId) => userId is not null && _integrationUsers.Any(u => WebhookIds.SameRecord(u, userId));

    /// <summary>Starts reading one call.</summary>
    public Collector Start() => new(this);

    /// <summary>
    /// Tells a create from an update when the path does not say: a record whose <c>CreatedDate</c> is its
    /// <c>LastModifiedDate</c> was just created. Without both dates it is read as a create.
    /// </summary>
    public static GuardOperation OperationOf(Func<string, string?> field)
    {
        var created = SalesforceRecordReader.ParseDateTime(field(SalesforceSchema.CreatedDate));
        var modified = SalesforceRecordReader.ParseDateTime(field(LastModifiedDate));
        return created is not null && modified is not null && created != modified ? GuardOperation.Update : GuardOperation.Create;
    }

    /// <summary>The saves of one call, collected record by record.</summary>
    internal sealed class Collector(SalesforceSaveReader owner)
    {
        private readonly List<GuardRequest> _requests = [];
        private readonly List<RecordRef> _reread = [];
        private readonly List<string> _flaggedBefore = [];
        private readonly SortedSet<string> _skipped = new(StringComparer.Ordinal);

        /// <summary>Adds one saved record.</summary>
        /// <param name="path">Where the record is in the call (<c>Notification[2].sObject</c>), for errors.</param>
        /// <param name="sObjectType">The object's API name.</param>
        /// <param name="field">The record's fields by API name.</param>
        /// <param name="operation">Create or update.</param>
        /// <param name="userId">The user who saved it; <see langword="null"/> to read <c>LastModifiedById</c>.</param>
        /// <param name="correlationId">The CRM's id of this record's notification or event.</param>
        /// <exception cref="GuardEventFormatException">A field the guards need is missing or malformed; the message names it.</exception>
        public void Add(string path, string sObjectType, Func<string, string?> field, GuardOperation operation, string? userId, string? correlationId)
        {
            var kind = SalesforceSchema.KindOf(sObjectType);
            if (kind is RecordKind.Unknown or RecordKind.User)
            {
                _skipped.Add($"the {WebhookIds.Quote(sObjectType)} object is not checked");
                return;
            }

            var id = field(SalesforceSchema.Id);
            if (!WebhookIds.IsId(id))
                throw new GuardEventFormatException($"{path}.{SalesforceSchema.Id}", id is null ? "missing: the record's id is required." : $"'{WebhookIds.Quote(id)}' is not a 15- or 18-character Salesforce id.");

            userId ??= field(LastModifiedById);
            if (userId is null)
                throw new GuardEventFormatException($"{path}.{LastModifiedById}", "missing: add LastModifiedById to the fields sent, so the guards know who saved the record.");
            if (!WebhookIds.IsId(userId))
                throw new GuardEventFormatException($"{path}.{LastModifiedById}", $"'{WebhookIds.Quote(userId)}' is not a 15- or 18-character Salesforce id.");
            if (owner.IsIntegrationUser(userId))
            {
                _skipped.Add("saved by the integration user (the SDK's own flag writes)");
                return;
            }

            var modified = field(LastModifiedDate);
            var occurredAt = SalesforceRecordReader.ParseDateTime(modified);
            if (modified is not null && occurredAt is null)
                throw new GuardEventFormatException($"{path}.{LastModifiedDate}", $"'{WebhookIds.Quote(modified)}' is not an ISO 8601 dateTime.");

            // Accounts, contacts and leads keep their match keys current; the writer reads them whole (a message carries the fields an admin picked).
            if (kind is RecordKind.Account or RecordKind.Contact or RecordKind.Lead)
                _reread.Add(new RecordRef(kind, id));

            // As for Dataverse: accounts and contacts have no rule of their own, and a lead is checked when created.
            if (kind == RecordKind.Activity || (kind == RecordKind.Lead && operation == GuardOperation.Create))
            {
                var record = owner._records.Read(sObjectType, field) ?? throw new InvalidOperationException($"The record reader does not read {sObjectType}.");
                _requests.Add(new GuardRequest
                {
                    Operation = operation,
                    Record = record,
                    UserId = userId,
                    Table = record.Kind == RecordKind.Activity ? CanonicalName(sObjectType) : SalesforceSchema.Lead.Object,
                    CorrelationId = correlationId,
                    OccurredAt = occurredAt,

                    // After the save the org holds the record as saved, not as it was.
                    CanReadPrevious = false,
                });
            }
            else if (kind == RecordKind.Lead)
            {
                _skipped.Add("a lead is checked when created, not when updated");
            }

            if (!string.IsNullOrWhiteSpace(field(SalesforceSchema.Flags.Verdict)))
                _flaggedBefore.Add(id);
        }

        /// <summary>The call as read.</summary>
        public GuardEvent ToEvent(string description, string? correlationId)
        {
            var saveEvent = new GuardEvent { BeforeSave = false, Description = description, CorrelationId = correlationId };
            if (_requests.Count == 0 && _reread.Count == 0)
                return saveEvent with { SkipReason = _skipped.Count == 0 ? "the call holds no record" : string.Join("; ", _skipped) };
            return saveEvent with { Requests = _requests, Reread = _reread, FlaggedBefore = _flaggedBefore };
        }

        private static string CanonicalName(string sObjectType) =>
            string.Equals(sObjectType, SalesforceSchema.Event.Object, StringComparison.OrdinalIgnoreCase) ? SalesforceSchema.Event.Object : SalesforceSchema.Task.Object;
    }

    /// <summary>Formats a count for a description.</summary>
    public static string Count(int count, string what) => string.Format(CultureInfo.InvariantCulture, "{0} {1}{2}", count, what, count == 1 ? string.Empty : "s");
}
