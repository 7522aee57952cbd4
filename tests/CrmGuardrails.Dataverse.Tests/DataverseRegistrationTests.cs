using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Dataverse.Registration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Dataverse.Tests;

public sealed class DataverseRegistrationTests : IAsyncLifetime
{
    private DataverseEmulator _emulator = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _emulator = await DataverseEmulator.StartAsync();
        var create = _emulator.Store.Upsert("sdkmessages", new JsonObject { ["name"] = "Create" });
        var update = _emulator.Store.Upsert("sdkmessages", new JsonObject { ["name"] = "Update" });
        foreach (var (message, entity) in new[] { (create, "lead"), (create, "phonecall"), (update, "lead") })
            _emulator.Store.Upsert("sdkmessagefilters", new JsonObject { ["_sdkmessageid_value"] = message, ["primaryobjecttypecode"] = entity });
        var services = new ServiceCollection();
        services.AddCrmGuardrailsDataverse(_emulator.OrgUrl, _emulator.Credential);
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    private static WebhookRegistration Wanted(string url = "https://guard.example/hook", int rank = 1)
    {
        var registration = new WebhookRegistration { Name = "CrmGuardrails", Url = new Uri(url), AuthValue = "x-api-key: secret" };
        registration.Steps.Add(new WebhookStepRegistration { Message = "Create", PrimaryEntity = "lead", Rank = rank });
        registration.Steps.Add(new WebhookStepRegistration { Message = "Create", PrimaryEntity = "phonecall" });
        return registration;
    }

    private DataverseRegistration Registration => _services.GetRequiredService<DataverseRegistration>();

    [Fact]
    public async Task ApplyAsync_DryRun_ReportsCreatesAndWritesNothing()
    {
        var result = await Registration.ApplyAsync(Wanted(), dryRun: true, CancellationToken.None);

        Assert.True(result.DryRun);
        Assert.Equal(new[] { RegistrationAction.Create, RegistrationAction.Create, RegistrationAction.Create }, result.Changes.Select(c => c.Action));
        Assert.Empty(_emulator.Store.Rows("serviceendpoints"));
        Assert.Empty(_emulator.Store.Rows("sdkmessageprocessingsteps"));
        Assert.DoesNotContain(_emulator.Requests, r => r.Method != "GET");
    }

    [Fact]
    public async Task ApplyAsync_Twice_IsIdempotent()
    {
        var first = await Registration.ApplyAsync(Wanted(), dryRun: false, CancellationToken.None);
        var endpoint = Assert.Single(_emulator.Store.Rows("serviceendpoints"));
        Assert.Equal(8, endpoint["contract"]!.GetValue<int>());
        Assert.Equal("x-api-key: secret", endpoint["authvalue"]!.GetValue<string>());
        var steps = _emulator.Store.Rows("sdkmessageprocessingsteps");
        Assert.Equal(2, steps.Count);
        Assert.All(steps, s => Assert.Equal(first.Changes[0].Id, s["_eventhandler_value"]!.GetValue<string>()));
        Assert.All(steps, s => Assert.Equal(10, s["stage"]!.GetValue<int>()));

        _emulator.ClearRequests();
        var second = await Registration.ApplyAsync(Wanted(), dryRun: false, CancellationToken.None);

        Assert.True(second.IsUpToDate);
        Assert.Equal(first.Changes.Select(c => c.Id), second.Changes.Select(c => c.Id));
        Assert.DoesNotContain(_emulator.Requests, r => r.Method != "GET");
        Assert.Equal(2, _emulator.Store.Rows("sdkmessageprocessingsteps").Count);
    }

    [Fact]
    public async Task ApplyAsync_Changed_UpdatesOnlyWhatDiffers()
    {
        await Registration.ApplyAsync(Wanted(), dryRun: false, CancellationToken.None);

        var dry = await Registration.ApplyAsync(Wanted("https://guard.example/v2", rank: 5), dryRun: true, CancellationToken.None);
        Assert.Equal(RegistrationAction.Update, dry.Changes[0].Action);
        Assert.Equal("https://guard.example/hook", Assert.Single(_emulator.Store.Rows("serviceendpoints"))["url"]!.GetValue<string>());

        var result = await Registration.ApplyAsync(Wanted("https://guard.example/v2", rank: 5), dryRun: false, CancellationToken.None);

        Assert.Equal(new[] { RegistrationAction.Update, RegistrationAction.Update, RegistrationAction.Unchanged }, result.Changes.Select(c => c.Action));
        Assert.Contains("url", result.Changes[0].ChangedColumns);
        Assert.Equal(new[] { "rank" }, result.Changes[1].ChangedColumns);
        Assert.Equal("https://guard.example/v2", Assert.Single(_emulator.Store.Rows("serviceendpoints"))["url"]!.GetValue<string>());
        Assert.Contains(_emulator.Store.Rows("sdkmessageprocessingsteps"), s => s["rank"]!.GetValue<int>() == 5);
    }

    [Fact]
    public async Task ApplyAsync_UnknownTable_Throws()
    {
        var registration = Wanted();
        registration.Steps.Add(new WebhookStepRegistration { Message = "Create", PrimaryEntity = "x' or name ne '" });

        await Assert.ThrowsAsync<DataverseException>(() => Registration.ApplyAsync(registration, dryRun: true, CancellationToken.None));
    }

    [Fact]
    public async Task ApplyAsync_AsyncOutsidePostOperation_EnsureValidationError()
    {
        var registration = Wanted();
        registration.Steps.Add(new WebhookStepRegistration { Mode = StepMode.Asynchronous, Stage = StepStage.PreValidation });

        var error = await Assert.ThrowsAsync<ValidationException>(() => Registration.ApplyAsync(registration, dryRun: true, CancellationToken.None));
        Assert.Contains("PostOperation", error.Message, StringComparison.Ordinal);
    }
}
