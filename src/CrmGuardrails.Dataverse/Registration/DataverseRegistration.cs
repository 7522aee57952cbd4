using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmGuardrails.Dataverse.Internal;
using Microsoft.Extensions.Options;

namespace CrmGuardrails.Dataverse.Registration;

/// <summary>
/// Creates or updates a webhook <c>serviceendpoint</c> and its <c>sdkmessageprocessingstep</c> rows idempotently: rows are
/// found by name, compared column by column, and only differences are written. A dry run reports the same plan and writes nothing.
/// </summary>
/// <remarks>Rows are created with ids chosen here, so a create retried after a lost answer cannot make a duplicate.</remarks>
public sealed class DataverseRegistration
{
    private readonly DataverseWebApi _api;

    /// <summary>Initializes a new instance of the <see cref="DataverseRegistration"/> class.</summary>
    /// <param name="httpClient">The client (the directory's, from <c>AddCrmGuardrailsDataverse</c>, adds the token).</param>
    /// <param name="options">The organisation's options.</param>
    public DataverseRegistration(HttpClient httpClient, IOptions<DataverseDirectoryOptions> options)
    {
        if (httpClient is null)
            throw new ArgumentNullException(nameof(httpClient));
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        var copy = options.Value.Clone();
        copy.ThrowIfInvalid();
        _api = new DataverseWebApi(httpClient, copy);
    }

    /// <summary>Brings the organisation's registration in line with <paramref name="registration"/>.</summary>
    /// <param name="registration">The wanted webhook and steps.</param>
    /// <param name="dryRun">When <see langword="true"/>, only reads and reports what would change.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The changes, endpoint first.</returns>
    /// <exception cref="ValidationException">The registration is invalid.</exception>
    /// <exception cref="DataverseException">The organisation could not be read or written, or a message or table is unknown.</exception>
    public async Task<RegistrationResult> ApplyAsync(WebhookRegistration registration, bool dryRun, CancellationToken cancellationToken)
    {
        if (registration is null)
            throw new ArgumentNullException(nameof(registration));
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(registration, new ValidationContext(registration), errors, validateAllProperties: true))
            errors.AddRange(registration.Validate(new ValidationContext(registration)));
        if (errors.Count > 0)
            throw new ValidationException($"The '{nameof(WebhookRegistration)}' is invalid.{Environment.NewLine}{string.Join(Environment.NewLine, errors.Select(e => "- " + e.ErrorMessage).Distinct())}");

        var changes = new List<RegistrationChange>();
        var endpoint = await ApplyEndpointAsync(registration, dryRun, cancellationToken).ConfigureAwait(false);
        changes.Add(endpoint);
        foreach (var step in registration.Steps)
        {
            var stepChange = await ApplyStepAsync(registration, endpoint.Id, endpoint.Action == RegistrationAction.Create, step, dryRun, cancellationToken).ConfigureAwait(false);
            changes.Add(stepChange);
            foreach (var image in step.Images)
                changes.Add(await ApplyImageAsync(stepChange, step, image, dryRun, cancellationToken).ConfigureAwait(false));
        }

        if (endpoint.Action != RegistrationAction.Create)
            changes.AddRange(await DeleteUnwantedStepsAsync(registration, endpoint.Id, dryRun, cancellationToken).ConfigureAwait(false));
        return new RegistrationResult(dryRun, changes);
    }

    /// <summary>
    /// Steps of this endpoint that the registration no longer names (a mode changed, a table dropped): left in place they
    /// would go on calling the webhook. Their images go first.
    /// </summary>
    private async Task<List<RegistrationChange>> DeleteUnwantedStepsAsync(WebhookRegistration registration, string endpointId, bool dryRun, CancellationToken cancellationToken)
    {
        var wanted = new HashSet<string>(registration.Steps.Select(s => s.GetName(registration.Name)), StringComparer.OrdinalIgnoreCase);
        var steps = await _api.QueryAsync(
            $"sdkmessageprocessingsteps?$select=sdkmessageprocessingstepid,name&$filter={Uri.EscapeDataString(ODataFilter.EqGuid("_eventhandler_value", endpointId))}",
            5000,
            row => row.TryGetProperty("sdkmessageprocessingstepid", out var id) && row.TryGetProperty("name", out var name) ? new[] { id.GetString() ?? string.Empty, name.GetString() ?? string.Empty } : null,
            cancellationToken).ConfigureAwait(false);
        var deleted = new List<RegistrationChange>();
        foreach (var step in steps.Where(s => s[0].Length > 0 && !wanted.Contains(s[1])))
        {
            var (id, name) = (step[0], step[1]);
            if (!dryRun)
            {
                var images = await _api.QueryAsync(
                    $"sdkmessageprocessingstepimages?$select=sdkmessageprocessingstepimageid&$filter={Uri.EscapeDataString(ODataFilter.EqGuid("_sdkmessageprocessingstepid_value", id))}",
                    100,
                    row => row.TryGetProperty("sdkmessageprocessingstepimageid", out var image) ? image.GetString() : null,
                    cancellationToken).ConfigureAwait(false);
                foreach (var image in images.OfType<string>())
                    await _api.DeleteAsync($"sdkmessageprocessingstepimages({image})", cancellationToken).ConfigureAwait(false);
                await _api.DeleteAsync($"sdkmessageprocessingsteps({id})", cancellationToken).ConfigureAwait(false);
            }

            deleted.Add(new RegistrationChange("sdkmessageprocessingsteps", name, RegistrationAction.Delete, id, []));
        }

        return deleted;
    }

    private async Task<RegistrationChange> ApplyEndpointAsync(WebhookRegistration registration, bool dryRun, CancellationToken cancellationToken)
    {
        var wanted = new JsonObject
        {
            ["name"] = registration.Name,
            ["contract"] = 8,
            ["url"] = registration.Url!.AbsoluteUri,
            ["authtype"] = (int)registration.AuthType,
        };
        var existing = (await _api.QueryAsync(
            $"serviceendpoints?$select=serviceendpointid,name,contract,url,authtype&$filter={Uri.EscapeDataString(ODataFilter.Eq("name", registration.Name))}",
            2,
            row => (JsonObject?)JsonNode.Parse(row.GetRawText()),
            cancellationToken).ConfigureAwait(false)).FirstOrDefault();

        var changed = existing is null ? wanted.Select(p => p.Key).ToList() : Differences(wanted, existing);
        if (registration.AuthValue is not null && (existing is null || changed.Count > 0 || registration.RotateAuthValue))
        {
            wanted["authvalue"] = registration.AuthValue;
            changed.Add("authvalue");
        }

        return await WriteAsync("serviceendpoints", "serviceendpointid", registration.Name, existing, wanted, changed, dryRun, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RegistrationChange> ApplyStepAsync(
        WebhookRegistration registration, string endpointId, bool endpointIsNew, WebhookStepRegistration step, bool dryRun, CancellationToken cancellationToken)
    {
        var name = step.GetName(registration.Name);
        var messageId = await FindIdAsync(
            $"sdkmessages?$select=sdkmessageid&$filter={Uri.EscapeDataString(ODataFilter.Eq("name", step.Message))}",
            "sdkmessageid",
            $"The message '{step.Message}' does not exist.",
            cancellationToken).ConfigureAwait(false);
        var filterId = await FindIdAsync(
            $"sdkmessagefilters?$select=sdkmessagefilterid&$filter={Uri.EscapeDataString(ODataFilter.And(ODataFilter.EqGuid("_sdkmessageid_value", messageId), ODataFilter.Eq("primaryobjecttypecode", step.PrimaryEntity)))}",
            "sdkmessagefilterid",
            $"The message '{step.Message}' cannot be registered on the table '{step.PrimaryEntity}'.",
            cancellationToken).ConfigureAwait(false);

        var wanted = new JsonObject
        {
            ["name"] = name,
            ["stage"] = (int)step.Stage,
            ["mode"] = (int)step.Mode,
            ["rank"] = step.Rank,
            ["supporteddeployment"] = 0,
            ["asyncautodelete"] = step.Mode == StepMode.Asynchronous,
            ["filteringattributes"] = step.FilteringAttributes,
            ["_sdkmessageid_value"] = messageId,
            ["_sdkmessagefilterid_value"] = filterId,
            ["_eventhandler_value"] = endpointId,
        };

        JsonObject? existing = null;
        if (!endpointIsNew)
        {
            existing = (await _api.QueryAsync(
                "sdkmessageprocessingsteps?$select=sdkmessageprocessingstepid,name,stage,mode,rank,supporteddeployment,asyncautodelete,filteringattributes,_sdkmessageid_value,_sdkmessagefilterid_value,_eventhandler_value" +
                $"&$filter={Uri.EscapeDataString(ODataFilter.And(ODataFilter.Eq("name", name), ODataFilter.EqGuid("_eventhandler_value", endpointId)))}",
                2,
                row => (JsonObject?)JsonNode.Parse(row.GetRawText()),
                cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }

        var changed = existing is null ? wanted.Select(p => p.Key).ToList() : Differences(wanted, existing);
        return await WriteAsync("sdkmessageprocessingsteps", "sdkmessageprocessingstepid", name, existing, ToWritable(wanted), changed, dryRun, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RegistrationChange> ApplyImageAsync(RegistrationChange step, WebhookStepRegistration stepRegistration, WebhookStepImage image, bool dryRun, CancellationToken cancellationToken)
    {
        var name = $"{step.Name}: {image.Alias}";
        var wanted = new JsonObject
        {
            ["name"] = image.Alias,
            ["entityalias"] = image.Alias,
            ["imagetype"] = (int)image.Type,

            // "Target" for Update, Delete and the like; a Create's post-image hangs on the new row's "Id".
            ["messagepropertyname"] = stepRegistration.Message is "Create" ? "Id" : "Target",
            ["attributes"] = image.Attributes,
            ["_sdkmessageprocessingstepid_value"] = step.Id,
        };

        JsonObject? existing = null;
        if (step.Action != RegistrationAction.Create)
        {
            existing = (await _api.QueryAsync(
                "sdkmessageprocessingstepimages?$select=sdkmessageprocessingstepimageid,name,entityalias,imagetype,messagepropertyname,attributes,_sdkmessageprocessingstepid_value" +
                $"&$filter={Uri.EscapeDataString(ODataFilter.And(ODataFilter.Eq("entityalias", image.Alias), ODataFilter.EqGuid("_sdkmessageprocessingstepid_value", step.Id)))}",
                2,
                row => (JsonObject?)JsonNode.Parse(row.GetRawText()),
                cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }

        var changed = existing is null ? wanted.Select(p => p.Key).ToList() : Differences(wanted, existing);
        return await WriteAsync("sdkmessageprocessingstepimages", "sdkmessageprocessingstepimageid", name, existing, ToWritable(wanted), changed, dryRun, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lookups are compared as <c>_x_value</c> but written as <c>x@odata.bind</c>.</summary>
    private static JsonObject ToWritable(JsonObject row)
    {
        var writable = new JsonObject();
        foreach (var pair in row)
        {
            var name = pair.Key;
            var value = pair.Value;
            switch (name)
            {
                case "_sdkmessageid_value":
                    writable["sdkmessageid@odata.bind"] = $"/sdkmessages({value})";
                    break;
                case "_sdkmessagefilterid_value":
                    writable["sdkmessagefilterid@odata.bind"] = $"/sdkmessagefilters({value})";
                    break;
                case "_eventhandler_value":
                    writable["eventhandler_serviceendpoint@odata.bind"] = $"/serviceendpoints({value})";
                    break;
                case "_sdkmessageprocessingstepid_value":
                    writable["sdkmessageprocessingstepid@odata.bind"] = $"/sdkmessageprocessingsteps({value})";
                    break;
                default:
                    writable[name] = value?.DeepClone();
                    break;
            }
        }

        return writable;
    }

    private async Task<RegistrationChange> WriteAsync(
        string entitySet, string key, string name, JsonObject? existing, JsonObject wanted, List<string> changed, bool dryRun, CancellationToken cancellationToken)
    {
        if (existing is not null)
        {
            var id = existing[key]!.GetValue<string>();
            if (changed.Count == 0)
                return new RegistrationChange(entitySet, name, RegistrationAction.Unchanged, id, []);
            if (!dryRun)
            {
                var patch = new JsonObject();
                foreach (var pair in wanted)
                {
                    if (changed.Contains(pair.Key) || changed.Contains(LookupColumnOf(pair.Key)))
                        patch[pair.Key] = pair.Value?.DeepClone();
                }

                // If-Match: * makes the PATCH an update only: a row deleted meanwhile is not re-created half-filled.
                await _api.SendJsonAsync(new HttpMethod("PATCH"), $"{entitySet}({id})", patch, ("If-Match", "*"), cancellationToken).ConfigureAwait(false);
            }

            return new RegistrationChange(entitySet, name, RegistrationAction.Update, id, changed);
        }

        var newId = Guid.NewGuid().ToString("D");
        if (!dryRun)
        {
            var body = (JsonObject)wanted.DeepClone();
            body[key] = newId;
            await _api.SendJsonAsync(HttpMethod.Post, entitySet, body, cancellationToken).ConfigureAwait(false);
        }

        return new RegistrationChange(entitySet, name, RegistrationAction.Create, newId, changed);
    }

    private static string LookupColumnOf(string writableColumn) => writableColumn switch
    {
        "sdkmessageid@odata.bind" => "_sdkmessageid_value",
        "sdkmessagefilterid@odata.bind" => "_sdkmessagefilterid_value",
        "eventhandler_serviceendpoint@odata.bind" => "_eventhandler_value",
        "sdkmessageprocessingstepid@odata.bind" => "_sdkmessageprocessingstepid_value",
        _ => writableColumn,
    };

    private static List<string> Differences(JsonObject wanted, JsonObject existing)
    {
        var changed = new List<string>();
        foreach (var pair in wanted)
        {
            if (!SameValue(pair.Value, existing[pair.Key]))
                changed.Add(pair.Key);
        }

        return changed;
    }

    private static bool SameValue(JsonNode? wanted, JsonNode? existing)
    {
        if (wanted is null || existing is null)
            return (wanted is null || (wanted is JsonValue w && w.GetValueKind() == JsonValueKind.String && w.GetValue<string>().Length == 0)) && existing is null;
        var left = wanted.ToJsonString();
        var right = existing.ToJsonString();
        if (double.TryParse(left, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) &&
            double.TryParse(right, NumberStyles.Float, CultureInfo.InvariantCulture, out var b))
        {
            return a.Equals(b);
        }

        return string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> FindIdAsync(string url, string key, string missing, CancellationToken cancellationToken)
    {
        var ids = await _api.QueryAsync(url, 1, row => row.TryGetProperty(key, out var id) ? id.GetString() : null, cancellationToken).ConfigureAwait(false);
        return ids.FirstOrDefault() is { } found && ODataFilter.TryGuid(found, out var literal) ? literal : throw new DataverseException(missing);
    }
}
