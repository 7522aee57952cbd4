using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using CrmGuardrails.Salesforce;
using CrmGuardrails.Salesforce.Http;
using CrmGuardrails.Salesforce.Keys;
using Microsoft.Extensions.DependencyInjection;
using Schema = CrmGuardrails.Salesforce.SalesforceSchema;

namespace CrmGuardrails.Cli;

/// <summary>
/// <c>crmguard salesforce</c>: <c>check</c> signs in and reads what the package needs (objects, fields, rights, API
/// budget); <c>keys --backfill</c> fills the match-key object (resumable, idempotent, throttle-aware); <c>metadata</c>
/// writes the SFDX source an admin deploys (flag fields, key fields and object, Outbound Messages, Flow skeletons).
/// </summary>
internal static class SalesforceCommand
{
    public const string DefaultStateFile = "crmguard-salesforce-keys.state.json";

    /// <summary>What the package reads and writes, object by object: (field, must be createable, must be updateable).</summary>
    private static readonly (string Object, (string Field, bool Create, bool Update)[] Fields)[] Needs =
    [
        (Schema.Account.Object, [(Schema.Account.Name, false, false), (Schema.Account.Website, false, false), (Schema.Account.Type, false, false), (Schema.Account.ParentId, false, false), (Schema.Account.Email, false, false)]),
        (Schema.Contact.Object, [(Schema.Contact.Email, false, false), (Schema.Contact.AccountId, false, false), (Schema.Contact.Inactive, false, false)]),
        (Schema.Lead.Object, [(Schema.Lead.Company, true, false), (Schema.Lead.IsConverted, false, false), (Schema.Flags.Verdict, true, true), (Schema.Flags.Rule, true, true), (Schema.Flags.Reason, true, true), (Schema.Flags.CheckedOn, true, true)]),
        (Schema.Task.Object, [(Schema.Task.IsClosed, false, false), (Schema.Task.CallType, false, false), (Schema.Flags.Verdict, true, true), (Schema.Flags.Reschedules, true, true), (Schema.Flags.NotificationKey, true, true)]),
        (Schema.Event.Object, [(Schema.Event.StartDateTime, false, false), (Schema.Flags.Verdict, true, true), (Schema.Flags.Reschedules, true, true)]),
        (Schema.User.Object, [(Schema.User.ManagerId, false, false)]),
        (Schema.AccountTeamMember.Object, [(Schema.AccountTeamMember.UserId, false, false)]),
        (Schema.MatchKey.Object, [(Schema.MatchKey.Key, true, true), (Schema.MatchKey.RecordId, true, true), (Schema.MatchKey.AccountId, true, true), (Schema.MatchKey.UniqueKey, true, true)]),
    ];

    public static Command Create(TextWriter output, TextWriter error) =>
        new("salesforce", "Work with a Salesforce org: check the sign-in and rights, fill the match-key object, write the metadata an admin deploys.")
        {
            CreateCheck(output, error),
            CreateKeys(output, error),
            CreateMetadata(output, error),
        };

    private static Command CreateCheck(TextWriter output, TextWriter error)
    {
        var connection = new SalesforceConnectionOptions();
        var command = new Command("check", "Sign in and check the objects, fields and rights the package needs, and the API budget left.\nExample: SALESFORCE_CLIENT_ID=... SALESFORCE_USERNAME=... SALESFORCE_CERTIFICATE=app.pfx crmguard salesforce check");
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var problems = new List<string>();
            var configure = connection.Read(parse, problems);
            if (configure is null)
                return await BadInputAsync(error, problems).ConfigureAwait(false);
            await using var provider = await SalesforceConnectionOptions.ConnectAsync(configure, error).ConfigureAwait(false);
            if (provider is null)
                return CrmGuardCommand.BadInput;
            var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceServiceCollectionExtensions.HttpClientName);
            var version = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SalesforceDirectoryOptions>>().Value.ApiVersion;
            var missing = 0;
            foreach (var (sObject, fields) in Needs)
            {
                HttpResponseMessage response;
                try
                {
                    response = await client.GetAsync($"/services/data/v{version}/sobjects/{sObject}/describe", cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
                {
                    await error.WriteLineAsync("crmguard: the org refused the sign-in or could not be reached: " + ex.Message).ConfigureAwait(false);
                    return CrmGuardCommand.Failed;
                }

                using (response)
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        missing++;
                        await output.WriteLineAsync($"missing   {sObject,-20} (HTTP {(int)response.StatusCode}: not in the org, or the user cannot see it)").ConfigureAwait(false);
                        continue;
                    }

                    using var describe = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                    var known = describe.RootElement.TryGetProperty("fields", out var list) && list.ValueKind == JsonValueKind.Array
                        ? list.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString() ?? string.Empty, f => f, StringComparer.OrdinalIgnoreCase)
                        : [];
                    foreach (var (field, create, update) in fields)
                    {
                        var problem = !known.TryGetValue(field, out var f) ? "missing (deploy the metadata, or give the user field-level access)"
                            : create && !Flag(f, "createable") ? "not createable by this user"
                            : update && !Flag(f, "updateable") ? "not updateable by this user"
                            : null;
                        missing += problem is null ? 0 : 1;
                        await output.WriteLineAsync($"{(problem is null ? "ok" : "problem"),-9} {sObject + "." + field,-45} {problem}").ConfigureAwait(false);
                    }
                }
            }

            var usage = provider.GetRequiredService<SalesforceApiUsage>();
            await output.WriteLineAsync(usage.Remaining is { } left ? $"API budget: {left:N0} of {usage.Limit:N0} requests left in the rolling 24 hours." : "API budget: the org sent no Sforce-Limit-Info.").ConfigureAwait(false);
            await error.WriteLineAsync(missing == 0 ? "Signed in; everything the package needs is there." : $"Signed in; {missing} problem(s) above.").ConfigureAwait(false);
            return missing == 0 ? CrmGuardCommand.Ok : CrmGuardCommand.Failed;
        });
        return command;

        static bool Flag(JsonElement field, string name) => field.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
    }

    private static Command CreateKeys(TextWriter output, TextWriter error)
    {
        var connection = new SalesforceConnectionOptions();
        var backfill = new Option<bool>("--backfill") { Description = "Write the keys of every account, contact and open lead (what the outcome writer keeps current afterwards)." };
        var state = new Option<string>("--state") { Description = "The file that records progress after every page; an unfinished run resumes from it.", DefaultValueFactory = _ => DefaultStateFile };
        var restart = new Option<bool>("--restart") { Description = "Ignore the state file and start from the first account." };
        var pageSize = new Option<int>("--page-size") { Description = "Records read per page (1 to 2000).", DefaultValueFactory = _ => 200 };
        var reserve = new Option<long>("--reserve") { Description = "API requests to leave for the org's other work: the backfill stops (resumable) when the budget falls to it.", DefaultValueFactory = _ => 5000 };
        var command = new Command(
            "keys",
            "Fill the match-key object (CrmG_MatchKey__c) that lets the guards find an account however its name, phone or website was typed.\n" +
            "Example: crmguard salesforce keys --backfill --reserve 20000")
        {
            backfill, state, restart, pageSize, reserve,
        };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var problems = new List<string>();
            var configure = connection.Read(parse, problems);
            if (!parse.GetValue(backfill))
                problems.Add("--backfill: say what to do (the only action is --backfill).");
            var size = parse.GetValue(pageSize);
            if (size is < 1 or > 2000)
                problems.Add($"--page-size: {size} is not between 1 and 2000.");
            if (parse.GetValue(reserve) < 0)
                problems.Add("--reserve: must not be negative.");
            var statePath = parse.GetValue(state)!;
            var start = SalesforceKeyBackfillState.Start;
            if (!parse.GetValue(restart) && File.Exists(statePath))
            {
                try
                {
                    start = JsonSerializer.Deserialize<SalesforceKeyBackfillState>(await File.ReadAllTextAsync(statePath, cancellationToken).ConfigureAwait(false)) ?? start;
                }
                catch (JsonException ex)
                {
                    problems.Add($"--state: '{statePath}' is not a backfill state ({ex.Message}); remove it or pass --restart.");
                }
            }

            if (problems.Count > 0 || configure is null)
                return await BadInputAsync(error, problems).ConfigureAwait(false);
            if (start.IsDone)
            {
                await error.WriteLineAsync($"crmguard: '{statePath}' says the backfill is finished; pass --restart to run it again.").ConfigureAwait(false);
                return CrmGuardCommand.Ok;
            }

            await using var provider = await SalesforceConnectionOptions.ConnectAsync(configure, error).ConfigureAwait(false);
            if (provider is null)
                return CrmGuardCommand.BadInput;
            var clock = Stopwatch.StartNew();
            var progress = new SynchronousProgress(s =>
            {
                // Saved after every page, atomically: a stop loses at most the page in progress, which is written again.
                AtomicFile.WriteAllText(statePath, JsonSerializer.Serialize(s));
                error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{(s.IsDone ? "done" : s.Object),-9} {s.Records,12:N0} records  {s.Written,12:N0} keys written  {s.Deleted,9:N0} deleted  {s.Unchanged,12:N0} unchanged "));
            });
            SalesforceKeyBackfillState final;
            try
            {
                final = await provider.GetRequiredService<SalesforceMatchKeyWriter>().BackfillAsync(start, progress, size, parse.GetValue(reserve), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"{Environment.NewLine}Stopped; run the same command again to resume from '{statePath}'.").ConfigureAwait(false);
                return CrmGuardCommand.Failed;
            }
            catch (SalesforceException ex)
            {
                await error.WriteLineAsync($"{Environment.NewLine}crmguard: the org refused or could not be reached: {ex.Message}{Environment.NewLine}Run the same command again to resume from '{statePath}'.").ConfigureAwait(false);
                return CrmGuardCommand.Failed;
            }

            AtomicFile.WriteAllText(statePath, JsonSerializer.Serialize(final));
            await error.WriteLineAsync().ConfigureAwait(false);
            if (final.StoppedBecause is { } why)
            {
                await error.WriteLineAsync($"Stopped: {why}. Run the same command again later to resume from '{statePath}'.").ConfigureAwait(false);
                return CrmGuardCommand.Failed;
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{final.Records:N0} records: {final.Written:N0} keys written, {final.Deleted:N0} deleted, {final.Unchanged:N0} unchanged in {clock.Elapsed.TotalSeconds:N1} s.")).ConfigureAwait(false);
            return CrmGuardCommand.Ok;
        });
        return command;
    }

    private static Command CreateMetadata(TextWriter output, TextWriter error)
    {
        var directory = new Argument<string>("dir") { Description = "The folder to write the SFDX project into (created; existing files of the same names are replaced)." };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "The public https URL of the flagging endpoint the Outbound Messages call, e.g. https://guard.example/crmguardrails/salesforce-outbound?code=<shared key> (the shared key of the webhook endpoint)." };
        var user = new Option<string?>("--integration-user") { Description = "The username Outbound Messages are sent as (required by Salesforce for an Outbound Message)." };
        var command = new Command(
            "metadata",
            "Write the SFDX source an admin deploys: the flag fields (Lead, Task/Event), the key object and fields, the optional Account email and Contact inactive fields, " +
            "Outbound Messages and inactive Flow skeletons for Lead, Task and Event.\nExample: crmguard salesforce metadata ./crmg-sfdx --endpoint-url https://guard.example/crmguardrails/salesforce-outbound?code=<shared key> --integration-user integration@acme.com && sf project deploy start --source-dir ./crmg-sfdx/force-app")
        {
            directory, endpoint, user,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var problems = new List<string>();
            var endpointText = parse.GetValue(endpoint) ?? "https://guard.example/crmguardrails/salesforce-outbound?code=<shared key>";
            if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var hook) || hook.Scheme != Uri.UriSchemeHttps)
                problems.Add($"--endpoint-url: '{endpointText}' is not an absolute https URL.");
            var integrationUser = parse.GetValue(user) ?? "integration@example.com";
            if (!integrationUser.Contains('@', StringComparison.Ordinal))
                problems.Add($"--integration-user: '{integrationUser}' is not a Salesforce username.");
            if (problems.Count > 0)
                return await BadInputAsync(error, problems).ConfigureAwait(false);
            var root = parse.GetValue(directory)!;
            var files = SalesforceMetadata.Files(hook!, integrationUser);
            try
            {
                foreach (var (path, content) in files)
                {
                    var full = Path.Combine(root, path);
                    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                    await File.WriteAllTextAsync(full, content, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"crmguard: dir: could not write into '{root}': {ex.Message}").ConfigureAwait(false);
                return CrmGuardCommand.Failed;
            }

            await output.WriteLineAsync($"{files.Count} files written under {root}; deploy with: sf project deploy start --source-dir {Path.Combine(root, "force-app")}").ConfigureAwait(false);
            return CrmGuardCommand.Ok;
        });
        return command;
    }

    private static async Task<int> BadInputAsync(TextWriter error, List<string> problems)
    {
        foreach (var problem in problems)
            await error.WriteLineAsync("crmguard: " + problem).ConfigureAwait(false);
        return CrmGuardCommand.BadInput;
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(Action<SalesforceKeyBackfillState> report) : IProgress<SalesforceKeyBackfillState>
    {
        public void Report(SalesforceKeyBackfillState value) => report(value);
    }
}
