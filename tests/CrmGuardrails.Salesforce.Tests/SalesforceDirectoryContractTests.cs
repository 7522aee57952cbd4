using CrmGuardrails.Salesforce.Keys;
using CrmGuardrails.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Salesforce.Tests;

/// <summary>
/// The directory contract against the REST directory over the strict emulated org (which answers MALFORMED_QUERY to any
/// query shape the directory is not meant to send). The match keys are written by the package's own
/// <see cref="SalesforceMatchKeyWriter"/>, not by the emulator.
/// </summary>
public sealed class SalesforceDirectoryContractTests : CrmDirectoryContract
{
    private TestOrg? _org;

    protected override int? RequestCount => _org?.Emulator.RequestCount;

    protected override async Task<ICrmDirectory> CreateDirectoryAsync(ContractOrg org)
    {
        _org = await TestOrg.StartAsync();
        _org.Emulator.Seed(org.Records);
        _org.Emulator.Deactivate(org.InactiveContacts.Select(c => c.Id));
        foreach (var team in org.AccountTeam.GroupBy(m => m.AccountId))
            _org.Emulator.SeedAccountTeam(team.Key, team.Select(m => m.UserId));

        var written = await _org.Services.GetRequiredService<SalesforceMatchKeyWriter>().WriteAsync([.. org.Accounts, .. org.Contacts, .. org.Leads]);
        Assert.True(written.Written > 0, "the key writer wrote no keys");
        _org.Emulator.ClearRequests();
        return _org.Services.GetRequiredService<ICrmDirectory>();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_org is not null)
            await _org.DisposeAsync();
    }
}
