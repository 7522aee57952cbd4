using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Schema = CrmGuardrails.Salesforce.SalesforceSchema;

namespace CrmGuardrails.Salesforce.Writing;

/// <summary>
/// What the package writes after a check, as REST calls: the verdict on the record (Lead, Task, Event) and one Task for
/// each person a finding names to tell. Shared by the outcome writer (after a save) and the guarded create (with it).
/// </summary>
/// <remarks>
/// A task tells the recipient the finding's message (the pipeline has already withheld other reps' content by the
/// redaction rule) and the record's id — never the other records' subjects or descriptions. Each task is upserted by
/// a unique notification key, so a repeated delivery does not tell twice.
/// </remarks>
internal static class SalesforceFlagWriter
{
    /// <summary>The most characters kept of a reason (a Long Text Area of 32,768; a task's Description holds 32,000).</summary>
    public const int MaxReasonLength = 4000;

    /// <summary>The object of an outcome's record: the request's table, else the id's key prefix, else the record's kind.</summary>
    public static string? ObjectOf(GuardOutcome outcome) =>
        outcome.Table is { Length: > 0 } table && Soql.IsFieldName(table) ? table
        : Schema.ObjectOfId(outcome.Record.Id)
        ?? outcome.Record.Kind switch
        {
            RecordKind.Lead => Schema.Lead.Object,
            RecordKind.Contact => Schema.Contact.Object,
            RecordKind.Account => Schema.Account.Object,
            _ => null,
        };

    /// <summary>The verdict fields of an outcome (or cleared when allowed), and the reschedule count when it moved.</summary>
    public static JsonObject FlagFields(GuardOutcome outcome, DateTimeOffset now, string? rescheduleField)
    {
        var fields = new JsonObject
        {
            [Schema.Flags.Verdict] = outcome.Flag,
            [Schema.Flags.Rule] = outcome.Flag is null ? null : Cut(outcome.Rules, 255),
            [Schema.Flags.Reason] = outcome.Flag is null ? null : outcome.MessageWithin(MaxReasonLength),
            [Schema.Flags.CheckedOn] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        if (rescheduleField is not null && outcome.RescheduleCount is { } count && outcome.Request.Record.Kind == RecordKind.Activity)
            fields[rescheduleField] = count;
        return fields;
    }

    /// <summary>Tells whether the package writes a verdict on an object.</summary>
    public static bool HasFlagFields(string? sObject) => sObject is not null && Schema.Flags.FlaggedObjects.Contains(sObject, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The notification tasks of an outcome: one for each recipient and finding, upserted by its key.
    /// <paramref name="recordId"/> is the record's id, or a composite reference (<c>@{record.id}</c>) when it is being created.
    /// </summary>
    public static IEnumerable<(string Key, JsonObject Fields)> Tasks(GuardOutcome outcome, string sObject, string recordId, string idempotencyScope)
    {
        var request = outcome.Request;
        foreach (var finding in outcome.Result.Findings)
        {
            foreach (var recipient in finding.NotifyUserIds.Distinct(StringComparer.Ordinal))
            {
                var fields = new JsonObject
                {
                    [Schema.OwnerId] = recipient,
                    [Schema.Activity.Subject] = Cut($"CrmGuardrails: {finding.RuleId} on a {sObject}", 255),
                    [Schema.Activity.Description] = Cut(
                        $"{finding.Message}{Environment.NewLine}{Environment.NewLine}Record: {sObject} {recordId}. Rule {finding.RuleId}, code {finding.Code}." +
                        (request.CorrelationId is null ? string.Empty : $" Correlation {request.CorrelationId}."),
                        MaxReasonLength),
                    [Schema.Task.Status] = Schema.Task.NotStartedStatus,
                };

                // A lead or contact is the task's Who; an account its What; an activity cannot be either, so the task
                // then regards the customer record collided with.
                switch (request.Record.Kind)
                {
                    case RecordKind.Lead or RecordKind.Contact:
                        fields[Schema.Activity.WhoId] = recordId;
                        break;
                    case RecordKind.Account:
                        fields[Schema.Activity.WhatId] = recordId;
                        break;
                    default:
                        if (finding.Collision?.Record is { Kind: RecordKind.Account or RecordKind.Contact or RecordKind.Lead, Id.Length: > 0 } other)
                            fields[other.Kind == RecordKind.Account ? Schema.Activity.WhatId : Schema.Activity.WhoId] = other.Id;
                        break;
                }

                yield return (Key(idempotencyScope, sObject, recipient, finding.Code), fields);
            }
        }
    }

    /// <summary>The upsert URL of a notification task (relative to <c>/services/data/</c>).</summary>
    public static string TaskUpsertUrl(string apiVersion, string key) =>
        $"v{apiVersion}/sobjects/{Schema.Task.Object}/{Schema.Flags.NotificationKey}/{Uri.EscapeDataString(key)}";

    /// <summary>A notification's key: a hash of what makes it one (the save, the record, the recipient, the finding).</summary>
    public static string Key(string scope, string sObject, string recipient, string code)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(string.Join("|", scope, sObject, recipient, code)));
        var text = new StringBuilder("crmg-", 5 + 40);
        for (var i = 0; i < 20; i++)
            text.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text.Substring(0, max - 1) + "…";
}
