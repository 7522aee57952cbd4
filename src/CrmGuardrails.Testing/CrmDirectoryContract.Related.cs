using CrmGuardrails.Testing.Internal;

namespace CrmGuardrails.Testing;

/// <summary>FindContactsAsync, FindOpenLeadsAsync and GetAccountTeamAsync.</summary>
public abstract partial class CrmDirectoryContract
{
    /// <summary>An account's contacts are its active contacts: all of them, and no inactive one.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindContactsAsync_OneAccount_ReturnsItsActiveContactsOnly()
    {
        var expect = new Expect();
        var found = await Directory.FindContactsAsync(new ContactQuery { AccountIds = [Org.RobertsWright.Id] }, CancellationToken.None);
        var question = "Contacts of Roberts & Wright";
        expect.Contains(found, Org.JaneDoe, question);
        expect.Contains(found, Org.KimWright, question);
        expect.Lacks(found, Org.PeterNguyen, question, "an inactive contact");
        expect.True(found.Count == 2, $"{question}: expected Jane Doe and Kim Wright only, got {Expect.Describe(found)}.");
        foreach (var contact in found)
            expect.True(Expect.SameId(contact.AccountId, Org.RobertsWright.Id), $"{question}: {Expect.Describe(contact)} has the account {contact.AccountId ?? "null"}.");
        expect.Verify();
    }

    /// <summary>The contacts of several accounts are those of each account asked about, and of no other.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindContactsAsync_SeveralAccounts_ReturnsTheContactsOfEach()
    {
        var expect = new Expect();
        var found = await Directory.FindContactsAsync(new ContactQuery { AccountIds = [Org.RobertsWright.Id, Org.CascadeCoffee.Id] }, CancellationToken.None);
        var question = "Contacts of Roberts & Wright and Cascade Coffee";
        expect.Contains(found, Org.JaneDoe, question);
        expect.Contains(found, Org.KimWright, question);
        expect.Contains(found, Org.SamLee, question);
        expect.Lacks(found, Org.AnaRuiz, question, "a contact of the Portland site, not asked about");
        expect.Lacks(found, Org.PeterNguyen, question, "an inactive contact");
        expect.True(found.Count == 3, $"{question}: expected three contacts, got {Expect.Describe(found)}.");
        expect.Verify();
    }

    /// <summary>No more contacts than <see cref="ContactQuery.MaxResults"/>: a limit cuts the answer, it does not empty it.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindContactsAsync_MaxResults_IsHonoured()
    {
        var expect = new Expect();
        var found = await Directory.FindContactsAsync(new ContactQuery { AccountIds = [Org.RobertsWright.Id, Org.CascadeCoffee.Id], MaxResults = 2 }, CancellationToken.None);
        expect.True(found.Count is >= 1 and <= 2, $"Contacts of Roberts & Wright and Cascade Coffee (three), MaxResults = 2: expected one or two, got {Expect.Describe(found)}.");
        var allowed = new[] { Org.JaneDoe, Org.KimWright, Org.SamLee };
        foreach (var contact in found)
            expect.True(allowed.Any(c => Expect.SameId(c.Id, contact.Id)), $"Contacts, MaxResults = 2: {Expect.Describe(contact)} is not an active contact of the accounts.");
        expect.Verify();
    }

    /// <summary>Accounts that do not exist, or malformed ids, have no contacts; and nothing asked finds nothing.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindContactsAsync_UnknownOrMalformedAccounts_ReturnNothing()
    {
        var expect = new Expect();
        foreach (var ids in new IReadOnlyList<string>[] { [], [Guid.NewGuid().ToString("D")], ["not-a-guid", string.Empty, "' or 1 eq 1 or name eq '"] })
        {
            var found = await Directory.FindContactsAsync(new ContactQuery { AccountIds = ids }, CancellationToken.None);
            expect.True(found.Count == 0, $"Contacts of [{string.Join(", ", ids)}]: expected none, got {Expect.Describe(found)}.");
        }

        expect.Verify();
    }

    /// <summary>An email (as the matcher normalises it) finds the open lead typed with it in another case, never a closed lead with the same email.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindOpenLeadsAsync_ByEmail_FindsTheOpenLeadOnly()
    {
        var expect = new Expect();
        var keys = KeysOf(new Lead { Email = "tom.reed@robertswright.com.au" });
        var found = await Directory.FindOpenLeadsAsync(new LeadQuery { Emails = keys.Emails }, CancellationToken.None);
        var question = "Open leads at tom.reed@robertswright.com.au";
        expect.Contains(found, Org.OpenLead, question);
        expect.Lacks(found, Org.DisqualifiedLead, question, "a disqualified lead");
        ExpectOpen(expect, found, question);
        expect.Verify();
    }

    /// <summary>A company typed differently finds the open leads of that company, never the closed ones.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindOpenLeadsAsync_ByCompany_FindsTheOpenLeadsOnly()
    {
        var expect = new Expect();
        var found = await Directory.FindOpenLeadsAsync(new LeadQuery { CompanyKeys = KeysOf(new Lead { Company = "Roberts & Wright Pty Ltd" }) }, CancellationToken.None);
        var question = "Open leads at \"Roberts & Wright Pty Ltd\"";
        expect.Contains(found, Org.OpenLead, question);
        expect.Contains(found, Org.SecondOpenLead, question);
        expect.Lacks(found, Org.DisqualifiedLead, question, "a disqualified lead");
        expect.Lacks(found, Org.OtherOpenLead, question, "a lead at another company");
        ExpectOpen(expect, found, question);
        expect.Verify();
    }

    /// <summary>Asked as the duplicate-lead rule asks (email and company keys together), only open leads come back.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindOpenLeadsAsync_AsTheGuardsAsk_NeverReturnsClosedLeads()
    {
        var expect = new Expect();
        foreach (var lead in new[] { Org.QualifiedLead, Org.DisqualifiedLead, Org.OpenLead })
        {
            var keys = KeysOf(lead with { Id = string.Empty });
            var found = await Directory.FindOpenLeadsAsync(new LeadQuery { Emails = keys.Emails, CompanyKeys = keys }, CancellationToken.None);
            var question = $"Open leads like '{lead.DisplayName}' <{lead.Email}>";
            expect.Lacks(found, Org.QualifiedLead, question, "a qualified lead");
            expect.Lacks(found, Org.DisqualifiedLead, question, "a disqualified lead");
            ExpectOpen(expect, found, question);
        }

        expect.Verify();
    }

    /// <summary>No more leads than <see cref="LeadQuery.MaxResults"/>.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindOpenLeadsAsync_MaxResults_IsHonoured()
    {
        var expect = new Expect();
        var keys = KeysOf(new Lead { Company = "Roberts & Wright" });
        var found = await Directory.FindOpenLeadsAsync(new LeadQuery { CompanyKeys = keys, MaxResults = 1 }, CancellationToken.None);
        expect.True(found.Count == 1, $"Open leads at \"Roberts & Wright\", MaxResults = 1: expected one (there are two), got {Expect.Describe(found)}.");
        expect.Verify();
    }

    /// <summary>A question without emails or keys finds no lead.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindOpenLeadsAsync_NothingAsked_FindsNothing()
    {
        var expect = new Expect();
        var found = await Directory.FindOpenLeadsAsync(new LeadQuery(), CancellationToken.None);
        expect.True(found.Count == 0, $"Open leads for an empty question: expected none, got {Expect.Describe(found)}.");
        expect.Verify();
    }

    /// <summary>An account's team is its members' user ids (the owner is not a member); an account without a team has none.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAccountTeamAsync_ReturnsTheMembers()
    {
        var expect = new Expect();
        foreach (var account in new[] { Org.RobertsWright, Org.CascadeCoffee, Org.BlueHeron })
        {
            var team = await Directory.GetAccountTeamAsync(account.Id, CancellationToken.None);
            var expected = Org.AccountTeam.Where(m => m.AccountId == account.Id).Select(m => m.UserId.ToUpperInvariant()).OrderBy(id => id, StringComparer.Ordinal).ToList();
            var actual = team.Select(id => id.ToUpperInvariant()).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToList();
            expect.True(expected.SequenceEqual(actual), $"Team of '{account.Name}': expected [{string.Join(", ", expected)}], got [{string.Join(", ", team)}].");
        }

        expect.Verify();
    }

    /// <summary>An account that does not exist, or a malformed id, has an empty team; it never throws.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAccountTeamAsync_UnknownOrMalformedAccount_ReturnsEmpty()
    {
        var expect = new Expect();
        foreach (var id in new[] { Guid.NewGuid().ToString("D"), "not-a-guid", string.Empty, Org.JaneDoe.Id, "' or 1 eq 1 or name eq '" })
        {
            try
            {
                var team = await Directory.GetAccountTeamAsync(id, CancellationToken.None);
                expect.True(team.Count == 0, $"Team of \"{id}\": expected none, got [{string.Join(", ", team)}].");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                expect.Fail($"Team of \"{id}\": expected none, but it threw {ex.GetType().Name}: {ex.Message}");
            }
        }

        expect.Verify();
    }

    private static void ExpectOpen(Expect expect, IReadOnlyList<Lead> found, string question)
    {
        foreach (var lead in found)
            expect.True(lead.Status == LeadStatus.Open, $"{question}: {Expect.Describe(lead)} is {lead.Status}, not open.");
    }
}
