using CrmGuardrails.Matching;

namespace CrmGuardrails.Tests.TestSupport;

/// <summary>
/// A bulk matcher over the development set's 5,000 accounts and some of a test's own, so that name words weigh as
/// they do in an org of that size.
/// </summary>
internal static class DevSetMatcher
{
    public static BulkMatcher With(params Account[] accounts) => With(accounts, []);

    /// <summary>A bulk matcher over the development set and a test's own accounts and contacts.</summary>
    public static BulkMatcher With(Account[] accounts, Contact[] contacts)
    {
        var data = Load();
        return new BulkMatcher([.. data.Accounts, .. accounts], [.. data.Contacts, .. contacts]);
    }

    /// <summary>Reads the development set's accounts, contacts and leads.</summary>
    public static MatchingDataset Load()
    {
        var folder = SharedFiles.Path("data", "lead-account-bench", "dev");
        return MatchingDataset.Load(Path.Combine(folder, "accounts.csv"), Path.Combine(folder, "contacts.csv"), Path.Combine(folder, "leads.csv"));
    }
}
