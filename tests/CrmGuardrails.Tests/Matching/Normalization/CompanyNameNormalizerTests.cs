using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class CompanyNameNormalizerTests
{
    [Theory]
    [InlineData("Brookside Holdings Co.", "brookside holdings")]
    [InlineData("Nguyen & Collins GmbH & Co. KG", "nguyen and collins")]
    [InlineData("Nguyen and Collins", "nguyen and collins")]
    [InlineData("Anderson & Johnson L.L.C.", "anderson and johnson")]
    [InlineData("Ironwood Summit Wind Co., Ltd.", "ironwood summit wind")]
    [InlineData("Harris Apparel, Kabushiki Kaisha", "harris apparel")]
    [InlineData("Urban Pioneer Dynamics Pty. Ltd.", "urban pioneer dynamics")]
    [InlineData("Silver Harbor Oil SA", "silver harbor oil")]
    [InlineData("Müller Bäckerei GmbH", "muller backerei")]
    [InlineData("Straße Bau AG", "strasse bau")]
    [InlineData("ＡＣＭＥ Ｉｎｃ", "acme")]
    [InlineData("Kowalski Sp. z o.o.", "kowalski")]
    public void Normalize_LegalFormsAndUnicode_AreFolded(string raw, string expected)
    {
        Assert.Equal(expected, CompanyNameNormalizer.Normalize(raw).Core);
    }

    [Theory]
    [InlineData("The Lexti Holdings LLC", "lexti holdings")]
    [InlineData("apple pan  the", "apple pan")]
    [InlineData("Belvedere, The", "belvedere")]
    [InlineData("The", "the")]
    public void Normalize_LeadingOrTrailingThe_IsDropped(string raw, string expected)
    {
        Assert.Equal(expected, CompanyNameNormalizer.Normalize(raw).Core);
    }

    [Theory]
    [InlineData("River Cloud - EMEA", "river cloud")]
    [InlineData("Hill Mining - North America", "hill mining")]
    [InlineData("Spago (Las Vegas)", "spago")]
    [InlineData("Greenfield Construction UK Ltd", "greenfield construction")]
    public void Normalize_DivisionSuffix_IsDropped(string raw, string expected)
    {
        Assert.Equal(expected, CompanyNameNormalizer.Normalize(raw).Core);
    }

    [Fact]
    public void Normalize_RunTogetherWords_HaveTheSameCompactForm()
    {
        Assert.Equal(CompanyNameNormalizer.Normalize("Beta Motors LP").Compact, CompanyNameNormalizer.Normalize("BetaMotors").Compact);
        Assert.Equal(CompanyNameNormalizer.Normalize("Beta-Motors").Core, CompanyNameNormalizer.Normalize("BETA MOTORS").Core);
    }

    [Fact]
    public void Normalize_NameThatIsOnlyALegalForm_KeepsItsWords()
    {
        Assert.Equal("company", CompanyNameNormalizer.Normalize("Company").Core);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("---")]
    public void Normalize_EmptyOrPunctuation_IsEmpty(string? raw)
    {
        Assert.True(CompanyNameNormalizer.Normalize(raw).IsEmpty);
    }

    [Fact]
    public void LegalForms_EmbeddedData_CoversManyCountries()
    {
        var forms = CompanyNameNormalizer.LegalForms;
        Assert.Contains("gmbh", forms);
        Assert.Contains("sarl", forms);
        Assert.Contains("kk", forms);
        Assert.Contains("sp z oo", forms);
        Assert.True(forms.Count > 1000, $"only {forms.Count} legal forms loaded");
    }
}
