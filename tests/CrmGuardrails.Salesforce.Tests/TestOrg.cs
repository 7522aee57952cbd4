using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrmGuardrails.Salesforce.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Sdk;

namespace CrmGuardrails.Salesforce.Tests;

/// <summary>An emulated org with a connected app whose certificate the tests hold, and the services signed in to it.</summary>
public sealed class TestOrg : IAsyncDisposable
{
    private static readonly Lazy<X509Certificate2> SharedCertificate = new(CreateCertificate);
    private ServiceProvider? _services;

    private TestOrg(SalesforceEmulator emulator)
    {
        Emulator = emulator;
        emulator.Certificate = Certificate;
    }

    /// <summary>Gets the certificate of the app (a new self-signed RSA key for the test run).</summary>
    public static X509Certificate2 Certificate => SharedCertificate.Value;

    /// <summary>Gets the username the tests sign in as (pre-approved in the emulator).</summary>
    public static string Username => "integration@crmguardrails.example";

    public SalesforceEmulator Emulator { get; }

    public ServiceProvider Services => _services ??= BuildServices();

    public static async Task<TestOrg> StartAsync() => new(await SalesforceEmulator.StartAsync());

    /// <summary>Options signed in with the JWT bearer flow, the contract org's GUID ids accepted.</summary>
    public void Configure(SalesforceDirectoryOptions options)
    {
        options.LoginUrl = Emulator.Url;
        options.ClientId = Emulator.ClientId;
        options.Username = Username;
        options.Certificate = Certificate;
        options.AcceptGuidIds = true;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        options.MaxRetryAfter = TimeSpan.FromSeconds(2);
    }

    public ServiceProvider BuildServices(Action<SalesforceDirectoryOptions>? configure = null, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddCrmGuardrailsSalesforce(o =>
        {
            Configure(o);
            configure?.Invoke(o);
        });
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
            await _services.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=CrmGuardrails test app", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}

/// <summary>The live org's settings from <c>SALESFORCE_*</c> variables, or <see langword="null"/>.</summary>
public sealed record LiveOrgSettings(Uri LoginUrl, string ClientId, string? Username, string? CertificatePath, string? CertificatePassword, string? ClientSecret)
{
    public const string SkipReason =
        "Live Salesforce org not configured: set SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID and either SALESFORCE_USERNAME with SALESFORCE_CERTIFICATE (a .pfx; SALESFORCE_CERTIFICATE_PASSWORD) or SALESFORCE_CLIENT_SECRET to run this variant.";

    public static LiveOrgSettings? Load()
    {
        var url = Environment.GetEnvironmentVariable("SALESFORCE_LOGIN_URL");
        var client = Environment.GetEnvironmentVariable("SALESFORCE_CLIENT_ID");
        var user = Environment.GetEnvironmentVariable("SALESFORCE_USERNAME");
        var certificate = Environment.GetEnvironmentVariable("SALESFORCE_CERTIFICATE");
        var secret = Environment.GetEnvironmentVariable("SALESFORCE_CLIENT_SECRET");
        if (string.IsNullOrWhiteSpace(url) || string.IsNullOrWhiteSpace(client))
            return null;
        if (string.IsNullOrWhiteSpace(secret) && (string.IsNullOrWhiteSpace(user) || string.IsNullOrWhiteSpace(certificate)))
            return null;
        return new LiveOrgSettings(new Uri(url), client, user, certificate, Environment.GetEnvironmentVariable("SALESFORCE_CERTIFICATE_PASSWORD"), secret);
    }

    public void Configure(SalesforceDirectoryOptions options)
    {
        options.LoginUrl = LoginUrl;
        options.ClientId = ClientId;
        if (!string.IsNullOrWhiteSpace(ClientSecret))
        {
            options.Authentication = SalesforceAuthentication.ClientCredentials;
            options.ClientSecret = ClientSecret;
        }
        else
        {
            options.Username = Username;
            options.Certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, CertificatePassword);
        }
    }
}

/// <summary>A fact against the live org, reported as skipped (with the reason) when no live org is configured.</summary>
[XunitTestCaseDiscoverer("Xunit.Sdk.FactDiscoverer", "xunit.execution.{Platform}")]
public sealed class LiveOrgFactAttribute : FactAttribute
{
    public LiveOrgFactAttribute()
    {
        if (LiveOrgSettings.Load() is null)
            Skip = LiveOrgSettings.SkipReason;
    }
}
