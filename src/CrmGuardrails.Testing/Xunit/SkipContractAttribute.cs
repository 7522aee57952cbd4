namespace CrmGuardrails.Testing;

/// <summary>
/// Reports every fact of a contract class as skipped, with <see cref="Reason"/>, while the directory under test is not
/// available. Derive from it to decide when the facts run: a live host's subclass skips them when its credentials are
/// not set, and runs them when they are.
/// </summary>
/// <example>
/// <code>
/// public sealed class LiveOrgAttribute : SkipContractAttribute
/// {
///     public override string? Reason =>
///         Environment.GetEnvironmentVariable("CRM_URL") is null ? "Set CRM_URL to run the contract against the live org." : null;
/// }
///
/// [LiveOrg]
/// public sealed class LiveDirectoryContractTests : CrmDirectoryContract { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public class SkipContractAttribute : Attribute
{
    private readonly string? _reason;

    /// <summary>Initializes a new instance of the <see cref="SkipContractAttribute"/> class that always skips.</summary>
    /// <param name="reason">Why the facts do not run.</param>
    public SkipContractAttribute(string reason) => _reason = reason;

    /// <summary>Initializes a new instance of the <see cref="SkipContractAttribute"/> class for a subclass that overrides <see cref="Reason"/>.</summary>
    protected SkipContractAttribute()
    {
    }

    /// <summary>Gets why the facts do not run, or <see langword="null"/> (or empty) to run them. Read once, when tests are discovered.</summary>
    public virtual string? Reason => _reason;
}
