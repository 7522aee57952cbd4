using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails;

/// <summary>The options every guard has.</summary>
public abstract class GuardOptions
{
    /// <summary>Gets or sets the guard's name in logs; <see langword="null"/> means its rule id.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets a value indicating whether the guard runs.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the guard runs in shadow mode: it decides and its decisions are logged, but
    /// they block, flag and notify nobody. Switching a rule from shadow to enforced is this setting only.
    /// </summary>
    /// <value>The default value is <see langword="false"/> (enforced).</value>
    public bool Shadow { get; set; }

    /// <summary>Copies the options, so that a built guard does not change when the caller changes theirs.</summary>
    internal T Freeze<T>()
        where T : GuardOptions => (T)MemberwiseClone();
}

/// <summary>Options of the whole check, shared by every guard of a pipeline.</summary>
public class GuardPipelineOptions
{
    /// <summary>Gets or sets the time the whole check may take; a rule still waiting on the CRM then answers by <see cref="OnLookupFailure"/>.</summary>
    /// <value>The default value is 2 seconds. It must be between 10 milliseconds and 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets what a rule answers when the CRM cannot be asked.</summary>
    /// <value>The default value is <see cref="LookupFailureVerdict.Flag"/> (fail-open).</value>
    [EnumDataType(typeof(LookupFailureVerdict))]
    public LookupFailureVerdict OnLookupFailure { get; set; } = LookupFailureVerdict.Flag;

    /// <summary>Gets or sets a value indicating whether verdicts withhold the subject of records the acting user neither owns nor manages.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Redaction { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the whole policy runs in shadow mode: every rule decides and the decisions are
    /// logged, but hosts block nothing and write nothing to the CRM (no flags, no cleared flags, no reschedule counts, no
    /// tasks). Hosts still keep match keys current: they are an index, not a decision.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Shadow { get; set; }
}
