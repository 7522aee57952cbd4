using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Normalization;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Tests.Matching.Scoring;

public class MatchEngineTests
{
    private readonly MatchEngine _engine = new(MatchingOptions.Default, TokenStatistics.Default);

    [Fact]
    public void Score_AgreeingFields_ExplainEachWeight()
    {
        var lead = _engine.Features(new Lead { Company = "Kasy Corp", Email = "priya.white@kasy.us", Phone = "1-713-872-3212", Street = "1641 MAPLE DR", City = "Phoenix", Country = "US" });
        var account = _engine.Features(new Account { Id = "A1", Name = "Kasy Incorporated", Email = "info@kasy.us", Phone = "+1 713 872 3212", Website = "http://kasy.us/en/", Street = "1641 Maple Drive", City = "Phoenix", Country = "US" });

        var score = _engine.Score(lead, account, [], new ShareCounts(), explain: true);

        Assert.True(Probability(lead, account) >= MatchScoreBands.Block);
        var fields = score.Evidence!.Select(e => e.Field).ToList();
        Assert.Contains("name", fields);
        Assert.Contains("domain", fields);
        Assert.Contains("phone", fields);
        Assert.Contains("street", fields);
        Assert.Contains("city", fields);
        Assert.All(score.Evidence!, e => Assert.True(e.Weight > 0, $"{e.Field} counted against: {e.Detail}"));
        Assert.Equal(MatchEngine.PriorBits + score.Evidence!.Sum(e => e.Weight), score.Weight, 1);
        Assert.Contains("\"kasy\" = \"kasy\"", score.Evidence!.Single(e => e.Field == "name").Detail);
    }

    [Fact]
    public void Score_SharedHotelSwitchboard_IsCappedBelowBlock()
    {
        // Phone, street, city and postal code all agree (one building), the names only share the hotel's words.
        var lead = _engine.Features(new Lead { Company = "ritz-carlton cafe (atlanta)", Phone = "404-659-0400", Street = "181 peachtree st.", City = "atlanta", PostalCode = "30303" });
        var account = _engine.Features(new Account { Id = "F1", Name = "restaurant ritz-carlton atlanta", Phone = "404/659-0400", Street = "181 peachtree st.", City = "atlanta", PostalCode = "30303" });

        var score = _engine.Score(lead, account, [], new ShareCounts(), explain: false);

        Assert.True(MatchEngine.ToProbability(score.Weight) >= MatchScoreBands.Block, "the fields alone would block");
        Assert.False(score.Corroborated);
        Assert.True(Probability(lead, account) < MatchScoreBands.Block);
    }

    [Fact]
    public void Score_SharedPhoneNumber_WeighsLessThanAPrivateOne()
    {
        var lead = _engine.Features(new Lead { Company = "Alpha", Phone = "+1 206 555 0100" });
        var account = _engine.Features(new Account { Id = "A", Name = "Beta", Phone = "+1 206 555 0100" });

        var alone = _engine.Score(lead, account, [], new ShareCounts(), explain: true).Evidence!.Single(e => e.Field == "phone").Weight;
        var shared = _engine.Score(lead, account, [], new ShareCounts(8), explain: true).Evidence!.Single(e => e.Field == "phone").Weight;

        Assert.True(shared < alone);
    }

    [Fact]
    public void Score_ContactEmail_TiesLeadToAccount()
    {
        var contact = new Contact { Id = "C1", AccountId = "A", FirstName = "William", LastName = "Parker", Email = "wparker@brookside.io" };
        var lead = _engine.Features(new Lead { FirstName = "Bill", LastName = "Parker", Company = "Brookside", Email = "WParker@Brookside.io" });
        var account = _engine.Features(new Account { Id = "A", Name = "Brookside Holdings Co." });

        var score = _engine.Score(lead, account, [_engine.Features(contact, null)], new ShareCounts(), explain: true);

        Assert.Contains(score.Evidence!, e => e.Field == "contact-email" && e.Weight == MatchEngine.EmailExact);
        Assert.Contains(score.Evidence!, e => e.Field == "contact-name");
        Assert.True(score.SiteAgrees);
        Assert.True(_engine.Resolve(lead, [account], [[_engine.Features(contact, null)]]).Score >= MatchScoreBands.Block);
    }

    [Fact]
    public void Score_DifferentCompanyDomainAndCity_CountsAgainst()
    {
        var lead = _engine.Features(new Lead { Company = "Sequoia Oil", Website = "sooil.com", City = "Austin" });
        var account = _engine.Features(new Account { Id = "A", Name = "Sequoia Oil Plastics Corp", Website = "https://sequoiaoilplastics.us/", City = "Portland" });

        var score = _engine.Score(lead, account, [], new ShareCounts(), explain: true);

        Assert.True(Probability(lead, account) < MatchScoreBands.Flag, $"score {Probability(lead, account)}");
        Assert.Contains(score.Evidence!, e => e.Field == "domain" && e.Weight < 0);
        Assert.Contains(score.Evidence!, e => e.Field == "city" && e.Weight < 0);
    }

    [Fact]
    public void CompareNames_CommonWordOnly_WeighsLessThanRareWord()
    {
        var rare = _engine.CompareNames(CompanyNameNormalizer.Normalize("Zorblax Systems"), CompanyNameNormalizer.Normalize("Zorblax Software"), explain: false).Weight;
        var common = _engine.CompareNames(CompanyNameNormalizer.Normalize("Zorblax Systems"), CompanyNameNormalizer.Normalize("Quuxor Systems"), explain: false).Weight;
        Assert.True(rare > common);
        Assert.True(common < 0);
    }

    [Fact]
    public void CompareNames_Typo_StillAgrees()
    {
        var (weight, _, detail) = Parts(_engine.CompareNames(CompanyNameNormalizer.Normalize("Stsne Airlines"), CompanyNameNormalizer.Normalize("Stone Airlines"), explain: true));
        Assert.True(weight > 3);
        Assert.Contains("typo", detail);
    }

    [Fact]
    public void CompareNames_ShortFormOfACommonWord_Agrees()
    {
        var (weight, relation, detail) = Parts(_engine.CompareNames(CompanyNameNormalizer.Normalize("Acme Instrmts"), CompanyNameNormalizer.Normalize("Acme Instruments"), explain: true));

        Assert.True(relation == NameRelation.Same && weight > 3, $"{relation} {weight}: {detail}");
    }

    [Fact]
    public void CompareNames_CoinedNameInsideAnother_IsNotAShortForm()
    {
        // "Torvi" has the letters of "Torlexvi" in order, first and last alike: another company, not its short form.
        var (_, relation, detail) = Parts(_engine.CompareNames(CompanyNameNormalizer.Normalize("Torvi Systems"), CompanyNameNormalizer.Normalize("Torlexvi Systems"), explain: true));

        Assert.NotEqual(NameRelation.Same, relation);
        Assert.DoesNotContain("short form", detail);
    }

    private double Probability(LeadFeatures lead, AccountFeatures account) => _engine.Resolve(lead, [account], [null]).Score;

    private static (double Weight, NameRelation Relation, string Detail) Parts(NameMatch name) => (name.Weight, name.Relation, name.Detail);
}
