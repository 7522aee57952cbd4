namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>A reusable set of records, owner teams and account teams to seed an emulated organisation with.</summary>
public sealed class EmulatorScenario
{
    /// <summary>Gets the records (users first, so that owners resolve).</summary>
    public IList<CrmRecord> Records { get; } = [];

    /// <summary>Gets the owner teams: id and name.</summary>
    public IList<(string TeamId, string Name)> OwnerTeams { get; } = [];

    /// <summary>Gets the account teams: account id and member user ids.</summary>
    public IList<(string AccountId, IReadOnlyList<string> MemberUserIds)> AccountTeams { get; } = [];

    /// <summary>
    /// A small sales org: a manager and two reps, a key-accounts owner team, a customer account (Contoso Ltd, owned by rep A,
    /// with rep B on its team), a prospect owned by the team, a contact, an open lead and an open call by rep A.
    /// Ids are fixed, so samples can refer to them.
    /// </summary>
    /// <returns>The scenario.</returns>
    public static EmulatorScenario Contoso()
    {
        var scenario = new EmulatorScenario();
        var manager = new User { Id = Ids.Manager, Name = "Maria Manager" };
        var repA = new User { Id = Ids.RepA, Name = "Alex Rep", ManagerId = Ids.Manager };
        var repB = new User { Id = Ids.RepB, Name = "Blair Rep", ManagerId = Ids.Manager };
        scenario.OwnerTeams.Add((Ids.KeyAccountsTeam, "Key Accounts"));
        var contoso = new Account
        {
            Id = Ids.Contoso, Name = "Contoso Ltd", Website = "https://www.contoso.com", Phone = "+442071234567", Email = "info@contoso.com",
            City = "London", Country = "GB", Status = AccountStatus.Customer, OwnerId = Ids.RepA,
        };
        var fabrikam = new Account { Id = Ids.Fabrikam, Name = "Fabrikam, Inc.", Website = "https://fabrikam.com", Status = AccountStatus.Prospect, OwnerId = Ids.KeyAccountsTeam };
        var contact = new Contact { Id = Ids.ContactAda, AccountId = Ids.Contoso, FirstName = "Ada", LastName = "Lovelace", Email = "ada@contoso.com", OwnerId = Ids.RepA };
        var lead = new Lead { Id = Ids.LeadBob, FirstName = "Bob", LastName = "Builder", Company = "Contoso", Email = "bob@contoso.com", OwnerId = Ids.RepB };
        var call = new Activity
        {
            Id = Ids.CallToAda, Type = ActivityType.PhoneCall, Subject = "Renewal call", Regarding = contoso.Ref, Parties = [contact.Ref], OwnerId = Ids.RepA,
        };
        foreach (var record in new CrmRecord[] { manager, repA, repB, contoso, fabrikam, contact, lead, call })
            scenario.Records.Add(record);
        scenario.AccountTeams.Add((Ids.Contoso, [Ids.RepB]));
        return scenario;
    }

    /// <summary>The fixed ids of <see cref="Contoso"/>.</summary>
    public static class Ids
    {
        /// <summary>The manager.</summary>
        public const string Manager = "00000000-0000-0000-0001-000000000001";

        /// <summary>Rep A, who owns Contoso.</summary>
        public const string RepA = "00000000-0000-0000-0001-000000000002";

        /// <summary>Rep B, on Contoso's team.</summary>
        public const string RepB = "00000000-0000-0000-0001-000000000003";

        /// <summary>The owner team.</summary>
        public const string KeyAccountsTeam = "00000000-0000-0000-0002-000000000001";

        /// <summary>Contoso Ltd, a customer.</summary>
        public const string Contoso = "00000000-0000-0000-0003-000000000001";

        /// <summary>Fabrikam, a prospect owned by the team.</summary>
        public const string Fabrikam = "00000000-0000-0000-0003-000000000002";

        /// <summary>Ada, a contact at Contoso.</summary>
        public const string ContactAda = "00000000-0000-0000-0004-000000000001";

        /// <summary>Bob, an open lead for Contoso.</summary>
        public const string LeadBob = "00000000-0000-0000-0005-000000000001";

        /// <summary>Rep A's open call to Ada about Contoso.</summary>
        public const string CallToAda = "00000000-0000-0000-0006-000000000001";
    }
}
