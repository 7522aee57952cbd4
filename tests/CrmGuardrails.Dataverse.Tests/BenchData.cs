namespace CrmGuardrails.Dataverse.Tests;

/// <summary>The lead-account bench sets in <c>shared/</c>, which sits beside the repository.</summary>
internal static class BenchData
{
    public static string Folder(string name)
    {
        var relative = Path.Combine("shared", "data", "lead-account-bench", name);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
                return candidate;
        }

        throw new InvalidOperationException($"{relative} was not found above {AppContext.BaseDirectory}; shared/ must sit beside the repository.");
    }
}
