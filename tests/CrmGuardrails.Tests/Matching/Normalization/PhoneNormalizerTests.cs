using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class PhoneNormalizerTests
{
    [Theory]
    [InlineData("(743) 231-9487", "US", "+17432319487")]
    [InlineData("1-283-016-6131", "", "+12830166131")]
    [InlineData("310/246-1501", "US", "+13102461501")]
    [InlineData("001 813 251 0900", "US", "+18132510900")]
    [InlineData("001 283 016 6131", "US", "+12830166131")]
    [InlineData("0044 20 7946 0958", "US", "+442079460958")]
    [InlineData("0011 61 2 9374 4000", "AU", "+61293744000")]
    [InlineData("0061 624560257", "AU", "+61624560257")]
    [InlineData("0061 2 9374 4000", "AU", "+61293744000")]
    [InlineData("0049 7171375368", "DE", "+497171375368")]
    [InlineData("07171375368", "DE", "+497171375368")]
    [InlineData("+49 (31) 47104974", "DE", "+493147104974")]
    [InlineData("+44 (0)20 7946 0958", "GB", "+442079460958")]
    [InlineData("020 7946 0958", "GB", "+442079460958")]
    [InlineData("+44 231 429 0478 x214", "", "+442314290478")]
    [InlineData("+44 (42) 24561158 #214", "GB", "+444224561158")]
    [InlineData("+15338195917 x214", "", "+15338195917")]
    [InlineData("(743) 231-9487 ext. 12", "US", "+17432319487")]
    [InlineData("(743) 231-9487x12", "US", "+17432319487")]
    [InlineData("020 7946 0958 extension 4410", "GB", "+442079460958")]
    [InlineData("01 42 68 53 00 poste 214", "FR", "+33142685300")]
    [InlineData("+7 495 739 70 00 доб. 1234", "RU", "+74957397000")]
    [InlineData("041-540-7114 (분기 7230)", "KR", "+82415407114")]
    [InlineData("03-3253-6610 内線 123", "JP", "+81332536610")]
    [InlineData("(11) 3456-7890 ramal 12", "BR", "+551134567890")]
    [InlineData("22 123 45 67 wewn. 21", "PL", "+48221234567")]
    [InlineData("01 81 8158 6600", "MX", "+528181586600")]
    [InlineData("044 55 1234 5678", "MX", "+525512345678")]
    [InlineData("+52 1 55 1234 5678", "", "+525512345678")]
    [InlineData("+52 81 8158 6600", "", "+528181586600")]
    public void ToE164_TypedFormats_GiveE164(string raw, string country, string expected)
    {
        Assert.Equal(expected, PhoneNormalizer.ToE164(raw, country, "US"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("n/a")]
    [InlineData("12345")]
    public void ToE164_NoNumber_IsEmpty(string? raw)
    {
        Assert.Equal(string.Empty, PhoneNormalizer.ToE164(raw, "US", "US"));
    }

    [Fact]
    public void SwitchboardKey_DirectDialAndMainLine_AreEqual()
    {
        var main = PhoneNormalizer.ToE164("1-283-016-6131", "US", "US");
        var direct = PhoneNormalizer.ToE164("1-283-016-6139", "US", "US");
        var other = PhoneNormalizer.ToE164("1-283-017-6131", "US", "US");
        Assert.NotEqual(main, direct);
        Assert.Equal(PhoneNormalizer.SwitchboardKey(main), PhoneNormalizer.SwitchboardKey(direct));
        Assert.NotEqual(PhoneNormalizer.SwitchboardKey(main), PhoneNormalizer.SwitchboardKey(other));
        Assert.StartsWith(PhoneNormalizer.SwitchboardPrefix, PhoneNormalizer.SwitchboardKey(main));
    }

    [Theory]
    [InlineData("206-555-0142 / 206-555-0199", "US", "+12065550142")]
    [InlineData("020 7946 0958; 07700 900123", "GB", "+442079460958")]
    [InlineData("310/246-1501 / 310/246-1502", "US", "+13102461501")]
    [InlineData("(206) 555-0142, mobile (206) 555-0199", "US", "+12065550142")]
    [InlineData("+1 206 555 0142 or +1 206 555 0199", "US", "+12065550142")]
    public void ToE164_SeveralNumbersInOneField_GivesTheFirst(string raw, string country, string expected)
    {
        Assert.Equal(expected, PhoneNormalizer.ToE164(raw, country, "US"));
    }

    [Theory]
    [InlineData("+44 231 429 0478", "+44 231 429 0478")]
    [InlineData("555 0100 x", "555 0100 x")]
    [InlineData("555 0100 x1234567", "555 0100 x1234567")]
    [InlineData("Max 0100", "Max 0100")]
    [InlineData("555 0100, ext 7", "555 0100")]
    public void WithoutExtension_OnlyATrailingExtensionIsCut(string raw, string expected)
    {
        Assert.Equal(expected, PhoneNormalizer.WithoutExtension(raw));
    }

    [Theory]
    [InlineData("2545 3318", null, "25453318")]
    [InlineData("053 275100", "", "053275100")]
    [InlineData("053 275100", "Atlantis", "053275100")]
    [InlineData("2545 3318", "HK", "")]
    [InlineData("+852 2545 3318", null, "")]
    [InlineData("0044 20 7946 0000", null, "")]
    [InlineData("555 0100", null, "5550100")]
    [InlineData("55 0100", null, "")]
    [InlineData("2545 3318 ext 12", null, "25453318")]
    public void NationalDigits_NumberWithoutACountry_KeepsWhatWasTyped(string raw, string? country, string expected)
    {
        Assert.Equal(expected, PhoneNormalizer.NationalDigits(raw, country));
    }

    [Theory]
    [InlineData("+85225453318", "25453318")]
    [InlineData("+390287654321", "0287654321")]
    [InlineData("+14155550100", "4155550100")]
    [InlineData("#25453318", "")]
    [InlineData("+1555", "")]
    public void NationalNumber_E164_IsTheNumberWithoutItsCountryCode(string e164, string expected)
    {
        Assert.Equal(expected, PhoneNormalizer.NationalNumber(e164));
    }

    [Theory]
    [InlineData("+18002744452", true)]
    [InlineData("+18559599276", true)]
    [InlineData("+441632960000", false)]
    [InlineData("+448001234567", true)]
    [InlineData("+611300123456", true)]
    [InlineData("+61298765432", false)]
    [InlineData("+498001234567", true)]
    [InlineData("+12125550100", false)]
    public void IsNonGeographic_FreephoneAndNationalRateNumbers_AreNoPlacesLine(string e164, bool expected)
    {
        Assert.Equal(expected, PhoneNormalizer.IsNonGeographic(e164));
    }
}
