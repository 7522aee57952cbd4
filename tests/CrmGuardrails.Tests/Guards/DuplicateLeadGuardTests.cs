using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Guards;

public class DuplicateLeadGuardTests
{
    [Fact]
    public async Task Evaluate_SameEmailAsAnotherUsersOpenLead_Blocks()
    {
        var result = await new Org().CreateAsync(new Lead { Id = "l-new", FirstName = "Omar", LastName = "Haddad", Company = "Proseware Inc", Email = "omar@proseware.io" }, "u3");

        Assert.Equal(Verdict.Block, result.Verdict);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(RuleIds.DuplicateLead, finding.RuleId);
        Assert.Equal("l-omar", finding.Collision!.Record.Id);
        Assert.Equal("u2", finding.Collision.OwnerId);
        Assert.Contains("Talk to Jon", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_SameEmailAnotherName_SaysTheEmailIsWhatTheyShare()
    {
        var result = await new Org().CreateAsync(new Lead { Id = "l-new", FirstName = "Noah", LastName = "Finch", Company = "Proseware Inc", Email = "omar@proseware.io" }, "u3");

        Assert.Equal(Verdict.Block, result.Verdict);
        Assert.Equal("omar@proseware.io is already the email of Omar Haddad (Proseware), an open lead owned by Jon Berg. Talk to Jon instead of adding a second lead.", result.Findings[0].Message);
    }

    [Theory]
    [InlineData("Anna", "Kim", "info@proseware.io", Verdict.Flag)]
    [InlineData("Sue", "Haddad", "haddadfamily@gmail.com", Verdict.Allow)]
    [InlineData("Olivia", "Haddad", "haddadfamily@gmail.com", Verdict.Block)]
    [InlineData("Noah", "Finch", "ohaddad@gmail.com", Verdict.Block)]
    public async Task Evaluate_AnotherPersonAtASharedMailbox_IsNotBlockedUnlessTheAddressIsTheOthers(string first, string last, string email, Verdict expected)
    {
        // Omar Haddad's lead uses a shared address; a second lead at it is another person when their given names differ
        // and the address names neither of them (a team's "info@", a family's address).
        var org = new Org().With(new Lead { Id = "l-omar", FirstName = "Omar", LastName = "Haddad", Company = "Proseware", Email = email, OwnerId = "u2" });
        var result = await org.CreateAsync(new Lead { Id = "l-new", FirstName = first, LastName = last, Company = last == "Kim" ? "Proseware" : "Kestrel Bakery", Email = email }, "u3");

        Assert.Equal(expected, result.Verdict);
    }

    [Theory]
    [InlineData("kowalczyk", "kowalcyzk")]
    [InlineData("brown", "brwon")]
    [InlineData("jones whitcombe", "whitcombe")]
    [InlineData("van den berg", "vandenberg")]
    [InlineData("mc allister", "mcallister")]
    public void SameFamilyName_ASlipOrAnotherWayOfWritingIt_IsOneName(string a, string b)
    {
        Assert.True(CrmGuardrails.Matching.Normalization.PersonNameNormalizer.SameFamilyName(a, b));
        Assert.True(CrmGuardrails.Matching.Normalization.PersonNameNormalizer.SameFamilyName(b, a));
    }

    [Theory]
    [InlineData("berg", "borg")]
    [InlineData("whitcombe", "whitmore")]
    public void SameFamilyName_ShortOrOtherNames_AreNotOneName(string a, string b) =>
        Assert.False(CrmGuardrails.Matching.Normalization.PersonNameNormalizer.SameFamilyName(a, b));

    [Theory]
    [InlineData("Sergey", "Sergei")]
    [InlineData("Katherine", "Katie")]
    [InlineData("Francisco", "Paco")]
    [InlineData("Mohammed", "Muhammad")]
    [InlineData("Nikolay", "Nikolai")]
    public void SameGivenName_RomanisationsAndNicknamesPeopleUse_AreOneName(string a, string b) =>
        Assert.True(CrmGuardrails.Matching.Normalization.PersonNameNormalizer.SameGivenName(a, b));

    [Fact]
    public async Task Evaluate_SameNameSameCompanyOtherEmail_Blocks()
    {
        var result = await new Org().CreateAsync(new Lead { Id = "l-new", FirstName = "omar", LastName = "HADDAD", Company = "Proseware", Email = "o.haddad@proseware.io" }, "u3");

        Assert.Equal(Verdict.Block, result.Verdict);
        Assert.Equal("l-omar", result.Findings[0].Collision!.Record.Id);
    }

    [Fact]
    public async Task Evaluate_SameCompanyAnotherPerson_Flags()
    {
        var result = await new Org().CreateAsync(new Lead { Id = "l-new", FirstName = "Eva", LastName = "Stone", Company = "Proseware", Email = "eva@proseware.io" }, "u3");

        Assert.Equal(Verdict.Flag, result.Verdict);
        Assert.Equal(RuleIds.DuplicateLead, result.Findings[0].RuleId);
        Assert.StartsWith("Proseware already has an open lead owned by Jon Berg.", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Individual")]
    [InlineData("Self-employed")]
    [InlineData("N/A")]
    [InlineData("[not provided]")]
    public async Task Evaluate_BothLeadsNameNoCompany_AnotherPersonIsNoDuplicate(string placeholder)
    {
        // Forms that demand a company get "Individual" from people who have none: two such people are not one company.
        var org = new Org().With(new Lead { Id = "l-ann", FirstName = "Ann", LastName = "Lee", Company = placeholder, Email = "ann.lee@gmail.com", OwnerId = "u2" });

        var result = await org.CreateAsync(new Lead { Id = "l-new", FirstName = "Bo", LastName = "Chen", Company = placeholder, Email = "bo.chen@outlook.com" }, "u3");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_NoCompanySamePerson_StillBlocks()
    {
        var org = new Org().With(new Lead { Id = "l-ann", FirstName = "Ann", LastName = "Lee", Company = "Individual", Email = "ann.lee@gmail.com", OwnerId = "u2" });

        var result = await org.CreateAsync(new Lead { Id = "l-new", FirstName = "Ann", LastName = "Lee", Company = "Individual", Email = "ann.lee@gmail.com" }, "u3");

        Assert.Equal(Verdict.Block, result.Verdict);
        Assert.Equal("l-ann", result.Findings[0].Collision!.Record.Id);
    }

    [Fact]
    public async Task Evaluate_SamePersonWithTitleAndSuffix_Blocks()
    {
        var result = await new Org().CreateAsync(new Lead { Id = "l-new", FirstName = "Dr. Omar", LastName = "Haddad Jr.", Company = "Proseware", Email = "o.haddad@proseware.io" }, "u3");

        Assert.Equal(Verdict.Block, result.Verdict);
        Assert.Equal("l-omar", result.Findings[0].Collision!.Record.Id);
    }

    [Fact]
    public async Task Evaluate_SameOwner_Allows()
    {
        var result = await new Org().CreateAsync(new Lead { Id = "l-new", FirstName = "Omar", LastName = "Haddad", Company = "Proseware", Email = "omar@proseware.io" }, "u2");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Theory]
    [InlineData(LeadStatus.Qualified)]
    [InlineData(LeadStatus.Disqualified)]
    public async Task Evaluate_OtherLeadNotOpen_Allows(LeadStatus status)
    {
        var org = new Org().With(new Lead { Id = "l-omar", FirstName = "Omar", LastName = "Haddad", Company = "Proseware", Email = "omar@proseware.io", OwnerId = "u2", Status = status });

        var result = await org.CreateAsync(new Lead { Id = "l-new", FirstName = "Omar", LastName = "Haddad", Company = "Proseware", Email = "omar@proseware.io" }, "u3");

        Assert.Equal(Verdict.Allow, result.Verdict);
    }

    [Fact]
    public async Task Evaluate_SameCompanyFlagTurnedOff_Allows()
    {
        var result = await new Org().CreateAsync(new Lead { Id = "l-new", FirstName = "Eva", LastName = "Stone", Company = "Proseware", Email = "eva@proseware.io" }, "u3", o => o.DuplicateLead.FlagSameCompany = false);

        Assert.Equal(Verdict.Allow, result.Verdict);
    }
}
