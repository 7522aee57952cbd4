using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// One company's name in two scripts: kept in Arabic, Cyrillic or Devanagari in the CRM and typed romanised on a web
/// form, or the other way round, often with nothing but the city beside it. The names sound alike; the trade words are
/// translated. The accounts sit among the development set's 5,000.
/// </summary>
public class NamesInTwoScriptsTests : IClassFixture<NamesInTwoScriptsTests.Org>
{
    private readonly Org _org;

    public NamesInTwoScriptsTests(Org org) => _org = org;

    [Theory]
    [InlineData("Al-Harbi Contracting Est.", "Riyadh", "SA", "S1")]
    [InlineData("Alharbi for Contracting", "الرياض", "SA", "S1")]
    [InlineData("Jemtchoujina", "Kazan", "RU", "S3")]
    [InlineData("بن دسمال للتبريد", "المنامة", "BH", "S6")]
    [InlineData("Al Reem Contracting", "Abu Dhabi", "AE", "S7")]
    [InlineData("Mahalaxmi Traders", "Nagpur", "IN", "S4")]
    [InlineData("Tzanetakis Marine", "Piraeus", "GR", "S5")]
    [InlineData("Changsha Xiangtuo Electronic Technology Co., Ltd.", "Changsha", "CN", "S14")]
    [InlineData("Taeon Electronics", "Gumi", "KR", "S15")]
    [InlineData("Pei He Electronic", "Shenzhen", "CN", "S16")]
    public void Match_NameRomanisedOrInTheOtherScriptWithTheCity_FlagsTheAccount(string company, string city, string country, string account)
    {
        var decision = _org.Matcher.Match(new Lead { Id = "L", Company = company, City = city, Country = country });

        Assert.Equal((Verdict.Flag, account), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_NameInTheOtherScriptWithTheAccountsPhone_Blocks()
    {
        var decision = _org.Matcher.Match(new Lead { Id = "L", Company = "Al Zahrani Trading", Phone = "012 661 4420", City = "Jeddah", Country = "SA" });

        Assert.Equal((Verdict.Block, "S2"), (decision.Verdict, decision.AccountId));
    }

    [Theory]
    [InlineData("Al Hariri Contracting", "Riyadh", "SA")]
    [InlineData("Lakshmi Traders", "Nagpur", "IN")]
    [InlineData("Dasmal Trading", "Manama", "BH")]
    public void Match_AnotherNameWithASharedTradeWord_IsNotTheAccount(string company, string city, string country)
    {
        var decision = _org.Matcher.Match(new Lead { Id = "L", Company = company, City = city, Country = country });

        Assert.False(decision.Verdict != Verdict.Allow && decision.AccountId is "S1" or "S4" or "S6", $"{decision.Verdict} on {decision.AccountId}");
    }

    [Theory]
    [InlineData("Zahran Trading", "Jeddah", "SA")]
    [InlineData("Al Harbi Contracting", "Dammam", "SA")]
    public void Match_ANameThatOnlySoundsLikeTheAccount_IsNeverBlocked(string company, string city, string country)
    {
        // "Zahran" and "Al-Zahrani" are two families whose names sound alike; a sound is worth a look, never a block.
        var decision = _org.Matcher.Match(new Lead { Id = "L", Company = company, City = city, Country = country });

        Assert.NotEqual(Verdict.Block, decision.Verdict);
    }

    [Fact]
    public void Match_OneNameRomanisedTwoWaysWhereNamesAreRomanised_FlagsTheAccount()
    {
        // "Kareemi" and "Karimi" are two spellings of one Persian name; in Ohio they would be two names.
        var inIran = _org.Matcher.Match(new Lead { Id = "L", Company = "Kareemi Steel Pipe", City = "Isfahan", Country = "IR" });
        var inOhio = _org.Matcher.Match(new Lead { Id = "L", Company = "Kareemi Steel Pipe", City = "Dayton", Country = "US" });

        Assert.Equal((Verdict.Flag, "S8"), (inIran.Verdict, inIran.AccountId));
        Assert.NotEqual("S9", inOhio.AccountId);
    }

    [Fact]
    public void Score_CityInTheOtherScript_AgreesWhenItSoundsAlike()
    {
        var match = _org.Matcher.FindBestAccount(new Lead { Id = "L", Company = "Al Harbi Contracting", City = "الرياض", Country = "SA" });

        Assert.Equal("S1", match?.Account.Id);
        Assert.Contains(match!.Evidence, e => e.Field == "city" && e.Weight > 0);
        Assert.Contains(match.Evidence, e => e.Field == "name" && e.Detail.Contains("sounds like", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Ben Ashour Textiles", "Sfax", "S10")]
    [InlineData("Ets Ben Achour Textile", "Sfax", "S10")]
    [InlineData("Al Amal Pharmaceutical Industries", "Amman", "S11")]
    [InlineData("Foolad Sepahan Co.", "Isfahan", "S12")]
    public void Match_TranslatedTradeWordsAndAShortFamilyName_FlagTheAccount(string company, string city, string account)
    {
        // "Ben Ashour" is one family name of four sounds, "Achour" its French spelling; "Pharmaceutical" translates
        // "الدوائية", and "Foolad" transliterates "فولاد" (steel) where the other name translates it.
        var decision = _org.Matcher.Match(new Lead { Id = "L", Company = company, City = city });

        Assert.Equal((Verdict.Flag, account), (decision.Verdict, decision.AccountId));
    }

    [Fact]
    public void Match_AnotherFamilyWithTheSameParticle_IsNotTheAccount()
    {
        var decision = _org.Matcher.Match(new Lead { Id = "L", Company = "Ben Ammar Textiles", City = "Sfax" });

        Assert.NotEqual("S10", decision.AccountId);
    }

    [Fact]
    public void Score_CityByItsFrenchOrArabicName_Agrees()
    {
        var match = _org.Matcher.FindBestAccount(new Lead { Id = "L", Company = "Ben Ashour Textiles", City = "Sfax" });
        var beirut = _org.Matcher.FindBestAccount(new Lead { Id = "L", Company = "Haddad Brothers Metal Industries", City = "Beyrouth" });

        Assert.Equal("S13", beirut?.Account.Id);
        Assert.Contains(beirut!.Evidence, e => e.Field == "city" && e.Weight > 0);
        Assert.Equal("S10", match?.Account.Id);
        Assert.Contains(match!.Evidence, e => e.Field == "city" && e.Weight > 0);
    }

    [Fact]
    public async Task GuardPath_NameRomanised_FindsTheAccountThroughTheDirectory()
    {
        var directory = new InMemoryCrmDirectory(new CrmSnapshot
        {
            Users = [new User { Id = "u1", Name = "Rep One" }, new User { Id = "u2", Name = "Rep Two" }],
            Accounts = _org.Accounts.Select(a => a with { OwnerId = "u1", Status = AccountStatus.Customer }).ToList(),
        });
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddExistingCustomerGuard().Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(new Lead { Company = "Al Harbi Contracting", City = "Riyadh", Country = "SA", OwnerId = "u2" }, "u2"));

        Assert.Equal(Verdict.Flag, result.Verdict);
        Assert.Equal("S1", result.Findings.First().Collision?.Record.Id);
    }

    [Fact]
    public void GetKeys_TwoLatinNames_ShareNoSoundKey()
    {
        // "Marin" and "Moran" sound alike to a skeleton; written in one script, their spellings already tell them apart.
        var matcher = StoredMatchKeys.Matcher;
        var account = matcher.GetKeys(new Account { Name = "Marin Logistics" }).NameKeys;
        var lead = matcher.GetKeys(new Lead { Company = "Moran Logistics" }).NameKeys;
        var arabic = matcher.GetKeys(new Account { Name = "موران للخدمات اللوجستية" }).NameKeys;

        Assert.DoesNotContain(lead.Intersect(account), k => k.StartsWith("x:~", StringComparison.Ordinal));
        Assert.Contains(lead.Intersect(arabic), k => k.StartsWith("x:~", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Ochang Tech Co., Ltd.", "Cheongju", "KR")]
    public void Score_OneSyllableOfAChineseName_DoesNotSoundLikeAWordOfAnother(string other, string city, string country)
    {
        // "xiong" of 高雄 has readings that sound like "Ochang" and "King"; one syllable of some 400 says no name.
        var matcher = DevSetMatcher.With(new Account { Id = "K1", Name = other, City = city, Country = country });

        var match = matcher.FindBestAccount(new Lead { Id = "L", Company = "高雄特殊氣體股份有限公司", City = "高雄市", Country = "TW" });

        Assert.DoesNotContain(match?.Account.Id == "K1" ? match.Evidence : [], e => e.Field == "name" && e.Weight > 0);
    }

    public sealed class Org
    {
        public Org()
        {
            Accounts =
            [
                new() { Id = "S1", Name = "مؤسسة الحربي للمقاولات", City = "الرياض", Country = "SA" },
                new() { Id = "S2", Name = "شركة الزهراني للتجارة ذ م م", Phone = "+966 12 661 4420", City = "Jeddah", Country = "SA" },
                new() { Id = "S3", Name = "ООО «Жемчужина»", City = "Казань", Country = "RU" },
                new() { Id = "S4", Name = "महालक्ष्मी ट्रेडर्स प्रा. लि.", City = "Nagpur", Country = "IN" },
                new() { Id = "S5", Name = "Τζανετάκης Ναυτιλιακή Α.Ε.", City = "Πειραιάς", Country = "GR" },
                new() { Id = "S6", Name = "Bin Dasmal Cold Stores W.L.L.", City = "Manama", Country = "BH" },
                new() { Id = "S7", Name = "مؤسسة الريم للمقاولات", City = "أبوظبي", Country = "AE" },
                new() { Id = "S8", Name = "Karimi Steel Pipe Co.", City = "Isfahan", Country = "IR" },
                new() { Id = "S9", Name = "Karimi Steel Pipe Co.", City = "Dayton", Country = "US" },
                new() { Id = "S10", Name = "مؤسسة بن عاشور للنسيج", City = "صفاقس", Country = "TN" },
                new() { Id = "S11", Name = "شركة الأمل للصناعات الدوائية", City = "عمّان", Country = "JO" },
                new() { Id = "S12", Name = "شرکت فولاد سپاهان (سهامی خاص)", City = "اصفهان", Country = "IR" },
                new() { Id = "S13", Name = "Haddad Brothers Metal Industries SAL", City = "Beirut", Country = "LB" },
                new() { Id = "S14", Name = "长沙湘拓电子科技有限公司", City = "长沙", Country = "CN" },
                new() { Id = "S15", Name = "태온전자 주식회사", City = "구미시", Country = "KR" },
                new() { Id = "S16", Name = "深圳市沛禾电子有限公司", City = "深圳", Country = "CN" },
            ];
            Matcher = DevSetMatcher.With([.. Accounts]);
        }

        public IReadOnlyList<Account> Accounts { get; }

        public BulkMatcher Matcher { get; }
    }
}
