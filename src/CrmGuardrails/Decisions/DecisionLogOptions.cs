using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails.Decisions;

/// <summary>How decisions reach the decision log: the queue in front of it, the batches, the retention.</summary>
public class DecisionLogOptions : IValidatableObject
{
    /// <summary>Gets or sets how many decisions may wait to be written; when full, new ones are dropped and counted, never waited for.</summary>
    /// <value>The default value is 10,000. It must be between 1 and 1,000,000.</value>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Gets or sets the most decisions written in one transaction.</summary>
    /// <value>The default value is 256. It must be between 1 and 10,000.</value>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 256;

    /// <summary>Gets or sets how many days decisions are kept; 0 keeps them forever.</summary>
    /// <value>The default value is 90. It must be between 0 and 3,650.</value>
    [Range(0, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Gets or sets how often decisions older than <see cref="RetentionDays"/> are deleted (first at start).</summary>
    /// <value>The default value is 1 hour. It must be between 1 second and 7 days.</value>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the name decisions carry as their host; <see langword="null"/> or empty means the machine's name.</summary>
    public string? HostName { get; set; }

    /// <summary>Gets or sets how long disposing the queue waits for the decisions still queued to be written.</summary>
    /// <value>The default value is 5 seconds. It must be between 0 and 5 minutes.</value>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetentionInterval < TimeSpan.FromSeconds(1) || RetentionInterval > TimeSpan.FromDays(7))
            yield return new ValidationResult($"RetentionInterval must be between 00:00:01 and 7.00:00:00, not {RetentionInterval}.", [nameof(RetentionInterval)]);
        if (ShutdownTimeout < TimeSpan.Zero || ShutdownTimeout > TimeSpan.FromMinutes(5))
            yield return new ValidationResult($"ShutdownTimeout must be between 00:00:00 and 00:05:00, not {ShutdownTimeout}.", [nameof(ShutdownTimeout)]);
    }
}
