// The CrmGuardrails Dataverse webhook against a Dataverse org over the Web API: the emulated org (in-process, seeded
// with org.json) unless DATAVERSE_URL is set, then the live org. Point a Dataverse service endpoint (or curl) at
// http://127.0.0.1:5080/crmguardrails/dataverse?code=<key>. See README.md and docs/webhook.md.
using Azure.Identity;
using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Embedded;

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:5080");

// The org the guards ask, and where asynchronous steps write their flags back.
DataverseEmulator? emulated = null;
var liveUrl = Environment.GetEnvironmentVariable("DATAVERSE_URL");
if (string.IsNullOrWhiteSpace(liveUrl))
{
    emulated = await DataverseEmulator.StartAsync();
    var snapshot = CrmSnapshot.Load(builder.Configuration["Org"] ?? Path.Combine(AppContext.BaseDirectory, "org.json"));
    emulated.Seed([.. snapshot.Users, .. snapshot.Accounts, .. snapshot.Contacts, .. snapshot.Leads, .. snapshot.Activities]);
    foreach (var team in snapshot.AccountTeam.GroupBy(m => m.AccountId))
        emulated.SeedAccountTeam(team.Key, team.Select(m => m.UserId));

    // requests/lead-async.json is a PostOperation step: by then Dataverse has saved the lead, so the emulated org has it too.
    emulated.Store.Upsert("leads", new() { ["leadid"] = "1ead0000-0000-0000-0000-0000000000f1", ["firstname"] = "Tom", ["lastname"] = "Reed" });
    builder.Services.AddCrmGuardrailsDataverse(emulated.OrgUrl, emulated.Credential);
    Console.WriteLine($"Emulated Dataverse org at {emulated.OrgUrl} (set DATAVERSE_URL and DATAVERSE_TENANT_ID/CLIENT_ID/CLIENT_SECRET for a live org).");
}
else
{
    builder.Services.AddCrmGuardrailsDataverse(new Uri(liveUrl), new ClientSecretCredential(
        Environment.GetEnvironmentVariable("DATAVERSE_TENANT_ID"),
        Environment.GetEnvironmentVariable("DATAVERSE_CLIENT_ID"),
        Environment.GetEnvironmentVariable("DATAVERSE_CLIENT_SECRET")));
}

builder.Services.AddCrmGuardrailsWebhooks(options =>
{
    // Never ship a key in code: set Webhook__SharedKey (environment) or user secrets. This default is for the sample only.
    options.SharedKey = builder.Configuration["Webhook:SharedKey"] ?? "sample-key-change-me-0123456789";
});

// The Dataverse reader; asynchronous steps write the flag columns and match keys back through the Web API, and the
// people a finding names (the account owner or manager) get a Dataverse task.
builder.Services.AddCrmGuardrailsDataverseWebhook();

var app = builder.Build();
app.MapCrmGuardrailsWebhook("dataverse");
if (emulated is not null)
{
    // What the write-back left in the emulated org (sample only: this listing has no key).
    app.MapGet("/crmguardrails/flags", () => new
    {
        flagged = new[] { "leads", "phonecalls", "appointments", "emails", "tasks" }
            .SelectMany(set => emulated.Store.Rows(set).Where(r => r["crmg_guardverdict"] is not null).Select(r => new
            {
                table = set.TrimEnd('s'),
                id = (string?)r[EmulatorStore.KeyOf(set)],
                verdict = (string?)r["crmg_guardverdict"],
                rules = (string?)r["crmg_guardrule"],
                message = (string?)r["crmg_guardmessage"],
            })),
        tasks = emulated.Store.Rows("tasks").Where(r => r["crmg_guardverdict"] is null).Select(r => new
        {
            subject = (string?)r["subject"],
            ownerId = (string?)r["_ownerid_value"],
            regardingId = (string?)r["_regardingobjectid_value"],
        }),
    });
}

await app.RunAsync();
if (emulated is not null)
    await emulated.DisposeAsync();
