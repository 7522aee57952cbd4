namespace CrmGuardrails;

/// <summary>The ids of the built-in rules, as verdicts, logs and reports carry them.</summary>
public static class RuleIds
{
    /// <summary>A new lead belongs to an existing account.</summary>
    public const string ExistingCustomer = "existing-customer";

    /// <summary>A new lead is the same person or company as another user's open lead.</summary>
    public const string DuplicateLead = "duplicate-lead";

    /// <summary>An outbound activity collides with another rep's open work or customer.</summary>
    public const string RepCollision = "rep-collision";

    /// <summary>An inbound activity continues a conversation open on another channel.</summary>
    public const string ChannelFanout = "channel-fanout";

    /// <summary>A meeting or call is moved again, or at the last minute.</summary>
    public const string Reschedule = "reschedule";
}
