using Xunit.Abstractions;
using Xunit.Sdk;

namespace CrmGuardrails.DecisionLog.Tests;

/// <summary>A fact of the decision-log contract; skipped (with the reason) only when its class needs PostgreSQL and <see cref="PostgreSqlServer.OptOutVariable"/> is set.</summary>
[XunitTestCaseDiscoverer("CrmGuardrails.DecisionLog.Tests.DecisionLogFactDiscoverer", "CrmGuardrails.DecisionLog.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class DecisionLogFactAttribute : FactAttribute;

/// <summary>Marks a test class that runs against the test PostgreSQL server.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgreSqlAttribute : Attribute;

public sealed class DecisionLogFactDiscoverer(IMessageSink sink) : FactDiscoverer(sink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var type = testMethod.TestClass.Class.ToRuntimeType();
        if (PostgreSqlServer.OptedOut && type?.GetCustomAttributes(typeof(RequiresPostgreSqlAttribute), inherit: true).Length > 0)
        {
            return new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod,
                $"{PostgreSqlServer.OptOutVariable}=1: PostgreSQL could not be installed here.");
        }

        return base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
    }
}
