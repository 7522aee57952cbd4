using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails.Salesforce;

/// <summary>
/// How an org's fields and picklist values map to the records the guards see, where an org may differ from the
/// defaults. One object for the directory, the readers of every host path and the key writer, so they read a record
/// alike.
/// </summary>
public sealed class SalesforceMappingOptions : IValidatableObject
{
    /// <summary>Gets or sets the Account field holding the account's general email.</summary>
    /// <value>The default value is <c>CrmG_Email__c</c> (added by the package's metadata); <see langword="null"/> when the org has none.</value>
    public string? AccountEmailField { get; set; } = SalesforceSchema.Account.Email;

    /// <summary>Gets or sets the Contact checkbox that marks a contact who left (never among an account's contacts).</summary>
    /// <value>The default value is <c>CrmG_Inactive__c</c> (added by the package's metadata); <see langword="null"/> when every contact is active.</value>
    public string? InactiveContactField { get; set; } = SalesforceSchema.Contact.Inactive;

    /// <summary>Gets or sets the number field of Task and Event that counts how many times the activity was moved.</summary>
    /// <value>The default value is <c>CrmG_Reschedules__c</c>; <see langword="null"/> when the org has none.</value>
    public string? RescheduleCountField { get; set; } = SalesforceSchema.Flags.Reschedules;

    /// <summary>Gets the Account <c>Type</c> values that mean <see cref="AccountStatus.Customer"/> (compared ignoring case).</summary>
    /// <value>The default value is Customer, Customer - Direct, Customer - Channel.</value>
    public IList<string> CustomerTypes { get; } = new List<string>(SalesforceSchema.Account.CustomerTypes);

    /// <summary>Gets the Account <c>Type</c> values that mean <see cref="AccountStatus.Prospect"/>.</summary>
    /// <value>The default value is Prospect.</value>
    public IList<string> ProspectTypes { get; } = new List<string>(SalesforceSchema.Account.ProspectTypes);

    /// <summary>Gets the Account <c>Type</c> values that mean <see cref="AccountStatus.Former"/>.</summary>
    /// <value>The default value is Former Customer.</value>
    public IList<string> FormerTypes { get; } = new List<string>(SalesforceSchema.Account.FormerTypes);

    /// <summary>Gets the Lead <c>Status</c> values that mean <see cref="LeadStatus.Disqualified"/> (a converted lead is qualified whatever its status).</summary>
    /// <value>The default value is Closed - Not Converted.</value>
    public IList<string> DisqualifiedLeadStatuses { get; } = new List<string>(SalesforceSchema.Lead.DisqualifiedStatuses);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(AccountEmailField), AccountEmailField), (nameof(InactiveContactField), InactiveContactField), (nameof(RescheduleCountField), RescheduleCountField) })
        {
            if (value is not null && !Soql.IsFieldName(value))
                yield return new ValidationResult($"{name} must be null or a field API name (letters, digits and underscores, e.g. My_Field__c); got '{value}'.", [name]);
        }

        var lists = new[] { (nameof(CustomerTypes), CustomerTypes), (nameof(ProspectTypes), ProspectTypes), (nameof(FormerTypes), FormerTypes) };
        foreach (var (name, list) in lists.Append((nameof(DisqualifiedLeadStatuses), DisqualifiedLeadStatuses)))
        {
            if (list.Any(string.IsNullOrWhiteSpace))
                yield return new ValidationResult($"{name}: a picklist value is empty.", [name]);
        }

        for (var i = 0; i < lists.Length; i++)
        {
            for (var j = i + 1; j < lists.Length; j++)
            {
                if (lists[i].Item2.Intersect(lists[j].Item2, StringComparer.OrdinalIgnoreCase).FirstOrDefault() is { } both)
                    yield return new ValidationResult($"The Account Type '{both}' cannot be in both {lists[i].Item1} and {lists[j].Item1}.", [lists[i].Item1, lists[j].Item1]);
            }
        }
    }

    /// <summary>Copies the options into the immutable mapping the reader uses.</summary>
    internal SalesforceMapping ToMapping() => new(this);

    /// <summary>Copies the options (the caller may change its own afterwards).</summary>
    internal void CopyTo(SalesforceMappingOptions target)
    {
        target.AccountEmailField = AccountEmailField;
        target.InactiveContactField = InactiveContactField;
        target.RescheduleCountField = RescheduleCountField;
        Replace(target.CustomerTypes, CustomerTypes);
        Replace(target.ProspectTypes, ProspectTypes);
        Replace(target.FormerTypes, FormerTypes);
        Replace(target.DisqualifiedLeadStatuses, DisqualifiedLeadStatuses);
    }

    private static void Replace(IList<string> target, IEnumerable<string> values)
    {
        var copy = values.ToList();
        target.Clear();
        foreach (var value in copy)
            target.Add(value);
    }
}

/// <summary>The mapping as the reader holds it: immutable.</summary>
internal sealed class SalesforceMapping
{
    public SalesforceMapping(SalesforceMappingOptions options)
    {
        AccountEmailField = options.AccountEmailField;
        InactiveContactField = options.InactiveContactField;
        RescheduleCountField = options.RescheduleCountField;
        CustomerTypes = new HashSet<string>(options.CustomerTypes, StringComparer.OrdinalIgnoreCase);
        ProspectTypes = new HashSet<string>(options.ProspectTypes, StringComparer.OrdinalIgnoreCase);
        FormerTypes = new HashSet<string>(options.FormerTypes, StringComparer.OrdinalIgnoreCase);
        DisqualifiedLeadStatuses = new HashSet<string>(options.DisqualifiedLeadStatuses, StringComparer.OrdinalIgnoreCase);
    }

    public static SalesforceMapping Default { get; } = new(new SalesforceMappingOptions());

    public string? AccountEmailField { get; }

    public string? InactiveContactField { get; }

    public string? RescheduleCountField { get; }

    public HashSet<string> CustomerTypes { get; }

    public HashSet<string> ProspectTypes { get; }

    public HashSet<string> FormerTypes { get; }

    public HashSet<string> DisqualifiedLeadStatuses { get; }
}
