namespace CrmGuardrails;

/// <summary>Everything a guard needs about one save. Created by the pipeline for each call.</summary>
public sealed class GuardContext
{
    internal GuardContext(GuardRequest request, CrmLookups lookups, DateTimeOffset now, bool redaction, CancellationToken cancellationToken)
    {
        Request = request;
        Lookups = lookups;
        Now = now;
        Redaction = redaction;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the save being checked.</summary>
    public GuardRequest Request { get; }

    /// <summary>Gets the record being saved.</summary>
    public CrmRecord Record => Request.Record;

    /// <summary>Gets the user saving the record.</summary>
    public string UserId => Request.UserId;

    /// <summary>Gets the owner of the record being saved (the saving user when the record names none).</summary>
    public string ActingOwnerId => string.IsNullOrEmpty(Record.OwnerId) ? Request.UserId : Record.OwnerId!;

    /// <summary>Gets the time of the save.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Gets the directory, with lookups of users and account teams cached for this call.</summary>
    public CrmLookups Lookups { get; }

    /// <summary>Gets a value indicating whether content of other users' records must be withheld.</summary>
    public bool Redaction { get; }

    /// <summary>Gets the token that cancels the check (the caller's, or the time budget running out).</summary>
    public CancellationToken CancellationToken { get; }
}
