namespace CrmGuardrails;

/// <summary>What a guard decides about a save.</summary>
/// <remarks>The values are ordered by strength and are public API: they are never renumbered.</remarks>
public enum Verdict
{
    /// <summary>Nothing to say: the record is saved.</summary>
    Allow = 0,

    /// <summary>The record is saved and marked, and the people concerned are told.</summary>
    Flag = 1,

    /// <summary>The record is not saved; the user sees one plain sentence saying why and whom to talk to.</summary>
    Block = 2,
}

/// <summary>What a save does to a record.</summary>
public enum GuardOperation
{
    /// <summary>The record is being created.</summary>
    Create = 0,

    /// <summary>The record is being changed.</summary>
    Update = 1,
}

/// <summary>What a rule answers when the CRM cannot be asked (throttling, outage, time budget spent).</summary>
public enum LookupFailureVerdict
{
    /// <summary>Save and flag the record as "not checked" (fail-open). The default.</summary>
    Flag = 1,

    /// <summary>Refuse the save (fail-closed). History and inbound activities are still only flagged.</summary>
    Block = 2,
}
