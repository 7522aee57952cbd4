namespace CrmGuardrails;

/// <summary>The kinds of CRM record the guards reason about.</summary>
/// <remarks>The numeric values are public API and are never renumbered.</remarks>
public enum RecordKind
{
    /// <summary>The kind is not known (an id from a source that does not say).</summary>
    Unknown = 0,

    /// <summary>An organisation the company sells to.</summary>
    Account = 1,

    /// <summary>A person at an account.</summary>
    Contact = 2,

    /// <summary>A prospect not yet qualified.</summary>
    Lead = 3,

    /// <summary>A phone call, appointment, email, task, voicemail, chat or SMS.</summary>
    Activity = 4,

    /// <summary>A user of the CRM (a rep, a manager).</summary>
    User = 5,
}
