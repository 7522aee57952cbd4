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

    public const string Snapshot = """
    {
      "users": [
        {"id": "u1", "name": "Maria Lopez"},
        {"id": "u2", "name": "Raj Patel"},
        {"id": "u3", "name": "Lee Chen", "managerId": "m1"},
        {"id": "m1", "name": "Grace Okafor"}
      ],
      "accounts": [
        {"id": "a1", "name": "Contoso Pharmaceuticals", "website": "https://contoso.com", "phone": "+1 425 555 0100", "city": "Redmond", "country": "US", "ownerId": "u1", "status": "customer"},
        {"id": "a2", "name": "Fabrikam Inc", "website": "https://fabrikam.com", "phone": "+1 206 555 0142", "city": "Seattle", "country": "US", "ownerId": "u3", "status": "customer"},
        {"id": "a3", "name": "Northwind Traders", "website": "https://northwindtraders.com", "phone": "+44 20 7946 0958", "city": "London", "country": "GB", "ownerId": "u1", "status": "customer"}
      ],
      "accountTeam": [{"accountId": "a2", "userId": "u2"}],
      "contacts": [
        {"id": "c1", "accountId": "a1", "firstName": "Dan", "lastName": "Jump", "email": "dan@contoso.com", "ownerId": "u1"},
        {"id": "c2", "accountId": "a2", "firstName": "Eva", "lastName": "Corets", "email": "eva@fabrikam.com", "ownerId": "u3"},
        {"id": "c3", "accountId": "a3", "firstName": "Ian", "lastName": "Wright", "email": "ian@northwindtraders.com", "ownerId": "u1"},
        {"id": "c4", "accountId": "a3", "firstName": "Kim", "lastName": "Abercrombie", "email": "kim@northwindtraders.com", "ownerId": "u1"}
      ],
      "leads": [
        {"id": "L-ec", "firstName": "Ann", "lastName": "Beebe", "company": "Contoso Pharmaceuticals", "email": "ann@contoso.com", "website": "contoso.com", "ownerId": "u2", "status": "open"},
        {"id": "L-ec-own", "firstName": "Ola", "lastName": "Nord", "company": "Northwind Traders", "email": "ola@northwindtraders.com", "ownerId": "u1", "status": "open"},
        {"id": "L-ec-team", "firstName": "Tom", "lastName": "Hall", "company": "Fabrikam Inc", "email": "tom@fabrikam.com", "ownerId": "u2", "status": "open"},
        {"id": "L-ec-closed", "firstName": "Pia", "lastName": "Berg", "company": "Contoso Pharmaceuticals", "email": "pia@contoso.com", "ownerId": "u3", "status": "qualified"},
        {"id": "L-dup1", "firstName": "Jane", "lastName": "Doe", "company": "Tailspin Toys", "email": "jane@tailspintoys.example", "ownerId": "u2", "status": "open"},
        {"id": "L-dup2", "firstName": "Jane", "lastName": "Doe", "company": "Tailspin Toys", "email": "jane@tailspintoys.example", "ownerId": "u3", "status": "open"},
        {"id": "L-same1", "firstName": "Bob", "lastName": "Ray", "company": "Alpine Ski House", "email": "bob@alpineskihouse.example", "ownerId": "u3", "status": "open"},
        {"id": "L-same2", "firstName": "Bob", "lastName": "Ray", "company": "Alpine Ski House", "email": "bob@alpineskihouse.example", "ownerId": "u3", "status": "open"},
        {"id": "L-dup-closed", "firstName": "Jane", "lastName": "Doe", "company": "Tailspin Toys", "email": "jane@tailspintoys.example", "ownerId": "u1", "status": "disqualified"}
      ],
      "activities": [
        {"id": "T1", "type": "phonecall", "direction": "outbound", "ownerId": "u2", "regardingId": "c3", "partyIds": ["c3"], "status": "open",
         "scheduledStart": "2026-12-02T10:00:00Z", "createdOn": "2026-11-30T09:00:00Z", "subject": "SECRET-T1-pricing"},
        {"id": "T2", "type": "appointment", "direction": "outbound", "ownerId": "u3", "regardingId": "c4", "partyIds": ["c4"], "status": "open",
         "scheduledStart": "2026-12-02T15:00:00Z", "createdOn": "2026-11-30T10:00:00Z", "subject": "SECRET-T2-merger"},
        {"id": "T3", "type": "phonecall", "direction": "outbound", "ownerId": "u1", "regardingId": "c1", "partyIds": ["c1"], "status": "open",
         "scheduledStart": "2026-12-02T11:00:00Z", "createdOn": "2026-11-30T11:00:00Z", "subject": "own account"},
        {"id": "T4", "type": "phonecall", "direction": "outbound", "ownerId": "u3", "regardingId": "c1", "partyIds": ["c1"], "status": "completed",
         "scheduledStart": "2026-12-02T11:30:00Z", "createdOn": "2026-11-30T11:00:00Z", "subject": "history"},
        {"id": "T5", "type": "email", "direction": "inbound", "ownerId": "u3", "regardingId": "c2", "partyIds": ["c2"], "status": "open",
         "createdOn": "2026-12-01T08:00:00Z", "subject": "SECRET-T5-complaint"},
        {"id": "T9", "type": "email", "direction": "inbound", "ownerId": "u3", "regardingId": "c2", "partyIds": ["c2"], "status": "open",
         "createdOn": "2026-12-01T08:30:00Z", "subject": "same channel"},
        {"id": "T6", "type": "phonecall", "direction": "inbound", "ownerId": "m1", "regardingId": "c2", "partyIds": ["c2"], "status": "open",
         "createdOn": "2026-12-01T09:00:00Z", "subject": "SECRET-T6-refund"},
        {"id": "T7", "type": "chat", "direction": "inbound", "ownerId": "u1", "regardingId": "c1", "partyIds": ["c1"], "status": "open",
         "createdOn": "2026-11-28T10:00:00Z", "subject": "old chat"},
        {"id": "T8", "type": "email", "direction": "inbound", "ownerId": "u1", "regardingId": "c1", "partyIds": ["c1"], "status": "open",
         "createdOn": "2026-12-01T10:00:00Z", "subject": "days later"},
        {"id": "T10", "type": "task", "direction": "outbound", "ownerId": "u2", "regardingId": "c2", "partyIds": ["c2"], "status": "open",
         "createdOn": "2026-12-01T09:30:00Z", "subject": "team member"}
      ]
    }
    """;
}
