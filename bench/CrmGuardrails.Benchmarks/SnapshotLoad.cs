using System.Diagnostics;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Benchmarks;

/// <summary>
/// snapshot FILE [rounds] [--index]: reads a snapshot file (format 1) and prints the time, the allocations and the
/// collections of each read; with --index, also builds the embedded directory on it (as <c>crmguard audit</c> does) and
/// prints where that spent its time.
/// </summary>
internal static class SnapshotLoad
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: snapshot FILE [rounds]");
            return 2;
        }

        var index = args.Contains("--index");
        args = args.Where(a => a != "--index").ToArray();
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        for (var round = 0; round < rounds; round++)
        {
            GC.Collect();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var pause = GC.GetTotalPauseDuration();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var snapshot = CrmSnapshot.Load(args[0]);
            clock.Stop();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(
                $"round {round + 1}: {clock.Elapsed.TotalSeconds:F2} s wall, {cpu.TotalSeconds:F2} s CPU, " +
                $"{(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:F0} MB allocated, " +
                $"GC {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} pausing {(GC.GetTotalPauseDuration() - pause).TotalSeconds:F2} s; " +
                $"{snapshot.Accounts.Count:N0} accounts, {snapshot.Contacts.Count:N0} contacts, {snapshot.Leads.Count:N0} leads, {snapshot.Activities.Count:N0} activities");
            if (!index)
                continue;
            clock.Restart();
            var directory = new InMemoryCrmDirectory(snapshot);
            Console.WriteLine($"  directory: {clock.Elapsed.TotalSeconds:F2} s ({directory.IndexTimings})");
        }

        return 0;
    }
}
