using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text;
using CrmGuardrails.Dataverse.Webhooks;
using CrmGuardrails.Embedded;
using CrmGuardrails.Hosting;
using CrmGuardrails.Matching;
using SharpFuzz;

namespace CrmGuardrails.Fuzz;

/// <summary>
/// One harness per parser, chosen by the first argument. Each catches only the exception its parser documents for bad
/// input; anything else escapes, and afl records the input as a crash. With a second argument (a file) the input is
/// run once outside afl, to reproduce a finding.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, Action<byte[]>> Harnesses = new(StringComparer.Ordinal)
    {
        ["snapshot"] = Snapshot,
        ["events"] = Events,
        ["csv"] = Csv,
        ["context"] = Context,
        ["policy"] = Policy,
        ["selftest"] = SelfTest,
    };

    public static int Main(string[] args)
    {
        if (args.Length is < 1 or > 2 || !Harnesses.TryGetValue(args[0], out var harness))
        {
            Console.Error.WriteLine("usage: CrmGuardrails.Fuzz snapshot|events|csv|context|policy|selftest [input-file]");
            return 2;
        }

        if (args.Length == 2)
        {
            harness(File.ReadAllBytes(args[1]));
            Console.WriteLine("ok: only the documented format exception (or none)");
            return 0;
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            harness(copy.ToArray());
        });
        return 0;
    }

    // Not a parser: checks that an exception escaping a harness is recorded by afl as a crash (input starting "!!").
    // It reads the input as a snapshot first, so that afl sees instrumented code run.
    private static void SelfTest(byte[] data)
    {
        Snapshot(data);
        if (data.Length >= 2 && data[0] == '!' && data[1] == '!')
            throw new InvalidOperationException("selftest: an exception that is not the format exception escaped");
    }

    // (1) CrmSnapshot.Parse: UTF-8 (or UTF-16 with a BOM) JSON; only InputFormatException.
    private static void Snapshot(byte[] data)
    {
        try
        {
            CrmSnapshot.Parse(data, "fuzz.json");
        }
        catch (InputFormatException)
        {
        }
    }

    // (2) CrmEvent.Parse takes text. The first byte picks how the bytes become text: 0 = UTF-16LE code units as they
    // are (lone surrogates included), otherwise UTF-8 with replacement characters.
    private static void Events(byte[] data)
    {
        string text;
        if (data.Length > 0 && data[0] == 0)
        {
            var chars = new char[(data.Length - 1) / 2];
            for (var i = 0; i < chars.Length; i++)
                chars[i] = (char)(data[1 + (2 * i)] | (data[2 + (2 * i)] << 8));
            text = new string(chars);
        }
        else
        {
            text = Encoding.UTF8.GetString(data);
        }

        try
        {
            CrmEvent.Parse(text, "fuzz.jsonl");
        }
        catch (InputFormatException)
        {
        }
    }

    // (3) The CSV readers: the first byte picks accounts, contacts, leads or decisions; the rest is the file.
    private static void Csv(byte[] data)
    {
        var which = data.Length == 0 ? 0 : data[0] % 4;
        using var stream = new MemoryStream(data, data.Length == 0 ? 0 : 1, Math.Max(0, data.Length - 1), writable: false);
        try
        {
            _ = which switch
            {
                0 => (object)MatchingDataset.ReadAccounts(stream, "accounts.csv"),
                1 => MatchingDataset.ReadContacts(stream, "contacts.csv"),
                2 => MatchingDataset.ReadLeads(stream, "leads.csv"),
                _ => MatchDecisionCsv.Read(stream, "decisions.csv"),
            };
        }
        catch (InputFormatException)
        {
        }
    }

    // (4) The Dataverse RemoteExecutionContext reader; only GuardEventFormatException. Made on first use: instrumented
    // code must not run before Fuzzer.OutOfProcess.Run (a static initializer would, and crash the fork server).
    private static DataverseWebhookEventReader? contextReader;

    private static void Context(byte[] data)
    {
        try
        {
            (contextReader ??= new DataverseWebhookEventReader()).Read(data, _ => null);
        }
        catch (GuardEventFormatException)
        {
        }
    }

    // (5) crmguard's policy file reader (internal to crmguard, reached by reflection so no product code changes):
    // InputFormatException (not JSON) and BadInputException (wrong keys or values) are its documented answers.
    private static readonly MethodInfo PolicyLoad =
        Type.GetType("CrmGuardrails.Cli.PolicyFile, crmguard", throwOnError: true)!
            .GetMethod("Load", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly string PolicyPath = Path.Combine(
        Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"crmguard-fuzz-policy-{Environment.ProcessId}.json");

    private static void Policy(byte[] data)
    {
        File.WriteAllBytes(PolicyPath, data);
        try
        {
            PolicyLoad.Invoke(null, [new FileInfo(PolicyPath)]);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            if (ex.InnerException is InputFormatException || ex.InnerException.GetType().FullName == "CrmGuardrails.Cli.BadInputException")
                return;
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
        }
    }
}
