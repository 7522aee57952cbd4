using System.ComponentModel.DataAnnotations;
using CrmGuardrails.Matching;

namespace CrmGuardrails;

/// <summary>Options of the <c>rep-collision</c> rule: an outbound activity on a customer another rep is working.</summary>
public sealed class RepCollisionGuardOptions : GuardOptions
{
    /// <summary>Gets or sets how close two planned calls or meetings with one customer must start for the new one to be blocked.</summary>
    /// <value>The default value is 48 hours. It must be between 0 and 30 days.</value>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan PlannedWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Gets or sets a value indicating whether contacting an account with status customer that another user owns is flagged.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FlagOtherOwnersCustomers { get; set; } = true;

    /// <summary>Gets or sets the match score at which a lead is taken to be the account it matches.</summary>
    /// <value>The default value is <see cref="MatchScoreBands.Block"/>. It must be between 0 and 1.</value>
    [Range(0.0, 1.0)]
    public double LeadToAccountScore { get; set; } = MatchScoreBands.Block;

    /// <summary>Gets or sets a value indicating whether the other activity's owner is told.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NotifyOtherOwner { get; set; } = true;
}
