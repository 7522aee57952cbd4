using System;
using System.Collections.Generic;
using System.Text;
using CrmGuardrails;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Net462Smoke;

/// <summary>
/// Builds the default pipeline on an embedded org and checks three saves (block, flag, allow) on .NET Framework 4.6.2.
/// Exits 0 only when every verdict is the expected one.
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
        return failures == 0 ? 0 : 1;
    }
}
