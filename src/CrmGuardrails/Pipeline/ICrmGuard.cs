namespace CrmGuardrails;

/// <summary>A rule that looks at one save and reports findings.</summary>
/// <remarks>
/// Guards are immutable and thread-safe: hosts such as Dataverse cache one instance and run it on many threads.
/// A guard reports business outcomes as findings and never throws for them; an exception means "could not check"
/// and is turned into the lookup-failure verdict by the pipeline.
/// </remarks>
public interface ICrmGuard
{
    /// <summary>Gets the rule id carried by the guard's findings and logs.</summary>
    string RuleId { get; }

    /// <summary>Tells whether the guard has anything to say about this kind of save.</summary>
    /// <param name="context">The save.</param>
    /// <returns><see langword="true"/> when the guard should be evaluated.</returns>
    bool AppliesTo(GuardContext context);

    /// <summary>Evaluates the save.</summary>
    /// <param name="context">The save, the directory and the cancellation token.</param>
    /// <returns>The findings; empty when the guard allows the save.</returns>
    ValueTask<IReadOnlyList<GuardFinding>> EvaluateAsync(GuardContext context);
}
