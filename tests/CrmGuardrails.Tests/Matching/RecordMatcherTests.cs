using CrmGuardrails.Matching;

namespace CrmGuardrails.Tests.Matching;

public class RecordMatcherTests
{
    private readonly IRecordMatcher _matcher = RecordMatcher.CreateDefault();

    [Fact]
    public void GetKeys_LeadAndAccountOfOneCompany_ShareKeysInEachList()
    {
        var lead = _matcher.GetKeys(new Lead { Company = "Crystal Prime Energy Corp", Email = "brian@Crystal-Prime-Energy.com", Phone = "754-962-8758" });
        var account = _matcher.GetKeys(new Account { Name = "Crystal Prime Energy Inc", Website = "www.crystal-prime-energy.com", Phone = "1-754-962-8751" });

        Assert.Equal("crystal prime energy", lead.NormalizedName);
        Assert.NotEmpty(lead.NameKeys.Intersect(account.NameKeys));
        Assert.Equal(["crystal-prime-energy.com"], lead.Domains);
        Assert.NotEmpty(lead.Phones.Intersect(account.Phones));
        Assert.Contains("+17549628758", lead.Phones);
        Assert.Equal(["brian@crystal-prime-energy.com"], lead.Emails);
    }

    [Fact]
    public void GetKeys_CommonWords_AreNotSingleWordKeys()
    {
        var keys = _matcher.GetKeys(new Account { Name = "Global Systems Solutions Group" });
        Assert.DoesNotContain(keys.NameKeys, k => k is "t:global" or "t:systems" or "t:solutions");
        Assert.Contains(keys.NameKeys, k => k.StartsWith("n:", StringComparison.Ordinal));
    }

    [Fact]
    public void GetKeys_FreeMail_IsNotADomainKey()
    {
        var keys = _matcher.GetKeys(new Lead { Company = "X", Email = "someone@gmail.com" });
        Assert.Empty(keys.Domains);
        Assert.Equal(["someone@gmail.com"], keys.Emails);
    }

    [Fact]
    public void GetKeys_FreeMailAllowList_MakesDomainAKey()
    {
        var matcher = RecordMatcher.Create(new MatchingOptions { FreeMailAllowList = ["yahoo.com"] });
        Assert.Equal(["yahoo.com"], matcher.GetKeys(new Contact { Email = "ceo@yahoo.com" }).Domains);
    }

    [Fact]
    public void MatchAccount_BestCandidate_IsReturnedWithEvidence()
    {
        var right = new Account { Id = "A1", Name = "Stone Airlines", Website = "http://stoneairlines.com", Phone = "(458) 962-6140", City = "Austin" };
        var wrong = new Account { Id = "A2", Name = "Stone Bakery", Website = "http://stonebakery.com", City = "Austin" };
        var lead = new Lead { Company = "Stsne Airlines", Email = "patricia.morgan@stoneairlines.com", Phone = "+14589626140", City = "Austin" };

        var match = _matcher.MatchAccount(lead, [wrong, right], []);

        Assert.NotNull(match);
        Assert.Equal("A1", match!.Account.Id);
        Assert.True(match.Score >= MatchScoreBands.Block);
        Assert.Equal(match.Evidence.OrderByDescending(e => Math.Abs(e.Weight)).Select(e => e.Field), match.Evidence.Select(e => e.Field));
    }

    [Fact]
    public void MatchAccount_NothingAgrees_ReturnsNull()
    {
        var match = _matcher.MatchAccount(new Lead { Company = "Zorblax" }, [new Account { Id = "A", Name = "Quuxor" }], []);
        Assert.Null(match);
    }

    [Fact]
    public void MatchAccount_ContactEmail_FindsTheContactsAccount()
    {
        var account = new Account { Id = "A9", Name = "Peterson & Fisher L.L.C.", Website = "https://www.pffisher.io" };
        var contact = new Contact { Id = "C1", AccountId = "A9", FirstName = "Wei", LastName = "Foster", Email = "weifoster22@icloud.com" };
        var match = _matcher.MatchAccount(new Lead { Company = "peterson & fisher l.l.c.", Email = "weifoster22@icloud.com" }, [account], [contact]);
        Assert.Equal("A9", match?.Account.Id);
        Assert.Contains(match!.Evidence, e => e.Field == "contact-email");
    }

    public static TheoryData<string> HostileText() =>
    [
        new string('x', 1_000_000),
        "\uD800\uDC00\uD800",
        "\uDFFF",
        "=cmd|' /C calc'!A0",
        "'; DROP TABLE accounts; --",
        "<script>alert(1)</script>",
        "\u0000\u0001\u001F",
        "\u202E\u200B\u00AD",
        "@@@.@@",
        "+++++++++++++++++++++++++++++++++",
        "http://[::1]:99999/",
        "xn--zz.\u0130\u0131",
        string.Concat(Enumerable.Repeat("Ltd ", 10_000)),
    ];

    [Theory]
    [MemberData(nameof(HostileText))]
    public void AllMembers_HostileText_NeverThrow(string text)
    {
        var lead = new Lead { Id = text, FirstName = text, LastName = text, Company = text, Email = text, Phone = text, Website = text, Street = text, City = text, PostalCode = text, Country = text };
        var account = new Account { Id = "A", Name = text, Website = text, Phone = text, Email = text, Street = text, City = text, PostalCode = text, Country = text };
        var contact = new Contact { Id = "C", AccountId = "A", FirstName = text, LastName = text, Email = text, Phone = text };

        var keys = _matcher.GetKeys(lead);
        _matcher.GetKeys(account);
        _matcher.GetKeys(contact);
        var match = _matcher.MatchAccount(lead, [account], [contact]);
        _matcher.CompareLeads(lead, lead);

        Assert.All(keys.NameKeys, k => Assert.True(k.Length <= 2 * 1024, "a key must stay small"));
        if (match is not null)
            Assert.InRange(match.Score, 0, 1);
    }

    [Fact]
    public void MatchAccount_NullInputs_ReturnNull()
    {
        Assert.Null(_matcher.MatchAccount(null!, [new Account()], []));
        Assert.Null(_matcher.MatchAccount(new Lead(), null!, null!));
    }

    [Fact]
    public void CompareLeads_NicknameAtSameCompany_IsSamePerson()
    {
        var a = new Lead { FirstName = "Bill", LastName = "Parker", Company = "Brookside Holdings", Email = "bill@brookside.io" };
        var b = new Lead { FirstName = "William", LastName = "PARKER", Company = "Brookside Holdings Co.", Email = "william.parker@brookside.io" };

        var comparison = _matcher.CompareLeads(a, b);

        Assert.Equal(new LeadComparison(SameEmail: false, SamePerson: true, SameCompany: true), comparison);
    }

    [Fact]
    public void CompareLeads_SameEmailDifferentCase_IsSameEmail()
    {
        var comparison = _matcher.CompareLeads(new Lead { Email = "A@X.io" }, new Lead { Email = " a@x.io" });
        Assert.True(comparison.SameEmail);
    }

    [Fact]
    public void CompareLeads_DifferentCompanies_AreNotTheSame()
    {
        var comparison = _matcher.CompareLeads(new Lead { FirstName = "Ann", LastName = "Lee", Company = "Zorblax" }, new Lead { FirstName = "Ann", LastName = "Lee", Company = "Quuxor" });
        Assert.Equal(default, comparison);
    }

    [Theory]
    [InlineData("Southgate Consulting Group", "hbrooks@southgatecg.com", "Northgate Consulting Group", "hbrooks@northgatecg.com")]
    [InlineData("Stirling Insurance Brokers", "jbrown@stirlingib.com", "Sterling Insurance Brokers", "jbrown@sterlingib.co.uk")]
    public void CompareLeads_OnePersonNameAtCompaniesALetterApartWithTheirOwnDomains_AreNotTheSame(string company, string email, string otherCompany, string otherEmail)
    {
        var comparison = _matcher.CompareLeads(
            new Lead { FirstName = "Hannah", LastName = "Brooks", Company = company, Email = email },
            new Lead { FirstName = "Hannah", LastName = "Brooks", Company = otherCompany, Email = otherEmail });

        Assert.Equal(default, comparison);
    }

    [Fact]
    public void CompareLeads_OnePersonNameAtACompanyALetterApart_IsTheSameCompanyNotTheSamePerson()
    {
        var comparison = _matcher.CompareLeads(
            new Lead { FirstName = "David", LastName = "Lee", Company = "Westwood Dental" },
            new Lead { FirstName = "David", LastName = "Lee", Company = "Eastwood Dental" });

        Assert.False(comparison.SamePerson);
    }

    [Theory]
    [InlineData("Robert", "Whitfield", "", "Whitfield, Robert")]
    [InlineData("Wei", "Zhang", "Zhang", "Wei")]
    [InlineData("Thomas", "Mueller", "Thomas", "Müller")]
    [InlineData("Juergen", "Schmidt", "Jürgen", "Schmidt")]
    [InlineData("Maria Jose", "Garcia", "María José", "García López")]
    public void CompareLeads_OnePersonWrittenAnotherWayAtOneCompany_IsTheSamePerson(string first, string last, string otherFirst, string otherLast)
    {
        var comparison = _matcher.CompareLeads(
            new Lead { FirstName = first, LastName = last, Company = "Quillfeather Analytics", Email = "x1@quillfeather.io" },
            new Lead { FirstName = otherFirst, LastName = otherLast, Company = "Quillfeather Analytics", Email = "x2@quillfeather.io" });

        Assert.True(comparison.SamePerson);
    }

    [Fact]
    public void CompareLeads_OneNameAtOnePhoneWithoutACompany_IsTheSamePerson()
    {
        var comparison = _matcher.CompareLeads(
            new Lead { FirstName = "Ann", LastName = "Lee", Phone = "(206) 555-0142", Country = "US" },
            new Lead { FirstName = "Ann", LastName = "Lee", Phone = "+1 206 555 0142", Company = "Zorblax" });

        Assert.True(comparison.SamePerson);
    }

    [Fact]
    public void CompareLeads_OneNameAtTwoSitesOfAnOrganisation_IsNotTheSamePerson()
    {
        var comparison = _matcher.CompareLeads(
            new Lead { FirstName = "Maria", LastName = "Lopez", Company = "St. Mary's Hospital - North Campus" },
            new Lead { FirstName = "Maria", LastName = "Lopez", Company = "St. Mary's Hospital - South Campus" });

        Assert.False(comparison.SamePerson);
    }

    [Fact]
    public void CompareLeads_TwoPeopleOfOneFamilyName_AreNotTheSamePerson()
    {
        var comparison = _matcher.CompareLeads(
            new Lead { FirstName = "Thomas", LastName = "Mueller", Company = "Quillfeather Analytics" },
            new Lead { FirstName = "Thomas", LastName = "Miller", Company = "Quillfeather Analytics" });

        Assert.False(comparison.SamePerson);
    }

    [Fact]
    public void Create_Corpus_UsesItsWordFrequencies()
    {
        var corpus = Enumerable.Range(0, 500).Select(i => new Account { Id = $"A{i}", Name = $"Zorblax Q{i}x" }).ToList();
        var withCorpus = RecordMatcher.Create(corpus);
        var keys = withCorpus.GetKeys(new Account { Name = "Zorblax Unique" });
        var defaultKeys = RecordMatcher.CreateDefault().GetKeys(new Account { Name = "Zorblax Unique" });
        Assert.DoesNotContain("t:zorblax", keys.NameKeys);
        Assert.Contains("t:zorblax", defaultKeys.NameKeys);
    }

    [Fact]
    public void MatchScoreBands_Defaults_AreOrdered()
    {
        Assert.InRange(MatchScoreBands.Flag, 0.01, MatchScoreBands.Block - 0.01);
        Assert.Equal(Verdict.Block, MatchScoreBands.ToVerdict(MatchScoreBands.Block));
        Assert.Equal(Verdict.Flag, MatchScoreBands.ToVerdict(MatchScoreBands.Flag));
        Assert.Equal(Verdict.Allow, MatchScoreBands.ToVerdict(MatchScoreBands.Flag - 0.001));
    }

    [Fact]
    public void MatchAccount_SameDomainNameInAnotherCountry_DoesNotCountAgainst()
    {
        var account = new Account { Id = "a", Name = "Contoso Pharmaceuticals Inc", Website = "https://www.contoso-pharma.com", City = "Boston", Country = "US" };
        var ukSite = new Lead { Company = "Contoso Pharmaceuticals Ltd", Email = "ann@contoso-pharma.co.uk", Country = "GB" };
        var otherDomain = new Lead { Company = "Contoso Pharmaceuticals Ltd", Email = "ann@fabrikam.co.uk", Country = "GB" };

        var matcher = RecordMatcher.CreateDefault();
        var same = matcher.MatchAccount(ukSite, [account], []);
        var other = matcher.MatchAccount(otherDomain, [account], []);

        Assert.DoesNotContain(same!.Evidence, e => e.Field == "domain");
        Assert.Contains(other!.Evidence, e => e.Field == "domain" && e.Weight < 0);
        Assert.True(same.Score > other.Score, $"{same.Score} vs {other.Score}");
    }

    [Theory]
    [InlineData("Joe's Pizza")]
    [InlineData("Smith Holdings")]
    public void MatchAccount_LegalOrTradeName_FindsTheAccountThatHasBoth(string company)
    {
        var account = new Account { Id = "a", Name = "Smith Holdings LLC dba Joe's Pizza", City = "Portland", Country = "US" };
        var lead = new Lead { Company = company, City = "Portland", Country = "US" };

        var match = _matcher.MatchAccount(lead, [account], []);

        Assert.True(match!.Score >= MatchScoreBands.Block, $"score {match.Score}");
        Assert.Contains(_matcher.GetKeys(lead).NameKeys, k => _matcher.GetKeys(account).NameKeys.Contains(k));
    }

    [Fact]
    public void MatchAccount_CompanyTypedAsTheAccountsWebAddress_AgreesOnTheDomain()
    {
        var account = new Account { Id = "a", Name = "Russell & King Corp.", Website = "https://www.russellking.com/en/", Country = "US" };

        var match = _matcher.MatchAccount(new Lead { Company = "russellking.com", Country = "US" }, [account], []);

        Assert.Contains(match!.Evidence, e => e.Field == "domain" && e.Weight > 0);
    }

    [Theory]
    [InlineData("Rllogic.com", "River Logic Inc.", "https://www.rllogic.com/", null)]
    [InlineData("River Logic", "Rllogic.com", null, "jo@rllogic.com")]
    public void MatchAccount_NameTypedAsTheAgreeingWebAddress_IsNotASecondDisagreeingName(string leadName, string accountName, string? website, string? leadEmail)
    {
        var account = new Account { Id = "a", Name = accountName, Website = website, City = "Portland", Country = "US" };

        var match = _matcher.MatchAccount(new Lead { Company = leadName, Email = leadEmail, City = "Portland", Country = "US" }, [account], []);

        Assert.DoesNotContain(match!.Evidence, e => e.Field == "name" && e.Weight < 0);
        Assert.True(match.Score >= MatchScoreBands.Flag, $"score {match.Score}");
    }

    [Theory]
    [InlineData("Chicago, IL")]
    [InlineData("Chicago IL 60602")]
    public void MatchAccount_CityTypedWithItsState_AgreesOnTheCity(string city)
    {
        var account = new Account { Id = "a", Name = "Powell Hospitality", City = "Chicago", Country = "US" };

        var match = _matcher.MatchAccount(new Lead { Company = "Powell Hospitality", City = city, Country = "US" }, [account], []);

        Assert.Contains(match!.Evidence, e => e.Field == "city" && e.Weight > 0);
    }

    [Theory]
    [InlineData("jane.doe+webinar@harborview-dental.com", "jane.doe@harborview-dental.com")]
    [InlineData("janedoe@googlemail.com", "jane.doe@gmail.com")]
    public void MatchAccount_SameMailboxWrittenAnotherWay_IsTheContactsEmail(string leadEmail, string contactEmail)
    {
        var account = new Account { Id = "a", Name = "Harborview Dental", Country = "US" };
        var contact = new Contact { Id = "c", AccountId = "a", FirstName = "Jane", LastName = "Doe", Email = contactEmail };

        var match = _matcher.MatchAccount(new Lead { Company = "Harborview Dental", Email = leadEmail, Country = "US" }, [account], [contact]);

        Assert.Contains(match!.Evidence, e => e.Field == "contact-email");
    }

    [Fact]
    public void MatchAccount_PartOfTheNameWithTheSitesOwnPhoneAndStreet_Blocks()
    {
        var account = new Account { Id = "a", Name = "Fenix at the Argyle", Phone = "213/848-6677", Street = "8358 Sunset Blvd.", City = "West Hollywood", Country = "US" };

        var match = _matcher.MatchAccount(new Lead { Company = "Fenix", Phone = "213-848-6677", Street = "8358 Sunset Boulevard", City = "West Hollywood", Country = "US" }, [account], []);

        Assert.True(match!.Score >= MatchScoreBands.Block, $"score {match.Score}");
    }

    [Fact]
    public void MatchAccount_AnotherBusinessAtTheSamePhoneAndStreet_IsNotBlocked()
    {
        // A hotel's café and its restaurant share the hotel's switchboard and street; each has words of its own.
        var account = new Account { Id = "a", Name = "Restaurant Ritz-Carlton Atlanta", Phone = "404/659-0400", Street = "181 Peachtree St.", City = "Atlanta", Country = "US" };

        var match = _matcher.MatchAccount(new Lead { Company = "Ritz-Carlton Cafe (Atlanta)", Phone = "404-659-0400", Street = "181 Peachtree St.", City = "Atlanta", Country = "US" }, [account], []);

        Assert.True(match is null || match.Score < MatchScoreBands.Block, $"score {match?.Score}");
    }

    [Fact]
    public void MatchAccount_NameTypedAsAnotherWebAddress_StillDisagrees()
    {
        // The lead's email shares the account's domain, but its name is another company's web address.
        var account = new Account { Id = "a", Name = "River Logic Inc.", Website = "https://www.rllogic.com/", Country = "US" };

        var match = _matcher.MatchAccount(new Lead { Company = "bluefinpay.com", Email = "jo@rllogic.com", Country = "US" }, [account], []);

        Assert.Contains(match!.Evidence, e => e.Field == "name" && e.Weight < 0);
    }

    [Theory]
    [InlineData("BetaMotors", "Beta Motors Group")]
    [InlineData("Beta Motors Group", "BetaMotors")]
    public void MatchAccount_WordsRunTogetherAsTheOthersFirstWords_ShareThoseWords(string leadName, string accountName)
    {
        var account = new Account { Id = "a", Name = accountName, Website = "betamotors.com", Country = "US" };

        var match = _matcher.MatchAccount(new Lead { Company = leadName, Website = "betamotors.com", Country = "US" }, [account], []);

        Assert.Contains(match!.Evidence, e => e.Field == "name" && e.Weight > 0);
        Assert.True(match.Score >= MatchScoreBands.Flag, $"score {match.Score}");
    }

    [Fact]
    public void MatchAccount_RunTogetherWordThatSpellsNoPrefix_StillDisagrees()
    {
        var account = new Account { Id = "a", Name = "Beta Motors Group", Country = "US" };

        var match = _matcher.MatchAccount(new Lead { Company = "BetaGroup", Country = "US" }, [account], []);

        Assert.True((match?.Score ?? 0) < MatchScoreBands.Flag, $"score {match?.Score}");
    }

    [Theory]
    [InlineData("BBC", "British Broadcasting Corporation")]
    [InlineData("GEC Ltd", "General Electric Company")]
    [InlineData("WCSO", "Washington County Sheriff's Office")]
    public void MatchAccount_AcronymWithTheLegalFormsInitial_IsAnAcronymMatch(string leadName, string accountName)
    {
        var account = new Account { Id = "a", Name = accountName, City = "London", Country = "GB" };

        var match = _matcher.MatchAccount(new Lead { Company = leadName, City = "London", Country = "GB" }, [account], []);

        Assert.Contains(match!.Evidence, e => e.Field == "name" && e.Weight > 0);
        Assert.Contains(_matcher.GetKeys(new Lead { Company = leadName }).NameKeys, k => _matcher.GetKeys(account).NameKeys.Contains(k));
    }
}
