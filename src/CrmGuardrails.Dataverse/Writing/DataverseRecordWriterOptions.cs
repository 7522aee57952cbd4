using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails.Dataverse.Writing;

/// <summary>Configures <see cref="DataverseRecordWriter"/>: which columns hold a flag and how notification tasks look.</summary>
/// <remarks>
/// The flag columns are custom columns you add to every table the guards check (lead, phonecall, appointment, email,
/// task, …). A column set to <see langword="null"/> is not written. Options are validated when the writer is created.
/// </remarks>
public sealed class DataverseRecordWriterOptions : IValidatableObject
{
    /// <summary>Gets or sets the text column that receives the verdict (<c>flag</c>, <c>block</c> or <c>not-checked</c>).</summary>
    /// <value>The default value is <c>crmg_guardverdict</c>.</value>
    public string? VerdictColumn { get; set; } = "crmg_guardverdict";

    /// <summary>Gets or sets the text column that receives the comma-separated rule ids that fired.</summary>
    /// <value>The default value is <c>crmg_guardrule</c>.</value>
    public string? RuleColumn { get; set; } = "crmg_guardrule";

    /// <summary>Gets or sets the text column that receives the message the user sees.</summary>
    /// <value>The default value is <c>crmg_guardmessage</c>.</value>
    public string? MessageColumn { get; set; } = "crmg_guardmessage";

    /// <summary>Gets or sets the date and time column that receives when the record was checked.</summary>
    /// <value>The default value is <c>crmg_guardcheckedon</c>.</value>
    public string? CheckedOnColumn { get; set; } = "crmg_guardcheckedon";

    /// <summary>Gets or sets the whole-number column that counts how often an activity's scheduled start moved.</summary>
    /// <value>The default value is <c>crmg_reschedulecount</c>. Keep it equal to the webhook's <c>Mapping.RescheduleCountColumn</c>.</value>
    public string? RescheduleCountColumn { get; set; } = "crmg_reschedulecount";

    /// <summary>Gets or sets the longest message written to <see cref="MessageColumn"/> and a task's description; longer ones are cut.</summary>
    /// <value>The default value is 2000 characters.</value>
    [Range(16, 100_000)]
    public int MaxMessageLength { get; set; } = 2000;

    /// <summary>Gets or sets the prefix of a notification task's subject.</summary>
    /// <value>The default value is <c>CrmGuardrails: </c>.</value>
    [Required(AllowEmptyStrings = true)]
    public string TaskSubjectPrefix { get; set; } = "CrmGuardrails: ";

    /// <summary>Gets or sets how long after the check a notification task is due (<c>scheduledend</c>); <see langword="null"/> leaves it open.</summary>
    /// <value>The default value is 1 day.</value>
    public TimeSpan? TaskDueAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Gets the entity set names of tables whose set is not the logical name plus <c>s</c> (or <c>ies</c> for a final <c>y</c>).</summary>
    /// <value>Empty by default; add custom tables with irregular plurals here.</value>
    public IDictionary<string, string> EntitySets { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, column) in new[]
                 {
                     (nameof(VerdictColumn), VerdictColumn), (nameof(RuleColumn), RuleColumn), (nameof(MessageColumn), MessageColumn),
                     (nameof(CheckedOnColumn), CheckedOnColumn), (nameof(RescheduleCountColumn), RescheduleCountColumn),
                 })
        {
            if (column is not null && !IsName(column))
                yield return new ValidationResult($"The {name} must be null or a column's logical name (letters, digits and underscores), not '{column}'.", [name]);
        }

        if (TaskDueAfter is { } due && (due < TimeSpan.Zero || due > TimeSpan.FromDays(365)))
            yield return new ValidationResult("The TaskDueAfter must be between 0 and 365 days.", [nameof(TaskDueAfter)]);
        foreach (var pair in EntitySets)
        {
            if (!IsName(pair.Key) || !IsName(pair.Value))
                yield return new ValidationResult($"The EntitySets entry '{pair.Key}' → '{pair.Value}' must map a logical name to an entity set name.", [nameof(EntitySets)]);
        }
    }

    /// <summary>Validates the options and throws one exception listing every error.</summary>
    /// <exception cref="ValidationException">The options are invalid.</exception>
    public void ThrowIfInvalid() => OptionsValidation.ThrowIfInvalid(this);

    internal static bool IsName(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');
}
