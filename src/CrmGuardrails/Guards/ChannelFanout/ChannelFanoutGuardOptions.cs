using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails;

/// <summary>Options of the <c>channel-fanout</c> rule: one customer reaching out on several channels.</summary>
public sealed class ChannelFanoutGuardOptions : GuardOptions
{
    /// <summary>Gets or sets how far back an open inbound activity on another channel counts as the same conversation.</summary>
    /// <value>The default value is 24 hours. It must be between 1 minute and 30 days.</value>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets a value indicating whether the earlier activity's owner is told.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NotifyOtherOwner { get; set; } = true;
}
