namespace CrmGuardrails.Benchmarks;

/// <summary>Commands: accuracy [folder] [bulk|guard|dataverse] [--errors] · profile folder · snapshot file · keys (names on stdin) · scale [accounts leads] · bdn [BenchmarkDotNet args].</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var command = args.Length > 0 ? args[0] : "accuracy";
        var rest = args.Skip(1).ToArray();
        return command switch
        {
            "accuracy" => Accuracy.Run(rest),
            "scale" => Scale.Run(rest),
            "profile" => Profile.Run(rest),
            "explain" => Explain.Run(rest),
            "snapshot" => SnapshotLoad.Run(rest),
            "keys" => Keys.Run(rest),
            "bdn" => RunBdn(rest),
            _ => Usage(),
        };
    }

    private static int RunBdn(string[] args)
    {
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: accuracy [folder] [bulk|guard|dataverse] [--errors] | profile folder | snapshot file | keys < names | scale | bdn [args]");
        return 2;
    }
}
