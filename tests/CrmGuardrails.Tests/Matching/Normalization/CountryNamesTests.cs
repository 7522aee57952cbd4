using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

/// <summary>Countries as people type them into free-text fields (Dataverse address1_country, Salesforce BillingCountry).</summary>
public class CountryNamesTests
{
    [Theory]
    [InlineData("DE", "DE")]
    [InlineData("uk", "GB")]
    [InlineData("Germany", "DE")]
    [InlineData("DEUTSCHLAND", "DE")]
    [InlineData("Deutschland ", "DE")]
    [InlineData("DEU", "DE")]
    [InlineData("United States", "US")]
    [InlineData("United States of America", "US")]
    [InlineData("U.S.A.", "US")]
    [InlineData("U.S.", "US")]
    [InlineData("USA", "US")]
    [InlineData("United Kingdom", "GB")]
    [InlineData("England", "GB")]
    [InlineData("Great Britain", "GB")]
    [InlineData("Österreich", "AT")]
    [InlineData("Oesterreich", "AT")]
    [InlineData("The Netherlands", "NL")]
    [InlineData("Holland", "NL")]
    [InlineData("España", "ES")]
    [InlineData("Korea, Republic of", "KR")]
    [InlineData("日本", "JP")]
    [InlineData("Россия", "RU")]
    [InlineData("Côte d'Ivoire", "CI")]
    [InlineData("UAE", "AE")]
    [InlineData("CT", "US")]
    [InlineData("NY", "US")]
    [InlineData("Texas", "US")]
    [InlineData("ON", "CA")]
    [InlineData("Ontario", "CA")]
    [InlineData("New South Wales", "AU")]
    [InlineData("CA", "CA")]
    [InlineData("SK", "SK")]
    [InlineData("Georgia", "GE")]
    public void NormalizeRegion_NamesAndCodes_GiveTheAlpha2Code(string typed, string expected)
    {
        Assert.Equal(expected, PhoneNormalizer.NormalizeRegion(typed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Atlantis")]
    [InlineData("12")]
    [InlineData("n/a")]
    public void NormalizeRegion_NoCountry_IsNull(string? typed)
    {
        Assert.Null(PhoneNormalizer.NormalizeRegion(typed));
    }

    [Fact]
    public void Table_NoFoldedNameNamesTwoCountries()
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var clashes = new List<string>();
        foreach (var line in ReferenceData.Countries)
        {
            var code = line.Substring(0, 2);
            foreach (var name in line.Substring(3).Split('|'))
            {
                var folded = MatchText.Fold(name);
                if (seen.TryGetValue(folded, out var other) && other != code)
                    clashes.Add($"{name} ({folded}): {other} and {code}");
                seen[folded] = code;
            }
        }

        Assert.Empty(clashes);
        Assert.True(seen.Count > 500, $"{seen.Count} names");
        Assert.Equal(249, ReferenceData.Countries.Count);
    }

    [Theory]
    [InlineData("030 12345678", "Germany", "+493012345678")]
    [InlineData("030 12345678", "Deutschland", "+493012345678")]
    [InlineData("020 7946 0958", "United Kingdom", "+442079460958")]
    [InlineData("(743) 231-9487", "United States", "+17432319487")]
    public void ToE164_NationalNumberWithCountryName_IsReadInThatCountry(string raw, string country, string expected)
    {
        Assert.Equal(expected, PhoneNormalizer.ToE164(raw, country, "US"));
    }

    [Fact]
    public void MatchAccount_CountryTypedAsName_PhoneStillAgrees()
    {
        var account = new Account { Id = "a", Name = "Kessler Maschinenbau GmbH", Phone = "+49 30 12345678", City = "Berlin", Country = "DE" };
        var lead = new Lead { Company = "Kesler Maschinenbau", Phone = "030 12345678", Country = "Germany" };

        var match = RecordMatcher.CreateDefault().MatchAccount(lead, [account], []);

        Assert.Contains(match!.Evidence, e => e.Field == "phone" && e.Weight > 0);
        Assert.True(match.Score >= MatchScoreBands.Block, $"score {match.Score}");
    }

    [Fact]
    public void StateCodes_AreNoCountrysCode()
    {
        var countries = new HashSet<string>(ReferenceData.Countries.Select(line => line.Substring(0, 2)), StringComparer.Ordinal);

        Assert.DoesNotContain(CountryNames.StateCodeKeys, countries.Contains);
    }
}
