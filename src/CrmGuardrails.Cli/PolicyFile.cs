using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Cli;

/// <summary>
/// Reads a policy (JSON, the same shape as the <c>CrmGuardrails</c> configuration section, with or without that
/// wrapper) for the command line. Strict, so that a typo is not silently ignored: every key must be a setting (compared
/// without case, as configuration does), every value of the setting's type (a section an object, a number a JSON
/// number, a time span a string such as <c>"00:00:02"</c>) and within its range. Each problem is reported once, naming
/// the file, the line and the key.
/// </summary>
internal static class PolicyFile
{
    /// <summary>The largest policy file read: 1 MB (a policy is a few hundred bytes).</summary>
    public const long MaxFileBytes = 1 << 20;

    /// <summary>Reads the policy; no file means the defaults.</summary>
    /// <exception cref="InputFormatException">The file cannot be read or is not JSON.</exception>
    /// <exception cref="BadInputException">The policy names unknown keys or gives wrong or out-of-range values (every problem listed).</exception>
    public static CrmGuardrailsOptions Load(FileInfo? file)
    {
        var options = new CrmGuardrailsOptions();
        if (file is null)
            return options;
        var shown = file.ToString();
        byte[] bytes;
        using (var stream = InputFile.OpenRead(shown, MaxFileBytes))
        using (var text = InputText.Utf8(stream, shown))
        using (var copy = new MemoryStream())
        {
            text.CopyTo(copy);
            bytes = copy.ToArray();
        }

        var reader = new Reader(shown);
        reader.Read(JsonTree.Parse(bytes, shown), options);
        if (reader.Problems.Count > 0)
            throw new BadInputException(reader.Problems);

        // What the per-key checks cannot see (none today) is still reported, naming the file.
        var remaining = OptionsValidation.Validate(options);
        if (remaining.Count > 0)
            throw new BadInputException(remaining.Select(e => new InputFormatException(shown, 0, string.Empty, e).Message).ToList());
        return options;
    }

    private sealed class Reader(string file)
    {
        public List<string> Problems { get; } = [];

        public void Read(JsonTree root, CrmGuardrailsOptions options)
        {
            if (root.Kind != JsonValueKind.Object)
            {
                Problem(root, string.Empty, $"expected an object of settings, found {root.Describe()}.");
                return;
            }

            var section = root.Properties.Where(p => string.Equals(p.Key, CrmGuardrailsOptions.SectionName, StringComparison.OrdinalIgnoreCase)).ToList();
            if (section.Count == 0)
            {
                ReadObject(options, root, string.Empty);
                return;
            }

            // An appsettings.json may hold other settings beside the section; a setting of ours outside it is a mistake.
            var settings = Settings(typeof(CrmGuardrailsOptions));
            foreach (var (key, value) in root.Properties)
            {
                if (settings.Any(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)))
                    Problem(value, key, $"is a setting of the '{CrmGuardrailsOptions.SectionName}' section, outside it; move it inside.");
            }

            if (section.Count > 1)
                Problem(section[1].Value, section[1].Key, $"appears twice (also on line {section[0].Value.Line}).");
            else if (section[0].Value.Kind != JsonValueKind.Object)
                Problem(section[0].Value, section[0].Key, $"expected an object of settings ({{ ... }}), found {Found(section[0].Value)}.");
            else
                ReadObject(options, section[0].Value, section[0].Key);
        }

        private static bool IsDecisionLogSection(string key) =>
            string.Equals(CrmGuardrailsOptions.SectionName + ":" + key, CrmGuardrails.Decisions.DecisionLogOptions.SectionName, StringComparison.OrdinalIgnoreCase);

        private void ReadObject(object target, JsonTree node, string path)
        {
            var settings = Settings(target.GetType());
            var problems = Problems.Count;
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var lines = new Dictionary<string, JsonTree>(StringComparer.Ordinal);
            foreach (var (key, value) in node.Properties)
            {
                var keyPath = path.Length == 0 ? key : $"{path}.{key}";
                var setting = settings.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));
                if (seen.TryGetValue(key, out var first))
                {
                    // An unknown key was reported where it first appeared; once is enough.
                    if (setting is not null)
                        Problem(value, keyPath, $"appears twice (also on line {first}; keys are compared without case).");
                    continue;
                }

                seen[key] = value.Line;
                if (setting is null && target is CrmGuardrailsOptions && IsDecisionLogSection(key))
                    continue; // The host's decision log (docs/rollout.md) sits in the section beside the policy; it is no policy setting.
                if (setting is null)
                {
                    Problem(value, keyPath, $"is not a setting{Suggest(key, settings)}.");
                    continue;
                }

                lines[setting.Name] = value;
                ReadSetting(target, setting, value, keyPath);
            }

            // Rules that weigh one setting against another, once each setting is good, reported at the setting they name;
            // a rule about a whole section was checked within it.
            if (target is IValidatableObject rules && Problems.Count == problems)
            {
                foreach (var result in rules.Validate(new ValidationContext(target)))
                {
                    var member = result.MemberNames.FirstOrDefault();
                    if (settings.FirstOrDefault(p => p.Name == member) is { } named && IsSection(named.PropertyType))
                        continue;
                    var at = member is not null && lines.TryGetValue(member, out var value) ? value : node;
                    var where = member is null ? path : path.Length == 0 ? member : $"{path}.{member}";
                    Problem(at, where, result.ErrorMessage ?? "is invalid.");
                }
            }
        }

        private void ReadSetting(object target, PropertyInfo setting, JsonTree value, string path)
        {
            var type = Nullable.GetUnderlyingType(setting.PropertyType) ?? setting.PropertyType;
            if (IsSection(type))
            {
                if (value.Kind != JsonValueKind.Object)
                {
                    Problem(value, path, $"is a section: expected an object of settings ({{ ... }}), found {Found(value)}.");
                    return;
                }

                var child = setting.GetValue(target) ?? Activator.CreateInstance(type)!;
                ReadObject(child, value, path);
                setting.SetValue(target, child);
                return;
            }

            if (!TryConvert(type, value, out var converted, out var problem))
            {
                Problem(value, path, problem);
                return;
            }

            foreach (var rule in setting.GetCustomAttributes<ValidationAttribute>())
            {
                if (rule.IsValid(converted))
                    continue;
                Problem(value, path, rule is RangeAttribute range
                    ? $"{Show(converted)} is out of range: it must be from {Show(range.Minimum)} to {Show(range.Maximum)}."
                    : rule.FormatErrorMessage(setting.Name));
                return;
            }

            setting.SetValue(target, converted);
        }

        private static bool TryConvert(Type type, JsonTree value, out object? converted, out string problem)
        {
            converted = null;
            problem = string.Empty;
            if (type == typeof(bool))
            {
                if (value.Kind is JsonValueKind.True or JsonValueKind.False)
                {
                    converted = value.Kind == JsonValueKind.True;
                    return true;
                }

                problem = $"expected true or false, found {Found(value)}.";
                return false;
            }

            if (type == typeof(int) || type == typeof(double))
            {
                if (value.Kind != JsonValueKind.Number)
                {
                    problem = $"expected a number, found {Found(value)}" + (value.Kind == JsonValueKind.String ? " (write numbers without quotes)." : ".");
                    return false;
                }

                if (type == typeof(int))
                {
                    if (int.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                    {
                        converted = whole;
                        return true;
                    }

                    problem = double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && Math.Abs(number) < int.MaxValue
                        ? $"expected a whole number, found {value.Text}."
                        : $"{Short(value.Text)} is too large a number.";
                    return false;
                }

                if (double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && !double.IsInfinity(real))
                {
                    converted = real;
                    return true;
                }

                problem = $"{Short(value.Text)} is too large a number.";
                return false;
            }

            if (type == typeof(TimeSpan))
            {
                if (value.Kind == JsonValueKind.String && TimeSpan.TryParse(value.Text, CultureInfo.InvariantCulture, out var span))
                {
                    converted = span;
                    return true;
                }

                problem = $"expected a time span such as \"00:00:02\" (two seconds) or \"1.00:00:00\" (one day), found {Found(value)}.";
                return false;
            }

            if (type.IsEnum)
            {
                var names = Enum.GetNames(type);
                var name = value.Kind == JsonValueKind.String ? names.FirstOrDefault(n => string.Equals(n, value.Text?.Trim(), StringComparison.OrdinalIgnoreCase)) : null;
                if (name is not null)
                {
                    converted = Enum.Parse(type, name);
                    return true;
                }

                problem = $"expected one of {string.Join(", ", names)}, found {Found(value)}.";
                return false;
            }

            if (type == typeof(string))
            {
                if (value.Kind is JsonValueKind.String or JsonValueKind.Null)
                {
                    converted = value.Text;
                    return true;
                }

                problem = $"expected a string, found {Found(value)}.";
                return false;
            }

            problem = "cannot be set in a policy file.";
            return false;
        }

        private static bool IsSection(Type type) => type.IsClass && type != typeof(string) && type.GetConstructor(Type.EmptyTypes) is not null;

        private static PropertyInfo[] Settings(Type type) =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetSetMethod() is not null && p.GetIndexParameters().Length == 0).ToArray();

        private static string Suggest(string key, PropertyInfo[] settings)
        {
            var near = settings.Select(p => (p.Name, Distance: Distance(key.ToLowerInvariant(), p.Name.ToLowerInvariant()))).OrderBy(p => p.Distance).FirstOrDefault();
            return near.Name is not null && near.Distance <= Math.Max(2, key.Length / 4)
                ? $" (did you mean {near.Name}?)"
                : $"; the settings here are {string.Join(", ", settings.Select(p => p.Name))}";
        }

        private static int Distance(string a, string b)
        {
            var row = Enumerable.Range(0, b.Length + 1).ToArray();
            for (var i = 1; i <= a.Length; i++)
            {
                var diagonal = row[0];
                row[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var above = row[j];
                    row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                    diagonal = above;
                }
            }

            return row[b.Length];
        }

        private static string Found(JsonTree value) => value.Kind switch
        {
            JsonValueKind.String => $"the string \"{Short(value.Text)}\"",
            JsonValueKind.Number => $"the number {Short(value.Text)}",
            _ => value.Describe(),
        };

        private static string Show(object? value) => value switch
        {
            TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture) is var text && text.LastIndexOf('.') > text.LastIndexOf(':') ? text.TrimEnd('0') : text,
            double number => number.ToString("0.###", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value?.ToString() ?? "null",
        };

        private static string Short(string? text) => text is null ? string.Empty : text.Length <= 40 ? text : text.Substring(0, 40) + "…";

        private void Problem(JsonTree at, string path, string problem) =>
            Problems.Add(new InputFormatException(file, at.Line, path, problem).Message);
    }
}
