using CrmGuardrails.Matching;

namespace CrmGuardrails.Dataverse.Tests;

/// <summary>
/// The same tests against the emulator (always) and a live org (when DATAVERSE_* variables are set; otherwise reported as skipped).
/// Every record gets fresh GUIDs and a unique name token, so a live org's other data cannot interfere.
/// </summary>
public sealed class DirectoryContractTests
{
    private static string NewId() => Guid.NewGuid().ToString("D");

    private sealed class Scenario
    {
        public string Token { get; } = "zq" + Guid.NewGuid().ToString("N").Substring(0, 10);

        public string Domain => Token + ".example";

        public User Owner { get; } = new() { Id = NewId(), Name = "Olga Owner" };

        public Account Account { get; }

        public Account Other { get; }

        public Contact Contact { get; }

        public Lead Lead { get; }

        public Activity Call { get; }

        public Scenario()
        {
            Account = new Account
            {
                Id = NewId(), Name = Token + " Industries GmbH", Website = $"https://www.{Domain}/", Phone = "+4930" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Email = $"info@{Domain}", City = "Berlin", Status = AccountStatus.Customer, OwnerId = Owner.Id,
            };
            Other = new Account { Id = NewId(), Name = "Other " + Token, Status = AccountStatus.Prospect };
            Contact = new Contact { Id = NewId(), AccountId = Account.Id, FirstName = "Ada", LastName = "Lovelace " + Token, Email = $"ada@{Domain}", Phone = "+4930999" + "0001" };
            Lead = new Lead { Id = NewId(), FirstName = "Bob", LastName = "Builder", Company = Token + " Industries", Email = $"bob@{Domain}" };
            Call = new Activity
            {
                Id = NewId(), Type = ActivityType.PhoneCall, Direction = ActivityDirection.Outbound, Status = ActivityStatus.Open,
                Subject = "Call " + Token, Regarding = Account.Ref, Parties = [Contact.Ref],
            };
        }

        public CrmRecord[] All => [Owner, Account, Other, Contact, Lead, Call];
    }

    [Theory]
    [EmulatorOrg]
    [LiveOrg]
    public async Task GetAsync_EachKind_ReturnsRecordWithinOneRequest(string target)
    {
        await using var org = await OrgUnderTest.StartAsync(target);
        var s = new Scenario();
        await org.SeedAsync(s.All);
        var directory = org.CreateDirectory();

        foreach (var record in new CrmRecord[] { s.Account, s.Contact, s.Lead, s.Call })
        {
            org.Requests.Reset();
            var found = await directory.GetAsync(record.Ref, CancellationToken.None);
            Assert.NotNull(found);
            Assert.Equal(record.Kind, found!.Kind);
            Assert.Equal(record.Id, found.Id, ignoreCase: true);
            Assert.True(org.Requests.Count <= 2, $"{record.Kind}: {org.Requests.Count} requests");
        }

        org.Requests.Reset();
        var unknown = await directory.GetAsync(new RecordRef(RecordKind.Unknown, s.Contact.Id), CancellationToken.None);
        Assert.IsType<Contact>(unknown);
        Assert.Equal(1, org.Requests.Count);

        var account = (Account)(await directory.GetAsync(s.Account.Ref, CancellationToken.None))!;
        Assert.Equal(s.Account.Name, account.Name);
        Assert.Equal(AccountStatus.Customer, account.Status);
        Assert.False(string.IsNullOrEmpty(account.OwnerId));
        Assert.False(string.IsNullOrEmpty(account.OwnerName));
        var contact = (Contact)(await directory.GetAsync(s.Contact.Ref, CancellationToken.None))!;
        Assert.Equal(s.Account.Id, contact.AccountId, ignoreCase: true);
        var call = (Activity)(await directory.GetAsync(s.Call.Ref, CancellationToken.None))!;
        Assert.Equal(ActivityType.PhoneCall, call.Type);
        Assert.Equal(s.Account.Ref, call.Regarding);
        Assert.Contains(s.Contact.Ref, call.Parties);
    }

    [Theory]
    [EmulatorOrg]
    [LiveOrg]
    public async Task GetAsync_Missing_ReturnsNull(string target)
    {
        await using var org = await OrgUnderTest.StartAsync(target);
        var directory = org.CreateDirectory();

        Assert.Null(await directory.GetAsync(new RecordRef(RecordKind.Account, NewId()), CancellationToken.None));
        Assert.Null(await directory.GetAsync(new RecordRef(RecordKind.Contact, "not-a-guid"), CancellationToken.None));
    }

    [Theory]
    [EmulatorOrg]
    [LiveOrg]
    public async Task FindAccountsAsync_ByEachKey_FindsAccountInOneRequest(string target)
    {
        await using var org = await OrgUnderTest.StartAsync(target);
        var s = new Scenario();
        await org.SeedAsync(s.All);
        var directory = org.CreateDirectory();

        var queries = new[]
        {
            new MatchKeys { NormalizedName = s.Token + " industries", NameTerms = [s.Token + " industries", s.Token] },
            new MatchKeys { Domains = [s.Domain] },
            new MatchKeys { Emails = [s.Account.Email!] },
            new MatchKeys { Phones = [s.Account.Phone!] },
        };
        foreach (var keys in queries)
        {
            org.Requests.Reset();
            var found = await directory.FindAccountsAsync(new AccountQuery { Keys = keys }, CancellationToken.None);
            Assert.Contains(found, a => string.Equals(a.Id, s.Account.Id, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(found, a => string.Equals(a.Id, s.Other.Id, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(1, org.Requests.Count);
        }

        org.Requests.Reset();
        var byIds = await directory.FindAccountsAsync(new AccountQuery { Ids = [s.Account.Id, s.Other.Id, "junk"] }, CancellationToken.None);
        Assert.Equal(2, byIds.Count);
        Assert.Equal(1, org.Requests.Count);

        org.Requests.Reset();
        Assert.Empty(await directory.FindAccountsAsync(new AccountQuery(), CancellationToken.None));
        Assert.Equal(0, org.Requests.Count);
    }

    [Theory]
    [EmulatorOrg]
    [LiveOrg]
    public async Task FindAccountsAsync_InjectionInName_IsJustAName(string target)
    {
        await using var org = await OrgUnderTest.StartAsync(target);
        var s = new Scenario();
        var evil = new Account { Id = NewId(), Name = s.Token + "x' or name ne '" };
        await org.SeedAsync(s.Account, s.Other, evil);
        var directory = org.CreateDirectory();

        var found = await directory.FindAccountsAsync(new AccountQuery { Keys = new MatchKeys { NameTerms = [evil.Name] } }, CancellationToken.None);

        var only = Assert.Single(found);
        Assert.Equal(evil.Id, only.Id, ignoreCase: true);
        Assert.Equal(evil.Name, only.Name);

        var none = await directory.FindAccountsAsync(new AccountQuery { Keys = new MatchKeys { NameTerms = ["x' or 1 eq 1 or name eq '" + s.Token] } }, CancellationToken.None);
        Assert.Empty(none);
    }

    [Theory]
    [EmulatorOrg]
    [LiveOrg]
    public async Task FindContactsAsync_ByAccountEmailDomainAndPhone_FindsContact(string target)
    {
        await using var org = await OrgUnderTest.StartAsync(target);
        var s = new Scenario();
        await org.SeedAsync(s.All);
        var directory = org.CreateDirectory();

        var queries = new[]
        {
            new ContactQuery { AccountIds = [s.Account.Id] },
            new ContactQuery { Emails = [s.Contact.Email!.ToUpperInvariant()] },
            new ContactQuery { EmailDomains = [s.Domain] },
        };
        foreach (var query in queries)
        {
            org.Requests.Reset();
            var found = await directory.FindContactsAsync(query, CancellationToken.None);
            var contact = Assert.Single(found);
            Assert.Equal(s.Contact.Id, contact.Id, ignoreCase: true);
            Assert.Equal(s.Account.Id, contact.AccountId, ignoreCase: true);
            Assert.True(org.Requests.Count <= 2);
        }
    }

    [Theory]
    [EmulatorOrg]
    [LiveOrg]
    public async Task FindOpenLeadsAsync_ByEmailAndCompany_FindsLead(string target)
    {
        await using var org = await OrgUnderTest.StartAsync(target);
        var s = new Scenario();
        await org.SeedAsync(s.All);
        var directory = org.CreateDirectory();

        foreach (var query in new[]
        {
            new LeadQuery { Emails = [s.Lead.Email!] },
            new LeadQuery { CompanyKeys = new MatchKeys { NormalizedName = s.Token + " industries" } },
            new LeadQuery { CompanyKeys = new MatchKeys { Domains = [s.Domain] } },
        })
        {
            org.Requests.Reset();
            var lead = Assert.Single(await directory.FindOpenLeadsAsync(query, CancellationToken.None));
            Assert.Equal(s.Lead.Id, lead.Id, ignoreCase: true);
            Assert.Equal(LeadStatus.Open, lead.Status);
            Assert.True(org.Requests.Count <= 2);
        }
    }

    [Theory]
    [EmulatorOrg]
    [LiveOrg]
    public async Task FindOpenActivitiesAsync_ByRegardingOrParty_FindsActivity(string target)
    {
        await using var org = await OrgUnderTest.StartAsync(target);
        var s = new Scenario();
        await org.SeedAsync(s.All);
        var directory = org.CreateDirectory();

        foreach (var participant in new[] { s.Account.Ref, s.Contact.Ref })
        {
            org.Requests.Reset();
            var found = await directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [participant] }, CancellationToken.None);
            var call = Assert.Single(found);
            Assert.Equal(s.Call.Id, call.Id, ignoreCase: true);
            Assert.Equal(ActivityStatus.Open, call.Status);
            Assert.Equal(ActivityDirection.Outbound, call.Direction);
            Assert.True(org.Requests.Count <= 2);
        }

        var inbound = await directory.FindOpenActivitiesAsync(
            new ActivityQuery { Participants = [s.Contact.Ref], Direction = ActivityDirection.Inbound }, CancellationToken.None);
        Assert.Empty(inbound);
        Assert.Empty(await directory.FindOpenActivitiesAsync(new ActivityQuery { Participants = [s.Other.Ref] }, CancellationToken.None));
    }
}
