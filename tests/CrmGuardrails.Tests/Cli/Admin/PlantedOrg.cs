namespace CrmGuardrails.Tests.Cli.Admin;

/// <summary>
/// A small org with one collision of each kind planted, and near misses beside each that the guards do not object to:
/// the audit must report exactly <see cref="Expected"/>.
/// </summary>
internal static class PlantedOrg
{
    /// <summary>The audit's time: the leads are checked as if saved then.</summary>
    public const string At = "2026-12-01T12:00:00Z";

    /// <summary>Subjects another user must never see, in any output.</summary>
    public static readonly string[] Secrets = ["SECRET-T1-pricing", "SECRET-T2-merger", "SECRET-T5-complaint", "SECRET-T6-refund"];

    /// <summary>(rule, verdict, record id, other id) of every planted collision.</summary>
    public static readonly (string Rule, string Verdict, string Record, string Other)[] Expected =
    [
        ("channel-fanout", "flag", "T6", "T5"),      // one customer reaching out by email, then phone, within 24 hours
        ("duplicate-lead", "block", "L-dup1", "L-dup2"), // the same person as open leads of two reps
        ("existing-customer", "block", "L-ec", "a1"), // a lead of Maria's customer, owned by Raj
        ("rep-collision", "block", "T1", "T2"),      // two reps' planned calls with one customer 5 hours apart
    ];

    /// <summary>Gets the snapshot (tests/data/admin/planted-org.json, shared with the live-org audit test).</summary>
    public static string Snapshot => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "admin", "planted-org.json"));
}
