using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails.Dataverse;

/// <summary>
/// How an org's tables and columns map to the records the guards see, where an org may differ from the defaults: its
/// activity tables, its customer-type codes, its reschedule-count column. One object for the directory, the webhook
/// and the key writer, so they read a row alike.
/// </summary>
public sealed class DataverseMappingOptions : IValidatableObject
{
    /// <summary>Gets the activity tables the guards read, by logical name, with the channel each one is.</summary>
    /// <value>The default value maps <c>phonecall</c>, <c>appointment</c>, <c>recurringappointmentmaster</c>, <c>email</c> and <c>task</c>. Add your voicemail, chat and SMS tables (for example <c>new_sms</c>).</value>
    public IDictionary<string, ActivityType> ActivityTables { get; } = DataverseSchema.Activity.DefaultTables.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the whole-number column of activities that counts how many times the start has been moved.</summary>
    /// <value>The default value is <c>crmg_reschedulecount</c> (created by the CrmGuardrails solution); <see langword="null"/> when the org has none, so the <c>reschedule</c> rule sees only last-minute moves.</value>
    public string? RescheduleCountColumn { get; set; } = DataverseSchema.Flags.RescheduleCount;

    /// <summary>Gets the party-list columns whose parties are the customers of an activity.</summary>
    /// <value>The default value is <c>to</c>, <c>from</c>, <c>requiredattendees</c>, <c>optionalattendees</c>, <c>customers</c>.</value>
    public IList<string> PartyColumns { get; } = new List<string>(DataverseSchema.Activity.PartyColumns);

    /// <summary>Gets the <c>customertypecode</c> values that mean <see cref="AccountStatus.Customer"/>.</summary>
    /// <value>The default value is { 3 } (Customer).</value>
    public IList<int> CustomerTypeCodes { get; } = new List<int>(DataverseSchema.Account.CustomerTypeCodes);

    /// <summary>Gets the <c>customertypecode</c> values that mean <see cref="AccountStatus.Prospect"/>.</summary>
    /// <value>The default value is { 8 } (Prospect).</value>
    public IList<int> ProspectTypeCodes { get; } = new List<int>(DataverseSchema.Account.ProspectTypeCodes);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var name in ActivityTables.Keys)
        {
            if (string.IsNullOrWhiteSpace(name))
                yield return new ValidationResult("ActivityTables: a table name is empty.", [nameof(ActivityTables)]);
            else if (name is DataverseSchema.Lead.Table or DataverseSchema.Account.Table or DataverseSchema.Contact.Table or DataverseSchema.User.Table)
                yield return new ValidationResult($"ActivityTables: '{name}' is not an activity table.", [nameof(ActivityTables)]);
        }

        if (RescheduleCountColumn is { } column && string.IsNullOrWhiteSpace(column))
            yield return new ValidationResult("RescheduleCountColumn must be null or a column name.", [nameof(RescheduleCountColumn)]);
        if (PartyColumns.Any(string.IsNullOrWhiteSpace))
            yield return new ValidationResult("PartyColumns: a column name is empty.", [nameof(PartyColumns)]);
        if (CustomerTypeCodes.Intersect(ProspectTypeCodes).Any())
            yield return new ValidationResult("A customertypecode cannot mean both a customer and a prospect.", [nameof(CustomerTypeCodes), nameof(ProspectTypeCodes)]);
    }

    /// <summary>Copies the options into the immutable mapping the readers use.</summary>
    internal DataverseMapping ToMapping() => new(
        ActivityTables.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase),
        CustomerTypeCodes.ToArray(),
        ProspectTypeCodes.ToArray(),
        RescheduleCountColumn,
        PartyColumns.ToArray());

    /// <summary>Copies the options (the caller may change its own afterwards).</summary>
    internal void CopyTo(DataverseMappingOptions target)
    {
        target.ActivityTables.Clear();
        foreach (var pair in ActivityTables)
            target.ActivityTables[pair.Key] = pair.Value;
        target.RescheduleCountColumn = RescheduleCountColumn;
        Replace(target.PartyColumns, PartyColumns);
        Replace(target.CustomerTypeCodes, CustomerTypeCodes);
        Replace(target.ProspectTypeCodes, ProspectTypeCodes);
    }

    private static void Replace<T>(IList<T> target, IEnumerable<T> values)
    {
        var copy = values.ToList();
        target.Clear();
        foreach (var value in copy)
            target.Add(value);
    }
}
