namespace CrmGuardrails;

/// <summary>The count of an activity's moves after a save: stored counts come from the CRM and may be anything.</summary>
internal static class RescheduleCounting
{
    /// <summary>The count after a save that did (or did not) move the start: saturates at <see cref="int.MaxValue"/>, and a negative stored count reads as none.</summary>
    public static int After(int stored, bool moved)
    {
        var count = Math.Max(0, stored);
        return moved && count < int.MaxValue ? count + 1 : count;
    }
}
