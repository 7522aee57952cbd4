using Microsoft.Extensions.Options;

namespace CrmGuardrails;

/// <summary>
/// Says, at each check, which rules run in shadow mode, so a host switches rules between shadow and enforced without
/// rebuilding the pipeline (for example when its configuration reloads).
/// </summary>
/// <remarks>Implementations are thread-safe and answer at once (they run on the save's path).</remarks>
public interface IShadowSwitch
{
    /// <summary>Gets a value indicating whether the whole policy is in shadow mode.</summary>
    bool IsShadowMode { get; }

    /// <summary>Tells whether a rule's decisions are only logged: the rule or the whole policy is in shadow mode.</summary>
    /// <param name="ruleId">The rule id.</param>
    /// <returns><see langword="true"/> when the rule is in shadow mode.</returns>
    bool IsShadow(string ruleId);
}

/// <summary>
/// The shadow settings of the current <see cref="CrmGuardrailsOptions"/> (<see cref="IOptionsMonitor{TOptions}"/>): a
/// configuration reload switches rules without a restart. A reloaded configuration that is invalid leaves the last
/// valid settings in force.
/// </summary>
internal sealed class OptionsShadowSwitch : IShadowSwitch
{
    private readonly IOptionsMonitor<CrmGuardrailsOptions> _monitor;
    private volatile CrmGuardrailsOptions _lastValid;

    /// <summary>Initializes a new instance of the <see cref="OptionsShadowSwitch"/> class; the options must be valid now.</summary>
    public OptionsShadowSwitch(IOptionsMonitor<CrmGuardrailsOptions> monitor)
    {
        _monitor = monitor;
        _lastValid = monitor.CurrentValue;
    }

    public bool IsShadowMode => Current.Shadow;

    public bool IsShadow(string ruleId)
    {
        var options = Current;
        return options.Shadow || ruleId switch
        {
            RuleIds.ExistingCustomer => options.ExistingCustomer.Shadow,
            RuleIds.DuplicateLead => options.DuplicateLead.Shadow,
            RuleIds.RepCollision => options.RepCollision.Shadow,
            RuleIds.ChannelFanout => options.ChannelFanout.Shadow,
            RuleIds.Reschedule => options.Reschedule.Shadow,
            _ => false,
        };
    }

    private CrmGuardrailsOptions Current
    {
        get
        {
            try
            {
                return _lastValid = _monitor.CurrentValue;
            }
            catch (OptionsValidationException)
            {
                return _lastValid;
            }
        }
    }
}
