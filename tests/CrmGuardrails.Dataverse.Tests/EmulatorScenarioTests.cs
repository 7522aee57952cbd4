using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Matching;
using Ids = CrmGuardrails.Dataverse.Emulator.EmulatorScenario.Ids;

namespace CrmGuardrails.Dataverse.Tests;

public sealed class EmulatorScenarioTests
{
    [Fact]
    public async Task Contoso_Scenario_AnswersThroughTheDirectory()
    {
        await using var emulator = await DataverseEmulator.StartAsync();
        emulator.Seed(EmulatorScenario.Contoso());
        await using var org = new EmulatorOrg(emulator);
        var directory = org.CreateDirectory();

        var keys = StoredMatchKeys.Matcher.GetKeys(new Lead { Id = "new", Company = "Contoso", Email = "someone@fabrikam.com" });
        var accounts = (await directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = keys }, CancellationToken.None)).Accounts;
        Assert.Equal(new[] { Ids.Contoso, Ids.Fabrikam }.Order(), accounts.Select(a => a.Id).Order());
        Assert.Equal("Alex Rep", accounts.Single(a => a.Id == Ids.Contoso).OwnerName);
        Assert.Equal("Key Accounts", accounts.Single(a => a.Id == Ids.Fabrikam).OwnerName);

        Assert.Equal([Ids.RepB], await directory.GetAccountTeamAsync(Ids.Contoso, CancellationToken.None));
        Assert.Equal(Ids.Manager, ((User)(await directory.GetAsync(new RecordRef(RecordKind.User, Ids.RepA), CancellationToken.None))!).ManagerId);
        var call = Assert.Single(await directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [new RecordRef(RecordKind.Contact, Ids.ContactAda)] }, CancellationToken.None));
        Assert.Equal(Ids.RepA, call.OwnerId);
        Assert.Equal("Alex Rep", call.OwnerName);
        Assert.Equal(Ids.LeadBob, Assert.Single(await directory.FindOpenLeadsAsync(new LeadQuery { Emails = ["bob@contoso.com"] }, CancellationToken.None)).Id);
    }
}
