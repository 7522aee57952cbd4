using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails.Hosting;

/// <summary>
/// How a host package talks to its CRM over HTTP: the time one request may take, retries and the circuit breaker.
/// Shared by the Dataverse and Salesforce directories' options, so both are tuned, validated and documented one way.
/// </summary>
public abstract class CrmConnectionOptions
{
    /// <summary>Gets or sets the longest time one HTTP attempt may take before it is abandoned (and possibly retried).</summary>
    /// <value>The default value is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the longest time one HTTP request may take including its retries. The caller's token usually ends it sooner.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times a throttled or transiently failed request is retried (which failures, each host says).</summary>
    /// <value>The default value is 3.</value>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the jittered exponential back-off used when the server gives no <c>Retry-After</c>.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the longest <c>Retry-After</c> honoured; a longer one fails the request at once.</summary>
    /// <value>The default value is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the failure ratio over <see cref="CircuitBreakerSamplingDuration"/> that opens the circuit on a sick organisation.</summary>
    /// <value>The default value is 0.5.</value>
    [Range(0.01, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the fewest requests in the sampling window before the circuit may open.</summary>
    /// <value>The default value is 10.</value>
    [Range(2, 10000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets the window over which failures are counted.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long an open circuit fails requests at once.</summary>
    /// <value>The default value is 15 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Checks what the attributes cannot: the settings against each other.</summary>
    /// <returns>The errors.</returns>
    protected IEnumerable<ValidationResult> ValidateConnection()
    {
        if (TotalTimeout < AttemptTimeout)
            yield return new ValidationResult("The TotalTimeout must not be shorter than the AttemptTimeout.", [nameof(TotalTimeout), nameof(AttemptTimeout)]);
    }
}
