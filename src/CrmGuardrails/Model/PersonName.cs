namespace CrmGuardrails;

internal static class PersonName
{
    public static string Format(string? first, string? last, string fallback)
    {
        var name = $"{first?.Trim()} {last?.Trim()}".Trim();
        return name.Length > 0 ? name : fallback;
    }

    /// <summary>The first word of a full name, for friendly messages ("Talk to Maria").</summary>
    public static string FirstWord(string fullName)
    {
        var name = fullName.Trim();
        var space = name.IndexOf(' ');
        return space > 0 ? name.Substring(0, space) : name;
    }
}

internal static class ActivityText
{
    public static string Describe(ActivityType type) => type switch
    {
        ActivityType.PhoneCall => "phone call",
        ActivityType.Appointment => "appointment",
        ActivityType.Email => "email",
        ActivityType.Task => "task",
        ActivityType.Voicemail => "voicemail",
        ActivityType.Chat => "chat",
        ActivityType.Sms => "SMS",
        _ => "activity",
    };

    public static string Describe(ActivityType type, ActivityDirection direction) =>
        direction == ActivityDirection.Inbound ? "inbound " + Describe(type) : Describe(type);

    /// <summary>A record's name as a colleague may see it: a lead's person or company; an activity only by its kind (its subject is its owner's).</summary>
    public static string VisibleName(CrmRecord record) => record switch
    {
        Activity activity => Describe(activity.Type, activity.Direction),
        _ => record.DisplayName,
    };
}
