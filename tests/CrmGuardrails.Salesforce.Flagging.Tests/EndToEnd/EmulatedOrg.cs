using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrmGuardrails.Embedded;
using CrmGuardrails.Salesforce.Emulator;
using CrmGuardrails.Salesforce.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Salesforce.Flagging.Tests.EndToEnd;

/// <summary>The emulated Salesforce org (sf-rest's emulator on 127.0.0.1) seeded with Fixtures/org-salesforce.json, its match keys written.</summary>
internal sealed class EmulatedOrg : IAsyncDisposable
{
    private static readonly Lazy<X509Certificate2> Certificate = new(() =>
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=CrmGuardrails flag tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    });

    private EmulatedOrg(SalesforceEmulator emulator) => Emulator = emulator;

    public SalesforceEmulator Emulator { get; }

    public static async Task<EmulatedOrg> StartAsync()
    {
        var emulator = await SalesforceEmulator.StartAsync();
        emulator.Certificate = Certificate.Value;
        var snapshot = CrmSnapshot.Load(FlagHost.Fixture("org-salesforce.json"));
        emulator.Seed([.. snapshot.Users, .. snapshot.Accounts, .. snapshot.Contacts, .. snapshot.Leads, .. snapshot.Activities]);
        foreach (var team in snapshot.AccountTeam.GroupBy(m => m.AccountId))
            emulator.SeedAccountTeam(team.Key, team.Select(m => m.UserId));
        var org = new EmulatedOrg(emulator);

        var services = new ServiceCollection();
        org.AddTo(services);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<SalesforceMatchKeyWriter>().WriteAsync([.. snapshot.Accounts, .. snapshot.Contacts, .. snapshot.Leads]);
        return org;
    }

    /// <summary>Registers the Salesforce directory (and whatever the REST package registers with it) signed in to the emulator.</summary>
    public void AddTo(IServiceCollection services) => services.AddCrmGuardrailsSalesforce(o =>
    {
        o.LoginUrl = Emulator.Url;
        o.ClientId = Emulator.ClientId;
        o.Username = "integration@crmguardrails.example";
        o.Certificate = Certificate.Value;
        o.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        o.MaxRetryAfter = TimeSpan.FromSeconds(1);

        // An org that was down is asked again soon: the tests play Salesforce's retries within seconds, not hours.
        o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(1);
    });

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}
