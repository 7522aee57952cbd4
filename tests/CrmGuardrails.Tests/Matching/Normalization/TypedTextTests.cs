using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class TypedTextTests
{
    [Theory]
    [InlineData("Smith &amp; Sons", "Smith & Sons")]
    [InlineData("Smith &amp;amp; Sons", "Smith & Sons")]
    [InlineData("O&#39;Brien Mechanical", "O'Brien Mechanical")]
    [InlineData("H&ocirc;tel Ch&acirc;teau d&#x27;Estr&eacute;es", "Hôtel Château d'Estrées")]
    [InlineData("CafÃ© Rouge", "Café Rouge")]
    [InlineData("MÃ¼ller Haustechnik GmbH", "Müller Haustechnik GmbH")]
    [InlineData("BÃ¤ckerei SchÃ¤fer GmbH &amp; Co. KG", "Bäckerei Schäfer GmbH & Co. KG")]
    [InlineData("Ã“ SÃºilleabhÃ¡in", "Ó Súilleabháin")]
    [InlineData("Joeâ€™s Diner", "Joe’s Diner")]
    public void Repair_TextAsExportsLeaveIt_IsTheTypedText(string exported, string typed) =>
        Assert.Equal(typed, TypedText.Repair(exported));

    [Theory]
    [InlineData("Müller & Söhne")]
    [InlineData("AT&T; Inc")]
    [InlineData("Ã")]
    [InlineData("Müller CafÃ©")]
    [InlineData("Âge d'Or")]
    [InlineData("Smith & Sons")]
    public void Repair_TextTypedRight_IsKept(string text) =>
        Assert.Same(text, TypedText.Repair(text));

    [Fact]
    public void Fold_MojibakeAndEntities_FoldAsTheTypedName()
    {
        Assert.Equal(MatchText.Fold("Bäckerei Schäfer GmbH & Co. KG"), MatchText.Fold("BÃ¤ckerei SchÃ¤fer GmbH &amp; Co. KG"));
        Assert.Equal(MatchText.Fold("O'Brien"), MatchText.Fold("O&#39;Brien"));
    }
}
