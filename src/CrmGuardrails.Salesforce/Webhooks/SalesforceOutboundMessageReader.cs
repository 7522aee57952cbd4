using CrmGuardrails.Hosting;

namespace CrmGuardrails.Salesforce.Webhooks;

/// <summary>
/// Reads a Salesforce Outbound Message — the SOAP <c>notifications</c> envelope a flow, workflow rule or approval
/// process sends after a save — into the saves to check. Map it with <c>app.MapSalesforceOutboundMessages()</c>
/// (CrmGuardrails.AspNetCore), which answers <c>&lt;Ack&gt;true&lt;/Ack&gt;</c> only once every outcome is written back.
/// </summary>
/// <remarks>
/// <para>
/// "Reliability: queued; retried ... for 24 h ...; can be delivered out of order and more than once → dedupe on
/// notification Id; endpoint receives the latest data, not intermediate changes" (salesforce.md §2.6). The reader keeps
/// no state: a message read twice gives the same saves, and the outcome writer is idempotent.
/// </para>
/// <para>
/// The fields the Outbound Message sends are those the admin picked: it needs <c>Id</c>, <c>LastModifiedById</c> (who
/// saved), <c>CreatedDate</c> and <c>LastModifiedDate</c> (create or update), the flag field, and the fields the
/// rules read (<see cref="SalesforceRecordReader.FieldsOf"/>). Immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class SalesforceOutboundMessageReader : IGuardEventReader
{
    /// <summary>
    /// Gets the fields every Outbound Message must send besides those the rules read
    /// (<see cref="SalesforceRecordReader.FieldsOf"/>): the id, who saved and when (create or update), and the flag an
    /// earlier check wrote (so an allowed update clears it). A message without <c>LastModifiedById</c> is refused (400).
    /// </summary>
    public static IReadOnlyList<string> RequiredFields { get; } =
        [SalesforceSchema.Id, SalesforceSaveReader.LastModifiedById, SalesforceSchema.CreatedDate, SalesforceSaveReader.LastModifiedDate, SalesforceSchema.Flags.Verdict];

    private readonly string _organizationId;
    private readonly int _maxNotifications;
    private readonly SalesforceSaveReader _saves;

    /// <summary>Initializes a new instance of the <see cref="SalesforceOutboundMessageReader"/> class.</summary>
    /// <param name="options">The options (the org id is required).</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public SalesforceOutboundMessageReader(SalesforceWebhookOptions options)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        OptionsValidation.ThrowIfInvalid(options);
        _organizationId = options.OrganizationId;
        _maxNotifications = options.MaxNotifications;
        _saves = new SalesforceSaveReader(new SalesforceRecordReader(options.Mapping), options.IntegrationUserIds);
    }

    /// <inheritdoc />
    public GuardEvent Read(ReadOnlyMemory<byte> body, Func<string, string?> header)
    {
        if (header is null)
            throw new ArgumentNullException(nameof(header));
        var message = OutboundMessageEnvelope.Read(body, _maxNotifications);

        // As the ASP.NET WebHooks receiver does: a message from another org (a refreshed sandbox) is refused.
        if (!WebhookIds.SameRecord(message.OrganizationId, _organizationId))
            throw new GuardEventFormatException("notifications.OrganizationId", $"'{message.OrganizationId}' is not the configured organization.");

        var collector = _saves.Start();
        for (var i = 0; i < message.Notifications.Count; i++)
        {
            var notification = message.Notifications[i];
            string? Field(string name) => notification.Fields.TryGetValue(name, out var value) ? value : null;
            collector.Add($"Notification[{i}].sObject", notification.SObjectType, Field, SalesforceSaveReader.OperationOf(Field), userId: null, notification.Id);
        }

        var first = message.Notifications[0];
        var description = message.Notifications.Count == 1
            ? $"Outbound Message on {first.SObjectType}"
            : $"Outbound Message of {SalesforceSaveReader.Count(message.Notifications.Count, "notification")}";
        return collector.ToEvent(description, first.Id);
    }
}
