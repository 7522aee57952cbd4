// The CrmGuardrails Dataverse webhook on the embedded org: point a Dataverse service endpoint (or curl) at
// http://127.0.0.1:5080/crmguardrails/dataverse?code=<key>. See README.md and docs/webhook.md.
using CrmGuardrails;
using CrmGuardrails.AspNetCore;
using CrmGuardrails.Embedded;

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:5080");

// The org the guards ask: embedded for now (a snapshot file); later, the Dataverse directory of the real org.
var snapshot = builder.Configuration["Org"] ?? Path.Combine(AppContext.BaseDirectory, "org.json");
builder.Services.AddSingleton<ICrmDirectory>(new InMemoryCrmDirectory(CrmSnapshot.Load(snapshot)));

// Flags of asynchronous steps: kept in memory and logged here; a Dataverse writer will write them back to the org.
builder.Services.AddSingleton<InMemoryDataverseFlagWriter>();
builder.Services.AddSingleton<IDataverseFlagWriter>(sp => sp.GetRequiredService<InMemoryDataverseFlagWriter>());

builder.Services.AddCrmGuardrailsDataverseWebhook(options =>
{
    // Never ship a key in code: set Webhook__SharedKey (environment) or user secrets. This default is for the sample only.
    options.SharedKey = builder.Configuration["Webhook:SharedKey"] ?? "sample-key-change-me-0123456789";
    options.Mapping.RescheduleCountColumn = "crmg_reschedulecount";
});

var app = builder.Build();
app.MapCrmGuardrailsDataverse();
app.MapGet("/crmguardrails/flags", (InMemoryDataverseFlagWriter writer) => writer.Flags.Select(f => new
{
    table = f.Context.LogicalName,
    id = f.Record.Id,
    verdict = f.Result.Verdict.ToString(),
    rules = f.Result.Rules,
    message = f.Result.Message,
}));
app.Run();
