using System.Globalization;
using System.Text;

namespace CrmGuardrails.Tests.Invariant;

/// <summary>Fails if this project stops running in invariant globalization mode, which would leave the mode untested.</summary>
public class InvariantModeTests
{
    [Fact]
    public void Runtime_InvariantGlobalization_IsOn()
    {
        Assert.True(AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant, "System.Globalization.Invariant is not set");
        Assert.Equal(string.Empty, CultureInfo.CurrentCulture.Name);

        // With ICU, FormKD splits "é" into "e" and a combining accent (6 characters); without it the text is unchanged.
        Assert.Equal(5, "Mapl\u00e9".Normalize(NormalizationForm.FormKD).Length);
    }
}
