// The CrmGuardrails demo: the stories of the problem, replayed on an embedded org, one decision per save.
using CrmGuardrails;
using CrmGuardrails.Embedded;

var stories = new (string Title, string[] Events)[]
{
    ("A rep prospects a company that has been a customer for years",
    [
        """{"at": "2026-03-02T09:00:00Z", "userId": "u-jon", "op": "create", "record": {"kind": "lead", "firstName": "Tom", "lastName": "Reed", "company": "CONTOSO PHARMACEUTICALS", "email": "tom.reed@contoso-pharma.co.uk"}}""",
        """{"at": "2026-03-02T09:01:00Z", "userId": "u-maria", "op": "create", "record": {"kind": "lead", "firstName": "Tom", "lastName": "Reed", "company": "Contoso Pharmaceuticals", "email": "tom.reed@contoso-pharma.co.uk"}}""",
    ]),
    ("Two reps, desks apart, pitch the same prospect a day apart",
    [
        """{"at": "2026-03-02T09:10:00Z", "userId": "u-ade", "op": "create", "record": {"kind": "lead", "firstName": "Omar", "lastName": "Haddad", "company": "Proseware Inc", "email": "omar@proseware.io"}}""",
        """{"at": "2026-03-02T09:11:00Z", "userId": "u-ade", "op": "create", "record": {"kind": "activity", "type": "phonecall", "direction": "outbound", "regardingId": "l-omar", "partyIds": ["l-omar"], "scheduledStart": "2026-03-03T10:00:00Z", "subject": "Intro call"}}""",
        """{"at": "2026-03-02T09:12:00Z", "userId": "u-ade", "op": "create", "record": {"kind": "activity", "type": "email", "direction": "outbound", "regardingId": "c-li", "partyIds": ["c-li"], "subject": "Fabrikam renewal"}}""",
    ]),
    ("One customer: a voicemail, a chat, then an email — three records, one conversation",
    [
        """{"at": "2026-03-02T08:00:00Z", "userId": "u-maria", "op": "create", "record": {"kind": "activity", "type": "voicemail", "direction": "inbound", "regardingId": "c-anna", "partyIds": ["c-anna"], "subject": "Call me back about the order"}}""",
        """{"at": "2026-03-02T09:30:00Z", "userId": "u-kim", "op": "create", "record": {"kind": "activity", "type": "chat", "direction": "inbound", "regardingId": "c-anna", "partyIds": ["c-anna"], "subject": "Order status?"}}""",
        """{"at": "2026-03-02T10:15:00Z", "userId": "u-jon", "op": "create", "record": {"kind": "activity", "type": "email", "direction": "inbound", "regardingId": "c-anna", "partyIds": ["c-anna"], "subject": "Re: order 4411"}}""",
    ]),
    ("A meeting is moved twice, then handed to someone else twenty minutes before it starts",
    [
        """{"at": "2026-03-02T09:40:00Z", "userId": "u-kim", "op": "update", "record": {"kind": "activity", "id": "t-review", "scheduledStart": "2026-03-06T15:00:00Z"}}""",
        """{"at": "2026-03-03T11:00:00Z", "userId": "u-kim", "op": "update", "record": {"kind": "activity", "id": "t-review", "scheduledStart": "2026-03-09T15:00:00Z"}}""",
        """{"at": "2026-03-09T14:40:00Z", "userId": "u-kim", "op": "update", "record": {"kind": "activity", "id": "t-review", "ownerId": "u-ade"}}""",
    ]),
};

using var org = typeof(Program).Assembly.GetManifestResourceStream("org.json")!;
using var buffer = new MemoryStream();
org.CopyTo(buffer);
var directory = new InMemoryCrmDirectory(CrmSnapshot.Parse(buffer.ToArray(), "org.json"));
var session = new ReplaySession(new GuardPipelineBuilder { Directory = directory }.AddDefaultGuards().Build(), directory);

Console.WriteLine("CrmGuardrails demo: every save below is checked against an embedded org before it is written.");
Console.WriteLine("Reps: Maria Lopez owns Contoso (customer); Kim Novak owns Fabrikam (customer, Ade Bello on its team);");
Console.WriteLine("Jon Berg works the lead Omar Haddad (Proseware) and has a meeting with him tomorrow. Manager: Chris Moore.");
var number = 0;
foreach (var (title, lines) in stories)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
    Console.WriteLine($"   {"time",-5}  {"who",-12} {"save",-44} {"verdict",-7} {"rule",-17} record");
    foreach (var crmEvent in CrmEvent.Parse(string.Join("\n", lines), title))
    {
        var userName = directory.Find(crmEvent.UserId)?.DisplayName ?? crmEvent.UserId;
        var before = crmEvent.Id is null ? null : directory.Find(crmEvent.Id);
        var verdict = await session.ApplyAsync(++number, crmEvent);
        var result = verdict.Result;
        var top = result.Findings.FirstOrDefault();
        var record = top?.Collision is { } collision ? $"{collision.Record.KindName} {collision.Record.Id}" : "";
        Console.WriteLine($"   {crmEvent.At:HH:mm}  {Cut(userName, 12),-12} {Cut(Describe(before, verdict.Record), 44),-44} {ReplayJson.VerdictName(result.Verdict).ToUpperInvariant(),-7} {top?.RuleId ?? "-",-17} {record}");
        if (result.Message.Length > 0)
            Console.WriteLine($"          \"{result.Message}\"");
    }
}

Console.WriteLine();
Console.WriteLine("Blocked saves were not written; flagged ones were written and their owners' colleagues told.");
Console.WriteLine("Note what the messages leave out: other reps' subject lines stay private (the redaction rule).");

static string Describe(CrmRecord? before, CrmRecord record) => (before, record) switch
{
    (null, Lead lead) => $"new lead {lead.DisplayName}",
    (null, Activity a) => $"new {a.Direction.ToString().ToLowerInvariant()} {a.Type.ToString().ToLowerInvariant()}",
    (Activity old, Activity a) when old.OwnerId != a.OwnerId => $"hands {a.Id} to {a.OwnerId}",
    (Activity, Activity a) => $"moves {a.Id} to {a.ScheduledStart:d MMM HH:mm}",
    _ => $"saves {record.Ref}",
};

static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
