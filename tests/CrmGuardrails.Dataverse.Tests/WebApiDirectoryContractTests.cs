using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Dataverse.Keys;
using CrmGuardrails.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Dataverse.Tests;

/// <summary>
/// The directory contract against the Web API directory over the strict emulator. The match keys are written by the
/// package's own <see cref="DataverseMatchKeyWriter"/> (what the webhook and the backfill do), not by the emulator.
/// </summary>
public sealed class WebApiDirectoryContractTests : CrmDirectoryContract
{
    private EmulatorOrg? _org;
    private ServiceProvider? _services;

    protected override int? RequestCount => _org?.Requests.Count;

    protected override async Task<ICrmDirectory> CreateDirectoryAsync(ContractOrg org)
    {
        var emulator = await DataverseEmulator.StartAsync();
        emulator.SeedMatchKeys = false;
        _org = new EmulatorOrg(emulator);
        emulator.Seed([.. org.Users, .. org.Accounts, .. org.Contacts, .. org.InactiveContacts, .. org.Leads, .. org.Activities]);
        foreach (var inactive in org.InactiveContacts)
        {
            var row = emulator.Store.Find("contacts", inactive.Id)!;
            row["statecode"] = 1;
            emulator.Store.Upsert("contacts", row);
        }

        foreach (var team in org.AccountTeam.GroupBy(m => m.AccountId))
            emulator.SeedAccountTeam(team.Key, team.Select(m => m.UserId));

        _services = _org.BuildServices();
        var written = await _services.GetRequiredService<DataverseMatchKeyWriter>().WriteAsync([.. org.Accounts, .. org.Contacts, .. org.Leads]);
        Assert.True(written.Written > 0, "the key writer wrote no keys");
        _org.Requests.Reset();
        return _services.GetRequiredService<ICrmDirectory>();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_services is not null)
            await _services.DisposeAsync();
        if (_org is not null)
            await _org.DisposeAsync();
    }
}
