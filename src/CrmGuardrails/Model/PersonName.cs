namespace CrmGuardrails;

internal static class PersonName
{
    public static string Format(string? first, string? last, string fallback)
    {
        var name = $"{first?.Trim()} {last?.Trim()}".Trim();
        return name.Length > 0 ? name : fallback;
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
}
