using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class ThaiWordsTests
{
    [Theory]
    [InlineData("ร้านยาฟาร์มาดี สาขาลาดพร้าว", "ร้านยา ฟาร์มาดี สาขา ลาดพร้าว")]
    [InlineData("บริษัทฟาร์มาดีจำกัด", "บริษัท ฟาร์มาดี จำกัด")]
    [InlineData("โรงพยาบาลกรุงเทพ", "โรงพยาบาล กรุงเทพ")]
    [InlineData("Acme (Thailand) Co., Ltd.", "Acme (Thailand) Co., Ltd.")]
    public void NameApart_KnownWordsRunOntoTheName_AreSetApart(string raw, string expected)
    {
        Assert.Equal(expected, ThaiWords.NameApart(raw));
    }

    [Theory]
    [InlineData("ฟาร์มาดี", "ฟาร์มาดี")]          // "ฟาร์ม" (farm) then a vowel of its syllable: one word
    [InlineData("ไทยเคมีภัณฑ์", "ไทย เคมีภัณฑ์")]   // the vowel written before its consonant stays with it
    public void NameApart_NeverSplitsASyllable(string raw, string expected)
    {
        Assert.Equal(expected, ThaiWords.NameApart(raw));
    }

    [Fact]
    public void Normalize_BranchRunOntoItsPlace_IsTheSite()
    {
        var name = CompanyNameNormalizer.Normalize("ร้านยาฟาร์มาดี สาขาลาดพร้าว");

        Assert.True(name.HasSite);
        Assert.Contains("pharmacy", name.Tokens.Take(name.HeadCount));
    }

    [Fact]
    public void Normalize_ThaiStreetAbbreviatedOrWrittenOut_IsOneStreetWithoutItsDistricts()
    {
        var typed = AddressNormalizer.Normalize("123 ถ.ลาดพร้าว", "กรุงเทพ", null, "TH");
        var registered = AddressNormalizer.Normalize("123 ถนนลาดพร้าว แขวงจอมพล เขตจตุจักร", "กรุงเทพมหานคร", "10900", "TH");

        Assert.Equal(registered.Street, typed.Street);
        Assert.StartsWith("123 rd ", typed.Street, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_ShopNameRunTogetherAtTheCompanysNumberAndStreet_IsTheCompany()
    {
        var account = new Account { Id = "pd", Name = "บริษัท ฟาร์มาดี ดรักสโตร์ จำกัด", Website = "www.pharmadee.co.th", Phone = "02-538-1234", Street = "123 ถนนลาดพร้าว แขวงจอมพล เขตจตุจักร", City = "กรุงเทพมหานคร", PostalCode = "10900", Country = "Thailand" };
        var matcher = TestSupport.DevSetMatcher.With(account);

        var decision = matcher.Match(new Lead { Id = "L", Company = "ร้านยาฟาร์มาดี สาขาลาดพร้าว", Phone = "02-538-1234", Street = "123 ถ.ลาดพร้าว", City = "กรุงเทพ", Country = "ไทย" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal("pd", decision.AccountId);
    }
}
