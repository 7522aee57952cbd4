using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CrmGuardrails;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Net462Smoke;

/// <summary>
/// Builds the default pipeline on an embedded org and checks three saves (block, flag, allow) on .NET Framework 4.6.2,
/// then checks that the matcher keys every name of multiscript-names.txt as the net10.0 build did (multiscript-keys.tsv).
/// Exits 0 only when every verdict and every key is the expected one.
/// </summary>
internal static class Program
{
    private const string Snapshot = """
        {
          "users": [
            {"id": "u1", "name": "Maria Lopez", "managerId": "u5"},
            {"id": "u2", "name": "Jon Berg", "managerId": "u5"},
            {"id": "u3", "name": "Ade Bello", "managerId": "u5"},
            {"id": "u5", "name": "Chris Moore"}
          ],
          "accounts": [
            {"id": "a-contoso", "name": "Contoso Pharmaceuticals Ltd", "website": "https://contoso-pharma.co.uk", "phone": "+44 20 7946 0000", "city": "London", "country": "GB", "ownerId": "u1", "status": "customer"},
            {"id": "a-litware", "name": "Litware, Inc.", "website": "litware.com", "phone": "(206) 555-0150", "city": "Seattle", "country": "US", "ownerId": "u3", "status": "prospect"}
          ],
          "accountTeam": [{"accountId": "a-litware", "userId": "u2"}],
          "contacts": [
            {"id": "c-anna", "accountId": "a-contoso", "firstName": "Anna", "lastName": "Kowalski", "email": "anna.kowalski@contoso-pharma.co.uk", "phone": "+44 20 7946 0011", "ownerId": "u1"},
            {"id": "c-raj", "accountId": "a-litware", "firstName": "Raj", "lastName": "Patel", "email": "raj@litware.com", "phone": "", "ownerId": "u3"}
          ],
          "leads": [
            {"id": "l-omar", "firstName": "Omar", "lastName": "Haddad", "company": "Proseware", "email": "omar@proseware.io", "phone": "", "website": "proseware.io", "ownerId": "u2", "status": "open"}
          ],
          "activities": [
            {"id": "t-anna-chat", "type": "chat", "direction": "inbound", "ownerId": "u1", "regardingId": "c-anna", "partyIds": ["c-anna"], "status": "open", "scheduledStart": "2026-03-02T07:30:00Z", "createdOn": "2026-03-02T07:30:00Z", "subject": "Website chat"}
          ]
        }
        """;

    private static int Main()
    {
        Console.WriteLine($"Runtime: {Environment.Version} ({(Type.GetType("Mono.Runtime") is null ? ".NET Framework" : "Mono")}); CrmGuardrails {typeof(GuardPipeline).Assembly.GetName().Version}");
        var directory = new InMemoryCrmDirectory(CrmSnapshot.Parse(Encoding.UTF8.GetBytes(Snapshot), "smoke-snapshot.json"));
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddDefaultGuards().Build();
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var anna = new RecordRef(RecordKind.Contact, "c-anna");

        var cases = new List<(string Name, GuardRequest Request, Verdict Expected, string Rule)>
        {
            ("lead at a customer", GuardRequest.ForCreate(new Lead { FirstName = "Tom", LastName = "Reed", Company = "CONTOSO PHARMACEUTICALS", Email = "tom.reed@contoso-pharma.co.uk" }, "u2"), Verdict.Block, "existing-customer"),
            ("inbound email after a chat", GuardRequest.ForCreate(new Activity { Type = ActivityType.Email, Direction = ActivityDirection.Inbound, Regarding = anna, Parties = [anna], CreatedOn = at }, "u1"), Verdict.Flag, "channel-fanout"),
            ("new company", GuardRequest.ForCreate(new Lead { FirstName = "Ana", LastName = "Silva", Company = "Fabrikam Robotics", Email = "ana@fabrikam-robotics.example" }, "u3"), Verdict.Allow, ""),
        };

        var failures = 0;
        foreach (var (name, request, expected, rule) in cases)
        {
            // The embedded directory answers synchronously, so the ValueTask is complete; AsTask() keeps this correct if it ever is not.
            var result = pipeline.EvaluateAsync(request with { OccurredAt = at }).AsTask().GetAwaiter().GetResult();
            var rules = string.Join(",", result.Rules);
            var ok = result.Verdict == expected && rules == rule;
            failures += ok ? 0 : 1;
            Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {name}: {result.Verdict} [{rules}] (expected {expected} [{rule}]) {result.Message}");
        }

        // Not "N passed, N failed": CI reads that shape as its own closing line.
        Console.WriteLine($"net462-smoke: {cases.Count - failures} of {cases.Count} verdicts as expected");
        var keyMismatches = CompareMultiScriptKeys();
        return failures == 0 && keyMismatches == 0 ? 0 : 1;
    }

    /// <summary>
    /// Keys the corpus names with this build (netstandard2.0 on .NET Framework) and compares them with the keys the net10.0
    /// build wrote, printing every mismatch: keys that differ by runtime would let one host miss accounts another indexed.
    /// </summary>
    /// <returns>The number of names whose keys differ.</returns>
    private static int CompareMultiScriptKeys()
    {
        var folder = AppDomain.CurrentDomain.BaseDirectory;

        // Same reading as MultiScriptKeyTests: blank lines and '#' comments skipped, nothing trimmed.
        var names = File.ReadAllLines(Path.Combine(folder, "multiscript-names.txt"), Encoding.UTF8).Where(l => l.Length > 0 && l[0] != '#').ToList();
        var expected = File.ReadAllLines(Path.Combine(folder, "multiscript-keys.tsv"), Encoding.UTF8);
        var matcher = RecordMatcher.CreateDefault();
        var mismatches = 0;
        var count = Math.Max(names.Count, expected.Length);
        for (var i = 0; i < count; i++)
        {
            // The line format of MultiScriptKeyTests, compared without trailing tabs (an editor may trim the empty fields).
            var want = i < expected.Length ? expected[i].TrimEnd('\t') : "(no line)";
            var got = "(no name)";
            if (i < names.Count)
            {
                var keys = matcher.GetKeys(new Lead { Company = names[i] });
                got = $"{names[i]}\t{keys.NormalizedName}\t{string.Join("|", keys.NameKeys)}".TrimEnd('\t');
            }

            if (got == want)
                continue;
            mismatches++;
            Console.WriteLine($"FAIL keys of {Visible(i < names.Count ? names[i] : want.Split('\t')[0])}");
            Console.WriteLine($"     expected: {Visible(want)}");
            Console.WriteLine($"     actual:   {Visible(got)}");
        }

        Console.WriteLine($"net462-smoke: keys of {count - mismatches} of {count} multi-script names as in multiscript-keys.tsv");
        return mismatches;
    }

    /// <summary>
    /// The text with everything outside printable ASCII as \uXXXX: the log shows which character differs, whatever the
    /// console's encoding under Mono or .NET Framework.
    /// </summary>
    private static string Visible(string text)
    {
        var sb = new StringBuilder(text.Length * 2);
        foreach (var ch in text)
        {
            if (ch == '\t')
                sb.Append(" -> ");
            else if (ch is >= ' ' and <= '~')
                sb.Append(ch);
            else
                sb.Append("\\u").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
