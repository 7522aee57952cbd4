using Xunit;
using Xunit.Sdk;

namespace CrmGuardrails.Testing;

/// <summary>
/// A fact of the directory contract. It runs like <see cref="FactAttribute"/>, except that it is reported as skipped,
/// with the reason, when the test class carries a <see cref="SkipContractAttribute"/> that gives one (a live host that
/// is not configured, for example).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[XunitTestCaseDiscoverer("CrmGuardrails.Testing.ContractFactDiscoverer", "CrmGuardrails.Testing")]
public sealed class ContractFactAttribute : FactAttribute
{
}
