using CrmGuardrails.Matching;
using CrmGuardrails.Testing.Internal;

namespace CrmGuardrails.Testing;

/// <summary>FindMatchCandidatesAsync: what a lead may belong to, found by its keys however the records were typed.</summary>
public abstract partial class CrmDirectoryContract
{
    /// <summary>A company name typed differently ("Roberts and Wright") finds the account ("Roberts &amp; Wright Pty Ltd"), returned whole.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_NameTypedDifferently_FindsTheAccount()
    {
        var expect = new Expect();
        foreach (var company in new[] { "Roberts and Wright", "ROBERTS & WRIGHT", "Roberts & Wright Pty. Ltd." })
        {
            var found = await CandidatesAsync(new Lead { Company = company });
            var question = $"Candidates for a lead at \"{company}\"";
            expect.Contains(found.Accounts, Org.RobertsWright, question);
            if (found.Accounts.FirstOrDefault(a => Expect.SameId(a.Id, Org.RobertsWright.Id)) is { } account)
            {
                expect.Equal(Org.RobertsWright.Name, account.Name, $"{question}: the account's Name");
                expect.True(Expect.SameId(Org.RobertsWright.OwnerId, account.OwnerId), $"{question}: the account's OwnerId: expected {Org.RobertsWright.OwnerId}, got {account.OwnerId ?? "null"}.");
                expect.Equal(AccountStatus.Customer, account.Status, $"{question}: the account's Status");
            }
        }

        expect.Verify();
    }

    /// <summary>A website on the account's domain (without scheme, "www" or path) finds the account.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_WebsiteDomain_FindsTheAccount()
    {
        var expect = new Expect();
        foreach (var website in new[] { "robertswright.com.au", "http://WWW.RobertsWright.com.au/" })
        {
            var found = await CandidatesAsync(new Lead { Website = website });
            expect.Contains(found.Accounts, Org.RobertsWright, $"Candidates for a lead with the website \"{website}\"");
        }

        expect.Verify();
    }

    /// <summary>An email on the account's domain finds the account.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_EmailOnTheAccountsDomain_FindsTheAccount()
    {
        var expect = new Expect();
        var found = await CandidatesAsync(new Lead { FirstName = "Ravi", LastName = "Kumar", Email = "ravi.kumar@robertswright.com.au" });
        expect.Contains(found.Accounts, Org.RobertsWright, "Candidates for a lead at ravi.kumar@robertswright.com.au");
        expect.Verify();
    }

    /// <summary>The account's own email address, typed in another case, finds it (a free-mail address: no domain to share).</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_AccountEmail_FindsTheAccount()
    {
        var expect = new Expect();
        var found = await CandidatesAsync(new Lead { Email = "BlueHeronLandscaping@Gmail.com" });
        expect.Contains(found.Accounts, Org.BlueHeron, "Candidates for a lead at BlueHeronLandscaping@Gmail.com");
        expect.Verify();
    }

    /// <summary>The account's phone typed in another format ("+1 206-555-0150" for "(206) 555-0150") finds it.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_PhoneTypedDifferently_FindsTheAccount()
    {
        var expect = new Expect();
        var leads = new[]
        {
            new Lead { Phone = "+1 206-555-0150" },
            new Lead { Phone = "206.555.0150", Country = "US" },
            new Lead { Phone = "+61 2 9555 0150" },
        };
        var accounts = new[] { Org.CascadeCoffee, Org.CascadeCoffee, Org.RobertsWright };
        for (var i = 0; i < leads.Length; i++)
        {
            var found = await CandidatesAsync(leads[i]);
            expect.Contains(found.Accounts, accounts[i], $"Candidates for a lead with the phone \"{leads[i].Phone}\"{(leads[i].Country is { } c ? $" in {c}" : string.Empty)}");
        }

        expect.Verify();
    }

    /// <summary>A contact's email ties a lead to the contact's account even when nothing else does.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_ContactEmail_FindsTheContactAndItsAccount()
    {
        var expect = new Expect();
        var found = await CandidatesAsync(new Lead { FirstName = "Kim", LastName = "Wright", Company = "KW Advisory", Email = "Kim@WrightAdvisory.net" });
        var question = "Candidates for a lead at Kim@WrightAdvisory.net (the email of a contact of Roberts & Wright)";
        expect.Contains(found.Contacts, Org.KimWright, question);
        expect.Contains(found.Accounts, Org.RobertsWright, question);
        expect.Verify();
    }

    /// <summary>The accounts of the contacts found come before the accounts found by the lead's own keys.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_ContactsAccounts_ComeBeforeAccountsSharingKeys()
    {
        var expect = new Expect();
        var found = await CandidatesAsync(new Lead { Company = "Blue Heron Landscaping", Email = "kim@wrightadvisory.net" });
        var question = "Candidates for a lead at \"Blue Heron Landscaping\" with the email of a contact of Roberts & Wright";
        var contactsAccount = IndexOf(found.Accounts, Org.RobertsWright);
        var byName = IndexOf(found.Accounts, Org.BlueHeron);
        expect.True(contactsAccount >= 0 && byName >= 0, $"{question}: expected both accounts, got {Expect.Describe(found.Accounts)}.");
        expect.True(contactsAccount < byName, $"{question}: expected the contact's account first, got {Expect.Describe(found.Accounts)}.");
        expect.Verify();
    }

    /// <summary>No more accounts than <see cref="MatchCandidateQuery.MaxAccounts"/>: a limit cuts the answer, it does not empty it.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_MaxAccounts_IsHonoured()
    {
        var expect = new Expect();
        var lead = new Lead { Company = "Cascade Coffee Roasters", Website = "cascadecoffee.com" };
        var all = await CandidatesAsync(lead);
        var cascade = new CrmRecord[] { Org.CascadeCoffee, Org.CascadePortland };
        expect.True(cascade.All(a => IndexOf(all.Accounts, a) >= 0), $"Candidates for \"Cascade Coffee Roasters\" (cascadecoffee.com): expected both Cascade accounts, got {Expect.Describe(all.Accounts)}.");

        var one = await Directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = KeysOf(lead), MaxAccounts = 1 }, CancellationToken.None);
        expect.True(one.Accounts.Count == 1, $"The same with MaxAccounts = 1: expected one account, got {Expect.Describe(one.Accounts)}.");
        expect.True(one.Accounts.All(a => cascade.Any(c => Expect.SameId(c.Id, a.Id))), $"The same with MaxAccounts = 1: expected a Cascade account, got {Expect.Describe(one.Accounts)}.");
        expect.Verify();
    }

    /// <summary>No more contacts than <see cref="MatchCandidateQuery.MaxContacts"/>: a limit cuts the answer, it does not empty it.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_MaxContacts_IsHonoured()
    {
        var expect = new Expect();
        var lead = new Lead { FirstName = "Dana", LastName = "Fox", Email = "dana.fox@cascadecoffee.com" };
        var all = await CandidatesAsync(lead);
        var cascade = new CrmRecord[] { Org.SamLee, Org.AnaRuiz };
        expect.True(cascade.All(c => IndexOf(all.Contacts, c) >= 0), $"Candidates for a lead at dana.fox@cascadecoffee.com: expected both contacts on the domain, got {Expect.Describe(all.Contacts)}.");

        var one = await Directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = KeysOf(lead), MaxContacts = 1 }, CancellationToken.None);
        expect.True(one.Contacts.Count == 1, $"The same with MaxContacts = 1: expected one contact, got {Expect.Describe(one.Contacts)}.");
        expect.Verify();
    }

    /// <summary>A lead without keys has no candidates.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_EmptyKeys_FindsNothing()
    {
        var expect = new Expect();
        foreach (var keys in new[] { MatchKeys.Empty, KeysOf(new Lead()) })
        {
            var found = await Directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = keys }, CancellationToken.None);
            expect.True(found.Accounts.Count == 0 && found.Contacts.Count == 0, $"Candidates for empty keys: expected none, got {Expect.Describe([.. found.Accounts, .. found.Contacts])}.");
        }

        expect.Verify();
    }

    /// <summary>A lead that shares nothing with the org finds none of its accounts or contacts.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_UnrelatedLead_FindsNoneOfTheOrg()
    {
        var expect = new Expect();
        var found = await CandidatesAsync(new Lead { Company = "Zyxwv Quartz Looms", Email = "ops@zyxwvquartzlooms.example", Phone = "+44 20 7946 0999", Website = "zyxwvquartzlooms.example" });
        foreach (var record in Org.Accounts.Cast<CrmRecord>().Concat(Org.Contacts).Concat(Org.InactiveContacts))
            expect.Lacks([.. found.Accounts, .. found.Contacts], record, "Candidates for \"Zyxwv Quartz Looms\"", "it shares no key with the lead");
        expect.Verify();
    }

    /// <summary>When a directory returns the candidates' teams with them, they are the teams <see cref="ICrmDirectory.GetAccountTeamAsync"/> answers.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task FindMatchCandidatesAsync_AccountTeams_WhenReturned_AreTheAccountsTeams()
    {
        var expect = new Expect();
        var found = await CandidatesAsync(new Lead { Company = "Roberts and Wright", Email = "kim@wrightadvisory.net" });
        if (found.AccountTeams is { } teams)
        {
            foreach (var account in found.Accounts)
            {
                var expected = Org.AccountTeam.Where(m => Expect.SameId(m.AccountId, account.Id)).Select(m => m.UserId.ToUpperInvariant()).OrderBy(id => id, StringComparer.Ordinal);
                var key = teams.Keys.FirstOrDefault(k => Expect.SameId(k, account.Id));
                var actual = key is null ? [] : teams[key].Select(id => id.ToUpperInvariant()).OrderBy(id => id, StringComparer.Ordinal).ToList();
                expect.True(key is not null, $"AccountTeams: expected the team of {Expect.Describe(account)} (a candidate), found no entry.");
                expect.True(expected.SequenceEqual(actual), $"AccountTeams of {Expect.Describe(account)}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}].");
            }
        }

        expect.Verify();
    }

    private ValueTask<MatchCandidates> CandidatesAsync(Lead lead) =>
        Directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = KeysOf(lead) }, CancellationToken.None);

    private static int IndexOf(IEnumerable<CrmRecord> records, CrmRecord record)
    {
        var i = 0;
        foreach (var r in records)
        {
            if (Expect.SameId(r.Id, record.Id))
                return i;
            i++;
        }

        return -1;
    }
}
