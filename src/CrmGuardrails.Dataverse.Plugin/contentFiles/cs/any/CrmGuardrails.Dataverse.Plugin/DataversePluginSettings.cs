// CrmGuardrails.Dataverse.Plugin (source package): compiled into your plug-in assembly.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using CrmGuardrails;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Microsoft.Xrm.Sdk;

namespace CrmGuardrails.Dataverse.Plugin;

/// <summary>
/// What the adapter needs to know about the organisation: the columns it writes, custom activity tables, and
/// whether child operations are guarded. Bound from the <c>"Dataverse"</c> object of the step configuration.
/// </summary>
public sealed class DataversePluginSettings
{
    /// <summary>The SubErrorCode of a CrmGuardrails block: 0x43524D47, the ASCII bytes of "CRMG".</summary>
    public const int BlockedSubErrorCode = 0x43524D47;

    /// <summary>Gets or sets the text column that receives the verdict (<c>flag</c>, <c>block</c>, <c>not-checked</c>); empty to skip.</summary>
    public string VerdictColumn { get; set; } = "crmg_guardverdict";

    /// <summary>Gets or sets the text column that receives the verdict's message; empty to skip.</summary>
    public string MessageColumn { get; set; } = "crmg_guardmessage";

    /// <summary>Gets or sets the text column that receives the ids of the rules that fired, comma-separated; empty to skip.</summary>
    public string RuleColumn { get; set; } = "crmg_guardrule";

    /// <summary>Gets or sets the whole-number column counting moves of an activity's scheduled start; empty to skip.</summary>
    public string RescheduleCountColumn { get; set; } = "crmg_reschedulecount";

    /// <summary>Gets or sets the longest message written to <see cref="MessageColumn"/>. The default value is 2000.</summary>
    public int MessageMaxLength { get; set; } = 2000;

    /// <summary>Gets or sets the logical name of a custom voicemail activity table, if any.</summary>
    public string? VoicemailEntity { get; set; }

    /// <summary>Gets or sets the logical name of a custom chat activity table, if any.</summary>
    public string? ChatEntity { get; set; }

    /// <summary>Gets or sets the logical name of a custom SMS activity table, if any.</summary>
    public string? SmsEntity { get; set; }

    /// <summary>Gets or sets a value indicating whether saves made by other plug-ins or workflows (<c>Depth</c> &gt; 1) are guarded too.</summary>
    /// <value>The default value is <see langword="false"/>: only saves a person or an integration started are guarded.</value>
    public bool GuardChildOperations { get; set; }

    /// <summary>Gets or sets the alias of the pre-image registered on Update steps. The default value is <c>PreImage</c>.</summary>
    public string PreImageAlias { get; set; } = "PreImage";

    internal IEnumerable<KeyValuePair<string, ActivityType>> ActivityTables()
    {
        yield return new KeyValuePair<string, ActivityType>("phonecall", ActivityType.PhoneCall);
        yield return new KeyValuePair<string, ActivityType>("appointment", ActivityType.Appointment);
        yield return new KeyValuePair<string, ActivityType>("email", ActivityType.Email);
        yield return new KeyValuePair<string, ActivityType>("task", ActivityType.Task);
        if (!string.IsNullOrWhiteSpace(VoicemailEntity))
            yield return new KeyValuePair<string, ActivityType>(VoicemailEntity!, ActivityType.Voicemail);
        if (!string.IsNullOrWhiteSpace(ChatEntity))
            yield return new KeyValuePair<string, ActivityType>(ChatEntity!, ActivityType.Chat);
        if (!string.IsNullOrWhiteSpace(SmsEntity))
            yield return new KeyValuePair<string, ActivityType>(SmsEntity!, ActivityType.Sms);
    }
}

/// <summary>
/// Reads the step configuration: JSON with an optional <c>"CrmGuardrails"</c> object (the policy, the same shape as the
/// configuration section and the command line's policy files) and an optional <c>"Dataverse"</c> object
/// (<see cref="DataversePluginSettings"/>). The secure configuration, when present, is read after the unsecure one and
/// overrides it key by key.
/// </summary>
public static class GuardPluginConfiguration
{
    /// <summary>Parses the step configuration.</summary>
    /// <param name="unsecureConfiguration">The unsecure configuration, or null/empty for the defaults.</param>
    /// <param name="secureConfiguration">The secure configuration, or null/empty.</param>
    /// <returns>The policy and the adapter's settings.</returns>
    /// <exception cref="InvalidPluginExecutionException">The configuration is not valid JSON, names an unknown setting, or the policy is invalid.</exception>
    public static (CrmGuardrailsOptions Policy, DataversePluginSettings Settings) Parse(string? unsecureConfiguration, string? secureConfiguration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Flatten(unsecureConfiguration, "unsecure", values);
        Flatten(secureConfiguration, "secure", values);
        var root = new FlatConfiguration(values, string.Empty);
        var policy = new CrmGuardrailsOptions();
        var settings = new DataversePluginSettings();
        try
        {
            foreach (var child in root.GetChildren())
            {
                if (!string.Equals(child.Key, CrmGuardrailsOptions.SectionName, StringComparison.OrdinalIgnoreCase) &&
                    !string.Equals(child.Key, "Dataverse", StringComparison.OrdinalIgnoreCase))
                    throw new InvalidOperationException($"'{child.Key}' is not a known section; use \"{CrmGuardrailsOptions.SectionName}\" and \"Dataverse\".");
            }

            root.GetSection(CrmGuardrailsOptions.SectionName).Bind(policy, o => o.ErrorOnUnknownConfiguration = true);
            root.GetSection("Dataverse").Bind(settings, o => o.ErrorOnUnknownConfiguration = true);
            var validation = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
            if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(policy, new System.ComponentModel.DataAnnotations.ValidationContext(policy), validation, validateAllProperties: true))
                throw new InvalidOperationException(string.Join(" ", validation.Select(v => v.ErrorMessage)));
            if (settings.MessageMaxLength < 1)
                throw new InvalidOperationException("Dataverse:MessageMaxLength must be at least 1.");
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidPluginExecutionException("CrmGuardrails: the step configuration is invalid: " + ex.Message, ex);
        }

        return (policy, settings);
    }

    private static void Flatten(string? json, string which, Dictionary<string, string?> values)
    {
        if (string.IsNullOrWhiteSpace(json))
            return;
        try
        {
            using var document = JsonDocument.Parse(json!, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidPluginExecutionException($"CrmGuardrails: the {which} step configuration must be a JSON object.");
            Flatten(document.RootElement, string.Empty, values);
        }
        catch (JsonException ex)
        {
            throw new InvalidPluginExecutionException($"CrmGuardrails: the {which} step configuration is not valid JSON: {ex.Message}", ex);
        }
    }

    private static void Flatten(JsonElement element, string path, Dictionary<string, string?> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Flatten(property.Value, path.Length == 0 ? property.Name : path + ":" + property.Name, values);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    Flatten(item, path + ":" + (index++).ToString(CultureInfo.InvariantCulture), values);
                break;
            case JsonValueKind.Null:
                values[path] = null;
                break;
            case JsonValueKind.String:
                values[path] = element.GetString();
                break;
            default:
                values[path] = element.GetRawText();
                break;
        }
    }

    /// <summary>A read-only <see cref="IConfigurationSection"/> over flattened keys, so the binder needs no configuration providers.</summary>
    private sealed class FlatConfiguration : IConfigurationSection
    {
        private readonly Dictionary<string, string?> _values;

        public FlatConfiguration(Dictionary<string, string?> values, string path)
        {
            _values = values;
            Path = path;
        }

        public string Key => Path.Length == 0 ? string.Empty : Path.Substring(Path.LastIndexOf(':') + 1);

        public string Path { get; }

        public string? Value
        {
            get => _values.TryGetValue(Path, out var value) ? value : null;
            set => throw new NotSupportedException("The step configuration is read-only.");
        }

        public string? this[string key]
        {
            get => _values.TryGetValue(Combine(key), out var value) ? value : null;
            set => throw new NotSupportedException("The step configuration is read-only.");
        }

        public IConfigurationSection GetSection(string key) => new FlatConfiguration(_values, Combine(key));

        public IEnumerable<IConfigurationSection> GetChildren()
        {
            var prefix = Path.Length == 0 ? string.Empty : Path + ":";
            return _values.Keys
                .Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && k.Length > prefix.Length)
                .Select(k => k.Substring(prefix.Length).Split(':')[0])
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(k => (IConfigurationSection)new FlatConfiguration(_values, prefix + k))
                .ToList();
        }

        public IChangeToken GetReloadToken() => NeverChanges.Instance;

        private string Combine(string key) => Path.Length == 0 ? key : Path + ":" + key;

        private sealed class NeverChanges : IChangeToken
        {
            public static readonly NeverChanges Instance = new();

            public bool HasChanged => false;

            public bool ActiveChangeCallbacks => false;

            public IDisposable RegisterChangeCallback(Action<object?> callback, object? state) => Empty.Instance;
        }

        private sealed class Empty : IDisposable
        {
            public static readonly Empty Instance = new();

            public void Dispose()
            {
            }
        }
    }
}

