using System.Text;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Benchmarks;

/// <summary>
/// Prints how the matcher reads each company name on standard input: the name, its folded and normalised forms and its
/// keys as a lead's (or with --account, as an account's); with --tsv, the lines of tests/data/multiscript-keys.tsv (the
/// name, its normalised form and its keys as a lead's).
/// </summary>
internal static class Keys
{
    public static int Run(string[] args)
    {
        var tsv = args.Contains("--tsv");
        var asAccount = args.Contains("--account");
        var matcher = RecordMatcher.CreateDefault();
        Console.OutputEncoding = Encoding.UTF8;
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var keys = asAccount ? matcher.GetKeys(new Account { Name = line }) : matcher.GetKeys(new Lead { Company = line });
            var folded = tsv ? string.Empty : $"{CrmGuardrails.Matching.Normalization.MatchText.Fold(line)}\t";
            Console.WriteLine($"{line}\t{folded}{keys.NormalizedName}\t{string.Join("|", keys.NameKeys)}");
        }

        return 0;
    }
}
