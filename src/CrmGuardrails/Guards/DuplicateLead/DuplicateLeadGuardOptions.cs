namespace CrmGuardrails;

/// <summary>Options of the <c>duplicate-lead</c> rule: a new lead that repeats another user's open lead.</summary>
public sealed class DuplicateLeadGuardOptions : GuardOptions
{
    /// <summary>Gets or sets a value indicating whether another user's open lead at the same company (another person) is flagged.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FlagSameCompany { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the other lead's owner is told.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NotifyOtherOwner { get; set; } = true;
}
