using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching;

/// <summary>Organisations kept as one account per site, with or without an account hierarchy.</summary>
public class OrganisationMatchingTests
{
    private static readonly Account Taylor = new() { Id = "hb-taylor", Name = "Henry Booth House - Taylor Day School", Website = "henryboothhouse.org", Phone = "(773) 555-0101", Street = "1200 S Taylor St", City = "Chicago", Country = "US", OwnerId = "u1", Status = AccountStatus.Customer };
    private static readonly Account PillHill = new() { Id = "hb-pill", Name = "Henry Booth House - Pill Hill Development Center", Website = "henryboothhouse.org", Phone = "(773) 555-0202", Street = "9210 S Chappel Ave", City = "Chicago", Country = "US", OwnerId = "u2", Status = AccountStatus.Customer };
    private static readonly Account Hyde = new() { Id = "hb-hyde", Name = "Henry Booth House - Hyde Park Head Start", Website = "henryboothhouse.org", Phone = "(773) 555-0303", Street = "5400 S Lake Park Ave", City = "Chicago", Country = "US", OwnerId = "u3", Status = AccountStatus.Customer };
    private readonly IRecordMatcher _matcher = RecordMatcher.CreateDefault();

    [Fact]
    public void MatchAccount_SiteNamedAndItsPhone_PicksThatSiteOverItsSiblings()
    {
        var lead = new Lead { Company = "Henry Booth House", Email = "ann@henryboothhouse.org", Phone = "773.555.0202", City = "Chicago" };

        var match = _matcher.MatchAccount(lead, [Taylor, PillHill, Hyde], []);

        Assert.NotNull(match);
        Assert.Equal("hb-pill", match!.Account.Id);
        Assert.Null(match.Organisation);
        Assert.True(match.Score >= MatchScoreBands.Block, $"score {match.Score}");
    }

    [Fact]
    public void MatchAccount_SiteNamedAloneWithTheDomainItsSitesShare_FlagsThatSite()
    {
        // Every account of the group uses its domain: shared between its sites, it is still the group's own.
        var group = new Account { Id = "ch", Name = "Cascadia Health", Website = "cascadiahealth.org", Street = "2901 N Central Ave", City = "Phoenix", Country = "US", OwnerId = "u1" };
        var ridge = new Account { Id = "ch-ridge", Name = "Cascadia Health - Cascadia Thunder Ridge Medical Center", Website = "cascadiahealth.org", Street = "5555 W Thunderbird Rd", City = "Glendale", Country = "US", OwnerId = "u2" };
        var desert = new Account { Id = "ch-desert", Name = "Cascadia Health - Cascadia Desert Medical Center", Website = "cascadiahealth.org", Street = "1400 S Dobson Rd", City = "Mesa", Country = "US", OwnerId = "u3" };
        var boswell = new Account { Id = "ch-boswell", Name = "Cascadia Health - Cascadia Boswell Medical Center", Website = "cascadiahealth.org", Street = "10401 W Thomas Rd", City = "Sun City", Country = "US", OwnerId = "u4" };
        var lead = new Lead { Company = "Cascadia Thunder Ridge", Email = "lgriffin@cascadiahealth.org", City = "Glendale", Country = "US" };

        var match = _matcher.MatchAccount(lead, [group, ridge, desert, boswell], []);

        Assert.Equal("ch-ridge", match?.Account.Id);
        Assert.NotNull(match!.Organisation);
        Assert.True(match.Score is >= MatchScoreBands.Flag and < MatchScoreBands.Block, $"score {match.Score}");
    }

    [Theory]
    [InlineData("Ramsay North Shore Private Hospital", "cobrien@ramsayhealth.com.au")]
    [InlineData("North Shore Private Hospital", "cobrien@ramsayhealth.com.au")]
    public void Match_SiteAtItsStreetFromTheOrganisationsDomain_NamesTheSite(string company, string email)
    {
        // The group's domain says which organisation, not another company's; the organisation's name before the site's
        // is how its staff write it. Both come from the parent account the index holds.
        var parent = new Account { Id = "rhc", Name = "Ramsay Health Care Ltd", Website = "https://www.ramsayhealth.com.au", Street = "Level 18, 126 Phillip St", City = "Sydney", PostalCode = "2000", Country = "AU" };
        var site = new Account { Id = "rhc-nsp", Name = "North Shore Private", Website = "https://www.northshoreprivate.com.au", Street = "Westbourne St", City = "St Leonards", PostalCode = "2065", Country = "AU", ParentId = "rhc" };
        var other = new Account { Id = "rhc-gs", Name = "Greenslopes Private Hospital", Website = "https://www.greenslopesprivate.com.au", Street = "Newdegate St", City = "Greenslopes", PostalCode = "4120", Country = "AU", ParentId = "rhc" };
        var matcher = TestSupport.DevSetMatcher.With(parent, site, other);

        var decision = matcher.Match(new Lead { Id = "L", Company = company, Email = email, Street = "Westbourne Street", City = "St Leonards", PostalCode = "2065", Country = "AU" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("rhc-nsp", decision.AccountId);
    }

    [Fact]
    public void MatchAccount_AddressOfOneSite_WinsOverTheSiteWhoseNameTheLeadShares()
    {
        // The lead names the organisation only; the street is Hyde Park's.
        var lead = new Lead { Company = "HENRY BOOTH HOUSE", Street = "5400 South Lake Park Avenue", City = "Chicago", Country = "US" };

        var match = _matcher.MatchAccount(lead, [Taylor, PillHill, Hyde], []);

        Assert.Equal("hb-hyde", match!.Account.Id);
        Assert.Contains(match.Evidence, e => e.Field == "street" && e.Weight > 0);
    }

    [Fact]
    public void MatchAccount_OrganisationNamedWithTheNumberOfASiteNamedOtherwise_NamesThatSite()
    {
        // "St Lukes - Boise" shares the lead's name word for word; the lead's number is St. Luke's Meridian's, whose
        // account does not repeat the organisation's name.
        var parent = new Account { Id = "slhs", Name = "St. Luke's Health System", Website = "stlukesonline.org", Phone = "(208) 381-2222", Street = "999 W Main St", City = "Boise", Country = "US", OwnerId = "u1" };
        var boise = new Account { Id = "sl-boise", Name = "St Lukes - Boise", Website = "stlukesonline.org", Phone = "(208) 381-2000", Street = "190 E Bannock St", City = "Boise", Country = "US", OwnerId = "u2", ParentId = "slhs" };
        var meridian = new Account { Id = "sl-meridian", Name = "Meridian Medical Center", Website = "stlukesonline.org", Phone = "(208) 706-5000", Street = "520 S Eagle Rd", City = "Meridian", Country = "US", OwnerId = "u3", ParentId = "slhs" };
        var lead = new Lead { Company = "St. Luke's", Email = "ann@stlukesonline.org", Phone = "208-706-5000", Country = "US" };

        var match = _matcher.MatchAccount(lead, [parent, boise, meridian], []);

        Assert.NotNull(match);
        Assert.Equal("sl-meridian", match!.Account.Id);
        Assert.True(match.Score >= MatchScoreBands.Flag, $"score {match.Score}");
    }

    [Fact]
    public void MatchAccount_BranchNamedWithoutItsOrganisation_AtTheLeadsStreet_NamesTheBranch()
    {
        // The branch's account does not repeat the bank's name; its domain and the lead's street say it is the lead's site.
        var head = new Account { Id = "skb", Name = "Sparkasse KölnBonn", Website = "https://www.sparkasse-koelnbonn.de", Phone = "0221 226-0", Street = "Hahnenstraße 57", City = "Köln", PostalCode = "50667", Country = "DE", OwnerId = "u1" };
        var branch = new Account { Id = "skb-ehrenfeld", Name = "Filiale Köln-Ehrenfeld", Website = "sparkasse-koelnbonn.de", Phone = "0221 226-3310", Street = "Venloer Str. 357", City = "Köln", PostalCode = "50823", Country = "DE", OwnerId = "u2" };
        var lead = new Lead { Company = "Sparkasse KölnBonn", Email = "katrin@sparkasse-koelnbonn.de", Street = "Venloer Straße 357", City = "Köln", PostalCode = "50823", Country = "DE" };

        var match = _matcher.MatchAccount(lead, [head, branch], []);

        Assert.Equal("skb-ehrenfeld", match?.Account.Id);
    }

    [Theory]
    [InlineData("jason@mccombs.utexas.edu", "mccombs")]
    [InlineData("jason@utexas.edu", "ut")]
    public void MatchAccount_LeadWritingFromASitesOwnSubdomain_NamesThatSite(string email, string expected)
    {
        var university = new Account { Id = "ut", Name = "UT Austin", Website = "https://www.utexas.edu", Phone = "(512) 471-3434", Street = "110 Inner Campus Dr", City = "Austin", Country = "US", OwnerId = "u1" };
        var school = new Account { Id = "mccombs", Name = "McCombs School of Business", Website = "https://www.mccombs.utexas.edu", Phone = "(512) 471-5921", Street = "2110 Speedway", City = "Austin", Country = "US", OwnerId = "u2", ParentId = "ut" };
        var lead = new Lead { Company = "UT-Austin McCombs", Email = email, City = "Austin", Country = "US" };

        var match = _matcher.MatchAccount(lead, [university, school], []);

        Assert.Equal(expected, match?.Account.Id);
    }

    [Fact]
    public void MatchAccount_SubdomainOfAHostingPlatformOrFreeMail_IsNoSite()
    {
        var one = new Account { Id = "a", Name = "Sweet Crumbs Bakery", Website = "sweetcrumbs.wordpress.com", City = "Leeds", Country = "GB", OwnerId = "u1" };
        var lead = new Lead { Company = "Sweet Crumbs Bakery", Email = "jo@sweetcrumbs.wordpress.com", City = "Leeds", Country = "GB" };

        var match = _matcher.MatchAccount(lead, [one], []);

        Assert.Equal("a", match?.Account.Id);
        Assert.DoesNotContain(match!.Evidence, e => e.Weight < 0);
    }

    [Fact]
    public void MatchAccount_OrganisationNamedWithTheNumberOfASiteSharingItsDomain_NamesThatSite()
    {
        // The parishes' accounts begin "Diocese of …", the diocese's "Roman Catholic …": only the domain ties them.
        var diocese = new Account { Id = "dio", Name = "Roman Catholic Diocese of Arlington", Website = "https://www.arlingtondiocese.org", Phone = "(305) 660-3125", Street = "200 N Glebe Rd", City = "Arlington", Country = "US", OwnerId = "u1" };
        var agnes = new Account { Id = "dio-agnes", Name = "Diocese of Arlington - St. Agnes Catholic Church", Website = "https://www.arlingtondiocese.org", Phone = "(855) 959-9276", Street = "1910 N Randolph St", City = "Arlington", Country = "US", OwnerId = "u2" };
        var ann = new Account { Id = "dio-ann", Name = "Diocese of Arlington - St. Ann Parish", Website = "https://www.arlingtondiocese.org", Phone = "(522) 923-2700", Street = "5300 10th St N", City = "Arlington", Country = "US", OwnerId = "u3" };
        var lead = new Lead { Company = "Roman Catholic Diocese of Arlington", Phone = "(855) 959-9276", City = "Arlington", Country = "US" };

        var match = _matcher.MatchAccount(lead, [diocese, agnes, ann], []);

        Assert.Equal("dio-agnes", match?.Account.Id);
    }

    [Fact]
    public void MatchAccount_SiteNamedByItsOwnWordAtItsStreetAddress_FlagsThatSite()
    {
        // Only "Hilliard" is shared, and "Head Start" is another site's; the house number, street and postcode are Hilliard's.
        var hilliard = new Account { Id = "hb-hilliard", Name = "Henry Booth House - Hilliard Center", Website = "henryboothhouse.org", Phone = "(773) 555-0404", Street = "2031 S Clark St", City = "Chicago", PostalCode = "60616", Country = "US", OwnerId = "u4", Status = AccountStatus.Customer };
        var lead = new Lead { Company = "Hilliard Head Start", Email = "grace.ford7@gmail.com", Street = "2031 South Clark Street", City = "Chicago", PostalCode = "60616", Country = "US" };

        var match = _matcher.MatchAccount(lead, [Taylor, PillHill, Hyde, hilliard], []);

        Assert.Equal("hb-hilliard", match?.Account.Id);
        Assert.True(match!.Score is >= MatchScoreBands.Flag and < MatchScoreBands.Block, $"score {match.Score}");
    }

    [Fact]
    public void MatchAccount_CouncilSiteNamedWithItsCouncil_OnTheCouncilsStateGovernmentDomain_IsFlagged()
    {
        // cityofsydney.nsw.gov.au is the council's own domain, not a subdomain of a "nsw.gov.au" organisation.
        var council = new Account { Id = "cos", Name = "City of Sydney", Website = "https://www.cityofsydney.nsw.gov.au", Phone = "(02) 9265 9333", Street = "456 Kent St", City = "Sydney", Country = "AU", OwnerId = "u1" };
        var library = new Account { Id = "cos-customs", Name = "Customs House Library", Website = "cityofsydney.nsw.gov.au", Phone = "(02) 9242 8555", Street = "31 Alfred St", City = "Sydney", Country = "AU", OwnerId = "u2" };
        var square = new Account { Id = "cos-square", Name = "Green Square Library & Plaza", Website = "cityofsydney.nsw.gov.au", Phone = "(02) 8128 5711", Street = "355 Botany Rd", City = "Zetland", Country = "AU", OwnerId = "u3" };
        var lead = new Lead { Company = "City of Sydney - Customs House Library", Email = "bec.obrien@cityofsydney.nsw.gov.au", City = "Sydney", Country = "AU" };

        var match = _matcher.MatchAccount(lead, [council, library, square], []);

        Assert.NotNull(match);
        Assert.True(match!.Score >= MatchScoreBands.Flag, $"score {match.Score}");
        Assert.Contains(match.Account.Id, new[] { "cos", "cos-customs" });
    }

    [Fact]
    public void MatchAccount_AnotherBusinessInTheBuildingWithItsOwnPhone_IsNotFlagged()
    {
        // One building, one street word in both names, two practices with their own numbers.
        var family = new Account { Id = "mfm", Name = "Madison Family Medicine", Website = "https://madisonfamilymed.com", Phone = "(206) 386-2900", Street = "1101 Madison St Suite 300", City = "Seattle", PostalCode = "98104", Country = "US", OwnerId = "u1" };
        var lead = new Lead { Company = "Madison Street Dermatology", Phone = "(206) 215-3300", Street = "1101 Madison St Suite 1050", City = "Seattle", PostalCode = "98104", Country = "US" };

        var match = _matcher.MatchAccount(lead, [family], []);

        Assert.True(match is null || match.Score < MatchScoreBands.Flag, $"score {match?.Score}");
    }

    [Fact]
    public void MatchAccount_StoreNumberOfOneSite_WinsTheTieOfCappedNames()
    {
        // Both names weigh their cap; the store's says more of the lead's name (its number).
        var company = new Account { Id = "bb", Name = "Bluebird Coffee Company", Website = "https://www.bluebirdcoffee.com", Phone = "(206) 559-2603", Street = "1415 4th Ave", City = "Seattle", Country = "US", OwnerId = "u1" };
        var store = new Account { Id = "bb-0587", Name = "Bluebird Coffee #0587", Website = "https://www.bluebirdcoffee.com", Phone = "(206) 559-2603", City = "Seattle", Country = "US", OwnerId = "u2", ParentId = "bb" };
        var pike = new Account { Id = "bb-pike", Name = "Bluebird Coffee - Pike Place", Website = "https://www.bluebirdcoffee.com", Phone = "(206) 559-2603", Street = "1912 Pike Pl", City = "Seattle", Country = "US", OwnerId = "u3", ParentId = "bb" };
        var lead = new Lead { Company = "Bluebird Coffee - Store 0587 Capitol Hill", Email = "nora@gmail.com", Phone = "206.559.2603", City = "Seattle", Country = "US" };

        var match = _matcher.MatchAccount(lead, [company, store, pike], []);

        Assert.Equal("bb-0587", match?.Account.Id);
    }

    [Fact]
    public void MatchAccount_SiteConfirmedByItsOwnPhone_IsNotDividedWithSiblingsThatHaveNone()
    {
        // The sibling weighs as much through the domain, but only the Airport Centre has the lead's number.
        var airport = new Account { Id = "pf-airport", Name = "Prime Finance Recruiting – Airport Centre", Phone = "+447667625623", Street = "8377 Cedar Rd", City = "London", Country = "GB", OwnerId = "u1" };
        var riverside = new Account { Id = "pf-riverside", Name = "Prime Finance Recruiting – Riverside Day Care", Website = "primefinancerecruiting.uk", Street = "12 River St", City = "London", Country = "GB", OwnerId = "u2" };
        var lead = new Lead { Company = "Prime Finance Recruiting", Email = "richard.murphy@primefinancerecruiting.uk", Phone = "0766 7625623", City = "London", Country = "GB" };

        var match = _matcher.MatchAccount(lead, [riverside, airport], []);

        Assert.Equal("pf-airport", match?.Account.Id);
        Assert.True(match!.Score >= MatchScoreBands.Flag, $"score {match.Score}");
    }

    [Fact]
    public void MatchAccount_SiteNamedInFullInItsCity_IsNotDividedWithASiblingThatHasOnlyTheDomain()
    {
        var downtown = new Account { Id = "ss-downtown", Name = "Swift Shipping: Downtown Center", Phone = "260.629.8529", Street = "1013 Main Avenue", City = "Austin", Country = "US", OwnerId = "u1" };
        var west = new Account { Id = "ss-west", Name = "Swift Shipping: West Office", Website = "ssshipping.net", City = "Chicago", Country = "US", OwnerId = "u2" };
        var clinic = new Account { Id = "ss-clinic", Name = "Swift Shipping: Old Town Clinic", Website = "ssshipping.net", City = "Chicago", Country = "US", OwnerId = "u3" };
        var lead = new Lead { Company = "Swift Shipping: Downtown Center", Email = "edward.williams@ssshipping.net", City = "Austin", Country = "US" };

        var match = _matcher.MatchAccount(lead, [west, clinic, downtown], []);

        // Divided with the West Office (as much weight, through the domain), it scored about 0.5.
        Assert.Equal("ss-downtown", match?.Account.Id);
        Assert.True(match!.Score >= 0.9, $"score {match.Score}");
    }

    [Fact]
    public void MatchAccount_NewSiteNamedForItsSuburbWithTheGroupsNumber_IsNeverBlocked()
    {
        // "Paddington" and "Bondi Junction" are places, so the names read alike; the cities say these are two sites.
        var group = new Account { Id = "cm", Name = "Coastal Medical Group Pty Ltd", Website = "https://www.coastalmedical.com.au", Phone = "+61 2 9792 4923", Street = "Level 4, 1 Oxford St", City = "Darlinghurst", PostalCode = "2010", Country = "AU", OwnerId = "u1" };
        var bondi = new Account { Id = "cm-bondi", Name = "Coastal Medical - Bondi Junction", Website = "https://www.coastalmedical.com.au", Phone = "+61 2 9792 4923", Street = "500 Oxford St", City = "Bondi Junction", PostalCode = "2022", Country = "AU", OwnerId = "u2", ParentId = "cm" };
        var coogee = new Account { Id = "cm-coogee", Name = "Coastal Medical Group Coogee", Website = "https://www.coastalmedical.com.au", Phone = "+61 2 9792 4923", Street = "200 Arden St", City = "Coogee", PostalCode = "2034", Country = "AU", OwnerId = "u3", ParentId = "cm" };
        var lead = new Lead { Company = "Coastal Medical - Paddington", Email = "ruby.russell23@gmail.com", Phone = "(02) 9792 4923", City = "Paddington", Country = "AU" };

        var match = _matcher.MatchAccount(lead, [group, bondi, coogee], []);

        Assert.NotNull(match);
        Assert.True(match!.Score < MatchScoreBands.Block, $"score {match.Score} for {match.Account.Id}");
    }

    [Fact]
    public void MatchAccount_StreetWithoutItsNumber_IsNotAnotherStreet()
    {
        var mairie = new Account { Id = "m7", Name = "Mairie Lyon 7e", Website = "https://mairie7.lyon.fr", Street = "16 Place Jean Macé", City = "Lyon", PostalCode = "69007", Country = "FR", OwnerId = "u1" };
        var lead = new Lead { Company = "Mairie Lyon 7e", Street = "Place Jean Macé", City = "Lyon", PostalCode = "69007", Country = "FR" };

        var match = _matcher.MatchAccount(lead, [mairie], []);

        var street = Assert.Single(match!.Evidence, e => e.Field == "street");
        Assert.Equal(0, street.Weight);
    }

    [Fact]
    public void MatchAccount_OrganisationNamedInTheCityOfOneSite_NamesThatSite()
    {
        // The lead names the organisation only, from its domain; the head office in San Francisco is named most like
        // it, the branch in Katy is where the lead is.
        var head = new Account { Id = "wf", Name = "Wells Fargo & Company", Website = "https://www.wellsfargo.com", Phone = "(511) 467-5717", Street = "420 Montgomery St", City = "San Francisco", Country = "US", OwnerId = "u1" };
        var houston = new Account { Id = "wf-westheimer", Name = "Wells Fargo Bank - Westheimer Branch", Website = "https://www.wellsfargo.com", Phone = "(481) 469-1071", Street = "5600 Westheimer Rd", City = "Houston", Country = "US", OwnerId = "u2" };
        var katy = new Account { Id = "wf-katy", Name = "Wells Fargo Bank - Katy Branch", Website = "https://www.wellsfargo.com", Phone = "(743) 313-6825", Street = "1515 S Mason Rd", City = "Katy", Country = "US", OwnerId = "u3" };
        var lead = new Lead { Company = "Wells Fargo - Katy TX", Email = "sbrooks@wellsfargo.com", City = "Katy", Country = "US" };

        var match = _matcher.MatchAccount(lead, [head, houston, katy], []);

        Assert.NotNull(match);
        Assert.NotNull(match!.Organisation);
        Assert.Equal("wf-katy", match.Account.Id);
    }

    [Fact]
    public void MatchAccount_NewSiteOfKnownOrganisation_IsAnOrganisationMatchNeverABlock()
    {
        var lead = new Lead { Company = "Henry Booth House - Englewood Family Center", Email = "kim@henryboothhouse.org", Phone = "(773) 555-0909", Street = "6300 S Halsted St", City = "Chicago", Country = "US" };

        var match = _matcher.MatchAccount(lead, [Taylor, PillHill, Hyde], []);

        Assert.NotNull(match);
        Assert.NotNull(match!.Organisation);
        Assert.Equal("Henry Booth House", match.Organisation!.Name);
        Assert.Equal(3, match.Organisation.AccountIds.Count);
        Assert.True(match.Score >= MatchScoreBands.Flag, $"score {match.Score}");
    }

    [Fact]
    public void MatchAccount_NewSiteWithTheHeadOfficesSwitchboard_IsAnOrganisationMatchNeverABlockOfTheParent()
    {
        // The parent is the head office; the lead names a site no account has, at a new street, with the head office's number.
        var parent = new Account { Id = "nfh", Name = "Northside Family Health", Website = "northsidefamilyhealth.org", Phone = "404.653.2694", Street = "5600 Peachtree Dunwoody Rd", City = "Atlanta", PostalCode = "30342", Country = "US", OwnerId = "u1" };
        var site = new Account { Id = "nfh-dec", Name = "Northside Family Health - Decatur", Website = "northsidefamilyhealth.org", Phone = "404.653.2700", Street = "200 Clairemont Ave", City = "Decatur", PostalCode = "30030", Country = "US", OwnerId = "u2", ParentId = "nfh" };
        var lead = new Lead { Company = "Northside Family Health - Roswell", Email = "mturner@northsidefamilyhealth.org", Phone = "(404) 653-2694", Street = "1000 Holcomb Bridge Rd", City = "Roswell", PostalCode = "30076", Country = "US" };

        var match = _matcher.MatchAccount(lead, [parent, site], []);

        Assert.NotNull(match);
        Assert.NotNull(match!.Organisation);
        Assert.True(match.Score >= MatchScoreBands.Flag, $"score {match.Score}");
    }

    [Fact]
    public void MatchAccount_NewStoreNumberOfAChain_IsAnOrganisationMatch_AndAKnownStoreAtItsAddressIsBlocked()
    {
        // A chain keeps each store as an account named by its number.
        Account[] stores =
        [
            new() { Id = "w1", Name = "Walgreens #1234", Website = "walgreens.com", Phone = "(312) 555-0101", Street = "100 W Madison St", City = "Chicago", PostalCode = "60602", Country = "US", OwnerId = "u1" },
            new() { Id = "w2", Name = "Walgreens #2345", Website = "walgreens.com", Phone = "(312) 555-0102", Street = "200 N State St", City = "Chicago", PostalCode = "60601", Country = "US", OwnerId = "u2" },
            new() { Id = "w3", Name = "Walgreens #3456", Website = "walgreens.com", Phone = "(773) 555-0103", Street = "3000 N Clark St", City = "Chicago", PostalCode = "60657", Country = "US", OwnerId = "u3" },
        ];

        var newStore = _matcher.MatchAccount(new Lead { Company = "Walgreens #9999", Street = "55 E Randolph St", City = "Chicago", PostalCode = "60601", Country = "US" }, stores, []);
        var knownStore = _matcher.MatchAccount(new Lead { Company = "Walgreens Store 2345", Street = "200 N State Street", City = "Chicago", Country = "US" }, stores, []);

        Assert.NotNull(newStore?.Organisation);
        Assert.True(newStore!.Score >= MatchScoreBands.Flag, $"score {newStore.Score}");
        Assert.Equal("w2", knownStore!.Account.Id);
        Assert.Null(knownStore.Organisation);
        Assert.True(knownStore.Score >= MatchScoreBands.Block, $"score {knownStore.Score}");
    }

    [Fact]
    public void MatchAccount_SiteNamedAloneWithItsAddress_BlocksThatSite()
    {
        // People call a school or a clinic by its own name, without its organisation's.
        var lead = new Lead { Company = "Taylor Day School", Street = "1200 S. Taylor Street", City = "Chicago", Country = "US" };

        var match = _matcher.MatchAccount(lead, [Taylor, PillHill, Hyde], []);

        Assert.Equal("hb-taylor", match!.Account.Id);
        Assert.Null(match.Organisation);
        Assert.True(match.Score >= MatchScoreBands.Block, $"score {match.Score}");
        Assert.Contains(match.Evidence, e => e.Field == "name" && e.Weight > 0);
    }

    [Theory]
    [InlineData("Booth Taylor Day School")]
    [InlineData("Henry Taylor Day School")]
    public void MatchAccount_SiteNamedWithPartOfItsOrganisationsName_IsThatSite(string company)
    {
        // The site's own words and a word of its organisation's ("Decatur Family Clinic" for "Northside Family Health -
        // Decatur Clinic"): with the city alone, a flag on that site.
        var lead = new Lead { Company = company, City = "Chicago", Country = "US" };

        var match = _matcher.MatchAccount(lead, [Taylor, PillHill, Hyde], []);

        Assert.Equal("hb-taylor", match!.Account.Id);
        Assert.True(match.Score >= MatchScoreBands.Flag, $"score {match.Score}");
    }

    [Fact]
    public void MatchAccount_PartOfASitesName_IsNotTheSiteNamedAlone()
    {
        // "Day School" is not all of "Taylor Day School": the name does not agree.
        var lead = new Lead { Company = "Day School", City = "Chicago", Country = "US" };

        var match = _matcher.MatchAccount(lead, [Taylor, PillHill, Hyde], []);

        Assert.True(match is null || match.Score < MatchScoreBands.Flag, $"score {match?.Score}");
    }

    [Fact]
    public void MatchAccount_OrganisationOnly_CannotTellTheSite()
    {
        var lead = new Lead { Company = "Henry Booth House", Email = "lee@henryboothhouse.org" };

        var match = _matcher.MatchAccount(lead, [Taylor, PillHill, Hyde], []);

        // The organisation is certain (its words and its domain), the site is not: flagged, never blocked.
        Assert.NotNull(match?.Organisation);
        Assert.True(match!.Score >= MatchScoreBands.Flag);
    }

    [Fact]
    public void MatchAccount_HierarchyWithoutSiteNames_MakesSiblingsOneOrganisation()
    {
        var parent = new Account { Id = "p", Name = "Northwind Clinics", Website = "northwindclinics.com", OwnerId = "u1" };
        var east = new Account { Id = "e", Name = "Northwind East", ParentId = "p", Phone = "+1 206 555 0111", Street = "1 East Way", City = "Seattle", OwnerId = "u2" };
        var west = new Account { Id = "w", Name = "Northwind West", ParentId = "p", Phone = "+1 206 555 0122", Street = "9 West Way", City = "Seattle", OwnerId = "u3" };
        var lead = new Lead { Company = "Northwind Clinics", Email = "jo@northwindclinics.com", Street = "77 North Rd", City = "Tacoma" };

        var match = _matcher.MatchAccount(lead, [parent, east, west], []);

        Assert.NotNull(match?.Organisation);
        Assert.Equal("p", match!.Organisation!.ParentId);
        Assert.Equal("Northwind Clinics", match.Organisation.Name);
    }

    [Fact]
    public void MatchAccount_HierarchyAndTheSitesOwnPhone_BlocksThatSite()
    {
        var parent = new Account { Id = "p", Name = "Northwind Clinics", Website = "northwindclinics.com", OwnerId = "u1" };
        var east = new Account { Id = "e", Name = "Northwind Clinics East", ParentId = "p", Website = "northwindclinics.com", Phone = "+1 206 555 0111", OwnerId = "u2" };
        var lead = new Lead { Company = "Northwind Clinics", Email = "jo@northwindclinics.com", Phone = "206-555-0111" };

        var match = _matcher.MatchAccount(lead, [parent, east], []);

        Assert.Equal("e", match!.Account.Id);
        Assert.Null(match.Organisation);
    }

    [Fact]
    public void MatchAccount_DivisionOfASingleAccount_StillBlocks()
    {
        // A region or department after the name is not a site of its own.
        var account = new Account { Id = "a", Name = "River Cloud Ltd", Website = "rivercloud.co.uk", OwnerId = "u1" };
        var lead = new Lead { Company = "River Cloud - EMEA", Email = "sam@rivercloud.co.uk" };

        var match = _matcher.MatchAccount(lead, [account], []);

        Assert.Null(match!.Organisation);
        Assert.True(match.Score >= MatchScoreBands.Block, $"score {match.Score}");
    }

    [Fact]
    public void MatchAccount_CityInTheSitePart_SaysWhereNotWhich()
    {
        var account = new Account { Id = "a", Name = "Spago", Phone = "310/652-4025", Street = "1114 Horn Ave.", City = "Los Angeles" };
        var lead = new Lead { Company = "Spago (Los Angeles)", Phone = "310-652-4025", City = "Los Angeles" };

        var match = _matcher.MatchAccount(lead, [account], []);

        Assert.Contains(match!.Evidence, e => e.Field == "name" && e.Weight > 6);
    }

    [Theory]
    [InlineData("Liberty Builders Nantes", "Liberty Builders")]
    [InlineData("Liberty Builders", "Liberty Builders Nantes")]
    [InlineData("Spago Beverly Hills", "Spago")]
    [InlineData("Liberty Builders Inc. Nantes", "Liberty Builders Inc.")]
    public void MatchAccount_NameEndsWithTheCityBothAreIn_MatchesAsTheSameName(string leadName, string accountName)
    {
        var city = leadName.Contains("Spago", StringComparison.Ordinal) ? "Beverly Hills" : "Nantes";
        var account = new Account { Id = "a", Name = accountName, City = city };
        var lead = new Lead { Company = leadName, City = city };

        var match = _matcher.MatchAccount(lead, [account], []);

        Assert.Equal("a", match!.Account.Id);
        Assert.True(match.Score >= MatchScoreBands.Flag, $"score {match.Score}");
        Assert.Contains(match.Evidence, e => e.Field == "name" && e.Weight > 6);
    }

    [Theory]
    [InlineData("Lingxi Biopharma Peking", "Peking", "Lingxi Biopharma (Beijing) Co., Ltd.", "Beijing")]
    [InlineData("Liberty Builders München", "München", "Liberty Builders", "Munich")]
    public void MatchAccount_NameEndsWithTheCityUnderAnotherName_MatchesAsTheSameName(string leadName, string leadCity, string accountName, string accountCity)
    {
        var account = new Account { Id = "a", Name = accountName, City = accountCity };

        var match = _matcher.MatchAccount(new Lead { Company = leadName, City = leadCity }, [account], []);

        Assert.Contains(match!.Evidence, e => e.Field == "name" && e.Weight > 6 && e.Detail.Contains("\" = \"", StringComparison.Ordinal));
    }

    [Fact]
    public void MatchAccount_NameEndsWithAnotherCity_StillCountsAgainst()
    {
        // "Liberty Builders Lyon" may be a new site in Lyon: the Nantes account's name must not absorb the word.
        var account = new Account { Id = "a", Name = "Liberty Builders", City = "Nantes" };

        var inLyon = _matcher.MatchAccount(new Lead { Company = "Liberty Builders Lyon", City = "Lyon" }, [account], []);
        var cityUnsaid = _matcher.MatchAccount(new Lead { Company = "Liberty Builders Lyon" }, [account], []);
        var inNantes = _matcher.MatchAccount(new Lead { Company = "Liberty Builders Nantes", City = "Nantes" }, [account], []);

        Assert.True((inLyon?.Score ?? 0) < MatchScoreBands.Flag, $"score {inLyon?.Score}");
        Assert.True((cityUnsaid?.Score ?? 0) < inNantes!.Score, $"{cityUnsaid?.Score} vs {inNantes.Score}");
    }

    [Fact]
    public void MatchAccount_CityWordIsTheWholeName_IsNotAPlace()
    {
        // "Nantes" alone names a company, not where one is: its only word is never set aside.
        var account = new Account { Id = "a", Name = "Nantes Logistique", City = "Nantes" };

        var match = _matcher.MatchAccount(new Lead { Company = "Nantes", City = "Nantes" }, [account], []);

        Assert.True((match?.Score ?? 0) < MatchScoreBands.Block, $"score {match?.Score}");
    }

    [Fact]
    public void MatchAccount_SitesOfOneName_NewAddressIsAnOrganisationMatch_KnownAddressIsThatSite()
    {
        // A chain that keeps every store as an account of the same name, told apart by address alone.
        Account[] stores =
        [
            new() { Id = "s1", Name = "Starbucks", Phone = "(206) 555-0110", Street = "1912 Pike Pl", City = "Seattle", Country = "US" },
            new() { Id = "s2", Name = "Starbucks", Phone = "(206) 555-0120", Street = "400 Pine St", City = "Seattle", Country = "US" },
            new() { Id = "s3", Name = "Starbucks", Phone = "(206) 555-0130", Street = "1600 7th Ave", City = "Seattle", Country = "US" },
        ];

        var newStore = _matcher.MatchAccount(new Lead { Company = "Starbucks", Street = "2200 Western Ave", City = "Seattle", Country = "US" }, stores, []);
        var knownStore = _matcher.MatchAccount(new Lead { Company = "Starbucks", Street = "400 Pine Street", City = "Seattle", Country = "US" }, stores, []);

        Assert.NotNull(newStore!.Organisation);
        Assert.Equal(3, newStore.Organisation!.AccountIds.Count);
        Assert.True(newStore.Score >= MatchScoreBands.Flag, $"score {newStore.Score}"); // an organisation match: flagged, never blocked
        Assert.Equal("s2", knownStore!.Account.Id);
        Assert.Null(knownStore.Organisation);
    }

    [Fact]
    public async Task ExistingCustomerGuard_NewSite_FlagsNamingTheOrganisationAndOwner()
    {
        var directory = new InMemoryCrmDirectory(new CrmSnapshot
        {
            Users = [new User { Id = "u1", Name = "Maria Lopez" }, new User { Id = "u2", Name = "Jon Berg" }, new User { Id = "u3", Name = "Ade Bello" }, new User { Id = "u9", Name = "Pat Prospector" }],
            Accounts = [Taylor, PillHill, Hyde],
        });
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddExistingCustomerGuard().Build();
        var lead = new Lead { Company = "Henry Booth House - Englewood Family Center", Email = "kim@henryboothhouse.org", Street = "6300 S Halsted St", City = "Chicago", Country = "US" };

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(lead, "u9"));

        Assert.Equal(Verdict.Flag, result.Verdict);
        Assert.StartsWith("This lead is part of Henry Booth House: Henry Booth House - ", result.Message, StringComparison.Ordinal);
        Assert.Contains("owned by", result.Message, StringComparison.Ordinal);
        Assert.Equal("Henry Booth House", result.Findings.Single().MessageArguments["Organisation"]);
    }

    [Fact]
    public void Snapshot_ParentThatIsNotAnAccount_IsRejectedNamingTheField()
    {
        var json = """{"users":[{"id":"u1","name":"A"}],"accounts":[{"id":"a1","name":"X","ownerId":"u1","parentId":"nope"}]}""";

        var error = Assert.Throws<InputFormatException>(() => CrmSnapshot.Parse(System.Text.Encoding.UTF8.GetBytes(json), "org.json"));

        Assert.Contains("parentId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_OrganisationNamedInTheCityOfItsHeadOffice_IsNotTheSiteNamedAfterAnotherCity()
    {
        // "Thistle Home - Edinburgh" names its city; a lead in Glasgow is not that site, whatever its name leaves out.
        var head = new Account { Id = "th", Name = "Thistle Home Stores Ltd", Website = "thistlehome.co.uk", Street = "200 St Vincent Street", City = "Glasgow", Country = "GB" };
        var edinburgh = new Account { Id = "th-edi", Name = "Thistle Home - Edinburgh", Website = "thistlehome.co.uk", Street = "85 Princes Street", City = "Edinburgh", Country = "GB", ParentId = "th" };
        var matcher = TestSupport.DevSetMatcher.With(head, edinburgh);

        var decision = matcher.Match(new Lead { Id = "L", Company = "Thistle Home", Email = "morag.duncan@thistlehome.co.uk", City = "Glasgow", Country = "GB" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("th", decision.AccountId);
    }

    [Fact]
    public void Match_SiteNamedAfterTheLeadsCityFromItsPhone_IsThatSiteThoughItsCityIsWrittenOtherwise()
    {
        // Quetzaltenango is "Xela" to everyone there, and the site is called so.
        var head = new Account { Id = "dc", Name = "Súper Don Chepe - Oficinas Centrales", Phone = "2385 1000", City = "Guatemala", Country = "GT" };
        var xela = new Account { Id = "dc-xela", Name = "Súper Don Chepe - Sucursal Xela", Phone = "7763 5522", Street = "4a Calle 15-40 Zona 3", City = "Quetzaltenango", Country = "GT" };
        var matcher = TestSupport.DevSetMatcher.With(head, xela);

        var decision = matcher.Match(new Lead { Id = "L", Company = "Don Chepe Xela", Phone = "7763-5522", City = "Xela", Country = "GT" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("dc-xela", decision.AccountId);
    }

    [Fact]
    public void Match_AnotherUnitAfterAComma_IsANewSiteOfTheOrganisationFlaggedNotBlocked()
    {
        // The city keeps an account per department; another department on its switchboard is a new site, not that one.
        var environment = new Account { Id = "ms-env", Name = "Malmö stad - Miljöförvaltningen", Website = "malmo.se", Phone = "040-34 10 00", Street = "Bergsgatan 17", City = "Malmö", PostalCode = "205 80", Country = "Sweden" };
        var matcher = TestSupport.DevSetMatcher.With(environment);

        var decision = matcher.Match(new Lead { Id = "L", Company = "Malmö stad, Fastighets- och gatukontoret", Email = "sofie.lindberg@malmo.se", Phone = "040-34 10 00", Street = "August Palms plats 1", City = "Malmö", PostalCode = "205 80", Country = "Sweden" });

        Assert.Equal(Verdict.Flag, decision.Verdict);
        Assert.Equal("ms-env", decision.AccountId);
    }

    [Theory]
    [InlineData("SINTEF Ocean AS", "hilde.bjornstad@sintef.no", "40 00 51 00", "Otto Nielsens veg 10", "Trondheim", "Norway")]
    [InlineData("DTU Kemi", "emth@kemi.dtu.dk", "45 25 24 19", "Kemitorvet, Bygning 207", "Kgs. Lyngby", "Denmark")]
    public void Match_AnotherUnitOfTheOrganisationAtAnotherStreet_IsFlaggedNotBlockedOnTheOrganisationsDomainOrSwitchboard(string company, string email, string phone, string street, string city, string country)
    {
        // Institutes of one organisation share its domain and switchboard; each names its own unit, or writes from its own
        // subdomain, at its own street.
        var industri = new Account { Id = "sintef-ind", Name = "SINTEF Industri", Website = "www.sintef.no", Phone = "40 00 51 00", Street = "Strindvegen 4", City = "Trondheim", PostalCode = "7034", Country = "Norway" };
        var kemiteknik = new Account { Id = "dtu-kt", Name = "DTU Kemiteknik", Website = "www.kt.dtu.dk", Phone = "45 25 28 00", Street = "Søltofts Plads, Bygning 228A", City = "Kgs. Lyngby", PostalCode = "2800", Country = "Denmark" };
        var matcher = TestSupport.DevSetMatcher.With(industri, kemiteknik);

        var decision = matcher.Match(new Lead { Id = "L", Company = company, Email = email, Phone = phone, Street = street, City = city, Country = country });

        Assert.Equal(Verdict.Flag, decision.Verdict);
    }

    [Fact]
    public void Match_DepartmentOfAnOrganisationKeptAsOneAccount_IsThatAccount()
    {
        // The department says which part of Scripps, not which company: at the organisation's own street it is Scripps.
        var scripps = new Account { Id = "scripps", Name = "Scripps Research", Website = "www.scripps.edu", Phone = "(858) 784-1000", Street = "10550 North Torrey Pines Road", City = "La Jolla", PostalCode = "92037", Country = "US" };
        var matcher = TestSupport.DevSetMatcher.With(scripps);

        var decision = matcher.Match(new Lead { Id = "L", Company = "THE SCRIPPS RESEARCH INSTITUTE - DEPT OF INTEGRATIVE STRUCTURAL AND COMPUTATIONAL BIOLOGY", Phone = "858-784-9200", Street = "10550 N TORREY PINES RD", City = "LA JOLLA", PostalCode = "92037", Country = "US" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("scripps", decision.AccountId);
    }

    [Fact]
    public void Match_TwoCentresOfOneInstituteAtOneCampusAddressAndSwitchboard_IsFlaggedNotBlocked()
    {
        // Each name says its own centre; the campus's address and switchboard say which campus, not which centre.
        var csrs = new Account { Id = "riken-csrs", Name = "RIKEN Center for Sustainable Resource Science (CSRS)", Website = "csrs.riken.jp", Phone = "+81 45-503-9111", Street = "1-7-22 Suehiro-cho, Tsurumi-ku", City = "Yokohama, Kanagawa", PostalCode = "230-0045", Country = "Japan" };
        var matcher = TestSupport.DevSetMatcher.With(csrs);

        var decision = matcher.Match(new Lead { Id = "L", Company = "RIKEN Center for Integrative Medical Sciences (IMS)", Email = "aya.fujimoto@riken.jp", Phone = "+81 45-503-9111", Street = "1-7-22 Suehiro-cho, Tsurumi-ku", City = "Yokohama", PostalCode = "230-0045", Country = "Japan" });

        Assert.Equal(Verdict.Flag, decision.Verdict);
    }

    [Fact]
    public void Match_InstituteNamedInEnglishFromItsOwnHostUnderTheSocietysDomain_IsThatInstitute()
    {
        // fraunhofer.de is every institute's (IGB shares IPA's street too); ipa.fraunhofer.de is this one's own.
        var society = new Account { Id = "fhg", Name = "Fraunhofer-Gesellschaft", Website = "www.fraunhofer.de", Street = "Hansastraße 27c", City = "München", PostalCode = "80686", Country = "Germany" };
        var ipa = new Account { Id = "fhg-ipa", Name = "Fraunhofer-Institut für Produktionstechnik und Automatisierung IPA", Website = "www.ipa.fraunhofer.de", Phone = "+49 711 970-00", Street = "Nobelstraße 12", City = "Stuttgart", PostalCode = "70569", Country = "Germany", ParentId = "fhg" };
        var ise = new Account { Id = "fhg-ise", Name = "Fraunhofer-Institut für Solare Energiesysteme ISE", Website = "www.ise.fraunhofer.de", Phone = "+49 761 4588-0", Street = "Heidenhofstraße 2", City = "Freiburg im Breisgau", PostalCode = "79110", Country = "Germany", ParentId = "fhg" };
        var igb = new Account { Id = "fhg-igb", Name = "Fraunhofer-Institut für Grenzflächen- und Bioverfahrenstechnik IGB", Website = "www.igb.fraunhofer.de", Street = "Nobelstraße 12", City = "Stuttgart", PostalCode = "70569", Country = "Germany", ParentId = "fhg" };
        var izi = new Account { Id = "fhg-izi", Name = "Fraunhofer-Institut für Zelltherapie und Immunologie IZI", Website = "www.izi.fraunhofer.de", Street = "Perlickstraße 1", City = "Leipzig", PostalCode = "04103", Country = "Germany", ParentId = "fhg" };
        var ilt = new Account { Id = "fhg-ilt", Name = "Fraunhofer-Institut für Lasertechnik ILT", Website = "www.ilt.fraunhofer.de", Street = "Steinbachstraße 15", City = "Aachen", PostalCode = "52074", Country = "Germany", ParentId = "fhg" };
        var matcher = TestSupport.DevSetMatcher.With(society, ipa, ise, igb, izi, ilt);

        var decision = matcher.Match(new Lead { Id = "L", Company = "Fraunhofer Institute for Manufacturing Engineering and Automation IPA", Email = "lisa.hertel@ipa.fraunhofer.de", Website = "www.ipa.fraunhofer.de", Phone = "+49 (0)711 970-1458", Street = "Nobelstrasse 12", City = "Stuttgart-Vaihingen", PostalCode = "70569", Country = "Germany" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("fhg-ipa", decision.AccountId);
    }

    [Fact]
    public void Match_InitialsOverSmallWordsWithTheAccountsNumber_IsTheAccountNotASiteNamedByTheInitials()
    {
        // "SMS" is Secretaria Municipal de Saúde, "de" left out of the initials; its number says which account.
        var secretaria = new Account { Id = "sms", Name = "Secretaria Municipal de Saúde de Piracicaba", Phone = "(19) 3403-1100", Street = "Rua Gomes Carneiro, 1415", City = "Piracicaba", Country = "BR" };
        var upa = new Account { Id = "sms-upa", Name = "SMS Piracicaba - UPA Piracicamirim", Phone = "(19) 3426-6040", Street = "Av. Rio das Pedras, 1355", City = "Piracicaba", Country = "BR" };
        var ubs = new Account { Id = "sms-ubs", Name = "SMS Piracicaba - UBS Vila Cristina", Phone = "(19) 3421-0980", City = "Piracicaba", Country = "BR" };
        var matcher = TestSupport.DevSetMatcher.With(secretaria, upa, ubs);

        var decision = matcher.Match(new Lead { Id = "L", Company = "SMS Piracicaba", Phone = "(19) 3403-1100", Country = "BR" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("sms", decision.AccountId);
    }

    [Theory]
    [InlineData("FreshWay #0430")]
    [InlineData("FRESHWAY 430")]
    public void MatchAccount_StoreNumber_IsNoSlipOfAnotherStoresNumber(string company)
    {
        // Store 0430 is not store 0433 one digit off: another site of the chain, never that store's block.
        var s433 = new Account { Id = "fw-433", Name = "FreshWay #0433", Website = "freshwaymarket.com", City = "Plano", Country = "US", OwnerId = "u1" };

        var match = _matcher.MatchAccount(new Lead { Company = company, Country = "US" }, [s433], []);

        Assert.True(match is null || match.Score < MatchScoreBands.Block, $"score {match?.Score}");
        Assert.DoesNotContain(match?.Evidence ?? [], e => e.Detail.Contains("typo", StringComparison.Ordinal));
    }

    [Fact]
    public void Match_ChainAndStoreNumber_IsThatStoreThoughItsAccountNamesItsFormatAndMall()
    {
        // The store's number says which store; "Express" and the mall are what the account's name says besides.
        var head = new Account { Id = "fw", Name = "FreshWay Market Inc.", Website = "freshwaymarket.com", Phone = "(214) 555-0100", City = "Dallas", Country = "US" };
        var s412 = new Account { Id = "fw-412", Name = "FreshWay #0412", Website = "freshwaymarket.com", Email = "store0412@freshwaymarket.com", Street = "4120 Lemmon Ave", City = "Dallas", Country = "US", ParentId = "fw" };
        var s461 = new Account { Id = "fw-461", Name = "FreshWay #0461", Website = "freshwaymarket.com", Street = "6110 Greenville Ave", City = "Dallas", Country = "US", ParentId = "fw" };
        var s488 = new Account { Id = "fw-488", Name = "FreshWay Express #0488 (NorthPark Center)", Website = "freshwaymarket.com", Phone = "(214) 555-0188", Street = "8687 N Central Expy", City = "Dallas", Country = "US", ParentId = "fw" };
        var matcher = TestSupport.DevSetMatcher.With(head, s412, s461, s488);

        var decision = matcher.Match(new Lead { Id = "L", Company = "FreshWay #488", Email = "store0488@freshwaymarket.com", City = "Dallas", Country = "US" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("fw-488", decision.AccountId);
    }

    [Fact]
    public void Normalize_StoreNumberWithOrWithoutLeadingZeros_IsOneNumber()
    {
        Assert.Equal(CompanyNameNormalizer.Normalize("FreshWay #0488").Tokens, CompanyNameNormalizer.Normalize("FreshWay #488").Tokens);
        Assert.Equal(CompanyNameNormalizer.Normalize("Quick 9 Mart 0327").Tokens, CompanyNameNormalizer.Normalize("QUICK 9 MART 327").Tokens);
    }

    [Theory]
    [InlineData("Claremorris Road Campus", "Castlebar", "F23 X9K4", "094 902 5700", Verdict.Flag, "ci-galway")]
    [InlineData("Dublin Road", "Galway", "H91 T8NW", "+353 91 770 600", Verdict.Block, "ci-galway")]
    public void Match_KnownContactAtAnotherSitesAddress_IsTheOrganisationNotTheirOldSite(string street, string city, string postalCode, string phone, Verdict verdict, string account)
    {
        // A contact's email names a person, and people move between sites: at another street and town, the lead is
        // another site of the organisation (a flag), not the site the contact was filed under (a block).
        Account galway = new() { Id = "ci-galway", Name = "Corrib Institute of Technology - Galway Campus", Website = "corribit.ie", Phone = "+353 91 770 600", Street = "Dublin Road", City = "Galway", PostalCode = "H91 T8NW", Country = "Ireland" };
        Account ennis = new() { Id = "ci-ennis", Name = "Corrib Institute of Technology - Ennis Campus", Website = "corribit.ie", Phone = "+353 65 682 0100", Street = "Gort Road", City = "Ennis", PostalCode = "V95 H2X8", Country = "Ireland" };
        Contact person = new() { Id = "ci-c1", AccountId = "ci-galway", FirstName = "Niamh", LastName = "Kearney", Email = "niamh.kearney@corribit.ie" };
        var matcher = TestSupport.DevSetMatcher.With([galway, ennis], [person]);

        var decision = matcher.Match(new Lead { Id = "L", FirstName = "Niamh", LastName = "Kearney", Company = "Corrib Institute of Technology", Email = "niamh.kearney@corribit.ie", Phone = phone, Street = street, City = city, PostalCode = postalCode, Country = "Ireland" });

        Assert.Equal((verdict, account), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_SiteNamedByTheWordsItsInitialsStandFor_IsThatSite()
    {
        // "ENIS (École Nationale d'Ingénieurs de Sfax)" is one name written twice: its words alone name the site.
        Account university = new() { Id = "us", Name = "Université de Sfax", Website = "uss.rnu.tn", Street = "Route de l'Aéroport km 0.5", City = "Sfax", PostalCode = "3029", Country = "Tunisia" };
        Account school = new() { Id = "us-enis", Name = "Université de Sfax - ENIS (École Nationale d'Ingénieurs de Sfax)", Website = "uss.rnu.tn", Street = "Route de la Soukra km 4", City = "Sfax", PostalCode = "3038", Country = "Tunisia", ParentId = "us" };
        Account medicine = new() { Id = "us-fms", Name = "Université de Sfax - Faculté de Médecine de Sfax", Website = "uss.rnu.tn", Street = "Avenue Majida Boulila", City = "Sfax", PostalCode = "3029", Country = "Tunisia", ParentId = "us" };
        var matcher = TestSupport.DevSetMatcher.With(university, school, medicine);

        var decision = matcher.Match(new Lead { Id = "L", Company = "Ecole Nationale d'Ingenieurs de Sfax", Email = "h.trabelsi@uss.rnu.tn", City = "Sfax", Country = "Tunisia" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("us-enis", decision.AccountId);
    }

    [Fact]
    public void Match_InitialsBeforeTheWordsTheyStandFor_IsTheCompanyOfThoseWords()
    {
        // "PMS - Productos Metálicos del Sur": the initials first, then the name; no site.
        var account = new Account { Id = "pms", Name = "Productos Metálicos del Sur, S.A. de C.V.", Website = "pmsur.com.mx", Phone = "+52 33 3615 2040", Street = "Av. Vallarta 5120", City = "Zapopan", Country = "MX" };
        var matcher = TestSupport.DevSetMatcher.With(account);

        var decision = matcher.Match(new Lead { Id = "L", Company = "PMS - Productos Metálicos del Sur", Phone = "01 33 3615 2040", City = "Zapopan", Country = "MX" });

        Assert.Equal((Verdict.Block, "pms"), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_FranchiseeWithTheBrandsFreephoneNumber_IsFlaggedNotBlockedOnTheFranchisor()
    {
        // The brand's 1-800 number and mailbox serve every franchisee: they say which brand, not which business.
        var brand = new Account { Id = "bw", Name = "Brightline Auto Glass, Inc.", Website = "brightlineglass.com", Phone = "1-800-274-4452", Street = "6525 Busch Blvd", City = "Columbus", PostalCode = "43229", Country = "US" };
        var matcher = TestSupport.DevSetMatcher.With(brand);

        var decision = matcher.Match(new Lead { Id = "L", Company = "Brightline Auto Glass - Boise (Franchise #214)", Email = "boise@brightlineglass.com", Phone = "1-800-274-4452", Street = "5720 W Fairview Ave", City = "Boise", PostalCode = "83706", Country = "US" });

        Assert.Equal((Verdict.Flag, "bw"), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_FreephoneNumberOfASitesOwnAccount_StillNamesThatSite()
    {
        var head = new Account { Id = "dio", Name = "Roman Catholic Diocese of Fairhaven", Website = "fairhavendiocese.org", Phone = "(305) 660-3125", Street = "200 N Glebe Rd", City = "Fairhaven", Country = "US" };
        var church = new Account { Id = "dio-agnes", Name = "Diocese of Fairhaven - St. Agnes Catholic Church", Website = "fairhavendiocese.org", Phone = "(855) 959-9276", Street = "1910 N Randolph St", City = "Fairhaven", Country = "US", ParentId = "dio" };
        var matcher = TestSupport.DevSetMatcher.With(head, church);

        var decision = matcher.Match(new Lead { Id = "L", Company = "Roman Catholic Diocese of Fairhaven", Phone = "(855) 959-9276", City = "Fairhaven", Country = "US" });

        Assert.Equal("dio-agnes", decision.AccountId);
    }

    [Theory]
    [InlineData("0234 960-2700", "Ostring 28", Verdict.Flag)]
    [InlineData("0234 960-0", "Massenbergstraße 15-17", Verdict.Block)]
    public void Match_NameThatAddsAPartAtAnotherStreet_IsAnotherUnitFlaggedNotBlocked(string phone, string street, Verdict verdict)
    {
        // "Netz" (the grid company) at another street and number is a part of the utility, not its head office.
        var account = new Account { Id = "swb", Name = "Stadtwerke Borkum GmbH", Website = "stadtwerke-borkum.de", Phone = "0234 960-0", Street = "Massenbergstraße 15-17", City = "Bochum", PostalCode = "44787", Country = "DE" };
        var matcher = TestSupport.DevSetMatcher.With(account);

        var decision = matcher.Match(new Lead { Id = "L", Company = "Stadtwerke Borkum Netz GmbH", Email = "m.kraemer@stadtwerke-borkum.de", Phone = phone, Street = street, City = "Bochum", PostalCode = "44787", Country = "DE" });

        Assert.Equal((verdict, "swb"), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_OrganisationsNameAtASitesStreet_FindsThatSiteThoughItsOwnNameSharesNoWord()
    {
        // The unit's own name shares no word with the lead's: its parent's name finds it, and its street says which.
        var trust = new Account { Id = "wt", Name = "Wexmoor and Ashcombe Hospitals NHS Foundation Trust", Website = "wah.nhs.uk", Phone = "01632 960000", Street = "Hollins Road", City = "Wexmoor", PostalCode = "WX2 7QH", Country = "GB" };
        var unit = new Account { Id = "wt-miu", Name = "Dunmere Minor Injuries Unit", Website = "wah.nhs.uk", Phone = "01632 960740", Street = "Station Road", City = "Dunmere", PostalCode = "DM7 1AA", Country = "GB", ParentId = "wt" };
        var hospital = new Account { Id = "wt-sa", Name = "St Aldhelm's Hospital", Website = "wah.nhs.uk", Phone = "01632 960720", Street = "Priory Lane", City = "Dunmere", PostalCode = "DM7 2RS", Country = "GB", ParentId = "wt" };
        var matcher = TestSupport.DevSetMatcher.With(trust, unit, hospital);

        var decision = matcher.Match(new Lead { Id = "L", Company = "Wexmoor and Ashcombe Hospitals NHS Foundation Trust", Email = "olu.adeyemi@nhs.net", Street = "Station Road", City = "Dunmere", PostalCode = "DM7 1AA", Country = "GB" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("wt-miu", decision.AccountId);
    }

    [Fact]
    public void Match_KnownContactTypingAnotherCompanysName_IsFlaggedNotBlocked()
    {
        // An accountant refers a client: her own email and number, the client's name. Which company the lead is, only the
        // rep can tell; that she is at the customer, the flag says.
        var firm = new Account { Id = "po", Name = "Pemberton Oakes CPAs", Website = "pembertonoakes.com", Phone = "(214) 954-0300", Street = "2100 Ross Avenue, Suite 1200", City = "Dallas", Country = "US" };
        Contact rosa = new() { Id = "po-c1", AccountId = "po", FirstName = "Rosa", LastName = "Villarreal", Email = "rvillarreal@pembertonoakes.com", Phone = "214-954-0317" };
        var matcher = TestSupport.DevSetMatcher.With([firm], [rosa]);

        var decision = matcher.Match(new Lead { Id = "L", FirstName = "Rosa", LastName = "Villarreal", Company = "Granger Family Law", Email = "rvillarreal@pembertonoakes.com", Phone = "214-954-0317", City = "Dallas", Country = "US" });

        Assert.Equal((Verdict.Flag, "po"), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_SameNameElsewhereAtASharedHealthServiceMailDomain_IsNotBlocked()
    {
        // nhs.net serves thousands of separate practices: it says no more of which practice than gmail.com would.
        var practice = new Account { Id = "elms", Name = "The Elms Medical Practice", Website = "theelmsharpenden.co.uk", Phone = "01582 767591", Street = "5 Stewart Road", City = "Harpenden", PostalCode = "AL5 4QA", Country = "GB" };
        Contact julie = new() { Id = "elms-c1", AccountId = "elms", FirstName = "Julie", LastName = "Marsh", Email = "julie.marsh4@nhs.net" };
        var matcher = TestSupport.DevSetMatcher.With([practice], [julie]);

        var decision = matcher.Match(new Lead { Id = "L", Company = "The Elms Medical Practice", Email = "karen.doherty@nhs.net", Phone = "0151 733 4020", Street = "Elm Hall Drive", City = "Liverpool", PostalCode = "L18 1LN", Country = "UK" });

        Assert.NotEqual(Verdict.Block, decision.Verdict);
    }

    [Theory]
    [InlineData("Thornbury Property Fund II LP")]
    [InlineData("Thornbury Property Fund 3 LP")]
    public void Match_AnotherNumberOfAGroupsCompaniesAtItsAddressAndFromItsManager_IsFlaggedNotBlocked(string company)
    {
        // One manager, one address and one switchboard for every fund: the number is what tells them apart.
        var fund = new Account { Id = "tf1", Name = "Thornbury Property Fund I LP", Website = "thornburyrep.com", Phone = "020 7946 0640", Street = "33 St James's Square", City = "London", PostalCode = "SW1Y 4JS", Country = "GB" };
        Contact manager = new() { Id = "tf1-c1", AccountId = "tf1", FirstName = "Isabel", LastName = "Moreno", Email = "imoreno@thornburyrep.com" };
        var matcher = TestSupport.DevSetMatcher.With([fund], [manager]);

        var other = matcher.Match(new Lead { Id = "L1", FirstName = "Isabel", LastName = "Moreno", Company = company, Email = "imoreno@thornburyrep.com", Phone = "020 7946 0640", Street = "33 St James's Square", City = "London", PostalCode = "SW1Y 4JS", Country = "GB" });
        var same = matcher.Match(new Lead { Id = "L2", FirstName = "Isabel", LastName = "Moreno", Company = "Thornbury Property Fund One LP", Email = "imoreno@thornburyrep.com", Phone = "020 7946 0640", Street = "33 St James's Square", City = "London", PostalCode = "SW1Y 4JS", Country = "GB" });

        Assert.Equal((Verdict.Flag, "tf1"), (other.Verdict, other.AccountId));
        Assert.Equal((Verdict.Block, "tf1"), (same.Verdict, same.AccountId));
    }

    [Fact]
    public void Match_TheAccountsWholeNameWithANumberItLacks_IsTheGroupsNextVehicleFlaggedNotBlocked()
    {
        // "Zuidas Vastgoed II B.V." at the address and switchboard of "Zuidas Vastgoed B.V.": its second vehicle.
        var first = new Account { Id = "zv", Name = "Zuidas Vastgoed B.V.", Website = "zuidasvastgoed.nl", Phone = "+31 20 794 1200", Street = "Gustav Mahlerplein 40", City = "Amsterdam", PostalCode = "1082 MS", Country = "NL" };
        var matcher = TestSupport.DevSetMatcher.With(first);

        var decision = matcher.Match(new Lead { Id = "L", Company = "Zuidas Vastgoed II B.V.", Email = "d.smit@zuidasvastgoed.nl", Phone = "+31 20 794 1200", Street = "Gustav Mahlerplein 40", City = "Amsterdam", PostalCode = "1082 MS", Country = "NL" });

        Assert.Equal((Verdict.Flag, "zv"), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_TheAccountsNameWithANumberInPlaceOfATradeWord_IsTheGroupsNextVehicleFlaggedNotBlocked()
    {
        // "Prairie Sky Wind III, LLC" from the developer's contact, at its address: the third wind farm, not the developer.
        var developer = new Account { Id = "ps", Name = "Prairie Sky Wind Energy LLC", Website = "www.prairieskywind.com", Phone = "(512) 474-3300", Street = "600 Congress Ave, Suite 1850", City = "Austin", PostalCode = "78701", Country = "US" };
        Contact travis = new() { Id = "c1", AccountId = "ps", FirstName = "Travis", LastName = "McAllister", Email = "travis.mcallister@prairieskywind.com", Phone = "(512) 810-5109" };
        var matcher = TestSupport.DevSetMatcher.With([developer], [travis]);

        var third = matcher.Match(new Lead { Id = "L1", FirstName = "Travis", LastName = "McAllister", Company = "Prairie Sky Wind III, LLC", Email = "travis.mcallister@prairieskywind.com", Phone = "(512) 810-5109", Street = "600 Congress Ave, Suite 1850", City = "Austin", PostalCode = "78701", Country = "US" });
        var own = matcher.Match(new Lead { Id = "L2", FirstName = "Travis", LastName = "McAllister", Company = "Prairie Sky Wind Energy", Email = "travis.mcallister@prairieskywind.com", Phone = "(512) 810-5109", Street = "600 Congress Ave, Suite 1850", City = "Austin", PostalCode = "78701", Country = "US" });

        Assert.Equal((Verdict.Flag, "ps"), (third.Verdict, third.AccountId));
        Assert.Equal((Verdict.Block, "ps"), (own.Verdict, own.AccountId));
    }

    [Theory]
    [InlineData("Fondation de la Maison Michel-Sarrazin")]
    [InlineData("Friends of Maison Michel-Sarrazin")]
    public void Match_TheFoundationOfACharityAtItsAddressAndSwitchboard_IsFlaggedNotBlocked(string company)
    {
        // A hospice's foundation raises money for it from its own building and switchboard: a body of its own.
        var hospice = new Account { Id = "mms", Name = "Maison Michel-Sarrazin", Website = "michel-sarrazin.ca", Phone = "418-688-0878", Street = "2101, chemin Saint-Louis", City = "Québec", PostalCode = "G1T 1P5", Country = "CA" };
        var matcher = TestSupport.DevSetMatcher.With(hospice);

        var foundation = matcher.Match(new Lead { Id = "L1", Company = company, Email = "cmorin@fondationmms.ca", Phone = "418-688-0878 poste 240", Street = "2101, chemin Saint-Louis", City = "Québec", PostalCode = "G1T 1P5", Country = "CA" });
        var itself = matcher.Match(new Lead { Id = "L2", Company = "Maison Michel Sarrazin", Email = "cmorin@michel-sarrazin.ca", Phone = "418-688-0878 poste 240", Street = "2101, chemin Saint-Louis", City = "Québec", PostalCode = "G1T 1P5", Country = "CA" });

        Assert.Equal((Verdict.Flag, "mms"), (foundation.Verdict, foundation.AccountId));
        Assert.Equal((Verdict.Block, "mms"), (itself.Verdict, itself.AccountId));
    }

    [Fact]
    public void Match_AUnitNamedFromItsOwnMailHostAtTheGroupsAddress_IsFlaggedNotBlocked()
    {
        // A business group writes from its own host under the group's domain, at the group's address and switchboard.
        var group = new Account { Id = "fse", Name = "Freudenberg SE", Website = "www.freudenberg.com", Phone = "+49 6201 80-0", Street = "Höhnerweg 2-4", City = "Weinheim", PostalCode = "69469", Country = "DE" };
        var matcher = TestSupport.DevSetMatcher.With(group);

        var unit = matcher.Match(new Lead { Id = "L1", Company = "Freudenberg Home and Cleaning Solutions GmbH", Email = "silke.ewald@fhcs.freudenberg.com", Phone = "06201 80-0", Street = "Höhnerweg 2-4", City = "Weinheim", PostalCode = "69469", Country = "DE" });
        var country = matcher.Match(new Lead { Id = "L2", Company = "Freudenberg SE", Email = "silke.ewald@de.freudenberg.com", Phone = "06201 80-0", Street = "Höhnerweg 2-4", City = "Weinheim", PostalCode = "69469", Country = "DE" });

        Assert.Equal((Verdict.Flag, "fse"), (unit.Verdict, unit.AccountId));
        Assert.Equal((Verdict.Block, "fse"), (country.Verdict, country.AccountId));
    }

    [Fact]
    public void Match_TheCompanysNameAndDomainAtAnotherStreetCityAndNumber_IsFlaggedAsANewSite()
    {
        // One account for the company, in Boston; a lead from its domain with an office, a city and a number of its own
        // is another office of the company as often as the company moved: a flag naming the account, not a block.
        var account = new Account { Id = "hb", Name = "HarborBeacon Communications", Website = "www.harborbeacon.com", Phone = "+1 617 555 0183", Street = "60 State Street, 7th Floor", City = "Boston", PostalCode = "02109", Country = "US" };
        var matcher = TestSupport.DevSetMatcher.With(account);

        var office = matcher.Match(new Lead { Id = "L1", Company = "HarborBeacon Communications", Email = "marisa.cole@harborbeacon.com", Phone = "(212) 555-0171", Street = "1 Liberty Plaza", City = "New York", PostalCode = "10006", Country = "USA" });
        var head = matcher.Match(new Lead { Id = "L2", Company = "HarborBeacon Communications", Email = "marisa.cole@harborbeacon.com", Phone = "(212) 555-0171", Street = "60 State St", City = "Boston", Country = "USA" });
        var switchboard = matcher.Match(new Lead { Id = "L3", Company = "HarborBeacon Communications", Email = "marisa.cole@harborbeacon.com", Phone = "617 555 0183", Street = "1 Liberty Plaza", City = "New York", Country = "USA" });

        Assert.Equal((Verdict.Flag, "hb"), (office.Verdict, office.AccountId));
        Assert.Equal((Verdict.Block, "hb"), (head.Verdict, head.AccountId));
        Assert.Equal((Verdict.Block, "hb"), (switchboard.Verdict, switchboard.AccountId));
    }

    [Fact]
    public void Match_ALeadOfTheOldRecordsAddressAndNumber_NamesTheCompanysLiveRecord()
    {
        // The company moved and its old record was marked "(OLD)"; a lead still typed from the old letterhead matches
        // the old record best, and is the company reps work on now.
        var live = new Account { Id = "live", Name = "Torrance Valve Company", Website = "torrancevalve.com", Phone = "(310) 328-4410", Street = "20515 S Western Ave", City = "Torrance", PostalCode = "90501", Country = "US" };
        var old = new Account { Id = "old", Name = "TORRANCE VALVE CO (OLD)", Phone = "310-328-4410", Street = "1800 W 213th St", City = "Torrance", PostalCode = "90501", Country = "US" };
        var matcher = TestSupport.DevSetMatcher.With(live, old);

        var decision = matcher.Match(new Lead { Id = "L", FirstName = "Rick", LastName = "Alvarado", Company = "Torrance Valve Company", Email = "rick.tvc@gmail.com", Phone = "(310) 328-4410", Street = "1800 W. 213th Street", City = "Torrance", PostalCode = "90501" });

        Assert.Equal("live", decision.AccountId);
        Assert.NotEqual(Verdict.Allow, decision.Verdict);
    }

    [Fact]
    public void Match_TheSitesSwitchboardAtAnotherStreet_IsFlaggedNotBlocked()
    {
        // The institute's switchboard and domain, a site the account does not name at another street: which
        // organisation, not which site. At the account's own street it is the account.
        var list = new Account { Id = "list", Name = "Luxembourg Institute of Science and Technology (LIST)", Website = "www.list.lu", Phone = "+352 275 888 1", Street = "5, avenue des Hauts-Fourneaux", City = "Esch-sur-Alzette", PostalCode = "L-4362", Country = "LU" };
        var matcher = TestSupport.DevSetMatcher.With(list);

        var belvaux = matcher.Match(new Lead { Id = "L1", Company = "LIST - Luxembourg Institute of Science and Technology, site Belvaux", Email = "carole.feller@list.lu", Phone = "+352 275 888 1", Street = "41, rue du Brill", City = "Belvaux", PostalCode = "L-4422", Country = "LU" });
        var esch = matcher.Match(new Lead { Id = "L2", Company = "LIST - Luxembourg Institute of Science and Technology", Email = "carole.feller@list.lu", Phone = "+352 275 888 1", Street = "5 avenue des Hauts-Fourneaux", City = "Esch-sur-Alzette", PostalCode = "L-4362", Country = "LU" });

        Assert.Equal((Verdict.Flag, "list"), (belvaux.Verdict, belvaux.AccountId));
        Assert.Equal((Verdict.Block, "list"), (esch.Verdict, esch.AccountId));
    }

    [Fact]
    public void Match_ACompanyOfTheGroupFromADomainOfItsOwn_IsFlaggedNotBlocked()
    {
        // "Octave Santé (Groupe Vauclair)": a company of the group at the group's address and switchboard, writing from its
        // own domain. The group's name and number say which group; the domain says a company of its own.
        var group = new Account { Id = "gv", Name = "Groupe Vauclair SA", Website = "www.groupevauclair.com", Phone = "+33 1 58 62 10 00", Street = "133 avenue des Champs-Élysées", City = "Paris", PostalCode = "75008", Country = "FR" };
        var matcher = TestSupport.DevSetMatcher.With(group);

        var company = matcher.Match(new Lead { Id = "L1", Company = "Octave Santé (Groupe Vauclair)", Email = "helene.morin@octave-sante.fr", Phone = "01 58 62 10 00", Street = "133 avenue des Champs-Élysées", City = "Paris", PostalCode = "75008", Country = "France" });
        var own = matcher.Match(new Lead { Id = "L2", Company = "Groupe Vauclair", Email = "helene.morin@groupevauclair.com", Phone = "01 58 62 10 00", Street = "133 avenue des Champs-Élysées", City = "Paris", PostalCode = "75008", Country = "France" });

        Assert.Equal((Verdict.Flag, "gv"), (company.Verdict, company.AccountId));
        Assert.Equal((Verdict.Block, "gv"), (own.Verdict, own.AccountId));
    }

    [Fact]
    public void Match_AManagersStaffNamingOneOfItsCompaniesExactly_NamesThatCompany()
    {
        // A ship manager's staff write for every ship company it manages: the person says who writes, the name which company.
        var manager = new Account { Id = "tsm", Name = "Thalassa Ship Management S.A.", Website = "www.thalassasm.gr", Phone = "+30 210 4291500", Street = "Akti Miaouli 85", City = "Piraeus", PostalCode = "185 38", Country = "GR" };
        var ship = new Account { Id = "bws", Name = "Blue Wave Shipping Co.", Phone = "210 4291500", Street = "Akti Miaouli 85", City = "Piraeus", PostalCode = "185 38", Country = "GR", ParentId = "tsm" };
        var other = new Account { Id = "asm", Name = "Aegean Star Maritime Inc.", Phone = "+30 210 4291500", Street = "Akti Miaouli 85", City = "Piraeus", PostalCode = "185 38", Country = "LR", ParentId = "tsm" };
        Contact eleni = new() { Id = "c1", AccountId = "tsm", FirstName = "Eleni", LastName = "Vlachou", Email = "e.vlachou@thalassasm.gr", Phone = "+30 210 4291522" };
        var matcher = TestSupport.DevSetMatcher.With([manager, ship, other], [eleni]);

        var decision = matcher.Match(new Lead { Id = "L", FirstName = "Eleni", LastName = "Vlachou", Company = "Blue Wave Shipping Co", Email = "e.vlachou@thalassasm.gr", Phone = "+30 210 4291522", City = "Piraeus", Country = "GR" });
        var unnamed = matcher.Match(new Lead { Id = "L2", FirstName = "Eleni", LastName = "Vlachou", Company = "Evangelia Shipping Corp.", Email = "e.vlachou@thalassasm.gr", Phone = "+30 210 4291522", City = "Piraeus", Country = "GR" });

        Assert.Equal("bws", decision.AccountId);
        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("tsm", unnamed.AccountId);
    }

    [Fact]
    public void Match_AManagementCompanysStaffWritingForAnotherHotel_IsFlaggedNotBlocked()
    {
        // The staff of a management company are filed under one of its hotels and write for all of them: their email says
        // who writes; the name, each with words of its own, says another hotel, even in the same building.
        var home2 = new Account { Id = "h2", Name = "Home2 Suites by Hilton Milwaukee Airport", Website = "hilton.com", Phone = "(414) 555-0122", Street = "6340 S 13th St", City = "Milwaukee", PostalCode = "53221", Country = "US" };
        var airport = new Account { Id = "hx", Name = "Holiday Inn Express Dubai Airport", Website = "ihg.com", Phone = "+971 4 216 8800", Street = "Al Quds Street, Al Garhoud", City = "Dubai", Country = "AE" };
        Contact josh = new() { Id = "c1", AccountId = "h2", FirstName = "Josh", LastName = "Kettner", Email = "josh.kettner@crestmarkhotels.com" };
        Contact joel = new() { Id = "c2", AccountId = "hx", FirstName = "Joel", LastName = "Santos", Email = "joel.santos@gulfcrescenthm.com" };
        var matcher = TestSupport.DevSetMatcher.With([home2, airport], [josh, joel]);

        var tru = matcher.Match(new Lead { Id = "L1", FirstName = "Josh", LastName = "Kettner", Company = "Tru by Hilton Milwaukee Airport", Email = "josh.kettner@crestmarkhotels.com", Phone = "(414) 555-0124", Street = "6340 S 13th St", City = "Milwaukee", PostalCode = "53221", Country = "US" });
        var safa = matcher.Match(new Lead { Id = "L2", FirstName = "Joel", LastName = "Santos", Company = "Holiday Inn Express Dubai Safa Park", Email = "joel.santos@gulfcrescenthm.com", Phone = "+971 4 327 4888", Street = "Al Wasl Road, Al Safa", City = "Dubai", Country = "AE" });
        var same = matcher.Match(new Lead { Id = "L3", FirstName = "Josh", LastName = "Kettner", Company = "Home2 Suites Milwaukee Airport", Email = "josh.kettner@crestmarkhotels.com", Street = "6340 S 13th St", City = "Milwaukee", PostalCode = "53221", Country = "US" });

        Assert.Equal((Verdict.Flag, "h2"), (tru.Verdict, tru.AccountId));
        Assert.Equal((Verdict.Flag, "hx"), (safa.Verdict, safa.AccountId));
        Assert.Equal((Verdict.Block, "h2"), (same.Verdict, same.AccountId));
    }

    [Fact]
    public void Match_APlantsStaffTypingTheOrganisationsNameAtThePlant_NamesThePlant()
    {
        // The name is the organisation's; the person, the phone and the street are the plant's.
        var group = new Account { Id = "mf", Name = "Medifarm Gyógyszergyártó Zrt.", Website = "www.medifarm.hu", Phone = "+36 1 450 2200", Street = "Váci út 141", City = "Budapest", PostalCode = "1138", Country = "HU" };
        var plant = new Account { Id = "mf-d", Name = "Medifarm Zrt. - Debreceni gyár", Website = "www.medifarm.hu", Phone = "+36 52 530 400", Email = "debrecen@medifarm.hu", Street = "Határ út 12", City = "Debrecen", PostalCode = "4031", Country = "HU" };
        Contact erzsebet = new() { Id = "c1", AccountId = "mf-d", FirstName = "Erzsébet", LastName = "Kiss", Email = "kiss.erzsebet@medifarm.hu", Phone = "+36 52 530 412" };
        var matcher = TestSupport.DevSetMatcher.With([group, plant], [erzsebet]);

        var decision = matcher.Match(new Lead { Id = "L", FirstName = "Erzsébet", LastName = "Kiss", Company = "Medifarm Gyógyszergyártó Zrt.", Email = "kiss.erzsebet@medifarm.hu", Phone = "+36 52 530 412", Street = "Határ út 12", City = "Debrecen", PostalCode = "4031", Country = "HU" });

        Assert.Equal("mf-d", decision.AccountId);
    }

    [Fact]
    public void Match_OfAccountsThatTie_TheOneThatSaysAllOfTheLeadsNameIsNamed()
    {
        // The city and its education department weigh the same for a lead of the department at the city's domain; the
        // department's name holds every word of the lead's, the city's lacks "Onderwijs".
        var city = new Account { Id = "ams", Name = "Gemeente Amsterdam", Website = "www.amsterdam.nl", Phone = "14 020", Street = "Amstel 1", City = "Amsterdam", PostalCode = "1011 PN", Country = "NL" };
        var education = new Account { Id = "ams-ojz", Name = "Gemeente Amsterdam - Onderwijs, Jeugd en Zorg", Website = "www.amsterdam.nl/onderwijs", Phone = "14 020", Street = "Weesperplein 8", City = "Amsterdam", PostalCode = "1018 XA", Country = "NL", ParentId = "ams" };
        var matcher = TestSupport.DevSetMatcher.With([city, education], []);

        var decision = matcher.Match(new Lead { Id = "L", FirstName = "Lisa", LastName = "Bos", Company = "Gemeente Amsterdam, afdeling Onderwijs", Email = "l.bos@amsterdam.nl", City = "Amsterdam", Country = "NL" });

        Assert.Equal("ams-ojz", decision.AccountId);
    }
}
