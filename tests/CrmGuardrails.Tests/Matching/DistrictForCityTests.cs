using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Normalization;
using CrmGuardrails.Matching.Scoring;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// People type the district or town for the city ("Tân Bình" for Ho Chi Minh City, "Nanshan" for Shenzhen) and the
/// account's address names it, or the city's districts do ("Deira" for Dubai): that is not another city; nor is a city's
/// short name ("Cartagena" for "Cartagena de Indias"). A city the address does not name still disagrees.
/// </summary>
public class DistrictForCityTests : IClassFixture<DistrictForCityTests.Org>
{
    private readonly BulkMatcher _matcher;

    public DistrictForCityTests(Org org) => _matcher = org.Matcher;

    [Theory]
    [InlineData("Thiên Ân", "+84 903 812 445", "Tân Bình", Verdict.Flag)]
    [InlineData("Thiên Ân", "+84 903 812 445", "Đà Nẵng", Verdict.Allow)]
    [InlineData(null, "0274 3767 112", "Bình Dương", Verdict.Flag)]
    [InlineData(null, "0274 3767 112", "Đà Nẵng", Verdict.Allow)]
    [InlineData(null, "+57 605 6651122", "Cartagena", Verdict.Flag)]
    [InlineData(null, "+57 605 6651122", "Barranquilla", Verdict.Allow)]
    public void Match_TheDistrictOrTownTheAddressNames_IsNoOtherCity(string? company, string phone, string city, Verdict expected)
    {
        // The account's own number (with a short name, or alone): evidence enough for a flag, unless the city says
        // another place. "Tân Bình" is in the first account's street line, "Bình Dương" after the second's city comma;
        // "Cartagena" begins the third's city.
        var decision = _matcher.Match(new Lead { Id = "L", LastName = "Lâm", Company = company, Phone = phone, City = city });

        Assert.Equal(expected, decision.Verdict);
    }

    [Theory]
    [InlineData("Deira", Verdict.Flag)]
    [InlineData("دبي", Verdict.Flag)]
    [InlineData("Sharjah", Verdict.Allow)]
    public void Match_ADistrictOfTheCityFromTheTable_IsNoOtherCity(string city, Verdict expected)
    {
        // The account's own number beside a name in another script that says nothing: enough for a flag, unless the city
        // says another place. The account's address does not name Deira; the city's districts do.
        var decision = _matcher.Match(new Lead { Id = "L", LastName = "Menon", Company = "An-Nur Trading", Phone = "04 266 7320", City = city, Country = "United Arab Emirates" });

        Assert.Equal(expected, decision.Verdict);
    }

    [Theory]
    [InlineData("Brooklyn", "New York", true)]
    [InlineData("New York City", "Manhattan", true)]
    [InlineData("Sheung Wan", "香港", true)]
    [InlineData("上環", "Hong Kong", true)]
    [InlineData("Makati City", "Metro Manila", true)]
    [InlineData("Deira", "Bur Dubai", false)]
    [InlineData("Brooklyn", "Boston", false)]
    [InlineData("Richmond", "London", false)]
    public void InOneCity_ADistrictAndItsCity(string a, string b, bool expected)
    {
        Assert.Equal(expected, AddressNormalizer.InOneCity(Read(a), Read(b)));
    }

    [Fact]
    public void DistrictTable_NoDistrictIsACityOrTwoCitiesDistrict()
    {
        var cities = new HashSet<string>(ReferenceData.Cities.Select(line => Read(line.Split('\t')[0])), StringComparer.Ordinal);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var clashes = new List<string>();
        foreach (var line in ReferenceData.Districts)
        {
            var parts = line.Split('\t');
            var city = Read(parts[0]);
            foreach (var district in parts[1].Split('|'))
            {
                var names = district.Split('/');
                foreach (var name in names)
                {
                    var read = Read(name);
                    if (cities.Contains(read) && read != Read(names[0]))
                        clashes.Add($"{name} ({read}) is a city");
                    if (Read(names[0]) != read)
                        clashes.Add($"{name} ({read}) is not read as {names[0]}");
                    if (seen.TryGetValue(read, out var other) && other != city)
                        clashes.Add($"{name} ({read}): {other} and {city}");
                    seen[read] = city;
                }
            }
        }

        Assert.True(clashes.Count == 0, string.Join("\n", clashes));
        Assert.True(seen.Count > 500, $"{seen.Count} districts");
    }

    /// <summary>A city field as the matcher reads it.</summary>
    private static string Read(string city) => AddressNormalizer.Normalize(null, city, null, null).City;

    [Theory]
    [InlineData("guang dong sheng shen zhen shi nan shan qu", "nanshan", true)]
    [InlineData("112 5 cong hoa phuong 4 quan tan binh", "tan binh", true)]
    [InlineData("12 binhthanh road", "binh", false)]
    [InlineData("nan shan qu", "nans", false)]
    public void HasWordRun_WholeWordsSpacesAside(string text, string words, bool expected)
    {
        Assert.Equal(expected, MatchEngine.HasWordRun(text, words));
    }

    public sealed class Org
    {
        public Org()
        {
            Matcher = DevSetMatcher.With(
            [
                new() { Id = "D1", Name = "Công ty TNHH Thương mại Kỹ thuật Thiên Ân", Phone = "0903 812 445", Street = "112/5 Cộng Hòa, Phường 4, Quận Tân Bình", City = "TP. Hồ Chí Minh", Country = "VN" },
                new() { Id = "D2", Name = "Công ty TNHH Linh Kiện Điện Tử Phước Thành", Phone = "0274 3767 112", Street = "Lô C-12, KCN VSIP II, Phường Hòa Phú", City = "Thủ Dầu Một, Bình Dương", Country = "VN" },
                new() { Id = "D3", Name = "Hoteles y Turismo del Caribe S.A.S.", Phone = "+57 605 665 1122", Street = "Cra. 1 # 10-10, Bocagrande", City = "Cartagena de Indias", Country = "CO" },
                new() { Id = "D4", Name = "شركة النور للتجارة العامة ذ.م.م", Phone = "+971 4 266 7320", Street = "شارع الرقة", City = "دبي", Country = "AE" },
            ]);
        }

        public BulkMatcher Matcher { get; }
    }
}
