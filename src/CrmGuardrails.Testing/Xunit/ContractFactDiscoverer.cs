using System.ComponentModel;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CrmGuardrails.Testing;

/// <summary>Discovers <see cref="ContractFactAttribute"/> facts, skipped when the test class says so (<see cref="SkipContractAttribute"/>).</summary>
/// <remarks>Used by xUnit through <see cref="XunitTestCaseDiscovererAttribute"/>; not meant to be called directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ContractFactDiscoverer : FactDiscoverer
{
    /// <summary>Initializes a new instance of the <see cref="ContractFactDiscoverer"/> class.</summary>
    /// <param name="diagnosticMessageSink">Where discovery reports its messages.</param>
    public ContractFactDiscoverer(IMessageSink diagnosticMessageSink)
        : base(diagnosticMessageSink)
    {
    }

    /// <inheritdoc />
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        var reason = SkipReason(testMethod);
        if (string.IsNullOrEmpty(reason))
            return base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
        return new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
    }

    private static string? SkipReason(ITestMethod testMethod)
    {
        var type = testMethod.TestClass.Class.ToRuntimeType();
        if (type is null)
            return null;
        foreach (var attribute in type.GetCustomAttributes(typeof(SkipContractAttribute), inherit: true))
        {
            if (((SkipContractAttribute)attribute).Reason is { Length: > 0 } reason)
                return reason;
        }

        return null;
    }
}
