namespace CrmGuardrails.Tests.Guards;

public class GuardTextTests
{
    [Theory]
    [InlineData(60, "1 hour")]
    [InlineData(90, "1.5 hours")]
    [InlineData(1440, "24 hours")]
    [InlineData(30, "0.5 hours")]
    public void HoursPhrase_SaysHourOnlyForOne(int minutes, string expected)
    {
        Assert.Equal(expected, GuardText.HoursPhrase(TimeSpan.FromMinutes(minutes)));
    }
}
