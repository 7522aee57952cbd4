namespace CrmGuardrails;

/// <summary>A reference to a CRM record: its kind and its id.</summary>
/// <param name="Kind">The record's kind.</param>
/// <param name="Id">The record's id in the host CRM.</param>
public readonly record struct RecordRef(RecordKind Kind, string Id)
{
    /// <summary>Gets the name the formats and verdicts use for <see cref="Kind"/>: <c>account</c>, <c>contact</c>, <c>lead</c>, <c>activity</c>, <c>user</c>.</summary>
    public string KindName => Kind switch
    {
        RecordKind.Account => "account",
        RecordKind.Contact => "contact",
        RecordKind.Lead => "lead",
        RecordKind.Activity => "activity",
        RecordKind.User => "user",
        _ => "unknown",
    };

    /// <inheritdoc />
    public override string ToString() => $"{KindName}:{Id}";
}
