using System.Globalization;

namespace CrmGuardrails;

/// <summary>Message helpers shared by the built-in guards.</summary>
internal static class GuardText
{
    public static string Date(DateTimeOffset? value) =>
        value is { } date ? date.ToUniversalTime().ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture) : "an unknown date";

    public static string Article(string noun) => noun.Length > 0 && "aeiou".IndexOf(char.ToLowerInvariant(noun[0])) >= 0 ? "an" : "a";

    public static string Hours(TimeSpan span) => span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>"1 hour", "1.5 hours", "24 hours".</summary>
    public static string HoursPhrase(TimeSpan span) => Hours(span) is "1" ? "1 hour" : Hours(span) + " hours";

    public static string AccountStanding(AccountStatus status) => status switch
    {
        AccountStatus.Customer => "an existing customer",
        AccountStatus.Prospect => "a prospect",
        AccountStatus.Former => "a former customer",
        _ => "an existing account",
    };

    public static Dictionary<string, string> Arguments(params (string Key, string? Value)[] values)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
            arguments[key] = value ?? string.Empty;
        return arguments;
    }
}

/// <summary>The redaction rule: what of another user's record a verdict may show.</summary>
internal static class Redaction
{
    /// <summary>Gets the subject the acting user may see: only when redaction is off, they own the record, or they manage its owner.</summary>
    public static async ValueTask<string?> VisibleSubjectAsync(GuardContext context, Activity other)
    {
        if (string.IsNullOrWhiteSpace(other.Subject))
            return null;
        if (!context.Redaction || string.Equals(other.OwnerId, context.UserId, StringComparison.Ordinal))
            return other.Subject;
        return await context.Lookups.IsManagerOfAsync(context.UserId, other.OwnerId, context.CancellationToken).ConfigureAwait(false)
            ? other.Subject
            : null;
    }
}
