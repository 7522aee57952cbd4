using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class AddressNormalizerTests
{
    [Theory]
    [InlineData("8919 GARDEN STREET", "8919 Garden St.")]
    [InlineData("889 Queen Lane.", "889 Queen Ln")]
    [InlineData("435 s. la cienega blv.", "435 South La Cienega Boulevard")]
    [InlineData("1641 Maple Drive, Suite 200", "1641 MAPLE DR")]
    [InlineData("12 Main Street #4", "12 Main St")]
    [InlineData("747 Ninth Ave.  between 50th and 51st Sts.", "747 9th Avenue")]
    [InlineData("239 W. Broadway near Walker St", "239 West Broadway")]
    [InlineData("21 Greams Lane, Off Greams Road", "21, Greams Lane")]
    [InlineData("14 Kenyatta Avenue, Opp. Hilton Hotel", "14 Kenyatta Ave")]
    [InlineData("One Microsoft Way", "1 Microsoft Way")]
    [InlineData("Hauptstraße 5", "Hauptstr. 5")]
    [InlineData("Hauptstrasse 5", "5 Hauptstr")]
    [InlineData("Kalverstraat 92", "Kalverstr. 92")]
    [InlineData("Industrigatan 7", "Industrig. 7")]
    [InlineData("7 rue Mazarine", "7 r. Mazarine")]
    [InlineData("Corso Vittorio Emanuele 120", "C.so Vittorio Emanuele 120")]
    [InlineData("Strindvegen 4", "Strindv. 4")]
    [InlineData("Aleksanterinkatu 15", "Aleksanterink. 15")]
    [InlineData("Friedrich-Ebert-Allee 140", "140 Friedrich Ebert Allee")]
    [InlineData("Keizersgracht 12a", "12A Keizersgracht")]
    [InlineData("Cemal Gürsel Caddesi 412", "Cemal Gürsel Cad. No: 412")]
    [InlineData("372/4 Sokak No:8", "372/4 Sk. 8")]
    [InlineData("Hauptstraße Nr. 5", "Hauptstraße 5")]
    [InlineData("Jl. Rungkut Industri III No. 18", "Jl. Rungkut Industri III/18")]
    [InlineData("Rua Gomes Carneiro, nº 1415", "Rua Gomes Carneiro 1415")]
    [InlineData("Avenida Paulista 1000", "Av. Paulista, 1000")]
    [InlineData("R. Funchal, 418", "Rua Funchal 418")]
    [InlineData("Avda. de la Constitución 12", "Avenida de la Constitución 12")]
    [InlineData("Strada Harghita nr. 12", "Str. Harghita 12")]
    [InlineData("ul. Marszałkowska 142 lok. 5", "ulica Marszałkowska 142")]
    [InlineData("Fő u. 14", "Fő utca 14")]
    [InlineData("Jalan Sudirman 5", "Jl. Sudirman 5")]
    [InlineData("Av. Insurgentes Sur 1602, Piso 4", "Avenida Insurgentes Sur 1602")]
    [InlineData("просп. Соборний, 226, корп. 3", "пр. Соборний, 226")]
    [InlineData("ул. Ленина, д. 5, офис 301", "ул. Ленина, 5")]
    [InlineData("вул. Хрещатик, буд. 22, оф. 5", "вул. Хрещатик, 22")]
    [InlineData("Heol Penarth", "Penarth Road")]
    [InlineData("120 Broadway, 38th Floor", "120 Broadway")]
    [InlineData("1 Canada Square, 2nd Fl.", "1 Canada Sq")]
    [InlineData("12 Heol y Frenhines", "12 y Frenhines Rd")]
    [InlineData("Calle de José Ortega y Gasset, 20, 4ª planta", "C/ José Ortega y Gasset 20")]
    [InlineData("Paseo de la Castellana 259", "Pº de la Castellana, 259")]
    [InlineData("Hauptstraße 5, 3. OG", "Hauptstr. 5")]
    [InlineData("Rua do Carmo 45, 5º andar", "Rua Carmo, 45")]
    [InlineData("12 rue de Rivoli, 2e étage", "12 rue de Rivoli")]
    [InlineData("Leoforos Vouliagmenis 98", "Vouliagmenis Ave 98")]
    public void Normalize_StreetVariants_AreEqual(string a, string b)
    {
        Assert.Equal(AddressNormalizer.Normalize(a, null, null, null).Street, AddressNormalizer.Normalize(b, null, null, null).Street);
    }

    [Theory]
    [InlineData("Silvius-Magnago-Platz 1", "Piazza Silvius Magnago 1")]
    [InlineData("Heol Penarth 5", "5 Penarth Road")]
    public void Normalize_StreetKindBeforeOrAfterItsName_HasTheSameWords(string a, string b)
    {
        static string[] Words(string street) => AddressNormalizer.Normalize(street, null, null, null).Street.Split(' ').OrderBy(w => w, StringComparer.Ordinal).ToArray();

        Assert.Equal(Words(b), Words(a));
    }

    [Theory]
    [InlineData("P.O. Box 40712-00100")]
    [InlineData("PO Box 1234")]
    public void Normalize_PostOfficeBox_IsNoStreet(string line)
    {
        Assert.Equal(string.Empty, AddressNormalizer.Normalize(line, "Nairobi", null, "KE").Street);
    }

    [Theory]
    [InlineData("Av. Colombo, 5790 - Zona 7", "Avenida Colombo 5790")]
    [InlineData("Rua Funchal, 418 - 3º andar - Vila Olímpia", "R. Funchal 418")]
    public void Normalize_BrazilianComplementAfterTheNumber_IsNotTheStreet(string a, string b)
    {
        Assert.Equal(AddressNormalizer.Normalize(b, null, null, "BR").Street, AddressNormalizer.Normalize(a, null, null, "BR").Street);
    }

    [Theory]
    [InlineData("Calle 93 # 11-26, Of. 502", "Cl. 93 No. 11-26")]
    [InlineData("Cra 13 # 57-20", "Carrera 13 No. 57-20")]
    public void Normalize_ColombianNumberAfterTheHash_IsTheHouseNumber(string a, string b)
    {
        // In Colombia "#" says the number follows; elsewhere it is a suite ("12 Main Street #4").
        Assert.Equal(AddressNormalizer.Normalize(a, null, null, "CO").Street, AddressNormalizer.Normalize(b, null, null, "CO").Street);
        Assert.NotEqual(AddressNormalizer.Normalize(a, null, null, "US").Street, AddressNormalizer.Normalize(b, null, null, "US").Street);
    }

    [Theory]
    [InlineData("Sala Dorada 4", "sala")]
    [InlineData("Calle del Local", "local")]
    public void Normalize_UnitWordOfAStreetNameWithoutANumberAfterIt_IsKept(string street, string word)
    {
        Assert.Contains(word, AddressNormalizer.Normalize(street, null, null, "ES").Street.Split(' '));
    }

    [Theory]
    [InlineData("Hauptstraße 5", "5")]
    [InlineData("Friedrich-Ebert-Allee 140", "140")]
    [InlineData("Two Embarcadero Center", "2")]
    [InlineData("Route 66", "66")]
    public void Normalize_HouseNumberWrittenLastOrInWords_IsTheNumber(string street, string number)
    {
        Assert.Equal(number, AddressNormalizer.Normalize(street, null, null, null).Number);
    }

    [Theory]
    [InlineData("Chicago, IL", "chicago")]
    [InlineData("Chicago IL 60601", "chicago")]
    [InlineData("Toronto, Ontario", "toronto")]
    [InlineData("Sydney NSW", "sydney")]
    [InlineData("Washington, D.C.", "washington")]
    [InlineData("Salt Lake City", "salt lake")]
    [InlineData("Ontario", "ontario")]
    [InlineData("Kansas City", "kansas")]
    [InlineData("Odense C", "odense")]
    [InlineData("Pouso Alegre - MG", "pouso alegre")]
    [InlineData("Ourinhos/SP", "ourinhos")]
    [InlineData("København SV", "copenhagen")]
    [InlineData("Elsene", "ixelles")]
    public void Normalize_CityWithItsStateOrPostalCode_IsTheCity(string city, string expected)
    {
        Assert.Equal(expected, AddressNormalizer.Normalize(null, city, null, null).City);
    }

    [Theory]
    [InlineData("MN 55403-1106", "55403", "US")]
    [InlineData("ON K2J 4B1", "K2J 4B1", "CA")]
    [InlineData("NSW 2000", "2000", "AU")]
    [InlineData("D-10115", "10115", "DE")]
    [InlineData("SW1A 1AA", "SW1A1AA", "GB")]
    [InlineData("VLT 1117", "VLT1117", "MT")]
    public void Normalize_PostalCodeWithTheStateOrCountryBeforeIt_IsTheCode(string typed, string code, string country)
    {
        Assert.Equal(AddressNormalizer.Normalize(null, null, code, country).PostalCode, AddressNormalizer.Normalize(null, null, typed, country).PostalCode);
    }

    [Theory]
    [InlineData("2 Woodlands Sector 1 #03-05 Woodlands Spectrum", "0305")]
    [InlineData("4390 Steeles Avenue East, Unit 18", "18")]
    [InlineData("1641 Maple Drive, Suite 200", "200")]
    [InlineData("1641 Maple Drive, Floor 3", "")]
    [InlineData("1641 Maple Drive", "")]
    public void Normalize_SuiteOrUnit_IsKeptApartFromTheStreet(string street, string unit)
    {
        var address = AddressNormalizer.Normalize(street, "Singapore", null, null);

        Assert.Equal(unit, address.Unit);
    }

    [Theory]
    [InlineData("ON", "CA")]
    [InlineData("Texas", "US")]
    [InlineData("n/a", "GB")]
    public void Normalize_PostalCodeFieldWithoutADigit_HoldsNoCode(string typed, string country)
    {
        Assert.Equal(string.Empty, AddressNormalizer.Normalize(null, null, typed, country).PostalCode);
    }

    [Theory]
    [InlineData("33 Broad Chare, Newcastle upon Tyne NE1 3DQ", "33 Broad Chare", "Newcastle upon Tyne", "NE1 3DQ", "GB")]
    [InlineData("2105 S Broadway Ave, Tyler, TX 75701", "2105 S Broadway Ave", "Tyler", "75701", "US")]
    [InlineData("Hauptstraße 5, 10115 Berlin", "Hauptstraße 5", "Berlin", "10115", "DE")]
    public void Normalize_WholeAddressOnTheStreetLine_IsReadAsStreetCityAndPostalCode(string line, string street, string city, string postal, string country)
    {
        Assert.Equal(AddressNormalizer.Normalize(street, city, postal, country), AddressNormalizer.Normalize(line, null, null, country));
    }

    [Theory]
    [InlineData("1 World Trade Center, Suite 8500")]
    [InlineData("21 Greams Lane, Off Greams Road")]
    [InlineData("Level 18, 126 Phillip St")]
    [InlineData("123 Main St, Building 5, Springfield 62701")]
    public void Normalize_CommaWithoutACityAndPostalCodeAfterIt_KeepsTheStreetLine(string line)
    {
        var address = AddressNormalizer.Normalize(line, null, null, "US");

        Assert.Equal(string.Empty, address.City);
        Assert.Equal(string.Empty, address.PostalCode);
    }

    [Fact]
    public void Normalize_WholeAddressOnTheStreetLineBesideACity_IsLeftAsTyped()
    {
        // The city was given: what follows the comma is the street's own (a locality, a landmark).
        var address = AddressNormalizer.Normalize("SIPCOT IT Park, Siruseri 603103", "Chennai", null, "IN");

        Assert.Equal("chennai", address.City);
        Assert.Equal(string.Empty, address.PostalCode);
    }

    [Fact]
    public void Normalize_Locality_IsFoldedAndCompact()
    {
        var address = AddressNormalizer.Normalize("1 High St", "São Paulo", "01310-100", "br");
        Assert.Equal("sao paulo", address.City);
        Assert.Equal("01310100", address.PostalCode);
        Assert.Equal("BR", address.Country);
        Assert.Equal("1", address.Number);
    }

    [Theory]
    [InlineData("98101-2345", "US", "98101")]
    [InlineData("981012345", "United States", "98101")]
    [InlineData("98101-2345", null, "98101")]
    [InlineData("98101", "US", "98101")]
    [InlineData("01310-100", "BR", "01310100")]
    [InlineData("123456789", "DE", "123456789")]
    public void Normalize_ZipPlusFour_IsItsZip(string postal, string? country, string expected)
    {
        Assert.Equal(expected, AddressNormalizer.Normalize(null, null, postal, country).PostalCode);
    }

    [Theory]
    [InlineData("9007", "ES", "09007")]
    [InlineData("2108", "US", "02108")]
    [InlineData("1067", "Germany", "01067")]
    [InlineData("2000", "AU", "2000")]
    [InlineData("1010", "AT", "1010")]
    [InlineData("2108", null, "2108")]
    public void Normalize_FiveDigitCodeWithItsLeadingZeroDropped_HasItBack(string postal, string? country, string expected)
    {
        Assert.Equal(expected, AddressNormalizer.Normalize(null, null, postal, country).PostalCode);
    }

    [Theory]
    [InlineData("St. Louis", "Saint Louis")]
    [InlineData("Saint-Étienne", "St Etienne")]
    [InlineData("Mount Vernon", "Mt. Vernon")]
    [InlineData("Fort Worth", "Ft Worth")]
    [InlineData("New York City", "New York")]
    [InlineData("W. Hollywood", "West Hollywood")]
    public void Normalize_ShortenedCityWords_AreTheSameCity(string a, string b)
    {
        Assert.Equal(AddressNormalizer.Normalize(null, a, null, null).City, AddressNormalizer.Normalize(null, b, null, null).City);
    }

    [Fact]
    public void Normalize_CityThatOnlyContainsAWord_IsKept()
    {
        Assert.Equal("fortaleza", AddressNormalizer.Normalize(null, "Fortaleza", null, "BR").City);
    }

    [Theory]
    [InlineData("München", "Munich")]
    [InlineData("Muenchen", "MUNICH")]
    [InlineData("Москва", "Moscow")]
    [InlineData("東京", "Tokyo")]
    [InlineData("Bombay", "Mumbai")]
    [InlineData("Den Haag", "The Hague")]
    [InlineData("Ciudad de México", "Mexico City")]
    [InlineData("Frankfurt am Main", "Frankfurt")]
    [InlineData("Caerdydd", "Cardiff")]
    [InlineData("Corcaigh", "Cork")]
    [InlineData("Ljouwert", "Leeuwarden")]
    [InlineData("Nelspruit", "Mbombela")]
    [InlineData("Osaka-shi", "Osaka")]
    [InlineData("Donostia-San Sebastián", "San Sebastián")]
    [InlineData("Alacant", "Alicante")]
    [InlineData("Coruña", "A Coruña")]
    [InlineData("Gumi-si", "Gumi")]
    [InlineData("深圳市", "Shenzhen")]
    public void Normalize_CityByAnotherName_IsTheSameCity(string a, string b)
    {
        Assert.Equal(AddressNormalizer.Normalize(null, b, null, null).City, AddressNormalizer.Normalize(null, a, null, null).City);
    }

    [Fact]
    public void CityTable_NoNameStandsForTwoCities()
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var clashes = new List<string>();
        foreach (var line in ReferenceData.Cities)
        {
            var names = line.Split('\t', '|');
            var city = AddressNormalizer.Normalize(null, names[0], null, null).City;
            foreach (var name in names)
            {
                var read = AddressNormalizer.Normalize(null, name, null, null).City;
                if (seen.TryGetValue(read, out var other) && other != city)
                    clashes.Add($"{name} ({read}): {other} and {city}");
                seen[read] = city;
            }
        }

        Assert.Empty(clashes);
        Assert.True(ReferenceData.Cities.Count > 50, $"{ReferenceData.Cities.Count} cities");
    }
}
