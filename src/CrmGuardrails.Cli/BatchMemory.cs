using System.Runtime;

namespace CrmGuardrails.Cli;

/// <summary>
/// Lets a bulk run build its index without the garbage collector: nearly everything it allocates while loading and
/// indexing survives to the end of the run, so every collection on the way only marks and copies live objects (nine
/// full collections of a heap growing to 1 GB on the large set). Memory is traded for that work, within bounds: the
/// budget is sized from the input, never more than half the memory the process may use, and a run that outgrows it
/// simply goes on with the collector.
/// </summary>
internal sealed class BatchMemory : IDisposable
{
    /// <summary>
    /// Bytes allocated per byte of CSV read by a match run, with margin: 1.35 GB for 68 MB on the large set (20 per
    /// byte; it had grown to 1.93 GB before the allocations of 2026-12-01 were cut). The budget is set aside, not used:
    /// the peak working set is 1.4 GB; a smaller budget also fits machines with less memory.
    /// </summary>
    private const long BytesPerInputByte = 28;

    /// <summary>Below this, a run is quick whatever the collector does: not worth the memory.</summary>
    private const long MinimumInput = 4L << 20;

    private readonly bool _started;

    private BatchMemory(bool started) => _started = started;

    /// <summary>Starts a region without collections sized for <paramref name="inputBytes"/> of CSV, when it is worth it and fits.</summary>
    /// <param name="inputBytes">The total size of the input files.</param>
    /// <returns>The scope; disposing it lets the collector run again.</returns>
    public static BatchMemory Enter(long inputBytes)
    {
        if (inputBytes < MinimumInput)
            return new BatchMemory(false);
        var budget = inputBytes > long.MaxValue / BytesPerInputByte ? long.MaxValue : inputBytes * BytesPerInputByte;
        if (budget > GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2)
            return new BatchMemory(false);
        try
        {
            return new BatchMemory(GC.TryStartNoGCRegion(budget));
        }
        catch (ArgumentOutOfRangeException)
        {
            // More than the runtime can set aside at once: run with the collector.
            return new BatchMemory(false);
        }
    }

    /// <summary>Gets a value indicating whether the run is still inside the region (it ends by itself once the budget is spent).</summary>
    public bool Active => _started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

    /// <inheritdoc />
    public void Dispose()
    {
        if (Active)
            GC.EndNoGCRegion();
    }
}
