using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// Company names as people write them in real records: two names joined by an ampersand and known by their initials,
/// "St." and "Mt." for "Saint" and "Mount", a hyphenated name typed as one word, a Japanese long vowel written "ou",
/// a legal form in another romanisation, a Chinese company without the city its registered name starts with, numbers
/// as words, a department or an addressee after the name, a company's page on a social platform as its website, the
/// firm prefixes and short forms of India and Italy, family and trade words and legal forms as other countries write
/// them, an email typed in the wrong field, an initial for a word, a partial name beside the account's own number.
/// The accounts sit among the development set's 5,000, so that words weigh as they do in an org.
/// </summary>
public class NamesAsPeopleWriteThemTests : IClassFixture<NamesAsPeopleWriteThemTests.Org>
{
    private readonly BulkMatcher _matcher;

    public NamesAsPeopleWriteThemTests(Org org) => _matcher = org.Matcher;

    [Theory]
    [InlineData("P&G", "Cincinnati", "R1")]
    [InlineData("J&J", "New Brunswick", "R2")]
    [InlineData("St. Joseph Hospital", "Milwaukee", "R3")]
    [InlineData("Mt. Sinai Medical Ctr", "New York", "R4")]
    [InlineData("Walmart", "Bentonville", "R5")]
    [InlineData("WalMart", "Bentonville", "R5")]
    [InlineData("Kouyou Denki Co Ltd", "Osaka", "R6", "JP")]
    [InlineData("Matsuda Kogyo Kabushiki Gaisha", "Hiroshima", "R7", "JP")]
    [InlineData("Yongda Machinery", "Ningbo", "R8", "CN")]
    [InlineData("Seven Eleven Franchise Ops", "Irving", "R9")]
    [InlineData("Route Sixty-Six Diner", "Albuquerque", "R10")]
    [InlineData("20th Street Studios", "Los Angeles", "R11")]
    [InlineData("Ste Marie Medical", "Quebec", "R12", "CA")]
    [InlineData("Solent Shipping Ltd, Procurement Dept", "Southampton", "R13", "GB")]
    [InlineData("Carraway Foods Inc Attn: Mark Ellis", "Kansas City", "R14")]
    [InlineData("Carraway Foods, David Singh", "Kansas City", "R14")]
    [InlineData("Carraway Foods, Hugo Tanaka", "Kansas City", "R14")]
    [InlineData("Carraway Foods, Priya Raman", "Kansas City", "R14")]
    [InlineData("Kirkwood University, Department of Chemistry", "Cedar Rapids", "R15")]
    [InlineData("c/o Elmstead Properties Ltd", "Reading", "R16", "GB")]
    [InlineData("Cobalt Ridge Mining Corp c/o Fraser & Lyle LLP", "Vancouver", "R17", "CA")]
    [InlineData("Granger Biologics, now part of Vestra Pharma", "San Diego", "R18")]
    [InlineData("Westbrook Vet Hospital", "Westbrook", "R19")]
    [InlineData("Pruitt & Assoc.", "Raleigh", "R20")]
    [InlineData("M/s Sharma Textiles", "Surat", "R22", "IN")]
    [InlineData("F.lli Bianchi srl", "Brescia", "R23", "IT")]
    [InlineData("Solberg Bygg Aksjeselskap", "Bergen", "R24", "NO")]
    [InlineData("Arts Deli", "Studio City", "R28")]
    [InlineData("Pasticceria Di Marco snc", "Naples", "R29", "IT")]
    [InlineData("Transp. Rodrigues", "Porto", "R30", "PT")]
    [InlineData("HGI Seattle Downtown", "Seattle", "R31")]
    [InlineData("ETS LEFEVRE", "Lille", "R35", "FR")]
    [InlineData("Kovács Péter Bt.", "Pécs", "R36", "HU")]
    [InlineData("Alpen Tech Solutions", "München", "R37", "DE")]
    [InlineData("1234567 Ont. Inc.", "Toronto", "R38", "CA")]
    [InlineData("Nielsen & Søn", "Aarhus", "R40", "DK")]
    [InlineData("North Kesteven Council", "Sleaford", "R43", "GB")]
    [InlineData("Gulf Horizon FM", "Abu Dhabi", "R44", "AE")]
    [InlineData("Nakamura e Hirata Contabilidade", "Maringá", "R47", "BR")]
    [InlineData("Brouwerij Het Kuipertje", "Tilburg", "R48", "NL")]
    [InlineData("Larchmont Printing and Packaging", "Leicester", "R49", "GB")]
    [InlineData("Muhammad Al-Qahtani Trading Establishment", "Riyadh", "R50", "SA")]
    [InlineData("Mohd Al-Qahtani Trading Est", "Riyadh", "R50", "SA")]
    [InlineData("Transportbedrijf Veenstra", "Groningen", "R51", "NL")]
    [InlineData("Bauunternehmen Brandsma", "Bremen", "R52", "DE")]
    [InlineData("Drogaria 3 Marias", "Itajaí", "R53", "BR")]
    [InlineData("Pennock Vets", "Braunton", "R54", "GB")]
    [InlineData("Shubh Nidhi Healthcare Hospitals", "Nagpur", "R58", "IN")]
    [InlineData("Bright Smile Dental", "Croydon", "R59", "GB")]
    [InlineData("Pei He Electronic", "Shenzhen", "R60", "CN")]
    [InlineData("HOTUCARIBE SAS", "Cartagena", "R61", "CO")]
    [InlineData("Hoteles y Turismo del Caribe", "Cartagena", "R61", "CO")]
    [InlineData("UNIVIPE Maringá", "Maringá", "R62", "BR")]
    public void Match_NameAsPeopleWriteIt_FindsTheAccount(string company, string city, string account, string country = "US")
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, City = city, Country = country });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal(account, decision.AccountId);
    }

    [Theory]
    [InlineData("Quaywright Instruments Worldwide", "R55")]
    [InlineData("Brackenfold Capital Services", "R56")]
    [InlineData("Tollington Freight", "R57")]
    public void Match_ADescriptorAddedOrDropped_IsFlagged(string company, string account)
    {
        // "Worldwide", "Holdings" say how big the company is, not which: rare in an org, they must not outweigh the
        // name. With nothing else typed, a flag.
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, Email = "someone@gmail.com" });

        Assert.Equal((Verdict.Flag, account), (decision.Verdict, decision.AccountId));
    }

    [Theory]
    [InlineData("Carraway Foods Inc - Inès Moreau", "Inès", "Moreau")]
    [InlineData("Inès Moreau (Carraway Foods)", "Inès", "Moreau")]
    [InlineData("Carraway Foods / I. Moreau", "Inès", "Moreau")]
    [InlineData("Moreau Inès, Carraway Foods Inc", "Inès", "Moreau")]
    public void Match_TheLeadsOwnNameBesideTheCompany_IsNotTheCompanysName(string company, string firstName, string lastName)
    {
        // Whom the lead is for, typed into the company field by a rep or a web form: the person, not the firm.
        var decision = _matcher.Match(new Lead { Id = "L", FirstName = firstName, LastName = lastName, Company = company, City = "Kansas City", Country = "US" });

        Assert.Equal((Verdict.Block, "R14"), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_APersonsNameInTheFirmsName_StaysTheFirmsName()
    {
        // "John Smith Plumbing" typed by John Smith himself: no separator, so the name is the firm's.
        var decision = _matcher.Match(new Lead { Id = "L", FirstName = "John", LastName = "Smith", Company = "John Smith Plumbing", City = "Dayton", Country = "US" });

        Assert.Equal("R26", decision.AccountId);
        Assert.NotEqual(Verdict.Allow, decision.Verdict);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("+49 421 696050")]
    public void Match_TheNameOfTheAccountsWebAddress_IsItsBrand(string? phone)
    {
        // "NORDKL" is no word of "Nordhafen Kühllogistik AG", but it is the name of its web address: the brand it goes
        // by. Worth what initials are: a flag, even beside the account's number (a block wants the name or domain itself).
        var decision = _matcher.Match(new Lead { Id = "L", Company = "NORDKL", Phone = phone, City = "Bremen", Country = "DE" });

        Assert.Equal((Verdict.Flag, "R45"), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_TheOrganisationAtItsSitesWebAddress_IsNoBrandOfTheSite()
    {
        // The organisation's name is its web address's, which one of its sites holds: the name says no more than the
        // domain, and the lead (another phone) is not that site.
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Halcyon Water", Website = "halcyonwater.io", Phone = "(818) 325-5574", City = "Seattle", Country = "US" });

        Assert.Equal((Verdict.Flag, "R46"), (decision.Verdict, decision.AccountId));
    }

    [Theory]
    [InlineData("Riverbend Aerospace Compo")]
    [InlineData("Riverbend Aero")]
    public void Match_ANameCutShort_IsFlaggedOnTheAccountItBegins(string company)
    {
        // As a field's length or a hurried rep leaves it; a cut name is as often another's, so a flag, never a block.
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, City = "Wichita", Country = "US" });

        Assert.Equal((Verdict.Flag, "R41"), (decision.Verdict, decision.AccountId));
    }

    [Theory]
    [InlineData("sales@hollingworthjoinery.co.uk", null)]
    [InlineData(null, "nward@hollingworthjoinery.co.uk")]
    public void Match_AnEmailTypedInTheCompanyOrPhoneField_IsTheEmail(string? company, string? phone)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, Phone = phone, City = "Leeds", Country = "GB" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("R25", decision.AccountId);
    }

    [Fact]
    public void Match_InitialsOfPartOfTheName_FlagWithTheCityAndBlockWithTheStreet()
    {
        var flagged = _matcher.Match(new Lead { Id = "L", Company = "HGI Seattle Downtown", City = "Seattle", Country = "US" });
        var blocked = _matcher.Match(new Lead { Id = "L", Company = "HGI Seattle Downtown", Street = "1821 Boren Avenue", City = "Seattle", Country = "US" });

        Assert.Equal((Verdict.Flag, "R31"), (flagged.Verdict, flagged.AccountId));
        Assert.Equal((Verdict.Block, "R31"), (blocked.Verdict, blocked.AccountId));
    }

    [Fact]
    public void Match_TheCompanyTypedInTheLastNameField_IsTheCompany()
    {
        var decision = _matcher.Match(new Lead { Id = "L", FirstName = "Nora", LastName = "Hollingworth Joinery Ltd", Company = "Nora Ward", City = "Leeds", Country = "GB" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("R25", decision.AccountId);
    }

    [Theory]
    [InlineData("J. Smith")]
    [InlineData("J Smith Plumbing")]
    public void Match_AnInitialForAWordWithTheAccountsPhone_FindsTheAccount(string company)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, Phone = "555-201-7788", City = "Dayton", Country = "US" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("R26", decision.AccountId);
    }

    [Fact]
    public void Match_TheNameAtAnotherStreetWithNothingElse_IsFlaggedNotBlocked()
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Main Street Dental", Street = "7209 Park Ave", City = "Springfield", Country = "US" });

        Assert.Equal(Verdict.Flag, decision.Verdict);
        Assert.Equal("R27", decision.AccountId);
    }

    [Theory]
    [InlineData("https://m.facebook.com/SweetCrumbsBakery/", "R21")]
    [InlineData("fb.com/sweetcrumbsbakery", "R21")]
    [InlineData("https://www.facebook.com/someotherbakery", null)]
    public void Match_TheAccountsPageOnAPlatform_IsItsWebsite(string website, string? account)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Website = website, City = "Tulsa", Country = "US" });

        Assert.Equal(account is null ? Verdict.Allow : Verdict.Flag, decision.Verdict);
        Assert.Equal(account, decision.AccountId);
    }

    [Theory]
    [InlineData("Petal", "1-800-738-2586", "Dallas", "US", "R32")]
    [InlineData("Hôpital Necker", "01 44 49 40 00", "Paris", "FR", "R33")]
    [InlineData("James Bowie High School", "512-414-5247", "Austin", "US", "R34")]
    public void Match_ANameThatSharesWordsBesideTheAccountsOwnNumber_FlagsTheAccount(string company, string phone, string city, string country, string account)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, Email = "someone@gmail.com", Phone = phone, City = city, Country = country });

        Assert.Equal((Verdict.Flag, account), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_ATranslatedNameOnTheAccountsOwnWebsite_FlagsTheAccount()
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Dubois and Sons Plumbing", Website = "www.dubois-fils.fr", Country = "FR" });

        Assert.Equal((Verdict.Flag, "R39"), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_AnotherNameWithTheAccountsNumber_IsNotBlocked()
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = "Lone Star Courier", Phone = "1-800-738-2586", City = "Dallas", Country = "US" });

        Assert.NotEqual(Verdict.Block, decision.Verdict);
    }

    [Theory]
    [InlineData("P&Q", "Cincinnati")]
    [InlineData("Peterson & Green", "Cincinnati")]
    [InlineData("St. Mary Hospital", "Milwaukee")]
    public void Match_OtherInitialsOrOtherName_IsNotBlocked(string company, string city)
    {
        var decision = _matcher.Match(new Lead { Id = "L", Company = company, City = city, Country = "US" });

        Assert.NotEqual(Verdict.Block, decision.Verdict);
    }

    public sealed class Org
    {
        public Org()
        {
            Matcher = DevSetMatcher.With(
            [
                new() { Id = "R1", Name = "Procter & Gamble Co", Website = "pg.com", City = "Cincinnati", Country = "US" },
                new() { Id = "R2", Name = "Johnson & Johnson", Website = "jnj.com", City = "New Brunswick", Country = "US" },
                new() { Id = "R3", Name = "Saint Joseph's Hospital", Website = "sjh.org", City = "Milwaukee", Country = "US" },
                new() { Id = "R4", Name = "Mount Sinai Medical Center", Website = "mountsinai.org", City = "New York", Country = "US" },
                new() { Id = "R5", Name = "Wal-Mart Stores Inc", Website = "walmart.com", City = "Bentonville", Country = "US" },
                new() { Id = "R6", Name = "Kōyō Denki K.K.", City = "Osaka", Country = "JP" },
                new() { Id = "R7", Name = "Matsuda Kogyo Co., Ltd.", City = "Hiroshima", Country = "JP" },
                new() { Id = "R8", Name = "Ningbo Yongda Machinery Co., Ltd.", City = "Ningbo", Country = "CN" },
                new() { Id = "R9", Name = "7-Eleven Franchise Ops LLC", City = "Irving", Country = "US" },
                new() { Id = "R10", Name = "Route 66 Diner", City = "Albuquerque", Country = "US" },
                new() { Id = "R11", Name = "Twentieth Street Studios", City = "Los Angeles", Country = "US" },
                new() { Id = "R12", Name = "Sainte-Marie Médical", City = "Quebec", Country = "CA" },
                new() { Id = "R13", Name = "Solent Shipping Ltd", City = "Southampton", Country = "GB" },
                new() { Id = "R14", Name = "Carraway Foods Inc", City = "Kansas City", Country = "US" },
                new() { Id = "R15", Name = "Kirkwood University", City = "Cedar Rapids", Country = "US" },
                new() { Id = "R16", Name = "Elmstead Properties Ltd", City = "Reading", Country = "GB" },
                new() { Id = "R17", Name = "Cobalt Ridge Mining Corp", City = "Vancouver", Country = "CA" },
                new() { Id = "R18", Name = "Granger Biologics", City = "San Diego", Country = "US" },
                new() { Id = "R19", Name = "Westbrook Veterinary Hospital", City = "Westbrook", Country = "US" },
                new() { Id = "R20", Name = "Pruitt & Associates", City = "Raleigh", Country = "US" },
                new() { Id = "R22", Name = "Sharma Textiles Pvt Ltd", City = "Surat", Country = "IN" },
                new() { Id = "R23", Name = "Fratelli Bianchi S.r.l.", City = "Brescia", Country = "IT" },
                new() { Id = "R24", Name = "Solberg Bygg AS", City = "Bergen", Country = "NO" },
                new() { Id = "R25", Name = "Hollingworth Joinery Ltd", Website = "hollingworthjoinery.co.uk", City = "Leeds", Country = "GB" },
                new() { Id = "R26", Name = "John Smith Plumbing", Phone = "(555) 201-7788", City = "Dayton", Country = "US" },
                new() { Id = "R27", Name = "Main Street Dental", Street = "1200 Main St", City = "Springfield", Country = "US" },
                new() { Id = "R28", Name = "Arts Delicatessen", City = "Studio City", Country = "US" },
                new() { Id = "R29", Name = "Pasticceria Di Marco S.n.c. di Di Marco Luigi & C.", City = "Naples", Country = "IT" },
                new() { Id = "R30", Name = "Transportes Rodrigues, Lda.", City = "Porto", Country = "PT" },
                new() { Id = "R31", Name = "Hilton Garden Inn Seattle Downtown", Street = "1821 Boren Ave", City = "Seattle", Country = "US" },
                new() { Id = "R32", Name = "Petal & Stem Florists", Phone = "1-800-738-2586", City = "Dallas", Country = "US" },
                new() { Id = "R33", Name = "Necker-Enfants Malades", Phone = "01 44 49 40 00", Street = "149 Rue de Sèvres", City = "Paris", Country = "FR" },
                new() { Id = "R34", Name = "Bowie HS", Phone = "(512) 414-5247", Street = "4103 W Slaughter Ln", City = "Austin", Country = "US" },
                new() { Id = "R35", Name = "Établissements Lefèvre Frères SARL", City = "Lille", Country = "FR" },
                new() { Id = "R36", Name = "Kovács Péter Építőipari Bt.", City = "Pécs", Country = "HU" },
                new() { Id = "R37", Name = "Alpentech Solutions UG (haftungsbeschränkt)", City = "München", Country = "DE" },
                new() { Id = "R38", Name = "1234567 Ontario Inc.", City = "Toronto", Country = "CA" },
                new() { Id = "R39", Name = "Plomberie Dubois & Fils SAS", Website = "https://www.dubois-fils.fr", City = "Lyon", Country = "FR" },
                new() { Id = "R40", Name = "Tømrerfirma Nielsen & Søn ApS", City = "Aarhus", Country = "DK" },
                new() { Id = "R41", Name = "Riverbend Aerospace Components Inc", City = "Wichita", Country = "US" },
                new() { Id = "R43", Name = "North Kesteven District Council", City = "Sleaford", Country = "GB" },
                new() { Id = "R44", Name = "Gulf Horizon Facilities Management LLC", City = "Abu Dhabi", Country = "AE" },
                new() { Id = "R45", Name = "Nordhafen Kühllogistik AG", Website = "https://www.nordkl.de", Phone = "0421 69 60 50", City = "Bremen", Country = "DE" },
                new() { Id = "R46", Name = "Halcyon Water Airport Day Care", Website = "www.halcyonwater.io", Phone = "+1 265 801 3642", Street = "6374 Queen St", City = "Seattle", Country = "US" },
                new() { Id = "R47", Name = "Nakamura & Hirata Contabilidade S/S Ltda.", City = "Maringá", Country = "BR" },
                new() { Id = "R48", Name = "Brouwerij 't Kuipertje B.V.", City = "Tilburg", Country = "NL" },
                new() { Id = "R49", Name = "Larchmont Print & Packaging Ltd", City = "Leicester", Country = "GB" },
                new() { Id = "R50", Name = "Mohammed Al-Qahtani Trading Est.", City = "Riyadh", Country = "SA" },
                new() { Id = "R51", Name = "Veenstra Transport B.V.", City = "Groningen", Country = "NL" },
                new() { Id = "R52", Name = "Brandsma Bau GmbH", City = "Bremen", Country = "DE" },
                new() { Id = "R53", Name = "Drogaria Três Marias Ltda.", City = "Itajaí", Country = "BR" },
                new() { Id = "R54", Name = "Pennock Veterinary", City = "Braunton", Country = "GB" },
                new() { Id = "R55", Name = "Quaywright Instruments Inc.", City = "Duluth", Country = "US" },
                new() { Id = "R56", Name = "Brackenfold Capital LLC", City = "Omaha", Country = "US" },
                new() { Id = "R57", Name = "Tollington Freight Group Ltd", City = "Leeds", Country = "GB" },
                new() { Id = "R58", Name = "Shubhnidhi Healthcare Pvt. Ltd.", City = "Nagpur", Country = "IN" },
                new() { Id = "R59", Name = "BrightSmile Dental Care Croydon", City = "Croydon", Country = "GB" },
                new() { Id = "R60", Name = "Peihe Electronic Technology Co", City = "Shenzhen", Country = "CN" },
                new() { Id = "R61", Name = "Hoteles y Turismo del Caribe HOTUCARIBE S.A.S.", City = "Cartagena de Indias", Country = "CO" },
                new() { Id = "R62", Name = "Universidade Vale do Ipê - Campus Maringá", City = "Maringá", Country = "BR" },
                new() { Id = "R21", Name = "Sweet Crumbs Bakery", Website = "https://www.facebook.com/sweetcrumbsbakery", City = "Tulsa", Country = "US" },
            ]);
        }

        public BulkMatcher Matcher { get; }
    }
}
