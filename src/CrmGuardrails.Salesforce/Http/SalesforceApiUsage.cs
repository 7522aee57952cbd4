using System.Diagnostics.Metrics;
using System.Globalization;

namespace CrmGuardrails.Salesforce.Http;

/// <summary>
/// The org's API budget as its answers report it: "<c>Sforce-Limit-Info: api-usage=10018/100000</c> on every REST
/// response except Versions" (salesforce.md §3.7). Exposed as the gauges <c>crmguardrails.salesforce.api.remaining</c>
/// and <c>crmguardrails.salesforce.api.limit</c> on the <c>CrmGuardrails</c> meter.
/// </summary>
public sealed class SalesforceApiUsage
{
    /// <summary>The response header.</summary>
    public const string Header = "Sforce-Limit-Info";

    private long _used = -1;
    private long _max = -1;

    /// <summary>Initializes a new instance of the <see cref="SalesforceApiUsage"/> class.</summary>
    /// <param name="meterFactory">The host's meter factory, or <see langword="null"/> for a meter of the process.</param>
    public SalesforceApiUsage(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory?.Create(GuardrailsDiagnostics.Name) ?? new Meter(GuardrailsDiagnostics.Name);
        meter.CreateObservableGauge("crmguardrails.salesforce.api.remaining", () => Remaining ?? 0, "{request}", "API requests the Salesforce org has left in its rolling 24 hours, as its last answer reported.");
        meter.CreateObservableGauge("crmguardrails.salesforce.api.limit", () => Limit ?? 0, "{request}", "The Salesforce org's API requests per rolling 24 hours.");
    }

    /// <summary>Gets the requests used in the rolling 24 hours, or <see langword="null"/> before the first answer.</summary>
    public long? Used => Interlocked.Read(ref _used) is var used and >= 0 ? used : null;

    /// <summary>Gets the org's allocation, or <see langword="null"/> before the first answer.</summary>
    public long? Limit => Interlocked.Read(ref _max) is var max and >= 0 ? max : null;

    /// <summary>Gets the requests left, or <see langword="null"/> before the first answer.</summary>
    public long? Remaining => Used is { } used && Limit is { } max ? Math.Max(0, max - used) : null;

    /// <summary>Reads a <c>Sforce-Limit-Info</c> value (<c>api-usage=10018/100000</c>, possibly with <c>per-app-api-usage=…</c>).</summary>
    /// <param name="value">The header's value.</param>
    /// <returns><see langword="true"/> when it carried the org's usage.</returns>
    public bool Record(string? value)
    {
        if (value is null)
            return false;
        foreach (var part in value.Split(','))
        {
            var pair = part.Trim();
            if (!pair.StartsWith("api-usage=", StringComparison.OrdinalIgnoreCase))
                continue;
            var numbers = pair.Substring("api-usage=".Length).Split('/');
            if (numbers.Length == 2 && long.TryParse(numbers[0], NumberStyles.None, CultureInfo.InvariantCulture, out var used) &&
                long.TryParse(numbers[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
            {
                Interlocked.Exchange(ref _used, used);
                Interlocked.Exchange(ref _max, max);
                return true;
            }
        }

        return false;
    }
}

/// <summary>Reads <c>Sforce-Limit-Info</c> off every answer.</summary>
internal sealed class SalesforceApiUsageHandler(SalesforceApiUsage usage) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues(SalesforceApiUsage.Header, out var values))
        {
            foreach (var value in values)
                usage.Record(value);
        }

        return response;
    }
}
