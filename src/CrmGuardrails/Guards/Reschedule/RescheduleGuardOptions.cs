using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails;

/// <summary>Options of the <c>reschedule</c> rule: meetings and calls moved again and again, or at the last minute.</summary>
public sealed class RescheduleGuardOptions : GuardOptions
{
    /// <summary>Gets or sets the move (counting from 1) from which a move is flagged.</summary>
    /// <value>The default value is 2: the second move is flagged. It must be between 1 and 100.</value>
    [Range(1, 100)]
    public int FlagFromMove { get; set; } = 2;

    /// <summary>Gets or sets how close to the start a move or a change of owner is a last-minute change.</summary>
    /// <value>The default value is 24 hours. It must be between 0 and 30 days.</value>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan LastMinuteWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets a value indicating whether the owner's manager is told.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NotifyManager { get; set; } = true;
}
