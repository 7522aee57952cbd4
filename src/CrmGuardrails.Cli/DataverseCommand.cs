using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Core;
using CrmGuardrails.Dataverse;
using CrmGuardrails.Dataverse.Registration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Cli;

/// <summary>
/// <c>crmguard dataverse</c>: <c>register</c> creates or updates the webhook's service endpoint and steps through the Web
/// API (idempotent, with <c>--dry-run</c>); <c>manifest</c> prints the plug-in step manifest as JSON.
/// </summary>
internal static class DataverseCommand
{
    public const string DefaultName = "CrmGuardrails";

    private static readonly string[] Tables = ["lead", "phonecall", "appointment", "email", "task"];
    private static readonly string[] ActivityTables = ["phonecall", "appointment", "email", "task"];
    private const string UpdateFilteringAttributes = "scheduledstart,ownerid";
    private const string ActivityPreImageAttributes = "scheduledstart,ownerid,crmg_reschedulecount,crmg_guardverdict";
    private static readonly string[] KeyedTables = ["account", "contact", "lead"];

    public static Command Create(TextWriter output, TextWriter error) =>
        new("dataverse", "Work with a Dataverse (Dynamics 365) organisation: register the webhook, fill the match-key table, print the plug-in step manifest.")
        {
            CreateRegister(output, error),
            CreateManifest(output),
            KeysCommand.Create(output, error),
        };

    private static Command CreateRegister(TextWriter output, TextWriter error)
    {
        var connection = new OrgConnectionOptions();
        var endpoint = new Option<string?>("--endpoint-url") { Description = "The webhook's public https URL, e.g. https://guard.example/crmguardrails/dataverse.", Required = true };
        var authType = new Option<string>("--auth-type") { Description = "How Dataverse authenticates: WebhookKey (?code=), HttpHeader or HttpQueryString.", DefaultValueFactory = _ => "WebhookKey" };
        var keyName = new Option<string>("--key-name") { Description = "The header or query parameter name (HttpHeader, HttpQueryString).", DefaultValueFactory = _ => "x-crmguardrails-key" };
        var key = new Option<string?>("--key") { Description = "The shared key, 16+ characters (env CRMGUARDRAILS_WEBHOOK_KEY). Written when the endpoint is created or changed, or with --rotate-key." };
        var rotate = new Option<bool>("--rotate-key") { Description = "Write the key even when nothing else changed." };
        var name = new Option<string>("--name") { Description = "The service endpoint's name; it is how an existing registration is found.", DefaultValueFactory = _ => DefaultName };
        var mode = new Option<string>("--mode") { Description = "sync: PreValidation steps that block (409 cancels the save); async: PostOperation steps that flag and write back.", DefaultValueFactory = _ => "sync" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read the organisation and print what would be created, updated or left unchanged; write nothing." };
        var command = new Command("register", "Create or update the webhook's service endpoint and steps (idempotent).\nExample: crmguard dataverse register --org-url https://contoso.crm4.dynamics.com/ --endpoint-url https://guard.example/crmguardrails/dataverse --dry-run")
        {
            endpoint, authType, keyName, key, rotate, name, mode, dryRun,
        };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? Value(Option<string?> option, string variable) => OrgConnectionOptions.Value(parse, option, variable);

            // Input first, every problem named by its option; nothing is sent before the input is good.
            var problems = new List<string>();
            var org = connection.Read(parse, problems);

            Uri? hook = null;
            var endpointText = parse.GetValue(endpoint);
            if (!Uri.TryCreate(endpointText, UriKind.Absolute, out hook) || !(hook.Scheme == Uri.UriSchemeHttps || (hook.Scheme == Uri.UriSchemeHttp && hook.IsLoopback)))
                problems.Add($"--endpoint-url: '{endpointText}' is not an absolute https URL.");

            WebhookAuthType auth = default;
            if (!Enum.TryParse(parse.GetValue(authType), ignoreCase: true, out auth) || !Enum.IsDefined(auth))
                problems.Add($"--auth-type: '{parse.GetValue(authType)}' is not one of WebhookKey, HttpHeader, HttpQueryString.");
            var sharedKey = Value(key, "CRMGUARDRAILS_WEBHOOK_KEY");
            if (sharedKey is not null && sharedKey.Length < 16)
                problems.Add("--key: the shared key must have at least 16 characters.");
            var headerName = parse.GetValue(keyName)!;
            if (auth is WebhookAuthType.HttpHeader or WebhookAuthType.HttpQueryString && (headerName.Length == 0 || !headerName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
                problems.Add($"--key-name: '{headerName}' is not a header or query parameter name.");
            var modeText = parse.GetValue(mode)!;
            if (modeText is not ("sync" or "async"))
                problems.Add($"--mode: '{modeText}' is not sync or async.");
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                    await error.WriteLineAsync("crmguard: " + problem).ConfigureAwait(false);
                return CrmGuardCommand.BadInput;
            }

            var registration = Registration(parse.GetValue(name)!, hook!, auth, headerName, sharedKey, parse.GetValue(rotate), modeText == "async");
            await using var provider = await org!.ConnectAsync(error).ConfigureAwait(false);
            if (provider is null)
                return CrmGuardCommand.BadInput;
            RegistrationResult result;
            try
            {
                result = await provider.GetRequiredService<DataverseRegistration>().ApplyAsync(registration, parse.GetValue(dryRun), cancellationToken).ConfigureAwait(false);
            }
            catch (System.ComponentModel.DataAnnotations.ValidationException ex)
            {
                await error.WriteLineAsync("crmguard: the registration is invalid: " + ex.Message).ConfigureAwait(false);
                return CrmGuardCommand.BadInput;
            }
            catch (Exception ex) when (ex is DataverseException or TokenRequestFailedException)
            {
                await error.WriteLineAsync("crmguard: the organisation refused or could not be reached: " + ex.Message).ConfigureAwait(false);
                return CrmGuardCommand.Failed;
            }

            foreach (var change in result.Changes)
            {
                var what = change.Action switch
                {
                    RegistrationAction.Create => result.DryRun ? "would create" : "created",
                    RegistrationAction.Update => result.DryRun ? "would update" : "updated",
                    RegistrationAction.Delete => result.DryRun ? "would delete" : "deleted",
                    _ => "unchanged",
                };
                var columns = change.Action == RegistrationAction.Update ? $" ({string.Join(", ", change.ChangedColumns)})" : string.Empty;
                await output.WriteLineAsync($"{what,-13} {change.EntitySet,-26} {change.Name}{columns}").ConfigureAwait(false);
            }

            var summary = $"{result.Changes.Count(c => c.Action == RegistrationAction.Create)} to create, {result.Changes.Count(c => c.Action == RegistrationAction.Update)} to update, " +
                          $"{result.Changes.Count(c => c.Action == RegistrationAction.Delete)} to delete, " +
                          $"{result.Changes.Count(c => c.Action == RegistrationAction.Unchanged)} unchanged" + (result.DryRun ? " (dry run: nothing written)." : ".");
            await error.WriteLineAsync(summary).ConfigureAwait(false);
            return CrmGuardCommand.Ok;
        });
        return command;
    }

    /// <summary>
    /// The webhook's rows: Create and CreateMultiple of every checked table; Update of activities (moves, hand-overs) with
    /// the row as it was (start, owner, reschedule count, an earlier flag); Book and Reschedule of appointments (how
    /// appointment forms save and move them). In either mode, asynchronous steps for the saves after which match keys
    /// change: Create, Update (with the row as saved) and Delete of accounts, contacts and leads.
    /// </summary>
    internal static WebhookRegistration Registration(string name, Uri url, WebhookAuthType auth, string keyName, string? key, bool rotate, bool asynchronous)
    {
        var registration = new WebhookRegistration
        {
            Name = name,
            Url = url,
            AuthType = auth,
            RotateAuthValue = rotate,
            AuthValue = key is null
                ? null
                : auth == WebhookAuthType.WebhookKey
                    ? key
                    : $"<settings><setting name=\"{System.Security.SecurityElement.Escape(keyName)}\" value=\"{System.Security.SecurityElement.Escape(key)}\" /></settings>",
        };
        var stage = asynchronous ? StepStage.PostOperation : StepStage.PreValidation;
        var stepMode = asynchronous ? StepMode.Asynchronous : StepMode.Synchronous;
        WebhookStepRegistration Step(string message, string table, string? filter = null, WebhookStepImage? image = null)
        {
            var step = new WebhookStepRegistration { Message = message, PrimaryEntity = table, Stage = stage, Mode = stepMode, FilteringAttributes = filter };
            if (image is not null)
                step.Images.Add(image);
            registration.Steps.Add(step);
            return step;
        }

        foreach (var table in Tables)
        {
            Step("Create", table);
            Step("CreateMultiple", table);
        }

        foreach (var table in ActivityTables)
            Step("Update", table, UpdateFilteringAttributes, new WebhookStepImage { Attributes = ActivityPreImageAttributes });
        Step("Book", "appointment");
        Step("Reschedule", "appointment", image: new WebhookStepImage { Attributes = ActivityPreImageAttributes });

        // The match keys change after a save, whichever mode checks it: asynchronous PostOperation steps of their own
        // (a lead's create is already one in asynchronous mode).
        foreach (var table in KeyedTables)
        {
            foreach (var message in new[] { "Create", "Update", "Delete" })
            {
                if (asynchronous && table == "lead" && message == "Create")
                    continue;
                var step = new WebhookStepRegistration { Message = message, PrimaryEntity = table, Stage = StepStage.PostOperation, Mode = StepMode.Asynchronous, Purpose = "match keys" };
                if (message == "Update")
                    step.Images.Add(new WebhookStepImage { Type = StepImageType.PostImage });
                registration.Steps.Add(step);
            }
        }

        return registration;
    }

    private static Command CreateManifest(TextWriter output)
    {
        var pluginType = new Option<string>("--plugin-type") { Description = "The plug-in type the steps run.", DefaultValueFactory = _ => "CrmGuardrails.Dataverse.Plugins.GuardPlugin" };
        var command = new Command("manifest", "Print the plug-in step manifest (JSON): which messages, tables, stages and images the guard plug-in needs.\nExample: crmguard dataverse manifest > steps.json")
        {
            pluginType,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await output.WriteLineAsync(Manifest(parse.GetValue(pluginType)!)).ConfigureAwait(false);
            return CrmGuardCommand.Ok;
        });
        return command;
    }

    /// <summary>
    /// The manifest: for each message and table, a PreValidation (10) step that blocks and a PreOperation (20) step that
    /// flags, both synchronous; Update steps filter on <c>scheduledstart,ownerid</c> and take a pre-image named <c>PreImage</c>.
    /// </summary>
    internal static string Manifest(string pluginType)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("pluginType", pluginType);
            w.WriteStartArray("steps");
            foreach (var message in new[] { "Create", "CreateMultiple", "Update" })
            {
                foreach (var table in message == "Update" ? ActivityTables : Tables)
                {
                    foreach (var (purpose, stage, stageName) in new[] { ("block", 10, "PreValidation"), ("flag", 20, "PreOperation") })
                    {
                        w.WriteStartObject();
                        w.WriteString("name", $"{DefaultName}: {purpose} {message} of {table}");
                        w.WriteString("message", message);
                        w.WriteString("primaryEntity", table);
                        w.WriteNumber("stage", stage);
                        w.WriteString("stageName", stageName);
                        w.WriteString("purpose", purpose);
                        w.WriteNumber("mode", 0);
                        w.WriteString("modeName", "Synchronous");
                        if (message == "Update")
                        {
                            w.WriteString("filteringAttributes", UpdateFilteringAttributes);
                            w.WriteStartArray("images");
                            w.WriteStartObject();
                            w.WriteString("name", "PreImage");
                            w.WriteString("entityAlias", "PreImage");
                            w.WriteNumber("imageType", 0);
                            w.WriteString("attributes", "scheduledstart,ownerid,regardingobjectid,statecode,crmg_reschedulecount");
                            w.WriteEndObject();
                            w.WriteEndArray();
                        }

                        w.WriteEndObject();
                    }
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>A token given on the command line (for example from <c>az account get-access-token</c>).</summary>
internal sealed class BearerTokenCredential(string token) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(token, DateTimeOffset.MaxValue);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}

/// <summary>The OAuth 2.0 client-credentials grant against Microsoft Entra ID (an application user of the organisation).</summary>
internal sealed class ClientSecretHttpCredential(string tenantId, string clientId, string clientSecret) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["scope"] = string.Join(" ", requestContext.Scopes),
        });
        var url = new Uri($"https://login.microsoftonline.com/{Uri.EscapeDataString(tenantId)}/oauth2/v2.0/token");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(url, form, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new TokenRequestFailedException($"Microsoft Entra ID could not be reached: {ex.Message}", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            }
            catch (JsonException ex)
            {
                throw new TokenRequestFailedException($"Microsoft Entra ID answered HTTP {(int)response.StatusCode} with a body that is not JSON.", ex);
            }

            using (json)
            {
                var root = json.RootElement;
                if (!response.IsSuccessStatusCode || !root.TryGetProperty("access_token", out var accessToken) || accessToken.GetString() is not { Length: > 0 } value)
                {
                    var reason = root.TryGetProperty("error_description", out var d) ? d.GetString() : $"HTTP {(int)response.StatusCode}";
                    throw new TokenRequestFailedException($"Microsoft Entra ID refused the client credentials: {reason}");
                }

                var expiresIn = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 3600;
                return new AccessToken(value, TimeProvider.System.GetUtcNow().AddSeconds(expiresIn));
            }
        }
    }
}

/// <summary>Microsoft Entra ID did not issue a token.</summary>
internal sealed class TokenRequestFailedException(string message, Exception? innerException = null) : Exception(message, innerException);
