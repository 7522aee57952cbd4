using CrmGuardrails.Tools;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: TransliterationTable OUTPUT.bin.gz");
    return 2;
}

var table = TransliterationTableBuilder.Build();
File.WriteAllBytes(args[0], table);
var entries = TransliterationTableBuilder.Entries().ToList();
Console.WriteLine($"{entries.Count} readings ({entries.Count(e => e.CodePoint > 0xFFFF)} beyond the BMP, {entries.Count(e => e.Text.Any(c => c > 127))} kept as they are), {TransliterationTableBuilder.Compositions().Count()} compositions, {table.Length} bytes");
return 0;
