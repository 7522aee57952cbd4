using System.Runtime;
using CrmGuardrails.Cli;

namespace CrmGuardrails.Tests.Cli;

public class BatchMemoryTests
{
    [Fact]
    public void SmallInput_KeepsTheCollector()
    {
        using var memory = BatchMemory.Enter(1024);

        Assert.False(memory.Active);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void InputWhoseBudgetExceedsHalfTheMemory_KeepsTheCollector()
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

        using var memory = BatchMemory.Enter(available);

        Assert.False(memory.Active);
    }

    [Fact]
    public void HugeInput_DoesNotOverflowTheBudget()
    {
        using var memory = BatchMemory.Enter(long.MaxValue / 2);

        Assert.False(memory.Active);
    }
}
